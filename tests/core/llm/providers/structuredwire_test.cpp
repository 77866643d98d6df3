// Provider-native structured output on the wire: the Anthropic forced tool (request body,
// tool_use answers streamed and not, wrapped non-object schemas), OpenAI-compatible
// response_format, and the fallbacks when a server rejects them.

#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/structuredwire.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;

namespace {

const json kPerson = {
    {"type", "object"},
    {"properties", {{"name", {{"type", "string"}}}, {"age", {{"type", "integer"}}}}},
    {"required", {"name", "age"}}};

const json kNumbers = {{"type", "array"}, {"items", {{"type", "integer"}}}, {"minItems", 2}};

ChatRequest schemaRequest(const json &schema, const QString &name, bool stream = false)
{
    ChatRequest r = ChatRequest::simple(QStringLiteral("Give me the data"),
                                        QStringLiteral("You write test data."));
    r.format = ResponseFormat::JsonSchema;
    r.schema = schema;
    r.schemaName = name;
    r.stream = stream;
    return r;
}

class StructuredWireTest : public ::testing::Test
{
protected:
    ProviderConfig anthropicConfig() const
    {
        return testConfig(ProviderType::Anthropic, m_server.baseUrl());
    }
    ProviderConfig openAiConfig() const
    {
        return testConfig(ProviderType::OpenAiCompatible, m_server.openAiBaseUrl());
    }
    json lastBody() const
    {
        const auto last = m_server.lastRequest();
        return last ? last->json() : json();
    }
    static QString systemOf(const json &body)
    {
        return QString::fromStdString(body.value("system", std::string()));
    }

