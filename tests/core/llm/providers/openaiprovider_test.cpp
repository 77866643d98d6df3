#include "core/llm/providers/openaiprovider.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"
#include "tests/support/llmtestserverthread.h"

#include <QTimer>
#include <gtest/gtest.h>

#include <iostream>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;
using Route = LlmTestServer::Route;

namespace {

const QString Key = QStringLiteral("sk-test-0123456789abcdef");

class OpenAiProviderTest : public ::testing::Test
{
protected:
    ProviderConfig config() const
    {
        return testConfig(ProviderType::OpenAiCompatible, m_server.openAiBaseUrl());
    }

    ChatResult chat(OpenAiProvider &provider, ChatRequest request, ChatCallOptions options = {})
    {
        return await(provider.chat(std::move(request), std::move(options)));
    }

    ChatRequest streamed(const QString &prompt) const
    {
        ChatRequest r = ChatRequest::simple(prompt);
        r.stream = true;
        return r;
    }

    json lastBody() const
    {
        const auto last = m_server.lastRequest();
        return last ? last->json() : json();
    }

    LlmTestServer m_server;
};

TEST_F(OpenAiProviderTest, NonStreamingAnswerWithUsage)
{
    OpenAiProvider provider(config(), {});
    const ChatResult result = chat(
        provider, ChatRequest::simple(QStringLiteral("Say hello"), QStringLiteral("Be brief.")));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    const ChatResponse &r = *result.response;
    EXPECT_EQ(r.text, QStringLiteral("This is the test server's answer to: Say hello"));
    EXPECT_EQ(r.finishReason, FinishReason::Stop);
    EXPECT_EQ(r.rawFinishReason, QStringLiteral("stop"));
    EXPECT_EQ(r.model, QStringLiteral("test-model"));
    EXPECT_EQ(r.httpStatus, 200);
    EXPECT_EQ(r.requestId, QStringLiteral("req_test_1"));
    EXPECT_TRUE(r.usage.reported);
    EXPECT_GT(r.usage.inputTokens, 0);
    EXPECT_EQ(r.usage.outputTokens, (r.text.size() + 3) / 4);

    const json body = lastBody();
    EXPECT_EQ(body["model"], "test-model");
    ASSERT_EQ(body["messages"].size(), 2u);
    EXPECT_EQ(body["messages"][0], json({{"role", "system"}, {"content", "Be brief."}}));
    EXPECT_EQ(body["messages"][1], json({{"role", "user"}, {"content", "Say hello"}}));
    EXPECT_FALSE(body.contains("temperature")) << "unset options are not sent";
    EXPECT_FALSE(body.contains("max_tokens"));
    EXPECT_FALSE(body.contains("stream"));
    EXPECT_FALSE(body.contains("response_format"));
}

TEST_F(OpenAiProviderTest, ConfigDefaultsApplyWhenTheRequestLeavesOptionsUnset)
{
    ProviderConfig c = config();
    c.temperature = 0.25;
    c.maxTokens = 300;
    OpenAiProvider provider(c, {});
    ChatRequest request = ChatRequest::simple(QStringLiteral("hi"));
    request.temperature = 0.75;
    EXPECT_EQ(provider.requestBody(request)["temperature"], 0.75) << "the request wins";
    EXPECT_EQ(provider.requestBody(request)["max_tokens"], 300) << "the config fills the gap";
    request.model = QStringLiteral("other-model");
    EXPECT_EQ(provider.requestBody(request)["model"], "other-model");
}

TEST_F(OpenAiProviderTest, JsonSchemaUsesResponseFormat)
{
    OpenAiProvider provider(config(), {});
    ChatRequest request = ChatRequest::simple(QStringLiteral("Give me a person"));
    request.format = ResponseFormat::JsonSchema;
    request.schemaName = QStringLiteral("person record");
    request.schema = {
        {"type", "object"},
        {"properties", {{"name", {{"type", "string"}}}, {"age", {{"type", "integer"}}}}},
        {"required", {"name", "age"}}};
    const ChatResult result = chat(provider, request);
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    const json answer = json::parse(result.response->text.toStdString());
    EXPECT_TRUE(answer.contains("name") && answer.contains("age"));
    const json format = lastBody()["response_format"];
    EXPECT_EQ(format["type"], "json_schema");
    EXPECT_EQ(format["json_schema"]["name"], "person_record");
    EXPECT_EQ(format["json_schema"]["strict"], false);
    EXPECT_EQ(format["json_schema"]["schema"], request.schema);

    request.format = ResponseFormat::JsonObject;
    EXPECT_EQ(provider.requestBody(request)["response_format"], json({{"type", "json_object"}}));
}

TEST_F(OpenAiProviderTest, StreamingDeliversDeltasAndUsage)
{
    m_server.setStreamChunks(4);
    OpenAiProvider provider(config(), {});
    QStringList deltas;
    ChatCallOptions options;
    options.onDelta = [&deltas](const QString &d) { deltas << d; };
    const ChatResult result =
        chat(provider, streamed(QStringLiteral("Stream this answer")), options);
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.response->text,
              QStringLiteral("This is the test server's answer to: Stream this answer"));
    EXPECT_EQ(deltas.size(), 4);
    EXPECT_EQ(deltas.join(QString()), result.response->text);
    EXPECT_TRUE(result.response->usage.reported) << "include_usage gives the usage chunk";
    EXPECT_EQ(result.response->usage.outputTokens, (result.response->text.size() + 3) / 4);
    EXPECT_EQ(result.response->finishReason, FinishReason::Stop);
    EXPECT_TRUE(result.partialText.isEmpty());
    const json body = lastBody();
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["stream_options"], json({{"include_usage", true}}));
}

