#include "ui/tournament/tournamentdock.h"

#include "ui/tournament/tournamentpanel.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QScrollArea>

namespace crucible {

TournamentDock::TournamentDock(WorkspaceController *controller, QWidget *parent)
    : QDockWidget(tr("Tournament"), parent)
    , m_panel(new TournamentPanel)
{
    setObjectName(QStringLiteral("tournamentDock"));
    // The view needs about 900×520 pixels: below that it scrolls in its dock, so that opening
    // it never pushes the window off a small screen.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_panel->setMinimumSize(900, 520);
    scroll->setWidget(m_panel);
    setWidget(scroll);
    toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    toggleViewAction()->setStatusTip(
        tr("Ratings with 95 % intervals, the win matrix, rating history and the comparisons "
           "behind them"));
    m_panel->setWorkspace(controller->workspace());
    connect(controller, &WorkspaceController::workspaceChanged, m_panel,
            &TournamentPanel::setWorkspace);
    // Read only while visible: a hidden dock costs nothing.
    connect(this, &QDockWidget::visibilityChanged, m_panel, [this](bool visible) {
        if (visible)
            m_panel->scheduleReload();
    });
}

void TournamentDock::onEntitiesAdded(const QString &kind)
{
    if (kind == u"comparison" && isVisible())
        m_panel->scheduleReload();
}

void TournamentDock::showTournament(const QString &id)
{
    show();
    raise();
    m_panel->selectTournament(id);
}

} // namespace crucible
