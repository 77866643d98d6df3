#include "core/llm/providers/providerconfig.h"
#include "core/llm/providers/providerpresets.h"
#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/memorysecretstore.h"

#include <QCoro/QCoroTask>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <set>

using namespace crucible;
using nlohmann::json;

namespace {

QString normalized(const QString &input)
{
    const NormalizedUrl n = normalizeBaseUrl(input);
    return n.ok() ? n.url.toString() : QStringLiteral("error: ") + n.error;
}

QString chatUrl(const ProviderConfig &c)
{
    return resolvedUrl(c, Endpoint::Chat).toString();
}
QString modelsUrl(const ProviderConfig &c)
{
    return resolvedUrl(c, Endpoint::Models).toString();
}

// The field names of the issues a ValidationError carries.
std::vector<QString> failingFields(const json &j, const QString &path = {})
{
    try {
        (void)ProviderConfig::fromJson(j, path);
    } catch (const ValidationError &e) {
        std::vector<QString> fields;
        for (const auto &issue : e.issues())
            fields.push_back(issue.field);
        return fields;
    }
    return {};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

TEST(ProviderConfigTest, NormalizesBaseUrls)
{
    EXPECT_EQ(normalized(QStringLiteral("localhost:11434")),
              QStringLiteral("http://localhost:11434/v1"));
    EXPECT_EQ(normalized(QStringLiteral("api.openai.com")),
              QStringLiteral("https://api.openai.com/v1"));
    EXPECT_EQ(normalized(QStringLiteral(" https://api.openai.com/v1/ ")),
              QStringLiteral("https://api.openai.com/v1"));
    EXPECT_EQ(normalized(QStringLiteral("https://api.openai.com/v1///")),
              QStringLiteral("https://api.openai.com/v1"));
    EXPECT_EQ(normalized(QStringLiteral("http://127.0.0.1:8080/v1/chat/completions")),
              QStringLiteral("http://127.0.0.1:8080/v1"));
    EXPECT_EQ(normalized(QStringLiteral("openrouter.ai/api")),
              QStringLiteral("https://openrouter.ai/api/v1"));
    EXPECT_EQ(normalized(QStringLiteral("https://gw.example.com/v1beta/openai/")),
              QStringLiteral("https://gw.example.com/v1beta/openai"));
    EXPECT_EQ(normalized(QStringLiteral("http://gw.example.com:9000/custom/path#")),
              QStringLiteral("http://gw.example.com:9000/custom/path"));
    EXPECT_EQ(normalized(QStringLiteral("192.168.1.20:1234")),
              QStringLiteral("http://192.168.1.20:1234/v1"));
    EXPECT_EQ(normalized(QStringLiteral("[::1]:8000")), QStringLiteral("http://[::1]:8000/v1"));
    EXPECT_EQ(normalized(QStringLiteral("gpu-box:8000")), QStringLiteral("http://gpu-box:8000/v1"));
    EXPECT_EQ(normalized(QStringLiteral("HTTP://LocalHost:1234")),
              QStringLiteral("http://localhost:1234/v1"));

    EXPECT_TRUE(normalized(QString()).startsWith(QStringLiteral("error: is empty")));
    EXPECT_TRUE(
        normalized(QStringLiteral("ftp://example.com")).contains(QStringLiteral("http://")));
    EXPECT_TRUE(normalized(QStringLiteral("https://user:sk-secret@example.com"))
                    .contains(QStringLiteral("user name or password")));

    const NormalizedUrl n = normalizeBaseUrl(QStringLiteral("localhost:11434"));
    EXPECT_TRUE(n.notes.contains(QStringLiteral("added /v1")));
    EXPECT_TRUE(n.notes.contains(QStringLiteral("assumed http://")));
}

TEST(ProviderConfigTest, ResolvesRequestUrls)
{
    const ProviderConfig openai = ProviderConfig::fromPreset(ProviderPreset::OpenAi);
    EXPECT_EQ(chatUrl(openai), QStringLiteral("https://api.openai.com/v1/chat/completions"));
    EXPECT_EQ(modelsUrl(openai), QStringLiteral("https://api.openai.com/v1/models"));

    ProviderConfig anthropic = ProviderConfig::fromPreset(ProviderPreset::Anthropic);
    EXPECT_EQ(chatUrl(anthropic), QStringLiteral("https://api.anthropic.com/v1/messages"));
    anthropic.baseUrl = QStringLiteral("api.anthropic.com/");
    EXPECT_EQ(chatUrl(anthropic), QStringLiteral("https://api.anthropic.com/v1/messages"));
    EXPECT_EQ(modelsUrl(anthropic), QStringLiteral("https://api.anthropic.com/v1/models"));

    ProviderConfig ollama = ProviderConfig::fromPreset(ProviderPreset::Ollama);
    ollama.baseUrl = QStringLiteral("localhost:11434");
    EXPECT_EQ(chatUrl(ollama), QStringLiteral("http://localhost:11434/v1/chat/completions"));

    ProviderConfig azure = ProviderConfig::fromPreset(ProviderPreset::AzureOpenAi);
    azure.baseUrl = QStringLiteral("myres");
    azure.azureDeployment = QStringLiteral("gpt4o-prod");
    azure.azureApiVersion = QStringLiteral("2024-10-21");
    EXPECT_EQ(chatUrl(azure),
              QStringLiteral("https://myres.openai.azure.com/openai/deployments/gpt4o-prod/"
                             "chat/completions?api-version=2024-10-21"));
    EXPECT_EQ(
        modelsUrl(azure),
        QStringLiteral("https://myres.openai.azure.com/openai/models?api-version=2024-10-21"));
    azure.baseUrl = QStringLiteral("https://myres.openai.azure.com/");
    EXPECT_EQ(chatUrl(azure),
              QStringLiteral("https://myres.openai.azure.com/openai/deployments/gpt4o-prod/"
                             "chat/completions?api-version=2024-10-21"));
    azure.azureDeployment.clear();
    EXPECT_FALSE(resolvedUrl(azure, Endpoint::Chat).isValid());
    EXPECT_EQ(resolveUrl(azure, Endpoint::Chat).error,
              QStringLiteral("Azure OpenAI needs a deployment name"));
    EXPECT_TRUE(resolvedUrl(azure, Endpoint::Models).isValid());

    const ProviderConfig simulated = ProviderConfig::fromPreset(ProviderPreset::Simulated);
    EXPECT_FALSE(resolvedUrl(simulated, Endpoint::Chat).isValid());
    EXPECT_FALSE(resolveUrl(simulated, Endpoint::Chat).error.isEmpty());

    ProviderConfig broken = openai;
    broken.baseUrl = QStringLiteral("ftp://nowhere");
    EXPECT_FALSE(resolvedUrl(broken, Endpoint::Chat).isValid());
}

TEST(ProviderConfigTest, EveryPresetRoundTripsThroughJson)
{
    std::set<QString> keys;
    for (const auto &info : ProviderPresets::all()) {
        EXPECT_TRUE(keys.insert(info.key).second) << "duplicate key " << info.key.toStdString();
        EXPECT_EQ(ProviderPresets::fromKey(info.key), info.preset);
        ProviderConfig c = ProviderConfig::fromPreset(info.preset);
        if (info.preset == ProviderPreset::AzureOpenAi) {
            c.baseUrl = QStringLiteral("myres");
            c.azureDeployment = QStringLiteral("dep");
        }
        if (info.preset == ProviderPreset::Custom)
            c.baseUrl = QStringLiteral("http://gateway.lan:4000");
        EXPECT_TRUE(c.validate().empty()) << info.key.toStdString() << ": "
                                          << ValidationError(c.validate()).message().toStdString();
        EXPECT_EQ(ProviderConfig::fromJson(c.toJson()), c) << info.key.toStdString();
    }
    EXPECT_FALSE(ProviderPresets::fromKey(QStringLiteral("nope")).has_value());
}

TEST(ProviderConfigTest, CustomValuesRoundTrip)
{
    ProviderConfig c =
        ProviderConfig::fromPreset(ProviderPreset::OpenRouter, QStringLiteral("or-main"));
    c.displayName = QStringLiteral("OpenRouter (team)");
    c.keyEnvVar = QStringLiteral("TEAM_OPENROUTER_KEY");
    c.defaultModel = QStringLiteral("anthropic/claude-sonnet-4");
    c.concurrency = 12;
    c.requestsPerMinute = 500;
    c.tokensPerMinute = 200000;
    c.connectTimeoutMs = 7000;
    c.streamIdleTimeoutMs = 0;
    c.totalTimeoutMs = 300000;
    c.maxRetries = 4;
    c.temperature = 0.7;
    c.maxTokens = 2048;
    c.enabled = false;
    // Headers load back ordered by name (a JSON object); the preset's X-Title sorts last.
    c.extraHeaders.insert(c.extraHeaders.begin(),
                          {QStringLiteral("HTTP-Referer"), QStringLiteral("https://example.org")});
    const ProviderConfig back = ProviderConfig::fromJson(json::parse(c.toJson().dump()));
    EXPECT_EQ(back, c);
    EXPECT_EQ(back.effectiveKeyEnvVar(), QStringLiteral("TEAM_OPENROUTER_KEY"));
    EXPECT_EQ(back.secretLookup().account, QStringLiteral("provider/or-main/api-key"));
}

TEST(ProviderConfigTest, StructuredOutputIsAutoUnlessSetAndMustFitTheType)
{
    ProviderConfig anthropic = ProviderConfig::fromPreset(ProviderPreset::Anthropic);
    EXPECT_FALSE(anthropic.structuredOutput) << "auto by default";
    EXPECT_FALSE(anthropic.toJson().contains("structured_output"));
    anthropic.structuredOutput = StructuredMode::Tool;
    EXPECT_EQ(anthropic.toJson()["structured_output"], "tool");
    EXPECT_EQ(ProviderConfig::fromJson(json::parse(anthropic.toJson().dump())), anthropic);

    json j = ProviderConfig::fromPreset(ProviderPreset::Ollama).toJson();
    j["structured_output"] = "json_object";
    EXPECT_EQ(ProviderConfig::fromJson(j).structuredOutput, StructuredMode::JsonObject);
    j["structured_output"] = "auto";
    EXPECT_FALSE(ProviderConfig::fromJson(j).structuredOutput);

    using Fields = std::vector<QString>;
    j["structured_output"] = "tool";
    EXPECT_EQ(failingFields(j), Fields{QStringLiteral("structured_output")})
        << "tool use is Anthropic's";
    j["structured_output"] = "grammar";
    EXPECT_EQ(failingFields(j), Fields{QStringLiteral("structured_output")});
    json a = ProviderConfig::fromPreset(ProviderPreset::Anthropic).toJson();
    a["structured_output"] = "json_schema";
    EXPECT_EQ(failingFields(a), Fields{QStringLiteral("structured_output")});
    a["structured_output"] = "prompt";
    EXPECT_EQ(ProviderConfig::fromJson(a).structuredOutput, StructuredMode::Prompt);
}

TEST(ProviderConfigTest, MissingFieldsTakePresetDefaults)
{
    const ProviderConfig c = ProviderConfig::fromJson(json{{"id", "local"}, {"preset", "ollama"}});
    EXPECT_EQ(c, ProviderConfig::fromPreset(ProviderPreset::Ollama, QStringLiteral("local")));
    EXPECT_EQ(chatUrl(c), QStringLiteral("http://127.0.0.1:11434/v1/chat/completions"));
    EXPECT_FALSE(c.keyRequired());
    EXPECT_TRUE(c.effectiveKeyEnvVar().isEmpty());
    EXPECT_EQ(ProviderConfig::fromPreset(ProviderPreset::OpenAi).effectiveKeyEnvVar(),
              QStringLiteral("OPENAI_API_KEY"));
    EXPECT_EQ(ProviderConfig::fromPreset(ProviderPreset::Anthropic).effectiveKeyEnvVar(),
              QStringLiteral("ANTHROPIC_API_KEY"));
    EXPECT_EQ(ProviderConfig::fromPreset(ProviderPreset::OpenRouter).effectiveKeyEnvVar(),
              QStringLiteral("OPENROUTER_API_KEY"));
}

TEST(ProviderConfigTest, ValidationErrorsNameTheField)
{
    const json base = ProviderConfig::fromPreset(ProviderPreset::OpenAi).toJson();
    auto with = [&base](const char *field, json value) {
        json j = base;
        j[field] = std::move(value);
        return j;
    };
    using Fields = std::vector<QString>;
    EXPECT_EQ(failingFields(with("base_url", "ftp://x"), QStringLiteral("providers[2]")),
              Fields{QStringLiteral("providers[2].base_url")});
    EXPECT_EQ(failingFields(with("concurrency", 0)), Fields{QStringLiteral("concurrency")});
    EXPECT_EQ(failingFields(with("concurrency", "many")), Fields{QStringLiteral("concurrency")});
    EXPECT_EQ(failingFields(with("max_retries", 50)), Fields{QStringLiteral("max_retries")});
    EXPECT_EQ(failingFields(with("temperature", 3.5)), Fields{QStringLiteral("temperature")});
    EXPECT_EQ(failingFields(with("temperature", "hot")), Fields{QStringLiteral("temperature")});
    EXPECT_EQ(failingFields(with("max_tokens", 0)), Fields{QStringLiteral("max_tokens")});
    EXPECT_EQ(failingFields(with("stream_idle_timeout_ms", -1)),
              Fields{QStringLiteral("stream_idle_timeout_ms")});
    EXPECT_EQ(failingFields(with("key_env_var", "sk-proj-abc123")),
              Fields{QStringLiteral("key_env_var")});
    EXPECT_EQ(failingFields(with("preset", "acme")), Fields{QStringLiteral("preset")});
    EXPECT_EQ(failingFields(with("type", "anthropic")), Fields{QStringLiteral("type")});
    EXPECT_EQ(failingFields(with("id", "bad id!")), Fields{QStringLiteral("id")});
    EXPECT_EQ(failingFields(with("extra_headers", json{{"Authorization", "Bearer x"}})),
              Fields{QStringLiteral("extra_headers.Authorization")});
    EXPECT_EQ(failingFields(with("extra_headers", json{{"X-Title", 3}})),
              Fields{QStringLiteral("extra_headers.X-Title")});
    json noId = base;
    noId.erase("id");
    EXPECT_EQ(failingFields(noId), Fields{QStringLiteral("id")});

    json azure = ProviderConfig::fromPreset(ProviderPreset::AzureOpenAi).toJson();
    azure["azure_api_version"] = "latest";
    const Fields fields = failingFields(azure);
    EXPECT_EQ(fields, (Fields{QStringLiteral("base_url"), QStringLiteral("azure_deployment"),
                              QStringLiteral("azure_api_version")}));
}

TEST(ProviderConfigTest, LoopbackCandidatesCoverLocalServers)
{
    const auto candidates = loopbackCandidates();
    std::set<int> ports;
    for (const auto &c : candidates) {
        EXPECT_EQ(c.baseUrl.host(), QStringLiteral("127.0.0.1"));
        EXPECT_TRUE(isLocalHost(c.baseUrl.host()));
        EXPECT_FALSE(c.probeUrl.path().isEmpty());
        ports.insert(c.baseUrl.port());
    }
    EXPECT_EQ(ports, (std::set<int>{11434, 8080, 1234, 8000}));
    EXPECT_EQ(candidates.front().probeUrl.toString(),
              QStringLiteral("http://127.0.0.1:11434/api/version"));
}

TEST(ProviderConfigTest, ClassifiesLocalHosts)
{
    for (const char *host : {"localhost", "127.0.0.1", "::1", "[::1]", "10.1.2.3", "172.20.0.5",
                             "192.168.0.10", "host.docker.internal", "nas.local", "gpu-box"})
        EXPECT_TRUE(isLocalHost(QString::fromUtf8(host))) << host;
    for (const char *host : {"api.openai.com", "8.8.8.8", "172.32.0.1", ""})
        EXPECT_FALSE(isLocalHost(QString::fromUtf8(host))) << host;
}

TEST(ProviderConfigTest, RegistryRoundTripNeverWritesKeys)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config/providers.json"));
    const QString secret = QStringLiteral("sk-proj-NEVER-ON-DISK-0123456789");

    ProviderRegistry registry(path);
    ProviderConfig openai = ProviderConfig::fromPreset(ProviderPreset::OpenAi);
    registry.upsert(openai);
    registry.upsert(ProviderConfig::fromPreset(ProviderPreset::Ollama));
    ProviderConfig azure = ProviderConfig::fromPreset(ProviderPreset::AzureOpenAi);
    azure.baseUrl = QStringLiteral("myres");
    azure.azureDeployment = QStringLiteral("gpt4o");
    registry.upsert(azure);
    // The settings flow: the key goes to the secret store, the config to the registry.
    MemorySecretStore secrets;
    ASSERT_TRUE(QCoro::waitFor(secrets.write(openai.secretLookup(), secret)).ok);

    QString error;
    ASSERT_TRUE(registry.save(&error)) << error.toStdString();
    const QByteArray bytes = readAll(path);
    EXPECT_FALSE(bytes.contains(secret.toUtf8()));
    EXPECT_FALSE(bytes.contains("sk-proj"));
    EXPECT_FALSE(bytes.contains("\"api_key\""));

    ProviderRegistry loaded(path);
    const auto result = loaded.load();
    EXPECT_TRUE(result.ok);
    EXPECT_TRUE(result.errors.isEmpty()) << result.errors.join(u'\n').toStdString();
    ASSERT_EQ(loaded.providers().size(), 3u);
    EXPECT_EQ(loaded.providers(), registry.providers());
    ASSERT_NE(loaded.find(QStringLiteral("azure_openai")), nullptr);
    EXPECT_EQ(loaded.find(QStringLiteral("azure_openai"))->azureDeployment,
              QStringLiteral("gpt4o"));
}

TEST(ProviderConfigTest, RegistryDropsKeysFoundInFileAndKeepsInvalidEntries)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("providers.json"));
    writeAll(path, R"({"version": 1, "providers": [
        {"id": "openai", "preset": "openai", "api_key": "sk-proj-HANDWRITTEN-0123456789"},
        {"id": "broken", "preset": "custom", "base_url": "ftp://nowhere", "apiKey": "sk-x-123456789"}
    ]})");
    ProviderRegistry registry(path);
    const auto result = registry.load();
    EXPECT_TRUE(result.ok);
    ASSERT_EQ(registry.providers().size(), 1u);
    EXPECT_EQ(registry.providers().front().id, QStringLiteral("openai"));
    ASSERT_EQ(result.warnings.size(), 2);
    EXPECT_TRUE(result.warnings.front().contains(QStringLiteral("providers[0].api_key")));
    ASSERT_EQ(result.errors.size(), 1);
    EXPECT_TRUE(result.errors.front().contains(path));
    EXPECT_TRUE(result.errors.front().contains(QStringLiteral("providers[1].base_url")))
        << result.errors.front().toStdString();

    ASSERT_TRUE(registry.save());
    const QByteArray bytes = readAll(path);
    EXPECT_FALSE(bytes.contains("HANDWRITTEN"));
    EXPECT_FALSE(bytes.contains("sk-x-123456789"));
    EXPECT_TRUE(bytes.contains("ftp://nowhere")) << "an invalid entry is kept for the user to fix";
}

