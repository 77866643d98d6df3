#include "tests/support/llmtestserver.h"

#include <QDateTime>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

namespace crucible::test {

using nlohmann::json;
using nlohmann::ordered_json;
using Headers = std::vector<std::pair<QByteArray, QByteArray>>;

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
    int delayMs = 0; // before the headers of a non-streaming reply
    json body;       // discarded when the body is not JSON
    Options options;
    AnswerHandler handler;
};

namespace {

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

template <typename Json> QByteArray dump(const Json &value)
{
    return toBytes(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

QByteArray chunk(const QByteArray &payload)
{
    if (payload.isEmpty())
        return {};
    return QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n";
}

const QByteArray chunkTerminator = QByteArrayLiteral("0\r\n\r\n");

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

// Text of a message `content`: a string, or a list of {type:"text", text} parts.
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

// First `characters` characters of UTF-8 text, never splitting a surrogate pair.
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

struct ErrorInfo
{
    QByteArray openAiType;
    QByteArray anthropicType;
    QByteArray message;
};

ErrorInfo errorFor(int status)
{
    switch (status) {
    case 400:
        return {"invalid_request_error", "invalid_request_error", "Bad request (injected)."};
    case 401:
        return {"invalid_request_error", "authentication_error", "Unauthorized (injected)."};
    case 403:
        return {"invalid_request_error", "permission_error", "Forbidden (injected)."};
    case 404:
        return {"invalid_request_error", "not_found_error", "Not found (injected)."};
    case 413:
        return {"invalid_request_error", "request_too_large", "Request too large."};
    case 503:
    case 529:
        return {"server_error", "overloaded_error",
                status == 529 ? QByteArrayLiteral("Overloaded")
                              : QByteArrayLiteral("The engine is currently overloaded, please try "
                                                  "again later.")};
    default:
        return {"server_error", "api_error",
                "The server had an error while processing your request. Sorry about that!"};
    }
}

QByteArray redactedKey(const QByteArray &key)
{
    if (key.size() <= 8)
        return QByteArrayLiteral("****");
    return key.first(3) + "****" + key.last(4);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Faults

QString faultName(const FaultKind &fault)
{
    struct Visitor
    {
        QString operator()(const Fault::RateLimited &f) const
        {
            return QStringLiteral("rate-limited:%1:%2")
                .arg(f.retryAfterSeconds)
                .arg(f.retryAfterMs);
        }
        QString operator()(const Fault::ServerError &f) const
        {
            return QStringLiteral("server-error:%1").arg(f.status);
        }
        QString operator()(const Fault::DropConnection &) const { return QStringLiteral("drop"); }
        QString operator()(const Fault::DropMidStream &f) const
        {
            return QStringLiteral("drop-mid-stream:%1").arg(f.afterChunks);
        }
        QString operator()(const Fault::StallMidStream &f) const
        {
            return QStringLiteral("stall:%1:%2").arg(f.afterChunks).arg(f.ms);
        }
        QString operator()(const Fault::Slow &f) const
        {
            return QStringLiteral("slow:%1").arg(f.ms);
        }
        QString operator()(const Fault::FencedJson &) const { return QStringLiteral("fenced"); }
        QString operator()(const Fault::ProseWrappedJson &) const
        {
            return QStringLiteral("prose");
        }
        QString operator()(const Fault::MalformedJson &f) const
        {
            return f.style == Fault::MalformedJson::Style::TrailingGarbage
                       ? QStringLiteral("malformed:garbage")
                       : QStringLiteral("malformed");
        }
        QString operator()(const Fault::Truncated &) const { return QStringLiteral("truncated"); }
        QString operator()(const Fault::EmptyContent &) const { return QStringLiteral("empty"); }
        QString operator()(const Fault::ErrorInStream &f) const
        {
            return QStringLiteral("error-in-stream:%1").arg(f.afterChunks);
        }
    };
    return std::visit(Visitor{}, fault);
}

std::optional<FaultKind> parseFault(QStringView spec)
{
    const QList<QStringView> parts = spec.trimmed().split(u':');
    const QStringView name = parts.value(0);
    std::vector<int> numbers;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        bool ok = false;
        const int n = parts[i].toInt(&ok);
        if (!ok)
            numbers.push_back(std::numeric_limits<int>::min());
        else
            numbers.push_back(n);
    }
    const auto arg = [&](std::size_t i, int fallback) {
        return i < numbers.size() ? numbers[i] : fallback;
    };
    for (const int n : numbers) {
        if (n == std::numeric_limits<int>::min() &&
            !(name == u"malformed" && parts.size() == 2 && parts[1] == u"garbage"))
            return std::nullopt;
    }
    if (name == u"rate-limited")
        return Fault::RateLimited{arg(0, 1), arg(1, -1)};
    if (name == u"server-error")
        return Fault::ServerError{arg(0, 500)};
    if (name == u"drop")
        return Fault::DropConnection{};
    if (name == u"drop-mid-stream")
        return Fault::DropMidStream{arg(0, 1)};
    if (name == u"stall")
        return Fault::StallMidStream{arg(0, 1), arg(1, 1000)};
    if (name == u"slow")
        return Fault::Slow{arg(0, 1000)};
    if (name == u"fenced")
        return Fault::FencedJson{};
    if (name == u"prose")
        return Fault::ProseWrappedJson{};
    if (name == u"malformed") {
        if (parts.size() == 2 && parts[1] == u"garbage")
            return Fault::MalformedJson{Fault::MalformedJson::Style::TrailingGarbage};
        return Fault::MalformedJson{};
    }
    if (name == u"truncated")
        return Fault::Truncated{};
    if (name == u"empty")
        return Fault::EmptyContent{};
    if (name == u"error-in-stream")
        return Fault::ErrorInStream{arg(0, 1)};
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Public API

json LlmTestServer::RecordedRequest::json() const
{
    return nlohmann::json::parse(http.body.constBegin(), http.body.constEnd(), nullptr, false);
}

int LlmTestServer::Stats::routeCount(Route route) const
{
    const auto it = perRoute.find(route);
    return it == perRoute.end() ? 0 : it->second;
}

LlmTestServer::LlmTestServer(QObject *parent)
    : LlmTestServer(Options{}, parent)
{
}

LlmTestServer::LlmTestServer(Options options, QObject *parent)
    : QObject(parent)
    , m_tcp(new QTcpServer(this))
    , m_options(std::move(options))
{
    init();
}

void LlmTestServer::init()
{
    m_tcp->setMaxPendingConnections(1024);
    m_tcp->setListenBacklogSize(1024);
    connect(m_tcp, &QTcpServer::newConnection, this, &LlmTestServer::acceptConnections);
    if (m_tcp->listen(QHostAddress::LocalHost, m_options.port))
        m_port = m_tcp->serverPort();
    else
        qWarning("LlmTestServer: cannot listen on 127.0.0.1:%d: %s", int(m_options.port),
                 qPrintable(m_tcp->errorString()));
}

LlmTestServer::~LlmTestServer()
{
    m_tcp->close();
    for (auto &[id, connection] : m_connections) {
        if (!connection->socket)
            continue;
        QObject::disconnect(connection->socket, nullptr, this, nullptr);
        connection->socket->abort();
        delete connection->socket;
    }
    m_connections.clear();
}

bool LlmTestServer::isListening() const
{
    const QMutexLocker lock(&m_mutex);
    return m_port != 0;
}

quint16 LlmTestServer::port() const
{
    const QMutexLocker lock(&m_mutex);
    return m_port;
}

QUrl LlmTestServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QUrl LlmTestServer::openAiBaseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port()));
}

QUrl LlmTestServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()) + path);
}

