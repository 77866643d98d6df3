// EvolutionMonitor: the measures and recommendations of a training run from its checkpointed
// per-cycle metrics, and the reports (JSON, Markdown, self-contained HTML with SVG charts).

#include "core/evolve/evolutionmonitor.h"

#include <gtest/gtest.h>

using namespace crucible;
using evolve::EvolutionMonitor;
using nlohmann::json;

namespace {

// Best rises by 0.01 on accepted cycles (every third) until `plateauFrom`, then stays.
TrainingRun run(int cycles, int plateauFrom, int callsPerCycle = 6, int budget = 600)
{
    TrainingRun r;
    r.id = QStringLiteral("run_t");
    r.name = QStringLiteral("test run");
    r.state = TrainingRun::State::Running;
    r.config = {{"budget_calls", budget}};
    double best = 0.4;
    for (int c = 0; c < cycles; ++c) {
        const bool accepted = c < plateauFrom && c % 3 == 0;
        if (accepted)
            best += 0.01;
        r.metrics.push_back({{"cycle", c},
                             {"accepted", accepted},
                             {"calls_used", callsPerCycle * (c + 1)},
                             {"best_validation", best}});
        // The child's own score every cycle; its novelty only where the judge gave one.
        r.metrics.back()["child_score"] = accepted ? 0.7 : 0.35;
        r.metrics.back()["child_success"] = accepted ? 1.0 : 0.0;
        // A cycle every 6 s of wall time.
        r.config["cycle_wall_ms"].push_back(6000 * (c + 1));
        if (c % 2 == 0)
            r.metrics.back()["child_novelty"] = 0.5;
    }
    return r;
}

} // namespace

TEST(EvolutionMonitor, MeasuresQualitySpendAcceptanceAndTheBudgetLeft)
{
    const auto s = EvolutionMonitor::status(run(30, 30));
    EXPECT_EQ(s.cycles, 30);
    ASSERT_TRUE(s.bestValidation && s.firstValidation);
    EXPECT_NEAR(*s.firstValidation, 0.41, 1e-9);
    EXPECT_NEAR(*s.bestValidation, 0.50, 1e-9);
    EXPECT_EQ(*s.callsUsed, 180);
    EXPECT_NEAR(*s.acceptedShare, 10.0 / 30.0, 1e-9);
    EXPECT_NEAR(*s.callsPerCycle, 6.0, 1e-9);
    EXPECT_EQ(*s.cyclesToBudget, 70);       // (600 - 180) / 6
    EXPECT_EQ(s.cyclesSinceImprovement, 2); // last rise at cycle 27
    EXPECT_EQ(s.bestSeries.size(), 30u);
    EXPECT_EQ(s.acceptSeries.size(), 30u);
    ASSERT_EQ(s.childSeries.size(), 30u);
    EXPECT_DOUBLE_EQ(s.childSeries[0].value, 0.7);
    EXPECT_DOUBLE_EQ(s.childSeries[1].value, 0.35);
    ASSERT_EQ(s.noveltySeries.size(), 15u); // cycles without a novelty score are left out
    EXPECT_DOUBLE_EQ(s.noveltySeries[1].cycle, 2.0);
    ASSERT_EQ(s.successSeries.size(), 30u);
    EXPECT_DOUBLE_EQ(s.successSeries[0].value, 1.0);
    // 6 calls per 6 s cycle: 60 calls per minute, from the second cycle on.
    ASSERT_EQ(s.throughputSeries.size(), 29u);
    EXPECT_NEAR(s.throughputSeries.back().value, 60.0, 1e-9);
    EXPECT_DOUBLE_EQ(s.throughputSeries.front().cycle, 1.0);
    const json j = EvolutionMonitor::toJson(s);
    EXPECT_EQ(j["series"]["child_novelty"].size(), 15u);
    EXPECT_EQ(j["series"]["calls_per_minute"].size(), 29u);
}

