#pragma once

#include "tests/support/httprequestparser.h"

#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <utility>
#include <variant>
#include <vector>

class QTcpServer;
class QTcpSocket;

namespace crucible::test {

// Faults LlmTestServer can inject into a completion request (POST /v1/chat/completions or
// /v1/messages that passed routing, auth and validation). Models lists are never faulted.
namespace Fault {
// 429 in the route's error format. Negative values omit the header.
struct RateLimited
{
    int retryAfterSeconds = 1; // `retry-after`
    int retryAfterMs = -1;     // `retry-after-ms`
};
// An HTTP error status in the route's error format: 500 server_error/api_error, 503, 529
// overloaded_error, 400 invalid_request_error, ...
struct ServerError
{
    int status = 500;
};
// Closes the connection after reading the request, before any response byte.
struct DropConnection
{
};
// Closes the connection after the headers and `afterChunks` content events (streams) or after
// half of the body (non-streaming): the client sees an incomplete chunked/sized body.
struct DropMidStream
{
    int afterChunks = 1;
};
// Pauses `ms` after `afterChunks` content events (or half of a non-streaming body), to test
// stream-idle and transfer timeouts.
struct StallMidStream
{
    int afterChunks = 1;
    int ms = 1000;
};
// Extra delay before the response headers.
struct Slow
{
    int ms = 1000;
};
// Content faults: applied to the answer text before it is framed.
struct FencedJson // ```json … ```
{
};
struct ProseWrappedJson // a sentence before and after the answer
{
};
struct MalformedJson
{
    enum class Style { MissingBrace, TrailingGarbage };
    Style style = Style::MissingBrace;
};
// Cuts the answer in half; finish_reason "length" / stop_reason "max_tokens".
struct Truncated
{
};
struct EmptyContent
{
};
// HTTP 200 stream that sends an error event after `afterChunks` content events and ends:
// OpenAI `data: {"error":{…}}`, Anthropic `event: error` (overloaded_error). A non-streaming
// request gets 503 (OpenAI) / 529 (Anthropic) instead.
struct ErrorInStream
{
    int afterChunks = 1;
};
} // namespace Fault

using FaultKind = std::variant<Fault::RateLimited, Fault::ServerError, Fault::DropConnection,
                               Fault::DropMidStream, Fault::StallMidStream, Fault::Slow,
                               Fault::FencedJson, Fault::ProseWrappedJson, Fault::MalformedJson,
                               Fault::Truncated, Fault::EmptyContent, Fault::ErrorInStream>;

// Short name for logs and the CLI, the syntax parseFault() reads: "rate-limited:1:500",
// "server-error:503", "drop", "drop-mid-stream:2", "stall:1:3000", "slow:500", "fenced",
// "prose", "malformed[:garbage]", "truncated", "empty", "error-in-stream:1".
QString faultName(const FaultKind &fault);
std::optional<FaultKind> parseFault(QStringView spec);

// Loopback HTTP/1.1 server speaking the OpenAI Chat Completions and Anthropic Messages wire
// formats (JSON and SSE), with timer-based latency and fault injection, for integration tests
// and benchmarks. Lives on the thread that creates it (see LlmTestServerThread for a thread of
// its own); every public function is thread-safe. Signals are emitted on the server's thread.
class LlmTestServer final : public QObject
{
    Q_OBJECT

public:
    enum class Route { OpenAiChat, OpenAiModels, AnthropicMessages, AnthropicModels, Unknown };

    // Returns the answer text (UTF-8) for a parsed completion request body; may throw, which
    // gives a 500. Runs on the server's thread.
    using AnswerHandler = std::function<QByteArray(const nlohmann::json &request)>;
    // Latency for one request in ms; a negative result means "use the base latency".
    using LatencyFunction = std::function<int(const nlohmann::json &request)>;

    struct Options
    {
        QByteArray apiKey;    // empty: no auth required (headers are still recorded)
        int latencyMs = 0;    // base latency of every response (spread over a stream)
        int streamChunks = 4; // content events per streamed answer (fewer if the text is short)
        QStringList models{QStringLiteral("test-model"), QStringLiteral("test-model-large")};
        quint16 port = 0;          // 0: ephemeral
        bool anthropicPing = true; // send `event: ping` after content_block_start
        // Features this server lacks, as older or smaller servers do: a request using one gets
        // 400 invalid_request_error naming it ("tools: Extra inputs are not permitted",
        // "response_format.type 'json_schema' is not supported by this server"), so the
        // providers' structured-output fallbacks can be tested.
        bool rejectTools = false;      // Anthropic `tools` / `tool_choice`
        bool rejectJsonSchema = false; // OpenAI response_format json_schema
        bool rejectJsonObject = false; // OpenAI response_format json_object
    };

    struct RecordedRequest
    {
        quint64 id = 0; // 1-based, in arrival order; also in the x-request-id header
        quint64 connectionId = 0;
        Route route = Route::Unknown;
        HttpRequest http;
        // The body parsed as JSON, or a discarded value when it is not JSON.
        nlohmann::json json() const;
    };