TEST_F(OpenAiProviderTest, NoAuthorizationHeaderWithoutAKey)
{
    OpenAiProvider provider(config(), {});
    ASSERT_TRUE(chat(provider, ChatRequest::simple(QStringLiteral("hi"))).ok());
    ASSERT_TRUE(await(provider.listModels({})).ok());
    EXPECT_FALSE(m_server.stats().sawAuthorization);
}

TEST_F(OpenAiProviderTest, BearerKeyAndExtraHeadersAreSent)
{
    m_server.setApiKey(Key.toUtf8());
    ProviderConfig c = config();
    c.extraHeaders.push_back({QStringLiteral("X-Title"), QStringLiteral("Crucible")});
    OpenAiProvider provider(c, Key);
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    const auto last = m_server.lastRequest();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->http.header("authorization"), "Bearer " + Key.toUtf8());
    EXPECT_EQ(last->http.header("x-title"), "Crucible");
}

TEST_F(OpenAiProviderTest, WrongKeyIsAnAuthErrorThatNeverShowsTheKey)
{
    m_server.setApiKey(QByteArrayLiteral("sk-the-right-key-000000"));
    OpenAiProvider provider(config(), Key);
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Http);
    EXPECT_EQ(result.error.httpStatus, 401);
    EXPECT_FALSE(result.error.retryable());
    EXPECT_EQ(result.error.providerCode, QStringLiteral("invalid_api_key"));
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("API key")));
    EXPECT_FALSE(result.error.describe().contains(Key));
    EXPECT_FALSE(result.error.describe().contains(QStringLiteral("0123456789abcdef")));

    OpenAiProvider keyless(config(), {});
    const ChatResult missing = chat(keyless, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(missing.error.httpStatus, 401);
    EXPECT_TRUE(missing.error.message.contains(QStringLiteral("none was sent")))
        << missing.error.message.toStdString();
}

TEST_F(OpenAiProviderTest, RateLimitReadsRetryAfterFromBothHeaders)
{
    OpenAiProvider provider(config(), {});
    m_server.pushFault(Fault::RateLimited{.retryAfterSeconds = 2, .retryAfterMs = 1500});
    m_server.pushFault(Fault::RateLimited{.retryAfterSeconds = 3, .retryAfterMs = -1});
    const ChatResult first = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    ASSERT_EQ(first.error.kind, LlmError::Kind::Http);
    EXPECT_EQ(first.error.httpStatus, 429);
    EXPECT_TRUE(first.error.retryable());
    EXPECT_EQ(first.error.retryAfterMs, std::optional<qint64>(1500)) << "retry-after-ms wins";
    EXPECT_EQ(first.error.providerCode, QStringLiteral("rate_limit_exceeded"));
    EXPECT_TRUE(first.error.providerMessage.contains(QStringLiteral("Rate limit reached")));
    EXPECT_FALSE(first.error.requestId.isEmpty());
    const ChatResult second = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(second.error.retryAfterMs, std::optional<qint64>(3000));
}

TEST_F(OpenAiProviderTest, ServerErrorsAreRetryableHttpErrors)
{
    OpenAiProvider provider(config(), {});
    for (const int status : {500, 503}) {
        m_server.pushFault(Fault::ServerError{status});
        const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
        EXPECT_EQ(result.error.kind, LlmError::Kind::Http) << status;
        EXPECT_EQ(result.error.httpStatus, status);
        EXPECT_TRUE(result.error.retryable()) << status;
        EXPECT_FALSE(result.error.providerMessage.isEmpty());
        EXPECT_TRUE(result.error.message.contains(QStringLiteral("server error")));
    }
}

