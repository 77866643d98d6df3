#include "core/llm/sseparser.h"
#include "tests/support/httprequestparser.h"
#include "tests/support/llmtestserver.h"
#include "tests/support/llmtestserverthread.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using crucible::SseEvent;
using crucible::SseParser;
using nlohmann::json;
using namespace crucible::test;
using Route = LlmTestServer::Route;

namespace {

using Headers = std::vector<std::pair<QByteArray, QByteArray>>;

constexpr int WaitMs = 10000;

struct Reply
{
    bool finished = false;
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    json bodyJson() const { return json::parse(body.toStdString(), nullptr, false); }
};

QNetworkRequest makeRequest(const QUrl &url, const Headers &headers)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(WaitMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return request;
}

// Waits for `reply` to finish, collecting everything it delivered (also before an error).
Reply collect(QNetworkReply *reply)
{
    auto body = std::make_shared<QByteArray>();
    QObject::connect(reply, &QNetworkReply::readyRead, reply,
                     [reply, body] { body->append(reply->readAll()); });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Reply out;
    out.finished = reply->isFinished() || finished.wait(WaitMs);
    if (reply->isReadable())
        body->append(reply->readAll());
    out.body = *body;
    out.error = reply->error();
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return out;
}

QByteArray toBytes(const json &value)
{
    return QByteArray::fromStdString(value.dump());
}

json openAiBody(bool stream = false)
{
    json body = {{"model", "test-model"},
                 {"messages",
                  {{{"role", "system"}, {"content", "Be brief."}},
                   {{"role", "user"}, {"content", "Say hello to the integration test"}}}}};
    if (stream)
        body["stream"] = true;
    return body;
}

json anthropicBody(bool stream = false)
{
    json body = {
        {"model", "claude-test"},
        {"max_tokens", 256},
        {"system", "Be brief."},
        {"messages", {{{"role", "user"}, {"content", "Say hello to the integration test"}}}}};
    if (stream)
        body["stream"] = true;
    return body;
}

std::vector<SseEvent> parseSse(const QByteArray &body)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed(std::string_view(body.constData(), std::size_t(body.size())), events);
    EXPECT_FALSE(parser.finish()) << "the stream ends in the middle of an event";
    return events;
}

// One HTTP response read from a raw socket stream (Content-Length or chunked body).
struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// Parses the first complete response in `buffer` and removes it; nullopt if incomplete.
std::optional<RawResponse> takeResponse(QByteArray &buffer)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    RawResponse response;
    response.head = buffer.first(headEnd).toLower();
    response.status = buffer.mid(9, 3).toInt();
    qsizetype pos = headEnd + 4;
    const qsizetype lengthAt = response.head.indexOf("content-length: ");
    if (lengthAt >= 0) {
        const qsizetype lineEnd = response.head.indexOf("\r\n", lengthAt);
        const qsizetype length =
            response.head.mid(lengthAt + 16, lineEnd < 0 ? -1 : lineEnd - lengthAt - 16)
                .toLongLong();
        if (buffer.size() < pos + length)
            return std::nullopt;
        response.body = buffer.mid(pos, length);
        buffer.remove(0, pos + length);
        return response;
    }
    for (;;) { // chunked
        const qsizetype sizeEnd = buffer.indexOf("\r\n", pos);
        if (sizeEnd < 0)
            return std::nullopt;
        bool ok = false;
        const qsizetype size = buffer.mid(pos, sizeEnd - pos).toLongLong(&ok, 16);
        EXPECT_TRUE(ok);
        if (buffer.size() < sizeEnd + 2 + size + 2)
            return std::nullopt;
        response.body += buffer.mid(sizeEnd + 2, size);
        pos = sizeEnd + 2 + size + 2;
        if (size == 0) {
            buffer.remove(0, pos);
            return response;
        }
    }
}

QByteArray rawRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                      const QByteArray &extraHeaders = {})
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
    if (!body.isEmpty())
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    out += "\r\n" + body;
    return out;
}

class LlmTestServerTest : public ::testing::Test
{
protected:
    Reply post(const QString &path, const json &body, const Headers &headers)
    {
        return collect(m_nam.post(makeRequest(m_server.url(path), headers), toBytes(body)));
    }
    Reply postOpenAi(const json &body, const Headers &headers = {})
    {
        return post(QStringLiteral("/v1/chat/completions"), body, headers);
    }
    Reply postAnthropic(const json &body, Headers headers = {{"anthropic-version", "2023-06-01"}})
    {
        return post(QStringLiteral("/v1/messages"), body, headers);
    }
    Reply get(const QString &path, const Headers &headers = {})
    {
        return collect(m_nam.get(makeRequest(m_server.url(path), headers)));
    }

    LlmTestServer m_server;
    QNetworkAccessManager m_nam;
};

} // namespace

