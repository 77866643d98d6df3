#include "core/evaluate/pairwisejudge.h"

#include "core/llm/llmscheduler.h"
#include "core/store/workspace.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <QRegularExpression>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

// A judge that reads the two solutions out of the prompt: it prefers the one that says CORRECT,
// or always the first one shown (position bias), or never answers with JSON at all.
class JudgeProvider final : public LlmProvider
{
public:
    enum class Mode { Content, FirstAlways, Invalid };

    JudgeProvider(ProviderConfig config, Mode mode)
        : m_config(std::move(config))
        , m_mode(mode)
    {
    }

    const ProviderConfig &config() const override { return m_config; }
    int calls() const { return m_calls; }
    int maxInFlight() const { return m_maxInFlight; }
    const std::vector<ChatRequest> &requests() const { return m_requests; }

    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override
    {
        ++m_calls;
        m_requests.push_back(request);
        m_maxInFlight = std::max(m_maxInFlight, ++m_inFlight);
        const bool slept = co_await sleepUnlessCancelled(5, options.cancel);
        Q_UNUSED(slept);
        --m_inFlight;
        const QString prompt = request.messages.front().content;
        const QString first = section(prompt, QStringLiteral("first"));
        const QString second = section(prompt, QStringLiteral("second"));
        QString winner = QStringLiteral("tie");
        if (m_mode == Mode::FirstAlways)
            winner = QStringLiteral("first");
        else if (first.contains(u"CORRECT") && !second.contains(u"CORRECT"))
            winner = QStringLiteral("first");
        else if (second.contains(u"CORRECT") && !first.contains(u"CORRECT"))
            winner = QStringLiteral("second");
        const auto score = [](const QString &text) { return text.contains(u"CORRECT") ? 9 : 3; };
        nlohmann::json answer = {
            {"first",
             {{"assessment", "about " + first.left(20).toStdString()}, {"score", score(first)}}},
            {"second",
             {{"assessment", "about " + second.left(20).toStdString()}, {"score", score(second)}}},
            {"rationale", "because " + winner.toStdString()},
            {"winner", winner.toStdString()}};
        ChatResponse r;
        r.text = m_mode == Mode::Invalid ? QStringLiteral("I think the first one is nicer.")
                                         : QString::fromStdString(answer.dump());
        r.usage.inputTokens = 100;
        r.usage.outputTokens = 20;
        r.usage.reported = true;
        r.httpStatus = 200;
        ChatResult result;
        result.response = r;
        co_return result;
    }

    QCoro::Task<ModelsResult> listModels(CancelToken) override { co_return ModelsResult{}; }

private:
    static QString section(const QString &prompt, const QString &which)
    {
        const QRegularExpression re(
            QStringLiteral("=== %1 solution ===\\n(.*)\\n=== End of the "
                           "%2 solution ===")
                .arg(which == u"first" ? QStringLiteral("First") : QStringLiteral("Second"), which),
            QRegularExpression::DotMatchesEverythingOption);
        const auto m = re.match(prompt);
        return m.hasMatch() ? m.captured(1) : QString();
    }

    ProviderConfig m_config;
    Mode m_mode;
    int m_calls = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    std::vector<ChatRequest> m_requests;
};

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("j.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};
    std::shared_ptr<JudgeProvider> provider;

    explicit Fixture(JudgeProvider::Mode mode)
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("j"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("judge-model");
        provider = std::make_shared<JudgeProvider>(c, mode);
        client.addProvider(provider);
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 2);
    }

    PairwiseJudgement judge(const QString &a, const QString &b)
    {
        PairwiseJudgeSpec spec;
        spec.problem.domain = QStringLiteral("logistics");
        spec.problem.statement = QStringLiteral("Route three trucks through five depots.");
        spec.problem.constraints = {QStringLiteral("no truck drives over 8 hours")};
        spec.problem.successCriteria = {QStringLiteral("all depots served")};
        spec.a = {QStringLiteral("sol_a"), a, -1};
        spec.b = {QStringLiteral("sol_b"), b, 1234};
        spec.judgeVersionId = QStringLiteral("agv_judge");
        spec.judgeSystemPrompt = QStringLiteral("You are a strict judge.");
        spec.providerId = QStringLiteral("j");
        PairwiseJudge judge(client, templates);
        return QCoro::waitFor(judge.judge(spec));
    }
};

} // namespace