void LlmTestServer::setApiKey(const QByteArray &key)
{
    const QMutexLocker lock(&m_mutex);
    m_options.apiKey = key;
}

void LlmTestServer::setLatencyMs(int ms)
{
    const QMutexLocker lock(&m_mutex);
    m_options.latencyMs = std::max(0, ms);
}

void LlmTestServer::setLatencyFunction(LatencyFunction function)
{
    const QMutexLocker lock(&m_mutex);
    m_latencyFunction = std::move(function);
}

void LlmTestServer::setAnswerHandler(AnswerHandler handler)
{
    const QMutexLocker lock(&m_mutex);
    m_handler = std::move(handler);
}

void LlmTestServer::setStreamChunks(int chunks)
{
    const QMutexLocker lock(&m_mutex);
    m_options.streamChunks = std::max(1, chunks);
}

void LlmTestServer::setModels(const QStringList &models)
{
    const QMutexLocker lock(&m_mutex);
    m_options.models = models;
}

void LlmTestServer::pushFault(FaultKind fault, int times)
{
    pushFaults({std::move(fault)}, times);
}

void LlmTestServer::pushFaults(std::vector<FaultKind> faults, int times)
{
    if (times <= 0 || faults.empty())
        return;
    const QMutexLocker lock(&m_mutex);
    m_faultQueue.emplace_back(std::move(faults), times);
}

