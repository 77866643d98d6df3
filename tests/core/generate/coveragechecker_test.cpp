// The coverage checker reads constraints with its own ConstraintInterpreter. These tests hold the
// interpreter and the generator's ConstraintEvaluator to the same answers on many random
// constraints and rows, and show that the checker finds gaps the generator could hide.

#include "core/generate/constraintevaluator.h"
#include "core/generate/constraintinterpreter.h"
#include "core/generate/coveragechecker.h"
#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <set>
#include <string>

using namespace crucible;

namespace {

using Truth = ConstraintInterpreter::Truth;
using TupleSet = std::set<std::vector<std::pair<int, int>>>;

// Values that exercise every rule: numbers in several spellings, text that differs only in case,
// wildcard characters, non-ASCII text and text that only looks like a number.
const std::vector<std::string> kValuePool = {
    "1",   "2",   "10",  "-3",  "2.5", "+4",  "1e1", "0.5", ".5",       "5.", "007",
    "abc", "ABC", "Abd", "red", "Re",  "x*y", "a?c", "été", "zoo",      "1a", "e5",
    "1e",  "-",   "3.0", "03",  "Zoo", "ÉTÉ", "NaN", "inf", "-Infinity"};

struct RandomModels
{
    explicit RandomModels(std::uint32_t seed)
        : random(seed)
    {
    }

    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); }
    template <typename T> const T &any(const std::vector<T> &items)
    {
        return items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))];
    }

    PictModel model()
    {
        PictModel m;
        const int n = pick(2, 5);
        for (int p = 0; p < n; ++p) {
            MatrixParameter parameter;
            parameter.name = "P" + std::to_string(p);
            std::vector<std::string> pool = kValuePool;
            std::shuffle(pool.begin(), pool.end(), random);
            const std::size_t count = static_cast<std::size_t>(pick(2, 5));
            // PICT rejects two names of one parameter that differ only in case.
            auto taken = [&parameter](const std::string &name) {
                for (const std::string &value : parameter.values) {
                    if (ConstraintInterpreter::sameText(value, name))
                        return true;
                }
                for (const auto &names : parameter.aliases) {
                    for (const std::string &alias : names) {
                        if (ConstraintInterpreter::sameText(alias, name))
                            return true;
                    }
                }
                return false;
            };
            for (const std::string &value : pool) {
                if (parameter.values.size() < count && !taken(value))
                    parameter.values.push_back(value);
            }
            if (pick(0, 2) == 0) {
                // One value gets aliases: equality and IN see them, ordering and LIKE do not.
                parameter.aliases.resize(parameter.values.size());
                for (const std::string &alias : {any(kValuePool) + "-alias", any(kValuePool)}) {
                    if (!taken(alias))
                        parameter.aliases[0].push_back(alias);
                }
            }
            m.parameters.push_back(parameter);
        }
        const int constraints = pick(1, 4);
        for (int c = 0; c < constraints; ++c)
            m.constraints.push_back(pick(0, 1) ? predicate(m, 3) : ifThen(m));
        return m;
    }

    ConstraintLiteral literal(const MatrixParameter &parameter)
    {
        // Mostly a value of the parameter (or an alias), sometimes anything from the pool.
        std::string text = pick(0, 3) == 0 ? any(kValuePool) : any(parameter.values);
        if (!parameter.aliases.empty() && !parameter.aliases[0].empty() && pick(0, 4) == 0)
            text = any(parameter.aliases[0]);
        if (pick(0, 3) == 0) { // change case
            for (char &c : text) {
                if (c >= 'a' && c <= 'z')
                    c = static_cast<char>(c - 'a' + 'A');
            }
        }
        const bool number = ConstraintInterpreter::isNumber(text) && pick(0, 2) != 0;
        return {text, number};
    }

    std::string likePattern(const MatrixParameter &parameter)
    {
        std::string pattern = any(parameter.values);
        const int edits = pick(0, 3);
        for (int i = 0; i < edits; ++i) {
            const int at = pick(0, static_cast<int>(pattern.size()));
            switch (pick(0, 2)) {
            case 0:
                pattern.insert(static_cast<std::size_t>(at), "*");
                break;
            case 1:
                if (at < static_cast<int>(pattern.size()))
                    pattern[static_cast<std::size_t>(at)] = '?';
                break;
            default:
                if (at < static_cast<int>(pattern.size()))
                    pattern.erase(static_cast<std::size_t>(at), 1);
            }
        }
        return pattern;
    }

    ConstraintExpr relation(const PictModel &m)
    {
        const MatrixParameter &p = any(m.parameters);
        static const std::vector<ConstraintOp> ordering = {
            ConstraintOp::Equal,   ConstraintOp::NotEqual,  ConstraintOp::Less,
            ConstraintOp::Greater, ConstraintOp::LessEqual, ConstraintOp::GreaterEqual};
        switch (pick(0, 4)) {
        case 0: // two parameters
            return ConstraintExpr::compare(p.name, any(ordering), any(m.parameters).name);
        case 1: { // IN / NOT IN
            std::vector<ConstraintLiteral> set;
            const int size = pick(1, 3);
            for (int i = 0; i < size; ++i)
                set.push_back(literal(p));
            return ConstraintExpr::relation(
                p.name, pick(0, 1) ? ConstraintOp::In : ConstraintOp::NotIn, set);
        }
        case 2: // LIKE / NOT LIKE
            return ConstraintExpr::relation(p.name,
                                            pick(0, 1) ? ConstraintOp::Like : ConstraintOp::NotLike,
                                            {{likePattern(p), false}});
        default:
            return ConstraintExpr::relation(p.name, any(ordering), {literal(p)});
        }
    }

    ConstraintExpr predicate(const PictModel &m, int depth)
    {
        if (depth == 0 || pick(0, 2) == 0)
            return relation(m);
        switch (pick(0, 2)) {
        case 0:
            return ConstraintExpr::negation(predicate(m, depth - 1));
        case 1:
            return ConstraintExpr::conjunction({predicate(m, depth - 1), predicate(m, depth - 1)});
        default:
            return ConstraintExpr::disjunction({predicate(m, depth - 1), predicate(m, depth - 1)});
        }
    }

    ConstraintExpr ifThen(const PictModel &m)
    {
        if (pick(0, 1) == 0)
            return ConstraintExpr::ifThen(predicate(m, 2), predicate(m, 2));
        return ConstraintExpr::ifThenElse(predicate(m, 2), predicate(m, 2), predicate(m, 2));
    }

    // A full row, or (partial) one where each parameter is left open with probability 1/3.
    std::vector<int> row(const PictModel &m, bool partial)
    {
        std::vector<int> r;
        for (const MatrixParameter &p : m.parameters) {
            const bool open = partial && pick(0, 2) == 0;
            r.push_back(open ? -1 : pick(0, static_cast<int>(p.values.size()) - 1));
        }
        return r;
    }

    std::mt19937 random;
};

