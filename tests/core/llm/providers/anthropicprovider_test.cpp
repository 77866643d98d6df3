#include "core/llm/providers/anthropicprovider.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"

#include <QObject>
#include <QTimer>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;
using Route = LlmTestServer::Route;

namespace {

const QString Key = QStringLiteral("sk-ant-test-0123456789abcdef");

class AnthropicProviderTest : public ::testing::Test
{
protected:
    ProviderConfig config() const
    {
        return testConfig(ProviderType::Anthropic, m_server.baseUrl());
    }

    ChatResult chat(AnthropicProvider &provider, ChatRequest request, ChatCallOptions options = {})
    {
        return await(provider.chat(std::move(request), std::move(options)));
    }

    static ChatRequest streamed(const QString &prompt)
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

TEST_F(AnthropicProviderTest, NonStreamingAnswerWithUsage)
{
    AnthropicProvider provider(config(), {});
    const ChatResult result = chat(
        provider, ChatRequest::simple(QStringLiteral("Say hello"), QStringLiteral("Be brief.")));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    const ChatResponse &r = *result.response;
    EXPECT_EQ(r.text, QStringLiteral("This is the test server's answer to: Say hello"));
    EXPECT_EQ(r.finishReason, FinishReason::Stop);
    EXPECT_EQ(r.rawFinishReason, QStringLiteral("end_turn"));
    EXPECT_TRUE(r.usage.reported);
    EXPECT_GT(r.usage.inputTokens, 0);
    EXPECT_EQ(r.usage.outputTokens, (r.text.size() + 3) / 4);
    EXPECT_EQ(r.requestId, QStringLiteral("req_test_1"));
    EXPECT_EQ(m_server.stats().routeCount(Route::AnthropicMessages), 1);

    const auto last = m_server.lastRequest();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->http.header("anthropic-version"), "2023-06-01");
    const json body = last->json();
    EXPECT_EQ(body["system"], "Be brief.") << "system is a top-level field";
    ASSERT_EQ(body["messages"].size(), 1u);
    EXPECT_EQ(body["messages"][0], json({{"role", "user"}, {"content", "Say hello"}}));
    EXPECT_EQ(body["max_tokens"], 4096) << "max_tokens is required by the API";
    EXPECT_FALSE(body.contains("temperature"));
}

TEST_F(AnthropicProviderTest, MaxTokensComesFromTheRequestThenTheConfig)
{
    ProviderConfig c = config();
    c.maxTokens = 900;
    AnthropicProvider provider(c, {});
    ChatRequest request = ChatRequest::simple(QStringLiteral("hi"));
    EXPECT_EQ(provider.requestBody(request)["max_tokens"], 900);
    request.maxTokens = 50;
    request.temperature = 0.5;
    EXPECT_EQ(provider.requestBody(request)["max_tokens"], 50);
    EXPECT_EQ(provider.requestBody(request)["temperature"], 0.5);
}

TEST_F(AnthropicProviderTest, PromptModePutsTheJsonSchemaIntoTheSystemPrompt)
{
    ProviderConfig c = config();
    c.structuredOutput = StructuredMode::Prompt;
    AnthropicProvider provider(c, {});
    ChatRequest request = ChatRequest::simple(QStringLiteral("Give me a person"),
                                              QStringLiteral("You write test data."));
    request.format = ResponseFormat::JsonSchema;
    request.schema = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}};
    const json body = provider.requestBody(request);
    const QString system = QString::fromStdString(body["system"].get<std::string>());
    EXPECT_TRUE(system.startsWith(QStringLiteral("You write test data.")));
    EXPECT_TRUE(system.contains(QStringLiteral("JSON Schema")));
    EXPECT_TRUE(system.contains(QStringLiteral("\"name\"")));
    EXPECT_FALSE(body.contains("response_format"));
    EXPECT_FALSE(body.contains("tools"));
    EXPECT_FALSE(body.contains("tool_choice"));
    request.format = ResponseFormat::JsonObject;
    EXPECT_TRUE(QString::fromStdString(provider.requestBody(request)["system"].get<std::string>())
                    .contains(QStringLiteral("single JSON object")));
}