void LlmTestServer::addRandomFault(FaultKind fault, double probability)
{
    const QMutexLocker lock(&m_mutex);
    m_randomFaults.emplace_back(std::move(fault), std::clamp(probability, 0.0, 1.0));
}

void LlmTestServer::setRandomSeed(quint64 seed)
{
    const QMutexLocker lock(&m_mutex);
    m_rng.seed(seed);
}

void LlmTestServer::clearFaults()
{
    const QMutexLocker lock(&m_mutex);
    m_faultQueue.clear();
    m_randomFaults.clear();
}

int LlmTestServer::queuedFaults() const
{
    const QMutexLocker lock(&m_mutex);
    int count = 0;
    for (const auto &entry : m_faultQueue)
        count += entry.second;
    return count;
}

LlmTestServer::Stats LlmTestServer::stats() const
{
    const QMutexLocker lock(&m_mutex);
    return m_stats;
}

std::vector<LlmTestServer::RecordedRequest> LlmTestServer::requests() const
{
    const QMutexLocker lock(&m_mutex);
    return m_requests;
}

std::optional<LlmTestServer::RecordedRequest> LlmTestServer::lastRequest() const
{
    const QMutexLocker lock(&m_mutex);
    if (m_requests.empty())
        return std::nullopt;
    return m_requests.back();
}

void LlmTestServer::resetStats()
{
    const QMutexLocker lock(&m_mutex);
    Stats fresh;
    fresh.inFlight = m_stats.inFlight;
    fresh.maxInFlight = m_stats.inFlight;
    fresh.openConnections = m_stats.openConnections;
    m_stats = fresh;
    m_requests.clear();
}

QByteArray LlmTestServer::defaultAnswer(const json &request)
{
    const std::string user = lastUserText(request);
    bool wantsJson = containsJsonWord(user);
    const json *schema = nullptr;
    if (const auto format = request.find("response_format");
        format != request.end() && format->is_object()) {
        const std::string type = format->value("type", std::string());
        if (type == "json_object" || type == "json_schema")
            wantsJson = true;
        if (type == "json_schema" && format->contains("json_schema") &&
            (*format)["json_schema"].is_object() && (*format)["json_schema"].contains("schema"))
            schema = &(*format)["json_schema"]["schema"];
    }
    if (const auto format = request.find("output_format");
        format != request.end() && format->is_object() && format->contains("schema")) {
        wantsJson = true;
        schema = &(*format)["schema"];
    }

    const QString echo = QString::fromStdString(user).left(400);
    if (schema && (schema->is_object() || schema->is_boolean()))
        return dump(exampleForSchema(*schema));
    if (wantsJson)
        return dump(json{{"answer", echo.toStdString()}, {"ok", true}});
    if (echo.isEmpty())
        return QByteArrayLiteral("This is the test server's answer.");
    return "This is the test server's answer to: " + echo.toUtf8();
}

json LlmTestServer::exampleForSchema(const json &schema)
{
    return example(schema, schema, 0);
}

// ---------------------------------------------------------------------------------------------
// Connections

LlmTestServer::Connection *LlmTestServer::find(quint64 connectionId)
{
    const auto it = m_connections.find(connectionId);
    return it == m_connections.end() ? nullptr : it->second.get();
}

void LlmTestServer::acceptConnections()
{
    while (m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        if (!socket)
            return;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // no Nagle delay on SSE
        const quint64 id = ++m_nextConnectionId;
        auto connection = std::make_unique<Connection>();
        connection->id = id;
        connection->socket = socket;
        m_connections.emplace(id, std::move(connection));
        {
            const QMutexLocker lock(&m_mutex);
            ++m_stats.connectionsOpened;
            ++m_stats.openConnections;
        }
        connect(socket, &QTcpSocket::readyRead, this, [this, id] { readFrom(id); });
        connect(socket, &QTcpSocket::disconnected, this, [this, id] { onDisconnected(id); });
        if (socket->state() != QAbstractSocket::ConnectedState)
            onDisconnected(id);
        else if (socket->bytesAvailable() > 0)
            readFrom(id);
    }
}

