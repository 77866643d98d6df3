#include "core/feedback/judgecalibration.h"
#include "core/llm/prompttemplates.h"
#include "core/model/jsonsupport.h"
#include "core/store/verdictrepository.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

class JudgeCalibrationTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(tmp.file(QStringLiteral("cal.crucible")));
        fx = std::make_unique<test::EvaluationFixture>(*ws);
        problem = fx->problem(1);
        genV = fx->version(fx->agent(QStringLiteral("generator"), QStringLiteral("Gen")));
        good = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Good judge")));
        contrary = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Contrary")));
    }

    QString solution(int n)
    {
        json doc = test::EvaluationFixture::solutionDoc(QStringLiteral("answer %1").arg(n));
        doc["approach"] = QStringLiteral("approach number %1 of its own").arg(n).toStdString();
        return fx->solution(problem, genV, doc);
    }

    void verdict(const QString &solutionId, const QString &judge, double score,
                 const QStringList &examples = {}, int secs = 0)
    {
        test::EvaluationFixture::Scored scored;
        scored.scores = {{QStringLiteral("correctness"), score}};
        scored.calibration = examples;
        scored.secondsLater = secs;
        fx->scoredVerdict(solutionId, judge, scored);
    }

    test::TempFolder tmp;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<test::EvaluationFixture> fx;
    QString problem, genV, good, contrary;
};

} // namespace

TEST_F(JudgeCalibrationTest, AgreementPerJudgeAndAspectWithWeightsAndSeries)
{
    VerdictRepository repo(*ws);
    for (int i = 0; i < 15; ++i) {
        const QString s = solution(i);
        const int human = 1 + i % 5;
        repo.setJudgment(s, QStringLiteral("correctness"), human, {});
        verdict(s, good, agreement::ratingToScore(human));
        verdict(s, contrary, agreement::ratingToScore(6 - human));
    }
    CalibrationOptions options;
    options.window = 5;
    options.resamples = 200;
    const CalibrationReport report = JudgeCalibration(*ws).report(options);
    EXPECT_EQ(report.ratings, 15);
    ASSERT_EQ(report.rows.size(), 2u);
    const JudgeAspectCalibration &g =
        report.rows[0].judgeVersionId == good ? report.rows[0] : report.rows[1];
    const JudgeAspectCalibration &c =
        report.rows[0].judgeVersionId == good ? report.rows[1] : report.rows[0];
    EXPECT_EQ(g.judgeName, QStringLiteral("Good judge"));
    EXPECT_EQ(g.kappa.n, 15);
    EXPECT_DOUBLE_EQ(g.kappa.value, 1.0);
    EXPECT_DOUBLE_EQ(g.spearman.value, 1.0);
    EXPECT_DOUBLE_EQ(c.kappa.value, -1.0);
    EXPECT_LT(c.kappa.high, 0.0);
    EXPECT_EQ(g.overTime.size(), 3u);
    EXPECT_EQ(g.confusion[2][2], 3);
    EXPECT_EQ(c.confusion[0][4], 3);
    // Weight: (15 · 1 + 10 · 0.5) / 25 and (15 · 0 + 10 · 0.5) / 25.
    EXPECT_NEAR(g.weight, 0.8, 1e-12);
    EXPECT_NEAR(c.weight, 0.2, 1e-12);
    const json j = report.toJson();
    EXPECT_EQ(j["judges"].size(), 2u);
    EXPECT_TRUE(j["judges"][0].contains("note")); // 15 ratings: says it is noise
    EXPECT_TRUE(JudgeCalibration(*ws).report({QStringLiteral("novelty")}).rows.empty());
}

