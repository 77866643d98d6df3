// StructuredCaller + LlmClient + the HTTP providers against the loopback server: which
// structured mode answered is recorded in the ledger, a rejected mode falls back at once (the
// refused attempt stays in the ledger with why), and the answer is still validated.

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
using crucible::test::LlmTestServerThread;
using crucible::test::TempFolder;
using nlohmann::json;

namespace {

const json kSchema = json::parse(R"({
    "type": "object",
    "required": ["title", "steps"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "steps": {"type": "array", "minItems": 1, "items": {"type": "string"}}
    }})");

class StructuredModesTest : public ::testing::TestWithParam<ProviderType>
{
protected:
    void SetUp() override
    {
        m_client.setLedger(m_ws.get());
        m_client.setRetryBackoff(1, 5);
        m_server.server().setAnswerHandler([](const json &) {
            return QByteArrayLiteral(R"({"title": "Bake sale", "steps": ["Bake", "Sell"]})");
        });
    }

    bool anthropic() const { return GetParam() == ProviderType::Anthropic; }

    void addProvider(std::optional<StructuredMode> setting = std::nullopt)
    {
        ProviderConfig c;
        if (anthropic()) {
            c = ProviderConfig::fromPreset(ProviderPreset::Anthropic, QStringLiteral("claude"));
            c.baseUrl = m_server.server().baseUrl().toString();
        } else {
            c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("local"));
            c.baseUrl = m_server.server().openAiBaseUrl().toString();
        }
        c.defaultModel = QStringLiteral("test-model");
        c.maxRetries = 0; // a fallback is not a retry: it must happen without one
        c.structuredOutput = setting;
        if (anthropic())
            m_client.addProvider(std::make_shared<AnthropicProvider>(c, QStringLiteral("k")));
        else
            m_client.addProvider(std::make_shared<OpenAiProvider>(c, QString()));
        m_providerId = c.id;
    }

    StructuredOutcome run(const QString &prompt = QStringLiteral("Plan a bake sale"),
                          bool useCache = false)
    {
        StructuredCallSpec spec;
        spec.call.providerId = m_providerId;
        spec.call.request = ChatRequest::simple(prompt);
        spec.call.request.maxTokens = 400;
        spec.call.useCache = useCache;
        spec.schema = kSchema;
        spec.schemaName = QStringLiteral("plan");
        StructuredCaller caller(m_client, m_templates);
        StructuredOutcome out = QCoro::waitFor(caller.call(spec));
        m_client.flushLedger();
        return out;
    }

    // Oldest first.
    std::vector<LlmCallSummary> ledger() const
    {
        std::vector<LlmCallSummary> rows = LlmCallRepository(*m_ws).page({}, 100);
        std::reverse(rows.begin(), rows.end());
        return rows;
    }

    StructuredMode native() const
    {
        return anthropic() ? StructuredMode::Tool : StructuredMode::JsonSchema;
    }

    LlmTestServerThread m_server;
    TempFolder m_dir;
    std::unique_ptr<Workspace> m_ws = Workspace::create(m_dir.file(QStringLiteral("w.crucible")));
    LlmClient m_client{PriceTable::builtIn()};
    PromptTemplates m_templates{QString()};
    QString m_providerId;
};

} // namespace

TEST_P(StructuredModesTest, TheNativeModeAnswersAndTheLedgerSaysSo)
{
    addProvider();
    const StructuredOutcome out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.structuredMode, native());
    EXPECT_EQ((*out.value)["title"], "Bake sale");
    EXPECT_EQ(out.repairs, 0);

    const auto rows = ledger();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, QStringLiteral("ok"));
    EXPECT_EQ(rows[0].structuredMode, structuredModeName(native()));
    const auto call = LlmCallRepository(*m_ws).get(rows[0].id);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->structuredMode, structuredModeName(native()));
    EXPECT_EQ(call->toJson()["structured_mode"], structuredModeName(native()).toStdString());

    const json body = m_server.server().lastRequest()->json();
    if (anthropic()) {
        EXPECT_EQ(body["tools"][0]["input_schema"], kSchema);
        EXPECT_EQ(body["tool_choice"], json({{"type", "tool"}, {"name", "plan"}}));
    } else {
        EXPECT_EQ(body["response_format"]["type"], "json_schema");
        EXPECT_EQ(body["response_format"]["json_schema"]["schema"], kSchema);
    }
}

