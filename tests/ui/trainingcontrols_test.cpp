// Starting and steering training runs from the window: the New training run dialog (parameters
// that follow the form, the estimate before anything is spent, what blocks Start), and the
// dashboard's Pause / Stop (written into the run's job for whichever process runs it), Resume
// (offered for an interrupted run whose process is gone) and Save report; a new run that
// generates its dataset first (a new domain typed in, the run started when the dataset job
// completes, nothing started when it does not).

#include "core/evolve/runowner.h"
#include "core/llm/prompttemplates.h"
#include "core/store/agentrepository.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "tests/ui/uitestsupport.h"
#include "ui/training/datasetthentraining.h"
#include "ui/training/livechart.h"
#include "ui/training/newtrainingrundialog.h"
#include "ui/training/trainingdashboard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtCharts/QAbstractSeries>
#include <gtest/gtest.h>

namespace crucible {
namespace {

using nlohmann::json;
using uitest::waitUntil;

QList<LlmProviderInfo> simulatedOnly()
{
    LlmProviderInfo info;
    info.id = QStringLiteral("simulated");
    info.label = QStringLiteral("Simulated");
    info.model = QStringLiteral("simulated");
    info.simulated = true;
    return {info};
}

TEST(NewTrainingRunDialog, ParametersFollowTheFormWithAnEstimateAndClearBlocks)
{
    uitest::TempWorkspace tw(30); // 10 problems in each of three domains
    auto ws = Workspace::open(tw.path);
    const PromptTemplates templates;
    AgentRepository(*ws, templates).ensureTemplates();
    NewTrainingRunDialog dialog(ws.get());
    dialog.setProviders(simulatedOnly(), QStringLiteral("simulated"));
    ASSERT_EQ(dialog.domainBox()->count(), 3);
    EXPECT_TRUE(dialog.problemText().isEmpty()) << dialog.problemText().toStdString();
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("calls")))
        << dialog.estimateText().toStdString();
    json p = dialog.params();
    EXPECT_EQ(p["settings"]["max_calls"], 600);
    EXPECT_EQ(p["optimizer"], "reflective");
    EXPECT_EQ(p["provider"], "simulated");
    EXPECT_FALSE(p.contains("landscape_seed"));
    // The generator template is the start: it is specialised for the domain unless unticked.
    EXPECT_TRUE(dialog.specializeBox()->isEnabled());
    EXPECT_EQ(p["specialize"], true);
    dialog.specializeBox()->setChecked(false);
    EXPECT_EQ(dialog.params()["specialize"], false);
    dialog.specializeBox()->setChecked(true);

    dialog.landscapeBox()->setChecked(true);
    dialog.callsBox()->setValue(200);
    p = dialog.params();
    EXPECT_EQ(p["landscape_seed"], 1);
    EXPECT_EQ(p["settings"]["max_calls"], 200);

    dialog.callsBox()->setValue(0); // no budget at all
    EXPECT_TRUE(dialog.problemText().contains(QStringLiteral("budget")));
    dialog.callsBox()->setValue(100);
    dialog.optimizerBox()->setCurrentIndex(
        dialog.optimizerBox()->findData(QStringLiteral("personality")));
    EXPECT_TRUE(dialog.problemText().isEmpty()) << "default targets are filled in";
    EXPECT_EQ(dialog.params()["settings"]["targets"]["success"], 0.9);

    // Three agents side by side: one run each, one group, the budget shared out.
    dialog.agentsBox()->setValue(3);
    EXPECT_EQ(dialog.params()["agents"], 3);
    QSignalSpy started(&dialog, &NewTrainingRunDialog::startRequested);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    ASSERT_EQ(started.count(), 3);
    std::set<int> indexes;
    for (int i = 0; i < 3; ++i) {
        const auto request = started.at(i).at(0).value<EngineJobRequest>();
        EXPECT_EQ(request.kind, QStringLiteral("train"));
        EXPECT_EQ(request.params["optimizer"], "personality");
        EXPECT_EQ(request.params["settings"]["max_calls"], 33);
        EXPECT_EQ(request.params["group"]["id"],
                  started.at(0).at(0).value<EngineJobRequest>().params["group"]["id"]);
        EXPECT_FALSE(request.params.contains("agents"));
        indexes.insert(request.params["group"]["index"].get<int>());
    }
    EXPECT_EQ(indexes.size(), 3u);
}

