#include "core/llm/secrets/chainedsecretstore.h"
#include "core/llm/secrets/envsecretstore.h"
#include "core/llm/secrets/keychainsecretstore.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "core/llm/secrets/secretredactor.h"

#include <QCoro/QCoroTask>
#include <QHash>
#include <gtest/gtest.h>

using namespace crucible;

namespace {

// Our stores never throw, so waitFor cannot hang on an exception here.
template <typename T> T await(QCoro::Task<T> task)
{
    return QCoro::waitFor(std::move(task));
}

// Keychain stand-in: either works like a keychain or fails like one without Secret Service.
class FakeKeychain final : public SecretStore
{
public:
    explicit FakeKeychain(bool available)
        : m_available(available)
    {
    }

    KeySource kind() const override { return KeySource::Keychain; }
    bool isWritable() const override { return true; }

    QCoro::Task<SecretResult> read(SecretLookup lookup) override
    {
        SecretResult r;
        r.sourceLabel = noneSourceLabel();
        if (!m_available) {
            r.keychainUnavailable = true;
            r.keychainError = QStringLiteral("No keychain service available [OtherError]");
        } else if (m_secrets.contains(lookup.account)) {
            r.value = m_secrets.value(lookup.account);
            r.source = KeySource::Keychain;
            r.sourceLabel = keychainSourceLabel();
        }
        co_return r;
    }
    QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) override
    {
        SecretWriteResult r;
        if (!m_available) {
            r.keychainUnavailable = true;
            r.keychainError = QStringLiteral("No keychain service available [OtherError]");
            r.message = QStringLiteral("keychain failed");
            co_return r;
        }
        m_secrets.insert(lookup.account, secret);
        r.ok = true;
        r.storedIn = KeySource::Keychain;
        r.message = QStringLiteral("Key saved in the system keychain.");
        co_return r;
    }
    QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) override
    {
        SecretWriteResult r;
        if (!m_available) {
            r.keychainUnavailable = true;
            r.keychainError = QStringLiteral("No keychain service available [OtherError]");
            r.message = QStringLiteral("keychain failed");
            co_return r;
        }
        m_secrets.remove(lookup.account);
        r.ok = true;
        co_return r;
    }

    QHash<QString, QString> m_secrets;

private:
    bool m_available;
};

struct Chain
{
    std::shared_ptr<FakeKeychain> keychain;
    std::shared_ptr<MemorySecretStore> session = std::make_shared<MemorySecretStore>();
    QHash<QString, QString> env;
    std::unique_ptr<ChainedSecretStore> store;

    explicit Chain(bool keychainAvailable)
        : keychain(std::make_shared<FakeKeychain>(keychainAvailable))
    {
        auto envStore = std::make_shared<EnvSecretStore>(
            [this](const QString &name) { return env.value(name); });
        store = std::make_unique<ChainedSecretStore>(
            std::vector<std::shared_ptr<SecretStore>>{keychain, envStore, session});
    }
};

const SecretLookup OpenAiLookup{QStringLiteral("provider/openai/api-key"),
                                QStringLiteral("OPENAI_API_KEY")};

} // namespace

TEST(SecretStoreTest, MemoryStoreRoundTrip)
{
    MemorySecretStore store;
    EXPECT_FALSE(await(store.read(OpenAiLookup)).found());
    const SecretWriteResult written = await(store.write(OpenAiLookup, QStringLiteral("sk-mem")));
    EXPECT_TRUE(written.ok);
    EXPECT_EQ(written.storedIn, KeySource::Session);
    const SecretResult read = await(store.read(OpenAiLookup));
    EXPECT_EQ(read.source, KeySource::Session);
    EXPECT_EQ(read.value, QStringLiteral("sk-mem"));
    EXPECT_TRUE(await(store.remove(OpenAiLookup)).ok);
    EXPECT_FALSE(await(store.read(OpenAiLookup)).found());
    EXPECT_FALSE(await(store.write(OpenAiLookup, QString())).ok) << "empty keys are refused";
}

