#pragma once
// LlmTestServer's private parts, shared by its two source files (connections and responses).

#include "tests/support/llmtestserver.h"

#include <QPointer>
#include <QTcpSocket>

namespace crucible::test {

// One timed action of a response: responses are scripts run with timers, never by sleeping.
struct LlmTestServer::Step
{
    enum class Kind {
        Write, // write `bytes`
        Drop,  // close the connection (after flushing what was written)
        End,   // the response is complete
    };
    Kind kind = Kind::Write;
    int delayMs = 0; // wait before this step
    QByteArray bytes;
};

struct LlmTestServer::Connection
{
    quint64 id = 0;
    QPointer<QTcpSocket> socket; // deleted later once disconnected
    HttpRequestParser parser;
    std::deque<HttpRequest> pending; // pipelined requests waiting for the current response
    std::deque<Step> script;         // rest of the current response
    quint64 requestId = 0;
    bool active = false;     // a request is being answered
    bool closeAfter = false; // the current request asked for Connection: close
    bool parseError = false; // framing lost after the pending requests: reply and close
    bool closed = false;     // no more I/O on this socket
    bool gone = false;       // disconnected() handled
};

// Everything needed to answer one request, copied out of the guarded state.
struct LlmTestServer::Exchange
{
    HttpRequest http;
    Route route = Route::Unknown;
    bool anthropic = false; // error format
    quint64 id = 0;
    QByteArray requestId;
    bool close = false;
    int latencyMs = 0;
    int delayMs = 0;     // before the headers of a non-streaming reply
    nlohmann::json body; // discarded when the body is not JSON
    Options options;
    AnswerHandler handler;
};

} // namespace crucible::test