TEST_F(OpenAiProviderTest, DroppedConnectionIsAConnectionError)
{
    OpenAiProvider provider(config(), {});
    // Qt resends once when a connection closes before any response byte.
    m_server.pushFault(Fault::DropConnection{}, 5);
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(result.error.kind, LlmError::Kind::Connection)
        << result.error.describe().toStdString();
    EXPECT_FALSE(result.error.midStream);
    EXPECT_TRUE(result.error.retryable());
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("127.0.0.1")));
}

TEST_F(OpenAiProviderTest, DropMidStreamKeepsThePartialText)
{
    m_server.setStreamChunks(4);
    m_server.pushFault(Fault::DropMidStream{.afterChunks = 2});
    OpenAiProvider provider(config(), {});
    QString streamedText;
    ChatCallOptions options;
    options.onDelta = [&streamedText](const QString &d) { streamedText += d; };
    const ChatResult result = chat(provider, streamed(QStringLiteral("Drop me halfway")), options);
    EXPECT_EQ(result.error.kind, LlmError::Kind::Connection)
        << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.midStream);
    EXPECT_FALSE(result.partialText.isEmpty());
    EXPECT_EQ(result.partialText, streamedText);
    EXPECT_TRUE(QStringLiteral("This is the test server's answer to: Drop me halfway")
                    .startsWith(result.partialText));
}

TEST_F(OpenAiProviderTest, DropMidBodyOfANonStreamingAnswer)
{
    m_server.pushFault(Fault::DropMidStream{});
    OpenAiProvider provider(config(), {});
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(result.error.kind, LlmError::Kind::Connection)
        << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.midStream);
}

TEST_F(OpenAiProviderTest, StalledStreamHitsTheIdleTimeout)
{
    m_server.pushFault(Fault::StallMidStream{.afterChunks = 1, .ms = 30'000});
    ProviderConfig c = config();
    c.streamIdleTimeoutMs = 300;
    OpenAiProvider provider(c, {});
    const ChatResult result = chat(provider, streamed(QStringLiteral("Stall after one piece")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Timeout) << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.midStream);
    EXPECT_FALSE(result.partialText.isEmpty());
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("stream-idle timeout")));
}

TEST_F(OpenAiProviderTest, ErrorEventInTheStreamIsARetryableProtocolError)
{
    m_server.pushFault(Fault::ErrorInStream{.afterChunks = 1});
    OpenAiProvider provider(config(), {});
    const ChatResult result = chat(provider, streamed(QStringLiteral("Fail in the middle")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Protocol) << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.retryable());
    EXPECT_TRUE(result.error.providerMessage.contains(QStringLiteral("server had an error")));
    EXPECT_EQ(result.error.providerCode, QStringLiteral("server_error"));
    EXPECT_FALSE(result.partialText.isEmpty());
}

TEST_F(OpenAiProviderTest, TruncatedAnswerReportsLength)
{
    OpenAiProvider provider(config(), {});
    m_server.pushFault(Fault::Truncated{}, 2);
    const ChatResult plain = chat(provider, ChatRequest::simple(QStringLiteral("A long question")));
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.response->finishReason, FinishReason::Length);
    EXPECT_TRUE(plain.response->truncated());
    const ChatResult stream = chat(provider, streamed(QStringLiteral("A long question")));
    ASSERT_TRUE(stream.ok());
    EXPECT_EQ(stream.response->finishReason, FinishReason::Length);
    EXPECT_EQ(stream.response->rawFinishReason, QStringLiteral("length"));
}

TEST_F(OpenAiProviderTest, CancellingMidStreamEndsTheCallAtOnce)
{
    m_server.setLatencyMs(20'000); // spread over the stream: 5 s between pieces
    m_server.setStreamChunks(4);
    OpenAiProvider provider(config(), {});
    CancelSource source;
    ChatCallOptions options;
    options.cancel = source.token();
    QStringList deltas;
    options.onDelta = [&](const QString &d) {
        deltas << d;
        source.cancel();
    };
    // The role chunk arrives at once, the first content piece after 5 s; cancel before that.
    QObject context;
    QTimer::singleShot(200, &context, [&source] { source.cancel(); });
    const ChatResult result = chat(provider, streamed(QStringLiteral("Cancel me")), options);
    EXPECT_EQ(result.error.kind, LlmError::Kind::Cancelled)
        << result.error.describe().toStdString();
    EXPECT_FALSE(result.error.retryable());
    EXPECT_TRUE(deltas.isEmpty()) << "the call ended without waiting for the server";
}

TEST_F(OpenAiProviderTest, CancellingFromInsideTheDeltaCallbackStopsDeltas)
{
    m_server.setStreamChunks(4); // no latency: the pieces may all arrive in one read
    OpenAiProvider provider(config(), {});
    CancelSource source;
    ChatCallOptions options;
    options.cancel = source.token();
    int calls = 0;
    options.onDelta = [&](const QString &) {
        ++calls;
        source.cancel();
    };
    const ChatResult result = chat(provider, streamed(QStringLiteral("Cancel me")), options);
    EXPECT_EQ(result.error.kind, LlmError::Kind::Cancelled)
        << result.error.describe().toStdString();
    EXPECT_EQ(calls, 1) << "no delta after the cancel";
}

TEST_F(OpenAiProviderTest, CancelledBeforeSendingSendsNothing)
{
    OpenAiProvider provider(config(), {});
    CancelSource source;
    source.cancel();
    ChatCallOptions options;
    options.cancel = source.token();
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")), options);
    EXPECT_EQ(result.error.kind, LlmError::Kind::Cancelled);
    EXPECT_EQ(m_server.stats().totalRequests, 0);
}

TEST_F(OpenAiProviderTest, ListModelsIsSortedAndUnique)
{
    m_server.setModels({QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("zeta")});
    OpenAiProvider provider(config(), {});
    const ModelsResult result = await(provider.listModels({}));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.models, QStringList({QStringLiteral("alpha"), QStringLiteral("zeta")}));
    EXPECT_EQ(m_server.stats().routeCount(Route::OpenAiModels), 1);
}

