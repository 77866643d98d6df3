#pragma once
// LlmCallRepository: the ledger of LLM calls in a workspace (one row per attempt, cache hits
// included), the response cache lookup, and the queries of the Request Inspector and usage
// totals. Lives on the Workspace's thread.

#include "core/model/llmcall.h"
#include "core/store/workspace.h"

#include <QDateTime>
#include <QStringList>

#include <optional>
#include <vector>

namespace crucible {

struct LlmCallFilter
{
    QString jobId;
    QString provider;
    QString model;
    QString status;          // exact status ("ok", "error", ...); empty = any
    bool errorsOnly = false; // status other than "ok"
    bool cacheHitsOnly = false;
    QString text;         // substring of id, model, template id, error or request id
    qint64 afterSeq = 0;  // only rows recorded after this ledger position (live updates)
    qint64 beforeSeq = 0; // only rows before it (keyset paging, newest first); 0 = no bound

    bool isEmpty() const;
};

// One ledger row without the request/response documents (cheap to list by the thousand).
struct LlmCallSummary
{
    qint64 seq = 0;
    QString id;
    QString provider;
    QString model;
    QString jobId;
    QString templateId;
    QString status;
    int httpStatus = 0;
    int attempt = 1;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    std::optional<double> costUsd;
    qint64 latencyMs = 0;
    bool cacheHit = false;
    QString structuredMode; // tool, json_schema, json_object, prompt, or empty (text call)
    QString error;
    QDateTime createdAt;
};

struct LlmUsageTotals
{
    qint64 calls = 0;
    qint64 errors = 0;
    qint64 cacheHits = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;       // over priced calls
    qint64 unpricedCalls = 0; // successful, not from the cache, and no price known
};

class LlmCallRepository final
{
public:
    explicit LlmCallRepository(Workspace &ws);

    // Inserts (or replaces by id) one call, validated first. Throws ValidationError /
    // WorkspaceError.
    void record(const LlmCall &call);
    // Same for many calls with one prepared statement (the caller brings the transaction).
    void recordAll(const std::vector<LlmCall> &calls);
    std::optional<LlmCall> get(const QString &id) const;

    // The latest answer received for this key (not itself a cache hit): status "ok", or
    // "invalid" — an answer that failed validation is replayed too, so that a re-run repeats
    // the same repair conversation from the cache instead of paying for new calls.
    std::optional<LlmCall> cachedAnswer(const QString &cacheKey) const;

    // Newest first.
    std::vector<LlmCallSummary> page(const LlmCallFilter &filter, int limit, int offset = 0) const;
    qint64 count(const LlmCallFilter &filter = {}) const;
    LlmUsageTotals totals(const LlmCallFilter &filter = {}) const;
    QStringList providers() const;
    QStringList models() const;

private:
    Workspace &m_ws;
};

} // namespace crucible
