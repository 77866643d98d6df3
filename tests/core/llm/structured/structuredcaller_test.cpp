#include "core/llm/structured/structuredcaller.h"

#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::ScriptedProvider;
using crucible::test::TempFolder;

namespace {

const nlohmann::json kSchema = nlohmann::json::parse(R"({
    "type": "object",
    "required": ["title", "score"],
    "additionalProperties": false,
    "properties": {
        "title": {"type": "string", "minLength": 3},
        "score": {"type": "number", "minimum": 0, "maximum": 1}
    }})");

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("s.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates;
    std::shared_ptr<ScriptedProvider> provider;

    Fixture()
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("p"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("m");
        provider = std::make_shared<ScriptedProvider>(c);
        client.addProvider(provider);
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 2);
    }

    StructuredOutcome run(int maxTokens = 100)
    {
        StructuredCallSpec spec;
        spec.call.providerId = QStringLiteral("p");
        spec.call.request = ChatRequest::simple(QStringLiteral("Rate this."));
        spec.call.request.maxTokens = maxTokens;
        spec.schema = kSchema;
        spec.schemaName = QStringLiteral("rating");
        StructuredCaller caller(client, templates);
        return QCoro::waitFor(caller.call(spec));
    }

    void pushTruncated(const QString &text)
    {
        ScriptedProvider::Step step;
        ChatResponse r;
        r.text = text;
        r.finishReason = FinishReason::Length;
        r.rawFinishReason = QStringLiteral("length");
        step.result.response = r;
        provider->push(step);
    }
};

} // namespace

TEST(StructuredCaller, AcceptsFencedJsonAndAsksForNativeStructuredOutput)
{
    Fixture f;
    f.provider->pushOk(QStringLiteral("Here you go:\n```json\n{\"title\": \"Good\", \"score\": "
                                      "0.5}\n```\nHope it helps."));
    const auto out = f.run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ((*out.value)["score"], 0.5);
    EXPECT_EQ(out.repairs, 0);
    ASSERT_EQ(f.provider->requests().size(), 1u);
    EXPECT_EQ(f.provider->requests()[0].format, ResponseFormat::JsonSchema);
    EXPECT_EQ(f.provider->requests()[0].schema, kSchema);
}

TEST(StructuredCaller, RepairsWithTheValidatorMessageAndMarksTheBadAnswerInvalid)
{
    Fixture f;
    f.provider->pushOk(QStringLiteral("{\"title\": \"Good\", \"score\": 7}"));
    f.provider->pushOk(QStringLiteral("{\"title\": \"Good\", \"score\": 0.7}"));
    const auto out = f.run();
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.repairs, 1);
    ASSERT_EQ(out.callIds.size(), 2);
    const auto &second = f.provider->requests()[1];
    ASSERT_EQ(second.messages.size(), 3u);
    EXPECT_EQ(second.messages[1].role, ChatMessage::Role::Assistant);
    EXPECT_TRUE(second.messages[2].content.contains(QStringLiteral("/score")))
        << second.messages[2].content.toStdString();
    EXPECT_TRUE(second.messages[2].content.contains(QStringLiteral("maximum")));
    LlmCallRepository repo(*f.ws);
    const auto bad = repo.get(out.callIds[0]);
    EXPECT_EQ(bad->status, QStringLiteral("invalid"));
    EXPECT_EQ(bad->templateId, QString());
    EXPECT_EQ(repo.get(out.callIds[1])->templateId, QStringLiteral("llm.repair"));
    EXPECT_EQ(repo.get(out.callIds[1])->templateVersion, 1);
}

TEST(StructuredCaller, GivesUpAfterTheRepairBudgetWithoutReturningInvalidData)
{
    Fixture f;
    for (int i = 0; i < 3; ++i)
        f.provider->pushOk(QStringLiteral("{\"title\": \"x\""));
    const auto out = f.run();
    EXPECT_FALSE(out.ok());
    EXPECT_FALSE(out.value);
    EXPECT_EQ(out.error.kind, LlmError::Kind::InvalidOutput);
    EXPECT_EQ(f.provider->calls(), 3);
    EXPECT_FALSE(out.lastErrors.isEmpty());
    LlmCallFilter invalid;
    invalid.status = QStringLiteral("invalid");
    EXPECT_EQ(LlmCallRepository(*f.ws).count(invalid), 3);
}

TEST(StructuredCaller, TruncatedAnswerIsRetriedWithMoreRoomThenFailsClearly)
{
    Fixture f;
    f.pushTruncated(QStringLiteral("{\"title\": \"Go"));
    f.provider->pushOk(QStringLiteral("{\"title\": \"Good\", \"score\": 1}"));
    const auto out = f.run(100);
    ASSERT_TRUE(out.ok()) << out.error.describe().toStdString();
    EXPECT_EQ(out.truncationRetries, 1);
    EXPECT_EQ(f.provider->requests()[1].maxTokens, 200);

    Fixture g;
    g.pushTruncated(QStringLiteral("{\"ti"));
    g.pushTruncated(QStringLiteral("{\"title\": \"Go"));
    const auto failed = g.run(100);
    EXPECT_EQ(failed.error.kind, LlmError::Kind::Truncated);
    EXPECT_TRUE(failed.error.message.contains(QStringLiteral("max_tokens")));
}

TEST(StructuredCaller, ARerunIsAnsweredFromTheCache)
{
    Fixture f;
    f.provider->pushOk(QStringLiteral("{\"title\": \"Good\", \"score\": 9}"));
    f.provider->pushOk(QStringLiteral("{\"title\": \"Good\", \"score\": 0.9}"));
    ASSERT_TRUE(f.run().ok());
    EXPECT_EQ(f.provider->calls(), 2);
    // The invalid first answer and the repair conversation are both replayed from the cache.
    const auto again = f.run();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(f.provider->calls(), 2);
    EXPECT_EQ(again.repairs, 1);
    EXPECT_TRUE(again.cacheHit);
    EXPECT_EQ((*again.value)["score"], 0.9);
}