void LlmTestServer::readFrom(quint64 connectionId)
{
    Connection *c = find(connectionId);
    if (!c || c->closed)
        return;
    c->parser.feed(c->socket->readAll());
    for (;;) {
        HttpRequest request;
        const HttpRequestParser::Status status = c->parser.next(request);
        if (status == HttpRequestParser::Status::Complete) {
            if (!c->closeAfter)
                c->pending.push_back(std::move(request));
            continue;
        }
        if (status == HttpRequestParser::Status::ContinueExpected) {
            if (!c->active && c->pending.empty())
                c->socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            continue;
        }
        if (status == HttpRequestParser::Status::Error)
            c->parseError = true;
        break;
    }
    startNext(*c);
}

void LlmTestServer::onDisconnected(quint64 connectionId)
{
    Connection *c = find(connectionId);
    if (!c || c->gone)
        return;
    c->gone = true;
    c->closed = true;
    c->script.clear();
    c->pending.clear();
    if (c->active)
        finishRequest(*c);
    {
        const QMutexLocker lock(&m_mutex);
        --m_stats.openConnections;
    }
    c->socket->deleteLater(); // also cancels the timers of its script
    QMetaObject::invokeMethod(
        this, [this, connectionId] { m_connections.erase(connectionId); }, Qt::QueuedConnection);
}

void LlmTestServer::startNext(Connection &c)
{
    if (c.closed || c.active)
        return;
    if (!c.pending.empty()) {
        HttpRequest request = std::move(c.pending.front());
        c.pending.pop_front();
        dispatch(c, std::move(request));
        return;
    }
    if (c.parseError) {
        c.parseError = false;
        {
            const QMutexLocker lock(&m_mutex);
            ++m_stats.malformedRequests;
        }
        const int status = c.parser.errorStatus();
        const QByteArray body =
            dump(ordered_json{{"error",
                               {{"message", "LlmTestServer: " + toStd(c.parser.errorMessage())},
                                {"type", "invalid_request_error"},
                                {"param", nullptr},
                                {"code", nullptr}}}});
        c.closed = true;
        c.socket->write(
            head(status, "application/json", body.size(), false, "req_test_malformed", true, {}) +
            body);
        c.socket->disconnectFromHost();
    }
}

void LlmTestServer::dispatch(Connection &c, HttpRequest request)
{
    Exchange ex;
    ex.http = std::move(request);
    ex.close = !ex.http.keepAlive();
    const QByteArray &path = ex.http.path;
    const QByteArray &method = ex.http.method;
    const bool hasVersion = ex.http.hasHeader("anthropic-version");
    if (path == "/v1/chat/completions" && method == "POST")
        ex.route = Route::OpenAiChat;
    else if (path == "/v1/messages" && method == "POST")
        ex.route = Route::AnthropicMessages;
    else if (path == "/v1/models" && method == "GET")
        ex.route = hasVersion ? Route::AnthropicModels : Route::OpenAiModels;
    ex.anthropic = ex.route == Route::AnthropicMessages || ex.route == Route::AnthropicModels ||
                   (ex.route == Route::Unknown && hasVersion);
    if (!ex.http.body.isEmpty())
        ex.body = json::parse(ex.http.body.constBegin(), ex.http.body.constEnd(), nullptr, false);
    else
        ex.body = json::value_t::discarded;

    LatencyFunction latencyFunction;
    {
        const QMutexLocker lock(&m_mutex);
        ex.id = ++m_nextRequestId;
        ++m_stats.totalRequests;
        ++m_stats.perRoute[ex.route];
        ++m_stats.inFlight;
        m_stats.maxInFlight = std::max(m_stats.maxInFlight, m_stats.inFlight);
        m_stats.sawAuthorization = m_stats.sawAuthorization || ex.http.hasHeader("authorization");
        m_stats.sawApiKey = m_stats.sawApiKey || ex.http.hasHeader("x-api-key");
        m_requests.push_back(RecordedRequest{ex.id, c.id, ex.route, ex.http});
        ex.options = m_options;
        ex.handler = m_handler;
        latencyFunction = m_latencyFunction;
    }
    ex.requestId = "req_test_" + QByteArray::number(ex.id);
    ex.latencyMs = ex.options.latencyMs;
    if (latencyFunction && !ex.body.is_discarded()) {
        const int ms = latencyFunction(ex.body);
        if (ms >= 0)
            ex.latencyMs = ms;
    }
    if (ex.http.hasHeader("x-test-latency-ms")) {
        bool ok = false;
        const int ms = ex.http.header("x-test-latency-ms").toInt(&ok);
        if (ok && ms >= 0)
            ex.latencyMs = ms;
    }
    ex.delayMs = ex.latencyMs;

    c.active = true;
    c.requestId = ex.id;
    c.closeAfter = ex.close;
    if (ex.close)
        c.pending.clear();
    emit requestReceived(ex.id);
    try {
        c.script = respond(ex);
    } catch (const std::exception &e) {
        c.script = respondError(
            ex, 500, "LlmTestServer could not build the response: " + QByteArray(e.what()),
            "server_error", nullptr, "api_error");
    }
    run(c.id);
}

