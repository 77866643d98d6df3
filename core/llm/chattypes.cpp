#include "core/llm/chattypes.h"

#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"

namespace crucible {

QString chatRoleName(ChatMessage::Role role)
{
    return role == ChatMessage::Role::Assistant ? QStringLiteral("assistant")
                                                : QStringLiteral("user");
}

QString structuredModeName(StructuredMode mode)
{
    switch (mode) {
    case StructuredMode::Tool:
        return QStringLiteral("tool");
    case StructuredMode::JsonSchema:
        return QStringLiteral("json_schema");
    case StructuredMode::JsonObject:
        return QStringLiteral("json_object");
    case StructuredMode::Prompt:
        return QStringLiteral("prompt");
    case StructuredMode::None:
        break;
    }
    return {};
}

std::optional<StructuredMode> structuredModeFromName(const QString &name)
{
    for (const StructuredMode mode : {StructuredMode::Tool, StructuredMode::JsonSchema,
                                      StructuredMode::JsonObject, StructuredMode::Prompt}) {
        if (name == structuredModeName(mode))
            return mode;
    }
    return std::nullopt;
}

nlohmann::json AgentContext::toJson() const
{
    nlohmann::json traitsJson = nlohmann::json::object();
    for (const auto &[name, value] : traits)
        traitsJson[name.toStdString()] = value;
    nlohmann::json lessons = nlohmann::json::array();
    for (const QString &line : instructions)
        lessons.push_back(line.toStdString());
    return {{"version_id", versionId.toStdString()},
            {"role", role.toStdString()},
            {"traits", std::move(traitsJson)},
            {"instructions", std::move(lessons)}};
}

AgentContext AgentContext::fromJson(const nlohmann::json &j)
{
    AgentContext a;
    if (!j.is_object())
        return a;
    a.versionId = j.value("version_id", QString());
    a.role = j.value("role", QString());
    if (const auto it = j.find("traits"); it != j.end() && it->is_object())
        for (const auto &[name, value] : it->items())
            if (value.is_number_integer())
                a.traits[QString::fromStdString(name)] = value.get<int>();
    if (const auto it = j.find("instructions"); it != j.end() && it->is_array())
        for (const auto &line : *it)
            if (line.is_string())
                a.instructions << QString::fromStdString(line.get<std::string>());
    return a;
}

ChatRequest ChatRequest::simple(const QString &prompt, const QString &system)
{
    ChatRequest r;
    r.system = system;
    r.messages.push_back({ChatMessage::Role::User, prompt});
    return r;
}

namespace {

QString formatName(ResponseFormat f)
{
    switch (f) {
    case ResponseFormat::JsonObject:
        return QStringLiteral("json_object");
    case ResponseFormat::JsonSchema:
        return QStringLiteral("json_schema");
    case ResponseFormat::Text:
        break;
    }
    return QStringLiteral("text");
}

} // namespace

nlohmann::json ChatRequest::toJson() const
{
    // nlohmann::json objects are sorted by key, which makes dump() canonical.
    nlohmann::json j = nlohmann::json::object();
    j["model"] = model;
    if (!system.isEmpty())
        j["system"] = system;
    auto msgs = nlohmann::json::array();
    for (const auto &m : messages)
        msgs.push_back({{"role", chatRoleName(m.role)}, {"content", m.content}});
    j["messages"] = std::move(msgs);
    if (temperature)
        j["temperature"] = *temperature;
    if (maxTokens)
        j["max_tokens"] = *maxTokens;
    j["response_format"] = formatName(format);
    if (format == ResponseFormat::JsonSchema) {
        j["schema"] = schema;
        j["schema_name"] = schemaName.isEmpty() ? QStringLiteral("response") : schemaName;
    }
    if (sampleIndex != 0)
        j["sample_index"] = sampleIndex;
    if (!agent.empty())
        j["agent"] = agent.toJson();
    return j;
}

ChatRequest ChatRequest::fromJson(const nlohmann::json &j)
{
    if (!j.is_object())
        throw ValidationError({{QStringLiteral("request"), QString::fromStdString(j.dump()),
                                QStringLiteral("must be a JSON object")}});
    ChatRequest r;
    r.model = j.value("model", QString());
    r.system = j.value("system", QString());
    if (auto it = j.find("messages"); it != j.end() && it->is_array()) {
        for (const auto &m : *it) {
            ChatMessage msg;
            msg.role = m.value("role", std::string()) == "assistant" ? ChatMessage::Role::Assistant
                                                                     : ChatMessage::Role::User;
            msg.content = m.value("content", QString());
            r.messages.push_back(std::move(msg));
        }
    }
    if (auto it = j.find("temperature"); it != j.end() && it->is_number())
        r.temperature = it->get<double>();
    if (auto it = j.find("max_tokens"); it != j.end() && it->is_number_integer())
        r.maxTokens = it->get<int>();
    const std::string format = j.value("response_format", std::string("text"));
    if (format == "json_object")
        r.format = ResponseFormat::JsonObject;
    else if (format == "json_schema")
        r.format = ResponseFormat::JsonSchema;
    if (auto it = j.find("schema"); it != j.end())
        r.schema = *it;
    r.schemaName = j.value("schema_name", QString());
    r.sampleIndex = j.value("sample_index", 0);
    if (auto it = j.find("agent"); it != j.end())
        r.agent = AgentContext::fromJson(*it);
    return r;
}

QString finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop:
        return QStringLiteral("stop");
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::ContentFilter:
        return QStringLiteral("content_filter");
    case FinishReason::Other:
        break;
    }
    return QStringLiteral("other");
}

qint64 estimateTokens(const QString &text)
{
    // Counting UTF-8 bytes without converting: ASCII is 1 byte, the BMP beyond Latin-1 mostly 3.
    qint64 bytes = 0;
    for (QChar c : text) {
        const ushort u = c.unicode();
        bytes += u < 0x80 ? 1 : (u < 0x800 ? 2 : (c.isSurrogate() ? 2 : 3));
    }
    return (bytes + 3) / 4;
}

qint64 estimateInputTokens(const ChatRequest &request)
{
    qint64 tokens = estimateTokens(request.system) + 3;
    for (const auto &m : request.messages)
        tokens += estimateTokens(m.content) + 4;
    if (request.format == ResponseFormat::JsonSchema)
        tokens += static_cast<qint64>(request.schema.dump().size() + 3) / 4;
    return tokens;
}

} // namespace crucible
