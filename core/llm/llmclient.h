#pragma once
// LlmClient: the one door every LLM call goes through. It answers identical requests from the
// workspace cache at zero cost, enforces budgets, waits for the scheduler, retries transient
// failures with backoff (honouring retry-after), records every attempt in the workspace ledger
// and reports activity for the status bar. Lives on one thread (the engine thread, or the CLI's
// main thread) together with its providers and the Workspace it records into.

#include "core/llm/cancellation.h"
#include "core/llm/chattypes.h"
#include "core/llm/llmbudget.h"
#include "core/llm/llmscheduler.h"
#include "core/llm/pricetable.h"
#include "core/llm/providers/llmprovider.h"
#include "core/model/llmcall.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace crucible {

class Workspace;

struct LlmCallSpec
{
    QString providerId;
    ChatRequest request;
    QString jobId;
    QString templateId;
    int templateVersion = 0;
    bool useCache = true;
    std::optional<int> maxRetries;     // default: the provider's config
    std::shared_ptr<LlmBudget> budget; // the job's budget, if any (the session budget applies too)
    CancelToken cancel;
    std::function<void(const QString &delta)> onDelta; // streamed text (or the cached answer)
};

struct LlmCallOutcome
{
    ChatResult result;
    QString callId; // ledger id of the final attempt (or of the cache-hit record)
    QString cacheKey;
    bool cacheHit = false;
    std::optional<double> costUsd; // of all attempts; unset when the model is unpriced
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    int attempts = 0; // HTTP attempts made (0 for a cache hit or a refusal)

    bool ok() const { return result.ok(); }
    const LlmError &error() const { return result.error; }
    QString text() const { return result.response ? result.response->text : QString(); }
};

struct LlmSessionStats
{
    int inFlight = 0;
    qint64 calls = 0;
    qint64 errors = 0;    // failed calls (not cancelled ones)
    qint64 cancelled = 0; // stopped by the user or a job, not failures
    qint64 cacheHits = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    qint64 unpricedCalls = 0;
};

class LlmClient final : public QObject
{
    Q_OBJECT

public:
    explicit LlmClient(PriceTable prices, QObject *parent = nullptr);
    ~LlmClient() override;

    // Where calls are recorded and the cache is read; nullptr records nothing and never hits
    // the cache. The workspace must live on this thread and outlive the calls.
    void setLedger(Workspace *workspace);
    Workspace *ledger() const { return m_ledger; }

    // Adds or replaces a provider (by config id) and configures the scheduler from its
    // config. Calls in flight keep the provider they started with.
    void addProvider(std::shared_ptr<LlmProvider> provider);
    void removeProvider(const QString &id);
    std::shared_ptr<LlmProvider> provider(const QString &id) const;
    QStringList providerIds() const;

    LlmScheduler &scheduler() { return m_scheduler; }
    const PriceTable &prices() const { return m_prices; }
    LlmBudget &sessionBudget() { return m_sessionBudget; }
    LlmSessionStats sessionStats() const { return m_stats; }

    // Backoff between attempts: base · 2^(attempt-1), capped, with jitter in [½, 1]. Tests
    // shorten these.
    void setRetryBackoff(qint64 baseMs, qint64 capMs);
    static constexpr qint64 kMaxRetryAfterMs = 60'000;

    // Never throws; every failure is in the outcome.
    QCoro::Task<LlmCallOutcome> call(LlmCallSpec spec);

    // Marks a recorded answer as invalid (it failed validation): it shows as invalid in the
    // inspector and is never counted as a good answer. The cache still replays it, so that a
    // re-run of a structured call repeats the same repair conversation at no cost.
    void markInvalid(const QString &callId, const QString &reason);

    // Cancels every call in flight and every call waiting for a slot.
    void cancelAll();

    // Writes the ledger records still buffered. Under load records are written in batches
    // (every kFlushIntervalMs or kFlushBatch records, and whenever no call is in flight), so a
    // crash loses at most that window; the cache already sees buffered records.
    void flushLedger();
    static constexpr int kFlushIntervalMs = 100;
    static constexpr int kFlushBatch = 256;

    // The cache key of `request` sent to `config` (after defaults were applied).
    static QString cacheKey(const ProviderConfig &config, const ChatRequest &request);

signals:
    void callRecorded(const crucible::LlmCall &call);
    void statsChanged(const crucible::LlmSessionStats &stats);
    // The ledger could not be written (disk full, locked, ...): the call itself went on.
    void ledgerFailed(const QString &message);

private:
    ChatRequest withDefaults(const ProviderConfig &config, ChatRequest request) const;
    std::optional<double> priceOf(const LlmProvider &provider, const QString &model,
                                  const TokenUsage &usage) const;
    void record(LlmCall &call);
    std::optional<LlmCall> cachedAnswer(const QString &key);
    qint64 backoffMs(int attempt) const;

    PriceTable m_prices;
    std::vector<LlmCall> m_pending; // recorded, not yet written to the ledger
    QTimer *m_flushTimer = nullptr;
    Workspace *m_ledger = nullptr;
    std::map<QString, std::shared_ptr<LlmProvider>> m_providers;
    LlmScheduler m_scheduler;
    LlmBudget m_sessionBudget;
    LlmSessionStats m_stats;
    CancelSource m_cancelAll;
    qint64 m_backoffBaseMs = 500;
    qint64 m_backoffCapMs = 20'000;
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::LlmCall)
Q_DECLARE_METATYPE(crucible::LlmSessionStats)
