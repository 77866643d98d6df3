// The tools that keep automatic workspace refreshes in the background: the throttle's duty
// cycle, idle priority for the duration of a scope, and a pool apart from Qt's global one.

#include "ui/backgroundrefresh.h"

#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <gtest/gtest.h>

#ifdef __linux__
#include <sched.h>
#endif

namespace crucible {
namespace {

TEST(RefreshThrottle, WaitsFourTimesTheLastDurationAtATwentyPercentDutyCycle)
{
    RefreshThrottle throttle(0.2);
    EXPECT_EQ(throttle.waitMs(), 0) << "the first refresh starts at once";
    throttle.started();
    QThread::msleep(100);
    throttle.finished();
    const qint64 wait = throttle.waitMs();
    EXPECT_GE(wait, 300) << "a 100 ms refresh at 20 % waits about 400 ms";
    EXPECT_LE(wait, 400);
    throttle.reset();
    EXPECT_EQ(throttle.waitMs(), 0) << "another workspace is refreshed at once";
}

TEST(RefreshThrottle, AFullDutyCycleNeverWaits)
{
    RefreshThrottle throttle(1.0);
    throttle.started();
    QThread::msleep(20);
    throttle.finished();
    EXPECT_EQ(throttle.waitMs(), 0);
}

TEST(RefreshThrottle, FinishedWithoutStartedChangesNothing)
{
    RefreshThrottle throttle(0.2);
    throttle.finished();
    EXPECT_EQ(throttle.waitMs(), 0);
}

#ifdef __linux__
TEST(IdlePriorityScope, RunsTheScopeAtIdlePriorityAndRestoresThePolicy)
{
    const int before = sched_getscheduler(0);
    ASSERT_NE(before, SCHED_IDLE);
    {
        const IdlePriorityScope idle;
        EXPECT_EQ(sched_getscheduler(0), SCHED_IDLE);
    }
    EXPECT_EQ(sched_getscheduler(0), before);
}
#endif

TEST(WorkspacePool, IsNotQtsGlobalPoolAndRunsWork)
{
    ASSERT_NE(workspacePool(), QThreadPool::globalInstance());
    EXPECT_GE(workspacePool()->maxThreadCount(), 2);
    QFuture<int> f = QtConcurrent::run(workspacePool(), [] { return 42; });
    f.waitForFinished();
    EXPECT_EQ(f.result(), 42);
}

} // namespace
} // namespace crucible
