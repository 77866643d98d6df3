// MainWindow, the Agents dock: composed here (panel, dock, View → Agents) to keep
// mainwindow.cpp small; still one class, and it only composes.
#include "ui/mainwindow.h"

#include "ui/agents/agentspanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QScrollArea>
#include <QStatusBar>
#include <QTreeView>

namespace crucible {

void MainWindow::createAgentsDock()
{
    m_agents = new AgentsPanel(this);
    m_agentsDock = new QDockWidget(tr("Agents"), this);
    m_agentsDock->setObjectName(QStringLiteral("agentsDock"));
    // The sliders, radar and prompt need about 900×520 pixels: in a smaller dock the panel
    // scrolls instead of squeezing its widgets over each other.
    auto *scroll = new QScrollArea(m_agentsDock);
    scroll->setObjectName(QStringLiteral("agentsScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_agents);
    m_agentsDock->setWidget(scroll);
    addDockWidget(Qt::BottomDockWidgetArea, m_agentsDock);
    if (m_datasetsDock)
        tabifyDockWidget(m_datasetsDock, m_agentsDock);
    m_agentsDock->hide(); // View → Agents opens it
    if (m_llm)
        m_agents->setEngine(m_llm->engine());
    m_agents->setWorkspace(m_controller->workspace());
    connect(m_controller, &WorkspaceController::workspaceChanged, m_agents,
            &AgentsPanel::setWorkspace);
    connect(m_agents, &AgentsPanel::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_agents, &AgentsPanel::agentSaved, this,
            [this](const QString &agentId, const QString &versionId) {
                statusBar()->showMessage(tr("Saved %1 as %2").arg(agentId, versionId), 8000);
            });
}

void MainWindow::addAgentsMenuAction(QMenu *view)
{
    QAction *agents = view->addAction(tr("&Agents"));
    agents->setObjectName(QStringLiteral("agentsAction"));
    agents->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    agents->setToolTip(tr("Agents and their personalities"));
    connect(agents, &QAction::triggered, this, &MainWindow::showAgents);
}

void MainWindow::showAgents()
{
    if (m_agentsDock->isVisible() && !m_agentsDock->visibleRegion().isEmpty()) {
        m_agentsDock->hide();
        return;
    }
    m_agentsDock->show();
    m_agentsDock->raise();
    // The sliders, radar and prompt need room: give the dock most of the window's height.
    if (!m_agentsDock->isFloating())
        resizeDocks({m_agentsDock}, {height() * 3 / 5}, Qt::Vertical);
    m_agents->listView()->setFocus();
}

} // namespace crucible
