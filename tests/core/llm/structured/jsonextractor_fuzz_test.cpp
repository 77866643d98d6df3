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
