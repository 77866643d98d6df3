#include "tests/support/llmtestserver.h"

#include "tests/support/llmtestserverparts.h"
#include "tests/support/llmtestwire.h"

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
using namespace wire;

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

void LlmTestServer::setRejected(bool tools, bool jsonSchema, bool jsonObject)
{
    const QMutexLocker lock(&m_mutex);
    m_options.rejectTools = tools;
    m_options.rejectJsonSchema = jsonSchema;
    m_options.rejectJsonObject = jsonObject;
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
    std::optional<ForcedTool> tool = forcedTool(request);
    if (tool) {
        wantsJson = true;
        schema = &tool->inputSchema;
    }
    if (const auto format = request.find("output_format");
        format != request.end() && format->is_object() && format->contains("schema")) {
        wantsJson = true;
        schema = &(*format)["schema"];
    }

    const std::optional<json> prompted = schema ? std::nullopt : schemaInSystemPrompt(request);
    if (prompted)
        schema = &*prompted;

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

} // namespace crucible::test