TEST_F(LlmTestServerTest, ListensOnAnEphemeralLoopbackPort)
{
    ASSERT_TRUE(m_server.isListening());
    EXPECT_NE(m_server.port(), 0);
    EXPECT_EQ(m_server.baseUrl().host(), QStringLiteral("127.0.0.1"));
    EXPECT_EQ(m_server.openAiBaseUrl().path(), QStringLiteral("/v1"));
}

TEST_F(LlmTestServerTest, OpenAiNonStreamingReplyHasChatCompletionShape)
{
    m_server.setApiKey("sk-test-key-123456");
    const Reply reply = postOpenAi(openAiBody(), {{"Authorization", "Bearer sk-test-key-123456"}});
    ASSERT_TRUE(reply.finished);
    ASSERT_EQ(reply.status, 200) << reply.body.toStdString();
    EXPECT_TRUE(reply.header("content-type").startsWith("application/json"));
    EXPECT_FALSE(reply.header("x-request-id").isEmpty());

    const json body = reply.bodyJson();
    EXPECT_EQ(body["object"], "chat.completion");
    EXPECT_EQ(body["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_TRUE(body["created"].is_number_integer());
    const json &choice = body["choices"][0];
    EXPECT_EQ(choice["index"], 0);
    EXPECT_EQ(choice["message"]["role"], "assistant");
    const std::string content = choice["message"]["content"].get<std::string>();
    EXPECT_NE(content.find("Say hello to the integration test"), std::string::npos);
    EXPECT_EQ(choice["finish_reason"], "stop");
    const json &usage = body["usage"];
    EXPECT_EQ(usage["completion_tokens"], int(content.size() + 3) / 4);
    EXPECT_GT(usage["prompt_tokens"].get<int>(), 0);
    EXPECT_EQ(usage["total_tokens"],
              usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());

    const LlmTestServer::Stats stats = m_server.stats();
    EXPECT_EQ(stats.totalRequests, 1);
    EXPECT_EQ(stats.routeCount(Route::OpenAiChat), 1);
    EXPECT_TRUE(stats.sawAuthorization);
    EXPECT_FALSE(stats.sawApiKey);
    EXPECT_EQ(stats.inFlight, 0);
    const auto last = m_server.lastRequest();
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->http.method, "POST");
    EXPECT_EQ(last->http.header("AUTHORIZATION"), "Bearer sk-test-key-123456");
    EXPECT_EQ(last->json()["model"], "test-model");
}

TEST_F(LlmTestServerTest, AnthropicNonStreamingReplyHasMessageShape)
{
    m_server.setApiKey("sk-ant-test-key");
    const Reply reply = postAnthropic(
        anthropicBody(), {{"anthropic-version", "2023-06-01"}, {"x-api-key", "sk-ant-test-key"}});
    ASSERT_EQ(reply.status, 200) << reply.body.toStdString();
    EXPECT_FALSE(reply.header("request-id").isEmpty());

    const json body = reply.bodyJson();
    EXPECT_EQ(body["type"], "message");
    EXPECT_EQ(body["role"], "assistant");
    EXPECT_EQ(body["model"], "claude-test");
    EXPECT_EQ(body["id"].get<std::string>().rfind("msg_", 0), 0u);
    ASSERT_EQ(body["content"].size(), 1u);
    EXPECT_EQ(body["content"][0]["type"], "text");
    const std::string text = body["content"][0]["text"].get<std::string>();
    EXPECT_NE(text.find("Say hello"), std::string::npos);
    EXPECT_EQ(body["stop_reason"], "end_turn");
    EXPECT_TRUE(body["stop_sequence"].is_null());
    EXPECT_EQ(body["usage"]["output_tokens"], int(text.size() + 3) / 4);
    EXPECT_GT(body["usage"]["input_tokens"].get<int>(), 0);

    const LlmTestServer::Stats stats = m_server.stats();
    EXPECT_EQ(stats.routeCount(Route::AnthropicMessages), 1);
    EXPECT_TRUE(stats.sawApiKey);
    EXPECT_FALSE(stats.sawAuthorization);
}

TEST_F(LlmTestServerTest, OpenAiStreamIsDataOnlySseEndingWithDone)
{
    m_server.setStreamChunks(4);
    json request = openAiBody(true);
    request["stream_options"] = {{"include_usage", true}};
    const Reply reply = postOpenAi(request);
    ASSERT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.header("content-type").startsWith("text/event-stream"));
    EXPECT_TRUE(reply.body.startsWith("data: {"));
    EXPECT_TRUE(reply.body.endsWith("\n\ndata: [DONE]\n\n"));

    const std::vector<SseEvent> events = parseSse(reply.body);
    ASSERT_GE(events.size(), 5u);
    std::string content;
    int contentChunks = 0;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        EXPECT_TRUE(events[i].event.empty());
        const json chunk = json::parse(events[i].data);
        EXPECT_EQ(chunk["object"], "chat.completion.chunk");
        EXPECT_TRUE(chunk.contains("usage"));
        if (i + 2 == events.size()) { // the usage chunk, just before [DONE]
            EXPECT_TRUE(chunk["choices"].empty());
            EXPECT_EQ(chunk["usage"]["completion_tokens"], int(content.size() + 3) / 4);
            continue;
        }
        EXPECT_TRUE(chunk["usage"].is_null());
        const json &choice = chunk["choices"][0];
        if (i == 0) {
            EXPECT_EQ(choice["delta"]["role"], "assistant");
        } else if (i + 3 == events.size()) {
            EXPECT_TRUE(choice["delta"].empty());
            EXPECT_EQ(choice["finish_reason"], "stop");
        } else {
            EXPECT_TRUE(choice["finish_reason"].is_null());
            content += choice["delta"]["content"].get<std::string>();
            ++contentChunks;
        }
    }
    EXPECT_EQ(events.back().data, "[DONE]");
    EXPECT_EQ(contentChunks, 4);
    EXPECT_EQ(QByteArray::fromStdString(content), LlmTestServer::defaultAnswer(request));
}

