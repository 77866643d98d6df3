#include "core/model/agent.h"
#include "core/model/agentversion.h"
#include "core/model/dataset.h"
#include "core/model/feedbackitem.h"
#include "core/model/interaction.h"
#include "core/model/llmcall.h"
#include "core/model/problem.h"
#include "core/model/qualityscores.h"
#include "core/model/trainingrun.h"

#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

Problem fullProblem()
{
    Problem p;
    p.id = QStringLiteral("prb_1");
    p.domain = QStringLiteral("finance");
    p.statement = QStringLiteral("Reconcile the ledger — «ünïcödé» included\nsecond line");
    p.constraints = {QStringLiteral("one"), QStringLiteral("two")};
    p.successCriteria = {QStringLiteral("balanced")};
    p.sampleData = {{"rows", json::array({1, 2.5, "x"})}};
    p.complexity = Complexity::Complex;
    p.origin = ProblemOrigin::Matrix;
    p.baseProblemId = QStringLiteral("prb_0");
    p.matrixCell = {{QStringLiteral("size"), QStringLiteral("large")},
                    {QStringLiteral("region"), QStringLiteral("EU")}};
    p.tags = {QStringLiteral("a"), QStringLiteral("b")};
    p.createdAt = QDateTime::fromMSecsSinceEpoch(1'762'000'000'123LL, Qt::UTC);
    p.metadata = {{"generator", "matrix"}, {"llm_call_ids", json::array({"c1", "c2"})}};
    return p;
}

} // namespace

TEST(ProblemModel, RoundTripsThroughJsonLosslessly)
{
    const Problem p = fullProblem();
    const json j = p.toJson();
    EXPECT_EQ(j["complexity"], "complex");
    EXPECT_EQ(j["origin"], "matrix");
    EXPECT_EQ(j["created_at"], "2025-11-01T12:26:40.123Z");
    const Problem back = Problem::fromJson(json::parse(j.dump()));
    EXPECT_EQ(back, p);
}

TEST(ProblemModel, MissingStatementNamesTheField)
{
    json j = fullProblem().toJson();
    j.erase("statement");
    try {
        Problem::fromJson(j);
        FAIL() << "expected ValidationError";
    } catch (const ValidationError &e) {
        ASSERT_EQ(e.issues().size(), 1u);
        EXPECT_EQ(e.issues()[0].field, QStringLiteral("statement"));
        EXPECT_EQ(e.issues()[0].rule, QStringLiteral("is required"));
    }
}

TEST(ProblemModel, BadComplexityReportsValueAndRule)
{
    json j = fullProblem().toJson();
    j["complexity"] = "extreme";
    try {
        Problem::fromJson(j);
        FAIL() << "expected ValidationError";
    } catch (const ValidationError &e) {
        EXPECT_EQ(e.issues()[0].field, QStringLiteral("complexity"));
        EXPECT_EQ(e.issues()[0].value, QStringLiteral("extreme"));
        EXPECT_TRUE(e.issues()[0].rule.contains(QStringLiteral("simple|medium|complex")));
    }
}

TEST(ProblemModel, WrongTypesAreRejectedWithPath)
{
    json j = fullProblem().toJson();
    j["constraints"] = json::array({"ok", 5});
    try {
        Problem::fromJson(j);
        FAIL() << "expected ValidationError";
    } catch (const ValidationError &e) {
        EXPECT_EQ(e.issues()[0].field, QStringLiteral("constraints[1]"));
        EXPECT_EQ(e.issues()[0].value, QStringLiteral("5"));
    }
    EXPECT_THROW(Problem::fromJson(json::array()), ValidationError);
}

TEST(ProblemModel, ValidateCollectsEveryIssue)
{
    Problem p = fullProblem();
    p.statement = QStringLiteral("   ");
    p.constraints << QString();
    p.baseProblemId = p.id;
    const auto issues = p.validate();
    ASSERT_EQ(issues.size(), 3u);
    EXPECT_EQ(issues[0].field, QStringLiteral("statement"));
    EXPECT_EQ(issues[1].field, QStringLiteral("constraints[2]"));
    EXPECT_EQ(issues[2].field, QStringLiteral("base_problem_id"));
}

TEST(DatasetModel, RoundTripAndMixMustSumToOne)
{
    Dataset d;
    d.id = QStringLiteral("ds_1");
    d.name = QStringLiteral("Mix");
    d.domain = QStringLiteral("finance");
    d.complexityMix = {
        {Complexity::Simple, 0.3}, {Complexity::Medium, 0.5}, {Complexity::Complex, 0.2}};
    d.problemIds = {QStringLiteral("a"), QStringLiteral("b")};
    d.createdAt = QDateTime::fromMSecsSinceEpoch(1'762'000'000'000LL, Qt::UTC);
    EXPECT_EQ(Dataset::fromJson(d.toJson()), d);

    d.complexityMix[Complexity::Complex] = 0.4;
    const auto issues = d.validate();
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].field, QStringLiteral("complexity_mix"));
}

