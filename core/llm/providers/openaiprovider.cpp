#include "core/llm/providers/openaiprovider.h"

#include "core/llm/providers/providerwire.h"
#include "core/llm/providers/structuredwire.h"

#include "core/llm/secrets/secretredactor.h"
#include "core/llm/sseparser.h"

#include <QStringBuilder>

#include <algorithm>

namespace crucible {

using nlohmann::json;
using wire::excerpt;
using wire::integer;
using wire::parseJson;
using wire::str;

namespace {

FinishReason finishReasonFrom(const QString &raw)
{
    if (raw == QStringLiteral("stop") || raw.isEmpty())
        return FinishReason::Stop;
    if (raw == QStringLiteral("length"))
        return FinishReason::Length;
    if (raw == QStringLiteral("content_filter"))
        return FinishReason::ContentFilter;
    return FinishReason::Other;
}

std::optional<TokenUsage> usageFrom(const json &usage)
{
    if (!usage.is_object())
        return std::nullopt;
    TokenUsage u;
    u.inputTokens = integer(usage, "prompt_tokens");
    u.outputTokens = integer(usage, "completion_tokens");
    if (const auto details = usage.find("prompt_tokens_details"); details != usage.end())
        u.cachedInputTokens = integer(*details, "cached_tokens");
    u.reported = true;
    return u;
}

// `content` is a string, null (refusals) or a list of {type:"text", text} parts.
QString contentText(const json &content)
{
    if (content.is_string())
        return QString::fromStdString(content.get<std::string>());
    QString out;
    if (content.is_array()) {
        for (const json &part : content)
            out += str(part, "text");
    }
    return out;
}

// What arrives on an SSE stream, accumulated as it arrives.
struct OpenAiStream
{
    SseParser parser;
    std::function<void(const QString &)> onDelta;
    CancelToken cancel; // once cancelled, no more deltas (a chunk may hold several events)
    QString text;
    QString finishRaw;
    QString id;
    QString model;
    std::optional<TokenUsage> usage;
    bool done = false; // [DONE] seen
    bool serverError = false;
    QString errorMessage;
    QString errorCode;
    QString badEvent; // an event that is not JSON

    void feed(const QByteArray &chunk)
    {
        parser.feed(std::string_view(chunk.constData(), std::size_t(chunk.size())),
                    [this](const SseEvent &event) { handle(event); });
    }

