#include "tests/support/llmtestwire.h"

#include <QString>

#include <algorithm>
#include <cmath>
#include <limits>

namespace crucible::test::wire {

using nlohmann::json;
using nlohmann::ordered_json;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    case 529:
        return "Site Overloaded";
    default:
        return "Status";
    }
}

QByteArray toBytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}
std::string toStd(const QByteArray &b)
{
    return std::string(b.constData(), std::size_t(b.size()));
}

QByteArray chunk(const QByteArray &payload)
{
    if (payload.isEmpty())
        return {};
    return QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n";
}

QByteArray head(int status, const QByteArray &contentType, qsizetype contentLength, bool chunked,
                const QByteArray &requestId, bool close, const Headers &extra)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "content-type: " + contentType + "\r\n";
    if (chunked)
        out += "transfer-encoding: chunked\r\ncache-control: no-cache\r\n";
    else
        out += "content-length: " + QByteArray::number(contentLength) + "\r\n";
    out += "x-request-id: " + requestId + "\r\nrequest-id: " + requestId + "\r\n";
    for (const auto &[name, value] : extra)
        out += name + ": " + value + "\r\n";
    out += close ? QByteArrayLiteral("connection: close\r\n\r\n")
                 : QByteArrayLiteral("connection: keep-alive\r\n\r\n");
    return out;
}

std::string contentText(const json &content)
{
    if (content.is_string())
        return content.get<std::string>();
    std::string out;
    if (content.is_array()) {
        for (const json &part : content) {
            if (part.is_object() && part.contains("text") && part["text"].is_string()) {
                if (!out.empty())
                    out += '\n';
                out += part["text"].get<std::string>();
            }
        }
    }
    return out;
}

std::string lastUserText(const json &request)
{
    const auto messages = request.find("messages");
    if (messages == request.end() || !messages->is_array())
        return {};
    for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
        if (it->is_object() && it->value("role", std::string()) == "user")
            return contentText(it->value("content", json()));
    }
    return {};
}

std::string systemText(const json &request)
{
    if (const auto system = request.find("system"); system != request.end())
        return contentText(*system); // Anthropic: a top-level string or list of text blocks
    const auto messages = request.find("messages");
    if (messages == request.end() || !messages->is_array())
        return {};
    std::string out;
    for (const json &m : *messages) {
        if (m.is_object() && m.value("role", std::string()) == "system")
            out += contentText(m.value("content", json()));
    }
    return out;
}

std::optional<json> schemaInSystemPrompt(const json &request)
{
    // The instruction the providers write in prompt mode ends with "JSON Schema:\n{…}".
    const std::string system = systemText(request);
    static const std::string marker = "JSON Schema:\n";
    const std::size_t at = system.rfind(marker);
    if (at == std::string::npos)
        return std::nullopt;
    json schema = json::parse(system.begin() + std::ptrdiff_t(at + marker.size()), system.end(),
                              nullptr, false);
    if (schema.is_discarded() || !(schema.is_object() || schema.is_boolean()))
        return std::nullopt;
    return schema;
}

qsizetype characterCount(const QByteArray &utf8)
{
    return QString::fromUtf8(utf8).size();
}

// Token usage approximated as ceil(chars / 4).
int tokensFor(qsizetype characters)
{
    return int((characters + 3) / 4);
}

int promptTokens(const json &request)
{
    qsizetype chars = 0;
    if (const auto system = request.find("system"); system != request.end())
        chars += characterCount(toBytes(contentText(*system)));
    if (const auto messages = request.find("messages");
        messages != request.end() && messages->is_array()) {
        for (const json &message : *messages) {
            if (message.is_object())
                chars += characterCount(toBytes(contentText(message.value("content", json()))));
        }
    }
    return std::max(1, tokensFor(chars));
}

QByteArray leftCharacters(const QByteArray &utf8, qsizetype characters)
{
    const QString text = QString::fromUtf8(utf8);
    if (characters >= text.size())
        return utf8;
    if (characters > 0 && text.at(characters - 1).isHighSurrogate())
        --characters;
    return text.left(std::max<qsizetype>(0, characters)).toUtf8();
}

std::vector<QByteArray> splitText(const QByteArray &utf8, int pieces)
{
    const QString text = QString::fromUtf8(utf8);
    const qsizetype n = std::min<qsizetype>(std::max(1, pieces), text.size());
    std::vector<QByteArray> out;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= n; ++i) {
        qsizetype end = text.size() * i / n;
        if (end < text.size() && end > start && text.at(end - 1).isHighSurrogate())
            ++end;
        if (end > start)
            out.push_back(text.sliced(start, end - start).toUtf8());
        start = std::max(start, end);
    }
    return out;
}