TEST(EvolutionMonitor, RecommendsStoppingAPlateauAndWarnsOfTheBudget)
{
    const auto plateau = EvolutionMonitor::status(run(60, 20, 9, 600));
    EXPECT_GE(plateau.cyclesSinceImprovement, 20);
    const QString all = plateau.recommendations.join(u'\n');
    EXPECT_TRUE(all.contains(QStringLiteral("plateaued"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("stuck"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("90 %"))) << all.toStdString(); // 540 of 600

    const auto healthy = EvolutionMonitor::status(run(12, 12, 2, 600));
    EXPECT_EQ(healthy.recommendations.size(), 1);
    EXPECT_TRUE(healthy.recommendations.front().startsWith(QStringLiteral("No problem")));

    const auto empty = EvolutionMonitor::status(run(0, 0));
    EXPECT_EQ(empty.cycles, 0);
    EXPECT_FALSE(empty.bestValidation.has_value());
    EXPECT_TRUE(empty.recommendations.front().contains(QStringLiteral("No cycle")));
}

TEST(EvolutionMonitor, ReportsAreCompleteAndTheHtmlIsSelfContained)
{
    const auto s = EvolutionMonitor::status(run(25, 25));
    const json j = EvolutionMonitor::toJson(s);
    EXPECT_EQ(j["run_id"], "run_t");
    EXPECT_EQ(j["series"]["best_validation"].size(), 25u);
    EXPECT_FALSE(j["recommendations"].empty());

    const QString md = EvolutionMonitor::toMarkdown(s);
    EXPECT_TRUE(md.contains(QStringLiteral("| calls used | 150 of 600 |"))) << md.toStdString();

    const QString html = EvolutionMonitor::toHtml(s);
    EXPECT_EQ(html.count(QStringLiteral("<svg")), 7);
    EXPECT_FALSE(html.contains(QStringLiteral("<script")));
    EXPECT_FALSE(html.contains(QStringLiteral("src="))) << "no external resources";
    EXPECT_FALSE(html.contains(QStringLiteral("<link")));
    EXPECT_TRUE(html.contains(QStringLiteral("<path d='M")));
}

TEST(EvolutionMonitor, ReadsTheBudgetAndTheHeldOutResultAsTrainingSessionStoresThem)
{
    TrainingRun r = run(5, 5);
    r.config = {
        {"checkpoint", {{"budget", {{"max_calls", 300}, {"used", 30}}}}},
        {"report", {{"test", {{"problems", 8}, {"improvement", 0.2}, {"ci95", {0.1, 0.3}}}}}}};
    const auto s = EvolutionMonitor::status(r);
    EXPECT_EQ(s.callsBudget, 300);
    const QString md = EvolutionMonitor::toMarkdown(s);
    EXPECT_TRUE(md.contains(QStringLiteral("improvement of the best version over the start 0.200, "
                                           "95 % CI 0.100 to 0.300 (8 problems)")))
        << md.toStdString();
}

TEST(EvolutionMonitor, MeasuresThroughputTheEtasAndTheSpend)
{
    TrainingRun r = run(30, 30);     // 180 calls used of 600
    r.config["wall_ms"] = 90'000;    // 1.5 min: 120 calls/min
    r.config["budget_hours"] = 0.05; // 3 min
    r.config["spend"] = {{"calls", 190}, {"tokens", 123'456}, {"usd", 0.42}};
    r.config["budget_usd"] = 0.84; // half spent in 1.5 min: 1.5 min to go
    const auto s = EvolutionMonitor::status(r);
    ASSERT_TRUE(s.callsPerMinute && s.etaCallsMs && s.wallLeftMs && s.spentTokens);
    EXPECT_NEAR(*s.callsPerMinute, 120.0, 1e-9);
    EXPECT_EQ(*s.etaCallsMs, 210'000); // 420 calls at 2 per second
    EXPECT_EQ(*s.wallLeftMs, 90'000);
    EXPECT_EQ(*s.spentTokens, 123'456);
    EXPECT_NEAR(*s.spentUsd, 0.42, 1e-12);
    ASSERT_TRUE(s.etaUsdMs);
    EXPECT_NEAR(double(*s.etaUsdMs), 90'000.0, 1.0);
    EXPECT_FALSE(s.etaTokensMs) << "no token budget";
    const QString md = EvolutionMonitor::toMarkdown(s);
    EXPECT_TRUE(md.contains(QStringLiteral("120.0 calls/min"))) << md.toStdString();
    EXPECT_TRUE(md.contains(QStringLiteral("123456 tokens")));
    EXPECT_EQ(EvolutionMonitor::toJson(s)["eta_calls_ms"], 210'000);
    // Without a wall time there is no throughput (never a guess).
    EXPECT_FALSE(EvolutionMonitor::status(run(30, 30)).callsPerMinute);
}