TEST(SecretStoreTest, EnvironmentStoreReadsNamedVariableAndIsReadOnly)
{
    const QByteArray name = "CRUCIBLE_TEST_SECRET_ENV_1";
    qputenv(name, "  sk-from-env-123\n");
    EnvSecretStore store;
    const SecretResult r = await(store.read({QStringLiteral("x"), QString::fromLatin1(name)}));
    EXPECT_EQ(r.source, KeySource::Environment);
    EXPECT_EQ(r.value, QStringLiteral("sk-from-env-123")) << "whitespace is trimmed";
    EXPECT_EQ(r.sourceLabel,
              QStringLiteral("from environment variable CRUCIBLE_TEST_SECRET_ENV_1"));
    EXPECT_FALSE(await(store.write({QStringLiteral("x"), QString::fromLatin1(name)},
                                   QStringLiteral("other")))
                     .ok);
    EXPECT_EQ(qgetenv(name), QByteArray("  sk-from-env-123\n")) << "never writes the environment";
    qunsetenv(name);
    EXPECT_FALSE(await(store.read({QStringLiteral("x"), QString::fromLatin1(name)})).found());
    EXPECT_FALSE(await(store.read({QStringLiteral("x"), QString()})).found());
}

TEST(SecretStoreTest, ChainFallsBackToEnvironmentWhenKeychainUnavailable)
{
    Chain chain(false);
    chain.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-env-abcdefgh"));
    const SecretResult r = await(chain.store->read(OpenAiLookup));
    EXPECT_EQ(r.source, KeySource::Environment);
    EXPECT_EQ(r.value, QStringLiteral("sk-env-abcdefgh"));
    EXPECT_EQ(r.sourceLabel, QStringLiteral("from environment variable OPENAI_API_KEY"));
    EXPECT_TRUE(r.keychainUnavailable);
    EXPECT_TRUE(r.describe().contains(QStringLiteral("system keychain unavailable")))
        << r.describe().toStdString();
    EXPECT_TRUE(r.describe().contains(QStringLiteral("OtherError")));
}

TEST(SecretStoreTest, ChainPrefersKeychainOverEnvironment)
{
    Chain chain(true);
    chain.keychain->m_secrets.insert(OpenAiLookup.account, QStringLiteral("sk-keychain-1234"));
    chain.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-env-abcdefgh"));
    const SecretResult r = await(chain.store->read(OpenAiLookup));
    EXPECT_EQ(r.source, KeySource::Keychain);
    EXPECT_EQ(r.value, QStringLiteral("sk-keychain-1234"));
    EXPECT_FALSE(r.keychainUnavailable);
    EXPECT_EQ(r.describe(), QStringLiteral("from the system keychain"));
}

TEST(SecretStoreTest, ChainReportsNoneWithPlacesAndKeychainProblem)
{
    Chain chain(false);
    const SecretResult r = await(chain.store->read(OpenAiLookup));
    EXPECT_FALSE(r.found());
    EXPECT_EQ(r.source, KeySource::None);
    EXPECT_TRUE(r.value.isEmpty());
    EXPECT_TRUE(r.keychainUnavailable);
    EXPECT_TRUE(r.sourceLabel.contains(QStringLiteral("environment variable OPENAI_API_KEY")))
        << r.sourceLabel.toStdString();
}

TEST(SecretStoreTest, ChainWriteFallsBackToSessionWhenKeychainUnavailable)
{
    Chain chain(false);
    const SecretWriteResult w =
        await(chain.store->write(OpenAiLookup, QStringLiteral("sk-typed-0123456789")));
    EXPECT_TRUE(w.ok);
    EXPECT_EQ(w.storedIn, KeySource::Session);
    EXPECT_TRUE(w.keychainUnavailable);
    EXPECT_TRUE(w.message.contains(QStringLiteral("System keychain unavailable")))
        << w.message.toStdString();
    EXPECT_TRUE(w.message.contains(QStringLiteral("session")));

    const SecretResult r = await(chain.store->read(OpenAiLookup));
    EXPECT_EQ(r.source, KeySource::Session);
    EXPECT_EQ(r.value, QStringLiteral("sk-typed-0123456789"));
    EXPECT_EQ(r.sourceLabel, sessionSourceLabel());
    EXPECT_TRUE(r.keychainUnavailable);
}