    LlmTestServer m_server;
};

TEST_F(StructuredWireTest, AnthropicSendsTheSchemaAsAForcedTool)
{
    AnthropicProvider provider(anthropicConfig(), {});
    const ChatRequest request = schemaRequest(kPerson, QStringLiteral("person record"));
    EXPECT_EQ(provider.structuredModeFor(request), StructuredMode::Tool);
    const json body = provider.requestBody(request);
    ASSERT_TRUE(body.contains("tools"));
    ASSERT_EQ(body["tools"].size(), 1u);
    const json &tool = body["tools"][0];
    EXPECT_EQ(tool["name"], "person_record");
    EXPECT_FALSE(tool.value("description", std::string()).empty());
    EXPECT_EQ(tool["input_schema"], kPerson) << "an object schema is sent unchanged";
    EXPECT_EQ(body["tool_choice"], json({{"type", "tool"}, {"name", "person_record"}}));
    EXPECT_EQ(systemOf(body), QStringLiteral("You write test data."))
        << "the schema is not pasted into the prompt in tool mode";
    EXPECT_FALSE(body.contains("response_format"));

    // A text request carries no tool.
    const json text = provider.requestBody(ChatRequest::simple(QStringLiteral("hi")));
    EXPECT_FALSE(text.contains("tools"));
    EXPECT_FALSE(text.contains("tool_choice"));
}

TEST_F(StructuredWireTest, AnthropicReadsTheAnswerFromTheToolUseBlock)
{
    AnthropicProvider provider(anthropicConfig(), {});
    const ChatResult result =
        await(provider.chat(schemaRequest(kPerson, QStringLiteral("person")), {}));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(result.structuredMode, StructuredMode::Tool);
    EXPECT_EQ(result.response->rawFinishReason, QStringLiteral("tool_use"));
    EXPECT_EQ(result.response->finishReason, FinishReason::Stop);
    const json answer = json::parse(result.response->text.toStdString());
    EXPECT_TRUE(answer.is_object());
    EXPECT_TRUE(answer["name"].is_string());
    EXPECT_TRUE(answer["age"].is_number_integer());
    EXPECT_EQ(lastBody()["tool_choice"]["name"], "person");
}

TEST_F(StructuredWireTest, AnthropicStreamsToolInputAsInputJsonDeltas)
{
    m_server.setStreamChunks(4);
    m_server.setAnswerHandler(
        [](const json &) { return QByteArrayLiteral(R"({"name": "Ada Lovelace", "age": 36})"); });
    AnthropicProvider provider(anthropicConfig(), {});
    QStringList deltas;
    ChatCallOptions options;
    options.onDelta = [&deltas](const QString &d) { deltas << d; };
    const ChatResult result =
        await(provider.chat(schemaRequest(kPerson, QStringLiteral("person"), true), options));
    ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
    EXPECT_EQ(json::parse(result.response->text.toStdString()),
              json({{"name", "Ada Lovelace"}, {"age", 36}}));
    EXPECT_EQ(deltas.size(), 4) << "one partial_json piece per content event";
    EXPECT_EQ(deltas.join(QString()), result.response->text);
    EXPECT_EQ(result.response->rawFinishReason, QStringLiteral("tool_use"));
    EXPECT_TRUE(lastBody()["stream"].get<bool>());
}

TEST_F(StructuredWireTest, AnthropicWrapsANonObjectSchemaAndUnwrapsTheAnswer)
{
    m_server.setAnswerHandler([](const json &) { return QByteArrayLiteral("[4, 8, 15]"); });
    AnthropicProvider provider(anthropicConfig(), {});
    for (const bool stream : {false, true}) {
        const ChatResult result =
            await(provider.chat(schemaRequest(kNumbers, QStringLiteral("numbers"), stream), {}));
        ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
        EXPECT_EQ(json::parse(result.response->text.toStdString()), json({4, 8, 15}))
            << "stream " << stream;
        const json inputSchema = lastBody()["tools"][0]["input_schema"];
        EXPECT_EQ(inputSchema["type"], "object");
        EXPECT_EQ(inputSchema["properties"]["value"], kNumbers);
        EXPECT_EQ(inputSchema["required"], json::array({"value"}));
    }
}

TEST_F(StructuredWireTest, AnthropicCutOffToolInputIsReportedAsTruncated)
{
    // "-> QByteArray": without it the lambda would return QStringBuilder's expression template,
    // which refers to temporaries that are gone when it is converted.
    m_server.setAnswerHandler([](const json &) -> QByteArray {
        return QByteArray(R"({"name": ")") + QByteArray(400, 'x') + R"(", "age": 1})";
    });
    AnthropicProvider provider(anthropicConfig(), {});
    for (const bool stream : {false, true}) {
        ChatRequest request = schemaRequest(kPerson, QStringLiteral("person"), stream);
        request.maxTokens = 20;
        const ChatResult result = await(provider.chat(request, {}));
        ASSERT_TRUE(result.ok()) << result.error.describe().toStdString();
        EXPECT_EQ(result.response->finishReason, FinishReason::Length) << "stream " << stream;
        const json partial = json::parse(result.response->text.toStdString(), nullptr, false);
        EXPECT_TRUE(partial.is_discarded() || !partial.contains("age"))
            << "no complete answer: " << result.response->text.toStdString();
    }
}

TEST_F(StructuredWireTest, AnthropicFallsBackToThePromptWhenTheServerRejectsTools)
{
    m_server.setRejected(true, false, false);
    AnthropicProvider provider(anthropicConfig(), {});
    const ChatRequest request = schemaRequest(kPerson, QStringLiteral("person"));

    const ChatResult rejected = await(provider.chat(request, {}));
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error.httpStatus, 400);
    EXPECT_EQ(rejected.structuredMode, StructuredMode::Tool);
    ASSERT_TRUE(rejected.fallback.has_value());
    EXPECT_EQ(*rejected.fallback, StructuredMode::Prompt);
    EXPECT_TRUE(rejected.error.describe().contains(QStringLiteral("falls back")))
        << rejected.error.describe().toStdString();
    EXPECT_TRUE(rejected.error.describe().contains(QStringLiteral("Extra inputs")));

    // The rest of the session asks in the system prompt.
    EXPECT_EQ(provider.structuredModeFor(request), StructuredMode::Prompt);
    const ChatResult answered = await(provider.chat(request, {}));
    ASSERT_TRUE(answered.ok()) << answered.error.describe().toStdString();
    EXPECT_EQ(answered.structuredMode, StructuredMode::Prompt);
    const json body = lastBody();
    EXPECT_FALSE(body.contains("tools"));
    EXPECT_FALSE(body.contains("tool_choice"));
    EXPECT_TRUE(systemOf(body).contains(QStringLiteral("JSON Schema")));
    EXPECT_TRUE(systemOf(body).startsWith(QStringLiteral("You write test data.")));
}

TEST_F(StructuredWireTest, AConfiguredModeNeverFallsBackAndSaysWhatToChange)
{
    m_server.setRejected(true, false, false);
    ProviderConfig c = anthropicConfig();
    c.structuredOutput = StructuredMode::Tool;
    AnthropicProvider provider(c, {});
    const ChatRequest request = schemaRequest(kPerson, QStringLiteral("person"));
    const ChatResult result = await(provider.chat(request, {}));
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(result.fallback.has_value());
    EXPECT_TRUE(result.error.message.contains(QStringLiteral("Structured output to Auto")))
        << result.error.message.toStdString();
    EXPECT_EQ(provider.structuredModeFor(request), StructuredMode::Tool);
}

TEST_F(StructuredWireTest, OpenAiFallsBackFromJsonSchemaToJsonObjectToPrompt)
{
    m_server.setRejected(false, true, true);
    OpenAiProvider provider(openAiConfig(), {});
    const ChatRequest request = schemaRequest(kPerson, QStringLiteral("person"));
    EXPECT_EQ(provider.structuredModeFor(request), StructuredMode::JsonSchema);

    const ChatResult first = await(provider.chat(request, {}));
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error.httpStatus, 400);
    EXPECT_EQ(first.structuredMode, StructuredMode::JsonSchema);
    ASSERT_TRUE(first.fallback.has_value());
    EXPECT_EQ(*first.fallback, StructuredMode::JsonObject);