Truth asTruth(Tri t)
{
    return t == Tri::True ? Truth::Yes : (t == Tri::False ? Truth::No : Truth::Unknown);
}

std::string show(const PictModel &m, const std::vector<int> &row)
{
    std::string text;
    for (std::size_t p = 0; p < row.size(); ++p) {
        text += m.parameters[p].name + "=" +
                (row[p] < 0 ? std::string("?") : m.parameters[p].values[std::size_t(row[p])]) + " ";
    }
    return text;
}

// Every allowed t-way combination, found by enumerating every full row: the definition of
// coverage with no search at all (small models only).
TupleSet allowedTuplesByEnumeration(const PictModel &m, int strength)
{
    const ConstraintInterpreter constraints(m.parameters, m.constraints);
    const std::size_t n = m.parameters.size();
    TupleSet allowed;
    std::vector<int> row(n, 0);
    while (true) {
        if (constraints.allows(row)) {
            for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
                if (std::popcount(mask) != strength)
                    continue;
                std::vector<std::pair<int, int>> tuple;
                for (std::size_t p = 0; p < n; ++p) {
                    if (mask & (1u << p))
                        tuple.emplace_back(static_cast<int>(p), row[p]);
                }
                allowed.insert(tuple);
            }
        }
        std::size_t p = 0;
        while (p < n && ++row[p] == static_cast<int>(m.parameters[p].values.size()))
            row[p++] = 0;
        if (p == n)
            break;
    }
    return allowed;
}

CoveringArrayOptions options(int strength)
{
    CoveringArrayOptions o;
    o.strength = strength;
    o.seed = 5;
    o.effort = 100'000;
    o.timeBudgetSeconds = 60; // the effort cap ends the run: rows are deterministic
    return o;
}

} // namespace

