#include "core/llm/llmclient.h"

#include "core/model/jsonsupport.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <xxhash.h>

#include <algorithm>
#include <exception>

namespace crucible {

namespace {

// Worst-case output when the request sets no max_tokens, for budget reservations.
constexpr qint64 kAssumedMaxOutputTokens = 4096;

QString statusFor(const ChatResult &r)
{
    if (r.ok())
        return QStringLiteral("ok");
    if (r.error.kind == LlmError::Kind::Cancelled)
        return QStringLiteral("cancelled");
    return QStringLiteral("error");
}

} // namespace

LlmClient::LlmClient(PriceTable prices, QObject *parent)
    : QObject(parent)
    , m_prices(std::move(prices))
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &LlmClient::flushLedger);
    qRegisterMetaType<crucible::LlmCall>();
    qRegisterMetaType<crucible::LlmSessionStats>();
}

LlmClient::~LlmClient()
{
    m_cancelAll.cancel();
    flushLedger();
}

void LlmClient::setLedger(Workspace *workspace)
{
    flushLedger();
    m_ledger = workspace;
}

void LlmClient::flushLedger()
{
    m_flushTimer->stop();
    if (m_pending.empty())
        return;
    std::vector<LlmCall> batch;
    batch.swap(m_pending);
    if (m_ledger) {
        try {
            Workspace::Transaction tx(*m_ledger);
            LlmCallRepository(*m_ledger).recordAll(batch);
            tx.commit();
        } catch (const std::exception &e) {
            emit ledgerFailed(QStringLiteral("Could not record %1 LLM call(s) in %2: %3")
                                  .arg(batch.size())
                                  .arg(m_ledger->path(), QString::fromUtf8(e.what())));
        }
    }
    for (const LlmCall &call : batch)
        emit callRecorded(call);
}

std::optional<LlmCall> LlmClient::cachedAnswer(const QString &key)
{
    // The newest buffered answer wins, as the newest row would in the ledger.
    for (auto it = m_pending.rbegin(); it != m_pending.rend(); ++it) {
        if (it->cacheKey == key && !it->cacheHit &&
            (it->status == QStringLiteral("ok") || it->status == QStringLiteral("invalid")))
            return *it;
    }
    try {
        return LlmCallRepository(*m_ledger).cachedAnswer(key);
    } catch (const std::exception &e) {
        emit ledgerFailed(QStringLiteral("Could not read the response cache in %1: %2")
                              .arg(m_ledger->path(), QString::fromUtf8(e.what())));
    }
    return std::nullopt;
}

void LlmClient::addProvider(std::shared_ptr<LlmProvider> provider)
{
    const ProviderConfig &c = provider->config();
    SchedulerLimits limits;
    limits.concurrency = std::max(1, c.concurrency);
    limits.requestsPerMinute = c.requestsPerMinute;
    limits.tokensPerMinute = c.tokensPerMinute;
    m_scheduler.configure(c.id, limits);
    m_providers[c.id] = std::move(provider);
}

void LlmClient::removeProvider(const QString &id)
{
    m_providers.erase(id);
}

std::shared_ptr<LlmProvider> LlmClient::provider(const QString &id) const
{
    const auto it = m_providers.find(id);
    return it == m_providers.end() ? nullptr : it->second;
}

QStringList LlmClient::providerIds() const
{
    QStringList ids;
    for (const auto &[id, p] : m_providers)
        ids << id;
    return ids;
}

void LlmClient::setRetryBackoff(qint64 baseMs, qint64 capMs)
{
    m_backoffBaseMs = std::max<qint64>(0, baseMs);
    m_backoffCapMs = std::max(m_backoffBaseMs, capMs);
}

qint64 LlmClient::backoffMs(int attempt) const
{
    const int shift = std::clamp(attempt - 1, 0, 20);
    const qint64 full = std::min(m_backoffCapMs, m_backoffBaseMs << shift);
    // "Equal jitter": half fixed, half random, so that a burst of failures spreads out.
    const double jitter = 0.5 + 0.5 * QRandomGenerator::global()->generateDouble();
    return static_cast<qint64>(static_cast<double>(full) * jitter);
}

