#include "core/llm/llmscheduler.h"

#include <QCoro/QCoroSignal>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <utility>

namespace crucible {

namespace {

// Resumes one awaiting coroutine: by a grant, a timer, or cancellation, whichever comes first.
class Wake final : public QObject
{
    Q_OBJECT

public:
    void fire()
    {
        if (m_fired)
            return;
        m_fired = true;
        emit woken();
    }
    bool fired() const { return m_fired; }

signals:
    void woken();

private:
    bool m_fired = false;
};

} // namespace

struct LlmScheduler::Waiter
{
    Wake wake;
    bool granted = false;
};

LlmScheduler::LlmScheduler(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
}

LlmScheduler::~LlmScheduler()
{
    // Wake every waiter so that no coroutine stays suspended on a dead scheduler.
    for (auto &[provider, s] : m_states) {
        auto queue = std::move(s->queue);
        for (auto &w : queue)
            w->wake.fire();
    }
}

void LlmScheduler::Bucket::refill(qint64 nowMs)
{
    if (capacity <= 0)
        return;
    const double elapsed = static_cast<double>(nowMs - updatedMs);
    level = std::min(capacity, level + elapsed * capacity / 60'000.0);
    updatedMs = nowMs;
}

qint64 LlmScheduler::Bucket::waitMs(double amount, qint64 nowMs)
{
    if (capacity <= 0)
        return 0;
    refill(nowMs);
    amount = std::min(amount, capacity); // an oversized request waits for a full bucket
    if (level >= amount)
        return 0;
    return static_cast<qint64>(std::ceil((amount - level) * 60'000.0 / capacity));
}

LlmScheduler::State &LlmScheduler::state(const QString &provider)
{
    auto &slot = m_states[provider];
    if (!slot) {
        slot = std::make_unique<State>();
        slot->limit = slot->limits.concurrency;
    }
    return *slot;
}

void LlmScheduler::configure(const QString &provider, SchedulerLimits limits)
{
    State &s = state(provider);
    limits.concurrency = std::max(1, limits.concurrency);
    s.limits = limits;
    s.limit = limits.concurrency;
    s.successStreak = 0;
    const qint64 now = nowMs();
    s.requests = {static_cast<double>(std::max(0, limits.requestsPerMinute)),
                  static_cast<double>(std::max(0, limits.requestsPerMinute)), now};
    s.tokens = {static_cast<double>(std::max(0, limits.tokensPerMinute)),
                static_cast<double>(std::max(0, limits.tokensPerMinute)), now};
    pump(provider, s);
}

SchedulerPermit::SchedulerPermit(LlmScheduler *scheduler, QString provider)
    : m_scheduler(scheduler)
    , m_provider(std::move(provider))
    , m_held(true)
{
}

SchedulerPermit::SchedulerPermit(SchedulerPermit &&other) noexcept
    : m_scheduler(std::move(other.m_scheduler))
    , m_provider(std::move(other.m_provider))
    , m_held(std::exchange(other.m_held, false))
{
}

SchedulerPermit &SchedulerPermit::operator=(SchedulerPermit &&other) noexcept
{
    if (this != &other) {
        release(Outcome::Failure);
        m_scheduler = std::move(other.m_scheduler);
        m_provider = std::move(other.m_provider);
        m_held = std::exchange(other.m_held, false);
    }
    return *this;
}

SchedulerPermit::~SchedulerPermit()
{
    release(Outcome::Failure);
}

void SchedulerPermit::release(Outcome outcome, std::optional<qint64> retryAfterMs,
                              qint64 tokenCorrection)
{
    if (!std::exchange(m_held, false))
        return;
    if (m_scheduler)
        m_scheduler->release(m_provider, outcome, retryAfterMs, tokenCorrection);
}

QCoro::Task<SchedulerPermit> LlmScheduler::acquire(QString provider, qint64 estimatedTokens,
                                                   CancelToken cancel)
{
    if (cancel.isCancelled())
        co_return SchedulerPermit();
    State &s = state(provider);
    if (s.inFlight < s.limit && s.queue.empty()) {
        ++s.inFlight;
    } else {
        auto waiter = std::make_shared<Waiter>();
        s.queue.push_back(waiter);
        QMetaObject::Connection cancelConn;
        if (cancel.state())
            cancelConn = connect(cancel.state(), &CancelState::cancelled, &waiter->wake,
                                 [w = waiter.get()] { w->wake.fire(); });
        co_await qCoro(&waiter->wake, &Wake::woken);
        disconnect(cancelConn);
        if (!waiter->granted) {
            auto &q = s.queue;
            q.erase(std::remove(q.begin(), q.end(), waiter), q.end());
            co_return SchedulerPermit();
        }
    }
    // Holding a slot (released by the permit however this coroutine ends): wait for the
    // buckets and any pause the server asked for.
    SchedulerPermit permit(this, provider);
    for (;;) {
        if (cancel.isCancelled())
            co_return SchedulerPermit();
        const qint64 now = nowMs();
        const qint64 wait =
            std::max({s.pausedUntilMs - now, s.requests.waitMs(1, now),
                      s.tokens.waitMs(static_cast<double>(estimatedTokens), now), qint64(0)});
        if (wait == 0)
            break;
        const bool slept = co_await sleepUnlessCancelled(wait, cancel);
        Q_UNUSED(slept);
    }
    if (s.requests.capacity > 0)
        s.requests.level -= 1;
    if (s.tokens.capacity > 0)
        s.tokens.level -= std::min(static_cast<double>(estimatedTokens), s.tokens.capacity);
    co_return std::move(permit);
}

void LlmScheduler::release(const QString &provider, Outcome outcome,
                           std::optional<qint64> retryAfterMs, qint64 tokenCorrection)
{
    State &s = state(provider);
    s.inFlight = std::max(0, s.inFlight - 1);
    const qint64 now = nowMs();
    if (tokenCorrection != 0 && s.tokens.capacity > 0) {
        s.tokens.refill(now);
        s.tokens.level =
            std::min(s.tokens.capacity, s.tokens.level - static_cast<double>(tokenCorrection));
    }
    if (retryAfterMs && *retryAfterMs > 0)
        s.pausedUntilMs = std::max(s.pausedUntilMs, now + std::min(*retryAfterMs, kMaxPauseMs));
    const int before = s.limit;
    if (outcome == Outcome::RateLimited) {
        s.successStreak = 0;
        // A burst of 429s from calls that were already in flight counts as one signal.
        if (now - s.lastCutMs > 1000) {
            s.limit = std::max(1, s.limit / 2);
            s.lastCutMs = now;
            ++s.cuts;
        }
    } else if (outcome == Outcome::Success) {
        if (s.limit < s.limits.concurrency && ++s.successStreak >= s.limit) {
            ++s.limit;
            s.successStreak = 0;
        }
    }
    if (s.limit != before)
        emit limitChanged(provider, s.limit);
    pump(provider, s);
}

void LlmScheduler::pump(const QString &provider, State &s)
{
    Q_UNUSED(provider);
    while (s.inFlight < s.limit && !s.queue.empty()) {
        auto waiter = s.queue.front();
        s.queue.pop_front();
        if (waiter->wake.fired())
            continue; // cancelled while queued
        waiter->granted = true;
        ++s.inFlight;
        waiter->wake.fire(); // resumes the waiting coroutine right here
    }
}

SchedulerStats LlmScheduler::stats(const QString &provider) const
{
    SchedulerStats out;
    const auto it = m_states.find(provider);
    if (it == m_states.end())
        return out;
    const State &s = *it->second;
    out.limit = s.limit;
    out.maxLimit = s.limits.concurrency;
    out.inFlight = s.inFlight;
    out.waiting = static_cast<int>(s.queue.size());
    out.rateLimitCuts = s.cuts;
    out.pausedForMs = std::max<qint64>(0, s.pausedUntilMs - m_clock.elapsed());
    return out;
}

QCoro::Task<bool> sleepUnlessCancelled(qint64 ms, CancelToken cancel)
{
    if (cancel.isCancelled())
        co_return false;
    if (ms <= 0)
        co_return true;
    Wake wake;
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, &wake, [&wake] { wake.fire(); });
    QMetaObject::Connection cancelConn;
    if (cancel.state())
        cancelConn = QObject::connect(cancel.state(), &CancelState::cancelled, &wake,
                                      [&wake] { wake.fire(); });
    timer.start(static_cast<int>(std::min<qint64>(ms, std::numeric_limits<int>::max())));
    co_await qCoro(&wake, &Wake::woken);
    QObject::disconnect(cancelConn);
    co_return !cancel.isCancelled();
}

} // namespace crucible

#include "llmscheduler.moc"
