#include "core/model/critique.h"
#include "core/model/humanjudgment.h"
#include "core/model/solution.h"
#include "core/model/verdict.h"

#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

Solution sampleSolution()
{
    Solution s;
    s.id = QStringLiteral("sol_1");
    s.problemId = QStringLiteral("prb_1");
    s.agentVersionId = QStringLiteral("agv_1");
    s.stage = SolutionStage::Refine;
    s.refinedFrom = QStringLiteral("sol_0");
    s.critiqueId = QStringLiteral("crt_0");
    s.jobId = QStringLiteral("job_1");
    s.body.approach = QStringLiteral("Split the work");
    s.body.steps = {QStringLiteral("measure"), QStringLiteral("cut")};
    s.body.finalAnswer = QStringLiteral("42 units");
    s.body.assumptions = {QStringLiteral("prices stay flat")};
    s.callIds = {QStringLiteral("llm_1")};
    s.costUsd = 0.002;
    s.tokens = 120;
    s.createdAt = jsonio::nowUtc();
    return s;
}

} // namespace

TEST(SolutionModel, RoundTripsAndRendersText)
{
    const Solution s = sampleSolution();
    EXPECT_EQ(Solution::fromJson(s.toJson()), s);
    const QString text = s.toText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("Approach: Split the work")));
    EXPECT_TRUE(text.contains(QStringLiteral("2. cut")));
    EXPECT_TRUE(text.contains(QStringLiteral("Final answer: 42 units")));
    EXPECT_TRUE(text.contains(QStringLiteral("- prices stay flat")));
    EXPECT_EQ(s.textLength(), text.size());
    EXPECT_EQ(s.toJson()["text_length"], text.size());
}

TEST(SolutionModel, RefusesInconsistentStages)
{
    Solution s = sampleSolution();
    s.refinedFrom.clear();
    EXPECT_FALSE(s.validate().empty()); // refine without a parent
    s = sampleSolution();
    s.stage = SolutionStage::Solve;
    EXPECT_FALSE(s.validate().empty()); // solve with a parent
    json j = sampleSolution().toJson();
    j["stage"] = "polish";
    EXPECT_THROW(Solution::fromJson(j), ValidationError);
}

TEST(CritiqueModel, RoundTripsAndChecksEnums)
{
    Critique c;
    c.id = QStringLiteral("crt_1");
    c.solutionId = QStringLiteral("sol_1");
    c.agentVersionId = QStringLiteral("agv_2");
    c.summary = QStringLiteral("Close, but misses the budget");
    c.issues = {{QStringLiteral("major"), QStringLiteral("Budget under 10k"),
                 QStringLiteral("no cost given"), QStringLiteral("add a cost table")}};
    c.verdict = QStringLiteral("revise");
    c.createdAt = jsonio::nowUtc();
    EXPECT_EQ(Critique::fromJson(c.toJson()), c);
    EXPECT_TRUE(c.toText().contains(QStringLiteral("[major] (Budget under 10k) no cost given")));
    json bad = c.toJson();
    bad["doc"]["issues"][0]["severity"] = "fatal";
    EXPECT_THROW(Critique::fromJson(bad), ValidationError);
    bad = c.toJson();
    bad["doc"]["verdict"] = "maybe";
    EXPECT_THROW(Critique::fromJson(bad), ValidationError);
}

TEST(VerdictModel, FailedVerdictsCarryNoScores)
{
    Verdict v;
    v.id = QStringLiteral("vrd_1");
    v.solutionId = QStringLiteral("sol_1");
    v.judgeVersionId = QStringLiteral("agv_9");
    v.overall = 0.7;
    v.confidence = 0.9;
    v.novelty = 0.4;
    v.scores.aspects[QStringLiteral("correctness")] = {0.7, QStringLiteral("ok")};
    v.checks[QStringLiteral("final_answer_present")] = {true, QStringLiteral("present")};
    v.checks[QStringLiteral("length_budget")] = {false, QStringLiteral("5000 > 4000")};
    v.rubricVersion = QStringLiteral("r1a2b3c4");
    v.createdAt = jsonio::nowUtc();
    EXPECT_EQ(Verdict::fromJson(v.toJson()), v);
    EXPECT_EQ(v.checksFailed(), 1);

    Verdict failed = v;
    failed.status = Verdict::Status::Failed;
    EXPECT_FALSE(failed.validate().empty()); // scores and no error
    failed.scores = {};
    failed.overall.reset();
    failed.error = QStringLiteral("judge answer invalid after 2 repairs");
    EXPECT_TRUE(failed.validate().empty());
    EXPECT_EQ(Verdict::fromJson(failed.toJson()), failed);
    v.confidence = 1.5;
    EXPECT_FALSE(v.validate().empty());
}

TEST(HumanJudgmentModel, RatingIsOneToFiveOrSkipped)
{
    HumanJudgment h;
    h.id = QStringLiteral("hjd_1");
    h.solutionId = QStringLiteral("sol_1");
    h.aspect = QStringLiteral("correctness");
    h.rating = 4;
    h.note = QStringLiteral("good");
    h.createdAt = h.updatedAt = jsonio::nowUtc();
    EXPECT_EQ(HumanJudgment::fromJson(h.toJson()), h);
    h.rating.reset();
    EXPECT_TRUE(h.skipped());
    EXPECT_EQ(HumanJudgment::fromJson(h.toJson()), h);
    h.rating = 6;
    EXPECT_FALSE(h.validate().empty());
}
