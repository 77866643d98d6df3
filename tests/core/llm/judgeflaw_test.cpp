#include "core/llm/simulated/fitnesslandscape.h"
#include "core/llm/simulated/judgeflaw.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::simulated;
using nlohmann::json;

namespace {

ChatRequest judge(const QString &versionId, const QString &solutionText, const QString &before = {})
{
    ChatRequest r =
        ChatRequest::simple(before + QStringLiteral("Rubric: R\n\nSolution:\n") + solutionText,
                            QStringLiteral("You are a judge."));
    r.format = ResponseFormat::JsonSchema;
    r.schemaName = QStringLiteral("verdict");
    r.schema = {
        {"type", "object"},
        {"properties",
         {{"scores", {{"type", "object"}, {"properties", {{"correctness", json::object()}}}}}}}};
    r.agent.versionId = versionId;
    r.agent.role = QStringLiteral("evaluator");
    return r;
}

double scoreOf(const FitnessLandscape &l, const ChatRequest &r, std::uint64_t hash)
{
    return l.answer(r, hash).value()["scores"]["correctness"]["score"].get<double>();
}

} // namespace

TEST(JudgeFlaw, APlantedJudgeIsWrongOnItsSubsetOnlyAndOthersAreUntouched)
{
    FitnessLandscape landscape(3);
    JudgeFlaw invert;
    invert.share = 0.3;
    invert.invert = true;
    landscape.setJudgeFlaws({{QStringLiteral("agv_bad"), invert}});
    int flawed = 0;
    constexpr int kSolutions = 400;
    for (int i = 0; i < kSolutions; ++i) {
        const double q = 0.1 + 0.8 * i / kSolutions;
        const QString text = QStringLiteral("Steps.\n") + FitnessLandscape::qualityText(q);
        const double honest = scoreOf(landscape, judge(QStringLiteral("agv_good"), text), i);
        EXPECT_NEAR(honest, q, 1e-3);
        const double bad = scoreOf(landscape, judge(QStringLiteral("agv_bad"), text), i);
        if (landscape.flawed(QStringLiteral("agv_bad"), text)) {
            ++flawed;
            EXPECT_NEAR(bad, 1 - q, 1e-3);
        } else {
            EXPECT_NEAR(bad, q, 1e-3);
        }
        // Membership depends on the solution, not on the request that asks.
        EXPECT_EQ(landscape.flawed(QStringLiteral("agv_bad"), QStringLiteral("x ") + text),
                  landscape.flawed(QStringLiteral("agv_bad"), text));
    }
    EXPECT_GT(flawed, kSolutions * 0.22);
    EXPECT_LT(flawed, kSolutions * 0.38);
}

TEST(JudgeFlaw, CalibrationExamplesInThePromptPullABiasedJudgeBack)
{
    const QString examples = QStringLiteral(
        "- correctness: rated 2 of 5 by a person (a judge had scored it 0.55). Excerpt: "
        "Simulated landscape: the quality of this answer is 0.2000.\n"
        "- correctness: rated 3 of 5 by a person (a judge had scored it 0.80). Excerpt: x\n"
        "- correctness: rated 4 of 5 by a person (a judge had scored it 1.00). Excerpt: y\n");
    const auto c = exampleCorrection(examples);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->second, 3);
    EXPECT_NEAR(c->first, ((0.25 - 0.55) + (0.5 - 0.8) + (0.75 - 1.0)) / 3, 1e-12);
    EXPECT_FALSE(exampleCorrection(QStringLiteral("no examples here")));

    FitnessLandscape landscape(4);
    JudgeFlaw lenient;
    lenient.share = 1;
    lenient.offset = 0.3;
    landscape.setJudgeFlaws({{QStringLiteral("agv_lenient"), lenient}});
    const QString solution = FitnessLandscape::qualityText(0.4);
    const double plain = scoreOf(landscape, judge(QStringLiteral("agv_lenient"), solution), 1);
    EXPECT_NEAR(plain, 0.7, 1e-3);
    // The judged solution's quality is read after "Solution:", not from an example's excerpt.
    const double taught =
        scoreOf(landscape, judge(QStringLiteral("agv_lenient"), solution, examples), 1);
    EXPECT_NEAR(taught, 0.7 + c->first * 3 / 4, 1e-3);
    EXPECT_LT(std::abs(taught - 0.4), std::abs(plain - 0.4));
}
