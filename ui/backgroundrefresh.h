#pragma once
// Automatic refreshes that read the whole workspace (statistics, filter choices) run on the
// thread pool. On a million problems each takes hundreds of milliseconds of CPU, and a running
// job asks for one every 700 ms: on two cores they would take the core the GUI thread needs.
// Two tools keep them in the background:
//  - IdlePriorityScope: the worker thread runs at idle priority while the refresh reads (Linux
//    SCHED_IDLE: it gets a core only when nothing else wants it), and gets its priority back.
//  - RefreshThrottle: a refresh starts at most at a set duty cycle of its own duration (a 400 ms
//    count starts again no sooner than 1.6 s after it ended at 20 %).
//  - workspacePool(): the panels' background work runs on this pool, never on Qt's global one.
//    Qt paints with helper tasks on the global pool (QRasterPaintEngine splits large fills and
//    waits for them); a long workspace read queued there made the GUI thread wait for it in the
//    middle of a paint event (stalls of 0.3-1.2 s with no CPU used, seen with perf).

#include <QElapsedTimer>
#include <QtGlobal>

class QThreadPool;

namespace crucible {

QThreadPool *workspacePool();

class IdlePriorityScope
{
public:
    IdlePriorityScope();
    ~IdlePriorityScope();
    IdlePriorityScope(const IdlePriorityScope &) = delete;
    IdlePriorityScope &operator=(const IdlePriorityScope &) = delete;

private:
    int m_policy = -1; // the policy to restore; -1 when it was not changed
    int m_priority = 0;
};

class RefreshThrottle
{
public:
    // dutyCycle in (0, 1]: the share of wall time the refresh may take.
    explicit RefreshThrottle(double dutyCycle = 0.2);

    // Milliseconds to wait before the next refresh may start; 0 = now.
    qint64 waitMs() const;
    void started();  // the refresh begins
    void finished(); // it ended: the next one waits (duration / dutyCycle - duration)
    void reset();    // forget the last run (another workspace, a change the user made)

private:
    double m_dutyCycle;
    QElapsedTimer m_running;  // valid while a refresh runs
    QElapsedTimer m_sinceEnd; // valid after one ended
    qint64 m_lastDurationMs = 0;
};

} // namespace crucible
