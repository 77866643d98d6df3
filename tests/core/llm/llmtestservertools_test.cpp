// LlmTestServer's structured output on the raw wire: Anthropic forced tools answered with a
// tool_use block (JSON and SSE with input_json_delta), and the "server without the feature"
// mode that refuses tools or response_format with a 400 naming it.

#include "core/llm/sseparser.h"
#include "tests/support/llmtestserver.h"
#include "tests/support/llmtestwire.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <gtest/gtest.h>

using crucible::SseEvent;
using crucible::SseParser;
using nlohmann::json;
using namespace crucible::test;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    json bodyJson() const { return json::parse(body.toStdString(), nullptr, false); }
};

const json kSchema = {
    {"type", "object"},
    {"properties", {{"city", {{"type", "string"}}}, {"days", {{"type", "integer"}}}}},
    {"required", {"city", "days"}}};

json toolRequest(bool stream, const json &schema = kSchema)
{
    json body = {
        {"model", "claude-test"},
        {"max_tokens", 256},
        {"messages", {{{"role", "user"}, {"content", "Plan a trip"}}}},
        {"tools", {{{"name", "trip"}, {"description", "the answer"}, {"input_schema", schema}}}},
        {"tool_choice", {{"type", "tool"}, {"name", "trip"}}}};
    if (stream)
        body["stream"] = true;
    return body;
}

class LlmTestServerToolsTest : public ::testing::Test
{
protected:
    Reply post(const QString &path, const json &body, bool anthropic)
    {
        QNetworkRequest request(m_server.url(path));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        request.setTransferTimeout(10'000);
        if (anthropic)
            request.setRawHeader("anthropic-version", "2023-06-01");
        QNetworkReply *reply = m_nam.post(request, QByteArray::fromStdString(body.dump()));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        EXPECT_TRUE(reply->isFinished() || finished.wait(10'000));
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->deleteLater();
        return out;
    }
    Reply postAnthropic(const json &body)
    {
        return post(QStringLiteral("/v1/messages"), body, true);
    }
    Reply postOpenAi(const json &body)
    {
        return post(QStringLiteral("/v1/chat/completions"), body, false);
    }

    LlmTestServer m_server;
    QNetworkAccessManager m_nam;
};

} // namespace

TEST_F(LlmTestServerToolsTest, AForcedToolIsAnsweredWithAToolUseBlock)
{
    const json body = postAnthropic(toolRequest(false)).bodyJson();
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(body["stop_reason"], "tool_use");
    ASSERT_EQ(body["content"].size(), 1u);
    const json &block = body["content"][0];
    EXPECT_EQ(block["type"], "tool_use");
    EXPECT_EQ(block["name"], "trip");
    EXPECT_EQ(block["id"].get<std::string>().rfind("toolu_", 0), 0u);
    EXPECT_TRUE(block["input"]["city"].is_string());
    EXPECT_TRUE(block["input"]["days"].is_number_integer());
}

TEST_F(LlmTestServerToolsTest, AStreamedToolSendsInputJsonDeltas)
{
    m_server.setStreamChunks(3);
    m_server.setAnswerHandler(
        [](const json &) { return QByteArrayLiteral(R"({"city": "Lyon", "days": 3})"); });
    const Reply reply = postAnthropic(toolRequest(true));
    ASSERT_EQ(reply.status, 200);
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed(std::string_view(reply.body.constData(), std::size_t(reply.body.size())), events);
    std::string partial;
    std::vector<std::string> names;
    for (const SseEvent &event : events) {
        names.push_back(event.event);
        const json data = json::parse(event.data);
        if (event.event == "content_block_start") {
            EXPECT_EQ(data["content_block"]["type"], "tool_use");
            EXPECT_EQ(data["content_block"]["name"], "trip");
            EXPECT_EQ(data["content_block"]["input"], json::object());
        } else if (event.event == "content_block_delta") {
            EXPECT_EQ(data["delta"]["type"], "input_json_delta");
            partial += data["delta"]["partial_json"].get<std::string>();
        } else if (event.event == "message_delta") {
            EXPECT_EQ(data["delta"]["stop_reason"], "tool_use");
        }
    }
    EXPECT_EQ(json::parse(partial), json({{"city", "Lyon"}, {"days", 3}}));
    EXPECT_EQ(std::count(names.begin(), names.end(), "content_block_delta"), 3);
}

TEST_F(LlmTestServerToolsTest, AWrapperToolGetsItsAnswerWrapped)
{
    const json numbers = {{"type", "array"}, {"items", {{"type", "integer"}}}};
    const json wrapper = {{"type", "object"},
                          {"properties", {{"value", numbers}}},
                          {"required", {"value"}},
                          {"additionalProperties", false}};
    m_server.setAnswerHandler([](const json &) { return QByteArrayLiteral("[1, 2, 3]"); });
    const json body = postAnthropic(toolRequest(false, wrapper)).bodyJson();
    EXPECT_EQ(body["content"][0]["input"], json({{"value", {1, 2, 3}}}));

    const auto requested = wire::requestedSchema(toolRequest(false, wrapper));
    ASSERT_TRUE(requested);
    EXPECT_EQ(requested->name, "trip");
    EXPECT_EQ(requested->schema, numbers) << "handlers see the schema the caller meant";
}

TEST_F(LlmTestServerToolsTest, AnAnswerThatIsNotJsonStaysText)
{
    m_server.pushFault(Fault::FencedJson{});
    const json body = postAnthropic(toolRequest(false)).bodyJson();
    EXPECT_EQ(body["content"][0]["type"], "text");
    EXPECT_EQ(body["stop_reason"], "end_turn");
}

TEST_F(LlmTestServerToolsTest, AServerWithoutToolsOrResponseFormatRefusesThem)
{
    m_server.setRejected(true, true, false);
    const Reply tools = postAnthropic(toolRequest(false));
    EXPECT_EQ(tools.status, 400);
    EXPECT_EQ(tools.bodyJson()["error"]["type"], "invalid_request_error");
    EXPECT_EQ(tools.bodyJson()["error"]["message"], "tools: Extra inputs are not permitted");

    json plain = toolRequest(false);
    plain.erase("tools");
    plain.erase("tool_choice");
    EXPECT_EQ(postAnthropic(plain).status, 200);

    json openAi = {
        {"model", "m"},
        {"messages", {{{"role", "user"}, {"content", "hi"}}}},
        {"response_format",
         {{"type", "json_schema"}, {"json_schema", {{"name", "x"}, {"schema", kSchema}}}}}};
    const Reply schema = postOpenAi(openAi);
    EXPECT_EQ(schema.status, 400);
    EXPECT_NE(schema.bodyJson()["error"]["message"].get<std::string>().find("response_format"),
              std::string::npos);
    openAi["response_format"] = {{"type", "json_object"}};
    EXPECT_EQ(postOpenAi(openAi).status, 200) << "json_object is still accepted";
    EXPECT_EQ(m_server.stats().faultsInjected, 0) << "a missing feature is not a queued fault";
}
