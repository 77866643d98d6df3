// MainWindow's training part: the Training dashboard dock (View → Training, Ctrl+Shift+L), which
// follows the open workspace and shows its self-training runs with their live charts; its New
// run… opens the NewTrainingRunDialog, and runs start and resume on the engine thread as
// engine jobs (kind "train").

#include "ui/mainwindow.h"

#include "core/evolve/runsummaryjob.h"

#include "core/engine/evaluationengine.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/tournament/tournamentdock.h"
#include "ui/training/datasetthentraining.h"
#include "ui/training/newtrainingrundialog.h"
#include "ui/training/trainingdashboard.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>
#include <QTimer>

namespace crucible {

namespace {
constexpr int kTrainingStatusMs = 8000;
} // namespace

void MainWindow::createTrainingDock()
{
    m_training = new TrainingDashboard(this);
    m_trainingDock = new QDockWidget(tr("Training"), this);
    m_trainingDock->setObjectName(QStringLiteral("trainingDock"));
    m_trainingDock->setWidget(m_training);
    addDockWidget(Qt::BottomDockWidgetArea, m_trainingDock);
    if (m_tournamentDock)
        tabifyDockWidget(m_tournamentDock, m_trainingDock);
    m_trainingDock->hide(); // opened from View (Ctrl+Shift+L)
    connect(m_controller, &WorkspaceController::workspaceChanged, m_training,
            &TrainingDashboard::setWorkspace);
    m_training->setWorkspace(m_controller->workspace());
    connect(m_training, &TrainingDashboard::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, kTrainingStatusMs);
    });
    connect(m_training, &TrainingDashboard::statusMessage, this, [this](const QString &message) {
        statusBar()->showMessage(message, kTrainingStatusMs);
    });
    // Reopening a workspace after a crash or kill puts an interrupted run in front, with
    // Resume, instead of leaving it to be found.
    connect(m_training, &TrainingDashboard::interruptedRunFound, this,
            [this](const QString &runId) {
                showTrainingDock();
                m_training->follow(runId);
                statusBar()->showMessage(tr("Training run %1 was interrupted (the app or the "
                                            "process stopped). Resume continues it from its last "
                                            "checkpoint; nothing done so far is lost.")
                                             .arg(runId),
                                         kTrainingStatusMs);
            });
    connect(m_training, &TrainingDashboard::newRunRequested, this,
            &MainWindow::openNewTrainingRunDialog);
    connect(m_training, &TrainingDashboard::resumeRequested, this, [this](const QString &runId) {
        if (!m_llm)
            return;
        m_llm->resumeEngineJob(runId);
        statusBar()->showMessage(
            tr("Resuming training run %1 from its last checkpoint.").arg(runId), kTrainingStatusMs);
    });
    connect(m_training, &TrainingDashboard::summaryRequested, this, [this](const QString &runId) {
        if (!m_llm)
            return;
        EngineJobRequest request;
        request.kind = QString::fromLatin1(evolve::RunSummaryJob::kKind);
        request.params = {{"run_id", runId.toStdString()}};
        request.providerId = m_generation ? m_generation->defaultProvider() : QString();
        m_llm->startEngineJob(request);
        statusBar()->showMessage(
            tr("Asking the LLM for a summary of run %1; it appears beside the run when it is "
               "written.")
                .arg(runId),
            kTrainingStatusMs);
    });
    m_datasetThenTraining = new DatasetThenTraining(
        m_llm, [this] { return m_controller->workspace(); }, this);
    connect(
        m_datasetThenTraining, &DatasetThenTraining::statusMessage, this,
        [this](const QString &message) { statusBar()->showMessage(message, kTrainingStatusMs); });
    if (m_llm) {
        // A run started or finished here shows at once (the dashboard also polls).
        connect(m_llm->evaluation(), &EvaluationEngine::jobStarted, m_training,
                [this](const QString &id, const QString &kind) {
                    if (kind != u"train") {
                        m_training->reload();
                        return;
                    }
                    showTrainingDock();
                    m_training->follow(id); // the job id is the run id
                });
        connect(m_llm->evaluation(), &EvaluationEngine::jobFinished, m_training,
                [this] { m_training->reload(); });
    }

    QAction *toggle = m_trainingDock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    connect(toggle, &QAction::triggered, m_trainingDock, [this](bool shown) {
        if (!shown)
            return;
        showTrainingDock();
        m_training->reload(); // runs started from the command line meanwhile
    });
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), toggle);
    if (auto *evaluate = findChild<QMenu *>(QStringLiteral("evaluateMenu"))) {
        QAction *train = evaluate->addAction(tr("New T&raining Run…"), this, [this] {
            showTrainingDock();
            openNewTrainingRunDialog();
        });
        train->setObjectName(QStringLiteral("newTrainingRunAction"));
        train->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R));
        train->setEnabled(m_llm != nullptr);
        evaluate->addAction(toggle);
    }
}

void MainWindow::showTrainingDock()
{
    // Shown, in front of its tabs, and tall enough for the charts to be read.
    m_trainingDock->show();
    m_trainingDock->raise();
    // After the layout has placed the newly shown dock (a hidden dock has no height yet).
    QTimer::singleShot(0, this, [this] {
        if (!m_trainingDock->isFloating() && m_trainingDock->height() < height() / 2)
            resizeDocks({m_trainingDock}, {height() * 11 / 20}, Qt::Vertical);
    });
}

void MainWindow::openNewTrainingRunDialog()
{
    Workspace *ws = m_controller->workspace();
    if (!m_llm || !ws) {
        statusBar()->showMessage(tr("Open a workspace first (File → New / Open)."),
                                 kTrainingStatusMs);
        return;
    }
    auto *dialog = new NewTrainingRunDialog(ws, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProviders(m_generation ? m_generation->providers() : QList<LlmProviderInfo>(),
                         m_generation ? m_generation->defaultProvider() : QString());
    connect(dialog, &NewTrainingRunDialog::startRequested, m_llm, &LlmEngineHost::startEngineJob);
    connect(dialog, &NewTrainingRunDialog::generateThenStartRequested, m_datasetThenTraining,
            &DatasetThenTraining::start);
    connect(dialog, &NewTrainingRunDialog::startRequested, this, [this] {
        statusBar()->showMessage(tr("Training run started: its charts appear in the Training "
                                    "dashboard."),
                                 kTrainingStatusMs);
    });
    dialog->open(); // window-modal, no nested event loop
}

} // namespace crucible