    struct Stats
    {
        int totalRequests = 0; // complete, well-formed HTTP requests
        int malformedRequests = 0;
        std::map<Route, int> perRoute;
        int inFlight = 0;    // requests dispatched whose response has not finished
        int maxInFlight = 0; // high-water mark of inFlight
        int connectionsOpened = 0;
        int openConnections = 0;
        int faultsInjected = 0;
        bool sawAuthorization = false; // any request carried an Authorization header
        bool sawApiKey = false;        // any request carried an x-api-key header

        int routeCount(Route route) const;
    };

    explicit LlmTestServer(QObject *parent = nullptr);
    explicit LlmTestServer(Options options, QObject *parent = nullptr);
    ~LlmTestServer() override;

    bool isListening() const;
    quint16 port() const;
    // http://127.0.0.1:<port> — the Anthropic-style base URL; OpenAI clients usually append /v1.
    QUrl baseUrl() const;
    QUrl openAiBaseUrl() const; // baseUrl() + "/v1"
    QUrl url(const QString &path) const;

    void setApiKey(const QByteArray &key);
    void setLatencyMs(int ms);
    // Per-request override; the `x-test-latency-ms` request header overrides both.
    void setLatencyFunction(LatencyFunction function);
    void setAnswerHandler(AnswerHandler handler); // null restores defaultAnswer()
    void setStreamChunks(int chunks);
    void setModels(const QStringList &models);
    // Options::rejectTools / rejectJsonSchema / rejectJsonObject, for the requests that follow.
    void setRejected(bool tools, bool jsonSchema, bool jsonObject);

    // Queues `fault` for the next `times` completion requests (FIFO across pushes).
    void pushFault(FaultKind fault, int times = 1);
    // Queues several faults applied together to each of the next `times` requests, e.g. Slow
    // with Truncated.
    void pushFaults(std::vector<FaultKind> faults, int times = 1);
    // When no queued fault applies, each completion request gets at most one random fault:
    // faults are tried in the order added, with their probabilities summed (≤ 1). Deterministic
    // for a given seed and request arrival order.
    void addRandomFault(FaultKind fault, double probability);
    void setRandomSeed(quint64 seed);
    void clearFaults();       // queued and random
    int queuedFaults() const; // requests that will still get a queued fault

    Stats stats() const;
    std::vector<RecordedRequest> requests() const;
    std::optional<RecordedRequest> lastRequest() const;
    void resetStats(); // counters and recorded requests; in-flight and open counts stay

    // Deterministic answer: an echo of the last user message, or JSON when the request asks for
    // it (response_format json_object/json_schema, an Anthropic forced tool or output_format, or
    // "JSON" in the last user message). With a schema (a forced tool's input_schema) the JSON is
    // a minimal instance of it. A forced tool gets a tool_use block with the answer as input
    // (wrapped as {"value": …} when the tool's schema is the providers' one-property wrapper).
    static QByteArray defaultAnswer(const nlohmann::json &request);
    // A small instance of `schema` (types, properties, items/minItems, enum, const, anyOf/oneOf,
    // local $ref); what the default answer returns for json_schema requests.
    static nlohmann::json exampleForSchema(const nlohmann::json &schema);

signals:
    void requestReceived(quint64 requestId);
    // The server is done with the request: response written, connection dropped, or the client
    // went away.
    void requestFinished(quint64 requestId);

private:
    struct Connection;
    struct Step;
    struct Exchange;

    void init();
    void acceptConnections();
    void readFrom(quint64 connectionId);
    void onDisconnected(quint64 connectionId);
    void startNext(Connection &connection);
    void dispatch(Connection &connection, HttpRequest request);
    void run(quint64 connectionId);
    void finishRequest(Connection &connection);
    Connection *find(quint64 connectionId);

    std::deque<Step> respond(Exchange &exchange);
    std::deque<Step> respondCompletion(Exchange &exchange);
    std::deque<Step> respondModels(Exchange &exchange);
    std::deque<Step> respondError(Exchange &exchange, int status, const QByteArray &message,
                                  const QByteArray &openAiType, const nlohmann::json &openAiCode,
                                  const QByteArray &anthropicType,
                                  std::vector<std::pair<QByteArray, QByteArray>> extraHeaders = {});
    std::vector<FaultKind> takeFaults();

    QTcpServer *m_tcp = nullptr;
    std::map<quint64, std::unique_ptr<Connection>> m_connections; // server thread only
    quint64 m_nextConnectionId = 0;

    mutable QMutex m_mutex; // guards everything below
    Options m_options;
    AnswerHandler m_handler;
    LatencyFunction m_latencyFunction;
    std::deque<std::pair<std::vector<FaultKind>, int>> m_faultQueue;
    std::vector<std::pair<FaultKind, double>> m_randomFaults;
    std::mt19937_64 m_rng{0x5eed};
    Stats m_stats;
    std::vector<RecordedRequest> m_requests;
    quint64 m_nextRequestId = 0;
    quint16 m_port = 0;
};

} // namespace crucible::test