bool containsJsonWord(const std::string &text)
{
    return QString::fromStdString(text).contains(QStringLiteral("json"), Qt::CaseInsensitive);
}

json example(const json &schema, const json &root, int depth)
{
    if (depth > 16)
        return nullptr;
    if (schema.is_boolean())
        return schema.get<bool>() ? json("example") : json(nullptr);
    if (!schema.is_object())
        return nullptr;
    if (const auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
        const std::string target = ref->get<std::string>();
        if (target == "#")
            return example(root, root, depth + 1);
        if (target.rfind("#/", 0) == 0) {
            try {
                const json::json_pointer pointer(target.substr(1));
                if (root.contains(pointer))
                    return example(root.at(pointer), root, depth + 1);
            } catch (const json::exception &) {
            }
        }
        return nullptr;
    }
    if (const auto constant = schema.find("const"); constant != schema.end())
        return *constant;
    if (const auto values = schema.find("enum");
        values != schema.end() && values->is_array() && !values->empty())
        return values->front();
    for (const char *key : {"anyOf", "oneOf"}) {
        if (const auto options = schema.find(key);
            options != schema.end() && options->is_array() && !options->empty())
            return example(options->front(), root, depth + 1);
    }
    if (const auto parts = schema.find("allOf");
        parts != schema.end() && parts->is_array() && !parts->empty()) {
        json merged = json::object();
        for (const json &part : *parts) {
            json value = example(part, root, depth + 1);
            if (!value.is_object())
                return value;
            merged.update(value);
        }
        return merged;
    }

    std::string type;
    if (const auto t = schema.find("type"); t != schema.end()) {
        if (t->is_string()) {
            type = t->get<std::string>();
        } else if (t->is_array()) {
            for (const json &entry : *t) {
                if (entry.is_string() && (type.empty() || type == "null"))
                    type = entry.get<std::string>();
            }
        }
    }
    if (type.empty()) {
        if (schema.contains("properties") || schema.contains("required"))
            type = "object";
        else if (schema.contains("items"))
            type = "array";
        else
            type = "string";
    }

    if (type == "object") {
        json out = json::object();
        if (const auto props = schema.find("properties");
            props != schema.end() && props->is_object()) {
            for (const auto &[name, sub] : props->items())
                out[name] = example(sub, root, depth + 1);
        }
        if (const auto required = schema.find("required");
            required != schema.end() && required->is_array()) {
            for (const json &name : *required) {
                if (name.is_string() && !out.contains(name.get<std::string>()))
                    out[name.get<std::string>()] = "example";
            }
        }
        return out;
    }
    if (type == "array") {
        json out = json::array();
        int count = std::clamp(schema.value("minItems", 1), 0, 50);
        if (schema.contains("maxItems") && schema["maxItems"].is_number_integer())
            count = std::min(count, schema["maxItems"].get<int>());
        const json items = schema.value("items", json::object());
        for (int i = 0; i < count; ++i)
            out.push_back(example(items, root, depth + 1));
        return out;
    }
    if (type == "integer" || type == "number") {
        double value = 1;
        if (schema.contains("minimum") && schema["minimum"].is_number())
            value = std::max(value, schema["minimum"].get<double>());
        if (schema.contains("exclusiveMinimum") && schema["exclusiveMinimum"].is_number())
            value = std::max(value, std::floor(schema["exclusiveMinimum"].get<double>()) + 1);
        if (schema.contains("maximum") && schema["maximum"].is_number())
            value = std::min(value, schema["maximum"].get<double>());
        if (schema.contains("exclusiveMaximum") && schema["exclusiveMaximum"].is_number())
            value = std::min(value, std::ceil(schema["exclusiveMaximum"].get<double>()) - 1);
        if (type == "integer")
            return static_cast<std::int64_t>(std::ceil(value));
        return value;
    }
    if (type == "boolean")
        return true;
    if (type == "null")
        return nullptr;
    std::string text = "example";
    const std::string format = schema.value("format", std::string());
    if (format == "date-time")
        text = "2024-01-01T00:00:00Z";
    else if (format == "date")
        text = "2024-01-01";
    else if (format == "email")
        text = "test@example.com";
    else if (format == "uri")
        text = "https://example.com/";
    const std::size_t minLength = std::size_t(std::max(0, schema.value("minLength", 0)));
    if (text.size() < minLength)
        text.append(minLength - text.size(), 'x');
    if (schema.contains("maxLength") && schema["maxLength"].is_number_integer())
        text.resize(
            std::min(text.size(), std::size_t(std::max(0, schema["maxLength"].get<int>()))));
    return text;
}