TEST(ConstraintInterpreterTest, AgreesWithTheGeneratorsEvaluatorOnRandomConstraints)
{
    RandomModels random(20261204);
    int fullRows = 0;
    int decidedPartial = 0;
    std::set<std::string> outcomes; // both answers seen on full rows: the test is not vacuous
    for (int i = 0; i < 400; ++i) {
        PictModel model = random.model();
        // Through the parser as well: the text a user writes must be read the same way.
        for (const PictModel &m : {model, PictModel::parse(model.toText())}) {
            const ConstraintEvaluator generator(m.parameters, m.constraints);
            const ConstraintInterpreter checker(m.parameters, m.constraints);
            ASSERT_EQ(checker.constraintCount(), generator.constraintCount());
            for (int p = 0; p < static_cast<int>(m.parameters.size()); ++p)
                EXPECT_EQ(checker.constraintsOn(p), generator.constraintsOn(p));
            for (int r = 0; r < 40; ++r) {
                const std::vector<int> full = random.row(m, false);
                for (int c = 0; c < checker.constraintCount(); ++c) {
                    const Truth expected = asTruth(generator.evaluate(c, full));
                    const Truth actual = checker.evaluate(c, full);
                    ASSERT_EQ(actual, expected)
                        << "constraint " << m.constraints[std::size_t(c)].toText() << "\nrow "
                        << show(m, full);
                    outcomes.insert(actual == Truth::Yes ? "yes" : "no");
                }
                ++fullRows;
                // On a partial row either may stay undecided (both are sound, not equally
                // sharp), but they never decide opposite ways.
                const std::vector<int> partial = random.row(m, true);
                for (int c = 0; c < checker.constraintCount(); ++c) {
                    const Truth a = asTruth(generator.evaluate(c, partial));
                    const Truth b = checker.evaluate(c, partial);
                    if (a != Truth::Unknown && b != Truth::Unknown) {
                        ASSERT_EQ(a, b) << "constraint " << m.constraints[std::size_t(c)].toText()
                                        << "\nrow " << show(m, partial);
                        ++decidedPartial;
                    }
                }
            }
        }
    }
    EXPECT_EQ(fullRows, 400 * 2 * 40);
    EXPECT_EQ(outcomes.size(), 2u);
    EXPECT_GT(decidedPartial, 1000);
}

