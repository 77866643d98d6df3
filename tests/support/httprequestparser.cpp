#include "tests/support/httprequestparser.h"

#include <string_view>
#include <utility>

namespace crucible::test {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Comma-separated header value contains `token` (case-insensitive), as in `Connection: close`.
bool listContains(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArray &item : value.toByteArray().split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("connection");
    if (version == "HTTP/1.0")
        return listContains(connection, "keep-alive");
    return !listContains(connection, "close");
}

void HttpRequestParser::feed(QByteArrayView data)
{
    if (m_errorStatus != 0)
        return;
    if (m_offset > 0 && m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 64 * 1024 && m_offset > m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data);
}

HttpRequestParser::Status HttpRequestParser::fail(int status, QByteArray message)
{
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    return Status::Error;
}

HttpRequestParser::Status HttpRequestParser::next(HttpRequest &out)
{
    if (m_errorStatus != 0)
        return Status::Error;

    if (!m_haveHead) {
        // RFC 9112 2.2: ignore empty lines before a request line.
        while (m_offset < m_buffer.size() &&
               (m_buffer.at(m_offset) == '\r' || m_buffer.at(m_offset) == '\n'))
            ++m_offset;
        const QByteArrayView rest = QByteArrayView(m_buffer).sliced(m_offset);
        qsizetype end = rest.indexOf("\r\n\r\n");
        qsizetype sepLength = 4;
        const qsizetype lfEnd = rest.indexOf("\n\n");
        if (lfEnd >= 0 && (end < 0 || lfEnd < end)) {
            end = lfEnd;
            sepLength = 2;
        }
        if (end < 0) {
            if (rest.size() > MaxHeaderBytes)
                return fail(431, "request header section is larger than 64 KiB");
            return Status::NeedMore;
        }
        if (end > MaxHeaderBytes)
            return fail(431, "request header section is larger than 64 KiB");
        m_current = HttpRequest{};
        if (!parseHead(rest.first(end)))
            return Status::Error;
        m_offset += end + sepLength;
        m_haveHead = true;
        m_continueSent = false;
    }

    if (bufferedBytes() < m_bodyLength) {
        if (!m_continueSent &&
            m_current.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
            m_continueSent = true;
            return Status::ContinueExpected;
        }
        return Status::NeedMore;
    }
    m_current.body = m_buffer.sliced(m_offset, m_bodyLength);
    m_offset += m_bodyLength;
    m_haveHead = false;
    out = std::move(m_current);
    m_current = HttpRequest{};
    return Status::Complete;
}

bool HttpRequestParser::parseHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start <= head.size()) {
        qsizetype nl = head.indexOf('\n', start);
        if (nl < 0)
            nl = head.size();
        QByteArrayView line = head.sliced(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = nl + 1;
    }

    const QList<QByteArray> parts = lines.first().toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
        fail(400, "malformed request line: expected 'METHOD target HTTP/1.1'");
        return false;
    }
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0") {
        fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
        return false;
    }
    m_current.method = parts[0];
    m_current.target = parts[1];
    const qsizetype query = m_current.target.indexOf('?');
    m_current.path = query < 0 ? m_current.target : m_current.target.first(query);
    m_current.version = parts[2];

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t')) {
            fail(400, "obsolete header line folding is not supported");
            return false;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            fail(400, "malformed header line: expected 'Name: value'");
            return false;
        }
        m_current.headers.append({line.first(colon).toByteArray().toLower(),
                                  line.sliced(colon + 1).trimmed().toByteArray()});
    }

    if (m_current.hasHeader("transfer-encoding")) {
        fail(411, "chunked or other Transfer-Encoding request bodies are not supported by the "
                  "test server; send the body with a Content-Length header");
        return false;
    }
    m_bodyLength = 0;
    if (m_current.hasHeader("content-length")) {
        bool ok = false;
        const QByteArray value = m_current.header("content-length");
        const qlonglong length = value.toLongLong(&ok);
        if (!ok || length < 0 || value.startsWith('+')) {
            fail(400, "invalid Content-Length header");
            return false;
        }
        if (length > MaxBodyBytes) {
            fail(413, "request body is larger than 64 MiB");
            return false;
        }
        m_bodyLength = static_cast<qsizetype>(length);
    }
    return true;
}

} // namespace crucible::test
