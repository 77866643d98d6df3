// The verifier's deterministic checks with planted defects, measured novelty and the rubric.

#include "core/evaluate/qualityverifier.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solutionchecks.h"

#include <gtest/gtest.h>

using namespace crucible;

namespace {

Problem deliveryProblem()
{
    Problem p;
    p.id = QStringLiteral("prb_1");
    p.domain = QStringLiteral("logistics");
    p.statement = QStringLiteral("Plan next week's deliveries for 12 shops from one depot.");
    p.constraints = {QStringLiteral("Total cost stays under 5000 euros"),
                     QStringLiteral("Refrigerated goods arrive within 2 hours")};
    p.successCriteria = {QStringLiteral("Every shop receives its order by Friday")};
    return p;
}

Solution cleanSolution()
{
    Solution s;
    s.id = QStringLiteral("sol_clean");
    s.problemId = QStringLiteral("prb_1");
    s.agentVersionId = QStringLiteral("agv_1");
    s.body.approach = QStringLiteral("Group the shops into three loops around the depot.");
    s.body.steps = {
        QStringLiteral("Cluster the 12 shops by distance into three routes."),
        QStringLiteral("Load refrigerated goods last so they arrive within 2 hours of leaving."),
        QStringLiteral("Run the loops Monday to Thursday so every shop receives its order before "
                       "Friday.")};
    s.body.finalAnswer = QStringLiteral("Three routes, total cost 4200 euros, under the 5000 "
                                        "euro limit.");
    return s;
}

} // namespace

TEST(SolutionChecks, ACleanSolutionPassesEveryCheck)
{
    const auto checks = solutionchecks::run(cleanSolution(), deliveryProblem());
    ASSERT_EQ(checks.size(), 4u);
    for (const auto &[name, c] : checks)
        EXPECT_TRUE(c.passed) << name.toStdString() << ": " << c.detail.toStdString();
}

TEST(SolutionChecks, PlantedDefectsAreFlagged)
{
    const Problem p = deliveryProblem();

    Solution ignoresConstraint = cleanSolution();
    ignoresConstraint.body.finalAnswer = QStringLiteral("Three routes.");
    auto checks = solutionchecks::run(ignoresConstraint, p);
    EXPECT_FALSE(checks[QStringLiteral("constraints_addressed")].passed);
    EXPECT_TRUE(checks[QStringLiteral("constraints_addressed")].detail.contains(
        QStringLiteral("C1 \"Total cost stays under 5000 euros\"")))
        << checks[QStringLiteral("constraints_addressed")].detail.toStdString();
    EXPECT_TRUE(checks[QStringLiteral("required_fields")].passed);

    Solution noAnswer = cleanSolution();
    noAnswer.body.finalAnswer.clear();
    checks = solutionchecks::run(noAnswer, p);
    EXPECT_FALSE(checks[QStringLiteral("required_fields")].passed);
    EXPECT_TRUE(
        checks[QStringLiteral("required_fields")].detail.contains(QStringLiteral("final_answer")));

    Solution tooLong = cleanSolution();
    tooLong.body.steps << QString(7000, u'x');
    checks = solutionchecks::run(tooLong, p);
    EXPECT_FALSE(checks[QStringLiteral("length_budget")].passed);
    CheckOptions roomy;
    roomy.lengthBudget = 10'000;
    EXPECT_TRUE(solutionchecks::run(tooLong, p, roomy)[QStringLiteral("length_budget")].passed);

    Solution missesCriterion = cleanSolution();
    missesCriterion.body.steps.removeLast();
    checks = solutionchecks::run(missesCriterion, p);
    EXPECT_FALSE(checks[QStringLiteral("criteria_addressed")].passed);
}