TEST(NewTrainingRunDialog, ADomainWithTooFewProblemsBlocksStart)
{
    uitest::TempWorkspace tw(9); // three per domain
    auto ws = Workspace::open(tw.path);
    const PromptTemplates templates;
    AgentRepository(*ws, templates).ensureTemplates();
    NewTrainingRunDialog dialog(ws.get());
    dialog.setProviders(simulatedOnly(), QStringLiteral("simulated"));
    EXPECT_TRUE(dialog.problemText().contains(QStringLiteral("at least 6")))
        << dialog.problemText().toStdString();
    EXPECT_FALSE(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
}

TEST(NewTrainingRunDialog, ANewDomainGeneratesItsDatasetFirstAndTheRunStartsOnIt)
{
    uitest::TempWorkspace tw(0); // a fresh workspace: no problems at all
    auto ws = Workspace::open(tw.path);
    const PromptTemplates templates;
    AgentRepository(*ws, templates).ensureTemplates();
    NewTrainingRunDialog dialog(ws.get());
    dialog.setProviders(simulatedOnly(), QStringLiteral("simulated"));
    EXPECT_TRUE(dialog.problemText().contains(QStringLiteral("Name a domain")))
        << dialog.problemText().toStdString();
    dialog.domainBox()->setEditText(QStringLiteral("hospital logistics"));
    // Nothing to choose for a new domain: its dataset is generated first, with both estimated.
    EXPECT_EQ(dialog.datasetBox()->currentData().toString(), QStringLiteral("__generate__"));
    EXPECT_TRUE(dialog.problemText().isEmpty()) << dialog.problemText().toStdString();
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("generate 30 problems")))
        << dialog.estimateText().toStdString();
    dialog.generateSizeBox()->setValue(24);
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("generate 24 problems")));

    QSignalSpy chained(&dialog, &NewTrainingRunDialog::generateThenStartRequested);
    QSignalSpy direct(&dialog, &NewTrainingRunDialog::startRequested);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    ASSERT_EQ(chained.count(), 1);
    EXPECT_EQ(direct.count(), 0);
    const auto dataset = chained.at(0).at(0).value<GenerationRequest>();
    const auto run = chained.at(0).at(1).value<EngineJobRequest>();
    EXPECT_EQ(dataset.spec.kind, GenerationKind::Dataset);
    EXPECT_EQ(dataset.spec.domain, QStringLiteral("hospital logistics"));
    EXPECT_EQ(dataset.spec.count, 24);
    EXPECT_EQ(run.params["domain"], "hospital logistics");
    EXPECT_EQ(run.params["dataset_id"], "");

    // The dataset job ends: the run starts on that dataset; another job's dataset is ignored,
    // and a job that did not complete starts nothing.
    DatasetThenTraining chain(nullptr, [&ws] { return ws.get(); });
    QSignalSpy ready(&chain, &DatasetThenTraining::runReady);
    QSignalSpy said(&chain, &DatasetThenTraining::statusMessage);
    chain.start(dataset, run);
    chain.start(
        [&] {
            GenerationRequest other = dataset;
            other.spec.datasetName = QStringLiteral("another");
            return other;
        }(),
        run);
    ASSERT_EQ(chain.waiting(), 2);
    Dataset d;
    d.id = QStringLiteral("ds_made");
    d.name = dataset.spec.datasetName;
    d.domain = dataset.spec.domain;
    DatasetRepository(*ws).insert(d);
    Dataset unrelated = d;
    unrelated.id = QStringLiteral("ds_unrelated");
    unrelated.name = QStringLiteral("made elsewhere");
    DatasetRepository(*ws).insert(unrelated);
    JobOutcome elsewhere;
    elsewhere.status = JobStatus::Completed;
    elsewhere.summary = {{"dataset_id", "ds_unrelated"}};
    chain.onDatasetJobFinished(elsewhere);
    EXPECT_EQ(ready.count(), 0);
    JobOutcome done = elsewhere;
    done.summary = {{"dataset_id", "ds_made"}};
    chain.onDatasetJobFinished(done);
    ASSERT_EQ(ready.count(), 1);
    EXPECT_EQ(ready.at(0).at(0).value<EngineJobRequest>().params["dataset_id"], "ds_made");
    EXPECT_EQ(chain.waiting(), 1);

    Dataset failed = d;
    failed.id = QStringLiteral("ds_failed");
    failed.name = QStringLiteral("another");
    DatasetRepository(*ws).insert(failed);
    JobOutcome broken;
    broken.jobId = QStringLiteral("job_x");
    broken.status = JobStatus::Failed;
    broken.error = QStringLiteral("provider down");
    broken.summary = {{"dataset_id", "ds_failed"}};
    chain.onDatasetJobFinished(broken);
    EXPECT_EQ(ready.count(), 1);
    EXPECT_EQ(chain.waiting(), 0);
    EXPECT_TRUE(said.last().at(0).toString().contains(QStringLiteral("was not started")));
}

