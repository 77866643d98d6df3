#include "core/llm/llmscheduler.h"

#include <QCoreApplication>
#include <QCoro/QCoroTask>
#include <QTimer>
#include <gtest/gtest.h>

#include <stdexcept>
#include <type_traits>
#include <vector>

using namespace crucible;

namespace {

// Holds a slot for `holdMs`, then releases it with `outcome`; counts the peak in flight.
QCoro::Task<bool> hold(LlmScheduler &s, int holdMs, int *peak, CancelToken cancel = {},
                       LlmScheduler::Outcome outcome = LlmScheduler::Outcome::Success)
{
    SchedulerPermit permit = co_await s.acquire(QStringLiteral("p"), 10, cancel);
    if (!permit)
        co_return false;
    *peak = std::max(*peak, s.stats(QStringLiteral("p")).inFlight);
    co_await sleepUnlessCancelled(holdMs, {});
    permit.release(outcome);
    co_return true;
}

QCoro::Task<int> runMany(LlmScheduler &s, int n, int holdMs, int *peak)
{
    std::vector<QCoro::Task<bool>> tasks;
    for (int i = 0; i < n; ++i)
        tasks.push_back(hold(s, holdMs, peak));
    int done = 0;
    for (auto &t : tasks) {
        const bool ok = co_await t;
        done += ok ? 1 : 0;
    }
    co_return done;
}

} // namespace

TEST(LlmScheduler, CapsConcurrency)
{
    LlmScheduler s;
    s.configure(QStringLiteral("p"), {3, 0, 0});
    int peak = 0;
    const int done = QCoro::waitFor(runMany(s, 10, 20, &peak));
    EXPECT_EQ(done, 10);
    EXPECT_EQ(peak, 3);
    EXPECT_EQ(s.stats(QStringLiteral("p")).inFlight, 0);
    EXPECT_EQ(s.stats(QStringLiteral("p")).waiting, 0);
}

TEST(LlmScheduler, HalvesOncePerBurstOf429sAndCreepsBack)
{
    LlmScheduler s;
    s.configure(QStringLiteral("p"), {8, 0, 0});
    const auto P = QStringLiteral("p");
    std::vector<SchedulerPermit> permits;
    for (int i = 0; i < 4; ++i) {
        permits.push_back(QCoro::waitFor(s.acquire(P, 1, {})));
        ASSERT_TRUE(permits.back());
    }
    // Four 429s from calls already in flight: one cut, not four.
    for (auto &permit : permits)
        permit.release(LlmScheduler::Outcome::RateLimited);
    EXPECT_EQ(s.stats(P).limit, 4);
    EXPECT_EQ(s.stats(P).rateLimitCuts, 1);
    // A run of `limit` successes raises the limit by one, up to the ceiling.
    for (int i = 0; i < 200; ++i) {
        SchedulerPermit permit = QCoro::waitFor(s.acquire(P, 1, {}));
        ASSERT_TRUE(permit);
        permit.release(LlmScheduler::Outcome::Success);
    }
    EXPECT_EQ(s.stats(P).limit, 8);
}

