#include "core/llm/llmscheduler.h"

#include <QCoreApplication>
#include <QCoro/QCoroTask>
#include <QTimer>
#include <gtest/gtest.h>

#include <vector>

using namespace crucible;

namespace {

// Holds a slot for `holdMs`, then releases it with `outcome`; counts the peak in flight.
QCoro::Task<bool> hold(LlmScheduler &s, int holdMs, int *peak, CancelToken cancel = {},
                       LlmScheduler::Outcome outcome = LlmScheduler::Outcome::Success)
{
    const bool ok = co_await s.acquire(QStringLiteral("p"), 10, cancel);
    if (!ok)
        co_return false;
    *peak = std::max(*peak, s.stats(QStringLiteral("p")).inFlight);
    co_await sleepUnlessCancelled(holdMs, {});
    s.release(QStringLiteral("p"), outcome);
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
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
    // Four 429s from calls already in flight: one cut, not four.
    for (int i = 0; i < 4; ++i)
        s.release(P, LlmScheduler::Outcome::RateLimited);
    EXPECT_EQ(s.stats(P).limit, 4);
    EXPECT_EQ(s.stats(P).rateLimitCuts, 1);
    // A run of `limit` successes raises the limit by one, up to the ceiling.
    for (int i = 0; i < 200; ++i) {
        ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
        s.release(P, LlmScheduler::Outcome::Success);
    }
    EXPECT_EQ(s.stats(P).limit, 8);
}

TEST(LlmScheduler, RetryAfterPausesNewAdmissions)
{
    LlmScheduler s;
    s.configure(QStringLiteral("p"), {2, 0, 0});
    const auto P = QStringLiteral("p");
    ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
    ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
    s.release(P, LlmScheduler::Outcome::RateLimited, 5'000);
    s.release(P, LlmScheduler::Outcome::Success);
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
    s.release(P, LlmScheduler::Outcome::RateLimited, 3'600'000);
    EXPECT_LE(s.stats(P).pausedForMs, LlmScheduler::kMaxPauseMs);
}

TEST(LlmScheduler, CancelledWaiterGetsNoSlot)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    s.configure(P, {1, 0, 0});
    ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
    CancelSource cancel;
    auto waiting = s.acquire(P, 1, cancel.token());
    EXPECT_EQ(s.stats(P).waiting, 1);
    cancel.cancel();
    EXPECT_FALSE(QCoro::waitFor(std::move(waiting)));
    EXPECT_EQ(s.stats(P).waiting, 0);
    s.release(P, LlmScheduler::Outcome::Success);
    EXPECT_EQ(s.stats(P).inFlight, 0);
}

TEST(LlmScheduler, RequestBucketSpacesAdmissions)
{
    LlmScheduler s;
    const auto P = QStringLiteral("p");
    // 60 requests/minute = one a second once the initial burst is used up.
    s.configure(P, {50, 60, 0});
    for (int i = 0; i < 60; ++i) {
        ASSERT_TRUE(QCoro::waitFor(s.acquire(P, 1, {})));
        s.release(P, LlmScheduler::Outcome::Success);
    }
    // The bucket is empty: the next admission must wait; cancel it to prove it was waiting.
    CancelSource cancel;
    auto waiting = s.acquire(P, 1, cancel.token());
    QTimer::singleShot(20, cancel.token().state(), [&] { cancel.cancel(); });
    EXPECT_FALSE(QCoro::waitFor(std::move(waiting)));
    EXPECT_EQ(s.stats(P).inFlight, 0);
}
