#pragma once
// WorkspaceFiles: the main window's New / Open / Open Example actions and "this needs a
// workspace first". Every question is a non-blocking dialog (open(), never exec), so tests can
// drive them; new workspaces go to a visible folder (Documents, else home), never to a hidden
// one. GUI thread; borrows the controller and the window, which must outlive it.

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace crucible {

class WorkspaceController;

class WorkspaceFiles final : public QObject
{
    Q_OBJECT

public:
    WorkspaceFiles(WorkspaceController *controller, QWidget *window);

    // The folder File → New and Open start in: the current workspace's folder when it is a
    // visible one, else Documents (when it exists), else home.
    QString startFolder() const;
    static QString visibleDefaultFolder();

public slots:
    // Asks where to save (a non-blocking file dialog named "newWorkspaceDialog") and creates
    // the workspace there; an existing file is offered for opening, never replaced.
    void newWorkspace();
    void openWorkspace();
    void openPath(const QString &path);
    // Opens the example workspace, (re-)creating it from the sample data when it is missing.
    void openExample();

public:
    // Runs `then` once a writable workspace is open: right away when one is, else after the user
    // chose where to create one (not at all when they cancel).
    void withWritableWorkspace(std::function<void()> then);

signals:
    void recentChanged();
    // A problem the user must see (title, text); also shown in a window-modal message box.
    void errorOccurred(const QString &title, const QString &message);

private:
    void askForNewWorkspace(std::function<void()> then);
    void createAt(QString path, const std::function<void()> &then);
    void showError(const QString &title, const QString &message);

    WorkspaceController *m_controller;
    QWidget *m_window;
};

} // namespace crucible