void LlmTestServer::run(quint64 connectionId)
{
    Connection *c = find(connectionId);
    if (!c || c->closed)
        return;
    while (!c->script.empty()) {
        Step &front = c->script.front();
        if (front.delayMs > 0) {
            const int delay = front.delayMs;
            front.delayMs = 0;
            QTimer::singleShot(delay, c->socket, [this, connectionId] { run(connectionId); });
            return;
        }
        Step step = std::move(front);
        c->script.pop_front();
        switch (step.kind) {
        case Step::Kind::Write:
            c->socket->write(step.bytes);
            break;
        case Step::Kind::Drop:
            c->script.clear();
            c->pending.clear();
            finishRequest(*c);
            c->closed = true;
            c->socket->disconnectFromHost();
            return;
        case Step::Kind::End:
            c->script.clear();
            finishRequest(*c);
            if (c->closeAfter) {
                c->closed = true;
                c->socket->disconnectFromHost();
            } else {
                startNext(*c);
            }
            return;
        }
    }
}

void LlmTestServer::finishRequest(Connection &c)
{
    if (!c.active)
        return;
    c.active = false;
    {
        const QMutexLocker lock(&m_mutex);
        --m_stats.inFlight;
    }
    emit requestFinished(c.requestId);
}

// ---------------------------------------------------------------------------------------------
// Responses

std::vector<FaultKind> LlmTestServer::takeFaults()
{
    const QMutexLocker lock(&m_mutex);
    std::vector<FaultKind> faults;
    if (!m_faultQueue.empty()) {
        faults = m_faultQueue.front().first;
        if (--m_faultQueue.front().second <= 0)
            m_faultQueue.pop_front();
    } else if (!m_randomFaults.empty()) {
        // 53 random bits to [0, 1): the same on every platform, unlike std distributions.
        const double draw = double(m_rng() >> 11) * 0x1.0p-53;
        double cumulative = 0;
        for (const auto &[fault, probability] : m_randomFaults) {
            cumulative += probability;
            if (draw < cumulative) {
                faults.push_back(fault);
                break;
            }
        }
    }
    if (!faults.empty())
        ++m_stats.faultsInjected;
    return faults;
}

std::deque<LlmTestServer::Step>
LlmTestServer::respondError(Exchange &ex, int status, const QByteArray &message,
                            const QByteArray &openAiType, const json &openAiCode,
                            const QByteArray &anthropicType, Headers extraHeaders)
{
    QByteArray body;
    if (ex.anthropic) {
        body = dump(
            ordered_json{{"type", "error"},
                         {"error", {{"type", toStd(anthropicType)}, {"message", toStd(message)}}},
                         {"request_id", toStd(ex.requestId)}});
    } else {
        body = dump(ordered_json{{"error",
                                  {{"message", toStd(message)},
                                   {"type", toStd(openAiType)},
                                   {"param", nullptr},
                                   {"code", openAiCode}}}});
    }
    std::deque<Step> steps;
    steps.push_back({Step::Kind::Write, ex.delayMs,
                     head(status, "application/json", body.size(), false, ex.requestId, ex.close,
                          extraHeaders) +
                         body});
    steps.push_back({Step::Kind::End, 0, {}});
    return steps;
}

