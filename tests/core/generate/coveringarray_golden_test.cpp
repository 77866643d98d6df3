// The covering-array generator gives the same arrays for the same (model, options) from one
// build to the next: a fingerprint of the rows and figures of several models, strengths and
// seeds, recorded from the generator as it was before it was split by responsibility. The
// effort cap (not the generous time budget) ends every run, so the rows are deterministic. When a
// change of the arrays is intended, record the new value printed by the failing test.

#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace crucible;

namespace {

class Fingerprint
{
public:
    void add(std::int64_t v)
    {
        for (int i = 0; i < 8; ++i) {
            m_hash ^= static_cast<std::uint64_t>(v >> (8 * i)) & 0xFFU;
            m_hash *= 0x100000001B3ULL;
        }
    }
    void add(const CoveringArrayResult &r)
    {
        add(static_cast<std::int64_t>(r.rows.size()));
        for (const auto &row : r.rows)
            for (int v : row)
                add(v);
        add(r.requiredTuples);
        add(r.excludedTuples);
        add(r.greedyRows);
        add(r.lowerBound);
        add(r.satisfiable ? 1 : 0);
        add(r.cancelled ? 1 : 0);
    }
    std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = 0xCBF29CE484222325ULL;
};

// More values than the propagating solver's bit sets hold: the plain search completes rows.
std::string manyValues()
{
    std::string text = "P0: v0";
    for (int v = 1; v < 70; ++v)
        text += ", v" + std::to_string(v);
    text += "\nP1: a, b, c\nP2: a, b, c\nP3: x, y\n\n"
            "IF [P0] = \"v65\" THEN [P1] = \"c\";\nIF [P2] = \"a\" THEN [P0] <> \"v3\";\n";
    return text;
}

std::vector<std::pair<std::string, int>> models()
{
    return {
        {"A: 1, 2, 3\nB: 1, 2, 3\nC: 1, 2, 3\nD: 1, 2, 3\n", 2},
        {"A: a, b, c, d\nB: a, b, c\nC: x, y\nD: p, q, r, s, t\nE: 0, 1\nF: u, v, w\n", 2},
        {"A: a, b, c, d\nB: a, b, c\nC: x, y\nD: p, q, r, s, t\nE: 0, 1\nF: u, v, w\n", 3},
        {"OS: win, mac, linux\nBrowser: edge, safari, chrome, firefox\nLang: en, de, fr\n"
         "Net: wifi, lan, lte\nMode: light, dark\n\n"
         "IF [OS] = \"mac\" THEN [Browser] <> \"edge\";\n"
         "IF [OS] = \"linux\" THEN [Browser] IN {\"chrome\", \"firefox\"};\n"
         "IF [Net] = \"lte\" THEN [Mode] = \"dark\";\n",
         2},
        {"A: 1, 2, 3, 4\nB: 1, 2, 3, 4\nC: 1, 2, 3\nD: x, y, z\nE: p, q\n\n"
         "[A] <= [B];\nIF [C] > 1 THEN [D] <> \"z\";\nIF [D] = \"x\" OR [E] = \"q\" THEN "
         "[A] < 3;\n",
         3},
        {"A: a1, a2\n\n[A] = \"a1\";\n[A] = \"a2\";\n", 1},
        {manyValues(), 2},
    };
}

} // namespace

TEST(CoveringArrayGolden, SameArraysForTheSameSeeds)
{
    Fingerprint fp;
    for (const auto &[text, strength] : models()) {
        const PictModel model = PictModel::parse(text);
        for (std::uint64_t seed : {1ULL, 7ULL, 1234567ULL}) {
            for (bool optimise : {false, true}) {
                CoveringArrayOptions options;
                options.strength = strength;
                options.seed = seed;
                options.optimise = optimise;
                options.effort = 200'000;
                options.timeBudgetSeconds = 120;
                const CoveringArrayResult r = CoveringArrayGenerator::generate(model, options);
                fp.add(r);
            }
        }
    }
    // Weighted values.
    const PictModel model = PictModel::parse("A: a, b, c\nB: a, b, c\nC: a, b\nD: a, b, c, d\n");
    ConstraintEvaluator constraints(model.parameters, model.constraints);
    CoveringArrayOptions options;
    options.effort = 100'000;
    options.timeBudgetSeconds = 120;
    fp.add(CoveringArrayGenerator::generate({3, 3, 2, 4}, constraints, options,
                                            {{5, 1, 1}, {1, 1, 1}, {1, 9}, {1, 1, 1, 1}}));
    EXPECT_EQ(fp.value(), 0x562c640a81d47df7ULL) << "fingerprint 0x" << std::hex << fp.value();
}