TEST_F(LlmTestServerTest, OpenAiStreamWithoutIncludeUsageHasNoUsageField)
{
    const Reply reply = postOpenAi(openAiBody(true));
    const std::vector<SseEvent> events = parseSse(reply.body);
    ASSERT_GE(events.size(), 3u);
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        const json chunk = json::parse(events[i].data);
        EXPECT_FALSE(chunk.contains("usage"));
        EXPECT_EQ(chunk["choices"].size(), 1u);
    }
}

TEST_F(LlmTestServerTest, AnthropicStreamFollowsTheDocumentedEventFlow)
{
    m_server.setStreamChunks(3);
    const json request = anthropicBody(true);
    const Reply reply = postAnthropic(request);
    ASSERT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.header("content-type").startsWith("text/event-stream"));
    EXPECT_TRUE(reply.body.startsWith("event: message_start\ndata: {"));

    const std::vector<SseEvent> events = parseSse(reply.body);
    std::vector<std::string> names;
    std::string text;
    for (const SseEvent &event : events) {
        names.push_back(event.event);
        const json data = json::parse(event.data);
        EXPECT_EQ(data["type"], event.event);
        if (event.event == "content_block_delta") {
            EXPECT_EQ(data["delta"]["type"], "text_delta");
            text += data["delta"]["text"].get<std::string>();
        } else if (event.event == "message_start") {
            EXPECT_EQ(data["message"]["type"], "message");
            EXPECT_TRUE(data["message"]["content"].empty());
            EXPECT_GT(data["message"]["usage"]["input_tokens"].get<int>(), 0);
        } else if (event.event == "message_delta") {
            EXPECT_EQ(data["delta"]["stop_reason"], "end_turn");
            EXPECT_EQ(data["usage"]["output_tokens"], int(text.size() + 3) / 4);
        }
    }
    const std::vector<std::string> expected = {
        "message_start",       "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop",  "message_delta",       "message_stop"};
    EXPECT_EQ(names, expected);
    EXPECT_EQ(QByteArray::fromStdString(text), LlmTestServer::defaultAnswer(request));
}

TEST_F(LlmTestServerTest, MissingOrWrongKeyGives401InEachFormat)
{
    m_server.setApiKey("sk-secret-value-42");
    Reply reply = postOpenAi(openAiBody());
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "invalid_request_error");

    reply = postOpenAi(openAiBody(), {{"Authorization", "Bearer sk-wrong-value-00"}});
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.bodyJson()["error"]["code"], "invalid_api_key");
    EXPECT_EQ(reply.bodyJson()["error"]["message"].get<std::string>().find("sk-secret"),
              std::string::npos);

    reply = postAnthropic(anthropicBody());
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.bodyJson()["type"], "error");
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "authentication_error");

    reply = postAnthropic(anthropicBody(), {{"x-api-key", "sk-secret-value-42"}});
    EXPECT_EQ(reply.status, 400) << "anthropic-version is required";
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "invalid_request_error");

    reply = get(QStringLiteral("/v1/models"), {{"Authorization", "Bearer sk-secret-value-42"}});
    EXPECT_EQ(reply.status, 200);
}

TEST_F(LlmTestServerTest, RecordsThatNoAuthHeaderWasSentForAnEmptyKey)
{
    EXPECT_EQ(postOpenAi(openAiBody()).status, 200);
    EXPECT_EQ(postAnthropic(anthropicBody()).status, 200);
    const LlmTestServer::Stats stats = m_server.stats();
    EXPECT_FALSE(stats.sawAuthorization);
    EXPECT_FALSE(stats.sawApiKey);
    for (const LlmTestServer::RecordedRequest &request : m_server.requests()) {
        EXPECT_FALSE(request.http.hasHeader("authorization"));
        EXPECT_FALSE(request.http.hasHeader("x-api-key"));
    }
}