std::deque<LlmTestServer::Step> LlmTestServer::respond(Exchange &ex)
{
    if (ex.route == Route::Unknown) {
        const QByteArray what = ex.http.method + ' ' + ex.http.path;
        return respondError(ex, 404, "Unknown request URL: " + what, "invalid_request_error",
                            "unknown_url", "not_found_error");
    }

    // Authentication, as the real services check it.
    const QByteArray &key = ex.options.apiKey;
    if (ex.anthropic) {
        if (!ex.http.hasHeader("anthropic-version"))
            return respondError(ex, 400, "anthropic-version: header is required",
                                "invalid_request_error", nullptr, "invalid_request_error");
        if (!key.isEmpty() && ex.http.header("x-api-key") != key)
            return respondError(ex, 401, "invalid x-api-key", "invalid_request_error",
                                "invalid_api_key", "authentication_error");
    } else if (!key.isEmpty()) {
        const QByteArray authorization = ex.http.header("authorization");
        if (authorization.isEmpty())
            return respondError(ex, 401,
                                "You didn't provide an API key. You need to provide your API key "
                                "in an Authorization header using Bearer auth (i.e. "
                                "Authorization: Bearer YOUR_KEY).",
                                "invalid_request_error", nullptr, "authentication_error");
        const bool bearer = authorization.size() > 7 &&
                            authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0;
        if (!bearer || authorization.sliced(7).trimmed() != key)
            return respondError(
                ex, 401,
                "Incorrect API key provided: " +
                    redactedKey(bearer ? authorization.sliced(7).trimmed() : authorization) +
                    ". You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", "invalid_api_key", "authentication_error");
    }

    if (ex.route == Route::OpenAiModels || ex.route == Route::AnthropicModels)
        return respondModels(ex);
    return respondCompletion(ex);
}

std::deque<LlmTestServer::Step> LlmTestServer::respondModels(Exchange &ex)
{
    ordered_json body;
    if (ex.route == Route::AnthropicModels) {
        ordered_json data = ordered_json::array();
        for (const QString &model : std::as_const(ex.options.models))
            data.push_back({{"type", "model"},
                            {"id", model.toStdString()},
                            {"display_name", model.toStdString()},
                            {"created_at", "2024-01-01T00:00:00Z"}});
        body = {{"data", data},
                {"has_more", false},
                {"first_id", data.empty() ? ordered_json(nullptr) : data.front()["id"]},
                {"last_id", data.empty() ? ordered_json(nullptr) : data.back()["id"]}};
    } else {
        ordered_json data = ordered_json::array();
        for (const QString &model : std::as_const(ex.options.models))
            data.push_back({{"id", model.toStdString()},
                            {"object", "model"},
                            {"created", 1700000000},
                            {"owned_by", "crucible-test"}});
        body = {{"object", "list"}, {"data", data}};
    }
    const QByteArray bytes = dump(body);
    std::deque<Step> steps;
    steps.push_back(
        {Step::Kind::Write, ex.delayMs,
         head(200, "application/json", bytes.size(), false, ex.requestId, ex.close, {}) + bytes});
    steps.push_back({Step::Kind::End, 0, {}});
    return steps;
}

