// The Training dashboard: lists a workspace's training runs (newest first), charts the selected
// run's per-cycle metrics, and follows a running run by appending only its new cycles.

#include "core/evolve/runowner.h"
#include "core/store/entityrepository.h"
#include "tests/ui/uitestsupport.h"
#include "ui/training/livechart.h"
#include "ui/training/trainingdashboard.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <gtest/gtest.h>

namespace crucible {
namespace {

using nlohmann::json;

TrainingRun makeRun(const QString &id, int cycles, TrainingRun::State state, int minutesAgo)
{
    TrainingRun r;
    r.id = id;
    r.name = QStringLiteral("run %1").arg(id);
    r.state = state;
    r.config = {{"domain", "nursing"}, {"optimizer", "reflective"}, {"budget_calls", 600}};
    for (int c = 0; c < cycles; ++c)
        r.metrics.push_back({{"cycle", c},
                             {"op", "reflect"},
                             {"accepted", c % 3 == 0},
                             {"calls_used", 12 * (c + 1)},
                             {"best_validation", 0.3 + 0.01 * c}});
    r.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    if (state == TrainingRun::State::Running)
        r.config["owner"] = evolve::RunOwner::current(); // this process runs it
    return r;
}

TEST(TrainingDashboard, ListsRunsNewestFirstAndChartsTheSelectedOne)
{
    uitest::TempWorkspace tw(0);
    auto ws = Workspace::open(tw.path);
    TrainingRun old = makeRun(QStringLiteral("run_old"), 30, TrainingRun::State::Finished, 60);
    old.config["report"] = {
        {"test", {{"problems", 9}, {"improvement", 0.12}, {"ci95", {0.05, 0.19}}}}};
    EntityStore(*ws).put(old);
    EntityStore(*ws).put(makeRun(QStringLiteral("run_new"), 5, TrainingRun::State::Running, 1));

    TrainingDashboard dashboard;
    dashboard.resize(1200, 700);
    dashboard.show();
    QSignalSpy loaded(&dashboard, &TrainingDashboard::loaded);
    dashboard.setWorkspace(ws.get());
    ASSERT_TRUE(loaded.wait(5000));
    ASSERT_EQ(dashboard.runsTable()->rowCount(), 2);
    EXPECT_EQ(dashboard.runsTable()->item(0, 0)->text(), QStringLiteral("run_new"));
    EXPECT_EQ(dashboard.runsTable()->item(0, 2)->text(), QStringLiteral("running"));
    EXPECT_EQ(dashboard.runsTable()->item(1, 4)->text(), QStringLiteral("0.590"))
        << "the last cycle's best validation quality";
    EXPECT_EQ(dashboard.selectedRunId(), QStringLiteral("run_new"));
    EXPECT_EQ(dashboard.chartedCycles(), 5);
    EXPECT_EQ(dashboard.qualityChart()->pointCount(0), 5u);
    EXPECT_TRUE(dashboard.summaryText().contains(QStringLiteral("reflective")));

    // The running run goes on (as crucible-cli train would write it): only new cycles are added.
    TrainingRun more = makeRun(QStringLiteral("run_new"), 9, TrainingRun::State::Running, 1);
    EntityStore(*ws).put(more);
    dashboard.reload();
    ASSERT_TRUE(loaded.wait(5000));
    EXPECT_EQ(dashboard.chartedCycles(), 9);
    EXPECT_EQ(dashboard.qualityChart()->pointCount(0), 9u) << "appended, not charted twice";
    EXPECT_EQ(dashboard.spendChart()->pointCount(0), 9u);
    EXPECT_EQ(dashboard.acceptanceChart()->pointCount(0), 9u);

    // Another run shows its own history from the start, and a finished run its held-out result.
    dashboard.runsTable()->selectRow(1);
    EXPECT_EQ(dashboard.selectedRunId(), QStringLiteral("run_old"));
    EXPECT_EQ(dashboard.qualityChart()->pointCount(0), 30u);
    EXPECT_TRUE(dashboard.summaryText().contains(
        QStringLiteral("improvement 0.120 (95 % CI 0.050 to 0.190) over 9 problems")))
        << dashboard.summaryText().toStdString();

    dashboard.setWorkspace(nullptr);
    EXPECT_EQ(dashboard.runsTable()->rowCount(), 0);
    EXPECT_EQ(dashboard.qualityChart()->pointCount(0), 0u);
}

TEST(TrainingDashboard, AnEmptyWorkspaceSaysHowToStartARun)
{
    uitest::TempWorkspace tw(0);
    auto ws = Workspace::open(tw.path);
    TrainingDashboard dashboard;
    dashboard.show();
    QSignalSpy loaded(&dashboard, &TrainingDashboard::loaded);
    dashboard.setWorkspace(ws.get());
    ASSERT_TRUE(loaded.wait(5000));
    EXPECT_EQ(dashboard.runsTable()->rowCount(), 0);
    const auto labels = dashboard.findChildren<QLabel *>();
    const bool explained = std::any_of(labels.begin(), labels.end(), [](QLabel *l) {
        return l->isVisible() && l->text().contains(QStringLiteral("crucible-cli train"));
    });
    EXPECT_TRUE(explained);
}

} // namespace
} // namespace crucible