    const ChatResult second = await(provider.chat(request, {}));
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(lastBody()["response_format"], json({{"type", "json_object"}}));
    const json messages = lastBody()["messages"];
    EXPECT_EQ(messages[0]["role"], "system");
    EXPECT_TRUE(QString::fromStdString(messages[0]["content"].get<std::string>())
                    .contains(QStringLiteral("JSON Schema")))
        << "json_object carries no schema: it goes in the system message";
    ASSERT_TRUE(second.fallback.has_value());
    EXPECT_EQ(*second.fallback, StructuredMode::Prompt);

    const ChatResult third = await(provider.chat(request, {}));
    ASSERT_TRUE(third.ok()) << third.error.describe().toStdString();
    EXPECT_EQ(third.structuredMode, StructuredMode::Prompt);
    EXPECT_FALSE(lastBody().contains("response_format"));
    EXPECT_TRUE(json::parse(third.response->text.toStdString()).contains("name"));
}

TEST_F(StructuredWireTest, OpenAiJsonObjectIsKeptWhenOnlyJsonSchemaIsRejected)
{
    m_server.setRejected(false, true, false);
    OpenAiProvider provider(openAiConfig(), {});
    const ChatRequest request = schemaRequest(kPerson, QStringLiteral("person"));
    ASSERT_FALSE(await(provider.chat(request, {})).ok());
    const ChatResult answered = await(provider.chat(request, {}));
    ASSERT_TRUE(answered.ok()) << answered.error.describe().toStdString();
    EXPECT_EQ(answered.structuredMode, StructuredMode::JsonObject);
    EXPECT_EQ(lastBody()["response_format"]["type"], "json_object");
}

TEST_F(StructuredWireTest, OpenAiPromptSettingSendsNoResponseFormat)
{
    ProviderConfig c = openAiConfig();
    c.structuredOutput = StructuredMode::Prompt;
    OpenAiProvider provider(c, {});
    const json body = provider.requestBody(schemaRequest(kPerson, QStringLiteral("person")));
    EXPECT_FALSE(body.contains("response_format"));
    EXPECT_TRUE(QString::fromStdString(body["messages"][0]["content"].get<std::string>())
                    .contains(QStringLiteral("\"age\"")));
}

TEST(StructuredModes, LaddersAndSettings)
{
    StructuredModes anthropic(ProviderType::Anthropic, std::nullopt);
    EXPECT_EQ(anthropic.modeFor(ResponseFormat::Text), StructuredMode::None);
    EXPECT_EQ(anthropic.modeFor(ResponseFormat::JsonSchema), StructuredMode::Tool);
    EXPECT_EQ(anthropic.modeFor(ResponseFormat::JsonObject), StructuredMode::Tool);
    EXPECT_EQ(anthropic.rejected(StructuredMode::Tool), StructuredMode::Prompt);
    EXPECT_EQ(anthropic.rejected(StructuredMode::Tool), StructuredMode::Prompt)
        << "a second call rejected in flight lands on the same mode";
    EXPECT_EQ(anthropic.rejected(StructuredMode::Prompt), std::nullopt);

    StructuredModes openai(ProviderType::OpenAiCompatible, std::nullopt);
    EXPECT_EQ(openai.modeFor(ResponseFormat::JsonSchema), StructuredMode::JsonSchema);
    EXPECT_EQ(openai.modeFor(ResponseFormat::JsonObject), StructuredMode::JsonObject)
        << "no schema, nothing for json_schema";
    EXPECT_EQ(openai.rejected(StructuredMode::JsonSchema), StructuredMode::JsonObject);
    EXPECT_EQ(openai.rejected(StructuredMode::JsonObject), StructuredMode::Prompt);
    EXPECT_EQ(openai.modeFor(ResponseFormat::JsonSchema), StructuredMode::Prompt);

    StructuredModes fixed(ProviderType::OpenAiCompatible, StructuredMode::JsonObject);
    EXPECT_EQ(fixed.modeFor(ResponseFormat::JsonSchema), StructuredMode::JsonObject);
    EXPECT_EQ(fixed.rejected(StructuredMode::JsonObject), std::nullopt);
}

