#pragma once
// The dock that holds the Tournament view in the main window: follows the workspace controller's
// current workspace and reloads (coalesced) when a running tournament stores comparisons.
// Hidden until asked for (View → Tournament, Ctrl+Shift+B, or a tournament being started). GUI
// thread only; the controller is borrowed.

#include <QDockWidget>

namespace crucible {

class TournamentPanel;
class WorkspaceController;

class TournamentDock final : public QDockWidget
{
    Q_OBJECT
public:
    explicit TournamentDock(WorkspaceController *controller, QWidget *parent = nullptr);

    TournamentPanel *panel() const { return m_panel; }
    // A job wrote entities (kind "comparison", "solution", ...): refresh when it matters.
    void onEntitiesAdded(const QString &kind);
    // Shows the dock on tournament `id` (kPooled for the pooled ratings).
    void showTournament(const QString &id);

private:
    TournamentPanel *m_panel;
};

} // namespace crucible
