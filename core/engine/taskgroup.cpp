#include "core/engine/taskgroup.h"

#include <QCoro/QCoroSignal>
#include <QDebug>

#include <exception>

namespace crucible {

TaskGroup::TaskGroup(QObject *parent)
    : QObject(parent)
{
}

TaskGroup::~TaskGroup()
{
    if (!m_tasks.empty())
        qWarning("TaskGroup destroyed with %d task(s) still running; drain() it first", running());
}

void TaskGroup::start(QCoro::Task<> task)
{
    if (task.isReady())
        return;
    const quint64 id = ++m_nextId;
    // The watcher runs until `task` suspends and is stored before it can resume again (all
    // resumption comes from the event loop), so its erase below always finds it.
    QCoro::Task<> watcher = watch(std::move(task), id);
    if (!watcher.isReady())
        m_tasks.emplace(id, std::move(watcher));
}

QCoro::Task<> TaskGroup::watch(QCoro::Task<> task, quint64 id)
{
    try {
        co_await std::move(task);
    } catch (const std::exception &e) {
        qWarning("A background task of the engine failed: %s", e.what());
    } catch (...) {
        qWarning("A background task of the engine failed");
    }
    // Erasing our own Task is safe: QCoro frees this frame when it reaches its final suspend.
    m_tasks.erase(id);
    if (m_tasks.empty())
        emit idle(); // the last thing this frame does with `this`
}

QCoro::Task<> TaskGroup::drain()
{
    while (!m_tasks.empty())
        co_await qCoro(this, &TaskGroup::idle);
}

} // namespace crucible
