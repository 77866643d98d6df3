// Regression tests for stack overflows found while fuzzing the JSON Schema validator
// (tests/fuzz/jsonschema_fuzz.cpp): each input below crashed before.

#include "core/llm/structured/jsonschemavalidator.h"

#include <gtest/gtest.h>

#include <string>

using crucible::JsonSchemaValidator;
using nlohmann::json;

namespace {

// `levels` arrays nested inside each other: "[[[...]]]".
json nestedArrays(int levels)
{
    return json::parse(std::string(static_cast<std::size_t>(levels), '[') +
                       std::string(static_cast<std::size_t>(levels), ']'));
}

bool anyContains(const std::vector<std::string> &texts, const std::string &part)
{
    for (const std::string &text : texts)
        if (text.find(part) != std::string::npos)
            return true;
    return false;
}

} // namespace

// {"not": {"not": ... 20,000 levels}} overflowed the stack while compiling.
TEST(JsonSchemaValidatorFuzz, DeeplyNestedSchemaIsReportedAndRejects)
{
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += R"({"not":)";
    text += "{}" + std::string(20000, '}');
    const JsonSchemaValidator validator(json::parse(text));
    EXPECT_TRUE(anyContains(validator.schemaProblems(), "schema nested deeper than 200 levels"));
    // The subschema at level 200 is cut off and rejects every value; the 200 NOTs above it
    // (levels 0-199) turn that into: valid at level 199, 197, ... and invalid at the root.
    EXPECT_FALSE(validator.isValid(1));

    // Nesting within the limit compiles without problems.
    std::string ok;
    for (int i = 0; i < 150; ++i)
        ok += R"({"items":)";
    ok += R"({"type":"integer"})" + std::string(150, '}');
    const JsonSchemaValidator shallow(json::parse(ok));
    EXPECT_TRUE(shallow.schemaProblems().empty());
    EXPECT_TRUE(shallow.isValid(nestedArrays(3)));
}

// {"items": {"$ref": "#"}} against 20,000 nested arrays recursed once per level (and $ref).
TEST(JsonSchemaValidatorFuzz, DeeplyNestedInstanceStopsWithAnError)
{
    const JsonSchemaValidator validator(json::parse(R"({"items": {"$ref": "#"}})"));
    const auto errors = validator.validate(nestedArrays(20000));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].keyword, "nesting");
    EXPECT_NE(errors[0].message.find("deeper than 500 levels"), std::string::npos);
    EXPECT_FALSE(validator.isValid(nestedArrays(20000)));
    EXPECT_TRUE(validator.isValid(nestedArrays(100)));
}

// Error messages quote the value with nlohmann's recursive dump(): a deep value overflowed the
// stack in "const", "enum" and "uniqueItems" messages. Deep values are now described instead.
TEST(JsonSchemaValidatorFuzz, MessagesAboutDeepValuesDoNotDumpThem)
{
    // 3,000 levels: deep enough for a recursive dump() to fail the message check, shallow enough
    // for the test's own copies (nlohmann copies recurse) under ASan's larger stack frames.
    const json deep = nestedArrays(3000);
    const auto constErrors = JsonSchemaValidator(json::parse(R"({"const": 1})")).validate(deep);
    ASSERT_EQ(constErrors.size(), 1u);
    EXPECT_EQ(constErrors[0].message, "expected 1, got an array nested deeper than 100 levels");

    const auto enumErrors =
        JsonSchemaValidator(json{{"enum", json::array({nestedArrays(3001)})}}).validate(deep);
    ASSERT_EQ(enumErrors.size(), 1u);
    EXPECT_EQ(enumErrors[0].keyword, "enum");

    const auto uniqueErrors = JsonSchemaValidator(json::parse(R"({"uniqueItems": true})"))
                                  .validate(json::array({deep, deep}));
    ASSERT_EQ(uniqueErrors.size(), 1u);
    EXPECT_EQ(uniqueErrors[0].keyword, "uniqueItems");
}

// "maxItems": 1099999999999999999999 (a float beyond 2^64, from fuzzing) was converted to an
// integer count: undefined behaviour (UBSan). Such a count is no limit as a maximum and
// impossible as a minimum.
TEST(JsonSchemaValidatorFuzz, CountsBeyondTwoToTheSixtyFourAreClamped)
{
    const JsonSchemaValidator most(json::parse(R"({"maxItems": 1099999999999999999999})"));
    EXPECT_TRUE(most.validate(json::array({1, 2, 3})).empty());
    const JsonSchemaValidator least(json::parse(R"({"minLength": 1e30})"));
    EXPECT_FALSE(least.validate(json("short")).empty());
}
