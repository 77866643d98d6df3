#include "core/llm/llmclient.h"
#include "core/llm/moneyformat.h"
#include "core/llm/providers/providerpresets.h"

#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <QTimer>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::ScriptedProvider;
using crucible::test::TempFolder;

namespace {

PriceTable testPrices()
{
    return PriceTable::fromJson(nlohmann::json::parse(R"({"as_of": "2026-01-01", "models": {
        "priced-model": {"input_per_token": 0.001, "output_per_token": 0.002}}})"));
}

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("l.crucible")));
    LlmClient client{testPrices()};
    std::shared_ptr<ScriptedProvider> provider;

    // A cloud preset: priced from the table by model name (a Custom one carries its own price).
    explicit Fixture(const QString &model = QStringLiteral("priced-model"),
                     ProviderPreset preset = ProviderPreset::OpenAi)
    {
        ProviderConfig c = ProviderConfig::fromPreset(preset, QStringLiteral("p"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = model;
        c.concurrency = 4;
        c.maxRetries = 3;
        provider = std::make_shared<ScriptedProvider>(c);
        client.addProvider(provider);
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 5);
    }

    LlmCallOutcome call(const QString &prompt, bool useCache = true, int sampleIndex = 0)
    {
        LlmCallSpec spec;
        spec.providerId = QStringLiteral("p");
        spec.request = ChatRequest::simple(prompt);
        spec.request.sampleIndex = sampleIndex;
        spec.useCache = useCache;
        spec.jobId = QStringLiteral("job_1");
        return QCoro::waitFor(client.call(spec));
    }
};

} // namespace

TEST(LlmClient, RecordsCallsAndAnswersRepeatsFromTheCacheAtZeroCost)
{
    Fixture f;
    f.provider->pushOk(QStringLiteral("forty-two"), 0, 1000, 500);
    const auto first = f.call(QStringLiteral("the question"));
    ASSERT_TRUE(first.ok()) << first.error().describe().toStdString();
    EXPECT_FALSE(first.cacheHit);
    ASSERT_TRUE(first.costUsd);
    EXPECT_DOUBLE_EQ(*first.costUsd, 1000 * 0.001 + 500 * 0.002);

    const auto second = f.call(QStringLiteral("the question"));
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second.cacheHit);
    EXPECT_EQ(second.text(), QStringLiteral("forty-two"));
    EXPECT_EQ(*second.costUsd, 0.0);
    EXPECT_EQ(f.provider->calls(), 1); // no second request

    LlmCallRepository repo(*f.ws);
    EXPECT_EQ(repo.count(), 2);
    const auto totals = repo.totals();
    EXPECT_EQ(totals.cacheHits, 1);
    EXPECT_DOUBLE_EQ(totals.costUsd, 2.0);
    const auto rows = repo.page({}, 10);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].cacheHit); // newest first
    EXPECT_EQ(rows[1].tokensIn, 1000);
    EXPECT_EQ(rows[1].model, QStringLiteral("priced-model"));
    EXPECT_EQ(rows[1].jobId, QStringLiteral("job_1"));
    const auto stored = repo.get(rows[1].id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->request["messages"][0]["content"], "the question");
}

TEST(LlmClient, SampleIndexAndNoCacheBypassTheCache)
{
    Fixture f;
    f.call(QStringLiteral("q"));
    f.call(QStringLiteral("q"), true, 1); // another sample of the same prompt
    f.call(QStringLiteral("q"), false);   // --no-cache
    EXPECT_EQ(f.provider->calls(), 3);
    f.call(QStringLiteral("q"), true, 1);
    EXPECT_EQ(f.provider->calls(), 3);
}

TEST(LlmClient, RetriesTransientFailuresAndRecordsEveryAttempt)
{
    Fixture f;
    f.provider->pushError(LlmError::Kind::Http, 429, 0, 2);
    f.provider->pushError(LlmError::Kind::Http, 503);
    f.provider->pushError(LlmError::Kind::Connection);
    f.provider->pushOk(QStringLiteral("finally"));
    const auto out = f.call(QStringLiteral("q"));
    ASSERT_TRUE(out.ok()) << out.error().describe().toStdString();
    EXPECT_EQ(out.attempts, 4);
    EXPECT_EQ(out.text(), QStringLiteral("finally"));
    LlmCallRepository repo(*f.ws);
    LlmCallFilter errors;
    errors.errorsOnly = true;
    EXPECT_EQ(repo.count(errors), 3);
    const auto rows = repo.page({}, 10);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].attempt, 4);
    EXPECT_EQ(rows[3].httpStatus, 429);
    EXPECT_EQ(f.client.scheduler().stats(QStringLiteral("p")).rateLimitCuts, 1);
}