TEST(ProviderConfigTest, RegistryReportsUnreadableFilesAndManagesIds)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ProviderRegistry missing(dir.filePath(QStringLiteral("none.json")));
    EXPECT_TRUE(missing.load().ok);
    EXPECT_TRUE(missing.providers().empty());

    const QString path = dir.filePath(QStringLiteral("bad.json"));
    writeAll(path, "{ not json");
    ProviderRegistry bad(path);
    const auto result = bad.load();
    EXPECT_FALSE(result.ok);
    ASSERT_EQ(result.errors.size(), 1);
    EXPECT_TRUE(result.errors.front().contains(path));

    ProviderRegistry registry(dir.filePath(QStringLiteral("ids.json")));
    registry.upsert(ProviderConfig::fromPreset(ProviderPreset::OpenAi));
    EXPECT_EQ(registry.uniqueId(QStringLiteral("openai")), QStringLiteral("openai-2"));
    EXPECT_EQ(registry.uniqueId(QStringLiteral("ollama")), QStringLiteral("ollama"));
    ProviderConfig invalid =
        ProviderConfig::fromPreset(ProviderPreset::OpenAi, QStringLiteral("x"));
    invalid.concurrency = 0;
    EXPECT_THROW(registry.upsert(invalid), ValidationError);
    EXPECT_TRUE(registry.remove(QStringLiteral("openai")));
    EXPECT_FALSE(registry.remove(QStringLiteral("openai")));

    const QString defaultPath = ProviderRegistry::defaultFilePath();
    EXPECT_TRUE(defaultPath.endsWith(QStringLiteral("/providers.json")));
    EXPECT_TRUE(defaultPath.startsWith(
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)));
}
