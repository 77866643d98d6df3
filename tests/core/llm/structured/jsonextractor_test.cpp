#include "core/llm/structured/jsonextractor.h"

#include <gtest/gtest.h>

using crucible::JsonExtractor;
using nlohmann::json;
using Expect = JsonExtractor::Expect;
using Status = JsonExtractor::Status;

namespace {

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(JsonExtractor, PlainJson)
{
    const auto result = JsonExtractor().extract("  {\"a\": [1, 2, {\"b\": null}]}\n");
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value, json::parse(R"({"a": [1, 2, {"b": null}]})"));
    EXPECT_EQ(result.offset, 2U);
    EXPECT_EQ(result.length, 26U);
    EXPECT_EQ(result.line, 1);
    EXPECT_EQ(result.column, 3);
    EXPECT_TRUE(result.fixes.empty());

    const auto array = JsonExtractor::extract("[1, 2]", Expect::Array);
    ASSERT_TRUE(array.ok());
    EXPECT_EQ(array.value, json::array({1, 2}));
    const auto scalar = JsonExtractor().extract("42");
    ASSERT_TRUE(scalar.ok());
    EXPECT_EQ(scalar.value, 42);
}

TEST(JsonExtractor, ByteOrderMarkIsRemoved)
{
    const auto result = JsonExtractor().extract("\xEF\xBB\xBF{\"a\": 1}");
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value, json::parse(R"({"a": 1})"));
    ASSERT_EQ(result.fixes.size(), 1U);
    EXPECT_EQ(result.fixes[0], "removed byte order mark");
}

TEST(JsonExtractor, FencedWithProseAround)
{
    const std::string text = "Sure! Here is the data:\n\n```json\n{\"name\": \"Ada\", \"tags\": "
                             "[\"x\"]}\n```\n\nLet me know if you need more.";
    const auto result = JsonExtractor().extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value["name"], "Ada");
    EXPECT_EQ(text.substr(result.offset, result.length), R"({"name": "Ada", "tags": ["x"]})");
    EXPECT_EQ(result.line, 4);
    EXPECT_EQ(result.column, 1);
}

TEST(JsonExtractor, FenceLanguagesAndStyles)
{
    for (const std::string text : {
             "```\n{\"a\": 1}\n```",
             "```JSON\n{\"a\": 1}\n```",
             "```jsonc\r\n{\"a\": 1}\r\n```\r\n",
             "~~~json\n{\"a\": 1}\n~~~",
             "Result: ```json {\"a\": 1}```",
             "  ```json\n  {\"a\": 1}\n  ```",
         }) {
        const auto result = JsonExtractor().extract(text);
        ASSERT_TRUE(result.ok()) << text << " -> " << result.message;
        EXPECT_EQ(result.value, json::parse(R"({"a": 1})")) << text;
    }
}

TEST(JsonExtractor, SeveralFencesPickFirstParsingPreferringExpectedType)
{
    const std::string text = "First the code:\n```python\nprint({'a': 1})\n```\n"
                             "A list:\n```json\n[1, 2]\n```\nThe answer:\n```json\n{\"ok\": true}\n"
                             "```\n";
    const auto any = JsonExtractor(Expect::Any).extract(text);
    ASSERT_TRUE(any.ok()) << any.message;
    EXPECT_EQ(any.value, json::array({1, 2}));

    const auto object = JsonExtractor(Expect::Object).extract(text);
    ASSERT_TRUE(object.ok()) << object.message;
    EXPECT_EQ(object.value, json::parse(R"({"ok": true})"));

    // With no candidate of the expected type, the first parsing one is the fallback.
    const auto fallback = JsonExtractor(Expect::Object).extract("```json\n[3]\n```");
    ASSERT_TRUE(fallback.ok());
    EXPECT_EQ(fallback.value, json::array({3}));
}

TEST(JsonExtractor, ProseAroundUnfencedJson)
{
    const std::string text = "Use {name} placeholders [see note]. Result:\n"
                             "{\"template\": \"Hi {name}\", \"quote\": \"she said \\\"}]\\\"\"}\n"
                             "Hope this helps! :-}";
    const auto result = JsonExtractor().extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value["template"], "Hi {name}");
    EXPECT_EQ(result.value["quote"], "she said \"}]\"");
    EXPECT_EQ(result.line, 2);
}

TEST(JsonExtractor, ExpectedTypeSkipsEarlierArrays)
{
    const std::string text = "As shown in [1], the answer is {\"score\": 0.9}.";
    const auto object = JsonExtractor(Expect::Object).extract(text);
    ASSERT_TRUE(object.ok()) << object.message;
    EXPECT_EQ(object.value, json::parse(R"({"score": 0.9})"));
}

TEST(JsonExtractor, FenceMarkersInsideJsonStrings)
{
    const std::string text = "```json\n{\"code\": \"```python\\nprint(1)\\n```\"}\n```";
    const auto result = JsonExtractor().extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value["code"], "```python\nprint(1)\n```");
}

TEST(JsonExtractor, BackticksInsideJsonStringsInProseOpenNoFence)
{
    const std::string text = "Result {name}: {\"a\": [{}, \"```]x\"], \"b\": \"x ```\"} done.";
    const auto result = JsonExtractor(Expect::Object).extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value, json::parse(R"({"a": [{}, "```]x"], "b": "x ```"})"));
}

