#pragma once
// The record of one LLM request: provider, model, request (never secrets), response, usage,
// cost, latency and outcome (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>
#include <optional>

namespace crucible {

struct LlmCall
{
    QString id;
    QString provider;
    QString model;
    QString jobId;
    QString templateId;
    int templateVersion = 0;
    nlohmann::json request = nlohmann::json::object(); // normalised, secrets removed
    QString response;
    QString status;       // ok, error, cancelled, invalid (an answer that failed validation)
    QString finishReason; // stop, length, ... (empty when there is no answer)
    QString requestId;    // the server's request id, for support tickets
    int httpStatus = 0;
    int attempt = 1;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    std::optional<double> costUsd; // unset when the model is unpriced
    qint64 latencyMs = 0;
    bool cacheHit = false;
    QString cacheKey;
    // How the structured answer was asked for: "tool", "json_schema", "json_object", "prompt",
    // or empty for a text call (see StructuredMode).
    QString structuredMode;
    QString error;
    QDateTime createdAt;

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static LlmCall fromJson(const nlohmann::json &j);

    bool operator==(const LlmCall &) const = default;
};

} // namespace crucible
