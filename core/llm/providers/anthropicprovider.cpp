#include "core/llm/providers/anthropicprovider.h"

#include "core/llm/providers/providerwire.h"
#include "core/llm/providers/structuredwire.h"

#include "core/llm/secrets/secretredactor.h"
#include "core/llm/sseparser.h"

#include <QStringBuilder>
#include <QUrlQuery>

namespace crucible {

using nlohmann::json;
using wire::excerpt;
using wire::integer;
using wire::parseJson;
using wire::str;

namespace {

const QByteArray AnthropicVersion = QByteArrayLiteral("2023-06-01");

FinishReason finishReasonFrom(const QString &raw)
{
    // tool_use: the forced tool of a structured call was called, which is its normal end.
    if (raw.isEmpty() || raw == QStringLiteral("end_turn") ||
        raw == QStringLiteral("stop_sequence") || raw == QStringLiteral("tool_use"))
        return FinishReason::Stop;
    if (raw == QStringLiteral("max_tokens"))
        return FinishReason::Length;
    if (raw == QStringLiteral("refusal"))
        return FinishReason::ContentFilter;
    return FinishReason::Other;
}

// Anthropic counts cache reads and writes apart from input_tokens; TokenUsage::inputTokens
// holds all prompt tokens.
struct AnthropicUsage
{
    qint64 input = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
    qint64 output = 0;
    bool seen = false;

    void merge(const json &usage)
    {
        if (!usage.is_object())
            return;
        seen = true;
        if (usage.contains("input_tokens"))
            input = integer(usage, "input_tokens");
        if (usage.contains("cache_read_input_tokens"))
            cacheRead = integer(usage, "cache_read_input_tokens");
        if (usage.contains("cache_creation_input_tokens"))
            cacheWrite = integer(usage, "cache_creation_input_tokens");
        if (usage.contains("output_tokens"))
            output = integer(usage, "output_tokens"); // cumulative in message_delta
    }

    TokenUsage toUsage() const
    {
        TokenUsage u;
        u.inputTokens = input + cacheRead + cacheWrite;
        u.cachedInputTokens = cacheRead;
        u.outputTokens = output;
        u.reported = true;
        return u;
    }
};

struct AnthropicStream
{
    SseParser parser;
    std::function<void(const QString &)> onDelta;
    CancelToken cancel; // once cancelled, no more deltas (a chunk may hold several events)
    QString text;
    QString stopRaw;
    QString id;
    QString model;
    AnthropicUsage usage;
    // The forced tool's tool_use block: its index, the input of content_block_start and the
    // input_json_delta pieces that replace it.
    QString toolName; // set for tool-mode requests
    bool forwardToolDeltas = false;
    int toolIndex = -1;
    json toolStartInput;
    std::string toolJson;
    bool stopped = false; // message_stop seen
    bool serverError = false;
    QString errorType;
    QString errorMessage;
    QString badEvent;

    void feed(const QByteArray &chunk)
    {
        parser.feed(std::string_view(chunk.constData(), std::size_t(chunk.size())),
                    [this](const SseEvent &event) { handle(event); });
    }

