#include "core/llm/providers/httptransport.h"

#include <QCoreApplication>
#include <QCoro/QCoroNetworkReply>
#include <QElapsedTimer>
#include <QEvent>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QPointer>
#include <QStringBuilder>
#include <QTimeZone>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <exception>

namespace crucible {

namespace {

// Why the transport aborted a reply itself.
enum class AbortReason { None, Cancelled, ConnectTimeout, TotalTimeout, HandlerFailed };

// Shared between send() and the entries connected to its reply, so that no slot refers to the
// coroutine frame.
struct ExchangeState
{
    AbortReason reason = AbortReason::None;
    int status = 0;
    QByteArray body;
    qint64 bodyBytes = 0;
    qint64 firstByteMs = -1;
    bool sslErrors = false;
    QString handlerError;
};

// Deleting a manager (and with it its replies) from inside one of its replies' signals is
// unsafe, and the last reference to a slot may go away exactly there.
struct ManagerDeleter
{
    void operator()(QNetworkAccessManager *manager) const { manager->deleteLater(); }
};

QString hostAndPort(const QUrl &url)
{
    const int port = url.port();
    if (port < 0)
        return url.host();
    return url.host() % QLatin1Char(':') % QString::number(port);
}

QString urlForHumans(const QUrl &url)
{
    // Credentials never travel in the URL here, but be safe with user-typed URLs.
    return url.toString(QUrl::RemoveUserInfo);
}

// Network-layer failures: no usable HTTP response, whatever status Qt may have seen.
bool isTransportLevel(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return (code > 0 && code < 200) || error == QNetworkReply::ProtocolFailure;
}

} // namespace

struct HttpTransport::Pool
{
    struct Slot
    {
        std::unique_ptr<QNetworkAccessManager, ManagerDeleter> manager;
        int inFlight = 0;
    };

    std::vector<std::shared_ptr<Slot>> entries;
    int maxManagers = 1;
    QList<QPointer<QNetworkReply>> active;
    bool closing = false;