TEST(JsonExtractor, TrailingCommasAreRemovedOutsideStrings)
{
    const std::string text = "{\n  \"a\": [1, 2,],\n  \"s\": \"x,}\",\n}";
    const auto result = JsonExtractor().extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value, json::parse(R"({"a": [1, 2], "s": "x,}"})"));
    ASSERT_EQ(result.fixes.size(), 2U);
    EXPECT_EQ(result.fixes[0], "removed trailing comma at 2:13");
    EXPECT_EQ(result.fixes[1], "removed trailing comma at 3:13");

    // Empty containers with a lone comma are not "fixed".
    EXPECT_EQ(JsonExtractor().extract("[,]").status, Status::Malformed);
}

TEST(JsonExtractor, SmartQuotesAreNotGuessed)
{
    const auto result = JsonExtractor().extract("{\xE2\x80\x9C"
                                                "a\xE2\x80\x9D: 1}");
    EXPECT_EQ(result.status, Status::Malformed);
}

TEST(JsonExtractor, TruncatedJsonIsReportedDistinctly)
{
    const std::string text = "Here it is:\n{\"items\": [{\"id\": 1}, {\"id\": 2, \"name\": \"Bo";
    const auto result = JsonExtractor(Expect::Object).extract(text);
    EXPECT_EQ(result.status, Status::Truncated);
    EXPECT_EQ(result.offset, text.size());
    EXPECT_TRUE(contains(result.message, "truncated")) << result.message;
    EXPECT_TRUE(contains(result.message, "inside the string that starts at 2:41"))
        << result.message;
    EXPECT_TRUE(contains(result.message, "value starts at 2:1")) << result.message;

    // A complete inner object must not be returned in place of the cut-off outer one.
    const auto nested = JsonExtractor().extract("{\"a\": {\"b\": 1}, \"c\": [");
    EXPECT_EQ(nested.status, Status::Truncated);
    EXPECT_TRUE(contains(nested.message, "2 bracket(s) still open")) << nested.message;

    const auto fenced = JsonExtractor().extract("```json\n{\n  \"a\": [1, 2,\n");
    EXPECT_EQ(fenced.status, Status::Truncated);
    EXPECT_EQ(fenced.line, 4);
}

TEST(JsonExtractor, MalformedJsonNamesThePosition)
{
    const std::string text = "Result:\n{\n  \"a\": 1\n  \"b\": 2\n}";
    const auto result = JsonExtractor().extract(text);
    EXPECT_EQ(result.status, Status::Malformed);
    EXPECT_EQ(result.line, 4);
    EXPECT_EQ(result.column, 5); // nlohmann reports the end of the offending token
    EXPECT_TRUE(contains(result.message, "malformed JSON at 4:5")) << result.message;
    EXPECT_TRUE(contains(result.message, "expected '}'")) << result.message;

    const auto python = JsonExtractor().extract("{'a': 1}");
    EXPECT_EQ(python.status, Status::Malformed);
    EXPECT_EQ(python.column, 2);

    const auto mismatch = JsonExtractor().extract("{\"a\": [1, 2}");
    EXPECT_EQ(mismatch.status, Status::Malformed);
    EXPECT_TRUE(contains(mismatch.message, "unexpected '}'")) << mismatch.message;
    EXPECT_EQ(mismatch.column, 12);

    // A closed fence means the model stopped on purpose: unclosed JSON there is malformed.
    const auto closedFence = JsonExtractor().extract("```json\n{\"a\": [1\n```\nDone.");
    EXPECT_EQ(closedFence.status, Status::Malformed);
    EXPECT_TRUE(contains(closedFence.message, "code fence")) << closedFence.message;
}

TEST(JsonExtractor, NoJson)
{
    const auto prose = JsonExtractor().extract("I'm sorry, I cannot help with {that}.");
    EXPECT_EQ(prose.status, Status::NoJson);
    EXPECT_TRUE(contains(prose.message, "no JSON")) << prose.message;
    EXPECT_EQ(JsonExtractor().extract("").status, Status::NoJson);
    EXPECT_EQ(JsonExtractor().extract(" \n\t").status, Status::NoJson);
    EXPECT_STREQ(JsonExtractor::statusName(Status::Truncated), "truncated");
}

TEST(JsonExtractor, BrokenValueOfExpectedTypeBeatsWrongTypeFallback)
{
    const auto truncated = JsonExtractor(Expect::Object).extract("See [1].\n{\"a\": [");
    EXPECT_EQ(truncated.status, Status::Truncated);
    const auto malformed = JsonExtractor(Expect::Object).extract("See [1].\n{\"a\": 1 \"b\": 2}");
    EXPECT_EQ(malformed.status, Status::Malformed);
    const auto any = JsonExtractor(Expect::Any).extract("See [1].\n{\"a\": [");
    ASSERT_TRUE(any.ok());
    EXPECT_EQ(any.value, json::array({1}));
}

TEST(JsonExtractor, PrefersObjectAfterMalformedCandidate)
{
    const std::string text = "Draft: {\"a\": 1 \"b\"}\nFinal: {\"a\": 1, \"b\": 2}";
    const auto result = JsonExtractor(Expect::Object).extract(text);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.value, json::parse(R"({"a": 1, "b": 2})"));
}
