// MainWindow's training part: the Training dashboard dock (View → Training, Ctrl+Shift+L), which
// follows the open workspace and shows its self-training runs with their live charts.

#include "ui/mainwindow.h"

#include "ui/tournament/tournamentdock.h"
#include "ui/training/trainingdashboard.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

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

    QAction *toggle = m_trainingDock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    connect(toggle, &QAction::triggered, m_trainingDock, [this](bool shown) {
        if (!shown)
            return;
        m_trainingDock->raise();
        if (!m_trainingDock->isFloating() && m_trainingDock->height() < height() / 2)
            resizeDocks({m_trainingDock}, {height() * 11 / 20}, Qt::Vertical);
        m_training->reload(); // runs started from the command line meanwhile
    });
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), toggle);
}

} // namespace crucible