TEST_F(LlmTestServerTest, UnknownUrlGives404WithOpenAiError)
{
    const Reply reply = post(QStringLiteral("/chat/completions"), openAiBody(), {});
    EXPECT_EQ(reply.status, 404);
    const json expected = {{"error",
                            {{"message", "Unknown request URL: POST /chat/completions"},
                             {"type", "invalid_request_error"},
                             {"param", nullptr},
                             {"code", "unknown_url"}}}};
    EXPECT_EQ(reply.bodyJson(), expected);
    EXPECT_EQ(m_server.stats().routeCount(Route::Unknown), 1);
}

TEST_F(LlmTestServerTest, ModelsAreListedInTheFormatOfTheCaller)
{
    m_server.setModels({QStringLiteral("alpha"), QStringLiteral("beta")});
    const json openAi = get(QStringLiteral("/v1/models")).bodyJson();
    EXPECT_EQ(openAi["object"], "list");
    ASSERT_EQ(openAi["data"].size(), 2u);
    EXPECT_EQ(openAi["data"][0]["id"], "alpha");
    EXPECT_EQ(openAi["data"][0]["object"], "model");

    const json anthropic =
        get(QStringLiteral("/v1/models?limit=20"), {{"anthropic-version", "2023-06-01"}})
            .bodyJson();
    ASSERT_EQ(anthropic["data"].size(), 2u);
    EXPECT_EQ(anthropic["data"][1]["type"], "model");
    EXPECT_EQ(anthropic["has_more"], false);
    EXPECT_EQ(anthropic["last_id"], "beta");
    EXPECT_EQ(m_server.stats().routeCount(Route::AnthropicModels), 1);
}

TEST_F(LlmTestServerTest, RateLimitCarriesRetryAfterHeaders)
{
    m_server.pushFault(Fault::RateLimited{.retryAfterSeconds = 2, .retryAfterMs = 1500});
    m_server.pushFault(Fault::RateLimited{});
    Reply reply = postOpenAi(openAiBody());
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("retry-after"), "2");
    EXPECT_EQ(reply.header("retry-after-ms"), "1500");
    EXPECT_FALSE(reply.header("x-request-id").isEmpty());
    EXPECT_EQ(reply.bodyJson()["error"]["code"], "rate_limit_exceeded");

    reply = postAnthropic(anthropicBody());
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("retry-after"), "1");
    EXPECT_TRUE(reply.header("retry-after-ms").isEmpty());
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "rate_limit_error");

    EXPECT_EQ(m_server.queuedFaults(), 0);
    EXPECT_EQ(postOpenAi(openAiBody()).status, 200);
    EXPECT_EQ(m_server.stats().faultsInjected, 2);
}

TEST_F(LlmTestServerTest, ServerErrorsUseTheFormatOfTheRoute)
{
    m_server.pushFault(Fault::ServerError{500});
    m_server.pushFault(Fault::ServerError{503});
    m_server.pushFault(Fault::ServerError{529});
    Reply reply = postOpenAi(openAiBody());
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "server_error");
    reply = postOpenAi(openAiBody());
    EXPECT_EQ(reply.status, 503);
    reply = postAnthropic(anthropicBody());
    EXPECT_EQ(reply.status, 529);
    EXPECT_EQ(reply.bodyJson()["error"]["type"], "overloaded_error");
    EXPECT_EQ(postAnthropic(anthropicBody()).status, 200);
}

TEST_F(LlmTestServerTest, FaultRepeatsForTheNextNRequests)
{
    m_server.pushFault(Fault::ServerError{502}, 3);
    EXPECT_EQ(m_server.queuedFaults(), 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(postOpenAi(openAiBody()).status, 502);
    EXPECT_EQ(postOpenAi(openAiBody()).status, 200);
}

TEST_F(LlmTestServerTest, DropMidStreamGivesANetworkErrorAfterPartialData)
{
    m_server.setLatencyMs(100);
    m_server.setStreamChunks(4);
    m_server.pushFault(Fault::DropMidStream{.afterChunks = 2});
    const Reply reply = postOpenAi(openAiBody(true));
    ASSERT_TRUE(reply.finished);
    EXPECT_NE(reply.error, QNetworkReply::NoError);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body.count("data: "), 3) << "role chunk and two content chunks";
    EXPECT_FALSE(reply.body.contains("[DONE]"));
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_server.stats().openConnections == 0; }, WaitMs));
    EXPECT_EQ(m_server.stats().inFlight, 0);
}