TEST(LlmScheduler, RetryAfterPausesNewAdmissions)
{
    LlmScheduler s;
    s.configure(QStringLiteral("p"), {2, 0, 0});
    const auto P = QStringLiteral("p");
    SchedulerPermit first = QCoro::waitFor(s.acquire(P, 1, {}));
    SchedulerPermit second = QCoro::waitFor(s.acquire(P, 1, {}));
    ASSERT_TRUE(first && second);
    first.release(LlmScheduler::Outcome::RateLimited, 5'000);
    second.release(LlmScheduler::Outcome::Success);
    EXPECT_GT(s.stats(P).pausedForMs, 0); // what is left of the 5 s the server asked for
    EXPECT_LE(s.stats(P).pausedForMs, 5'000);
    EXPECT_EQ(s.stats(P).inFlight, 0);
    // A slot is free, but the pause holds the next call back.
    CancelSource cancel;
    auto waiting = s.acquire(P, 1, cancel.token());
    QTimer::singleShot(20, cancel.token().state(), [&] { cancel.cancel(); });
    EXPECT_FALSE(QCoro::waitFor(std::move(waiting))); // still paused after 20 ms
    EXPECT_EQ(s.stats(P).inFlight, 0);
    // A server asking for an hour gets the cap, not an hour.
    const auto Q = QStringLiteral("q");
    SchedulerPermit other = QCoro::waitFor(s.acquire(Q, 1, {}));
    ASSERT_TRUE(other);
    other.release(LlmScheduler::Outcome::RateLimited, 3'600'000);
    EXPECT_GT(s.stats(Q).pausedForMs, 1'000);
    EXPECT_LE(s.stats(Q).pausedForMs, LlmScheduler::kMaxPauseMs);
}

TEST(LlmScheduler, CancelledWaiterGetsNoSlot)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    s.configure(P, {1, 0, 0});
    SchedulerPermit held = QCoro::waitFor(s.acquire(P, 1, {}));
    ASSERT_TRUE(held);
    CancelSource cancel;
    auto waiting = s.acquire(P, 1, cancel.token());
    EXPECT_EQ(s.stats(P).waiting, 1);
    cancel.cancel();
    EXPECT_FALSE(QCoro::waitFor(std::move(waiting)));
    EXPECT_EQ(s.stats(P).waiting, 0);
    held.release(LlmScheduler::Outcome::Success);
    EXPECT_EQ(s.stats(P).inFlight, 0);
}

TEST(LlmScheduler, RequestBucketSpacesAdmissions)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    // 60 requests/minute = one a second once the initial burst is used up.
    s.configure(P, {50, 60, 0});
    for (int i = 0; i < 60; ++i) {
        SchedulerPermit permit = QCoro::waitFor(s.acquire(P, 1, {}));
        ASSERT_TRUE(permit);
        permit.release(LlmScheduler::Outcome::Success);
    }
    // The bucket is empty: the next admission must wait; cancel it to prove it was waiting.
    CancelSource cancel;
    auto waiting = s.acquire(P, 1, cancel.token());
    QTimer::singleShot(20, cancel.token().state(), [&] { cancel.cancel(); });
    EXPECT_FALSE(QCoro::waitFor(std::move(waiting)));
    EXPECT_EQ(s.stats(P).inFlight, 0);
}

namespace {

struct Boom : std::runtime_error
{
    Boom()
        : std::runtime_error("boom")
    {
    }
};

// Acquires, then leaves early without releasing: by co_return or by throwing.
QCoro::Task<int> leaveEarly(LlmScheduler &s, bool doThrow, int *inFlightWhileHeld)
{
    try {
        SchedulerPermit permit = co_await s.acquire(QStringLiteral("p"), 1, {});
        if (!permit)
            co_return -1;
        *inFlightWhileHeld = s.stats(QStringLiteral("p")).inFlight;
        if (doThrow)
            throw Boom();
        co_return 1; // no release(): the permit's destructor frees the slot
    } catch (const Boom &) {
        co_return 2;
    }
}

} // namespace

TEST(LlmScheduler, PermitIsReleasedOnEarlyReturnAndException)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    s.configure(P, {1, 0, 0});
    int held = 0;
    EXPECT_EQ(QCoro::waitFor(leaveEarly(s, false, &held)), 1);
    EXPECT_EQ(held, 1);
    EXPECT_EQ(s.stats(P).inFlight, 0) << "an early co_return keeps no slot";
    held = 0;
    EXPECT_EQ(QCoro::waitFor(leaveEarly(s, true, &held)), 2);
    EXPECT_EQ(held, 1);
    EXPECT_EQ(s.stats(P).inFlight, 0) << "an exception keeps no slot";
    // With a limit of one, a leaked slot would make this wait forever.
    SchedulerPermit next = QCoro::waitFor(s.acquire(P, 1, {}));
    EXPECT_TRUE(next);
    EXPECT_EQ(s.stats(P).inFlight, 1);
}

TEST(LlmScheduler, PermitMovesAndReleasesOnce)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    s.configure(P, {2, 0, 0});
    SchedulerPermit a = QCoro::waitFor(s.acquire(P, 1, {}));
    SchedulerPermit b = QCoro::waitFor(s.acquire(P, 1, {}));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(s.stats(P).inFlight, 2);
    SchedulerPermit moved(std::move(a));
    EXPECT_FALSE(a); // NOLINT(bugprone-use-after-move): a moved-from permit is empty
    EXPECT_TRUE(moved);
    EXPECT_EQ(s.stats(P).inFlight, 2) << "moving frees nothing";
    moved = std::move(b); // the slot `moved` held is freed, b's moves over
    EXPECT_EQ(s.stats(P).inFlight, 1);
    moved.release(LlmScheduler::Outcome::Success);
    EXPECT_EQ(s.stats(P).inFlight, 0);
    moved.release(LlmScheduler::Outcome::Success); // a second release does nothing
    EXPECT_EQ(s.stats(P).inFlight, 0);
    static_assert(!std::is_copy_constructible_v<SchedulerPermit>);
    static_assert(std::is_nothrow_move_constructible_v<SchedulerPermit>);
}

TEST(LlmScheduler, PermitOutlivingItsSchedulerReleasesNothing)
{
    SchedulerPermit permit;
    {
        LlmScheduler s;
        permit = QCoro::waitFor(s.acquire(QStringLiteral("p"), 1, {}));
        ASSERT_TRUE(permit);
    }
    permit.release(LlmScheduler::Outcome::Success); // the scheduler is gone: nothing to touch
    EXPECT_FALSE(permit);
}
