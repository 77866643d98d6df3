#include "core/llm/providers/structuredwire.h"

#include <QRegularExpression>
#include <QStringBuilder>

#include <algorithm>

namespace crucible {

using nlohmann::json;

StructuredModes::StructuredModes(ProviderType type, std::optional<StructuredMode> setting)
    : m_setting(setting)
{
    if (type == ProviderType::Anthropic)
        m_ladder = {StructuredMode::Tool, StructuredMode::Prompt};
    else
        m_ladder = {StructuredMode::JsonSchema, StructuredMode::JsonObject, StructuredMode::Prompt};
    if (m_setting && *m_setting == StructuredMode::None)
        m_setting.reset();
}

StructuredMode StructuredModes::current() const
{
    return m_setting ? *m_setting : m_ladder[m_floor];
}

StructuredMode StructuredModes::modeFor(ResponseFormat format) const
{
    if (format == ResponseFormat::Text)
        return StructuredMode::None;
    const StructuredMode mode = current();
    // A schema-less JSON request has nothing to put in a json_schema response_format.
    if (format == ResponseFormat::JsonObject && mode == StructuredMode::JsonSchema)
        return StructuredMode::JsonObject;
    return mode;
}

std::optional<StructuredMode> StructuredModes::rejected(StructuredMode used)
{
    if (m_setting)
        return std::nullopt;
    const auto it = std::find(m_ladder.begin(), m_ladder.end(), used);
    if (it == m_ladder.end() || std::next(it) == m_ladder.end())
        return std::nullopt;
    const std::size_t index = std::size_t(it - m_ladder.begin());
    // Calls in flight together can all be rejected; the first one already moved the floor.
    m_floor = std::max(m_floor, index + 1);
    return m_ladder[m_floor];
}

namespace structuredwire {

QString promptInstruction(const ChatRequest &request)
{
    if (request.format == ResponseFormat::JsonSchema) {
        const json schema = request.schema.is_null() ? json::object() : request.schema;
        return QStringLiteral("Answer with a single JSON value that conforms to the JSON Schema "
                              "below, and nothing else: no prose before or after it, no Markdown "
                              "code fences.\nJSON Schema:\n") %
               QString::fromStdString(schema.dump(2));
    }
    if (request.format == ResponseFormat::JsonObject)
        return QStringLiteral("Answer with a single JSON object and nothing else: no prose before "
                              "or after it, no Markdown code fences.");
    return {};
}

QString withInstruction(const QString &system, const QString &text)
{
    if (text.isEmpty())
        return system;
    if (system.isEmpty())
        return text;
    return system % QStringLiteral("\n\n") % text;
}

QString wireName(const QString &name)
{
    static const QRegularExpression invalid(QStringLiteral("[^a-zA-Z0-9_-]"));
    QString out = name;
    out.replace(invalid, QStringLiteral("_"));
    out.truncate(64);
    return out.isEmpty() ? QStringLiteral("response") : out;
}

namespace {

// Local references into the original root now point into the wrapper's "value" property;
// references into $defs/definitions stay, as those move to the wrapper's root.
void rewriteRefs(json &node)
{
    if (node.is_array()) {
        for (json &item : node)
            rewriteRefs(item);
        return;
    }
    if (!node.is_object())
        return;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "$ref" && it->is_string()) {
            const std::string ref = it->get<std::string>();
            const bool intoDefs =
                ref.rfind("#/$defs/", 0) == 0 || ref.rfind("#/definitions/", 0) == 0;
            if (ref == "#")
                *it = "#/properties/value";
            else if (ref.rfind("#/", 0) == 0 && !intoDefs)
                *it = "#/properties/value" + ref.substr(1);
            continue;
        }
        // Values of these keywords are data, not schemas.
        if (it.key() == "enum" || it.key() == "const" || it.key() == "default" ||
            it.key() == "examples")
            continue;
        rewriteRefs(*it);
    }
}

} // namespace

ToolSchema toolSchemaFor(const json &schema)
{
    ToolSchema out;
    if (schema.is_object() && schema.value("type", json()) == json("object")) {
        out.inputSchema = schema;
        return out;
    }
    json inner = schema.is_null() ? json::object() : schema;
    json wrapper = {{"type", "object"},
                    {"properties", json::object()},
                    {"required", json::array({kWrappedKey})},
                    {"additionalProperties", false}};
    if (inner.is_object()) {
        for (const char *key : {"$defs", "definitions"}) {
            if (const auto it = inner.find(key); it != inner.end()) {
                wrapper[key] = *it;
                inner.erase(key);
            }
        }
        if (const auto it = inner.find("$schema"); it != inner.end()) {
            wrapper["$schema"] = *it;
            inner.erase("$schema");
        }
    }
    rewriteRefs(inner);
    for (const char *key : {"$defs", "definitions"}) {
        if (wrapper.contains(key))
            rewriteRefs(wrapper[key]);
    }
    wrapper["properties"][kWrappedKey] = std::move(inner);
    out.inputSchema = std::move(wrapper);
    out.wrapped = true;
    return out;
}

QString answerFromToolInput(const json &input, bool wrapped)
{
    const json *value = &input;
    if (wrapped && input.is_object()) {
        if (const auto it = input.find(kWrappedKey); it != input.end())
            value = &*it;
    }
    return QString::fromStdString(value->dump(-1, ' ', false, json::error_handler_t::replace));
}

bool rejectsMode(const LlmError &error, StructuredMode used)
{
    if (used != StructuredMode::Tool && used != StructuredMode::JsonSchema &&
        used != StructuredMode::JsonObject)
        return false;
    if (error.kind != LlmError::Kind::Http)
        return false;
    const int status = error.httpStatus;
    const bool clientError = status >= 400 && status < 500 && status != 401 && status != 403 &&
                             status != 404 && status != 408 && status != 409 && status != 413 &&
                             status != 429;
    if (!clientError && status != 500 && status != 501)
        return false;
    const QString text = (error.providerMessage % u' ' % error.providerCode).toLower();
    if (used == StructuredMode::Tool)
        return text.contains(QStringLiteral("tool")) ||
               text.contains(QStringLiteral("input_schema"));
    return text.contains(QStringLiteral("response_format")) ||
           text.contains(QStringLiteral("json_schema")) ||
           text.contains(QStringLiteral("json_object"));
}

namespace {

QString describeMode(StructuredMode mode)
{
    switch (mode) {
    case StructuredMode::Tool:
        return QStringLiteral("tool use (tools + tool_choice)");
    case StructuredMode::JsonSchema:
        return QStringLiteral("response_format json_schema");
    case StructuredMode::JsonObject:
        return QStringLiteral("response_format json_object");
    case StructuredMode::Prompt:
        return QStringLiteral("the JSON Schema in the system prompt");
    case StructuredMode::None:
        break;
    }
    return QStringLiteral("plain text");
}

} // namespace

QString rejectionNote(StructuredMode used, std::optional<StructuredMode> fallback,
                      const QString &providerLabel)
{
    if (fallback)
        return QStringLiteral("the server does not accept %1; provider '%2' falls back to %3 "
                              "(structured mode %4) for the rest of the session")
            .arg(describeMode(used), providerLabel, describeMode(*fallback),
                 structuredModeName(*fallback));
    return QStringLiteral("the server does not accept %1, which the provider settings of '%2' "
                          "ask for: set Structured output to Auto (falls back by itself) or "
                          "Prompt")
        .arg(describeMode(used), providerLabel);
}

} // namespace structuredwire
} // namespace crucible
