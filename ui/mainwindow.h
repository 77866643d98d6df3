#pragma once
// The main window: composes the panels, docks, menus and status bar around a
// WorkspaceController (borrowed; must outlive the window). Holds no logic of its own.

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;

namespace crucible {

class ProblemsPanel;
class Workspace;
class WorkspaceController;
struct WorkspaceStats;
class WorkspaceOverview;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(WorkspaceController *controller, QWidget *parent = nullptr);

    ProblemsPanel *problemsPanel() const { return m_problems; }
    QMenu *recentMenu() const { return m_recentMenu; }
    QString statusText() const; // the permanent status bar fields, for tests and logs

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void createDocks();
    void restoreLayout();
    void saveLayout() const;
    void rebuildRecentMenu();
    void onWorkspaceChanged(Workspace *ws);
    void onStatsChanged(const WorkspaceStats &stats, const QString &error);
    void updateStatus(const Workspace *ws);
    void newWorkspace();
    void openWorkspace();
    void openPath(const QString &path);
    void reloadWorkspace();
    void showAbout();
    void showError(const QString &title, const QString &message);

    WorkspaceController *m_controller;
    ProblemsPanel *m_problems = nullptr;
    WorkspaceOverview *m_overview = nullptr;
    QDockWidget *m_overviewDock = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_pathLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_schemaLabel = nullptr;
    QByteArray m_defaultState;
};

} // namespace crucible