TEST(SecretStoreTest, ChainWriteWarnsWhenEnvironmentShadowsSessionKey)
{
    Chain chain(false);
    chain.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-env-abcdefgh"));
    const SecretWriteResult w =
        await(chain.store->write(OpenAiLookup, QStringLiteral("sk-typed-0123456789")));
    EXPECT_TRUE(w.ok);
    EXPECT_TRUE(w.message.contains(QStringLiteral("OPENAI_API_KEY takes precedence")))
        << w.message.toStdString();
}

TEST(SecretStoreTest, ChainWriteToKeychainDropsStaleSessionCopy)
{
    Chain chain(true);
    chain.session->setValue(OpenAiLookup.account, QStringLiteral("sk-stale-session-key"));
    const SecretWriteResult w =
        await(chain.store->write(OpenAiLookup, QStringLiteral("sk-new-keychain-key")));
    EXPECT_TRUE(w.ok);
    EXPECT_EQ(w.storedIn, KeySource::Keychain);
    EXPECT_FALSE(w.keychainUnavailable);
    EXPECT_FALSE(chain.session->value(OpenAiLookup.account).has_value());
    EXPECT_EQ(chain.keychain->m_secrets.value(OpenAiLookup.account),
              QStringLiteral("sk-new-keychain-key"));
}

TEST(SecretStoreTest, ChainRemoveNamesRemainingEnvironmentKey)
{
    Chain chain(true);
    chain.keychain->m_secrets.insert(OpenAiLookup.account, QStringLiteral("sk-keychain-1234"));
    chain.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-env-abcdefgh"));
    const SecretWriteResult removed = await(chain.store->remove(OpenAiLookup));
    EXPECT_TRUE(removed.ok);
    EXPECT_TRUE(chain.keychain->m_secrets.isEmpty());
    EXPECT_TRUE(removed.message.contains(QStringLiteral("OPENAI_API_KEY")))
        << removed.message.toStdString();
    EXPECT_EQ(await(chain.store->read(OpenAiLookup)).source, KeySource::Environment);
}

TEST(SecretStoreTest, ChainRegistersKeysWithRedactor)
{
    Chain chain(false);
    chain.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("opaque-key-7f3a9c"));
    (void)await(chain.store->read(OpenAiLookup));
    EXPECT_TRUE(
        SecretRedactor::global().knownSecrets().contains(QStringLiteral("opaque-key-7f3a9c")));
    EXPECT_EQ(redact(QStringLiteral("log: key=opaque-key-7f3a9c; done")),
              QStringLiteral("log: key=***; done"));
    EXPECT_EQ(redact(QStringLiteral("echo opaque-key-7f3a9c")), QStringLiteral("echo ***"));
    SecretRedactor::global().forgetKnownSecret(QStringLiteral("opaque-key-7f3a9c"));
}

// The real keychain: in a headless sandbox it fails fast with OtherError; on a desktop it may
// work. Either way the chain must hand out the environment key and keep a typed key somewhere.
TEST(SecretStoreTest, RealKeychainChainFallsBackOrWorks)
{
    const QString var = QStringLiteral("CRUCIBLE_TEST_SECRET_ENV_2");
    qputenv("CRUCIBLE_TEST_SECRET_ENV_2", "sk-real-chain-env-key");
    auto session = std::make_shared<MemorySecretStore>();
    ChainedSecretStore chain({std::make_shared<KeychainSecretStore>(QStringLiteral("CrucibleTests"),
                                                                    std::chrono::seconds(10)),
                              std::make_shared<EnvSecretStore>(), session});
    const SecretLookup lookup{QStringLiteral("provider/crucible-test-nonexistent/api-key"), var};

    const SecretResult r = await(chain.read(lookup));
    EXPECT_EQ(r.source, KeySource::Environment);
    EXPECT_EQ(r.sourceLabel, QStringLiteral("from environment variable ") + var);
    if (r.keychainUnavailable) {
        EXPECT_FALSE(r.keychainError.isEmpty());
    }

    const SecretLookup typed{QStringLiteral("provider/crucible-test-typed/api-key"), {}};
    const SecretWriteResult w = await(chain.write(typed, QStringLiteral("sk-typed-real-chain")));
    ASSERT_TRUE(w.ok) << w.message.toStdString();
    if (w.keychainUnavailable) {
        EXPECT_EQ(w.storedIn, KeySource::Session);
    } else {
        EXPECT_EQ(w.storedIn, KeySource::Keychain);
    }
    const SecretResult back = await(chain.read(typed));
    EXPECT_EQ(back.value, QStringLiteral("sk-typed-real-chain"));
    EXPECT_EQ(back.source, w.storedIn);
    (void)await(chain.remove(typed));
    qunsetenv("CRUCIBLE_TEST_SECRET_ENV_2");
}