TEST_F(LlmTestServerTest, DropMidBodyBreaksANonStreamingReply)
{
    m_server.pushFault(Fault::DropMidStream{});
    const Reply reply = postAnthropic(anthropicBody());
    EXPECT_NE(reply.error, QNetworkReply::NoError);
    EXPECT_FALSE(reply.bodyJson().is_object());
}

TEST_F(LlmTestServerTest, DropConnectionGivesNoResponseAtAll)
{
    // Qt 6.4 resends a request once when its connection closes before any response byte, so a
    // single drop is invisible to a QNetworkAccessManager client (the server sees two requests).
    m_server.pushFault(Fault::DropConnection{}, 5);
    const Reply reply = postOpenAi(openAiBody());
    EXPECT_EQ(reply.error, QNetworkReply::RemoteHostClosedError);
    EXPECT_EQ(reply.status, 0);
    EXPECT_TRUE(reply.body.isEmpty());
    EXPECT_GE(m_server.stats().totalRequests, 2);
    m_server.clearFaults();
    EXPECT_EQ(postOpenAi(openAiBody()).status, 200) << "the next request is served again";
}

TEST_F(LlmTestServerTest, StallMidStreamTriggersTheClientsTransferTimeout)
{
    m_server.pushFault(Fault::StallMidStream{.afterChunks = 1, .ms = 60000});
    QNetworkRequest request = makeRequest(m_server.url(QStringLiteral("/v1/chat/completions")), {});
    request.setTransferTimeout(300);
    const Reply reply = collect(m_nam.post(request, toBytes(openAiBody(true))));
    ASSERT_TRUE(reply.finished);
    EXPECT_NE(reply.error, QNetworkReply::NoError);
    EXPECT_EQ(reply.body.count("data: "), 2) << "role chunk and one content chunk";
    // The aborted request no longer counts as in flight on the server.
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_server.stats().inFlight == 0; }, WaitMs));
}

TEST_F(LlmTestServerTest, TruncatedOutputReportsTheLengthLimit)
{
    const json request = openAiBody();
    const std::string full = LlmTestServer::defaultAnswer(request).toStdString();
    m_server.pushFault(Fault::Truncated{});
    json body = postOpenAi(request).bodyJson();
    EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
    const std::string content = body["choices"][0]["message"]["content"].get<std::string>();
    EXPECT_LT(content.size(), full.size());
    EXPECT_EQ(full.rfind(content, 0), 0u) << "a prefix of the full answer";

    m_server.pushFault(Fault::Truncated{});
    const std::vector<SseEvent> events = parseSse(postAnthropic(anthropicBody(true)).body);
    bool sawStop = false;
    for (const SseEvent &event : events) {
        if (event.event == "message_delta") {
            EXPECT_EQ(json::parse(event.data)["delta"]["stop_reason"], "max_tokens");
            sawStop = true;
        }
    }
    EXPECT_TRUE(sawStop);

    json limited = openAiBody();
    limited["max_tokens"] = 2;
    body = postOpenAi(limited).bodyJson();
    EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
    EXPECT_EQ(body["usage"]["completion_tokens"], 2);
}

