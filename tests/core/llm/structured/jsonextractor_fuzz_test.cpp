// Regression tests for inputs the libFuzzer target tests/fuzz/jsonextractor_fuzz.cpp found.

#include "core/llm/structured/jsonextractor.h"

#include <gtest/gtest.h>

using crucible::JsonExtractor;

// An empty (or blank) answer reported line 0, column 0; positions are 1-based.
TEST(JsonExtractorFuzz, EmptyAnswerHasAPosition)
{
    for (const char *text : {"", "  \n\t"}) {
        const auto result = JsonExtractor().extract(text);
        EXPECT_EQ(result.status, JsonExtractor::Status::NoJson);
        EXPECT_EQ(result.offset, 0U);
        EXPECT_EQ(result.line, 1) << '"' << text << '"';
        EXPECT_EQ(result.column, 1) << '"' << text << '"';
    }
}

// A fence opened mid-line and followed by a line break whose content starts with a closing bracket
// (or anything but '{' / '[') read std::string::back() of an empty bracket stack (UBSan).
TEST(JsonExtractorFuzz, MidLineFenceWithoutAnOpeningBracket)
{
    for (const char *text : {"a ```json\n}", "Result: ```\n\"text\" ]\n```", "x ```\n]]\n```"}) {
        const auto result = JsonExtractor().extract(text);
        EXPECT_FALSE(result.ok()) << text;
        EXPECT_FALSE(result.message.empty()) << text;
    }
    // The same fence holding a value still yields it.
    const auto ok = JsonExtractor().extract("Here it is: ```json\n{\"a\": [1, 2]}\n```");
    ASSERT_TRUE(ok.ok()) << ok.message;
    EXPECT_EQ(ok.value, nlohmann::json::parse(R"({"a": [1, 2]})"));
}
