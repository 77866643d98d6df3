#pragma once
// The wire side of LlmTestServer: HTTP framing, token estimates, schema examples, what a request
// asks for (a forced tool, a response_format), and the bytes of a completion in the OpenAI and
// Anthropic formats (JSON body, SSE events, tool_use blocks). Free functions; thread-safe.

#include "tests/support/llmtestserver.h"

#include <QByteArray>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crucible::test::wire {

using Headers = std::vector<std::pair<QByteArray, QByteArray>>;

QByteArray reasonPhrase(int status);
QByteArray toBytes(const std::string &s);
std::string toStd(const QByteArray &b);
template <typename Json> QByteArray dump(const Json &value)
{
    return toBytes(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}
// One HTTP/1.1 chunk (nothing for an empty payload), and the last chunk.
QByteArray chunk(const QByteArray &payload);
inline const QByteArray chunkTerminator = QByteArrayLiteral("0\r\n\r\n");
// Status line and headers, x-request-id and request-id included.
QByteArray head(int status, const QByteArray &contentType, qsizetype contentLength, bool chunked,
                const QByteArray &requestId, bool close, const Headers &extra);

// Text of a message `content`: a string, or a list of {type:"text", text} parts.
std::string contentText(const nlohmann::json &content);
std::string lastUserText(const nlohmann::json &request);
// The system prompt: Anthropic's top-level `system`, or the OpenAI system messages joined.
std::string systemText(const nlohmann::json &request);
// The schema a prompt-mode request pastes after "JSON Schema:\n" at the end of its system
// prompt (as the providers' fallback writes it), which the server answers as a model would.
std::optional<nlohmann::json> schemaInSystemPrompt(const nlohmann::json &request);
qsizetype characterCount(const QByteArray &utf8);
int tokensFor(qsizetype characters); // ceil(chars / 4)
int promptTokens(const nlohmann::json &request);
// First `characters` characters of UTF-8 text, never splitting a surrogate pair.
QByteArray leftCharacters(const QByteArray &utf8, qsizetype characters);
std::vector<QByteArray> splitText(const QByteArray &utf8, int pieces);
bool containsJsonWord(const std::string &text);
// A small instance of `schema` (see LlmTestServer::exampleForSchema).
nlohmann::json example(const nlohmann::json &schema, const nlohmann::json &root, int depth);

// The tool an Anthropic request forces with tool_choice {"type":"tool","name":…} (or "any"
// with one tool), with its input_schema; nullopt when the request forces none.
struct ForcedTool
{
    std::string name;
    nlohmann::json inputSchema;
    // The schema is a one-property wrapper {"value": …} around a non-object answer, as the
    // Anthropic provider sends it: an answer that is not {"value": …} gets wrapped.
    bool wrapper = false;
};
std::optional<ForcedTool> forcedTool(const nlohmann::json &request);
// The structured output a request asks for: the response_format json_schema (name, schema), or
// the forced tool (name, input_schema unwrapped); nullopt for neither.
struct RequestedSchema
{
    std::string name;
    nlohmann::json schema;
};
std::optional<RequestedSchema> requestedSchema(const nlohmann::json &request);

// The answer to one completion request, independent of how it is framed.
struct Completion
{
    bool anthropic = false;
    bool includeUsage = false; // OpenAI stream_options.include_usage
    std::string id;
    std::string model;
    std::string content; // the text, or the tool input's JSON text when toolName is set
    std::string finishReason;
    std::string toolName; // Anthropic: answer with one tool_use block of this tool
    std::string toolId;
    qint64 created = 0;
    int inputTokens = 0;
    int outputTokens = 0;
};

QByteArray completionBody(const Completion &c);
QByteArray sseEvent(const char *name, const nlohmann::ordered_json &data);
QByteArray sseData(const nlohmann::ordered_json &data);
// Events before the first content delta (Anthropic: message_start, content_block_start of a
// text or tool_use block, ping).
QByteArray streamPreamble(const Completion &c, bool ping);
// One content delta: text_delta, input_json_delta (tool) or an OpenAI delta.content.
QByteArray streamDelta(const Completion &c, const QByteArray &piece);
// Events after the last content delta, up to the end of the stream.
QByteArray streamClosing(const Completion &c);
QByteArray streamError(const Completion &c);
// Applies the content faults to `text`; returns true if the answer must count as truncated.
bool applyContentFaults(QByteArray &text, const std::vector<FaultKind> &faults);

} // namespace crucible::test::wire
