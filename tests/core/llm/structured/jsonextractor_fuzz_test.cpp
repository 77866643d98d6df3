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

// A number beyond a double (the CI smoke run's fuzzer wrote "2e0888…8" into a fenced array):
// nlohmann throws out_of_range, not parse_error, and the extractor let it escape (terminate).
TEST(JsonExtractorFuzz, ANumberTooLargeForADoubleIsAnErrorNotACrash)
{
    const char *text = "```json88888\xef\xbb\xbf[1,1, 2e0888888888888888888888888888888888888888"
                       "88888888888888888888880\"}, nuLl,";
    const auto huge = JsonExtractor().extract(text);
    EXPECT_FALSE(huge.ok());
    const auto plain = JsonExtractor().extract("The answer: {\"score\": 1e999}");
    EXPECT_FALSE(plain.ok());
    EXPECT_NE(plain.message.find("too large"), std::string::npos) << plain.message;
    // A later value that parses is still found.
    const auto later = JsonExtractor().extract("{\"a\": 1e999} and then {\"a\": 2}");
    ASSERT_TRUE(later.ok()) << later.message;
    EXPECT_EQ(later.value, nlohmann::json::parse(R"({"a": 2})"));
}
