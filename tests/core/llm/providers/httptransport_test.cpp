#include "core/llm/providers/httptransport.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"

#include <QObject>
#include <QTimer>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

namespace {

TEST(HttpTransportRetryAfter, ReadsMillisecondsSecondsAndDates)
{
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2015-10-21T07:28:00Z"), Qt::ISODate);
    EXPECT_EQ(HttpTransport::parseRetryAfter("1500", "9", now), std::optional<qint64>(1500));
    EXPECT_EQ(HttpTransport::parseRetryAfter("12.2", {}, now), std::optional<qint64>(13));
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "2", now), std::optional<qint64>(2000));
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "0.5", now), std::optional<qint64>(500));
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "Wed, 21 Oct 2015 07:28:30 GMT", now),
              std::optional<qint64>(30'000));
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "Wed, 21 Oct 2015 07:27:00 GMT", now),
              std::optional<qint64>(0))
        << "a date in the past means now";
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "-3", now), std::optional<qint64>(0));
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, "soon", now), std::nullopt);
    EXPECT_EQ(HttpTransport::parseRetryAfter({}, {}, now), std::nullopt);
}

TEST(HttpTransportPool, ManagersCoverTheConcurrencyAtSixPerManager)
{
    EXPECT_EQ(HttpTransport(1).maxManagers(), 1);
    EXPECT_EQ(HttpTransport(6).maxManagers(), 1);
    EXPECT_EQ(HttpTransport(7).maxManagers(), 2);
    EXPECT_EQ(HttpTransport(32).maxManagers(), 6);
    HttpTransport lazy(32);
    EXPECT_EQ(lazy.managerCount(), 0) << "managers are created when needed";
}

TEST(HttpTransportErrors, NetworkErrorsMapToLlmErrorKinds)
{
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::HostNotFoundError), LlmError::Kind::Dns);
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::SslHandshakeFailedError), LlmError::Kind::Tls);
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::TimeoutError), LlmError::Kind::Timeout);
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::ConnectionRefusedError),
              LlmError::Kind::Connection);
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::RemoteHostClosedError),
              LlmError::Kind::Connection);
    EXPECT_EQ(HttpTransport::classify(QNetworkReply::OperationCanceledError),
              LlmError::Kind::Cancelled);
}

class HttpTransportTest : public ::testing::Test
{
protected:
    HttpRequestSpec get(const QString &path) const
    {
        HttpRequestSpec spec;
        spec.url = m_server.url(path);
        spec.connectTimeoutMs = 5'000;
        spec.idleTimeoutMs = 10'000;
        spec.totalTimeoutMs = 30'000;
        return spec;
    }

    LlmTestServer m_server;
    HttpTransport m_transport{4};
};

TEST_F(HttpTransportTest, ReturnsStatusHeadersAndBody)
{
    const HttpResponse r = await(m_transport.send(get(QStringLiteral("/v1/models"))));
    EXPECT_TRUE(r.completed());
    EXPECT_TRUE(r.success());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.requestId, QStringLiteral("req_test_1"));
    EXPECT_TRUE(r.body.contains("test-model"));
    EXPECT_EQ(r.bodyBytes, r.body.size());
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(m_transport.inFlight(), 0);
}

TEST_F(HttpTransportTest, HttpErrorStatusIsACompletedResponse)
{
    const HttpResponse r = await(m_transport.send(get(QStringLiteral("/nowhere"))));
    EXPECT_TRUE(r.completed()) << "an error status is an answer, not a transport failure";
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(r.body.contains("unknown_url"));
    const LlmError e = httpStatusError(r, QStringLiteral("p"), {}, false, {});
    EXPECT_EQ(e.kind, LlmError::Kind::Http);
    EXPECT_TRUE(e.message.contains(m_server.url(QStringLiteral("/nowhere")).toString()));
}

