#pragma once
// How the HTTP chat providers ask for a schema-shaped answer: the mode a request gets (with the
// session's fallbacks), the schema instruction for the system prompt, the object schema an
// Anthropic forced tool needs, and how to tell that a server rejected a structured mode.

#include "core/llm/chattypes.h"
#include "core/llm/llmerror.h"
#include "core/llm/providers/providerconfig.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

// The structured modes one provider uses, strongest first, and how far the session has fallen
// back. Anthropic: tool → prompt. OpenAI-compatible: json_schema → json_object → prompt. A
// configured mode (ProviderConfig::structuredOutput) is used as is and never falls back. Lives
// with its provider (one thread).
class StructuredModes final
{
public:
    StructuredModes(ProviderType type, std::optional<StructuredMode> setting);

    // The mode a request with `format` is sent with now (None for Text).
    StructuredMode modeFor(ResponseFormat format) const;
    // The server rejected `used`: the weaker mode used from now on, or nullopt when there is
    // none (a configured mode, or the prompt already).
    std::optional<StructuredMode> rejected(StructuredMode used);
    // The strongest mode still in use for schema requests (after fallbacks).
    StructuredMode current() const;

private:
    std::vector<StructuredMode> m_ladder;
    std::size_t m_floor = 0; // index of the strongest mode not rejected yet
    std::optional<StructuredMode> m_setting;
};

namespace structuredwire {

// The instruction appended to the system prompt for Prompt and JsonObject modes: the JSON
// Schema (JsonSchema requests) or "a single JSON object".
QString promptInstruction(const ChatRequest &request);
// `system` + a blank line + `text` (or just `text`).
QString withInstruction(const QString &system, const QString &text);

// A name the APIs accept for a schema or a tool: [a-zA-Z0-9_-], at most 64, "response" if empty.
QString wireName(const QString &name);

// The input_schema of a forced tool. Anthropic wants an object schema: any other root (array,
// string, no type, a type list) is wrapped as {"type":"object","properties":{"value": …},
// "required":["value"]} with $defs/definitions moved to the wrapper and local $refs rewritten.
struct ToolSchema
{
    nlohmann::json inputSchema;
    bool wrapped = false;
};
ToolSchema toolSchemaFor(const nlohmann::json &schema);
constexpr const char *kWrappedKey = "value";
// The answer text from a tool_use block's input: the input itself, or its "value" when wrapped
// (the input as is when a wrapped answer lacks "value", so the validator names the problem).
QString answerFromToolInput(const nlohmann::json &input, bool wrapped);

// True when `error` is the server refusing `used` (tool use, response_format) rather than the
// request: a 4xx (not auth, not found, not rate limits) or 500/501 whose message or code names
// the feature ("tools: Extra inputs are not permitted", "response_format ... not supported").
bool rejectsMode(const LlmError &error, StructuredMode used);
// The message of a rejection: what the server refused and which mode the session uses now, or
// what to set in the provider settings when there is no fallback.
QString rejectionNote(StructuredMode used, std::optional<StructuredMode> fallback,
                      const QString &providerLabel);

} // namespace structuredwire
} // namespace crucible
