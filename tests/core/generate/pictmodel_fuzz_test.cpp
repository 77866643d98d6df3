// Regression tests for inputs the libFuzzer target tests/fuzz/pictmodel_fuzz.cpp found.

#include "core/generate/pictmodel.h"

#include <gtest/gtest.h>

#include <string>

using crucible::PictModel;
using crucible::PictParseError;

namespace {

std::string repeat(const std::string &text, int times)
{
    std::string out;
    for (int i = 0; i < times; ++i)
        out += text;
    return out;
}

std::string parseError(const std::string &model)
{
    try {
        PictModel::parse(model, "deep.txt");
    } catch (const PictParseError &e) {
        return e.what();
    }
    return "parsed";
}

} // namespace

// 50,000 nested parentheses (or NOTs) overflowed the stack of the recursive-descent parser; now
// nesting deeper than 100 levels is a parse error that says where and what to do.
TEST(PictModelFuzz, DeepNestingIsAnErrorNotAStackOverflow)
{
    const std::string parens =
        "A: 1, 2\n\n" + repeat("(", 50000) + "[A] = 1" + repeat(")", 50000) + ";\n";
    EXPECT_EQ(parseError(parens).rfind("deep.txt:3:101: constraint nested deeper than 100", 0), 0u)
        << parseError(parens);
    const std::string nots = "A: 1, 2\n\n" + repeat("NOT ", 50000) + "[A] = 1;\n";
    EXPECT_EQ(parseError(nots).rfind("deep.txt:3:401: constraint nested deeper than 100", 0), 0u)
        << parseError(nots);

    // 100 levels still parse, and the model round-trips.
    const PictModel ok = PictModel::parse("A: 1, 2\n\n" + repeat("(", 50) + repeat("NOT ", 50) +
                                          "[A] = 1" + repeat(")", 50) + ";\n");
    ASSERT_EQ(ok.constraints.size(), 1u);
    EXPECT_EQ(PictModel::parse(ok.toText()), ok);
}