TEST_F(AnthropicProviderTest, StreamingDeliversDeltasAndUsage)
{
    m_server.setStreamChunks(3);
    AnthropicProvider provider(config(), {});
    QStringList deltas;
    ChatCallOptions options;
    options.onDelta = [&deltas](const QString &d) { deltas << d; };
    const ChatResult result =
        chat(provider, streamed(QStringLiteral("Stream this answer")), options);
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.response->text,
              QStringLiteral("This is the test server's answer to: Stream this answer"));
    EXPECT_EQ(deltas.size(), 3);
    EXPECT_EQ(deltas.join(QString()), result.response->text);
    EXPECT_TRUE(result.response->usage.reported);
    EXPECT_GT(result.response->usage.inputTokens, 0) << "from message_start";
    EXPECT_EQ(result.response->usage.outputTokens, (result.response->text.size() + 3) / 4)
        << "from message_delta";
    EXPECT_EQ(result.response->rawFinishReason, QStringLiteral("end_turn"));
    EXPECT_EQ(lastBody()["stream"], true);
}

TEST_F(AnthropicProviderTest, ApiKeyHeaderOnlyWhenAKeyIsSet)
{
    AnthropicProvider keyless(config(), {});
    ASSERT_TRUE(chat(keyless, ChatRequest::simple(QStringLiteral("hi"))).ok());
    EXPECT_FALSE(m_server.stats().sawApiKey);
    EXPECT_FALSE(m_server.stats().sawAuthorization);

    m_server.setApiKey(Key.toUtf8());
    AnthropicProvider provider(config(), Key);
    ASSERT_TRUE(chat(provider, ChatRequest::simple(QStringLiteral("hi"))).ok());
    EXPECT_EQ(m_server.lastRequest()->http.header("x-api-key"), Key.toUtf8());
    EXPECT_FALSE(m_server.stats().sawAuthorization);
}

TEST_F(AnthropicProviderTest, WrongKeyIsAnAuthErrorThatNeverShowsTheKey)
{
    m_server.setApiKey(QByteArrayLiteral("sk-ant-the-right-one-0000"));
    AnthropicProvider provider(config(), Key);
    const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Http);
    EXPECT_EQ(result.error.httpStatus, 401);
    EXPECT_EQ(result.error.providerCode, QStringLiteral("authentication_error"));
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("ANTHROPIC_API_KEY")))
        << result.error.message.toStdString();
    EXPECT_FALSE(result.error.describe().contains(Key));
}

TEST_F(AnthropicProviderTest, RateLimitAndOverloadAreRetryable)
{
    AnthropicProvider provider(config(), {});
    m_server.pushFault(Fault::RateLimited{.retryAfterSeconds = 7, .retryAfterMs = -1});
    const ChatResult limited = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(limited.error.httpStatus, 429);
    EXPECT_EQ(limited.error.retryAfterMs, std::optional<qint64>(7000));
    EXPECT_EQ(limited.error.providerCode, QStringLiteral("rate_limit_error"));
    EXPECT_TRUE(limited.error.retryable());

    for (const int status : {500, 529}) {
        m_server.pushFault(Fault::ServerError{status});
        const ChatResult result = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
        EXPECT_EQ(result.error.kind, LlmError::Kind::Http) << status;
        EXPECT_EQ(result.error.httpStatus, status);
        EXPECT_TRUE(result.error.retryable()) << status;
    }
    m_server.pushFault(Fault::ServerError{529});
    const ChatResult overloaded = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(overloaded.error.providerCode, QStringLiteral("overloaded_error"));
    EXPECT_EQ(overloaded.error.providerMessage, QStringLiteral("Overloaded"));
}