QString LlmClient::cacheKey(const ProviderConfig &config, const ChatRequest &request)
{
    // The endpoint (type + resolved URL) and the normalised request decide the answer; the
    // provider's display name and id do not.
    std::string material = providerTypeKey(config.type).toStdString();
    material += '\n';
    if (config.type != ProviderType::Simulated)
        material += resolvedUrl(config, Endpoint::Chat).toString().toStdString();
    material += '\n';
    material += request.toJson().dump();
    const XXH128_hash_t h = XXH3_128bits(material.data(), material.size());
    return QStringLiteral("%1%2")
        .arg(static_cast<qulonglong>(h.high64), 16, 16, QLatin1Char('0'))
        .arg(static_cast<qulonglong>(h.low64), 16, 16, QLatin1Char('0'));
}

ChatRequest LlmClient::withDefaults(const ProviderConfig &config, ChatRequest request) const
{
    if (request.model.isEmpty())
        request.model = config.defaultModel;
    if (request.model.isEmpty() && config.type == ProviderType::Simulated)
        request.model = QStringLiteral("simulated");
    if (!request.temperature)
        request.temperature = config.temperature;
    if (!request.maxTokens)
        request.maxTokens = config.maxTokens;
    return request;
}

std::optional<double> LlmClient::priceOf(const LlmProvider &provider, const QString &model,
                                         const TokenUsage &usage) const
{
    if (provider.isSimulated())
        return 0.0;
    return m_prices.costFor(provider.config(), model, usage.inputTokens, usage.outputTokens,
                            usage.cachedInputTokens);
}

void LlmClient::record(LlmCall &call)
{
    call.createdAt = QDateTime::currentDateTimeUtc();
    m_pending.push_back(call);
    if (static_cast<int>(m_pending.size()) >= kFlushBatch)
        flushLedger();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start();
    ++m_stats.calls;
    if (call.status == QStringLiteral("cancelled"))
        ++m_stats.cancelled;
    else if (call.status != QStringLiteral("ok"))
        ++m_stats.errors;
    if (call.cacheHit)
        ++m_stats.cacheHits;
    m_stats.tokens += call.tokensIn + call.tokensOut;
    if (call.costUsd)
        m_stats.costUsd += *call.costUsd;
    else if (call.status == QStringLiteral("ok") && !call.cacheHit)
        ++m_stats.unpricedCalls;
    emit statsChanged(m_stats);
}

void LlmClient::markInvalid(const QString &callId, const QString &reason)
{
    if (callId.isEmpty())
        return;
    for (LlmCall &pending : m_pending) {
        if (pending.id == callId) {
            pending.status = QStringLiteral("invalid");
            pending.error = reason;
            return;
        }
    }
    if (!m_ledger)
        return;
    try {
        LlmCallRepository repo(*m_ledger);
        auto call = repo.get(callId);
        if (!call)
            return;
        call->status = QStringLiteral("invalid");
        call->error = reason;
        repo.record(*call);
        emit callRecorded(*call);
    } catch (const std::exception &e) {
        emit ledgerFailed(QStringLiteral("Could not mark LLM call %1 invalid in %2: %3")
                              .arg(callId, m_ledger->path(), QString::fromUtf8(e.what())));
    }
}

void LlmClient::cancelAll()
{
    m_cancelAll.cancel();
    m_cancelAll = CancelSource();
}