TEST_F(LlmTestServerTest, JsonSchemaRequestGetsAValidInstance)
{
    json request = openAiBody();
    request["response_format"] = {
        {"type", "json_schema"},
        {"json_schema",
         {{"name", "rating"},
          {"strict", true},
          {"schema",
           {{"type", "object"},
            {"properties",
             {{"name", {{"type", "string"}, {"minLength", 10}}},
              {"score", {{"type", "integer"}, {"minimum", 3}, {"maximum", 9}}},
              {"level", {{"enum", {"low", "high"}}}},
              {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 2}}},
              {"parent", {{"$ref", "#/definitions/node"}}}}},
            {"required", {"name", "score", "level", "tags"}},
            {"definitions",
             {{"node",
               {{"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}}}}}}}}}}}};
    const json content = json::parse(
        postOpenAi(request).bodyJson()["choices"][0]["message"]["content"].get<std::string>());
    EXPECT_GE(content["name"].get<std::string>().size(), 10u);
    EXPECT_EQ(content["score"], 3);
    EXPECT_EQ(content["level"], "low");
    EXPECT_EQ(content["tags"].size(), 2u);
    EXPECT_EQ(content["parent"]["id"], 1);

    json mentionsJson = anthropicBody();
    mentionsJson["messages"][0]["content"] = "Reply with JSON only.";
    const std::string text = postAnthropic(mentionsJson).bodyJson()["content"][0]["text"];
    EXPECT_TRUE(json::accept(text));
}

TEST_F(LlmTestServerTest, ContentFaultsDamageTheJsonAnswer)
{
    json request = openAiBody();
    request["response_format"] = {{"type", "json_object"}};
    const std::string clean = LlmTestServer::defaultAnswer(request).toStdString();
    ASSERT_TRUE(json::accept(clean));
    const auto contentWith = [&](FaultKind fault) {
        m_server.pushFault(std::move(fault));
        return postOpenAi(request)
            .bodyJson()["choices"][0]["message"]["content"]
            .get<std::string>();
    };
    EXPECT_EQ(contentWith(Fault::FencedJson{}), "```json\n" + clean + "\n```");
    const std::string prose = contentWith(Fault::ProseWrappedJson{});
    EXPECT_NE(prose.find(clean), std::string::npos);
    EXPECT_FALSE(json::accept(prose));
    EXPECT_FALSE(json::accept(contentWith(Fault::MalformedJson{})));
    const std::string garbage =
        contentWith(Fault::MalformedJson{Fault::MalformedJson::Style::TrailingGarbage});
    EXPECT_EQ(garbage.rfind(clean, 0), 0u);
    EXPECT_FALSE(json::accept(garbage));
    EXPECT_EQ(contentWith(Fault::EmptyContent{}), "");
}

TEST_F(LlmTestServerTest, CustomHandlerAndCombinedFaults)
{
    m_server.setAnswerHandler([](const json &request) {
        return QByteArray::fromStdString("model=" + request["model"].get<std::string>());
    });
    m_server.pushFaults({Fault::Slow{.ms = 10}, Fault::FencedJson{}});
    const json body = postOpenAi(openAiBody()).bodyJson();
    EXPECT_EQ(body["choices"][0]["message"]["content"], "```json\nmodel=test-model\n```");
}

TEST_F(LlmTestServerTest, ErrorInStreamSendsAnErrorEventAfterHttp200)
{
    m_server.pushFault(Fault::ErrorInStream{.afterChunks = 1});
    Reply reply = postOpenAi(openAiBody(true));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.error, QNetworkReply::NoError);
    std::vector<SseEvent> events = parseSse(reply.body);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(json::parse(events[2].data)["error"]["type"], "server_error");
    EXPECT_FALSE(reply.body.contains("[DONE]"));

    m_server.pushFault(Fault::ErrorInStream{.afterChunks = 0});
    reply = postAnthropic(anthropicBody(true));
    EXPECT_EQ(reply.status, 200);
    events = parseSse(reply.body);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event, "error");
    EXPECT_EQ(json::parse(events.back().data)["error"]["type"], "overloaded_error");
    for (const SseEvent &event : events)
        EXPECT_NE(event.event, "content_block_delta");

    m_server.pushFault(Fault::ErrorInStream{});
    EXPECT_EQ(postAnthropic(anthropicBody()).status, 529) << "non-streaming gets an overload";
}

TEST_F(LlmTestServerTest, RandomFaultsAreDeterministicForASeed)
{
    const auto run = [&] {
        m_server.clearFaults();
        m_server.setRandomSeed(42);
        m_server.addRandomFault(Fault::ServerError{500}, 0.3);
        m_server.addRandomFault(Fault::RateLimited{}, 0.2);
        std::vector<int> statuses;
        for (int i = 0; i < 24; ++i)
            statuses.push_back(postOpenAi(openAiBody()).status);
        return statuses;
    };
    const std::vector<int> first = run();
    const std::vector<int> second = run();
    EXPECT_EQ(first, second);
    EXPECT_NE(std::count(first.begin(), first.end(), 200), 0);
    EXPECT_NE(std::count(first.begin(), first.end(), 500), 0);
    EXPECT_NE(std::count(first.begin(), first.end(), 429), 0);
}

TEST_F(LlmTestServerTest, LatencyIsServedByTimersWithoutBlockingOtherRequests)
{
    m_server.setLatencyMs(60000);
    m_server.setLatencyFunction([](const json &request) {
        return request.value("model", std::string()) == "fast-model" ? 0 : -1;
    });
    QNetworkReply *slow =
        m_nam.post(makeRequest(m_server.url(QStringLiteral("/v1/chat/completions")), {}),
                   toBytes(openAiBody()));
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_server.stats().inFlight == 1; }, WaitMs));

    QNetworkAccessManager other;
    Reply reply =
        collect(other.post(makeRequest(m_server.url(QStringLiteral("/v1/chat/completions")),
                                       {{"x-test-latency-ms", "0"}}),
                           toBytes(openAiBody())));
    EXPECT_EQ(reply.status, 200);
    json fast = openAiBody();
    fast["model"] = "fast-model";
    reply = collect(other.post(
        makeRequest(m_server.url(QStringLiteral("/v1/chat/completions")), {}), toBytes(fast)));
    EXPECT_EQ(reply.status, 200);

    EXPECT_FALSE(slow->isFinished());
    EXPECT_EQ(m_server.stats().inFlight, 1);
    EXPECT_EQ(m_server.stats().maxInFlight, 2);
    slow->abort();
    delete slow;
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_server.stats().inFlight == 0; }, WaitMs));
}

