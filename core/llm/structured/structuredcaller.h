#pragma once
// StructuredCaller: asks for JSON that must satisfy a JSON Schema and only ever hands back
// valid JSON. It uses the provider's structured-output mode (Anthropic: a forced tool;
// OpenAI-compatible: response_format json_schema; each falls back to weaker modes when the
// server rejects it), which makes repairs rarer but replaces no check: it extracts the JSON
// from fenced or prose-wrapped answers, validates it, re-asks with the validator's message a
// bounded number of times, and retries a truncated answer with more room. Answers that fail
// are marked invalid in the ledger. Same thread as the LlmClient it uses.

#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <QCoro/QCoroTask>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

struct StructuredCallSpec
{
    LlmCallSpec call; // provider, messages, job, template, budget, cancel; format is set here
    nlohmann::json schema;
    QString schemaName = QStringLiteral("response");
    int maxRepairs = 2;            // re-asks with the validator's message
    int maxTruncationRetries = 1;  // re-asks with twice the max_tokens
    int maxTokensCeiling = 32'768; // never ask for more than this
};

struct StructuredOutcome
{
    std::optional<nlohmann::json> value; // set only when it satisfies the schema
    LlmError error;
    QStringList callIds; // every call made or served from the cache, in order
    int repairs = 0;
    int truncationRetries = 0;
    bool cacheHit = false;         // the accepted answer came from the cache
    std::optional<double> costUsd; // sum over all calls; unset if any was unpriced
    qint64 tokensIn = 0;           // over all calls (cache hits report the original's)
    qint64 tokensOut = 0;
    // How the last answer was asked for (tool, json_schema, json_object, prompt), as the
    // ledger records it; after a fallback, the mode that answered.
    StructuredMode structuredMode = StructuredMode::None;
    QString lastText;       // the last answer received (valid or not)
    QStringList lastErrors; // what was wrong with it

    bool ok() const { return value.has_value(); }
};

class StructuredCaller final
{
public:
    StructuredCaller(LlmClient &client, const PromptTemplates &templates);

    // Never throws.
    QCoro::Task<StructuredOutcome> call(StructuredCallSpec spec);

private:
    LlmClient &m_client;
    const PromptTemplates &m_templates;
};

} // namespace crucible