    // The manager with the fewest requests in flight; a new one while all are at Qt's
    // per-host connection limit and the pool may still grow.
    std::shared_ptr<Slot> pick()
    {
        std::shared_ptr<Slot> best;
        for (const auto &slot : entries) {
            if (!best || slot->inFlight < best->inFlight)
                best = slot;
        }
        if ((!best || best->inFlight >= ConnectionsPerManager) &&
            int(entries.size()) < maxManagers) {
            auto slot = std::make_shared<Slot>();
            slot->manager.reset(new QNetworkAccessManager);
            entries.push_back(slot);
            return slot;
        }
        return best;
    }
};

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

LlmError HttpResponse::toError(const QString &provider, const QString &model) const
{
    LlmError e;
    e.kind = transportError;
    if (e.kind == LlmError::Kind::None)
        return e;
    e.provider = provider;
    e.model = model;
    e.httpStatus = status;
    e.requestId = requestId;
    e.midStream = bodyBytes > 0;
    const QString where = QString::fromLatin1(method) % QLatin1Char(' ') % urlForHumans(url);
    const QString host = hostAndPort(url);
    switch (e.kind) {
    case LlmError::Kind::Cancelled:
        e.message = QStringLiteral("cancelled (") % where % QLatin1Char(')');
        break;
    case LlmError::Kind::Dns:
        e.message = QStringLiteral("could not resolve the host name ") % url.host() % u" (" %
                    where %
                    u"): check the base URL for typos and your network, DNS or proxy settings";
        break;
    case LlmError::Kind::Tls:
        e.message = QStringLiteral("TLS handshake with ") % host % u" failed (" %
                    networkErrorString % u", " % where %
                    u"): check http:// versus https:// in the base URL, the system clock, and "
                    u"whether a proxy replaces certificates (then install its CA certificate)";
        break;
    case LlmError::Kind::Timeout:
        if (timedOut == HttpTimeout::Connect)
            e.message = QStringLiteral("could not connect to ") % host % u" within " %
                        QString::number(timeoutMs) % u" ms (" % where %
                        u"): is the server running and reachable? Raise the connect timeout for "
                        u"slow networks";
        else if (timedOut == HttpTimeout::Total)
            e.message = QStringLiteral("no complete answer from ") % host %
                        u" within the total "
                        u"timeout of " %
                        QString::number(timeoutMs) % u" ms (" % where %
                        u"): raise the total timeout or ask for shorter answers";
        else if (timedOut == HttpTimeout::Idle)
            e.message = QStringLiteral("no data from ") % host % u" for " %
                        QString::number(timeoutMs) % u" ms (" % where %
                        (bodyBytes > 0 ? QStringLiteral("), the stream stalled after ") %
                                             QString::number(bodyBytes) % u" bytes"
                                       : QStringLiteral(")")) %
                        u": raise the stream-idle timeout if the model is slow to start";
        else
            e.message = QStringLiteral("timed out talking to ") % host % u" (" %
                        networkErrorString % u", " % where % u")";
        break;
    case LlmError::Kind::Connection:
        if (networkError == QNetworkReply::ConnectionRefusedError)
            e.message = QStringLiteral("connection refused by ") % host % u" (" % where %
                        u"): nothing is listening there; start the server or fix the host and "
                        u"port in the base URL";
        else if (bodyBytes > 0)
            e.message = QStringLiteral("the connection to ") % host % u" broke after " %
                        QString::number(bodyBytes) % u" bytes of the answer (" %
                        networkErrorString % u", " % where %
                        u"): the server or a proxy dropped it; retrying usually helps";
        else
            e.message = QStringLiteral("the connection to ") % host % u" failed (" %
                        networkErrorString % u", " % where %
                        u"): check that the server is up and your network or proxy settings";
        break;
    case LlmError::Kind::Protocol:
        e.message = QStringLiteral("the exchange with ") % host % u" failed (" %
                    networkErrorString % u", " % where % u")";
        break;
    case LlmError::Kind::Configuration:
        e.message = QStringLiteral("cannot send a request to '") % urlForHumans(url) %
                    u"': the URL is not valid; fix the base URL in the provider settings";
        break;
    default:
        e.message = networkErrorString % QStringLiteral(" (") % where % QLatin1Char(')');
        break;
    }
    return e;
}

LlmError httpStatusError(const HttpResponse &response, const QString &provider,
                         const QString &model, bool keySent, const QString &keyEnvVar)
{
    LlmError e;
    e.kind = LlmError::Kind::Http;
    e.provider = provider;
    e.model = model;
    e.httpStatus = response.status;
    e.requestId = response.requestId;
    e.retryAfterMs = response.retryAfterMs;
    const QString url = urlForHumans(response.url);
    const QString keySource = keyEnvVar.isEmpty()
                                  ? QStringLiteral("in the provider settings")
                                  : QStringLiteral("in the provider settings or $") % keyEnvVar %
                                        QStringLiteral(u" if it comes from there");
    const int status = response.status;
    if (status == 401 || status == 403) {
        if (!keySent)
            e.message = QStringLiteral("the server at ") % url %
                        u" requires an API key and none was sent: enter one " % keySource;
        else if (status == 401)
            e.message = QStringLiteral("the server at ") % url %
                        u" rejected the API key: check the key " % keySource;
        else
            e.message =
                QStringLiteral("the API key is not allowed to do this at ") % url %
                u": check the key's permissions and project " % keySource %
                (model.isEmpty() ? QString() : QStringLiteral(", and access to model ") % model);
    } else if (status == 404) {
        e.message =
            QStringLiteral("not found: ") % url %
            (model.isEmpty() ? QStringLiteral(": check the base URL (a missing or extra /v1?)")
                             : QStringLiteral(": check the base URL (a missing or extra "
                                              u"/v1?) and the model name '") %
                                   model % QLatin1Char('\''));
    } else if (status == 429) {
        e.message =
            QStringLiteral("rate limited by ") % url %
            (response.retryAfterMs
                 ? QStringLiteral(": retry after ") % QString::number(*response.retryAfterMs) %
                       QStringLiteral(" ms; lower the concurrency or requests per minute")
                 : QStringLiteral(": wait, then lower the concurrency or requests per "
                                  u"minute"));
    } else if (status == 408) {
        e.message =
            QStringLiteral("the server at ") % url % u" timed out reading the request: retry";
    } else if (status == 413) {
        e.message = QStringLiteral("the request is too large for ") % url %
                    u": shorten the prompt or lower max tokens";
    } else if (status >= 500) {
        e.message = QStringLiteral("server error ") % QString::number(status) % u" at " % url %
                    ((status == 529 || status == 503)
                         ? QStringLiteral(" (overloaded): retry later or lower the concurrency")
                         : QStringLiteral(": the problem is on the server side; retry later"));
    } else {
        e.message = QStringLiteral("the server at ") % url % u" refused the request with HTTP " %
                    QString::number(status) % u": see the server's message";
    }
    return e;
}

HttpTransport::HttpTransport(int concurrency)
    : m_pool(std::make_shared<Pool>())
{
    const int wanted = std::max(1, concurrency);
    m_pool->maxManagers = (wanted + ConnectionsPerManager - 1) / ConnectionsPerManager;
}

HttpTransport::~HttpTransport()
{
    m_pool->closing = true;
    // Abort, never delete: a deleted reply would never resume the coroutine awaiting it.
    const QList<QPointer<QNetworkReply>> active = m_pool->active;
    for (const QPointer<QNetworkReply> &reply : active) {
        if (reply && !reply->isFinished())
            reply->abort();
    }
}

int HttpTransport::maxManagers() const
{
    return m_pool->maxManagers;
}

int HttpTransport::managerCount() const
{
    return int(m_pool->entries.size());
}

int HttpTransport::inFlight() const
{
    int n = 0;
    for (const auto &slot : m_pool->entries)
        n += slot->inFlight;
    return n;
}

std::optional<qint64> HttpTransport::parseRetryAfter(const QByteArray &retryAfterMs,
                                                     const QByteArray &retryAfter,
                                                     const QDateTime &now)
{
    bool ok = false;
    const double ms = retryAfterMs.trimmed().toDouble(&ok);
    if (ok && std::isfinite(ms))
        return std::max<qint64>(0, qint64(std::ceil(ms)));
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const double seconds = text.toDouble(&ok);
    if (ok && std::isfinite(seconds))
        return std::max<qint64>(0, qint64(std::ceil(seconds * 1000.0)));
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (IMF-fixdate).
    const QString value = QString::fromLatin1(text);
    QDateTime when =
        QLocale::c().toDateTime(value, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (when.isValid()) {
        when.setTimeZone(QTimeZone::utc());
    } else {
        when = QDateTime::fromString(value, Qt::RFC2822Date);
    }
    if (!when.isValid())
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(when));
}

LlmError::Kind HttpTransport::classify(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::NoError:
        return LlmError::Kind::None;
    case QNetworkReply::HostNotFoundError:
        return LlmError::Kind::Dns;
    case QNetworkReply::SslHandshakeFailedError:
        return LlmError::Kind::Tls;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ProxyTimeoutError:
        return LlmError::Kind::Timeout;
    case QNetworkReply::OperationCanceledError:
        return LlmError::Kind::Cancelled;
    case QNetworkReply::ProtocolUnknownError:
        return LlmError::Kind::Configuration;
    default:
        return LlmError::Kind::Connection;
    }
}

