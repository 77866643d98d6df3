// The Generate dialog, the jobs model and the whole GUI path: dialog → engine thread → new
// problems in the table, with cancel and resume.

#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "tests/ui/llmwindow.h"
#include "tests/ui/uitestsupport.h"
#include "ui/generate/generatedialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/mainwindow.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/problemspanel.h"
#include "ui/workspacecontroller.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::uitest::waitUntil;

namespace {
QList<LlmProviderInfo> simulatedOnly()
{
    LlmProviderInfo info;
    info.id = QStringLiteral("simulated");
    info.label = QStringLiteral("Simulated");
    info.model = QStringLiteral("simulated");
    info.simulated = true;
    return {info};
}
} // namespace

TEST(GenerateDialog, SpecFollowsTheFormAndProblemsAreExplained)
{
    GenerateDialog::forgetSettings();
    const PromptTemplates templates{QString()};
    GenerateDialog dialog(templates, PriceTable::builtIn());
    dialog.setProviders(simulatedOnly(), QStringLiteral("simulated"));
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);

    dialog.setKind(GenerationKind::Variations);
    EXPECT_FALSE(ok->isEnabled()) << "variations need a base problem";
    EXPECT_TRUE(dialog.problem().contains(QStringLiteral("base problem")));
    dialog.setBaseProblem(QStringLiteral("prb_1"), QStringLiteral("Plan a rota."),
                          QStringLiteral("nursing"));
    EXPECT_TRUE(ok->isEnabled()) << dialog.problem().toStdString();
    GenerationSpec s = dialog.spec();
    EXPECT_EQ(s.kind, GenerationKind::Variations);
    EXPECT_EQ(s.baseProblemId, QStringLiteral("prb_1"));
    EXPECT_EQ(s.domain, QStringLiteral("nursing"));
    EXPECT_EQ(s.levels.size(), 3u);
    EXPECT_EQ(s.providerId, QStringLiteral("simulated"));

    dialog.setKind(GenerationKind::Dataset);
    dialog.findChild<QSpinBox *>(QStringLiteral("datasetSize"))->setValue(40);
    s = dialog.spec();
    EXPECT_EQ(s.kind, GenerationKind::Dataset);
    EXPECT_EQ(s.count, 40);
    EXPECT_TRUE(s.baseProblemId.isEmpty()) << "a dataset has no base problem";
    EXPECT_DOUBLE_EQ(s.mix.at(Complexity::Medium), 0.5);
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("~46 calls")))
        << dialog.estimateText().toStdString();
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("free")));

    dialog.findChild<QLineEdit *>(QStringLiteral("domain"))->clear();
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.problem().contains(QStringLiteral("domain")));

    dialog.setKind(GenerationKind::Matrix);
    EXPECT_FALSE(ok->isEnabled()) << "no matrix yet";
    dialog.setMatrix(QStringLiteral("A: 1, 2\nB: x, y\n"), 2, 7, 4);
    EXPECT_TRUE(ok->isEnabled()) << dialog.problem().toStdString();
    EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("no LLM calls")));
    EXPECT_EQ(dialog.spec().seed, 7u);
}

TEST(JobTableModel, FollowsTheEngineAndReloadsFromTheWorkspace)
{
    uitest::TempWorkspace tmp(0);
    auto ws = Workspace::open(tmp.path);
    JobRecord old;
    old.id = QStringLiteral("job_old");
    old.kind = QStringLiteral("seeds");
    old.status = JobStatus::Failed;
    old.error = QStringLiteral("budget spent");
    old.done = 3;
    old.total = 5;
    JobRepository(*ws).create(old);

    JobTableModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setWorkspace(ws.get());
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, JobTableModel::ProgressColumn).data().toString(),
              QStringLiteral("3 / 5"));
    EXPECT_TRUE(model.index(0, 0).data(JobTableModel::ResumableRole).toBool());
    EXPECT_EQ(model.index(0, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("budget spent"));

    model.onStarted(QStringLiteral("job_new"), QStringLiteral("dataset"));
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.rowOf(QStringLiteral("job_new")), 0) << "newest first";
    JobProgress p;
    p.jobId = QStringLiteral("job_new");
    p.kind = QStringLiteral("dataset");
    p.accepted = 25;
    p.target = 100;
    p.rejected = 4;
    p.costUsd = 0.0125;
    p.elapsedMs = 10'000;
    p.etaMs = 30'000;
    model.onProgress(p);
    EXPECT_EQ(model.index(0, JobTableModel::ProgressColumn).data(JobTableModel::ProgressRole), 25);
    EXPECT_EQ(model.index(0, JobTableModel::CostColumn).data().toString(),
              QStringLiteral("$0.0125"));
    EXPECT_TRUE(model.index(0, JobTableModel::TimeColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("30 s left")));
    EXPECT_TRUE(model.index(0, 0).data(JobTableModel::ActiveRole).toBool());
    EXPECT_FALSE(model.index(0, 0).data(JobTableModel::ResumableRole).toBool());

    JobOutcome outcome;
    outcome.jobId = QStringLiteral("job_new");
    outcome.status = JobStatus::Cancelled;
    outcome.error = QStringLiteral("cancelled");
    model.onFinished(outcome);
    EXPECT_EQ(model.index(0, JobTableModel::StatusColumn).data().toString(),
              QStringLiteral("cancelled"));
    EXPECT_TRUE(model.index(0, 0).data(JobTableModel::ResumableRole).toBool());
}

