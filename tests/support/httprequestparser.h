#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace crucible::test {

// One parsed HTTP/1.x request. Header names are stored lower-cased (HTTP names are
// case-insensitive); values keep their bytes, without surrounding whitespace.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;  // as sent, query included
    QByteArray path;    // target without the query string
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // First value of the header `name` (any case), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0 only with keep-alive.
    bool keepAlive() const;
};

// Incremental HTTP/1.x request parser for the loopback test server: feed bytes as they arrive,
// take complete requests in order (pipelining). Content-Length bodies only. Not thread-safe.
class HttpRequestParser final
{
public:
    enum class Status {
        NeedMore,         // no complete request buffered yet
        Complete,         // `out` holds the next request
        ContinueExpected, // headers of an `Expect: 100-continue` request are in; body not yet
        Error,            // malformed or unsupported: see errorStatus()/errorMessage()
    };

    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype MaxBodyBytes = 64 * 1024 * 1024;

    void feed(QByteArrayView data);
    // Takes the next complete request. After Error the parser stays in error: the connection's
    // framing is lost and it must be closed after the error reply.
    Status next(HttpRequest &out);

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    Status fail(int status, QByteArray message);
    bool parseHead(QByteArrayView head);

    QByteArray m_buffer;
    qsizetype m_offset = 0; // start of the unconsumed bytes in m_buffer
    // A request whose head is parsed but whose body is still incomplete.
    bool m_haveHead = false;
    bool m_continueSent = false;
    qsizetype m_bodyLength = 0;
    HttpRequest m_current;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace crucible::test
