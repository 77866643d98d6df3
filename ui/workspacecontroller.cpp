#include "ui/workspacecontroller.h"

#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/recentworkspaces.h"

#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace crucible {

WorkspaceController::WorkspaceController(QObject *parent)
    : QObject(parent)
{
    connect(&m_statsWatcher, &QFutureWatcher<StatsResult>::finished, this,
            &WorkspaceController::onStatsFinished);
    m_statsDelay.setSingleShot(true);
    connect(&m_statsDelay, &QTimer::timeout, this, &WorkspaceController::startStats);
}

WorkspaceController::~WorkspaceController()
{
    // The task holds no pointer into this object, but its result must not arrive half-destroyed.
    m_statsWatcher.disconnect(this);
    m_statsWatcher.waitForFinished();
}

QString WorkspaceController::path() const
{
    return m_workspace ? m_workspace->path() : QString();
}

bool WorkspaceController::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        m_lastError = tr("%1 does not exist. Use File → New to create a workspace there.")
                          .arg(QDir::toNativeSeparators(info.absoluteFilePath()));
        return false;
    }
    try {
        // A workspace on read-only storage can still be browsed.
        const auto mode =
            info.isWritable() ? Workspace::Mode::ReadWrite : Workspace::Mode::ReadOnly;
        return adopt(Workspace::open(info.absoluteFilePath(), mode));
    } catch (const std::exception &e) {
        m_lastError = QString::fromUtf8(e.what());
        return false;
    }
}

bool WorkspaceController::create(const QString &path)
{
    try {
        // Workspace::create makes the folder and checkpoints the new file at once, and every
        // identity check goes through SQLite: other connections see it as a workspace right away.
        return adopt(Workspace::create(QFileInfo(path).absoluteFilePath()));
    } catch (const std::exception &e) {
        m_lastError = QString::fromUtf8(e.what());
        return false;
    }
}

void WorkspaceController::close()
{
    if (!m_workspace)
        return;
    // Observers must let go of the old connection before it is destroyed.
    emit workspaceChanged(nullptr);
    m_workspace.reset();
    m_stats = {};
}

void WorkspaceController::refreshStats()
{
    if (!m_workspace)
        return;
    if (m_statsWatcher.isRunning()) {
        m_statsPending = true; // one more count when this one ends
        return;
    }
    if (m_statsDelay.isActive())
        return; // already due
    if (const qint64 wait = m_statsThrottle.waitMs(); wait > 0) {
        m_statsDelay.start(int(std::min<qint64>(wait, 60'000)));
        return;
    }
    startStats();
}

void WorkspaceController::startStats()
{
    if (!m_workspace)
        return;
    m_statsPending = false;
    m_statsThrottle.started();
    const QString path = m_workspace->path();
    // A million problems take a second or two to count: never on the GUI thread, and at idle
    // priority so that it never takes the core the GUI thread needs.
    m_statsWatcher.setFuture(QtConcurrent::run(workspacePool(), [path] {
        const IdlePriorityScope idle;
        StatsResult result;
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            result.stats = WorkspaceStats::collect(*ws);
        } catch (const std::exception &e) {
            result.stats.path = path;
            result.error = QString::fromUtf8(e.what());
        }
        return result;
    }));
}

void WorkspaceController::onStatsFinished()
{
    m_statsThrottle.finished();
    const StatsResult result = m_statsWatcher.result();
    const bool stale = !m_workspace || result.stats.path != m_workspace->path();
    if (stale)
        m_statsThrottle.reset(); // the next count is another workspace's first
    if (m_statsPending)
        refreshStats();
    if (stale)
        return; // a workspace that was closed since
    if (result.error.isEmpty())
        m_stats = result.stats;
    emit statsChanged(result.stats, result.error);
}

bool WorkspaceController::adopt(std::unique_ptr<Workspace> ws)
{
    if (!ws) {
        m_lastError = tr("The workspace could not be opened.");
        return false;
    }
    close();
    m_workspace = std::move(ws);
    m_lastError.clear();
    m_statsThrottle.reset(); // another workspace: count it at once
    m_statsDelay.stop();
    RecentWorkspaces::add(m_workspace->path());
    emit workspaceChanged(m_workspace.get());
    refreshStats();
    return true;
}

} // namespace crucible