TEST_F(LlmTestServerTest, FortyParallelRequestsOverlapOnTheServer)
{
    constexpr int Requests = 40;
    m_server.setLatencyMs(100);
    int done = 0;
    int ok = 0;
    // Qt 6.4 opens at most 6 connections per host and manager: 7 managers give 42.
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    for (int i = 0; i < 7; ++i)
        managers.push_back(std::make_unique<QNetworkAccessManager>());
    for (int i = 0; i < Requests; ++i) {
        QNetworkReply *reply = managers[std::size_t(i) % managers.size()]->post(
            makeRequest(m_server.url(QStringLiteral("/v1/chat/completions")), {}),
            toBytes(openAiBody(i % 2 == 0)));
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, &done, &ok] {
            ++done;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 &&
                reply->error() == QNetworkReply::NoError)
                ++ok;
            reply->deleteLater();
        });
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return done == Requests; }, WaitMs));
    EXPECT_EQ(ok, Requests);
    const LlmTestServer::Stats stats = m_server.stats();
    EXPECT_EQ(stats.totalRequests, Requests);
    EXPECT_GE(stats.maxInFlight, 32);
    EXPECT_GE(stats.connectionsOpened, 32);
    EXPECT_EQ(stats.inFlight, 0);
}

TEST_F(LlmTestServerTest, SixtyFourKeepAliveConnectionsServeTwoRequestsEach)
{
    constexpr int Connections = 64;
    m_server.setLatencyMs(200);
    const QByteArray request = rawRequest("POST", "/v1/chat/completions", toBytes(openAiBody()));
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> buffers(Connections);
    std::vector<int> answered(Connections, 0);
    int failures = 0;
    for (int i = 0; i < Connections; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        QObject::connect(s, &QTcpSocket::connected, s, [s, request] { s->write(request); });
        QObject::connect(s, &QTcpSocket::readyRead, s, [&, s, i, request] {
            buffers[std::size_t(i)] += s->readAll();
            while (const auto response = takeResponse(buffers[std::size_t(i)])) {
                if (response->status != 200 || response->head.contains("connection: close"))
                    ++failures;
                if (++answered[std::size_t(i)] == 1)
                    s->write(request); // second request on the same connection
            }
        });
        s->connectToHost(QHostAddress::LocalHost, m_server.port());
        sockets.push_back(std::move(socket));
    }
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return std::count(answered.begin(), answered.end(), 2) == Connections; }, WaitMs));
    EXPECT_EQ(failures, 0);
    const LlmTestServer::Stats stats = m_server.stats();
    EXPECT_EQ(stats.connectionsOpened, Connections);
    EXPECT_EQ(stats.openConnections, Connections);
    EXPECT_EQ(stats.totalRequests, 2 * Connections);
    EXPECT_GE(stats.maxInFlight, 32);
}

TEST_F(LlmTestServerTest, PipelinedRequestsAreAnsweredInOrder)
{
    m_server.setLatencyFunction([](const json &request) {
        return request.value("model", std::string()) == "slow" ? 150 : 0;
    });
    json slow = openAiBody();
    slow["model"] = "slow";
    const QByteArray requests = rawRequest("POST", "/v1/chat/completions", toBytes(slow)) +
                                rawRequest("GET", "/v1/models", {}) +
                                rawRequest("POST", "/v1/chat/completions",
                                           toBytes(openAiBody(true)), "Connection: close\r\n");
    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    ASSERT_TRUE(socket.waitForConnected(WaitMs));
    socket.write(requests);
    ASSERT_TRUE(QTest::qWaitFor([&] { return closed; }, WaitMs));
    received += socket.readAll();

    std::vector<RawResponse> responses;
    while (auto response = takeResponse(received))
        responses.push_back(*response);
    ASSERT_EQ(responses.size(), 3u);
    EXPECT_EQ(json::parse(responses[0].body.toStdString())["model"], "slow");
    EXPECT_EQ(json::parse(responses[1].body.toStdString())["object"], "list");
    EXPECT_TRUE(responses[2].head.contains("text/event-stream"));
    EXPECT_TRUE(responses[2].head.contains("connection: close"));
    EXPECT_TRUE(responses[2].body.endsWith("data: [DONE]\n\n"));
    EXPECT_TRUE(received.isEmpty());
    EXPECT_EQ(m_server.stats().connectionsOpened, 1);
    EXPECT_EQ(m_server.stats().totalRequests, 3);
}

