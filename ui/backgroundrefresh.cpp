#include "ui/backgroundrefresh.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <cmath>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

namespace crucible {

namespace {
Q_GLOBAL_STATIC(QThreadPool, theWorkspacePool)
} // namespace

QThreadPool *workspacePool()
{
    QThreadPool *pool = theWorkspacePool();
    static const bool sized = [pool] {
        pool->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        pool->setObjectName(QStringLiteral("workspacePool"));
        return true;
    }();
    Q_UNUSED(sized);
    return pool;
}

IdlePriorityScope::IdlePriorityScope()
{
#ifdef __linux__
    sched_param param{};
    int policy = 0;
    if (pthread_getschedparam(pthread_self(), &policy, &param) != 0)
        return;
    sched_param idle{};
    idle.sched_priority = 0;
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
        return;
    m_policy = policy;
    m_priority = param.sched_priority;
#endif
}

IdlePriorityScope::~IdlePriorityScope()
{
#ifdef __linux__
    if (m_policy < 0)
        return;
    sched_param param{};
    param.sched_priority = m_priority;
    pthread_setschedparam(pthread_self(), m_policy, &param);
#endif
}

RefreshThrottle::RefreshThrottle(double dutyCycle)
    : m_dutyCycle(std::clamp(dutyCycle, 0.01, 1.0))
{
}

qint64 RefreshThrottle::waitMs() const
{
    if (!m_sinceEnd.isValid())
        return 0;
    const auto gap = static_cast<qint64>(
        std::ceil(static_cast<double>(m_lastDurationMs) * (1.0 / m_dutyCycle - 1.0)));
    return std::max<qint64>(0, gap - m_sinceEnd.elapsed());
}

void RefreshThrottle::started()
{
    m_running.start();
}

void RefreshThrottle::finished()
{
    if (!m_running.isValid())
        return;
    m_lastDurationMs = m_running.elapsed();
    m_running.invalidate();
    m_sinceEnd.start();
}

void RefreshThrottle::reset()
{
    m_running.invalidate();
    m_sinceEnd.invalidate();
    m_lastDurationMs = 0;
}

} // namespace crucible