TEST(LlmClient, GivesUpAfterMaxRetriesWithProviderStatusAndRequestId)
{
    Fixture f;
    for (int i = 0; i < 4; ++i)
        f.provider->pushError(LlmError::Kind::Http, 500);
    const auto out = f.call(QStringLiteral("q"));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.attempts, 4);
    const QString text = out.error().describe();
    EXPECT_TRUE(text.contains(QStringLiteral("HTTP 500"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("req_scripted_4"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("after 4 attempts"))) << text.toStdString();
    EXPECT_TRUE(text.startsWith(QStringLiteral("p (priced-model)"))) << text.toStdString();
}

TEST(LlmClient, DoesNotRetryAuthErrors)
{
    Fixture f;
    f.provider->pushError(LlmError::Kind::Http, 401);
    const auto out = f.call(QStringLiteral("q"));
    EXPECT_FALSE(out.ok());
    EXPECT_EQ(out.attempts, 1);
    EXPECT_EQ(f.provider->calls(), 1);
}

TEST(LlmClient, TokenBudgetStopsCallsBeforeTheyAreSent)
{
    Fixture f;
    auto budget = std::make_shared<LlmBudget>();
    budget->maxTokens = 5000;
    LlmCallSpec spec;
    spec.providerId = QStringLiteral("p");
    spec.request = ChatRequest::simple(QStringLiteral("q"));
    spec.request.maxTokens = 2000;
    spec.budget = budget;
    ASSERT_TRUE(QCoro::waitFor(f.client.call(spec)).ok());
    EXPECT_EQ(budget->spentTokens(), 15);
    spec.request.maxTokens = 4990; // 15 spent + ~5 in + 4990 out > 5000
    const auto refused = QCoro::waitFor(f.client.call(spec));
    EXPECT_EQ(refused.error().kind, LlmError::Kind::Budget);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("token budget of 5000")))
        << refused.error().message.toStdString();
    EXPECT_EQ(f.provider->calls(), 1);
    EXPECT_EQ(budget->reservedTokens(), 0);
}

TEST(LlmClient, UsdBudgetRefusesUnpricedModelsAndExpensiveCalls)
{
    Fixture unpriced(QStringLiteral("mystery-model"));
    unpriced.client.sessionBudget().maxUsd = 1.0;
    const auto out = unpriced.call(QStringLiteral("q"));
    EXPECT_EQ(out.error().kind, LlmError::Kind::Budget);
    EXPECT_TRUE(out.error().message.contains(QStringLiteral("no price")));
    EXPECT_EQ(unpriced.provider->calls(), 0);

    Fixture priced;
    priced.client.sessionBudget().maxUsd = 1.0;
    // 4096 assumed output tokens at $0.002 = $8 > $1.
    const auto expensive = priced.call(QStringLiteral("q"));
    EXPECT_EQ(expensive.error().kind, LlmError::Kind::Budget);
    EXPECT_TRUE(expensive.error().message.contains(QStringLiteral("$1.00")))
        << expensive.error().message.toStdString();
}

TEST(LlmClient, UnpricedModelsAreNeverShownAsFree)
{
    Fixture f(QStringLiteral("mystery-model"));
    const auto out = f.call(QStringLiteral("q"));
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out.costUsd);
    LlmCallRepository repo(*f.ws);
    EXPECT_FALSE(repo.page({}, 1).front().costUsd);
    EXPECT_EQ(repo.totals().unpricedCalls, 1);
    EXPECT_EQ(f.client.sessionStats().unpricedCalls, 1);
}

