// LlmTestServer's responses: routing, authentication, models lists, errors and completions
// (text, JSON, forced tool use), with the queued and random faults applied.
#include "tests/support/llmtestserver.h"

#include "tests/support/llmtestserverparts.h"
#include "tests/support/llmtestwire.h"

#include <QDateTime>
#include <QMutexLocker>

#include <algorithm>
#include <exception>

namespace crucible::test {

using nlohmann::json;
using nlohmann::ordered_json;
using namespace wire;

namespace {

struct ErrorInfo
{
    QByteArray openAiType;
    QByteArray anthropicType;
    QByteArray message;
};

ErrorInfo errorFor(int status)
{
    switch (status) {
    case 400:
        return {"invalid_request_error", "invalid_request_error", "Bad request (injected)."};
    case 401:
        return {"invalid_request_error", "authentication_error", "Unauthorized (injected)."};
    case 403:
        return {"invalid_request_error", "permission_error", "Forbidden (injected)."};
    case 404:
        return {"invalid_request_error", "not_found_error", "Not found (injected)."};
    case 413:
        return {"invalid_request_error", "request_too_large", "Request too large."};
    case 503:
    case 529:
        return {"server_error", "overloaded_error",
                status == 529 ? QByteArrayLiteral("Overloaded")
                              : QByteArrayLiteral("The engine is currently overloaded, please try "
                                                  "again later.")};
    default:
        return {"server_error", "api_error",
                "The server had an error while processing your request. Sorry about that!"};
    }
}

QByteArray redactedKey(const QByteArray &key)
{
    if (key.size() <= 8)
        return QByteArrayLiteral("****");
    return key.first(3) + "****" + key.last(4);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Responses

std::vector<FaultKind> LlmTestServer::takeFaults()
{
    const QMutexLocker lock(&m_mutex);
    std::vector<FaultKind> faults;
    if (!m_faultQueue.empty()) {
        faults = m_faultQueue.front().first;
        if (--m_faultQueue.front().second <= 0)
            m_faultQueue.pop_front();
    } else if (!m_randomFaults.empty()) {
        // 53 random bits to [0, 1): the same on every platform, unlike std distributions.
        const double draw = double(m_rng() >> 11) * 0x1.0p-53;
        double cumulative = 0;
        for (const auto &[fault, probability] : m_randomFaults) {
            cumulative += probability;
            if (draw < cumulative) {
                faults.push_back(fault);
                break;
            }
        }
    }
    if (!faults.empty())
        ++m_stats.faultsInjected;
    return faults;
}

std::deque<LlmTestServer::Step>
LlmTestServer::respondError(Exchange &ex, int status, const QByteArray &message,
                            const QByteArray &openAiType, const json &openAiCode,
                            const QByteArray &anthropicType, Headers extraHeaders)
{
    QByteArray body;
    if (ex.anthropic) {
        body = dump(
            ordered_json{{"type", "error"},
                         {"error", {{"type", toStd(anthropicType)}, {"message", toStd(message)}}},
                         {"request_id", toStd(ex.requestId)}});
    } else {
        body = dump(ordered_json{{"error",
                                  {{"message", toStd(message)},
                                   {"type", toStd(openAiType)},
                                   {"param", nullptr},
                                   {"code", openAiCode}}}});
    }
    std::deque<Step> steps;
    steps.push_back({Step::Kind::Write, ex.delayMs,
                     head(status, "application/json", body.size(), false, ex.requestId, ex.close,
                          extraHeaders) +
                         body});
    steps.push_back({Step::Kind::End, 0, {}});
    return steps;
}

std::deque<LlmTestServer::Step> LlmTestServer::respond(Exchange &ex)
{
    if (ex.route == Route::Unknown) {
        const QByteArray what = ex.http.method + ' ' + ex.http.path;
        return respondError(ex, 404, "Unknown request URL: " + what, "invalid_request_error",
                            "unknown_url", "not_found_error");
    }

    // Authentication, as the real services check it.
    const QByteArray &key = ex.options.apiKey;
    if (ex.anthropic) {
        if (!ex.http.hasHeader("anthropic-version"))
            return respondError(ex, 400, "anthropic-version: header is required",
                                "invalid_request_error", nullptr, "invalid_request_error");
        if (!key.isEmpty() && ex.http.header("x-api-key") != key)
            return respondError(ex, 401, "invalid x-api-key", "invalid_request_error",
                                "invalid_api_key", "authentication_error");
    } else if (!key.isEmpty()) {
        const QByteArray authorization = ex.http.header("authorization");
        if (authorization.isEmpty())
            return respondError(ex, 401,
                                "You didn't provide an API key. You need to provide your API key "
                                "in an Authorization header using Bearer auth (i.e. "
                                "Authorization: Bearer YOUR_KEY).",
                                "invalid_request_error", nullptr, "authentication_error");
        const bool bearer = authorization.size() > 7 &&
                            authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0;
        if (!bearer || authorization.sliced(7).trimmed() != key)
            return respondError(
                ex, 401,
                "Incorrect API key provided: " +
                    redactedKey(bearer ? authorization.sliced(7).trimmed() : authorization) +
                    ". You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", "invalid_api_key", "authentication_error");
    }

    if (ex.route == Route::OpenAiModels || ex.route == Route::AnthropicModels)
        return respondModels(ex);
    return respondCompletion(ex);
}

std::deque<LlmTestServer::Step> LlmTestServer::respondModels(Exchange &ex)
{
    ordered_json body;
    if (ex.route == Route::AnthropicModels) {
        ordered_json data = ordered_json::array();
        for (const QString &model : std::as_const(ex.options.models))
            data.push_back({{"type", "model"},
                            {"id", model.toStdString()},
                            {"display_name", model.toStdString()},
                            {"created_at", "2024-01-01T00:00:00Z"}});
        body = {{"data", data},
                {"has_more", false},
                {"first_id", data.empty() ? ordered_json(nullptr) : data.front()["id"]},
                {"last_id", data.empty() ? ordered_json(nullptr) : data.back()["id"]}};
    } else {
        ordered_json data = ordered_json::array();
        for (const QString &model : std::as_const(ex.options.models))
            data.push_back({{"id", model.toStdString()},
                            {"object", "model"},
                            {"created", 1700000000},
                            {"owned_by", "crucible-test"}});
        body = {{"object", "list"}, {"data", data}};
    }
    const QByteArray bytes = dump(body);
    std::deque<Step> steps;
    steps.push_back(
        {Step::Kind::Write, ex.delayMs,
         head(200, "application/json", bytes.size(), false, ex.requestId, ex.close, {}) + bytes});
    steps.push_back({Step::Kind::End, 0, {}});
    return steps;
}

std::deque<LlmTestServer::Step> LlmTestServer::respondCompletion(Exchange &ex)
{
    const bool anthropic = ex.route == Route::AnthropicMessages;
    const json &request = ex.body;

    // Validation of the fields the client must send.
    if (request.is_discarded() || !request.is_object())
        return respondError(ex, 400,
                            "We could not parse the JSON body of your request. The request body "
                            "must be a JSON object.",
                            "invalid_request_error", nullptr, "invalid_request_error");
    if (!request.contains("model") || !request["model"].is_string())
        return respondError(ex, 400, "model: Field required", "invalid_request_error",
                            "missing_required_parameter", "invalid_request_error");
    if (!request.contains("messages") || !request["messages"].is_array() ||
        request["messages"].empty())
        return respondError(ex, 400, "messages: Field required (a non-empty array)",
                            "invalid_request_error", "missing_required_parameter",
                            "invalid_request_error");
    if (anthropic &&
        (!request.contains("max_tokens") || !request["max_tokens"].is_number_integer()))
        return respondError(ex, 400, "max_tokens: Field required", "invalid_request_error", nullptr,
                            "invalid_request_error");
    const bool stream = request.value("stream", false);

    // Features this server lacks, refused as such servers do (before any queued fault).
    const std::optional<ForcedTool> tool = anthropic ? forcedTool(request) : std::nullopt;
    if (anthropic && ex.options.rejectTools) {
        for (const char *field : {"tools", "tool_choice"}) {
            if (request.contains(field))
                return respondError(ex, 400, QByteArray(field) + ": Extra inputs are not permitted",
                                    "invalid_request_error", nullptr, "invalid_request_error");
        }
    }
    if (const auto format = request.find("response_format");
        !anthropic && format != request.end() && format->is_object()) {
        const std::string type = format->value("type", std::string());
        if ((type == "json_schema" && ex.options.rejectJsonSchema) ||
            (type == "json_object" && ex.options.rejectJsonObject))
            return respondError(
                ex, 400,
                "response_format.type '" + toBytes(type) + "' is not supported by this server",
                "invalid_request_error", "unsupported_parameter", "invalid_request_error");
    }

    // Faults that replace or reshape the response.
    const std::vector<FaultKind> faults = takeFaults();
    int slowMs = 0;
    const Fault::DropMidStream *dropMid = nullptr;
    const Fault::StallMidStream *stall = nullptr;
    const Fault::ErrorInStream *errorInStream = nullptr;
    for (const FaultKind &fault : faults) {
        if (const auto *slow = std::get_if<Fault::Slow>(&fault))
            slowMs += std::max(0, slow->ms);
        else if (const auto *f = std::get_if<Fault::DropMidStream>(&fault))
            dropMid = f;
        else if (const auto *f = std::get_if<Fault::StallMidStream>(&fault))
            stall = f;
        else if (const auto *f = std::get_if<Fault::ErrorInStream>(&fault))
            errorInStream = f;
    }
    ex.delayMs = ex.latencyMs + slowMs;
    for (const FaultKind &fault : faults) {
        if (std::holds_alternative<Fault::DropConnection>(fault)) {
            std::deque<Step> steps;
            steps.push_back({Step::Kind::Drop, ex.delayMs, {}});
            return steps;
        }
        if (const auto *limited = std::get_if<Fault::RateLimited>(&fault)) {
            Headers headers;
            if (limited->retryAfterSeconds >= 0)
                headers.emplace_back("retry-after", QByteArray::number(limited->retryAfterSeconds));
            if (limited->retryAfterMs >= 0)
                headers.emplace_back("retry-after-ms", QByteArray::number(limited->retryAfterMs));
            const QByteArray message =
                "Rate limit reached for " + toBytes(request["model"].get<std::string>()) +
                " on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in " +
                QByteArray::number(std::max(0, limited->retryAfterSeconds)) + "s.";
            return respondError(ex, 429, message, "requests", "rate_limit_exceeded",
                                "rate_limit_error", std::move(headers));
        }
        if (const auto *error = std::get_if<Fault::ServerError>(&fault)) {
            const ErrorInfo info = errorFor(error->status);
            return respondError(ex, error->status, info.message, info.openAiType,
                                error->status >= 500 ? json(nullptr) : json("injected_error"),
                                info.anthropicType);
        }
    }
    if (errorInStream && !stream) {
        const int status = anthropic ? 529 : 503;
        const ErrorInfo info = errorFor(status);
        return respondError(ex, status, info.message, info.openAiType, nullptr, info.anthropicType);
    }

    // The answer.
    QByteArray text;
    try {
        text = ex.handler ? ex.handler(request) : defaultAnswer(request);
    } catch (const std::exception &e) {
        return respondError(ex, 500, "LlmTestServer answer handler threw: " + QByteArray(e.what()),
                            "server_error", nullptr, "api_error");
    }
    // A forced tool answers with a tool_use block whose input is the answer; an answer that is
    // not JSON (or is made non-JSON by a content fault) stays a text block, as if the model had
    // ignored the tool.
    bool toolUse = false;
    if (tool) {
        json input = json::parse(text.constBegin(), text.constEnd(), nullptr, false);
        const bool alreadyWrapped =
            input.is_object() && input.size() == 1 && input.contains("value");
        if (!input.is_discarded() && tool->wrapper && !alreadyWrapped)
            input = json{{"value", std::move(input)}};
        if (!input.is_discarded() && input.is_object()) {
            toolUse = true;
            text = dump(input);
        }
        for (const FaultKind &fault : faults) {
            if (std::holds_alternative<Fault::FencedJson>(fault) ||
                std::holds_alternative<Fault::ProseWrappedJson>(fault) ||
                std::holds_alternative<Fault::MalformedJson>(fault) ||
                std::holds_alternative<Fault::EmptyContent>(fault))
                toolUse = false;
        }
    }
    bool truncated = applyContentFaults(text, faults);
    int maxTokens = -1;
    for (const char *field : {"max_tokens", "max_completion_tokens"}) {
        if (request.contains(field) && request[field].is_number_integer())
            maxTokens = request[field].get<int>();
    }
    if (maxTokens >= 0 && tokensFor(characterCount(text)) > maxTokens) {
        text = leftCharacters(text, qsizetype(maxTokens) * 4);
        truncated = true;
    }

    Completion c;
    c.anthropic = anthropic;
    if (const auto options = request.find("stream_options");
        options != request.end() && options->is_object())
        c.includeUsage = options->value("include_usage", false);
    c.id = (anthropic ? "msg_test" : "chatcmpl-test") + std::to_string(ex.id);
    c.model = request["model"].get<std::string>();
    c.content = toStd(text);
    if (toolUse) {
        c.toolName = tool->name;
        c.toolId = "toolu_test" + std::to_string(ex.id);
    }
    if (anthropic)
        c.finishReason = truncated ? "max_tokens" : (toolUse ? "tool_use" : "end_turn");
    else
        c.finishReason = truncated ? "length" : "stop";
    c.created = QDateTime::currentSecsSinceEpoch();
    c.inputTokens = promptTokens(request);
    c.outputTokens = tokensFor(characterCount(text));

    std::deque<Step> steps;
    if (!stream) {
        const QByteArray body = completionBody(c);
        const QByteArray all =
            head(200, "application/json", body.size(), false, ex.requestId, ex.close, {}) + body;
        if (!dropMid && !stall) {
            steps.push_back({Step::Kind::Write, ex.delayMs, all});
            steps.push_back({Step::Kind::End, 0, {}});
            return steps;
        }
        const qsizetype cut = all.size() - body.size() / 2; // headers and half of the body
        steps.push_back({Step::Kind::Write, ex.delayMs, all.first(cut)});
        if (dropMid) {
            steps.push_back({Step::Kind::Drop, 0, {}});
            return steps;
        }
        steps.push_back({Step::Kind::Write, std::max(0, stall->ms), all.sliced(cut)});
        steps.push_back({Step::Kind::End, 0, {}});
        return steps;
    }

    // Streaming: headers and preamble at once (after Slow), content spread over the latency,
    // one HTTP chunk per step so that the client sees each step when it is sent.
    steps.push_back(
        {Step::Kind::Write, slowMs,
         head(200, "text/event-stream; charset=utf-8", 0, true, ex.requestId, ex.close, {}) +
             chunk(streamPreamble(c, ex.options.anthropicPing))});
    const std::vector<QByteArray> pieces = splitText(text, ex.options.streamChunks);
    const int k = int(pieces.size());
    const int dropAt = dropMid ? std::clamp(dropMid->afterChunks, 0, k) : -1;
    const int stallAt = stall ? std::clamp(stall->afterChunks, 0, k) : -1;
    const int errorAt = errorInStream ? std::clamp(errorInStream->afterChunks, 0, k) : -1;
    const qint64 latency = ex.latencyMs;
    for (int i = 0; i <= k; ++i) {
        // Step i sends content piece i, or the closing events when i == k.
        int delay = 0;
        if (k == 0)
            delay = int(latency);
        else if (i < k)
            delay = int(latency * (i + 1) / k - latency * i / k);
        if (i == stallAt)
            delay += std::max(0, stall->ms);
        if (i == dropAt) {
            steps.push_back({Step::Kind::Drop, delay, {}});
            return steps;
        }
        if (i == errorAt || i == k) {
            const QByteArray last = i == errorAt ? streamError(c) : streamClosing(c);
            steps.push_back({Step::Kind::Write, delay, chunk(last) + chunkTerminator});
            steps.push_back({Step::Kind::End, 0, {}});
            return steps;
        }
        steps.push_back({Step::Kind::Write, delay, chunk(streamDelta(c, pieces[std::size_t(i)]))});
    }
    return steps; // not reached: the loop returns at i == k
}

} // namespace crucible::test
