#pragma once
// TaskGroup: owns the coroutines an object starts without awaiting them (a slot that starts a
// job, a chat, a provider reload), so that they are never orphaned: drain() awaits every one
// still running, and shutdown cancels the work first, then drains, before the objects those
// coroutines use go away. A task that throws is logged and counts as finished. Single-threaded:
// use it on the thread that owns it.

#include <QCoro/QCoroTask>
#include <QObject>

#include <map>

namespace crucible {

class TaskGroup final : public QObject
{
    Q_OBJECT

public:
    explicit TaskGroup(QObject *parent = nullptr);
    ~TaskGroup() override;

    // Takes ownership of a started task. A task that already finished is dropped at once.
    void start(QCoro::Task<> task);
    int running() const { return static_cast<int>(m_tasks.size()); }
    // Completes when no task is running (tasks started meanwhile included). Cancel their work
    // first, or this waits for it to end on its own.
    QCoro::Task<> drain();

signals:
    void idle();

private:
    QCoro::Task<> watch(QCoro::Task<> task, quint64 id);

    std::map<quint64, QCoro::Task<>> m_tasks; // id -> the watcher of a running task
    quint64 m_nextId = 0;
};

} // namespace crucible