QCoro::Task<LlmCallOutcome> LlmClient::call(LlmCallSpec spec)
{
    LlmCallOutcome out;
    std::shared_ptr<LlmProvider> provider = this->provider(spec.providerId);
    if (!provider) {
        out.result.error = LlmError::configuration(
            spec.providerId,
            QStringLiteral("no provider named \"%1\" is configured. Add it in Settings → "
                           "Providers, or run `crucible-cli llm providers` to list them.")
                .arg(spec.providerId));
        co_return out;
    }
    const ProviderConfig config = provider->config();
    const ChatRequest request = withDefaults(config, spec.request);
    out.cacheKey = cacheKey(config, request);

    LlmCall base;
    base.provider = config.id;
    base.model = request.model;
    base.jobId = spec.jobId;
    base.templateId = spec.templateId;
    base.templateVersion = spec.templateVersion;
    base.request = request.toJson();
    base.cacheKey = out.cacheKey;

    // 1. The cache: an identical request answered before costs nothing.
    if (spec.useCache && m_ledger) {
        const std::optional<LlmCall> hit = cachedAnswer(out.cacheKey);
        if (hit) {
            ChatResponse r;
            r.text = hit->response;
            r.model = hit->model;
            r.rawFinishReason = hit->finishReason;
            r.finishReason = hit->finishReason == QStringLiteral("length") ? FinishReason::Length
                                                                           : FinishReason::Stop;
            r.requestId = hit->requestId;
            r.httpStatus = hit->httpStatus;
            r.usage.inputTokens = hit->tokensIn;
            r.usage.outputTokens = hit->tokensOut;
            r.usage.reported = true;
            LlmCall rec = base;
            rec.id = jsonio::newId("call");
            rec.response = hit->response;
            rec.status = QStringLiteral("ok");
            rec.finishReason = hit->finishReason;
            rec.requestId = hit->requestId;
            rec.httpStatus = hit->httpStatus;
            rec.cacheHit = true;
            rec.structuredMode = hit->structuredMode;
            rec.costUsd = 0.0;
            rec.error = QStringLiteral("answered from cache (call %1)").arg(hit->id);
            record(rec);
            if (m_stats.inFlight == 0)
                flushLedger();
            if (spec.onDelta)
                spec.onDelta(r.text);
            out.result.response = std::move(r);
            out.result.structuredMode =
                structuredModeFromName(hit->structuredMode).value_or(StructuredMode::None);
            out.callId = rec.id;
            out.cacheHit = true;
            out.costUsd = 0.0;
            co_return out;
        }
    }

    // 2. Budgets: reserve the worst case before anything is sent.
    const qint64 estIn = estimateInputTokens(request);
    const qint64 estOut = request.maxTokens ? *request.maxTokens : kAssumedMaxOutputTokens;
    const std::optional<double> estCost =
        provider->isSimulated() ? std::optional<double>(0.0)
                                : m_prices.costFor(config, request.model, estIn, estOut);

    CancelSource callCancel = spec.cancel.child();
    const CancelToken cancel = callCancel.token();
    const QMetaObject::Connection cancelAllConn =
        QObject::connect(m_cancelAll.token().state(), &CancelState::cancelled, cancel.state(),
                         [callCancel] { callCancel.cancel(); });

    ++m_stats.inFlight;
    emit statsChanged(m_stats);

    int maxAttempts = 1 + std::max(0, spec.maxRetries.value_or(config.maxRetries));
    int fallbacks = 0; // attempts the server rejected for their structured mode
    double totalCost = 0;
    bool anyUnpriced = false;
    for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
        QString refusal = m_sessionBudget.reserve(estIn + estOut, estCost);
        if (!refusal.isEmpty()) {
            refusal = QStringLiteral("session ") + refusal;
        } else if (spec.budget) {
            refusal = spec.budget->reserve(estIn + estOut, estCost);
            if (!refusal.isEmpty())
                m_sessionBudget.settle(estIn + estOut, estCost, 0, 0);
        }
        if (!refusal.isEmpty()) {
            LlmError e;
            e.kind = LlmError::Kind::Budget;
            e.provider = config.id;
            e.model = request.model;
            e.message = QStringLiteral("not sent: ") + refusal;
            out.result = ChatResult{};
            out.result.error = e;
            break;
        }

        SchedulerPermit permit = co_await m_scheduler.acquire(config.id, estIn + estOut, cancel);
        if (!permit) {
            m_sessionBudget.settle(estIn + estOut, estCost, 0, 0);
            if (spec.budget)
                spec.budget->settle(estIn + estOut, estCost, 0, 0);
            out.result = ChatResult{};
            out.result.error = LlmError::cancelled(config.id);
            break;
        }

        ChatCallOptions options;
        options.cancel = cancel;
        options.onDelta = spec.onDelta;
        QElapsedTimer timer;
        timer.start();
        ChatResult result = co_await provider->chat(request, options);
        ++out.attempts;
        if (result.latencyMs <= 0)
            result.latencyMs = timer.elapsed();

        LlmCall rec = base;
        rec.id = jsonio::newId("call");
        rec.attempt = attempt;
        rec.latencyMs = result.latencyMs;
        rec.status = statusFor(result);
        rec.structuredMode = structuredModeName(result.structuredMode);
        TokenUsage usage;
        if (result.response) {
            const ChatResponse &r = *result.response;
            usage = r.usage;
            rec.response = r.text;
            if (!r.model.isEmpty())
                rec.model = r.model;
            rec.finishReason =
                r.rawFinishReason.isEmpty() ? finishReasonName(r.finishReason) : r.rawFinishReason;
            rec.requestId = r.requestId;
            rec.httpStatus = r.httpStatus;
        } else {
            rec.response = result.partialText;
            rec.httpStatus = result.error.httpStatus;
            rec.requestId = result.error.requestId;
            rec.error = result.error.describe();
        }
        rec.tokensIn = usage.inputTokens;
        rec.tokensOut = usage.outputTokens;
        std::optional<double> cost = priceOf(*provider, rec.model, usage);
        if (!cost && rec.model != request.model)
            cost = priceOf(*provider, request.model, usage);
        rec.costUsd = cost;
        if (cost)
            totalCost += *cost;
        else if (usage.inputTokens + usage.outputTokens > 0)
            anyUnpriced = true;
        m_sessionBudget.settle(estIn + estOut, estCost, usage.inputTokens + usage.outputTokens,
                               cost.value_or(0));
        if (spec.budget)
            spec.budget->settle(estIn + estOut, estCost, usage.inputTokens + usage.outputTokens,
                                cost.value_or(0));
        out.tokensIn += usage.inputTokens;
        out.tokensOut += usage.outputTokens;

        LlmScheduler::Outcome outcome = LlmScheduler::Outcome::Failure;
        if (result.ok())
            outcome = LlmScheduler::Outcome::Success;
        else if (result.error.kind == LlmError::Kind::Http &&
                 (result.error.httpStatus == 429 || result.error.httpStatus == 529))
            outcome = LlmScheduler::Outcome::RateLimited;
        std::optional<qint64> pause;
        if (!result.ok() && result.error.retryAfterMs)
            pause = std::min(*result.error.retryAfterMs, kMaxRetryAfterMs);
        permit.release(outcome, pause,
                       usage.reported ? usage.inputTokens + usage.outputTokens - (estIn + estOut)
                                      : 0);
        record(rec);
        out.callId = rec.id;
        out.result = std::move(result);
        // The server refused the structured mode and the provider switched to a weaker one:
        // send again at once, as an extra attempt (the ledger keeps the refused one with why).
        // At most three: tool → prompt, json_schema → json_object → prompt.
        if (!out.result.ok() && out.result.fallback && !cancel.isCancelled() && fallbacks < 3) {
            ++fallbacks;
            ++maxAttempts;
            continue;
        }
        if (out.result.ok() || !out.result.error.retryable() || cancel.isCancelled() ||
            attempt == maxAttempts)
            break;

        qint64 delay = backoffMs(attempt);
        if (pause)
            delay = std::max(delay, *pause);
        const bool waited = co_await sleepUnlessCancelled(delay, cancel);
        if (!waited) {
            out.result = ChatResult{};
            out.result.error = LlmError::cancelled(config.id);
            break;
        }
    }
    if (cancel.isCancelled() && !out.result.ok())
        out.result.error.kind = LlmError::Kind::Cancelled;
    if (!out.result.ok() && out.result.error.provider.isEmpty())
        out.result.error.provider = provider->label(); // the name the user gave it
    if (!out.result.ok() && out.result.error.model.isEmpty())
        out.result.error.model = request.model;
    if (out.attempts > 1 && !out.result.ok())
        out.result.error.message += QStringLiteral(" (after %1 attempts)").arg(out.attempts);
    if (!anyUnpriced)
        out.costUsd = totalCost;
    // The lambda holds the call's cancel state; without this it would live as long as the
    // client.
    QObject::disconnect(cancelAllConn);
    --m_stats.inFlight;
    if (m_stats.inFlight == 0)
        flushLedger(); // nothing else is running: write now rather than batch
    emit statsChanged(m_stats);
    co_return out;
}

} // namespace crucible