TEST(ConstraintInterpreterTest, ComparisonRules)
{
    EXPECT_TRUE(ConstraintInterpreter::isNumber("10"));
    EXPECT_TRUE(ConstraintInterpreter::isNumber("-2.5e3"));
    EXPECT_TRUE(ConstraintInterpreter::isNumber("+.5"));
    EXPECT_TRUE(ConstraintInterpreter::isNumber("5."));
    EXPECT_FALSE(ConstraintInterpreter::isNumber("1e"));
    EXPECT_FALSE(ConstraintInterpreter::isNumber("0x10"));
    EXPECT_FALSE(ConstraintInterpreter::isNumber(" 1"));
    EXPECT_FALSE(ConstraintInterpreter::isNumber("-"));
    EXPECT_FALSE(ConstraintInterpreter::isNumber("1e999")); // beyond a double
    EXPECT_TRUE(ConstraintInterpreter::sameText("Été", "Été"));
    EXPECT_TRUE(ConstraintInterpreter::sameText("ABC", "abc"));
    EXPECT_FALSE(ConstraintInterpreter::sameText("abc", "abcd"));
    EXPECT_TRUE(ConstraintInterpreter::likeMatches("Alpha", "a*A"));
    EXPECT_TRUE(ConstraintInterpreter::likeMatches("beta", "?ETA"));
    EXPECT_TRUE(ConstraintInterpreter::likeMatches("", "**"));
    EXPECT_TRUE(ConstraintInterpreter::likeMatches("aXbXc", "*b*c"));
    EXPECT_FALSE(ConstraintInterpreter::likeMatches("Gamma", "?eta"));
    EXPECT_FALSE(ConstraintInterpreter::likeMatches("ab", "a?b"));
    EXPECT_FALSE(ConstraintInterpreter::likeMatches("abc", "*b"));

    const PictModel m = PictModel::parse("S: Alpha, beta, Gamma | G\nN: 9, 10, 100\nM: 10, 9\n\n"
                                         "IF [N] = 9 THEN [S] = \"g\" ELSE [N] > [M];\n"
                                         "[S] IN {\"x\", \"BETA\", \"G\"};\n");
    const ConstraintInterpreter constraints(m.parameters, m.constraints);
    EXPECT_EQ(constraints.evaluate(0, std::vector<int>{2, 0, -1}), Truth::Yes); // alias G
    EXPECT_EQ(constraints.evaluate(0, std::vector<int>{-1, 1, 1}), Truth::Yes); // 10 > 9, numeric
    EXPECT_EQ(constraints.evaluate(0, std::vector<int>{-1, 1, 0}), Truth::No);
    EXPECT_EQ(constraints.evaluate(0, std::vector<int>{-1, 1, -1}), Truth::Unknown);
    EXPECT_EQ(constraints.evaluate(1, std::vector<int>{1, -1, -1}), Truth::Yes);
    EXPECT_EQ(constraints.evaluate(1, std::vector<int>{0, -1, -1}), Truth::No);
    EXPECT_EQ(constraints.parametersOf(0), (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(constraints.constraintsOn(0), (std::vector<int>{0, 1}));

    PictModel unknown = m;
    unknown.constraints.push_back(
        ConstraintExpr::relation("Nope", ConstraintOp::Equal, {{"x", false}}));
    EXPECT_THROW(ConstraintInterpreter(unknown.parameters, unknown.constraints),
                 std::invalid_argument);
}

TEST(CoverageCheckerTest, MatchesAnEnumerationOfEveryAllowedRow)
{
    RandomModels random(77);
    int gaps = 0;
    for (int i = 0; i < 60; ++i) {
        const PictModel m = random.model();
        const int n = static_cast<int>(m.parameters.size());
        for (int t = 1; t <= std::min(3, n); ++t) {
            const auto allowed = allowedTuplesByEnumeration(m, t);
            // A few random rows: the ones the constraints allow cover some tuples, the rest none.
            std::vector<std::vector<int>> rows;
            for (int r = 0; r < 6; ++r)
                rows.push_back(random.row(m, false));
            const CoverageReport report = CoverageChecker::check(m, rows, t);
            const ConstraintInterpreter constraints(m.parameters, m.constraints);
            TupleSet covered;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                const bool invalid = std::count(report.invalidRows.begin(),
                                                report.invalidRows.end(), static_cast<int>(r)) > 0;
                ASSERT_EQ(invalid, !constraints.allows(rows[r]));
            }
            TupleSet uncovered(report.uncovered.begin(), report.uncovered.end());
            EXPECT_EQ(report.allowedTuples, static_cast<std::int64_t>(allowed.size()))
                << m.toText();
            for (const auto &tuple : uncovered)
                EXPECT_TRUE(allowed.count(tuple)) << "an impossible tuple reported as a gap";
            gaps += static_cast<int>(uncovered.size());
        }
    }
    EXPECT_GT(gaps, 0);
}

TEST(CoverageCheckerTest, CatchesAPlantedViolationAndTheGapItLeaves)
{
    const PictModel model = PictModel::parse("A: a1, a2, a3\nB: b1, b2, b3\nC: c1, c2\n\n"
                                             "IF [A] = \"a1\" THEN [B] = \"b1\";\n");
    const CoveringArrayResult result = CoveringArrayGenerator::generate(model, options(2));
    ASSERT_TRUE(result.satisfiable);
    const CoverageReport clean = CoverageChecker::check(model, result.rows, 2);
    ASSERT_TRUE(clean.complete());
    EXPECT_EQ(clean.allowedTuples, result.requiredTuples);
    EXPECT_EQ(clean.impossibleTuples, result.excludedTuples);

    // Plant a violation: the row holding (a1, b1) now says (a1, b2), which the constraint forbids.
    std::vector<std::vector<int>> rows = result.rows;
    const auto planted = std::find_if(rows.begin(), rows.end(), [](const std::vector<int> &row) {
        return row[0] == 0 && row[1] == 0;
    });
    ASSERT_NE(planted, rows.end());
    (*planted)[1] = 1;
    const int plantedIndex = static_cast<int>(planted - rows.begin());
    const CoverageReport broken = CoverageChecker::check(model, rows, 2);
    EXPECT_EQ(broken.invalidRows, std::vector<int>{plantedIndex});
    EXPECT_FALSE(broken.complete());
    // The invalid row covers nothing: at least (A=a1, B=b1) is now missing, if no other row has it.
    const bool otherA1B1 = std::any_of(rows.begin(), rows.end(), [](const std::vector<int> &row) {
        return row[0] == 0 && row[1] == 0;
    });
    const std::vector<std::pair<int, int>> a1b1 = {{0, 0}, {1, 0}};
    EXPECT_EQ(std::count(broken.uncovered.begin(), broken.uncovered.end(), a1b1),
              otherA1B1 ? 0 : 1);

    // A generator that misread the constraint (here: read as IF a1 THEN b2) would cover the
    // model it believed in; the checker, reading the real constraint, rejects those rows.
    PictModel misread = model;
    misread.constraints = {ConstraintExpr::ifThen(
        ConstraintExpr::relation("A", ConstraintOp::Equal, {{"a1", false}}),
        ConstraintExpr::relation("B", ConstraintOp::Equal, {{"b2", false}}))};
    const CoveringArrayResult wrong = CoveringArrayGenerator::generate(misread, options(2));
    ASSERT_TRUE(CoverageChecker::check(misread, wrong.rows, 2).complete());
    const CoverageReport caught = CoverageChecker::check(model, wrong.rows, 2);
    EXPECT_FALSE(caught.invalidRows.empty());
    EXPECT_FALSE(caught.uncovered.empty());

    // Dropping a row leaves exactly the tuples only that row held uncovered.
    rows = result.rows;
    const std::vector<int> dropped = rows.back();
    rows.pop_back();
    TupleSet onlyThere;
    for (int i = 0; i < 3; ++i) {
        for (int j = i + 1; j < 3; ++j) {
            const bool elsewhere = std::any_of(rows.begin(), rows.end(), [&](const auto &row) {
                return row[std::size_t(i)] == dropped[std::size_t(i)] &&
                       row[std::size_t(j)] == dropped[std::size_t(j)];
            });
            if (!elsewhere)
                onlyThere.insert({{i, dropped[std::size_t(i)]}, {j, dropped[std::size_t(j)]}});
        }
    }
    const CoverageReport shorter = CoverageChecker::check(model, rows, 2);
    EXPECT_EQ(TupleSet(shorter.uncovered.begin(), shorter.uncovered.end()), onlyThere);
    EXPECT_TRUE(shorter.invalidRows.empty());
}

TEST(CoverageCheckerTest, AllowedRowCountEnumeratesTheConstrainedProduct)
{
    const PictModel model = PictModel::parse("A: 1, 2, 3\nB: 1, 2, 3\nC: x, y\nD: p, q\n\n"
                                             "[A] <= [B];\nIF [C] = \"x\" THEN [D] = \"p\";\n");
    EXPECT_EQ(CoverageChecker::allowedRowCount(model), 6 * 3);
    PictModel none = model;
    none.constraints.push_back(ConstraintExpr::compare("A", ConstraintOp::Greater, "B"));
    EXPECT_EQ(CoverageChecker::allowedRowCount(none), 0);
    PictModel free = model;
    free.constraints.clear();
    EXPECT_EQ(CoverageChecker::allowedRowCount(free), 3 * 3 * 2 * 2);
}

// Three bugs of the generator's evaluator that the agreement test above found: "NaN" read as a
// number that equals every number, non-ASCII text ordered before ASCII (signed bytes), and a
// `*` in a LIKE pattern matched as a literal where the text has a `*` ("x*y" LIKE "x*" false).
TEST(ConstraintInterpreterTest, GeneratorAgreesOnNanNonAsciiOrderAndLiteralStars)
{
    const PictModel m = PictModel::parse("N: NaN, inf, 5\nT: été, zoo, x*y\n\n"
                                         "[N] = 5;\n[T] > \"zoo\";\n[T] LIKE \"x*\";\n");
    const ConstraintEvaluator generator(m.parameters, m.constraints);
    const ConstraintInterpreter checker(m.parameters, m.constraints);
    for (int n = 0; n < 3; ++n) {
        const std::vector<int> row = {n, 0};
        EXPECT_EQ(generator.evaluate(0, row), n == 2 ? Tri::True : Tri::False) << "N = " << n;
        EXPECT_EQ(checker.evaluate(0, row), n == 2 ? Truth::Yes : Truth::No) << "N = " << n;
    }
    EXPECT_EQ(generator.evaluate(1, std::vector<int>{2, 0}), Tri::True) << "été > zoo";
    EXPECT_EQ(checker.evaluate(1, std::vector<int>{2, 0}), Truth::Yes) << "été > zoo";
    EXPECT_EQ(generator.evaluate(2, std::vector<int>{0, 2}), Tri::True) << "x*y LIKE x*";
    EXPECT_EQ(checker.evaluate(2, std::vector<int>{0, 2}), Truth::Yes) << "x*y LIKE x*";
}