TEST(LlmClient, CancelStopsACallInFlightAndCallsWaitingForASlot)
{
    Fixture f;
    f.provider->setDefaultDelay(10'000);
    CancelSource job;
    std::vector<QCoro::Task<LlmCallOutcome>> tasks;
    for (int i = 0; i < 6; ++i) { // concurrency 4: two wait for a slot
        LlmCallSpec spec;
        spec.providerId = QStringLiteral("p");
        spec.request = ChatRequest::simple(QStringLiteral("q%1").arg(i));
        spec.cancel = job.token();
        tasks.push_back(f.client.call(spec));
    }
    QTimer::singleShot(50, job.token().state(), [&] { job.cancel(); });
    for (auto &t : tasks) {
        const auto out = QCoro::waitFor(std::move(t));
        EXPECT_EQ(out.error().kind, LlmError::Kind::Cancelled);
    }
    EXPECT_EQ(f.provider->calls(), 4);
    EXPECT_EQ(f.client.sessionStats().inFlight, 0);
    EXPECT_EQ(f.client.scheduler().stats(QStringLiteral("p")).inFlight, 0);
}

TEST(LlmClient, InvalidAnswersStayFlaggedAndAreReplayedForRepair)
{
    Fixture f;
    const auto first = f.call(QStringLiteral("q"));
    f.client.markInvalid(first.callId, QStringLiteral("/score: must be <= 1"));
    const auto again = f.call(QStringLiteral("q"));
    EXPECT_TRUE(again.cacheHit);
    EXPECT_EQ(f.provider->calls(), 1);
    LlmCallFilter invalid;
    invalid.status = QStringLiteral("invalid");
    EXPECT_EQ(LlmCallRepository(*f.ws).count(invalid), 1);
}

TEST(LlmClient, UnknownProviderIsAConfigurationError)
{
    Fixture f;
    LlmCallSpec spec;
    spec.providerId = QStringLiteral("nope");
    spec.request = ChatRequest::simple(QStringLiteral("q"));
    const auto out = QCoro::waitFor(f.client.call(spec));
    EXPECT_EQ(out.error().kind, LlmError::Kind::Configuration);
    EXPECT_TRUE(out.error().message.contains(QStringLiteral("Settings")));
}

TEST(LlmClient, CacheKeyDependsOnEndpointAndRequestButNotOnStreaming)
{
    ProviderConfig a = ProviderConfig::fromPreset(ProviderPreset::Ollama);
    ProviderConfig b = a;
    b.baseUrl = QStringLiteral("http://otherhost:11434");
    ChatRequest r = ChatRequest::simple(QStringLiteral("x"));
    r.model = QStringLiteral("m");
    ChatRequest streamed = r;
    streamed.stream = true;
    EXPECT_EQ(LlmClient::cacheKey(a, r), LlmClient::cacheKey(a, streamed));
    EXPECT_NE(LlmClient::cacheKey(a, r), LlmClient::cacheKey(b, r));
    ChatRequest warmer = r;
    warmer.temperature = 0.9;
    EXPECT_NE(LlmClient::cacheKey(a, r), LlmClient::cacheKey(a, warmer));
    EXPECT_EQ(LlmClient::cacheKey(a, r).size(), 32);
}

TEST(LlmClient, LocalAndCustomServersUseTheirOwnPriceNotTheTables)
{
    for (const ProviderPreset preset :
         {ProviderPreset::Custom, ProviderPreset::Ollama, ProviderPreset::LlamaCpp,
          ProviderPreset::LmStudio, ProviderPreset::Vllm}) {
        // "priced-model" is in the table, but this server is not that vendor: unpriced.
        Fixture f(QStringLiteral("priced-model"), preset);
        f.provider->pushOk(QStringLiteral("a"), 0, 1000, 500);
        const auto unpriced = f.call(QStringLiteral("q1"));
        ASSERT_TRUE(unpriced.ok());
        EXPECT_FALSE(unpriced.costUsd) << ProviderPresets::key(preset).toStdString();
        EXPECT_EQ(f.client.sessionStats().unpricedCalls, 1);
        EXPECT_EQ(f.client.sessionStats().costUsd, 0.0);
    }

    // The price the user set for the provider: USD per 1M tokens.
    Fixture f(QStringLiteral("priced-model"), ProviderPreset::Ollama);
    ProviderConfig c = f.provider->config();
    c.inputUsdPerMillion = 0.5;
    c.outputUsdPerMillion = 2.0;
    auto priced = std::make_shared<ScriptedProvider>(c);
    f.client.addProvider(priced);
    priced->pushOk(QStringLiteral("b"), 0, 1000, 500);
    const auto own = f.call(QStringLiteral("q2"));
    ASSERT_TRUE(own.costUsd);
    EXPECT_DOUBLE_EQ(*own.costUsd, (1000 * 0.5 + 500 * 2.0) / 1e6);

    // Free (0): "$0", not unpriced.
    c.inputUsdPerMillion = 0.0;
    c.outputUsdPerMillion = 0.0;
    auto free = std::make_shared<ScriptedProvider>(c);
    f.client.addProvider(free);
    const auto zero = f.call(QStringLiteral("q3"));
    ASSERT_TRUE(zero.costUsd);
    EXPECT_EQ(*zero.costUsd, 0.0);
    EXPECT_EQ(formatCallCost(zero.costUsd, zero.cacheHit), QStringLiteral("$0"));
    const auto cached = f.call(QStringLiteral("q3"));
    EXPECT_EQ(formatCallCost(cached.costUsd, cached.cacheHit), QStringLiteral("$0 (cache)"));
}

TEST(LlmClient, CancelledCallsAreNotCountedAsFailures)
{
    Fixture f;
    f.provider->pushError(LlmError::Kind::Http, 500);
    f.provider->pushError(LlmError::Kind::Http, 500);
    f.provider->pushError(LlmError::Kind::Http, 500);
    f.provider->pushError(LlmError::Kind::Http, 500);
    const auto failed = f.call(QStringLiteral("fails"));
    EXPECT_FALSE(failed.ok());
    const qint64 errorsBefore = f.client.sessionStats().errors;
    EXPECT_GT(errorsBefore, 0);

    f.provider->pushError(LlmError::Kind::Cancelled);
    const auto cancelled = f.call(QStringLiteral("stopped"));
    EXPECT_EQ(cancelled.error().kind, LlmError::Kind::Cancelled);
    EXPECT_EQ(f.client.sessionStats().errors, errorsBefore);
    EXPECT_EQ(f.client.sessionStats().cancelled, 1);
}