TrainingRun runWithJob(Workspace &ws, const QString &id, const json &owner)
{
    TrainingRun r;
    r.id = id;
    r.name = id;
    r.state = TrainingRun::State::Running;
    r.createdAt = QDateTime::currentDateTimeUtc();
    r.config = {{"job_id", id.toStdString()}, {"owner", owner}};
    r.metrics = json::array({{{"cycle", 1}, {"calls_used", 10}, {"best_validation", 0.4}}});
    EntityStore(ws).put(r);
    JobRecord job;
    job.id = id;
    job.kind = QStringLiteral("train");
    JobRepository(ws).create(job);
    return r;
}

TEST(TrainingDashboardControls, PauseAndStopReachTheJobAndAnInterruptedRunOffersResume)
{
    uitest::TempWorkspace tw(0);
    auto ws = Workspace::open(tw.path);
    runWithJob(*ws, QStringLiteral("trn_live"), evolve::RunOwner::current());
    json gone = evolve::RunOwner::current();
    gone["started"] = gone["started"].get<qint64>() + 1; // a recycled pid: not this process
    runWithJob(*ws, QStringLiteral("trn_gone"), gone);

    TrainingDashboard dashboard;
    dashboard.resize(1200, 700);
    dashboard.show();
    QSignalSpy loaded(&dashboard, &TrainingDashboard::loaded);
    QSignalSpy interrupted(&dashboard, &TrainingDashboard::interruptedRunFound);
    dashboard.setWorkspace(ws.get());
    ASSERT_TRUE(loaded.wait(5000));
    ASSERT_EQ(dashboard.runsTable()->rowCount(), 2);
    // Opening the workspace announces the interrupted run (the window then shows the dock
    // with it selected), once: not the live one, and not again on later reads.
    ASSERT_EQ(interrupted.count(), 1);
    EXPECT_EQ(interrupted.at(0).at(0).toString(), QStringLiteral("trn_gone"));
    for (int row = 0; row < 2; ++row) {
        dashboard.runsTable()->selectRow(row);
        const bool live = dashboard.selectedRunId() == u"trn_live";
        EXPECT_EQ(dashboard.runsTable()->item(row, 2)->text(),
                  live ? QStringLiteral("running") : QStringLiteral("interrupted"));
        EXPECT_EQ(dashboard.pauseButton()->isEnabled(), live);
        EXPECT_EQ(dashboard.stopButton()->isEnabled(), live);
        EXPECT_EQ(dashboard.resumeButton()->isEnabled(), !live);
    }

    const auto select = [&dashboard](const QString &id) {
        for (int row = 0; row < dashboard.runsTable()->rowCount(); ++row)
            if (dashboard.runsTable()->item(row, 0)->text() == id)
                dashboard.runsTable()->selectRow(row);
    };
    // Resume on the interrupted run asks the window to resume its job.
    select(QStringLiteral("trn_gone"));
    QSignalSpy resume(&dashboard, &TrainingDashboard::resumeRequested);
    dashboard.resumeButton()->click();
    ASSERT_EQ(resume.count(), 1);
    EXPECT_EQ(resume.at(0).at(0).toString(), QStringLiteral("trn_gone"));

    // Pause on the live run is written into its job (read between units of work).
    select(QStringLiteral("trn_live"));
    QSignalSpy status(&dashboard, &TrainingDashboard::statusMessage);
    dashboard.pauseButton()->click();
    ASSERT_TRUE(waitUntil([&] { return status.count() > 0; }, 5000));
    EXPECT_EQ(JobRepository(*ws).control(QStringLiteral("trn_live")), QStringLiteral("pause"));
    EXPECT_EQ(JobRepository(*ws).control(QStringLiteral("trn_gone")), QString());

    // Summarise asks the window for an LLM summary of the selected run; a stored summary shows
    // beside the run, labelled as the model's.
    select(QStringLiteral("trn_gone"));
    EXPECT_TRUE(dashboard.summarizeButton()->isEnabled());
    QSignalSpy summary(&dashboard, &TrainingDashboard::summaryRequested);
    dashboard.summarizeButton()->click();
    ASSERT_EQ(summary.count(), 1);
    EXPECT_EQ(summary.at(0).at(0).toString(), QStringLiteral("trn_gone"));
    EXPECT_FALSE(dashboard.summarizeButton()->isEnabled()) << "once, until the run is read again";
    auto stored = EntityStore(*ws).get<TrainingRun>(QStringLiteral("trn_gone"));
    stored->config["summary"] = {{"summary", "The run moved the validation score from 0.40."},
                                 {"highlights", {"One cycle finished."}},
                                 {"risks", json::array()},
                                 {"next_steps", json::array()},
                                 {"model", "m1"},
                                 {"cycles", 1}};
    EntityStore(*ws).put(*stored);
    QSignalSpy reloaded(&dashboard, &TrainingDashboard::loaded);
    dashboard.reload();
    ASSERT_TRUE(reloaded.wait(5000));
    EXPECT_EQ(interrupted.count(), 1);
    select(QStringLiteral("trn_gone"));
    ASSERT_TRUE(waitUntil(
        [&] { return dashboard.summaryHtml().contains(QStringLiteral("One cycle finished.")); },
        5000))
        << dashboard.summaryHtml().toStdString();
    EXPECT_TRUE(dashboard.summaryHtml().contains(QStringLiteral("Written by the model m1")));
    EXPECT_TRUE(dashboard.summarizeButton()->isEnabled());

    // The report as a self-contained page.
    const QString file = tw.dir.filePath(QStringLiteral("report.html"));
    ASSERT_TRUE(dashboard.writeReport(QStringLiteral("trn_live"), file));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll();
    EXPECT_TRUE(html.contains("<svg")) << "charts inline";
    EXPECT_FALSE(html.contains("<script"));
}

} // namespace
} // namespace crucible

