#include "core/llm/structured/ecmaregex.h"
#include "core/llm/structured/jsonschemavalidator.h"

#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

TEST(EcmaRegex, MatchesTheEcmaSubsetJsonSchemaUses)
{
    struct Case
    {
        const char *pattern;
        const char *text;
        bool match;
    };
    const Case cases[] = {
        {"^[a-z]+$", "abc", true},
        {"^[a-z]+$", "abc1", false},
        {"\\d{3}-\\d{4}", "call 555-1234 now", true}, // unanchored, like ECMA test()
        {"^\\w+@\\w+\\.com$", "a_b@c.com", true},
        {"^(?:ab)+?c$", "ababc", true},
        {"^(?<year>\\d{4})-(?<month>\\d{2})$", "2026-12", true}, // named groups
        {"^\\u00e9t\\u00E9$", "été", true},                      // \uXXXX
        {"^\\x41$", "A", true},
        {"^a.c$", "a\nc", false}, // . stops at line terminators
        {"^a.c$",
         "a\xe2\x80\xa8"
         "c",
         false},                     // U+2028 too
        {"^a.c$", "aéc", true},      // one code point, not one byte
        {"^\\s$", "\xc2\xa0", true}, // ECMA \s includes NBSP
        {"^[^]$", "\n", true},       // [^] matches anything
        {"^[]", "x", false},         // [] matches nothing
        {"^\\p{L}+$", "Ωmega", true},
        {"^[\\-+]?\\d+$", "-42", true},
        {"^\\/path$", "/path", true},
        {"^[\\b]$", "\b", true},
        {"^\\cJ$", "\n", true},
        {"colou?r", "The colour", true},
    };
    for (const Case &c : cases) {
        const EcmaRegex re(c.pattern);
        ASSERT_TRUE(re.ok()) << c.pattern << ": " << re.error();
        EXPECT_EQ(re.search(c.text), c.match)
            << c.pattern << " on " << c.text << " (as " << re.translated() << ")";
    }
}

TEST(EcmaRegex, WhatNeedsBacktrackingIsRefusedWithAReason)
{
    for (const char *p : {"(a)\\1", "(?<x>a)\\k<x>", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b"}) {
        const EcmaRegex re(p);
        EXPECT_FALSE(re.ok()) << p;
        EXPECT_FALSE(re.error().empty());
        EXPECT_FALSE(re.search("ab"));
    }
    EXPECT_FALSE(EcmaRegex("[a-").ok());
    EXPECT_FALSE(EcmaRegex("a\\").ok());
    EXPECT_FALSE(EcmaRegex("(a").ok()); // RE2's own error
}

// Inputs that made std::regex recurse once per character (stack overflow near 20,000) or
// backtrack exponentially: linear time with RE2, whatever the length.
TEST(EcmaRegex, LongAndAdversarialInputsStayLinear)
{
    const EcmaRegex alternation("^(a|b)*$");
    std::string text(1000000, 'a');
    EXPECT_TRUE(alternation.search(text));
    text.back() = 'c';
    EXPECT_FALSE(alternation.search(text));

    const EcmaRegex catastrophic("^(x+x+)+y$");
    const std::string xs(100000, 'x');
    EXPECT_FALSE(catastrophic.search(xs)); // returns: a backtracking matcher would not

    const JsonSchemaValidator validator(json::parse(R"({"pattern": "^(\\w+\\s?)*$"})"));
    std::string words;
    for (int i = 0; i < 50000; ++i)
        words += "word ";
    words += '!';
    EXPECT_FALSE(validator.isValid(words));
}

TEST(EcmaRegex, TheValidatorReportsAndSkipsAnUnsupportedPattern)
{
    const JsonSchemaValidator validator(
        json::parse(R"({"type": "string", "pattern": "^(a)\\1$", "maxLength": 3})"));
    ASSERT_EQ(validator.schemaProblems().size(), 1U);
    EXPECT_NE(validator.schemaProblems()[0].find("back-references"), std::string::npos)
        << validator.schemaProblems()[0];
    EXPECT_TRUE(validator.isValid(json("ab"))); // the pattern rule is skipped, the others kept
    EXPECT_FALSE(validator.isValid(json("abcd")));
}