// ---------------------------------------------------------------------------------------------
// What a request asks for

std::optional<ForcedTool> forcedTool(const json &request)
{
    const auto tools = request.find("tools");
    const auto choice = request.find("tool_choice");
    if (tools == request.end() || !tools->is_array() || tools->empty() || choice == request.end() ||
        !choice->is_object())
        return std::nullopt;
    const std::string type = choice->value("type", std::string());
    std::string name;
    if (type == "tool")
        name = choice->value("name", std::string());
    else if (type == "any" && tools->size() == 1)
        name = tools->front().value("name", std::string());
    else
        return std::nullopt;
    for (const json &tool : *tools) {
        if (!tool.is_object() || tool.value("name", std::string()) != name)
            continue;
        ForcedTool out;
        out.name = name;
        out.inputSchema = tool.value("input_schema", json::object());
        const json properties = out.inputSchema.value("properties", json::object());
        out.wrapper = properties.is_object() && properties.size() == 1 &&
                      properties.contains("value") &&
                      out.inputSchema.value("required", json()) == json::array({"value"});
        return out;
    }
    return std::nullopt;
}

std::optional<RequestedSchema> requestedSchema(const json &request)
{
    if (const auto format = request.find("response_format");
        format != request.end() && format->is_object() &&
        format->value("type", std::string()) == "json_schema") {
        const json spec = format->value("json_schema", json::object());
        return RequestedSchema{spec.value("name", std::string()),
                               spec.value("schema", json::object())};
    }
    if (const auto tool = forcedTool(request)) {
        json schema = tool->inputSchema;
        if (tool->wrapper) {
            json inner = schema["properties"]["value"];
            for (const char *key : {"$defs", "definitions"}) {
                if (schema.contains(key) && inner.is_object())
                    inner[key] = schema[key];
            }
            schema = std::move(inner);
        }
        return RequestedSchema{tool->name, std::move(schema)};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Framing

QByteArray completionBody(const Completion &c)
{
    if (c.anthropic) {
        ordered_json blocks = ordered_json::array();
        if (!c.toolName.empty()) {
            // A cut-off tool input is not JSON; the API then sends what it has, here {}.
            ordered_json input = ordered_json::parse(c.content, nullptr, false);
            if (input.is_discarded() || !input.is_object())
                input = ordered_json::object();
            blocks.push_back({{"type", "tool_use"},
                              {"id", c.toolId},
                              {"name", c.toolName},
                              {"input", std::move(input)}});
        } else if (!c.content.empty()) {
            blocks.push_back({{"type", "text"}, {"text", c.content}});
        }
        return dump(ordered_json{
            {"id", c.id},
            {"type", "message"},
            {"role", "assistant"},
            {"model", c.model},
            {"content", blocks},
            {"stop_reason", c.finishReason},
            {"stop_sequence", nullptr},
            {"usage", {{"input_tokens", c.inputTokens}, {"output_tokens", c.outputTokens}}}});
    }
    ordered_json choice = {{"index", 0},
                           {"message", {{"role", "assistant"}, {"content", c.content}}},
                           {"logprobs", nullptr},
                           {"finish_reason", c.finishReason}};
    return dump(ordered_json{{"id", c.id},
                             {"object", "chat.completion"},
                             {"created", c.created},
                             {"model", c.model},
                             {"choices", ordered_json::array({std::move(choice)})},
                             {"usage",
                              {{"prompt_tokens", c.inputTokens},
                               {"completion_tokens", c.outputTokens},
                               {"total_tokens", c.inputTokens + c.outputTokens}}},
                             {"system_fingerprint", "fp_crucible_test"}});
}

QByteArray sseEvent(const char *name, const ordered_json &data)
{
    return QByteArray("event: ") + name + "\ndata: " + dump(data) + "\n\n";
}

QByteArray sseData(const ordered_json &data)
{
    return "data: " + dump(data) + "\n\n";
}

namespace {

ordered_json openAiChunk(const Completion &c, ordered_json choices)
{
    ordered_json out = {{"id", c.id},
                        {"object", "chat.completion.chunk"},
                        {"created", c.created},
                        {"model", c.model},
                        {"system_fingerprint", "fp_crucible_test"},
                        {"choices", std::move(choices)}};
    if (c.includeUsage)
        out["usage"] = nullptr; // every chunk but the usage chunk carries "usage": null
    return out;
}

QByteArray openAiDelta(const Completion &c, ordered_json delta, ordered_json finishReason)
{
    ordered_json choice = {{"index", 0},
                           {"delta", std::move(delta)},
                           {"logprobs", nullptr},
                           {"finish_reason", std::move(finishReason)}};
    return sseData(openAiChunk(c, ordered_json::array({std::move(choice)})));
}

} // namespace

QByteArray streamPreamble(const Completion &c, bool ping)
{
    if (!c.anthropic)
        return openAiDelta(c, {{"role", "assistant"}, {"content", ""}}, nullptr);
    ordered_json message = {{"id", c.id},
                            {"type", "message"},
                            {"role", "assistant"},
                            {"model", c.model},
                            {"content", ordered_json::array()},
                            {"stop_reason", nullptr},
                            {"stop_sequence", nullptr},
                            {"usage", {{"input_tokens", c.inputTokens}, {"output_tokens", 1}}}};
    const ordered_json block = c.toolName.empty() ? ordered_json{{"type", "text"}, {"text", ""}}
                                                  : ordered_json{{"type", "tool_use"},
                                                                 {"id", c.toolId},
                                                                 {"name", c.toolName},
                                                                 {"input", ordered_json::object()}};
    QByteArray out =
        sseEvent("message_start", {{"type", "message_start"}, {"message", message}}) +
        sseEvent("content_block_start",
                 {{"type", "content_block_start"}, {"index", 0}, {"content_block", block}});
    if (ping)
        out += sseEvent("ping", {{"type", "ping"}});
    return out;
}

QByteArray streamDelta(const Completion &c, const QByteArray &piece)
{
    if (!c.anthropic)
        return openAiDelta(c, {{"content", toStd(piece)}}, nullptr);
    const ordered_json delta =
        c.toolName.empty()
            ? ordered_json{{"type", "text_delta"}, {"text", toStd(piece)}}
            : ordered_json{{"type", "input_json_delta"}, {"partial_json", toStd(piece)}};
    return sseEvent("content_block_delta",
                    {{"type", "content_block_delta"}, {"index", 0}, {"delta", delta}});
}

QByteArray streamClosing(const Completion &c)
{
    if (c.anthropic) {
        return sseEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}) +
               sseEvent("message_delta",
                        {{"type", "message_delta"},
                         {"delta", {{"stop_reason", c.finishReason}, {"stop_sequence", nullptr}}},
                         {"usage", {{"output_tokens", c.outputTokens}}}}) +
               sseEvent("message_stop", {{"type", "message_stop"}});
    }
    QByteArray out = openAiDelta(c, ordered_json::object(), c.finishReason);
    if (c.includeUsage) {
        ordered_json usage = openAiChunk(c, ordered_json::array());
        usage["usage"] = {{"prompt_tokens", c.inputTokens},
                          {"completion_tokens", c.outputTokens},
                          {"total_tokens", c.inputTokens + c.outputTokens}};
        out += sseData(usage);
    }
    return out + "data: [DONE]\n\n";
}