TEST(GenerationGui, DatasetFromTheDialogAppearsLiveAndResumesAfterCancel)
{
    uitest::LlmWindow app(QStringLiteral("g.crucible"));
    ASSERT_TRUE(app.open());
    MainWindow &window = *app.window;
    QTemporaryDir &dir = app.dir;
    const QString &path = app.path;
    GenerationPanel *panel = window.generationPanel();
    ASSERT_NE(panel, nullptr);

    // The dialog, filled in and accepted like a person would.
    panel->openDialog(GenerationKind::Dataset);
    GenerateDialog *dialog = panel->dialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(waitUntil(
        [&] { return dialog->findChild<QComboBox *>(QStringLiteral("provider"))->count() > 0; },
        10000));
    dialog->findChild<QLineEdit *>(QStringLiteral("domain"))->setText(QStringLiteral("rail"));
    dialog->findChild<QSpinBox *>(QStringLiteral("datasetSize"))->setValue(30);
    dialog->accept();

    JobTableModel *jobs = panel->model();
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 1 &&
                   jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                       QStringLiteral("completed");
        },
        60000))
        << panel->statusText().toStdString();
    EXPECT_EQ(jobs->index(0, JobTableModel::ProgressColumn).data().toString(),
              QStringLiteral("30 / 30"));
    ASSERT_TRUE(waitUntil([&] { return window.problemsPanel()->totalCount() == 30; }, 10000))
        << "the new problems show in the table without a manual reload";

    // Its details, and its dataset exported with the card, off the GUI thread.
    auto *jobsTable = panel->findChild<QTableView *>(QStringLiteral("jobsTable"));
    jobsTable->selectRow(0);
    EXPECT_TRUE(panel->detailsText().contains(QStringLiteral("Accepted 30")))
        << panel->detailsText().toStdString();
    EXPECT_TRUE(panel->detailsText().contains(QStringLiteral("Diversity")));
    auto *exportButton = panel->findChild<QPushButton *>(QStringLiteral("exportDataset"));
    ASSERT_TRUE(exportButton->isEnabled());
    const QString out = dir.filePath(QStringLiteral("rail.jsonl"));
    QSignalSpy exported(panel, &GenerationPanel::exportFinished);
    panel->exportSelectedDataset(out);
    ASSERT_TRUE(exported.wait(20000));
    EXPECT_TRUE(exported.at(0).at(2).toString().isEmpty())
        << exported.at(0).at(2).toString().toStdString();
    EXPECT_EQ(exported.at(0).at(1).toLongLong(), 30);
    QFile jsonl(out);
    ASSERT_TRUE(jsonl.open(QIODevice::ReadOnly));
    EXPECT_EQ(jsonl.readAll().count('\n'), 30);
    EXPECT_TRUE(QFile::exists(dir.filePath(QStringLiteral("rail.md"))));

    // A big one, cancelled from the panel, then resumed to the end.
    GenerationSpec big;
    big.kind = GenerationKind::Dataset;
    big.domain = QStringLiteral("ports");
    big.count = 400;
    big.concurrency = 2;
    panel->start(big);
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 2 && jobs->index(0, JobTableModel::ProgressColumn)
                                                    .data(JobTableModel::ProgressRole)
                                                    .toInt() >= 5;
        },
        60000));
    auto *table = panel->findChild<QTableView *>(QStringLiteral("jobsTable"));
    table->selectRow(0);
    auto *cancel = panel->findChild<QPushButton *>(QStringLiteral("cancelJob"));
    ASSERT_TRUE(cancel->isEnabled());
    cancel->click();
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                   QStringLiteral("cancelled");
        },
        30000));
    auto *resume = panel->findChild<QPushButton *>(QStringLiteral("resumeJob"));
    table->selectRow(0);
    ASSERT_TRUE(resume->isEnabled());
    resume->click();
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                   QStringLiteral("completed");
        },
        120000))
        << panel->statusText().toStdString();
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    ProblemFilter ports;
    ports.domain = QStringLiteral("ports");
    EXPECT_EQ(ProblemRepository(*ws).count(ports), 400);
}