TEST(SecretStoreTest, RedactsAuthorizationHeaders)
{
    EXPECT_EQ(redact(QStringLiteral("Authorization: Bearer sk-proj-abcdefghijklmnop1234")),
              QStringLiteral("Authorization: Bearer ***"));
    EXPECT_EQ(redact(QStringLiteral("authorization: Basic dXNlcjpwYXNz")),
              QStringLiteral("authorization: Basic ***"));
    EXPECT_EQ(redact(QStringLiteral(R"({"Authorization": "Bearer abc.def", "model": "gpt-4o"})")),
              QStringLiteral(R"({"Authorization": "Bearer ***", "model": "gpt-4o"})"));
}

TEST(SecretStoreTest, RedactsApiKeyHeadersAndFields)
{
    EXPECT_EQ(redact(QStringLiteral("x-api-key: sk-ant-api03-secretvalue")),
              QStringLiteral("x-api-key: ***"));
    EXPECT_EQ(redact(QStringLiteral("api-key: 0123456789abcdef0123456789abcdef")),
              QStringLiteral("api-key: ***"));
    EXPECT_EQ(redact(QStringLiteral(R"({"headers": {"x-api-key": "abc123"}})")),
              QStringLiteral(R"({"headers": {"x-api-key": "***"}})"));
    EXPECT_EQ(redact(QStringLiteral("OPENAI_API_KEY=sk-live-value")),
              QStringLiteral("OPENAI_API_KEY=***"));
    EXPECT_EQ(redact(QStringLiteral("GET https://x.example/v1/models?key=AIzaSyQ&alt=json")),
              QStringLiteral("GET https://x.example/v1/models?key=***&alt=json"));
    EXPECT_EQ(redact(QStringLiteral("oops sk-proj-ABCDEFGHIJKLMNOPQRSTUV leaked")),
              QStringLiteral("oops sk-proj-*** leaked"));
}

TEST(SecretStoreTest, RedactionLeavesOrdinaryTextAlone)
{
    const QString config = QStringLiteral(
        R"({"key_env_var": "OPENAI_API_KEY", "max_tokens": 100, "prompt": "a key idea"})");
    EXPECT_EQ(redact(config), config);
    const QString extra = QStringLiteral("the word sk-short is fine");
    EXPECT_EQ(redact(extra), extra);
    EXPECT_EQ(redact(QStringLiteral("value tok-123456789 here"), {QStringLiteral("tok-123456789")}),
              QStringLiteral("value *** here"));
    EXPECT_EQ(redact(QStringLiteral("short abc"), {QStringLiteral("abc")}),
              QStringLiteral("short abc"))
        << "too-short values are not masked";
    EXPECT_EQ(redact(QByteArray("Authorization: Bearer zzz")),
              QByteArray("Authorization: Bearer ***"));
}

TEST(SecretStoreTest, HeaderHelpers)
{
    EXPECT_TRUE(isSensitiveHeader("Authorization"));
    EXPECT_TRUE(isSensitiveHeader("X-Api-Key"));
    EXPECT_TRUE(isSensitiveHeader("api-key"));
    EXPECT_FALSE(isSensitiveHeader("Content-Type"));
    EXPECT_EQ(redactHeaderValue("Authorization", "Bearer sk-abc"), QByteArray("Bearer ***"));
    EXPECT_EQ(redactHeaderValue("x-api-key", "sk-ant-xyz"), QByteArray("***"));
    EXPECT_EQ(redactHeaderValue("Content-Type", "application/json"),
              QByteArray("application/json"));
    EXPECT_EQ(maskSecret(QStringLiteral("sk-proj-abcdefghwxyz")),
              QStringLiteral("sk-pr\u2026wxyz"));
    EXPECT_EQ(maskSecret(QStringLiteral("short")), QStringLiteral("***"));
}