TEST(PairwiseJudge, JudgesBothOrdersConcurrentlyAndMapsVerdictsBackToAB)
{
    Fixture f(JudgeProvider::Mode::Content);
    const PairwiseJudgement j =
        f.judge(QStringLiteral("Plan X. CORRECT"), QStringLiteral("Plan Y."));
    ASSERT_EQ(f.provider->calls(), 2);
    EXPECT_EQ(f.provider->maxInFlight(), 2);
    // One prompt shows A first, the other B first.
    const QString p0 = f.provider->requests()[0].messages.front().content;
    const QString p1 = f.provider->requests()[1].messages.front().content;
    EXPECT_LT(p0.indexOf(u"Plan X."), p0.indexOf(u"Plan Y."));
    EXPECT_GT(p1.indexOf(u"Plan X."), p1.indexOf(u"Plan Y."));
    EXPECT_EQ(f.provider->requests()[0].system, QStringLiteral("You are a strict judge."));
    EXPECT_TRUE(p0.contains(u"no truck drives over 8 hours"));

    EXPECT_EQ(j.ab.verdict, PairVerdict::A);
    EXPECT_EQ(j.ba.verdict, PairVerdict::A);
    EXPECT_EQ(j.winner, PairVerdict::A);
    EXPECT_FALSE(j.failed());
    EXPECT_EQ(j.ab.scoreA, 9);
    EXPECT_EQ(j.ba.scoreA, 9); // shown second in that order, still mapped to A
    EXPECT_EQ(j.ba.scoreB, 3);
    EXPECT_DOUBLE_EQ(*j.meanScoreA(), 0.9);
    EXPECT_EQ(j.lengthA, QStringLiteral("Plan X. CORRECT").size());
    EXPECT_EQ(j.lengthB, 1234);
    EXPECT_EQ(j.callIds().size(), 2);
    EXPECT_EQ(j.tokens(), 240);

    const nlohmann::json doc = j.doc();
    EXPECT_EQ(doc["ab"]["rationale"], "because first");
    EXPECT_EQ(doc["ba"]["rationale"], "because second");
    EXPECT_EQ(doc["ab"]["raw"]["winner"], "first");
    EXPECT_EQ(doc["ba"]["verdict"], "a");
    EXPECT_EQ(doc["length_b"], 1234);
    EXPECT_EQ(doc["template"], "judge.pairwise@1");
    EXPECT_FALSE(doc.contains("error"));
}

TEST(PairwiseJudge, APositionBiasedJudgeGivesATie)
{
    Fixture f(JudgeProvider::Mode::FirstAlways);
    const PairwiseJudgement j =
        f.judge(QStringLiteral("Plan X. CORRECT"), QStringLiteral("Plan Y."));
    EXPECT_EQ(j.ab.verdict, PairVerdict::A);
    EXPECT_EQ(j.ba.verdict, PairVerdict::B);
    EXPECT_EQ(j.winner, PairVerdict::Tie);
}

TEST(PairwiseJudge, AnswersThatStayInvalidAfterRepairAreAFailedComparisonNotAVerdict)
{
    Fixture f(JudgeProvider::Mode::Invalid);
    const PairwiseJudgement j =
        f.judge(QStringLiteral("Plan X. CORRECT"), QStringLiteral("Plan Y."));
    EXPECT_TRUE(j.failed());
    EXPECT_EQ(j.winner, PairVerdict::Failed);
    EXPECT_EQ(j.ab.verdict, PairVerdict::Failed);
    EXPECT_FALSE(j.cancelled());
    EXPECT_FALSE(j.ab.scoreA.has_value());
    EXPECT_TRUE(j.error().contains(u"judge_pairwise")) << j.error().toStdString();
    EXPECT_EQ(f.provider->calls(), 6); // 1 + 2 repairs, per order
    const nlohmann::json doc = j.doc();
    ASSERT_TRUE(doc.contains("error"));
    EXPECT_EQ(doc["ab"]["raw"]["invalid_answer"], "I think the first one is nicer.");
}

TEST(PairwiseJudge, CombineIsTheAgreementOfBothOrders)
{
    using V = PairVerdict;
    EXPECT_EQ(PairwiseJudge::combine(V::A, V::A), V::A);
    EXPECT_EQ(PairwiseJudge::combine(V::B, V::B), V::B);
    EXPECT_EQ(PairwiseJudge::combine(V::Tie, V::Tie), V::Tie);
    EXPECT_EQ(PairwiseJudge::combine(V::A, V::B), V::Tie);
    EXPECT_EQ(PairwiseJudge::combine(V::A, V::Tie), V::Tie);
    EXPECT_EQ(PairwiseJudge::combine(V::Failed, V::A), V::Failed);
    EXPECT_EQ(PairwiseJudge::combine(V::B, V::Failed), V::Failed);
    EXPECT_EQ(toString(V::Tie), QStringLiteral("tie"));
    EXPECT_EQ(pairVerdictFromString(QStringLiteral("b")), V::B);
    EXPECT_FALSE(pairVerdictFromString(QStringLiteral("x")).has_value());
}

TEST(PairwiseJudge, TheSchemaIsBuiltInAndAcceptsTheContract)
{
    const nlohmann::json &schema = PairwiseJudge::schema();
    ASSERT_TRUE(schema.is_object());
    EXPECT_EQ(schema["properties"]["winner"]["enum"].size(), 3u);
    const OrderJudgement o =
        PairwiseJudge::fromAnswer({{"first", {{"assessment", "x"}, {"score", 2}}},
                                   {"second", {{"assessment", "y"}, {"score", 8}}},
                                   {"rationale", "r"},
                                   {"winner", "second"}},
                                  false);
    // B was shown first: "second" is A.
    EXPECT_EQ(o.verdict, PairVerdict::A);
    EXPECT_EQ(o.scoreA, 8);
    EXPECT_EQ(o.assessmentB, QStringLiteral("x"));
}