TEST(ProblemDetailView, ShowsTheProvenanceOfGeneratedProblems)
{
    uitest::TempWorkspace tmp(0);
    auto ws = Workspace::open(tmp.path);
    Problem p = uitest::makeProblem(1);
    p.baseProblemId.clear();
    p.origin = ProblemOrigin::Adversarial;
    p.metadata = {
        {"generator", "adversarial"},
        {"template", {{"id", "generate.adversarial"}, {"version", 2}}},
        {"job_id", "job_abc"},
        {"parameters", {{"provider", "openai"}, {"model", "gpt-4o"}, {"temperature", 0.9}}},
        {"call_ids", {"call_1", "call_2"}},
        {"cost_usd", 0.0042},
        {"adversarial",
         {{"strategy", "edge_case"},
          {"attacked_assumption", "that the ward is never empty"},
          {"must_notice", "a night with zero patients"},
          {"expected_failure", "divides by the patient count"}}}};
    ProblemRepository(*ws).insert(p);
    ProblemDetailView view;
    view.setWorkspace(ws.get());
    view.showProblem(p.id);
    const QString text = view.statementText();
    EXPECT_TRUE(text.contains(QStringLiteral("Provenance"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("generate.adversarial v2")));
    EXPECT_TRUE(text.contains(QStringLiteral("job_abc")));
    EXPECT_TRUE(text.contains(QStringLiteral("openai gpt-4o")));
    EXPECT_TRUE(text.contains(QStringLiteral("$0.0042")));
    EXPECT_TRUE(text.contains(QStringLiteral("call_1, call_2")));
    EXPECT_TRUE(text.contains(QStringLiteral("a night with zero patients")));

    Problem plain = uitest::makeProblem(2);
    ProblemRepository(*ws).insert(plain);
    view.showProblem(plain.id);
    EXPECT_FALSE(view.statementText().contains(QStringLiteral("Provenance")));
}

TEST(GenerationGui, MatrixEditorGenerateMakesOneProblemPerRow)
{
    uitest::LlmWindow app(QStringLiteral("m.crucible"));
    ASSERT_TRUE(app.open());
    MainWindow &window = *app.window;
    const QString &path = app.path;

    MatrixEditorPanel *matrix = window.matrixEditor();
    ASSERT_TRUE(matrix->loadPictText(QStringLiteral("Size: S, M, L\nColor: red, blue\n"
                                                    "Shape: box, ball, cone\n")));
    ASSERT_TRUE(waitUntil([&] { return matrix->canGenerate(); }, 20000));
    const int rows = static_cast<int>(matrix->analysis().rows.size());
    ASSERT_GE(rows, 9);
    emit matrix->generateRequested(matrix->pictText(), 2, 1);
    GenerateDialog *dialog = window.generationPanel()->dialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->kind(), GenerationKind::Matrix);
    EXPECT_TRUE(dialog->estimateText().contains(QString::number(rows)));
    dialog->findChild<QLineEdit *>(QStringLiteral("domain"))->setText(QStringLiteral("toys"));
    dialog->findChild<QLineEdit *>(QStringLiteral("statementTemplate"))
        ->setText(QStringLiteral("A {Color} {Shape} of size {Size}"));
    dialog->accept();

    JobTableModel *jobs = window.generationPanel()->model();
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 1 &&
                   jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                       QStringLiteral("completed");
        },
        30000))
        << window.generationPanel()->statusText().toStdString();
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    ProblemFilter toys;
    toys.domain = QStringLiteral("toys");
    EXPECT_EQ(ProblemRepository(*ws).count(toys), rows) << "the rows shown are the rows made";
    const auto page = ProblemRepository(*ws).page(toys, 0, 1);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_TRUE(page[0].statement.startsWith(QStringLiteral("A ")))
        << page[0].statement.toStdString();
    EXPECT_TRUE(page[0].statement.contains(QStringLiteral(" of size ")));
}

TEST(GenerationGui, ClosingTheAppMidJobLosesNothingAndTheJobResumes)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.crucible"));
    Workspace::create(path);
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    QString jobId;
    {
        WorkspaceController controller;
        LlmEngineHost host(options);
        MainWindow window(&controller, &host);
        ASSERT_TRUE(controller.open(path));
        GenerationSpec s;
        s.kind = GenerationKind::Dataset;
        s.domain = QStringLiteral("harbours");
        s.count = 300;
        s.concurrency = 4;
        window.generationPanel()->start(s);
        JobTableModel *jobs = window.generationPanel()->model();
        ASSERT_TRUE(waitUntil(
            [&] {
                return jobs->rowCount() == 1 &&
                       jobs->index(0, 0).data(JobTableModel::ProgressRole).toInt() >= 3;
            },
            30000));
        jobId = jobs->index(0, 0).data(JobTableModel::JobIdRole).toString();
        // The window, the engine thread and the job go away with work in flight.
    }
    qint64 before = 0;
    {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        before = ProblemRepository(*ws).count();
        EXPECT_GT(before, 0);
        EXPECT_LT(before, 300);
    }
    WorkspaceController controller;
    LlmEngineHost host(options);
    MainWindow window(&controller, &host);
    ASSERT_TRUE(controller.open(path));
    JobTableModel *jobs = window.generationPanel()->model();
    ASSERT_EQ(jobs->rowCount(), 1);
    EXPECT_EQ(jobs->index(0, JobTableModel::StatusColumn).data().toString(),
              QStringLiteral("interrupted"));
    EXPECT_TRUE(jobs->index(0, 0).data(JobTableModel::ResumableRole).toBool());
    host.resumeGeneration(jobId);
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                   QStringLiteral("completed");
        },
        120000))
        << window.generationPanel()->statusText().toStdString();
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    EXPECT_EQ(ProblemRepository(*ws).count(), 300);
}