namespace crucible {
namespace {

TEST(TrainingDashboardControls, TheOtherAgentsOfAGroupAreDrawnBesideTheSelectedOne)
{
    uitest::TempWorkspace tw(0);
    auto ws = Workspace::open(tw.path);
    for (int i = 0; i < 3; ++i) {
        TrainingRun r = runWithJob(*ws, QStringLiteral("trn_g%1").arg(i), json::object());
        r.config["group"] = {{"id", "grp_x"}, {"index", i}, {"size", 3}};
        r.metrics = json::array();
        for (int c = 0; c < 5 + i; ++c)
            r.metrics.push_back({{"cycle", c}, {"calls_used", c}, {"best_validation", 0.1 * i}});
        EntityStore(*ws).put(r);
    }
    runWithJob(*ws, QStringLiteral("trn_alone"), json::object());
    TrainingDashboard dashboard;
    dashboard.resize(1200, 700);
    dashboard.show();
    QSignalSpy loaded(&dashboard, &TrainingDashboard::loaded);
    dashboard.setWorkspace(ws.get());
    ASSERT_TRUE(loaded.wait(5000));
    const auto select = [&dashboard](const QString &id) {
        for (int row = 0; row < dashboard.runsTable()->rowCount(); ++row)
            if (dashboard.runsTable()->item(row, 0)->text() == id)
                dashboard.runsTable()->selectRow(row);
    };
    const auto drawn = [&dashboard] {
        std::vector<std::size_t> counts; // points of the visible lines besides best and tried
        LiveChart *chart = dashboard.qualityChart();
        const auto lines = chart->chart()->series();
        for (int i = 2; i < chart->seriesCount(); ++i)
            if (lines.at(i)->isVisible())
                counts.push_back(chart->pointCount(i));
        return counts;
    };
    select(QStringLiteral("trn_g0"));
    ASSERT_TRUE(waitUntil([&] { return drawn().size() == 2; }, 5000));
    EXPECT_EQ(drawn(), (std::vector<std::size_t>{6, 7})) << "agents 2 and 3, all their cycles";
    select(QStringLiteral("trn_alone"));
    ASSERT_TRUE(waitUntil([&] { return drawn().empty(); }, 5000));
}

} // namespace
} // namespace crucible