TEST_F(OpenAiProviderTest, WrongBaseUrlIsA404ThatNamesTheUrl)
{
    ProviderConfig c = config();
    c.baseUrl = m_server.url(QStringLiteral("/nothing/here/v1")).toString();
    OpenAiProvider provider(c, {});
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Http);
    EXPECT_EQ(result.error.httpStatus, 404);
    EXPECT_FALSE(result.error.retryable());
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("/nothing/here/v1/chat/completions")))
        << result.error.message.toStdString();
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("test-model")));
    EXPECT_EQ(result.error.providerCode, QStringLiteral("unknown_url"));
}

TEST_F(OpenAiProviderTest, AzureUsesApiKeyHeaderDeploymentPathAndApiVersion)
{
    ProviderConfig c =
        ProviderConfig::fromPreset(ProviderPreset::AzureOpenAi, QStringLiteral("az"));
    c.baseUrl = m_server.baseUrl().toString();
    c.azureDeployment = QStringLiteral("my-deployment");
    OpenAiProvider provider(c, Key);
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    // The test server has no Azure routes: a 404, but the request shows what was sent.
    EXPECT_EQ(result.error.httpStatus, 404);
    const auto last = m_server.lastRequest();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->http.path, "/openai/deployments/my-deployment/chat/completions");
    EXPECT_TRUE(last->http.target.contains("api-version=2024-10-21"));
    EXPECT_EQ(last->http.header("api-key"), Key.toUtf8());
    EXPECT_FALSE(last->http.hasHeader("authorization"));
    EXPECT_EQ(last->json()["model"], "my-deployment");
}

TEST_F(OpenAiProviderTest, MissingModelIsAConfigurationError)
{
    ProviderConfig c = config();
    c.defaultModel.clear();
    OpenAiProvider provider(c, {});
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(result.error.kind, LlmError::Kind::Configuration);
    EXPECT_EQ(m_server.stats().totalRequests, 0);
}

// Qt 6.4 opens at most 6 connections per host per manager: the pool must keep 32 requests
// concurrent. The server runs on its own thread so that it never waits for the client.
TEST(OpenAiProviderPool, ThirtyTwoRequestsStayConcurrent)
{
    LlmTestServerThread thread;
    LlmTestServer &server = thread.server();
    server.setLatencyMs(300);
    ProviderConfig c = testConfig(ProviderType::OpenAiCompatible, server.openAiBaseUrl());
    c.concurrency = 32;
    auto transport = std::make_shared<HttpTransport>(c.concurrency);
    OpenAiProvider provider(c, {}, transport);
    EXPECT_EQ(transport->maxManagers(), 6);

    auto all = [&provider]() -> QCoro::Task<int> {
        std::vector<QCoro::Task<ChatResult>> calls;
        for (int i = 0; i < 32; ++i)
            calls.push_back(
                provider.chat(ChatRequest::simple(QStringLiteral("request %1").arg(i)), {}));
        int ok = 0;
        for (auto &call : calls) {
            const ChatResult result = co_await std::move(call);
            ok += result.ok() ? 1 : 0;
        }
        co_return ok;
    };
    // The wall time of these 32 requests is measured by tests/bench/llmcancel_bench.
    const int ok = await(all());
    EXPECT_EQ(ok, 32);
    EXPECT_GE(server.stats().maxInFlight, 30);
    EXPECT_EQ(transport->managerCount(), 6);
    EXPECT_EQ(transport->inFlight(), 0);
}

} // namespace