TEST_F(HttpTransportTest, ChunksOfASuccessfulAnswerGoToTheCallback)
{
    HttpRequestSpec spec = get(QStringLiteral("/v1/models"));
    QByteArray streamed;
    spec.onChunk = [&streamed](const QByteArray &chunk) { streamed += chunk; };
    const HttpResponse r = await(m_transport.send(std::move(spec)));
    EXPECT_TRUE(r.success());
    EXPECT_TRUE(r.body.isEmpty());
    EXPECT_TRUE(streamed.contains("test-model"));
    EXPECT_EQ(r.bodyBytes, streamed.size());
}

TEST_F(HttpTransportTest, RefusedConnection)
{
    HttpRequestSpec spec;
    spec.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(closedPort()));
    const HttpResponse r = await(m_transport.send(std::move(spec)));
    EXPECT_EQ(r.transportError, LlmError::Kind::Connection);
    EXPECT_EQ(r.networkError, QNetworkReply::ConnectionRefusedError);
    const LlmError e = r.toError(QStringLiteral("local"));
    EXPECT_TRUE(e.message.contains(QStringLiteral("connection refused")));
    EXPECT_FALSE(e.midStream);
}

TEST_F(HttpTransportTest, TotalTimeout)
{
    m_server.setLatencyMs(10'000);
    HttpRequestSpec spec = get(QStringLiteral("/v1/models"));
    spec.totalTimeoutMs = 200;
    const HttpResponse r = await(m_transport.send(std::move(spec)));
    EXPECT_EQ(r.transportError, LlmError::Kind::Timeout);
    EXPECT_EQ(r.timedOut, HttpTimeout::Total);
    EXPECT_TRUE(r.toError(QStringLiteral("p")).message.contains(QStringLiteral("200 ms")));
}

TEST_F(HttpTransportTest, IdleTimeoutBeforeTheHeaders)
{
    m_server.setLatencyMs(10'000);
    HttpRequestSpec spec = get(QStringLiteral("/v1/models"));
    spec.idleTimeoutMs = 200;
    const HttpResponse r = await(m_transport.send(std::move(spec)));
    EXPECT_EQ(r.transportError, LlmError::Kind::Timeout);
    EXPECT_EQ(r.timedOut, HttpTimeout::Idle);
}

TEST_F(HttpTransportTest, CancelAbortsTheRequest)
{
    m_server.setLatencyMs(10'000);
    CancelSource source;
    HttpRequestSpec spec = get(QStringLiteral("/v1/models"));
    spec.cancel = source.token();
    QObject context;
    // Cancel once the server holds the request; it would answer 10 s later.
    QObject::connect(&m_server, &LlmTestServer::requestReceived, &context,
                     [&source] { source.cancel(); });
    const HttpResponse r = await(m_transport.send(std::move(spec)));
    EXPECT_TRUE(r.cancelled);
    EXPECT_EQ(r.transportError, LlmError::Kind::Cancelled);
    EXPECT_EQ(m_server.stats().totalRequests, 1) << "the request reached the server";
    EXPECT_EQ(r.status, 0) << "the call ended without waiting for the server's answer";
    EXPECT_TRUE(r.body.isEmpty());
}

TEST_F(HttpTransportTest, DestroyingTheTransportFinishesCallsInFlight)
{
    m_server.setLatencyMs(10'000);
    auto transport = std::make_unique<HttpTransport>(2);
    auto task = transport->send(get(QStringLiteral("/v1/models")));
    QObject context;
    QTimer::singleShot(100, &context, [&transport] { transport.reset(); });
    const HttpResponse r = await(std::move(task));
    EXPECT_TRUE(r.cancelled) << "aborted, not deleted: the awaiting coroutine resumed";
}

TEST(HttpTransportDns, UnknownHostIsADnsError)
{
    HttpTransport transport;
    HttpRequestSpec spec;
    spec.url = QUrl(QStringLiteral("http://nonexistent.invalid/v1/models"));
    spec.connectTimeoutMs = 10'000;
    const HttpResponse r = await(transport.send(std::move(spec)));
    EXPECT_EQ(r.transportError, LlmError::Kind::Dns) << r.networkErrorString.toStdString();
    EXPECT_TRUE(
        r.toError(QStringLiteral("p")).message.contains(QStringLiteral("nonexistent.invalid")));
}

} // namespace