TEST_P(StructuredModesTest, ARejectedModeFallsBackAtOnceAndTheLedgerKeepsBothAttempts)
{
    // Anthropic: a gateway without tools. OpenAI-compatible: a server without response_format.
    m_server.server().setRejected(true, true, true);
    addProvider();
    const StructuredOutcome out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.structuredMode, StructuredMode::Prompt);

    const auto rows = ledger();
    const std::size_t refused = anthropic() ? 1 : 2; // json_schema, then json_object
    ASSERT_EQ(rows.size(), refused + 1);
    for (std::size_t i = 0; i < refused; ++i) {
        EXPECT_EQ(rows[i].status, QStringLiteral("error"));
        EXPECT_EQ(rows[i].httpStatus, 400);
        EXPECT_TRUE(rows[i].error.contains(QStringLiteral("falls back")))
            << rows[i].error.toStdString();
    }
    EXPECT_EQ(rows[0].structuredMode, structuredModeName(native()));
    if (!anthropic()) {
        EXPECT_EQ(rows[1].structuredMode, QStringLiteral("json_object"));
    }
    EXPECT_EQ(rows.back().status, QStringLiteral("ok"));
    EXPECT_EQ(rows.back().structuredMode, QStringLiteral("prompt"));
    EXPECT_EQ(rows.back().attempt, int(refused) + 1);

    // The provider remembers: the next call goes straight to the prompt.
    const StructuredOutcome again = run(QStringLiteral("Plan a car wash"));
    ASSERT_TRUE(again.ok()) << again.error.describe().toStdString();
    EXPECT_EQ(ledger().size(), refused + 2);
    EXPECT_EQ(ledger().back().structuredMode, QStringLiteral("prompt"));
}

TEST_P(StructuredModesTest, NativeAnswersAreStillValidatedAndRepaired)
{
    addProvider();
    int calls = 0;
    m_server.server().setAnswerHandler([&calls](const json &) {
        // First a schema-shaped object that breaks minItems, then a good one.
        return ++calls == 1 ? QByteArrayLiteral(R"({"title": "Bake sale", "steps": []})")
                            : QByteArrayLiteral(R"({"title": "Bake sale", "steps": ["Bake"]})");
    });
    const StructuredOutcome out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 1);
    const auto rows = ledger();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].status, QStringLiteral("invalid"));
    EXPECT_EQ(rows[0].structuredMode, structuredModeName(native()));
    EXPECT_EQ(rows[1].status, QStringLiteral("ok"));
}

TEST_P(StructuredModesTest, ACacheHitRecordsTheModeOfTheAnswerItReplays)
{
    addProvider();
    ASSERT_TRUE(run(QStringLiteral("Plan a fair"), true).ok());
    const StructuredOutcome hit = run(QStringLiteral("Plan a fair"), true);
    ASSERT_TRUE(hit.ok());
    EXPECT_TRUE(hit.cacheHit);
    EXPECT_EQ(hit.structuredMode, native());
    const auto rows = ledger();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[1].cacheHit);
    EXPECT_EQ(rows[1].structuredMode, structuredModeName(native()));
}

TEST_P(StructuredModesTest, TheConfiguredPromptModeIsRecordedAsPrompt)
{
    addProvider(StructuredMode::Prompt);
    const StructuredOutcome out = run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.structuredMode, StructuredMode::Prompt);
    EXPECT_EQ(ledger().back().structuredMode, QStringLiteral("prompt"));
    const json body = m_server.server().lastRequest()->json();
    EXPECT_FALSE(body.contains("tools"));
    EXPECT_FALSE(body.contains("response_format"));
}

TEST_P(StructuredModesTest, TextCallsRecordNoMode)
{
    addProvider();
    LlmCallSpec spec;
    spec.providerId = m_providerId;
    spec.request = ChatRequest::simple(QStringLiteral("Say hello"));
    const LlmCallOutcome out = QCoro::waitFor(m_client.call(spec));
    m_client.flushLedger();
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result.structuredMode, StructuredMode::None);
    EXPECT_TRUE(ledger().back().structuredMode.isEmpty());
    EXPECT_FALSE(LlmCallRepository(*m_ws).get(out.callId)->toJson().contains("structured_mode"));
}

INSTANTIATE_TEST_SUITE_P(Providers, StructuredModesTest,
                         ::testing::Values(ProviderType::Anthropic, ProviderType::OpenAiCompatible),
                         [](const auto &info) {
                             return info.param == ProviderType::Anthropic
                                        ? std::string("Anthropic")
                                        : std::string("OpenAiCompatible");
                         });
