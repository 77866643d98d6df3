#pragma once
// LlmScheduler: admission control per provider — a concurrency limit that adapts to 429s
// (halved once per burst, creeping back up by one after a run of successes), requests/min and
// tokens/min buckets, and a pause when the server asks for one (retry-after). Coroutines await
// a slot and get a SchedulerPermit, which frees it when it goes away; nothing blocks a thread.
// Single-threaded: use it on the thread that owns it.

#include "core/llm/cancellation.h"

#include <QCoro/QCoroTask>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace crucible {

struct SchedulerLimits
{
    int concurrency = 4;       // the ceiling; the adaptive limit moves between 1 and this
    int requestsPerMinute = 0; // 0 = unlimited
    int tokensPerMinute = 0;   // 0 = unlimited
};

struct SchedulerStats
{
    int limit = 0; // current adaptive concurrency limit
    int maxLimit = 0;
    int inFlight = 0;
    int waiting = 0;
    int rateLimitCuts = 0;  // how often the limit was cut for 429s
    qint64 pausedForMs = 0; // remaining server-requested pause
};

class LlmScheduler;

// One admitted call's concurrency slot. Released exactly once: by release() with what the call
// met, or by the destructor (as a failure) when a coroutine returns early, throws or is
// destroyed while holding it. Movable, not copyable; empty when the acquire was cancelled. Safe
// to outlive its scheduler (then releasing does nothing).
class SchedulerPermit final
{
public:
    enum class Outcome { Success, RateLimited, Failure };

    SchedulerPermit() = default;
    SchedulerPermit(SchedulerPermit &&other) noexcept;
    SchedulerPermit &operator=(SchedulerPermit &&other) noexcept;
    SchedulerPermit(const SchedulerPermit &) = delete;
    SchedulerPermit &operator=(const SchedulerPermit &) = delete;
    ~SchedulerPermit();

    bool isHeld() const { return m_held; }
    explicit operator bool() const { return m_held; }

    // Frees the slot. `retryAfterMs` (from a 429/503) pauses new admissions to the provider;
    // `tokenCorrection` adds the difference between used and estimated tokens to the bucket.
    // Does nothing when the permit is empty.
    void release(Outcome outcome, std::optional<qint64> retryAfterMs = std::nullopt,
                 qint64 tokenCorrection = 0);

private:
    friend class LlmScheduler;
    SchedulerPermit(LlmScheduler *scheduler, QString provider);

    QPointer<LlmScheduler> m_scheduler;
    QString m_provider;
    bool m_held = false;
};

class LlmScheduler final : public QObject
{
    Q_OBJECT

public:
    using Outcome = SchedulerPermit::Outcome;

    explicit LlmScheduler(QObject *parent = nullptr);
    ~LlmScheduler() override;

    // Sets or changes a provider's limits; the adaptive limit is reset to the new ceiling.
    void configure(const QString &provider, SchedulerLimits limits);

    // Waits for a concurrency slot, then for the rate buckets and any server-requested pause.
    // Returns an empty permit (holding nothing) when `cancel` fires first.
    QCoro::Task<SchedulerPermit> acquire(QString provider, qint64 estimatedTokens,
                                         CancelToken cancel);

    SchedulerStats stats(const QString &provider) const;

    // Longest server-requested pause honoured; longer ones are cut to this.
    static constexpr qint64 kMaxPauseMs = 60'000;

signals:
    void limitChanged(const QString &provider, int limit);

private:
    friend class SchedulerPermit;
    struct Waiter;
    struct Bucket
    {
        double capacity = 0; // per minute; 0 = unlimited
        double level = 0;
        qint64 updatedMs = 0;

        void refill(qint64 nowMs);
        qint64 waitMs(double amount, qint64 nowMs); // 0 when available now
    };
    struct State
    {
        SchedulerLimits limits;
        int limit = 1;
        int inFlight = 0;
        int successStreak = 0;
        int cuts = 0;
        qint64 lastCutMs = -1'000'000;
        qint64 pausedUntilMs = 0;
        Bucket requests;
        Bucket tokens;
        std::deque<std::shared_ptr<Waiter>> queue;
    };

    State &state(const QString &provider);
    void release(const QString &provider, Outcome outcome, std::optional<qint64> retryAfterMs,
                 qint64 tokenCorrection);
    void pump(const QString &provider, State &s);
    qint64 nowMs() const { return m_clock.elapsed(); }

    std::map<QString, std::unique_ptr<State>> m_states;
    QElapsedTimer m_clock;
};

// Waits `ms` on the event loop; returns false early when `cancel` fires. Never blocks.
QCoro::Task<bool> sleepUnlessCancelled(qint64 ms, CancelToken cancel);

} // namespace crucible