TEST_F(AnthropicProviderTest, ErrorEventIsARetryableProtocolError)
{
    m_server.pushFault(Fault::ErrorInStream{.afterChunks = 1});
    AnthropicProvider provider(config(), {});
    const ChatResult result = chat(provider, streamed(QStringLiteral("Overload me")));
    ASSERT_EQ(result.error.kind, LlmError::Kind::Protocol) << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.retryable());
    EXPECT_EQ(result.error.providerCode, QStringLiteral("overloaded_error"));
    EXPECT_EQ(result.error.providerMessage, QStringLiteral("Overloaded"));
    EXPECT_TRUE(result.error.midStream);
    EXPECT_FALSE(result.partialText.isEmpty());
}

TEST_F(AnthropicProviderTest, DropMidStreamKeepsThePartialText)
{
    m_server.setStreamChunks(4);
    m_server.pushFault(Fault::DropMidStream{.afterChunks = 2});
    AnthropicProvider provider(config(), {});
    const ChatResult result = chat(provider, streamed(QStringLiteral("Drop me halfway")));
    EXPECT_EQ(result.error.kind, LlmError::Kind::Connection)
        << result.error.describe().toStdString();
    EXPECT_TRUE(result.error.midStream);
    EXPECT_TRUE(QStringLiteral("This is the test server's answer to: Drop me halfway")
                    .startsWith(result.partialText));
    EXPECT_FALSE(result.partialText.isEmpty());
}

TEST_F(AnthropicProviderTest, DroppedConnectionAndStall)
{
    AnthropicProvider provider(config(), {});
    m_server.pushFault(Fault::DropConnection{}, 5);
    const ChatResult dropped = chat(provider, ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_EQ(dropped.error.kind, LlmError::Kind::Connection);
    EXPECT_FALSE(dropped.error.midStream);
    m_server.clearFaults();

    ProviderConfig c = config();
    c.streamIdleTimeoutMs = 300;
    AnthropicProvider impatient(c, {});
    m_server.pushFault(Fault::StallMidStream{.afterChunks = 1, .ms = 30'000});
    const ChatResult stalled = chat(impatient, streamed(QStringLiteral("Stall")));
    EXPECT_EQ(stalled.error.kind, LlmError::Kind::Timeout)
        << stalled.error.describe().toStdString();
    EXPECT_FALSE(stalled.partialText.isEmpty());
}

TEST_F(AnthropicProviderTest, MaxTokensStopIsLength)
{
    AnthropicProvider provider(config(), {});
    m_server.pushFault(Fault::Truncated{}, 2);
    const ChatResult plain = chat(provider, ChatRequest::simple(QStringLiteral("A long question")));
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.response->finishReason, FinishReason::Length);
    EXPECT_EQ(plain.response->rawFinishReason, QStringLiteral("max_tokens"));
    const ChatResult stream = chat(provider, streamed(QStringLiteral("A long question")));
    ASSERT_TRUE(stream.ok());
    EXPECT_EQ(stream.response->finishReason, FinishReason::Length);
}

TEST_F(AnthropicProviderTest, CancellingMidStream)
{
    m_server.setLatencyMs(20'000);
    m_server.setStreamChunks(4);
    AnthropicProvider provider(config(), {});
    CancelSource source;
    ChatCallOptions options;
    options.cancel = source.token();
    QStringList deltas;
    options.onDelta = [&deltas](const QString &d) { deltas << d; };
    QObject context;
    // The first text piece is due 5 s into the stream: cancel long before.
    QTimer::singleShot(200, &context, [&source] { source.cancel(); });
    const ChatResult result = chat(provider, streamed(QStringLiteral("Cancel me")), options);
    EXPECT_EQ(result.error.kind, LlmError::Kind::Cancelled)
        << result.error.describe().toStdString();
    EXPECT_TRUE(deltas.isEmpty()) << "the call ended without waiting for the server";
}

TEST_F(AnthropicProviderTest, ListModels)
{
    m_server.setModels({QStringLiteral("claude-b"), QStringLiteral("claude-a")});
    AnthropicProvider provider(config(), {});
    const ModelsResult result = await(provider.listModels({}));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.models, QStringList({QStringLiteral("claude-a"), QStringLiteral("claude-b")}));
    EXPECT_EQ(m_server.stats().routeCount(Route::AnthropicModels), 1);
}

} // namespace
