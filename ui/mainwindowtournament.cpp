// MainWindow's tournament part: the Tournament dock (View → Tournament), and Evaluate → Run
// Tournament on Selected Dataset…, which starts a tournament job (shown in the jobs dock) and
// opens the view on it.

#include "ui/mainwindow.h"

#include "core/evaluate/tournamentjob.h"
#include "ui/datasets/datasetspanel.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/tournament/tournamentdialog.h"
#include "ui/tournament/tournamentdock.h"
#include "ui/tournament/tournamentpanel.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace crucible {

namespace {
constexpr int kTournamentStatusMs = 8000;
} // namespace

void MainWindow::createTournamentDock()
{
    m_tournamentDock = new TournamentDock(m_controller, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_tournamentDock);
    if (m_reviewDock)
        tabifyDockWidget(m_reviewDock, m_tournamentDock);
    m_tournamentDock->hide(); // opened from View or Evaluate (Ctrl+Shift+B)
    connect(
        m_tournamentDock->panel(), &TournamentPanel::errorOccurred, this,
        [this](const QString &message) { statusBar()->showMessage(message, kTournamentStatusMs); });
    QAction *toggle = m_tournamentDock->toggleViewAction();
    // Shown from the menu or Ctrl+Shift+B: to the front of its tab group, at a readable height.
    connect(toggle, &QAction::triggered, m_tournamentDock, [this](bool shown) {
        if (!shown)
            return;
        m_tournamentDock->raise();
        if (!m_tournamentDock->isFloating() && m_tournamentDock->height() < height() / 2)
            resizeDocks({m_tournamentDock}, {height() * 11 / 20}, Qt::Vertical);
    });
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), toggle);

    auto *evaluate = findChild<QMenu *>(QStringLiteral("evaluateMenu"));
    if (evaluate) {
        evaluate->addSeparator();
        QAction *run = evaluate->addAction(tr("Run &Tournament on Selected Dataset…"), this,
                                           &MainWindow::openTournamentDialog);
        run->setObjectName(QStringLiteral("tournamentAction"));
        run->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
        run->setEnabled(m_llm != nullptr);
        evaluate->addAction(toggle);
    }
    if (!m_llm)
        return;
    connect(m_llm->evaluation(), &EvaluationEngine::entitiesAdded, m_tournamentDock,
            [this](const QString &kind) { m_tournamentDock->onEntitiesAdded(kind); });
    connect(m_llm->evaluation(), &EvaluationEngine::jobStarted, this,
            [this](const QString &jobId, const QString &kind) {
                if (kind == QLatin1String(TournamentJob::kKind))
                    m_tournamentDock->showTournament(
                        m_controller->workspace()
                            ? TournamentJob::tournamentOf(*m_controller->workspace(), jobId)
                            : QString());
            });
    connect(m_llm->evaluation(), &EvaluationEngine::jobFinished, m_tournamentDock,
            [this] { m_tournamentDock->panel()->scheduleReload(); });
}

void MainWindow::openTournamentDialog()
{
    Workspace *ws = m_controller->workspace();
    if (!m_llm || !ws) {
        statusBar()->showMessage(tr("Open a workspace first (File → New / Open)."),
                                 kTournamentStatusMs);
        return;
    }
    const QString datasetId = m_datasets ? m_datasets->currentDatasetId() : QString();
    if (datasetId.isEmpty()) {
        statusBar()->showMessage(tr("Select a dataset in the Datasets panel first (View → "
                                    "Datasets, Ctrl+Shift+D)."),
                                 kTournamentStatusMs);
        return;
    }
    auto *dialog = new TournamentDialog(ws, datasetId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProviders(m_generation ? m_generation->providers() : QList<LlmProviderInfo>(),
                         m_generation ? m_generation->defaultProvider() : QString());
    connect(dialog, &TournamentDialog::startRequested, m_llm, &LlmEngineHost::startEngineJob);
    dialog->open(); // window-modal, no nested event loop
}

} // namespace crucible
