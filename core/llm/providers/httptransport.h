#pragma once
// HttpTransport: one HTTP exchange per call, awaited from a coroutine, over a small pool of
// QNetworkAccessManagers sized so that `concurrency` requests to one host never queue behind
// Qt 6.4's 6-connections-per-host-per-manager limit. Use from the thread that created it.

#include "core/llm/cancellation.h"
#include "core/llm/llmerror.h"

#include <QByteArray>
#include <QCoro/QCoroTask>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace crucible {

using RawHeaders = std::vector<std::pair<QByteArray, QByteArray>>;

struct HttpRequestSpec
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    RawHeaders headers; // sent as given; credentials belong here, never in the URL
    QByteArray body;
    int connectTimeoutMs = 10'000; // from send until the request is written; 0 = off
    int idleTimeoutMs = 120'000;   // Qt's transfer timeout: no byte for this long; 0 = off
    int totalTimeoutMs = 0;        // the whole exchange; 0 = off
    CancelToken cancel;
    // Called with each body chunk of a 2xx response as it arrives (on the transport's thread);
    // such chunks are not kept in HttpResponse::body. Error bodies are always collected.
    std::function<void(const QByteArray &chunk)> onChunk;
};

enum class HttpTimeout { None, Connect, Idle, Total };

struct HttpResponse
{
    QByteArray method;
    QUrl url;
    int status = 0; // 0 when no response head arrived
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray body;                    // without the chunks handed to onChunk
    QString requestId;                  // x-request-id / request-id header
    std::optional<qint64> retryAfterMs; // retry-after-ms, retry-after (seconds or HTTP-date)
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorString;
    bool sslErrors = false; // the TLS layer reported certificate errors
    HttpTimeout timedOut = HttpTimeout::None;
    int timeoutMs = 0; // the limit that fired
    bool cancelled = false;
    qint64 bodyBytes = 0;    // body bytes received, streamed ones included
    qint64 latencyMs = 0;    // from send to the last byte (or the failure)
    qint64 firstByteMs = -1; // from send to the first body byte; -1 if none
    // None when a complete HTTP response arrived (whatever its status); otherwise why not.
    LlmError::Kind transportError = LlmError::Kind::None;

    bool completed() const { return transportError == LlmError::Kind::None; }
    bool success() const { return completed() && status >= 200 && status < 300; }
    QByteArray header(QByteArrayView name) const;
    // The transport failure as an LlmError: kind, a message naming the host and URL and what to
    // do, midStream when body bytes had arrived. Kind None when completed().
    LlmError toError(const QString &provider, const QString &model = {}) const;
};

// The error for a completed response with a non-2xx status: kind Http, status, request id,
// retry-after, and a message saying what to do. `keyEnvVar` names where a key may come from.
// The caller fills providerMessage / providerCode from the body.
LlmError httpStatusError(const HttpResponse &response, const QString &provider,
                         const QString &model, bool keySent, const QString &keyEnvVar);

class HttpTransport final
{
public:
    static constexpr int ConnectionsPerManager = 6; // Qt 6.4, HTTP/1.1, per host and port

    explicit HttpTransport(int concurrency = ConnectionsPerManager);
    // Aborts the requests still in flight: their send() calls finish as cancelled.
    ~HttpTransport();
    HttpTransport(const HttpTransport &) = delete;
    HttpTransport &operator=(const HttpTransport &) = delete;

    // One exchange. Never throws; failures are described in the response.
    QCoro::Task<HttpResponse> send(HttpRequestSpec request);

    int maxManagers() const;  // ceil(concurrency / 6)
    int managerCount() const; // managers created so far (lazily, up to maxManagers())
    int inFlight() const;

    // retry-after-ms first, then retry-after in seconds (fractions allowed) or as an HTTP-date
    // relative to `now`. Negative values become 0.
    static std::optional<qint64> parseRetryAfter(const QByteArray &retryAfterMs,
                                                 const QByteArray &retryAfter,
                                                 const QDateTime &now);
    static LlmError::Kind classify(QNetworkReply::NetworkError error);

private:
    struct Pool;
    std::shared_ptr<Pool> m_pool; // shared with the coroutines in flight
};

} // namespace crucible