namespace {

// The answer to one completion request, independent of how it is framed.
struct Completion
{
    bool anthropic = false;
    bool includeUsage = false; // OpenAI stream_options.include_usage
    std::string id;
    std::string model;
    std::string content;
    std::string finishReason;
    qint64 created = 0;
    int inputTokens = 0;
    int outputTokens = 0;
};

QByteArray completionBody(const Completion &c)
{
    if (c.anthropic) {
        ordered_json blocks = ordered_json::array();
        if (!c.content.empty())
            blocks.push_back({{"type", "text"}, {"text", c.content}});
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

// Events before the first content delta.
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
    QByteArray out =
        sseEvent("message_start", {{"type", "message_start"}, {"message", message}}) +
        sseEvent("content_block_start", {{"type", "content_block_start"},
                                         {"index", 0},
                                         {"content_block", {{"type", "text"}, {"text", ""}}}});
    if (ping)
        out += sseEvent("ping", {{"type", "ping"}});
    return out;
}

QByteArray streamDelta(const Completion &c, const QByteArray &piece)
{
    if (!c.anthropic)
        return openAiDelta(c, {{"content", toStd(piece)}}, nullptr);
    return sseEvent("content_block_delta",
                    {{"type", "content_block_delta"},
                     {"index", 0},
                     {"delta", {{"type", "text_delta"}, {"text", toStd(piece)}}}});
}

// Events after the last content delta, up to the end of the stream.
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

// Applies the content faults to `text`; returns true if the answer must count as truncated.
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

} // namespace

std::deque<LlmTestServer::Step> LlmTestServer::respondCompletion(Exchange &ex)
{
    const bool anthropic = ex.route == Route::AnthropicMessages;
    const json &request = ex.body;

    // Validation of the fields the client must send.
    if (request.is_discarded() || !request.is_object())
        return respondError(ex, 400,
                            "We could not parse the JSON body of your request. The request body "
                            "must be a JSON object.",
                            "invalid_request_error", nullptr, "invalid_request_error");
    if (!request.contains("model") || !request["model"].is_string())
        return respondError(ex, 400, "model: Field required", "invalid_request_error",
                            "missing_required_parameter", "invalid_request_error");
    if (!request.contains("messages") || !request["messages"].is_array() ||
        request["messages"].empty())
        return respondError(ex, 400, "messages: Field required (a non-empty array)",
                            "invalid_request_error", "missing_required_parameter",
                            "invalid_request_error");
    if (anthropic &&
        (!request.contains("max_tokens") || !request["max_tokens"].is_number_integer()))
        return respondError(ex, 400, "max_tokens: Field required", "invalid_request_error", nullptr,
                            "invalid_request_error");
    const bool stream = request.value("stream", false);

    // Faults that replace or reshape the response.
    const std::vector<FaultKind> faults = takeFaults();
    int slowMs = 0;
    const Fault::DropMidStream *dropMid = nullptr;
    const Fault::StallMidStream *stall = nullptr;
    const Fault::ErrorInStream *errorInStream = nullptr;
    for (const FaultKind &fault : faults) {
        if (const auto *slow = std::get_if<Fault::Slow>(&fault))
            slowMs += std::max(0, slow->ms);
        else if (const auto *f = std::get_if<Fault::DropMidStream>(&fault))
            dropMid = f;
        else if (const auto *f = std::get_if<Fault::StallMidStream>(&fault))
            stall = f;
        else if (const auto *f = std::get_if<Fault::ErrorInStream>(&fault))
            errorInStream = f;
    }
    ex.delayMs = ex.latencyMs + slowMs;
    for (const FaultKind &fault : faults) {
        if (std::holds_alternative<Fault::DropConnection>(fault)) {
            std::deque<Step> steps;
            steps.push_back({Step::Kind::Drop, ex.delayMs, {}});
            return steps;
        }
        if (const auto *limited = std::get_if<Fault::RateLimited>(&fault)) {
            Headers headers;
            if (limited->retryAfterSeconds >= 0)
                headers.emplace_back("retry-after", QByteArray::number(limited->retryAfterSeconds));
            if (limited->retryAfterMs >= 0)
                headers.emplace_back("retry-after-ms", QByteArray::number(limited->retryAfterMs));
            const QByteArray message =
                "Rate limit reached for " + toBytes(request["model"].get<std::string>()) +
                " on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in " +
                QByteArray::number(std::max(0, limited->retryAfterSeconds)) + "s.";
            return respondError(ex, 429, message, "requests", "rate_limit_exceeded",
                                "rate_limit_error", std::move(headers));
        }
        if (const auto *error = std::get_if<Fault::ServerError>(&fault)) {
            const ErrorInfo info = errorFor(error->status);
            return respondError(ex, error->status, info.message, info.openAiType,
                                error->status >= 500 ? json(nullptr) : json("injected_error"),
                                info.anthropicType);
        }
    }
    if (errorInStream && !stream) {
        const int status = anthropic ? 529 : 503;
        const ErrorInfo info = errorFor(status);
        return respondError(ex, status, info.message, info.openAiType, nullptr, info.anthropicType);
    }

    // The answer.
    QByteArray text;
    try {
        text = ex.handler ? ex.handler(request) : defaultAnswer(request);
    } catch (const std::exception &e) {
        return respondError(ex, 500, "LlmTestServer answer handler threw: " + QByteArray(e.what()),
                            "server_error", nullptr, "api_error");
    }
    bool truncated = applyContentFaults(text, faults);
    int maxTokens = -1;
    for (const char *field : {"max_tokens", "max_completion_tokens"}) {
        if (request.contains(field) && request[field].is_number_integer())
            maxTokens = request[field].get<int>();
    }
    if (maxTokens >= 0 && tokensFor(characterCount(text)) > maxTokens) {
        text = leftCharacters(text, qsizetype(maxTokens) * 4);
        truncated = true;
    }

    Completion c;
    c.anthropic = anthropic;
    if (const auto options = request.find("stream_options");
        options != request.end() && options->is_object())
        c.includeUsage = options->value("include_usage", false);
    c.id = (anthropic ? "msg_test" : "chatcmpl-test") + std::to_string(ex.id);
    c.model = request["model"].get<std::string>();
    c.content = toStd(text);
    if (anthropic)
        c.finishReason = truncated ? "max_tokens" : "end_turn";
    else
        c.finishReason = truncated ? "length" : "stop";
    c.created = QDateTime::currentSecsSinceEpoch();
    c.inputTokens = promptTokens(request);
    c.outputTokens = tokensFor(characterCount(text));

    std::deque<Step> steps;
    if (!stream) {
        const QByteArray body = completionBody(c);
        const QByteArray all =
            head(200, "application/json", body.size(), false, ex.requestId, ex.close, {}) + body;
        if (!dropMid && !stall) {
            steps.push_back({Step::Kind::Write, ex.delayMs, all});
            steps.push_back({Step::Kind::End, 0, {}});
            return steps;
        }
        const qsizetype cut = all.size() - body.size() / 2; // headers and half of the body
        steps.push_back({Step::Kind::Write, ex.delayMs, all.first(cut)});
        if (dropMid) {
            steps.push_back({Step::Kind::Drop, 0, {}});
            return steps;
        }
        steps.push_back({Step::Kind::Write, std::max(0, stall->ms), all.sliced(cut)});
        steps.push_back({Step::Kind::End, 0, {}});
        return steps;
    }

    // Streaming: headers and preamble at once (after Slow), content spread over the latency,
    // one HTTP chunk per step so that the client sees each step when it is sent.
    steps.push_back(
        {Step::Kind::Write, slowMs,
         head(200, "text/event-stream; charset=utf-8", 0, true, ex.requestId, ex.close, {}) +
             chunk(streamPreamble(c, ex.options.anthropicPing))});
    const std::vector<QByteArray> pieces = splitText(text, ex.options.streamChunks);
    const int k = int(pieces.size());
    const int dropAt = dropMid ? std::clamp(dropMid->afterChunks, 0, k) : -1;
    const int stallAt = stall ? std::clamp(stall->afterChunks, 0, k) : -1;
    const int errorAt = errorInStream ? std::clamp(errorInStream->afterChunks, 0, k) : -1;
    const qint64 latency = ex.latencyMs;
    for (int i = 0; i <= k; ++i) {
        // Step i sends content piece i, or the closing events when i == k.
        int delay = 0;
        if (k == 0)
            delay = int(latency);
        else if (i < k)
            delay = int(latency * (i + 1) / k - latency * i / k);
        if (i == stallAt)
            delay += std::max(0, stall->ms);
        if (i == dropAt) {
            steps.push_back({Step::Kind::Drop, delay, {}});
            return steps;
        }
        if (i == errorAt || i == k) {
            const QByteArray last = i == errorAt ? streamError(c) : streamClosing(c);
            steps.push_back({Step::Kind::Write, delay, chunk(last) + chunkTerminator});
            steps.push_back({Step::Kind::End, 0, {}});
            return steps;
        }
        steps.push_back({Step::Kind::Write, delay, chunk(streamDelta(c, pieces[std::size_t(i)]))});
    }
    return steps; // not reached: the loop returns at i == k
}

} // namespace crucible::test
