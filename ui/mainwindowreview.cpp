// MainWindow's solving and review part: the Solution Review dock, and the Evaluate menu that
// starts solve and evaluate jobs on the selected problem or dataset (they run in the jobs dock).

#include "ui/mainwindow.h"

#include "core/store/jobrepository.h"
#include "ui/datasets/datasetspanel.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/problemspanel.h"
#include "ui/review/solutionreviewpanel.h"
#include "ui/review/solvedialog.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QStatusBar>
#include <QTimer>

namespace crucible {

namespace {
constexpr int kReviewStatusMs = 8000;
} // namespace

void MainWindow::createReviewDock()
{
    m_review = new SolutionReviewPanel(this);
    m_reviewDock = new QDockWidget(tr("Solution Review"), this);
    m_reviewDock->setObjectName(QStringLiteral("reviewDock"));
    m_reviewDock->setWidget(m_review);
    addDockWidget(Qt::BottomDockWidgetArea, m_reviewDock);
    if (m_datasetsDock)
        tabifyDockWidget(m_datasetsDock, m_reviewDock);
    m_reviewDock->hide(); // opened from Evaluate or View (Ctrl+Shift+R)
    m_review->setWorkspace(m_controller->workspace());
    connect(m_controller, &WorkspaceController::workspaceChanged, m_review,
            &SolutionReviewPanel::setWorkspace);
    connect(m_problems, &ProblemsPanel::currentProblemChanged, m_review, [this](const QString &id) {
        if (m_reviewDock->isVisible())
            m_review->setProblem(id);
    });
    connect(m_review, &SolutionReviewPanel::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, kReviewStatusMs); });

    QAction *toggle = m_reviewDock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(toggle, &QAction::triggered, m_review, [this](bool shown) {
        if (!shown)
            return;
        m_reviewDock->raise();
        // Solutions are read here: give the dock at least half the window's height.
        if (!m_reviewDock->isFloating() && m_reviewDock->height() < height() / 2)
            resizeDocks({m_reviewDock}, {height() * 11 / 20}, Qt::Vertical);
        m_review->refresh();
        const QStringList selected = m_problems->selectedIds();
        if (!selected.isEmpty())
            m_review->setProblem(selected.front());
        m_review->setFocus();
    });
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), toggle);

    // The Evaluate menu goes before Help.
    auto *menu = new QMenu(tr("E&valuate"), this);
    menu->setObjectName(QStringLiteral("evaluateMenu"));
    const QList<QAction *> bar = menuBar()->actions();
    menuBar()->insertMenu(bar.isEmpty() ? nullptr : bar.last(), menu);
    QAction *solve = menu->addAction(tr("&Solve Selected Problem…"), this,
                                     [this] { openSolveDialog(true, false); });
    solve->setObjectName(QStringLiteral("solveProblemAction"));
    solve->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    menu->addAction(tr("Solve Selected &Dataset…"), this, [this] { openSolveDialog(true, true); })
        ->setObjectName(QStringLiteral("solveDatasetAction"));
    menu->addSeparator();
    QAction *evaluate = menu->addAction(tr("&Evaluate Solutions of Selected Problem…"), this,
                                        [this] { openSolveDialog(false, false); });
    evaluate->setObjectName(QStringLiteral("evaluateProblemAction"));
    evaluate->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    menu->addAction(tr("Evaluate Solutions of Selected D&ataset…"), this,
                    [this] { openSolveDialog(false, true); })
        ->setObjectName(QStringLiteral("evaluateDatasetAction"));
    menu->addSeparator();
    menu->addAction(toggle);
    for (QAction *a : menu->actions())
        if (!a->isSeparator() && a != toggle)
            a->setEnabled(m_llm != nullptr);

    if (!m_llm)
        return;
    // New solutions and verdicts show in the review while a job runs (coalesced).
    auto *refresh = new QTimer(this);
    refresh->setSingleShot(true);
    refresh->setInterval(700);
    connect(refresh, &QTimer::timeout, m_review, [this] {
        if (m_reviewDock->isVisible())
            m_review->refresh();
    });
    connect(m_llm->evaluation(), &EvaluationEngine::entitiesAdded, refresh, [refresh] {
        if (!refresh->isActive())
            refresh->start();
    });
    connect(m_llm->evaluation(), &EvaluationEngine::jobFinished, this,
            [this, refresh](const JobOutcome &outcome) {
                refresh->start();
                statusBar()->showMessage(outcome.completed()
                                             ? tr("Job %1 completed").arg(outcome.jobId)
                                             : tr("Job %1: %2").arg(outcome.jobId, outcome.error),
                                         kReviewStatusMs);
            });
}

void MainWindow::openSolveDialog(bool solve, bool onDataset)
{
    Workspace *ws = m_controller->workspace();
    if (!m_llm || !ws) {
        statusBar()->showMessage(tr("Open a workspace first (File → New / Open)."),
                                 kReviewStatusMs);
        return;
    }
    QString problemId;
    QString datasetId;
    if (onDataset) {
        datasetId = m_datasets ? m_datasets->currentDatasetId() : QString();
        if (datasetId.isEmpty()) {
            statusBar()->showMessage(tr("Select a dataset in the Datasets panel first "
                                        "(View → Datasets, Ctrl+Shift+D)."),
                                     kReviewStatusMs);
            return;
        }
    } else {
        problemId = m_problems->selectedIds().value(0);
        if (problemId.isEmpty()) {
            statusBar()->showMessage(tr("Select a problem in the Problems table first."),
                                     kReviewStatusMs);
            return;
        }
    }
    auto *dialog = new SolveDialog(solve ? SolveDialog::Mode::Solve : SolveDialog::Mode::Evaluate,
                                   ws, problemId, datasetId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProviders(m_generation ? m_generation->providers() : QList<LlmProviderInfo>(),
                         m_generation ? m_generation->defaultProvider() : QString());
    connect(dialog, &SolveDialog::startRequested, m_llm, &LlmEngineHost::startEngineJob);
    dialog->open(); // window-modal, no nested event loop
}

} // namespace crucible