    void handle(const SseEvent &event)
    {
        if (cancel.isCancelled() || done || serverError || !badEvent.isEmpty())
            return;
        if (event.data == "[DONE]") {
            done = true;
            return;
        }
        if (event.data.empty())
            return;
        const json chunk = parseJson(event.data);
        if (!chunk.is_object()) {
            badEvent = QString::fromStdString(event.data.substr(0, 200));
            return;
        }
        if (const auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
            serverError = true;
            if (error->is_object()) {
                errorMessage = str(*error, "message");
                errorCode = str(*error, "code");
                if (errorCode.isEmpty())
                    errorCode = str(*error, "type");
            } else if (error->is_string()) {
                errorMessage = QString::fromStdString(error->get<std::string>());
            }
            return;
        }
        if (id.isEmpty())
            id = str(chunk, "id");
        if (model.isEmpty())
            model = str(chunk, "model");
        if (const auto u = chunk.find("usage"); u != chunk.end() && u->is_object())
            usage = usageFrom(*u);
        const auto choices = chunk.find("choices");
        if (choices == chunk.end() || !choices->is_array() || choices->empty())
            return; // e.g. the include_usage chunk
        const json &choice = choices->front();
        if (const auto delta = choice.find("delta"); delta != choice.end()) {
            const QString piece = str(*delta, "content");
            if (!piece.isEmpty()) {
                text += piece;
                if (onDelta)
                    onDelta(piece);
            }
        }
        const QString finish = str(choice, "finish_reason");
        if (!finish.isEmpty())
            finishRaw = finish;
    }
};

} // namespace

OpenAiProvider::OpenAiProvider(ProviderConfig config, QString apiKey,
                               std::shared_ptr<HttpTransport> transport)
    : m_config(std::move(config))
    , m_apiKey(std::move(apiKey))
    , m_modes(ProviderType::OpenAiCompatible, m_config.structuredOutput)
    , m_transport(transport ? std::move(transport)
                            : std::make_shared<HttpTransport>(m_config.concurrency))
{
}

OpenAiProvider::~OpenAiProvider() = default;

StructuredMode OpenAiProvider::structuredModeFor(const ChatRequest &request) const
{
    return m_modes.modeFor(request.format);
}

QString OpenAiProvider::modelFor(const ChatRequest &request) const
{
    if (!request.model.trimmed().isEmpty())
        return request.model.trimmed();
    if (!m_config.defaultModel.trimmed().isEmpty())
        return m_config.defaultModel.trimmed();
    if (m_config.preset == ProviderPreset::AzureOpenAi)
        return m_config.azureDeployment.trimmed();
    return {};
}

RawHeaders OpenAiProvider::headers() const
{
    RawHeaders out;
    if (!m_apiKey.isEmpty()) {
        if (m_config.preset == ProviderPreset::AzureOpenAi)
            out.emplace_back(QByteArrayLiteral("api-key"), m_apiKey.toUtf8());
        else
            out.emplace_back(QByteArrayLiteral("Authorization"), "Bearer " + m_apiKey.toUtf8());
    }
    for (const HttpHeader &h : m_config.extraHeaders)
        out.emplace_back(h.name.toUtf8(), h.value.toUtf8());
    return out;
}

json OpenAiProvider::requestBody(const ChatRequest &request) const
{
    return requestBody(request, structuredModeFor(request));
}

json OpenAiProvider::requestBody(const ChatRequest &request, StructuredMode mode) const
{
    json body = json::object();
    body["model"] = modelFor(request).toStdString();
    json messages = json::array();
    QString system = request.system;
    // json_object guarantees JSON, not the schema (and OpenAI wants the word "JSON" in the
    // messages): the schema goes in the system prompt, as in prompt mode.
    if (mode == StructuredMode::JsonObject || mode == StructuredMode::Prompt)
        system =
            structuredwire::withInstruction(system, structuredwire::promptInstruction(request));
    if (!system.isEmpty())
        messages.push_back({{"role", "system"}, {"content", system.toStdString()}});
    for (const ChatMessage &m : request.messages)
        messages.push_back(
            {{"role", chatRoleName(m.role).toStdString()}, {"content", m.content.toStdString()}});
    body["messages"] = std::move(messages);
    if (const auto temperature = request.temperature ? request.temperature : m_config.temperature)
        body["temperature"] = *temperature;
    if (const auto maxTokens = request.maxTokens ? request.maxTokens : m_config.maxTokens)
        body["max_tokens"] = *maxTokens;
    if (mode == StructuredMode::JsonSchema) {
        // strict: false — strict mode accepts only a subset of JSON Schema (every property
        // required, no additional properties); our validator checks the answer either way.
        body["response_format"] = {
            {"type", "json_schema"},
            {"json_schema",
             {{"name", structuredwire::wireName(request.schemaName).toStdString()},
              {"schema", request.schema.is_null() ? json::object() : request.schema},
              {"strict", false}}}};
    } else if (mode == StructuredMode::JsonObject) {
        body["response_format"] = {{"type", "json_object"}};
    }
    if (request.stream) {
        body["stream"] = true;
        body["stream_options"] = {{"include_usage", true}};
    }
    return body;
}

LlmError OpenAiProvider::errorFor(const HttpResponse &response, const QString &model) const
{
    LlmError e = httpStatusError(response, label(), model, !m_apiKey.isEmpty(),
                                 m_config.effectiveKeyEnvVar());
    const json body = parseJson(response.body);
    const auto error = body.is_object() ? body.find("error") : body.end();
    if (body.is_object() && error != body.end() && error->is_object()) {
        e.providerMessage = str(*error, "message");
        e.providerCode = str(*error, "code");
        if (e.providerCode.isEmpty())
            e.providerCode = str(*error, "type");
    } else if (body.is_object() && error != body.end() && error->is_string()) {
        e.providerMessage = QString::fromStdString(error->get<std::string>()); // Ollama
    } else if (!response.body.isEmpty()) {
        e.providerMessage = excerpt(response.body);
    }
    e.providerMessage = redact(e.providerMessage, {m_apiKey});
    return e;
}

QCoro::Task<ChatResult> OpenAiProvider::chat(ChatRequest request, ChatCallOptions options)
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
    HttpRequestSpec spec = wire::chatRequest(
        m_config, url.url, headers(), QByteArray::fromStdString(requestBody(request, mode).dump()),
        options.cancel, request.stream);
    const auto stream = std::make_shared<OpenAiStream>();
    if (request.stream) {
        stream->onDelta = options.onDelta;
        stream->cancel = options.cancel;
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
    std::optional<TokenUsage> usage;
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
            result.error = protocolError(
                QStringLiteral("the server reported an error in the middle of the stream (") %
                where % QStringLiteral("): retrying usually helps"));
            result.error.providerMessage = redact(stream->errorMessage, {m_apiKey});
            result.error.providerCode = stream->errorCode;
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
        if (!stream->done && stream->finishRaw.isEmpty()) {
            // Qt 6.4 reports no error when a chunked stream's connection closes early: the
            // missing end of the stream is the only sign of the dropped connection.
            result.error = protocolError(
                QStringLiteral("the connection closed before the stream ended (no %1) after ")
                    .arg(QStringLiteral("[DONE]")) %
                QString::number(response.bodyBytes) % QStringLiteral(" bytes (") % where %
                QStringLiteral("): the server or a proxy dropped it; retrying usually helps"));
            result.error.kind = LlmError::Kind::Connection;
            result.error.midStream = true;
            co_return result;
        }
        result.partialText.clear();
        out.text = stream->text;
        out.model = stream->model;
        out.rawFinishReason = stream->finishRaw;
        usage = stream->usage;
        if (out.requestId.isEmpty())
            out.requestId = stream->id;
    } else {
        const json body = parseJson(response.body);
        const auto choices = body.is_object() ? body.find("choices") : body.end();
        if (!body.is_object() || choices == body.end() || !choices->is_array() ||
            choices->empty()) {
            result.error = protocolError(
                QStringLiteral("the answer from ") % where %
                QStringLiteral(" is not a chat completion (no choices): is the base URL an "
                               "OpenAI-compatible API? It began: ") %
                excerpt(response.body));
            co_return result;
        }
        const json &choice = choices->front();
        if (const auto message = choice.find("message"); message != choice.end())
            out.text = contentText(message->value("content", json()));
        out.rawFinishReason = str(choice, "finish_reason");
        out.model = str(body, "model");
        if (const auto u = body.find("usage"); u != body.end())
            usage = usageFrom(*u);
        if (out.requestId.isEmpty())
            out.requestId = str(body, "id");
    }
    out.finishReason = finishReasonFrom(out.rawFinishReason);
    if (out.model.isEmpty())
        out.model = model;
    if (usage) {
        out.usage = *usage;
    } else {
        out.usage.inputTokens = estimateInputTokens(request);
        out.usage.outputTokens = estimateTokens(out.text);
    }
    result.response = std::move(out);
    co_return result;
}