    void handle(const SseEvent &event)
    {
        if (cancel.isCancelled() || stopped || serverError || !badEvent.isEmpty() ||
            event.data.empty())
            return;
        const json data = json::parse(event.data, nullptr, false);
        if (!data.is_object()) {
            badEvent = QString::fromStdString(event.data.substr(0, 200));
            return;
        }
        std::string type = data.value("type", std::string());
        if (type.empty())
            type = event.event;
        if (type == "message_start") {
            const json message = data.value("message", json::object());
            id = str(message, "id");
            model = str(message, "model");
            usage.merge(message.value("usage", json()));
        } else if (type == "content_block_start") {
            const json block = data.value("content_block", json::object());
            if (toolIndex < 0 && !toolName.isEmpty() &&
                str(block, "type") == QStringLiteral("tool_use") &&
                str(block, "name") == toolName) {
                toolIndex = int(integer(data, "index"));
                toolStartInput = block.value("input", json::object());
            }
        } else if (type == "content_block_delta") {
            const json delta = data.value("delta", json::object());
            const QString deltaType = str(delta, "type");
            if (deltaType == QStringLiteral("input_json_delta")) {
                if (toolIndex >= 0 && integer(data, "index") == toolIndex) {
                    const std::string piece = delta.value("partial_json", std::string());
                    toolJson += piece;
                    if (forwardToolDeltas && onDelta && !piece.empty())
                        onDelta(QString::fromStdString(piece));
                }
            } else if (deltaType == QStringLiteral("text_delta")) {
                const QString piece = str(delta, "text");
                if (!piece.isEmpty()) {
                    text += piece;
                    if (onDelta)
                        onDelta(piece);
                }
            }
        } else if (type == "message_delta") {
            const QString stop = str(data.value("delta", json::object()), "stop_reason");
            if (!stop.isEmpty())
                stopRaw = stop;
            usage.merge(data.value("usage", json()));
        } else if (type == "message_stop") {
            stopped = true;
        } else if (type == "error") {
            serverError = true;
            const json error = data.value("error", json::object());
            errorType = str(error, "type");
            errorMessage = str(error, "message");
        }
        // ping, content_block_stop and unknown events: nothing to do.
    }
};

} // namespace

AnthropicProvider::AnthropicProvider(ProviderConfig config, QString apiKey,
                                     std::shared_ptr<HttpTransport> transport)
    : m_config(std::move(config))
    , m_apiKey(std::move(apiKey))
    , m_modes(ProviderType::Anthropic, m_config.structuredOutput)
    , m_transport(transport ? std::move(transport)
                            : std::make_shared<HttpTransport>(m_config.concurrency))
{
}

AnthropicProvider::~AnthropicProvider() = default;

StructuredMode AnthropicProvider::structuredModeFor(const ChatRequest &request) const
{
    return m_modes.modeFor(request.format);
}

QString AnthropicProvider::toolNameFor(const ChatRequest &request)
{
    return structuredwire::wireName(
        request.format == ResponseFormat::JsonSchema ? request.schemaName : QString());
}

QString AnthropicProvider::modelFor(const ChatRequest &request) const
{
    if (!request.model.trimmed().isEmpty())
        return request.model.trimmed();
    return m_config.defaultModel.trimmed();
}

RawHeaders AnthropicProvider::headers() const
{
    RawHeaders out;
    if (!m_apiKey.isEmpty())
        out.emplace_back(QByteArrayLiteral("x-api-key"), m_apiKey.toUtf8());
    out.emplace_back(QByteArrayLiteral("anthropic-version"), AnthropicVersion);
    for (const HttpHeader &h : m_config.extraHeaders)
        out.emplace_back(h.name.toUtf8(), h.value.toUtf8());
    return out;
}

json AnthropicProvider::requestBody(const ChatRequest &request) const
{
    return requestBody(request, structuredModeFor(request));
}

json AnthropicProvider::requestBody(const ChatRequest &request, StructuredMode mode) const
{
    json body = json::object();
    body["model"] = modelFor(request).toStdString();
    int maxTokens = DefaultMaxTokens;
    if (request.maxTokens)
        maxTokens = *request.maxTokens;
    else if (m_config.maxTokens)
        maxTokens = *m_config.maxTokens;
    body["max_tokens"] = maxTokens;

    QString system = request.system;
    if (mode == StructuredMode::Prompt || mode == StructuredMode::JsonObject)
        system =
            structuredwire::withInstruction(system, structuredwire::promptInstruction(request));
    if (mode == StructuredMode::Tool) {
        // A forced tool: the answer is the tool's input, which the API shapes by input_schema.
        const json schema =
            request.format == ResponseFormat::JsonSchema && !request.schema.is_null()
                ? request.schema
                : json{{"type", "object"}};
        const QString name = toolNameFor(request);
        body["tools"] = json::array(
            {{{"name", name.toStdString()},
              {"description",
               "Give your answer by calling this tool: its input is the answer, shaped by the "
               "input schema."},
              {"input_schema", structuredwire::toolSchemaFor(schema).inputSchema}}});
        body["tool_choice"] = {{"type", "tool"}, {"name", name.toStdString()}};
    }
    if (!system.isEmpty())
        body["system"] = system.toStdString();

    json messages = json::array();
    for (const ChatMessage &m : request.messages)
        messages.push_back(
            {{"role", chatRoleName(m.role).toStdString()}, {"content", m.content.toStdString()}});
    body["messages"] = std::move(messages);
    if (const auto temperature = request.temperature ? request.temperature : m_config.temperature)
        body["temperature"] = *temperature;
    if (request.stream)
        body["stream"] = true;
    return body;
}

LlmError AnthropicProvider::errorFor(const HttpResponse &response, const QString &model) const
{
    LlmError e = httpStatusError(response, label(), model, !m_apiKey.isEmpty(),
                                 m_config.effectiveKeyEnvVar());
    const json body = parseJson(response.body);
    const auto error = body.is_object() ? body.find("error") : body.end();
    if (body.is_object() && error != body.end() && error->is_object()) {
        e.providerMessage = str(*error, "message");
        e.providerCode = str(*error, "type");
        if (e.providerCode.isEmpty())
            e.providerCode = str(*error, "code");
        if (e.requestId.isEmpty())
            e.requestId = str(body, "request_id");
    } else if (!response.body.isEmpty()) {
        e.providerMessage = excerpt(response.body);
    }
    e.providerMessage = redact(e.providerMessage, {m_apiKey});
    return e;
}

QCoro::Task<ChatResult> AnthropicProvider::chat(ChatRequest request, ChatCallOptions options)
{
    ChatResult result;
    const QString model = modelFor(request);
    NormalizedUrl url;
    if (auto error = wire::chatPreflight(m_config, model, url)) {
        result.error = *error;
        co_return result;
    }

    const StructuredMode mode = structuredModeFor(request);
    result.structuredMode = mode;
    const QString toolName = mode == StructuredMode::Tool ? toolNameFor(request) : QString();
    const bool wrapped =
        mode == StructuredMode::Tool && request.format == ResponseFormat::JsonSchema &&
        structuredwire::toolSchemaFor(request.schema.is_null() ? json::object() : request.schema)
            .wrapped;
    HttpRequestSpec spec = wire::chatRequest(
        m_config, url.url, headers(), QByteArray::fromStdString(requestBody(request, mode).dump()),
        options.cancel, request.stream);
    const auto stream = std::make_shared<AnthropicStream>();
    if (request.stream) {
        stream->onDelta = options.onDelta;
        stream->cancel = options.cancel;
        stream->toolName = toolName;
        // Deltas add up to the answer text only when the answer is the whole input.
        stream->forwardToolDeltas = !wrapped;
        spec.onChunk = [stream](const QByteArray &chunk) { stream->feed(chunk); };
    }

    HttpResponse response = co_await m_transport->send(std::move(spec));
    result.latencyMs = response.latencyMs;
    if (request.stream)
        result.partialText = stream->text;

    if (!response.completed()) {
        result.error = response.toError(label(), model);
        result.error.midStream = result.error.midStream || !stream->text.isEmpty();
        co_return result;
    }
    if (!response.success()) {
        result.partialText.clear();
        result.error = errorFor(response, model);
        if (structuredwire::rejectsMode(result.error, mode)) {
            result.fallback = m_modes.rejected(mode);
            result.error.message = structuredwire::rejectionNote(mode, result.fallback, label());
            if (result.fallback)
                qInfo("%s", qUtf8Printable(result.error.describe()));
        }
        co_return result;
    }

    ChatResponse out;
    out.httpStatus = response.status;
    out.requestId = response.requestId;
    AnthropicUsage usage;
    const QString where = QStringLiteral("POST ") % url.url.toString(QUrl::RemoveUserInfo);
    auto protocolError = [&](const QString &message) {
        LlmError e;
        e.kind = LlmError::Kind::Protocol;
        e.provider = label();
        e.model = model;
        e.requestId = response.requestId;
        e.message = message;
        return e;
    };

    if (request.stream) {
        stream->parser.finish();
        if (stream->serverError) {
            const QString type =
                stream->errorType.isEmpty() ? QStringLiteral("an error") : stream->errorType;
            result.error = protocolError(QStringLiteral("the server sent ") % type %
                                         QStringLiteral(" in the middle of the stream (") % where %
                                         QStringLiteral("): retry later"));
            result.error.providerMessage = redact(stream->errorMessage, {m_apiKey});
            result.error.providerCode = stream->errorType;
            result.error.midStream = !stream->text.isEmpty();
            co_return result;
        }
        if (!stream->badEvent.isEmpty()) {
            result.error = protocolError(QStringLiteral("the stream from ") % where %
                                         QStringLiteral(" carried an event that is not JSON: ") %
                                         stream->badEvent);
            result.error.midStream = !stream->text.isEmpty();
            co_return result;
        }
        if (!stream->stopped && stream->stopRaw.isEmpty()) {
            // Qt 6.4 reports no error when a chunked stream's connection closes early: the
            // missing end of the stream is the only sign of the dropped connection.
            result.error = protocolError(
                QStringLiteral("the connection closed before the stream ended (no %1) after ")
                    .arg(QStringLiteral("message_stop")) %
                QString::number(response.bodyBytes) % QStringLiteral(" bytes (") % where %
                QStringLiteral("): the server or a proxy dropped it; retrying usually helps"));
            result.error.kind = LlmError::Kind::Connection;
            result.error.midStream = true;
            co_return result;
        }
        result.partialText.clear();
        out.text = stream->text;
        if (stream->toolIndex >= 0) {
            // A truncated tool input is not JSON: keep the raw text, the finish reason says
            // it was cut off.
            const json input =
                stream->toolJson.empty() ? stream->toolStartInput : parseJson(stream->toolJson);
            out.text = input.is_discarded() ? QString::fromStdString(stream->toolJson)
                                            : structuredwire::answerFromToolInput(input, wrapped);
        }
        out.model = stream->model;
        out.rawFinishReason = stream->stopRaw;
        usage = stream->usage;
        if (out.requestId.isEmpty())
            out.requestId = stream->id;
    } else {
        const json body = parseJson(response.body);
        const auto content = body.is_object() ? body.find("content") : body.end();
        if (!body.is_object() || content == body.end() || !content->is_array()) {
            result.error = protocolError(
                QStringLiteral("the answer from ") % where %
                QStringLiteral(" is not an Anthropic message (no content): is the base URL the "
                               "Anthropic API? It began: ") %
                excerpt(response.body));
            co_return result;
        }
        bool toolAnswered = false;
        for (const json &block : *content) {
            const QString type = str(block, "type");
            if (type == QStringLiteral("text") && !toolAnswered) {
                out.text += str(block, "text");
            } else if (type == QStringLiteral("tool_use") && !toolName.isEmpty() && !toolAnswered &&
                       str(block, "name") == toolName) {
                // The forced tool's input is the answer; any text around it is not.
                out.text = structuredwire::answerFromToolInput(block.value("input", json::object()),
                                                               wrapped);
                toolAnswered = true;
            }
        }
        out.rawFinishReason = str(body, "stop_reason");
        out.model = str(body, "model");
        usage.merge(body.value("usage", json()));
        if (out.requestId.isEmpty())
            out.requestId = str(body, "id");
    }
    out.finishReason = finishReasonFrom(out.rawFinishReason);
    if (out.model.isEmpty())
        out.model = model;
    if (usage.seen) {
        out.usage = usage.toUsage();
    } else {
        out.usage.inputTokens = estimateInputTokens(request);
        out.usage.outputTokens = estimateTokens(out.text);
    }
    result.response = std::move(out);
    co_return result;
}

HttpRequestSpec AnthropicProvider::modelsRequest(CancelToken cancel) const
{
    HttpRequestSpec spec;
    spec.method = QByteArrayLiteral("GET");
    spec.url = resolvedUrl(m_config, Endpoint::Models);
    if (spec.url.isValid()) {
        // The default page holds 20 models; 1000 is the API's maximum.
        QUrlQuery query(spec.url);
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
        spec.url.setQuery(query);
    }
    spec.headers = headers();
    spec.headers.emplace_back(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    spec.connectTimeoutMs = m_config.connectTimeoutMs;
    spec.idleTimeoutMs = m_config.streamIdleTimeoutMs;
    spec.totalTimeoutMs = m_config.totalTimeoutMs;
    spec.cancel = std::move(cancel);
    return spec;
}

ModelsResult AnthropicProvider::modelsResult(const HttpResponse &response) const
{
    ModelsResult result;
    result.latencyMs = response.latencyMs;
    if (!response.completed()) {
        result.error = response.toError(label());
        return result;
    }
    if (!response.success()) {
        result.error = errorFor(response, {});
        return result;
    }
    const json body = parseJson(response.body);
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
        result.error.kind = LlmError::Kind::Protocol;
        result.error.provider = label();
        result.error.requestId = response.requestId;
        result.error.message =
            QStringLiteral("the answer from GET ") % response.url.toString(QUrl::RemoveUserInfo) %
            QStringLiteral(" is not a model list: is the base URL the Anthropic API? It began: ") %
            excerpt(response.body);
        return result;
    }
    for (const json &entry : body["data"]) {
        const QString id = str(entry, "id");
        if (!id.isEmpty())
            result.models << id;
    }
    result.models.sort();
    result.models.removeDuplicates();
    return result;
}

QCoro::Task<ModelsResult> AnthropicProvider::listModels(CancelToken cancel)
{
    HttpRequestSpec spec = modelsRequest(std::move(cancel));
    if (!spec.url.isValid()) {
        ModelsResult result;
        const NormalizedUrl url = resolveUrl(m_config, Endpoint::Models);
        result.error = LlmError::configuration(
            label(), QStringLiteral("the base URL of provider '") % label() % QStringLiteral("' ") %
                         url.error % QStringLiteral(": fix it in the provider settings"));
        co_return result;
    }
    const HttpResponse response = co_await m_transport->send(std::move(spec));
    co_return modelsResult(response);
}

} // namespace crucible
