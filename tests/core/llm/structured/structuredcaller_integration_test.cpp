// StructuredCaller + LlmClient + the real HTTP providers against the loopback server: every
// content fault of the wire ends in valid JSON or a clear failure.

#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::LlmTestServer;
using crucible::test::LlmTestServerThread;
using crucible::test::TempFolder;
namespace Fault = crucible::test::Fault;

namespace {

const nlohmann::json kSchema = nlohmann::json::parse(R"({
    "type": "object",
    "required": ["title", "steps"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "steps": {"type": "array", "minItems": 1, "items": {"type": "string"}}
    }})");

class StructuredWire : public ::testing::TestWithParam<ProviderType>
{
protected:
    void SetUp() override
    {
        ProviderConfig c;
        if (GetParam() == ProviderType::Anthropic) {
            c = ProviderConfig::fromPreset(ProviderPreset::Anthropic, QStringLiteral("claude"));
            c.baseUrl = m_server.server().baseUrl().toString();
        } else {
            c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("local"));
            c.baseUrl = m_server.server().openAiBaseUrl().toString();
        }
        c.defaultModel = QStringLiteral("test-model");
        c.maxRetries = 2;
        std::shared_ptr<LlmProvider> provider;
        if (GetParam() == ProviderType::Anthropic)
            provider = std::make_shared<AnthropicProvider>(c, QStringLiteral("k"));
        else
            provider = std::make_shared<OpenAiProvider>(c, QString());
        m_client.addProvider(provider);
        m_client.setLedger(m_ws.get());
        m_client.setRetryBackoff(1, 5);
        m_providerId = c.id;
        // A model that follows the schema (Anthropic gets it in the system prompt, which the
        // test server cannot read); the faults below spoil this answer on the wire.
        m_server.server().setAnswerHandler([](const nlohmann::json &) {
            return QByteArrayLiteral(R"({"title": "Bake sale", "steps": ["Bake", "Sell"]})");
        });
    }

    StructuredOutcome run()
    {
        StructuredCallSpec spec;
        spec.call.providerId = m_providerId;
        spec.call.request = ChatRequest::simple(QStringLiteral("Plan the steps of a bake sale"));
        spec.call.request.maxTokens = 400;
        spec.call.useCache = false;
        spec.schema = kSchema;
        spec.schemaName = QStringLiteral("plan");
        StructuredCaller caller(m_client, m_templates);
        return QCoro::waitFor(caller.call(spec));
    }

    LlmTestServerThread m_server;
    TempFolder m_dir;
    std::unique_ptr<Workspace> m_ws = Workspace::create(m_dir.file(QStringLiteral("w.crucible")));
    LlmClient m_client{PriceTable::builtIn()};
    PromptTemplates m_templates{QString()};
    QString m_providerId;
};

} // namespace

TEST_P(StructuredWire, FencedAndProseWrappedAnswersAreExtracted)
{
    m_server.server().pushFault(Fault::FencedJson{});
    auto out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 0);
    m_server.server().pushFault(Fault::ProseWrappedJson{});
    out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 0);
}

TEST_P(StructuredWire, MalformedAndEmptyAnswersAreRepaired)
{
    m_server.server().pushFault(Fault::MalformedJson{});
    auto out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 1);
    m_server.server().pushFault(Fault::EmptyContent{});
    out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 1);
    LlmCallFilter invalid;
    invalid.status = QStringLiteral("invalid");
    EXPECT_EQ(LlmCallRepository(*m_ws).count(invalid), 2);
}

TEST_P(StructuredWire, TruncatedAnswerIsRetriedWithMoreRoom)
{
    m_server.server().pushFault(Fault::Truncated{});
    const auto out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.truncationRetries, 1);
}

TEST_P(StructuredWire, RateLimitsAndServerErrorsAreRetriedUnderneath)
{
    m_server.server().pushFault(Fault::RateLimited{0, 20});
    m_server.server().pushFault(Fault::ServerError{503});
    const auto out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(LlmCallRepository(*m_ws).count(), 3);
}

TEST_P(StructuredWire, AnAnswerThatNeverValidatesFailsWithoutAValue)
{
    for (int i = 0; i < 3; ++i)
        m_server.server().pushFault(Fault::MalformedJson{});
    const auto out = run();
    EXPECT_FALSE(out.ok());
    EXPECT_FALSE(out.value);
    EXPECT_EQ(out.error.kind, LlmError::Kind::InvalidOutput);
    EXPECT_TRUE(out.error.describe().contains(QStringLiteral("plan")));
}

INSTANTIATE_TEST_SUITE_P(Providers, StructuredWire,
                         ::testing::Values(ProviderType::OpenAiCompatible, ProviderType::Anthropic),
                         [](const auto &info) {
                             return info.param == ProviderType::Anthropic ? std::string("Anthropic")
                                                                          : std::string("OpenAi");
                         });
