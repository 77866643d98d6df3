#include "core/model/llmcall.h"

namespace crucible {

using nlohmann::json;

std::vector<ValidationIssue> LlmCall::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (provider.trimmed().isEmpty())
        issues.push_back({QStringLiteral("provider"), {}, QStringLiteral("must not be empty")});
    if (tokensIn < 0 || tokensOut < 0)
        issues.push_back({QStringLiteral("tokens"), {}, QStringLiteral("must not be negative")});
    if (costUsd && *costUsd < 0)
        issues.push_back({QStringLiteral("cost_usd"), QString::number(*costUsd),
                          QStringLiteral("must not be negative")});
    if (attempt < 1)
        issues.push_back({QStringLiteral("attempt"), QString::number(attempt),
                          QStringLiteral("must be at least 1")});
    return issues;
}

json LlmCall::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"provider", provider.toStdString()},
              {"model", model.toStdString()},
              {"job_id", jobId.toStdString()},
              {"template_id", templateId.toStdString()},
              {"template_version", templateVersion},
              {"request", request},
              {"response", response.toStdString()},
              {"status", status.toStdString()},
              {"finish_reason", finishReason.toStdString()},
              {"request_id", requestId.toStdString()},
              {"http_status", httpStatus},
              {"attempt", attempt},
              {"tokens_in", tokensIn},
              {"tokens_out", tokensOut},
              {"latency_ms", latencyMs},
              {"cache_hit", cacheHit},
              {"cache_key", cacheKey.toStdString()},
              {"error", error.toStdString()},
              {"created_at", jsonio::formatTimestamp(createdAt).toStdString()}};
    j["cost_usd"] = costUsd ? json(*costUsd) : json(nullptr);
    if (!structuredMode.isEmpty())
        j["structured_mode"] = structuredMode.toStdString();
    return j;
}

LlmCall LlmCall::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    LlmCall c;
    c.id = jsonio::requiredString(j, "id", {});
    c.provider = jsonio::requiredString(j, "provider", {});
    c.model = jsonio::optionalString(j, "model", {});
    c.jobId = jsonio::optionalString(j, "job_id", {});
    c.templateId = jsonio::optionalString(j, "template_id", {});
    c.templateVersion = jsonio::optionalInt(j, "template_version", {}, 0);
    if (const auto it = j.find("request"); it != j.end() && !it->is_null())
        c.request = *it;
    c.response = jsonio::optionalString(j, "response", {});
    c.status = jsonio::optionalString(j, "status", {});
    c.finishReason = jsonio::optionalString(j, "finish_reason", {});
    c.requestId = jsonio::optionalString(j, "request_id", {});
    c.httpStatus = jsonio::optionalInt(j, "http_status", {}, 0);
    c.attempt = jsonio::optionalInt(j, "attempt", {}, 1);
    c.tokensIn = static_cast<qint64>(jsonio::optionalDouble(j, "tokens_in", {}, 0));
    c.tokensOut = static_cast<qint64>(jsonio::optionalDouble(j, "tokens_out", {}, 0));
    if (const auto it = j.find("cost_usd"); it != j.end() && !it->is_null()) {
        if (!it->is_number())
            throw ValidationError(QStringLiteral("cost_usd"), jsonio::describe(*it),
                                  QStringLiteral("must be a number or null"));
        c.costUsd = it->get<double>();
    }
    c.latencyMs = static_cast<qint64>(jsonio::optionalDouble(j, "latency_ms", {}, 0));
    c.cacheHit = jsonio::optionalBool(j, "cache_hit", {}, false);
    c.cacheKey = jsonio::optionalString(j, "cache_key", {});
    c.structuredMode = jsonio::optionalString(j, "structured_mode", {});
    c.error = jsonio::optionalString(j, "error", {});
    c.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    throwIfInvalid(c.validate());
    return c;
}

} // namespace crucible