TEST(SolutionChecks, NoveltyIsLowForANearCopyAndHighForADifferentSolution)
{
    const Solution original = cleanSolution();
    Solution copy = original;
    copy.id = QStringLiteral("sol_copy");
    copy.body.finalAnswer.replace(QStringLiteral("4200"), QStringLiteral("4300"));
    Solution different;
    different.id = QStringLiteral("sol_diff");
    different.body.approach = QStringLiteral("Hire a courier company for the cold chain and use "
                                             "our own van only for dry goods.");
    different.body.steps = {QStringLiteral("Ask two couriers for quotes."),
                            QStringLiteral("Pick the cheaper one with temperature logging.")};
    different.body.finalAnswer = QStringLiteral("Outsource refrigerated transport.");

    const double copyNovelty = solutionchecks::novelty(copy, {original});
    const double differentNovelty = solutionchecks::novelty(different, {original});
    EXPECT_LT(copyNovelty, 0.2);
    EXPECT_GT(differentNovelty, 0.9);
    EXPECT_DOUBLE_EQ(solutionchecks::novelty(original, {}), 1.0);
}

TEST(Rubric, CompiledFromTheProblemAndVersionedByItsText)
{
    const Problem p = deliveryProblem();
    const Rubric r = Rubric::compile(p, {});
    EXPECT_EQ(r.aspects, Rubric::defaultAspects());
    EXPECT_TRUE(r.text.contains(QStringLiteral("C1. Total cost stays under 5000 euros")));
    EXPECT_TRUE(r.text.contains(QStringLiteral("S1. Every shop receives its order by Friday")));
    EXPECT_TRUE(r.version.startsWith(u'r'));
    EXPECT_EQ(r.version.size(), 9);
    EXPECT_EQ(Rubric::compile(p, {}).version, r.version); // deterministic
    Problem changed = p;
    changed.constraints << QStringLiteral("No driver works over 8 hours");
    EXPECT_NE(Rubric::compile(changed, {}).version, r.version);
    EXPECT_NE(Rubric::compile(p, {QStringLiteral("correctness")}).version, r.version);

    QStringList aspects;
    EXPECT_FALSE(Rubric::parseAspects(QStringLiteral("correctness, safety"), aspects));
    EXPECT_EQ(aspects, (QStringList{QStringLiteral("correctness"), QStringLiteral("safety")}));
    EXPECT_TRUE(Rubric::parseAspects(QStringLiteral("correctness,correctness"), aspects));
    EXPECT_TRUE(Rubric::parseAspects(QStringLiteral("Bad Name!"), aspects));
    EXPECT_TRUE(Rubric::parseAspects(QStringLiteral(" , "), aspects));
}

TEST(QualityVerifier, AgreementReportsTheWidestSpread)
{
    Verdict a;
    a.judgeVersionId = QStringLiteral("agv_a");
    a.scores.aspects[QStringLiteral("correctness")] = {0.9, {}};
    a.scores.aspects[QStringLiteral("novelty")] = {0.5, {}};
    Verdict b = a;
    b.judgeVersionId = QStringLiteral("agv_b");
    b.scores.aspects[QStringLiteral("correctness")] = {0.3, {}};
    Verdict failed;
    failed.status = Verdict::Status::Failed;
    failed.judgeVersionId = QStringLiteral("agv_c");
    const JudgeAgreement agreement = QualityVerifier::agreement({a, b, failed});
    EXPECT_EQ(agreement.judges, 2);
    EXPECT_NEAR(agreement.maxSpread, 0.6, 1e-9);
    EXPECT_EQ(agreement.widestAspect, QStringLiteral("correctness"));
    EXPECT_NEAR(agreement.agreement, 0.7, 1e-9);
    EXPECT_TRUE(agreement.disagree());
    EXPECT_FALSE(QualityVerifier::agreement({a, a}).disagree());

    const auto schema = QualityVerifier::judgeSchema({QStringLiteral("correctness")});
    EXPECT_EQ(schema["properties"]["scores"]["required"], nlohmann::json::array({"correctness"}));
}