QCoro::Task<HttpResponse> HttpTransport::send(HttpRequestSpec spec)
{
    // Only the pool is used after the first suspension: the transport may be gone by then.
    const std::shared_ptr<Pool> pool = m_pool;
    HttpResponse out;
    out.method = spec.method;
    out.url = spec.url;
    if (spec.cancel.isCancelled() || pool->closing) {
        out.cancelled = true;
        out.transportError = LlmError::Kind::Cancelled;
        co_return out;
    }
    if (!spec.url.isValid() || spec.url.host().isEmpty() ||
        (spec.url.scheme() != QStringLiteral("http") &&
         spec.url.scheme() != QStringLiteral("https"))) {
        out.transportError = LlmError::Kind::Configuration;
        co_return out;
    }

    QNetworkRequest request(spec.url);
    request.setTransferTimeout(std::max(0, spec.idleTimeoutMs));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    bool hasContentType = false;
    for (const auto &[name, value] : spec.headers) {
        request.setRawHeader(name, value);
        hasContentType = hasContentType || name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!spec.body.isEmpty() && !hasContentType)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));

    const std::shared_ptr<Pool::Slot> slot = pool->pick();
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = slot->manager->sendCustomRequest(request, spec.method, spec.body);
    ++slot->inFlight;
    pool->active.push_back(reply);

    auto state = std::make_shared<ExchangeState>();
    // Context of every connection below: destroying it disconnects them all.
    auto context = std::make_unique<QObject>();
    // Aborts are queued: abort() emits finished() at once, which would resume this coroutine
    // inside the slot (or the onChunk callback) that asked for it.
    const auto requestAbort = [state, reply](AbortReason reason) {
        if (state->reason != AbortReason::None)
            return;
        state->reason = reason;
        QMetaObject::invokeMethod(
            reply,
            [reply] {
                if (!reply->isFinished())
                    reply->abort();
            },
            Qt::QueuedConnection);
    };

    if (spec.connectTimeoutMs > 0) {
        auto *timer = new QTimer(context.get());
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, context.get(),
                         [requestAbort] { requestAbort(AbortReason::ConnectTimeout); });
        QObject::connect(reply, &QNetworkReply::requestSent, timer, &QTimer::stop);
        QObject::connect(reply, &QNetworkReply::metaDataChanged, timer, &QTimer::stop);
        timer->start(spec.connectTimeoutMs);
    }
    if (spec.totalTimeoutMs > 0) {
        auto *timer = new QTimer(context.get());
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, context.get(),
                         [requestAbort] { requestAbort(AbortReason::TotalTimeout); });
        timer->start(spec.totalTimeoutMs);
    }
    if (CancelState *cancelState = spec.cancel.state()) {
        QObject::connect(cancelState, &CancelState::cancelled, context.get(),
                         [requestAbort] { requestAbort(AbortReason::Cancelled); });
        if (cancelState->isCancelled())
            requestAbort(AbortReason::Cancelled);
    }