TEST(AgentModel, RoundTripAndTraitRange)
{
    Agent a;
    a.role = agentrole::critic;
    a.identity = {QStringLiteral("Skeptic"), QStringLiteral("finance"),
                  QStringLiteral("Finds holes")};
    a.traits = {{QStringLiteral("rigor"), 90}, {QStringLiteral("creativity"), 10}};
    a.communicationStyle = QStringLiteral("terse");
    a.knowledgeDomains = {QStringLiteral("accounting")};
    EXPECT_EQ(Agent::fromJson(a.toJson()), a);
    // Exactly the contract's agent_versions.doc keys (custom_traits only when there are any).
    json j = a.toJson();
    EXPECT_EQ(j["role"], "critic");
    EXPECT_EQ(j["traits"]["rigor"], 90);
    EXPECT_EQ(j["identity"]["specialization"], "finance");
    EXPECT_FALSE(j.contains("custom_traits"));
    EXPECT_EQ(j.size(), 5u);

    a.customTraits[QStringLiteral("patience")] = {QStringLiteral("impatient"),
                                                  QStringLiteral("patient")};
    a.traits[QStringLiteral("patience")] = 80;
    EXPECT_EQ(Agent::fromJson(a.toJson()), a);

    j["traits"]["rigor"] = 101;
    try {
        Agent::fromJson(j);
        FAIL();
    } catch (const ValidationError &e) {
        EXPECT_EQ(e.issues()[0].field, QStringLiteral("traits.rigor"));
        EXPECT_EQ(e.issues()[0].value, QStringLiteral("101"));
    }
    j["traits"]["rigor"] = "high";
    EXPECT_THROW(Agent::fromJson(j), ValidationError);
    j = a.toJson();
    j["role"] = "Judge"; // normalised to a slug: a user-defined role
    EXPECT_EQ(Agent::fromJson(j).role, QStringLiteral("judge"));
    j["role"] = "not a slug!";
    EXPECT_THROW(Agent::fromJson(j), ValidationError);
    j = a.toJson();
    j["identity"]["name"] = " ";
    EXPECT_THROW(Agent::fromJson(j), ValidationError);
}

TEST(AgentModel, VersionRoundTrip)
{
    AgentVersion v;
    v.id = QStringLiteral("agv_1");
    v.agentId = QStringLiteral("agt_1");
    v.version = 3;
    v.parentVersionId = QStringLiteral("agv_0");
    v.definition.identity.name = QStringLiteral("Gen");
    v.definition.traits[QStringLiteral("creativity")] = 70;
    v.systemPrompt = QStringLiteral("You are Gen.");
    v.promptTemplate = QStringLiteral("agent.system@1");
    v.note = QStringLiteral("set creativity=70");
    v.createdAt = QDateTime::fromMSecsSinceEpoch(1'762'000'000'000LL, Qt::UTC);
    EXPECT_EQ(AgentVersion::fromJson(v.toJson()), v);
    EXPECT_EQ(v.role(), QStringLiteral("generator"));
    json j = v.toJson();
    j["definition"]["traits"]["creativity"] = -1;
    try {
        AgentVersion::fromJson(j);
        FAIL();
    } catch (const ValidationError &e) {
        EXPECT_EQ(e.issues()[0].field, QStringLiteral("definition.traits.creativity"));
    }
}

TEST(ThinModels, RoundTrip)
{
    QualityScores scores;
    scores.aspects[QStringLiteral("correctness")] = {0.75, QStringLiteral("mostly right")};
    scores.aspects[QStringLiteral("novelty")] = {0.25, {}};
    EXPECT_DOUBLE_EQ(scores.mean(), 0.5);

    Interaction in;
    in.id = QStringLiteral("int_1");
    in.problemId = QStringLiteral("prb_1");
    in.turns = {{QStringLiteral("user"), QStringLiteral("Ana"), QStringLiteral("hi")},
                {QStringLiteral("assistant"), QStringLiteral("Gen"), QStringLiteral("hello")}};
    in.stopReason = QStringLiteral("turn_limit");
    EXPECT_EQ(Interaction::fromJson(in.toJson()), in);

    FeedbackItem f;
    f.id = QStringLiteral("fb_1");
    f.question = QStringLiteral("Is this realistic?");
    f.options = {QStringLiteral("yes"), QStringLiteral("no")};
    f.answer = QStringLiteral("yes");
    f.status = FeedbackItem::Status::Answered;
    EXPECT_EQ(FeedbackItem::fromJson(f.toJson()), f);
    f.answer = QStringLiteral("maybe");
    EXPECT_FALSE(f.validate().empty());

    TrainingRun r;
    r.id = QStringLiteral("run_1");
    r.cyclesPlanned = 5;
    r.cyclesDone = 2;
    r.metrics = json::array({{{"cycle", 1}, {"mean", 0.5}}});
    r.state = TrainingRun::State::Paused;
    EXPECT_EQ(TrainingRun::fromJson(r.toJson()), r);
    r.cyclesDone = 6;
    EXPECT_FALSE(r.validate().empty());

    LlmCall c;
    c.id = QStringLiteral("call_1");
    c.provider = QStringLiteral("simulated");
    c.model = QStringLiteral("sim-1");
    c.tokensIn = 10;
    c.tokensOut = 20;
    EXPECT_EQ(LlmCall::fromJson(c.toJson()), c);
    EXPECT_TRUE(c.toJson()["cost_usd"].is_null()); // unpriced, never $0
    c.costUsd = 0.002;
    EXPECT_EQ(LlmCall::fromJson(c.toJson()), c);
}

TEST(JsonSupport, DerivedIdsAreStableAndDistinctAndLookLikeNewIds)
{
    const QString a = jsonio::derivedId("job", QStringLiteral("trn_x/variations/0"));
    EXPECT_EQ(a, jsonio::derivedId("job", QStringLiteral("trn_x/variations/0")));
    EXPECT_NE(a, jsonio::derivedId("job", QStringLiteral("trn_x/variations/1")));
    EXPECT_NE(a, jsonio::derivedId("job", QStringLiteral("trn_y/variations/0")));
    EXPECT_EQ(a.size(), jsonio::newId("job").size());
    EXPECT_TRUE(a.startsWith(QStringLiteral("job_")));
}
