#pragma once
// Building blocks shared by the engine's jobs (generation, solving, evaluation, tournaments):
// the built-in JSON Schemas, the per-unit sample index that keeps the cache honest, which LLM
// errors stop a job, and the tally of a unit's calls. Plain functions and values; thread-safe
// except where noted.

#include "core/llm/llmerror.h"

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <optional>

namespace crucible {

struct StructuredOutcome;

namespace jobsupport {

// The built-in schema `:/schemas/<name>.schema.json` (an empty object when missing). Parsed
// once; call from the engine thread.
const nlohmann::json &schema(const char *name);

// The sample index of a unit's calls: distinct per job (a new job with the same parameters must
// not be answered from the previous job's cache) and stable across runs of one job (a resumed
// unit asks exactly the same question and hits the cache). `salt` separates several calls of
// one unit that must not share an answer.
int sampleIndexFor(const QString &jobId, int unit, int salt = 0);

// Errors after which more attempts only burn money: fix the settings first.
bool isFatal(const LlmError &e);

// A stable id derived from `key` (job id, unit, stage): prefix + 16 hex digits. A resumed unit
// finds what it already stored under the same id, so nothing is stored twice.
QString derivedId(const char *prefix, const QString &key);

// What a unit's LLM calls cost, summed over its structured calls.
struct CallTally
{
    QStringList callIds;
    std::optional<double> cost = 0.0; // unset once any call was unpriced
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    int calls = 0;
    int cacheHits = 0;

    void add(const StructuredOutcome &o);
    void add(const CallTally &other);
    qint64 tokens() const { return tokensIn + tokensOut; }
    // {"calls", "cache_hits", "tokens_in", "tokens_out", "cost_usd" (number or absent)}: the
    // keys job unit results use.
    nlohmann::json toJson() const;
    static CallTally fromJson(const nlohmann::json &j); // call ids are not kept in units
};

} // namespace jobsupport
} // namespace crucible