#if QT_CONFIG(ssl)
    QObject::connect(reply, &QNetworkReply::sslErrors, context.get(),
                     [state] { state->sslErrors = true; });
#endif
    auto onChunk =
        std::make_shared<std::function<void(const QByteArray &)>>(std::move(spec.onChunk));
    const auto take = [state, reply, onChunk, requestAbort, clock](const QByteArray &chunk) {
        if (chunk.isEmpty() || state->reason != AbortReason::None)
            return;
        if (state->status == 0)
            state->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (state->firstByteMs < 0)
            state->firstByteMs = clock.elapsed();
        state->bodyBytes += chunk.size();
        if (*onChunk && state->status >= 200 && state->status < 300) {
            try {
                (*onChunk)(chunk);
            } catch (const std::exception &e) {
                state->handlerError = QString::fromUtf8(e.what());
                requestAbort(AbortReason::HandlerFailed);
            } catch (...) {
                state->handlerError = QStringLiteral("unknown exception");
                requestAbort(AbortReason::HandlerFailed);
            }
        } else {
            state->body += chunk;
        }
    };
    QObject::connect(reply, &QNetworkReply::readyRead, context.get(),
                     [reply, take] { take(reply->readAll()); });

    // Start the exchange now. QNetworkAccessManager queues the start of a request as a call on
    // this thread's event queue, behind every event already there: after a burst of finished
    // replies, each new request would wait until the whole burst had been processed, and
    // bursts would never spread out. Only this reply's queued calls are delivered here (no
    // other event, no nested event loop); whatever they signal is handled below.
    QCoreApplication::sendPostedEvents(reply, QEvent::MetaCall);

    const bool finished = co_await qCoro(reply).waitForFinished();
    Q_UNUSED(finished);

    if (reply->isReadable())
        take(reply->readAll());
    context.reset();
    pool->active.removeAll(QPointer<QNetworkReply>(reply));
    pool->active.removeAll(QPointer<QNetworkReply>());
    --slot->inFlight;

    out.latencyMs = clock.elapsed();
    out.status = state->status;
    if (out.status == 0)
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.headers = reply->rawHeaderPairs();
    out.body = std::move(state->body);
    out.bodyBytes = state->bodyBytes;
    out.firstByteMs = state->firstByteMs;
    out.sslErrors = state->sslErrors;
    out.networkError = reply->error();
    out.networkErrorString = reply->errorString();
    out.requestId = QString::fromLatin1(out.header("x-request-id"));
    if (out.requestId.isEmpty())
        out.requestId = QString::fromLatin1(out.header("request-id"));
    out.retryAfterMs = parseRetryAfter(out.header("retry-after-ms"), out.header("retry-after"),
                                       QDateTime::currentDateTimeUtc());
    reply->deleteLater();

    switch (state->reason) {
    case AbortReason::Cancelled:
        out.cancelled = true;
        out.transportError = LlmError::Kind::Cancelled;
        co_return out;
    case AbortReason::ConnectTimeout:
        out.timedOut = HttpTimeout::Connect;
        out.timeoutMs = spec.connectTimeoutMs;
        out.transportError = LlmError::Kind::Timeout;
        co_return out;
    case AbortReason::TotalTimeout:
        out.timedOut = HttpTimeout::Total;
        out.timeoutMs = spec.totalTimeoutMs;
        out.transportError = LlmError::Kind::Timeout;
        co_return out;
    case AbortReason::HandlerFailed:
        out.transportError = LlmError::Kind::Protocol;
        out.networkErrorString =
            QStringLiteral("the stream handler failed: ") % state->handlerError;
        co_return out;
    case AbortReason::None:
        break;
    }
    const QNetworkReply::NetworkError error = out.networkError;
    if (error == QNetworkReply::NoError)
        co_return out;
    if (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError) {
        if (pool->closing) {
            out.cancelled = true;
            out.transportError = LlmError::Kind::Cancelled;
        } else {
            // Nobody here aborted it: Qt's transfer (idle) timeout fired.
            out.timedOut = HttpTimeout::Idle;
            out.timeoutMs = spec.idleTimeoutMs;
            out.transportError = LlmError::Kind::Timeout;
        }
        co_return out;
    }
    if (!isTransportLevel(error) && out.status > 0)
        co_return out; // an HTTP error status: the caller reads the body
    out.transportError = classify(error);
    if (out.sslErrors && out.transportError == LlmError::Kind::Connection)
        out.transportError = LlmError::Kind::Tls;
    if (error == QNetworkReply::ProtocolFailure && out.bodyBytes > 0)
        out.transportError = LlmError::Kind::Connection;
    co_return out;
}

} // namespace crucible