HttpRequestSpec OpenAiProvider::modelsRequest(CancelToken cancel) const
{
    HttpRequestSpec spec;
    spec.method = QByteArrayLiteral("GET");
    spec.url = resolvedUrl(m_config, Endpoint::Models);
    spec.headers = headers();
    spec.headers.emplace_back(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    spec.connectTimeoutMs = m_config.connectTimeoutMs;
    spec.idleTimeoutMs = m_config.streamIdleTimeoutMs;
    spec.totalTimeoutMs = m_config.totalTimeoutMs;
    spec.cancel = std::move(cancel);
    return spec;
}

ModelsResult OpenAiProvider::modelsResult(const HttpResponse &response) const
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
    const json *list = nullptr;
    for (const char *key : {"data", "models"}) { // "models": llama.cpp and Ollama-style lists
        if (body.is_object() && body.contains(key) && body[key].is_array()) {
            list = &body[key];
            break;
        }
    }
    if (!list) {
        result.error.kind = LlmError::Kind::Protocol;
        result.error.provider = label();
        result.error.requestId = response.requestId;
        result.error.message =
            QStringLiteral("the answer from GET ") % response.url.toString(QUrl::RemoveUserInfo) %
            QStringLiteral(" is not a model list: is the base URL an OpenAI-compatible API? It "
                           "began: ") %
            excerpt(response.body);
        return result;
    }
    for (const json &entry : *list) {
        QString id = str(entry, "id");
        if (id.isEmpty())
            id = str(entry, "name");
        if (id.isEmpty())
            id = str(entry, "model");
        if (!id.isEmpty())
            result.models << id;
    }
    result.models.sort();
    result.models.removeDuplicates();
    return result;
}

QCoro::Task<ModelsResult> OpenAiProvider::listModels(CancelToken cancel)
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