TEST_F(LlmTestServerTest, ChunkedRequestBodyIsRejectedWith411)
{
    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    ASSERT_TRUE(socket.waitForConnected(WaitMs));
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                 "\r\n5\r\nhello\r\n0\r\n\r\n");
    ASSERT_TRUE(QTest::qWaitFor([&] { return closed; }, WaitMs));
    received += socket.readAll();
    const auto response = takeResponse(received);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 411);
    EXPECT_TRUE(response->body.contains("Content-Length"));
    EXPECT_EQ(m_server.stats().malformedRequests, 1);
    EXPECT_EQ(m_server.stats().totalRequests, 0);
}

TEST(LlmTestServerThreadTest, ServesFromItsOwnThread)
{
    LlmTestServer::Options options;
    options.apiKey = "sk-threaded";
    options.latencyMs = 20;
    LlmTestServerThread thread(options);
    ASSERT_TRUE(thread.server().isListening());
    EXPECT_NE(thread.server().thread(), QThread::currentThread());
    thread.server().pushFault(Fault::ServerError{503});

    QNetworkAccessManager nam;
    const QUrl url = thread.server().url(QStringLiteral("/v1/chat/completions"));
    const Headers auth = {{"Authorization", "Bearer sk-threaded"}};
    EXPECT_EQ(collect(nam.post(makeRequest(url, auth), toBytes(openAiBody()))).status, 503);
    const Reply reply = collect(nam.post(makeRequest(url, auth), toBytes(openAiBody(true))));
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.body.endsWith("data: [DONE]\n\n"));
    EXPECT_EQ(thread.server().stats().totalRequests, 2);
}

TEST(LlmTestServerFaultTest, NamesParseBack)
{
    const std::vector<FaultKind> faults = {
        Fault::RateLimited{3, 250},
        Fault::ServerError{503},
        Fault::DropConnection{},
        Fault::DropMidStream{2},
        Fault::StallMidStream{1, 5},
        Fault::Slow{40},
        Fault::FencedJson{},
        Fault::ProseWrappedJson{},
        Fault::MalformedJson{},
        Fault::MalformedJson{Fault::MalformedJson::Style::TrailingGarbage},
        Fault::Truncated{},
        Fault::EmptyContent{},
        Fault::ErrorInStream{2}};
    for (const FaultKind &fault : faults) {
        const QString name = faultName(fault);
        const std::optional<FaultKind> parsed = parseFault(name);
        ASSERT_TRUE(parsed.has_value()) << name.toStdString();
        EXPECT_EQ(faultName(*parsed), name);
    }
    EXPECT_FALSE(parseFault(u"slow:abc").has_value());
    EXPECT_FALSE(parseFault(u"explode").has_value());
}

TEST(LlmTestServerHttpParserTest, ParsesRequestsFedByteByByte)
{
    const QByteArray input = "POST /v1/messages?beta=1 HTTP/1.1\r\nHost: x\r\n"
                             "X-Api-Key: k\r\nContent-Length: 5\r\n\r\nhello"
                             "GET /v1/models HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    HttpRequestParser parser;
    std::vector<HttpRequest> requests;
    for (const char c : input) {
        parser.feed(QByteArrayView(&c, 1));
        HttpRequest request;
        while (parser.next(request) == HttpRequestParser::Status::Complete)
            requests.push_back(request);
    }
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/v1/messages");
    EXPECT_EQ(requests[0].target, "/v1/messages?beta=1");
    EXPECT_EQ(requests[0].header("x-API-key"), "k");
    EXPECT_EQ(requests[0].body, "hello");
    EXPECT_TRUE(requests[0].keepAlive());
    EXPECT_EQ(requests[1].version, "HTTP/1.0");
    EXPECT_TRUE(requests[1].keepAlive());
    EXPECT_EQ(parser.bufferedBytes(), 0);
}

TEST(LlmTestServerHttpParserTest, RejectsWhatItCannotFrame)
{
    const auto statusFor = [](const QByteArray &input) {
        HttpRequestParser parser;
        parser.feed(input);
        HttpRequest request;
        if (parser.next(request) != HttpRequestParser::Status::Error)
            return 0;
        return parser.errorStatus();
    };
    EXPECT_EQ(statusFor("GARBAGE\r\n\r\n"), 400);
    EXPECT_EQ(statusFor("GET / HTTP/2.0\r\n\r\n"), 505);
    EXPECT_EQ(statusFor("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
    EXPECT_EQ(statusFor("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 411);
    EXPECT_EQ(statusFor("GET / HTTP/1.1\r\nBad Header\r\n\r\n"), 400);
    EXPECT_EQ(statusFor("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), 0);

    HttpRequestParser parser;
    parser.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    HttpRequest request;
    EXPECT_EQ(parser.next(request), HttpRequestParser::Status::ContinueExpected);
    EXPECT_EQ(parser.next(request), HttpRequestParser::Status::NeedMore);
    parser.feed("{}");
    EXPECT_EQ(parser.next(request), HttpRequestParser::Status::Complete);
    EXPECT_TRUE(request.keepAlive());
}
