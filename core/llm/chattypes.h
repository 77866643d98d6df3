#pragma once
// The provider-neutral shape of one chat completion: request (what is sent and, normalised,
// what is recorded and cached), response and token usage. Plain values, safe to copy across
// threads.

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace crucible {

struct ChatMessage
{
    enum class Role { User, Assistant };
    Role role = Role::User;
    QString content;

    bool operator==(const ChatMessage &) const = default;
};

QString chatRoleName(ChatMessage::Role role); // "user", "assistant"

// How the answer must be shaped. JsonSchema uses the provider's native structured-output mode
// when it has one (OpenAI response_format json_schema); the caller still validates.
enum class ResponseFormat { Text, JsonObject, JsonSchema };

// How a structured answer was asked for on the wire, from the strongest guarantee to the
// weakest: an Anthropic forced tool (the answer is the tool's input), OpenAI-compatible
// response_format json_schema, response_format json_object (any JSON, schema in the prompt),
// or only the schema in the system prompt. None: a plain text call.
enum class StructuredMode { None, Tool, JsonSchema, JsonObject, Prompt };
// "", "tool", "json_schema", "json_object", "prompt": what the ledger records.
QString structuredModeName(StructuredMode mode);
// The inverse of structuredModeName for the four real modes; nullopt for anything else.
std::optional<StructuredMode> structuredModeFromName(const QString &name);

// The agent version a request speaks for: set where an agent solves, critiques, refines or
// judges; empty for calls no agent makes. HTTP providers never send it (the system prompt
// carries the agent to a real model); it is part of the cache key, and the Simulated provider's
// fitness-landscape mode reads it.
struct AgentContext
{
    QString versionId; // agv_… (or an optimiser's candidate id before it becomes a version)
    QString role;
    std::map<QString, int> traits;
    QStringList instructions;

    bool empty() const { return versionId.isEmpty() && role.isEmpty(); }
    nlohmann::json toJson() const; // {"version_id", "role", "traits", "instructions"}
    static AgentContext fromJson(const nlohmann::json &j);
    bool operator==(const AgentContext &) const = default;
};

struct ChatRequest
{
    QString model; // empty: the provider's default model
    QString system;
    std::vector<ChatMessage> messages;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    ResponseFormat format = ResponseFormat::Text;
    nlohmann::json schema; // for JsonSchema: the JSON Schema of the answer
    QString schemaName;    // for JsonSchema: [a-zA-Z0-9_-], default "response"
    bool stream = false;   // stream deltas (SSE); the final response is the same
    int sampleIndex = 0;   // distinguishes repeated samples of one prompt in the cache key
    AgentContext agent;    // who asks (see AgentContext); recorded as "agent" only when set

    // Convenience: one user message, optional system prompt.
    static ChatRequest simple(const QString &prompt, const QString &system = {});

    // Normalised, secret-free form: what the ledger records and the cache key hashes. Field
    // order is fixed; unset optionals are omitted; `stream` is left out (it does not change
    // the answer).
    nlohmann::json toJson() const;
    static ChatRequest fromJson(const nlohmann::json &j);

    bool operator==(const ChatRequest &) const = default;
};

enum class FinishReason { Stop, Length, ContentFilter, Other };
QString finishReasonName(FinishReason reason); // "stop", "length", "content_filter", "other"

struct TokenUsage
{
    qint64 inputTokens = 0; // all prompt tokens, cached ones included
    qint64 outputTokens = 0;
    qint64 cachedInputTokens = 0; // the part of inputTokens read from a prompt cache
    bool reported = false;        // false when the server sent no usage (counts are estimates)

    bool operator==(const TokenUsage &) const = default;
};

struct ChatResponse
{
    QString text;
    QString model; // as reported by the server (may differ from the request, e.g. a snapshot)
    FinishReason finishReason = FinishReason::Stop;
    QString rawFinishReason; // the provider's own word: "length", "max_tokens", "end_turn", ...
    TokenUsage usage;
    QString requestId; // x-request-id / request-id / the response id, whatever the server gave
    int httpStatus = 0;

    bool truncated() const { return finishReason == FinishReason::Length; }
};

// Rough token estimate (≈ 4 UTF-8 bytes per token) for budgets before a call is made.
qint64 estimateTokens(const QString &text);
qint64 estimateInputTokens(const ChatRequest &request);

} // namespace crucible