TEST(StructuredWire, ToolSchemaWrapsNonObjectRootsAndRewritesLocalRefs)
{
    const json object = {{"type", "object"}, {"properties", json::object()}};
    EXPECT_FALSE(structuredwire::toolSchemaFor(object).wrapped);
    EXPECT_EQ(structuredwire::toolSchemaFor(object).inputSchema, object);

    const json recursive = json::parse(R"({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": ["array", "null"],
        "items": {"anyOf": [{"$ref": "#/definitions/leaf"}, {"$ref": "#"}]},
        "definitions": {"leaf": {"type": "integer", "enum": [{"$ref": "#"}]}},
        "contains": {"$ref": "#/items"}
    })");
    const auto wrapped = structuredwire::toolSchemaFor(recursive);
    ASSERT_TRUE(wrapped.wrapped);
    const json &s = wrapped.inputSchema;
    EXPECT_EQ(s["type"], "object");
    EXPECT_EQ(s["required"], json::array({"value"}));
    EXPECT_EQ(s["$schema"], recursive["$schema"]);
    EXPECT_EQ(s["definitions"]["leaf"]["type"], "integer") << "definitions move to the root";
    const json &value = s["properties"]["value"];
    EXPECT_FALSE(value.contains("definitions"));
    EXPECT_EQ(value["items"]["anyOf"][0]["$ref"], "#/definitions/leaf");
    EXPECT_EQ(value["items"]["anyOf"][1]["$ref"], "#/properties/value");
    EXPECT_EQ(value["contains"]["$ref"], "#/properties/value/items");
    EXPECT_EQ(s["definitions"]["leaf"]["enum"][0]["$ref"], "#") << "enum values are data";

    EXPECT_EQ(structuredwire::answerFromToolInput(json({{"value", {1, 2}}}), true),
              QStringLiteral("[1,2]"));
    EXPECT_EQ(structuredwire::answerFromToolInput(json({{"other", 1}}), true),
              QStringLiteral("{\"other\":1}"))
        << "an answer without value is passed on for the validator to name";
}

TEST(StructuredWire, RejectionsAreRecognisedOnlyWhenTheServerNamesTheFeature)
{
    LlmError e;
    e.kind = LlmError::Kind::Http;
    e.httpStatus = 400;
    e.providerMessage = QStringLiteral("tools: Extra inputs are not permitted");
    EXPECT_TRUE(structuredwire::rejectsMode(e, StructuredMode::Tool));
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::Prompt));
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::None));
    e.httpStatus = 429;
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::Tool)) << "rate limits are not";
    e.httpStatus = 401;
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::Tool)) << "auth is not";
    e.httpStatus = 400;
    e.providerMessage = QStringLiteral("messages: roles must alternate");
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::Tool));
    e.providerMessage = QStringLiteral("Unsupported value: 'response_format.type'");
    EXPECT_TRUE(structuredwire::rejectsMode(e, StructuredMode::JsonSchema));
    EXPECT_TRUE(structuredwire::rejectsMode(e, StructuredMode::JsonObject));
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::Tool));
    e.httpStatus = 500; // llama.cpp answers some invalid parameters with 500
    EXPECT_TRUE(structuredwire::rejectsMode(e, StructuredMode::JsonSchema));
    e.httpStatus = 503;
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::JsonSchema));
    e.httpStatus = 400;
    e.kind = LlmError::Kind::Timeout;
    EXPECT_FALSE(structuredwire::rejectsMode(e, StructuredMode::JsonSchema));
}

} // namespace