TEST_F(JudgeCalibrationTest, ExamplesComeFromThePromptSplitAsScaleAnchorsOrLargestGaps)
{
    VerdictRepository repo(*ws);
    QStringList promptSide, heldOut;
    for (int i = 0; promptSide.size() < 10 || heldOut.size() < 2; ++i) {
        const QString s = solution(i);
        if (!JudgeCalibration::isPromptExample(s)) {
            heldOut << s;
            repo.setJudgment(s, QStringLiteral("correctness"), 1, QStringLiteral("held out"));
            continue;
        }
        // Two of each level 1..5; the judge scored each 0.1 higher than the person, and the
        // level-2 ones a lot higher.
        const int rating = 1 + promptSide.size() % 5;
        promptSide << s;
        repo.setJudgment(s, QStringLiteral("correctness"), rating,
                         rating == 2 ? QStringLiteral("misses a step") : QString());
        verdict(s, good,
                std::min(1.0, agreement::ratingToScore(rating) + (rating == 2 ? 0.5 : 0.1)));
    }
    const JudgeCalibration cal(*ws);
    auto levels = [](const std::vector<CalibrationExample> &list) {
        std::vector<int> out;
        for (const CalibrationExample &e : list)
            out.push_back(e.rating);
        return out;
    };
    // Anchors: the scale's middle, then its ends.
    const auto anchors = cal.examples({QStringLiteral("correctness")}, good, 3);
    EXPECT_EQ(levels(anchors), (std::vector<int>{3, 1, 5}));
    EXPECT_EQ(levels(cal.examples({QStringLiteral("correctness")}, good, 7)),
              (std::vector<int>{3, 1, 5, 2, 4, 3, 1}));
    // Largest gap: the two level-2 ratings, the excluded one left out.
    const auto gaps = cal.examples({QStringLiteral("correctness")}, good, 2, promptSide[1],
                                   JudgeCalibration::Choice::LargestGap);
    ASSERT_EQ(gaps.size(), 2u);
    EXPECT_EQ(gaps[0].solutionId, promptSide[6]);
    EXPECT_EQ(gaps[0].rating, 2);
    ASSERT_TRUE(gaps[0].judgeScore);
    EXPECT_NEAR(*gaps[0].judgeScore, 0.75, 1e-12);
    EXPECT_NE(gaps[1].rating, 2);
    const auto examples = std::vector<CalibrationExample>{gaps[0]};
    for (const QString &h : heldOut)
        for (const CalibrationExample &e : cal.examples({QStringLiteral("correctness")}, good, 20))
            EXPECT_NE(e.solutionId, h);
    EXPECT_TRUE(cal.examples({QStringLiteral("novelty")}, good, 3).empty());
    EXPECT_EQ(JudgeCalibration::choiceFromString(QStringLiteral("largest_gap")),
              JudgeCalibration::Choice::LargestGap);
    EXPECT_FALSE(JudgeCalibration::choiceFromString(QStringLiteral("best")));

    // They reach the judge prompt; with none the prompt is the one without calibration.
    PromptTemplates templates;
    json ctx = {{"domain", "testing"},    {"problem", "P"},  {"rubric", "R"},
                {"rubric_version", "r1"}, {"solution", "S"}, {"aspect_list", "correctness"}};
    const RenderedPrompt plain = templates.render(QStringLiteral("evaluate.solution"), ctx);
    ASSERT_TRUE(plain.ok()) << plain.error.toStdString();
    EXPECT_FALSE(plain.text.contains(QStringLiteral("How a person rated")));
    ctx.update(JudgeCalibration::examplesContext(examples));
    const RenderedPrompt calibrated = templates.render(QStringLiteral("evaluate.solution"), ctx);
    EXPECT_TRUE(calibrated.text.contains(QStringLiteral(
        "correctness: rated 2 of 5 by a person (a judge had scored it 0.75). Their note: misses "
        "a step")));
    EXPECT_LT(calibrated.text.indexOf(QStringLiteral("How a person rated")),
              calibrated.text.indexOf(QStringLiteral("Solution:\nS")));
}

TEST_F(JudgeCalibrationTest, HeldOutEffectComparesVerdictsWithoutAndWithExamples)
{
    VerdictRepository repo(*ws);
    int held = 0;
    for (int i = 0; held < 12; ++i) {
        const QString s = solution(100 + i);
        if (JudgeCalibration::isPromptExample(s))
            continue;
        const int human = 1 + held % 5;
        ++held;
        repo.setJudgment(s, QStringLiteral("correctness"), human, {});
        // Before: lenient by two points; after (a prompt with examples): right.
        verdict(s, good, agreement::ratingToScore(std::min(5, human + 2)));
        verdict(s, good, agreement::ratingToScore(human), {QStringLiteral("sol_other")}, 5);
    }
    CalibrationOptions options;
    options.resamples = 100;
    const CalibrationReport report = JudgeCalibration(*ws).report(options);
    ASSERT_EQ(report.rows.size(), 1u);
    const JudgeAspectCalibration &r = report.rows[0];
    EXPECT_EQ(r.heldOutBefore.n, 12);
    EXPECT_EQ(r.heldOutAfter.n, 12);
    EXPECT_DOUBLE_EQ(r.heldOutAfter.value, 1.0);
    EXPECT_LT(r.heldOutBefore.value, 0.8);
    // The main figure uses the newest verdict (here: the calibrated one).
    EXPECT_DOUBLE_EQ(r.kappa.value, 1.0);
}