QByteArray streamError(const Completion &c)
{
    if (c.anthropic)
        return sseEvent("error",
                        {{"type", "error"},
                         {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}});
    return sseData(
        {{"error",
          {{"message", "The server had an error while processing your request. Sorry about that!"},
           {"type", "server_error"},
           {"param", nullptr},
           {"code", nullptr}}}});
}

bool applyContentFaults(QByteArray &text, const std::vector<FaultKind> &faults)
{
    bool truncated = false;
    for (const FaultKind &fault : faults) {
        if (std::holds_alternative<Fault::EmptyContent>(fault)) {
            text.clear();
        } else if (std::holds_alternative<Fault::FencedJson>(fault)) {
            text = "```json\n" + text + "\n```";
        } else if (std::holds_alternative<Fault::ProseWrappedJson>(fault)) {
            text = "Sure! Here is the JSON you asked for:\n\n" + text +
                   "\n\nLet me know if you need anything else.";
        } else if (const auto *malformed = std::get_if<Fault::MalformedJson>(&fault)) {
            if (malformed->style == Fault::MalformedJson::Style::TrailingGarbage) {
                text += QByteArrayLiteral(" }} <- trailing garbage");
            } else {
                const qsizetype brace = std::max(text.lastIndexOf('}'), text.lastIndexOf(']'));
                if (brace >= 0)
                    text.remove(brace, 1);
                else
                    text.prepend('{');
            }
        } else if (std::holds_alternative<Fault::Truncated>(fault)) {
            truncated = true;
        }
    }
    if (truncated)
        text = leftCharacters(text, characterCount(text) / 2);
    return truncated;
}

} // namespace crucible::test::wire
