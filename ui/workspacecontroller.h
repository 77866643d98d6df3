#pragma once
// Owns the GUI thread's Workspace connection and switches it on open/create; panels observe
// workspaceChanged and must drop any pointer to the old Workspace when it fires. GUI thread
// only; statistics are counted on the thread pool through a second, read-only connection.

#include "core/store/workspacestats.h"
#include "ui/backgroundrefresh.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

namespace crucible {

class Workspace;

class WorkspaceController final : public QObject
{
    Q_OBJECT
public:
    explicit WorkspaceController(QObject *parent = nullptr);
    ~WorkspaceController() override;

    // Each returns false and leaves the current workspace open when it fails; lastError() then
    // says what went wrong and what to do.
    bool open(const QString &path);
    bool create(const QString &path);
    void close();

    // Counts everything in the background at idle priority; statsChanged follows. Called after
    // every open. Requests while a count runs are merged into one more count after it, and
    // counts start at most at a 20 % duty cycle of their own duration (a running job asks every
    // 700 ms; a million problems take a few hundred ms to count).
    void refreshStats();
    const WorkspaceStats &stats() const { return m_stats; }

    Workspace *workspace() const { return m_workspace.get(); }
    QString path() const;
    QString lastError() const { return m_lastError; }

signals:
    // ws is null after close(). Emitted after the previous workspace was released.
    void workspaceChanged(crucible::Workspace *ws);
    // Statistics of the current workspace are ready (or failed: error is not empty).
    void statsChanged(const crucible::WorkspaceStats &stats, const QString &error);

private:
    struct StatsResult
    {
        WorkspaceStats stats;
        QString error;
    };

    bool adopt(std::unique_ptr<Workspace> ws);
    void onStatsFinished();
    void startStats();

    std::unique_ptr<Workspace> m_workspace;
    WorkspaceStats m_stats;
    QFutureWatcher<StatsResult> m_statsWatcher;
    RefreshThrottle m_statsThrottle;
    QTimer m_statsDelay; // single shot: a throttled request
    bool m_statsPending = false;
    QString m_lastError;
};

} // namespace crucible
