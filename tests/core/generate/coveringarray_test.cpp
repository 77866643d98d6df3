#include "core/generate/coveragechecker.h"
#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace crucible;

namespace {

CoveringArrayOptions fastOptions(int strength, std::uint64_t seed = 1)
{
    CoveringArrayOptions options;
    options.strength = strength;
    options.seed = seed;
    options.effort = 300'000;
    options.timeBudgetSeconds = 60; // the effort cap ends the run, so rows are deterministic
    return options;
}

PictModel uniformModel(int parameters, int values)
{
    PictModel model;
    for (int p = 0; p < parameters; ++p) {
        MatrixParameter parameter;
        parameter.name = "P" + std::to_string(p);
        for (int v = 0; v < values; ++v)
            parameter.values.push_back("v" + std::to_string(v));
        model.parameters.push_back(parameter);
    }
    return model;
}

// A random model with up to `maxConstraints` random IF/THEN, OR and IN constraints.
PictModel randomModel(std::mt19937 &random, int maxConstraints)
{
    auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    PictModel model;
    int n = pick(3, 7);
    for (int p = 0; p < n; ++p) {
        MatrixParameter parameter;
        parameter.name = "P" + std::to_string(p);
        int values = pick(2, 4);
        for (int v = 0; v < values; ++v)
            parameter.values.push_back("v" + std::to_string(v));
        model.parameters.push_back(parameter);
    }
    auto relation = [&](ConstraintOp op) {
        const MatrixParameter &p = model.parameters[static_cast<std::size_t>(pick(0, n - 1))];
        return ConstraintExpr::relation(
            p.name, op,
            {{p.values[static_cast<std::size_t>(pick(0, static_cast<int>(p.values.size()) - 1))],
              false}});
    };
    int constraints = pick(0, maxConstraints);
    for (int c = 0; c < constraints; ++c) {
        switch (pick(0, 2)) {
        case 0:
            model.constraints.push_back(ConstraintExpr::ifThen(
                relation(ConstraintOp::Equal),
                relation(pick(0, 1) ? ConstraintOp::NotEqual : ConstraintOp::Equal)));
            break;
        case 1:
            model.constraints.push_back(ConstraintExpr::disjunction(
                {relation(ConstraintOp::NotEqual), relation(ConstraintOp::NotEqual)}));
            break;
        default: {
            ConstraintExpr set = relation(ConstraintOp::In);
            set.values.push_back({"v1", false});
            model.constraints.push_back(ConstraintExpr::ifThen(relation(ConstraintOp::Equal), set));
        }
        }
    }
    return model;
}

// 40 parameters of 3–5 values and `count` random IF/THEN constraints chaining neighbouring
// parameters; a constraint is kept only if a hidden random row satisfies it, so the model is
// satisfiable and many tuples are implied impossible.
PictModel manyConstraintsModel(int parameters, int count, std::uint32_t seed)
{
    std::mt19937 random(seed);
    auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    PictModel model = uniformModel(parameters, 3);
    std::vector<int> hidden;
    for (MatrixParameter &parameter : model.parameters) {
        int values = pick(3, 5);
        parameter.values.clear();
        for (int v = 0; v < values; ++v)
            parameter.values.push_back("v" + std::to_string(v));
        hidden.push_back(pick(0, values - 1));
    }
    auto values = [&](int p) {
        return static_cast<int>(model.parameters[static_cast<std::size_t>(p)].values.size());
    };
    auto is = [](int p, ConstraintOp op, std::vector<int> vs) {
        std::vector<ConstraintLiteral> literals;
        for (int v : vs)
            literals.push_back({"v" + std::to_string(v), false});
        return ConstraintExpr::relation("P" + std::to_string(p), op, literals);
    };
    while (static_cast<int>(model.constraints.size()) < count) {
        int a = pick(0, parameters - 1);
        int b = (a + pick(1, 6)) % parameters;
        int va = pick(0, values(a) - 1);
        int vb = pick(0, values(b) - 1);
        bool conditionHolds = hidden[static_cast<std::size_t>(a)] == va;
        ConstraintExpr condition = is(a, ConstraintOp::Equal, {va});
        if (pick(0, 3) == 0) {
            int c = (a + parameters - pick(1, 6)) % parameters;
            int vc = pick(0, values(c) - 1);
            conditionHolds = conditionHolds && hidden[static_cast<std::size_t>(c)] == vc;
            condition = ConstraintExpr::conjunction({condition, is(c, ConstraintOp::Equal, {vc})});
        }
        int hb = hidden[static_cast<std::size_t>(b)];
        ConstraintExpr then;
        bool thenHolds = false;
        switch (pick(0, 2)) {
        case 0:
            then = is(b, ConstraintOp::Equal, {vb});
            thenHolds = hb == vb;
            break;
        case 1:
            then = is(b, ConstraintOp::NotEqual, {vb});
            thenHolds = hb != vb;
            break;
        default:
            then = is(b, ConstraintOp::In, {vb, (vb + 1) % values(b)});
            thenHolds = hb == vb || hb == (vb + 1) % values(b);
        }
        if (!conditionHolds || thenHolds)
            model.constraints.push_back(ConstraintExpr::ifThen(condition, then));
    }
    return model;
}

void expectComplete(const PictModel &model, const CoveringArrayResult &result, int strength)
{
    CoverageReport report = CoverageChecker::check(model, result.rows, strength);
    EXPECT_TRUE(report.invalidRows.empty()) << model.toText();
    EXPECT_TRUE(report.uncovered.empty()) << report.uncovered.size() << " uncovered in\n"
                                          << model.toText();
    EXPECT_EQ(report.allowedTuples, result.requiredTuples) << model.toText();
    EXPECT_EQ(report.impossibleTuples, result.excludedTuples) << model.toText();
}

} // namespace

TEST(CoveringArrayTest, CoversRandomModelsWithoutConstraints)
{
    std::mt19937 random(7);
    for (int i = 0; i < 20; ++i) {
        PictModel model = randomModel(random, 0);
        int n = static_cast<int>(model.parameters.size());
        for (int t = 2; t <= std::min(4, n); ++t) {
            CoveringArrayResult result =
                CoveringArrayGenerator::generate(model, fastOptions(t, static_cast<unsigned>(i)));
            ASSERT_TRUE(result.satisfiable);
            EXPECT_GE(static_cast<int>(result.rows.size()), result.lowerBound);
            expectComplete(model, result, t);
        }
    }
}

TEST(CoveringArrayTest, CoversRandomModelsWithConstraints)
{
    std::mt19937 random(11);
    int satisfiable = 0;
    for (int i = 0; i < 40; ++i) {
        PictModel model = randomModel(random, 6);
        int n = static_cast<int>(model.parameters.size());
        for (int t = 2; t <= std::min(4, n); ++t) {
            CoveringArrayResult result =
                CoveringArrayGenerator::generate(model, fastOptions(t, static_cast<unsigned>(i)));
            if (!result.satisfiable) {
                EXPECT_EQ(CoverageChecker::allowedRowCount(model), 0);
                continue;
            }
            ++satisfiable;
            expectComplete(model, result, t);
        }
    }
    EXPECT_GT(satisfiable, 40);
}

TEST(CoveringArrayTest, ExcludesImpossibleCombinations)
{
    PictModel model = PictModel::parse("A: a1, a2, a3\nB: b1, b2, b3\nC: c1, c2\n\n"
                                       "IF [A] = \"a1\" THEN [B] = \"b1\";\n"
                                       "IF [B] = \"b1\" THEN [C] = \"c1\";\n");
    CoveringArrayResult result = CoveringArrayGenerator::generate(model, fastOptions(2));
    // a1 rules out b2, b3 and (through b1) c2; b1 rules out c2.
    EXPECT_EQ(result.excludedTuples, 4);
    EXPECT_EQ(result.requiredTuples, 9 + 6 + 6 - 4);
    expectComplete(model, result, 2);
}

TEST(CoveringArrayTest, IsDeterministicForASeed)
{
    PictModel model = uniformModel(8, 4);
    model.constraints.push_back(ConstraintExpr::ifThen(
        ConstraintExpr::relation("P0", ConstraintOp::Equal, {{"v0", false}}),
        ConstraintExpr::relation("P1", ConstraintOp::NotEqual, {{"v0", false}})));
    CoveringArrayResult first = CoveringArrayGenerator::generate(model, fastOptions(2, 42));
    CoveringArrayResult second = CoveringArrayGenerator::generate(model, fastOptions(2, 42));
    EXPECT_EQ(first.rows, second.rows);
    CoveringArrayResult other = CoveringArrayGenerator::generate(model, fastOptions(2, 43));
    expectComplete(model, other, 2);
}

TEST(CoveringArrayTest, FullStrengthIsTheConstrainedCartesianProduct)
{
    PictModel model = PictModel::parse("A: 1, 2, 3\nB: 1, 2, 3\nC: x, y\nD: p, q\n\n"
                                       "[A] <= [B];\nIF [C] = \"x\" THEN [D] = \"p\";\n");
    CoveringArrayResult result = CoveringArrayGenerator::generate(model, fastOptions(4));
    std::int64_t allowed = CoverageChecker::allowedRowCount(model);
    EXPECT_EQ(allowed, 6 * 3);
    EXPECT_EQ(static_cast<std::int64_t>(result.rows.size()), allowed);
    expectComplete(model, result, 4);
}

TEST(CoveringArrayTest, ReachesKnownSizesOnSmallModels)
{
    PictModel model = uniformModel(4, 3);
    CoveringArrayOptions options = fastOptions(2);
    options.effort = 5'000'000;
    EXPECT_EQ(CoveringArrayGenerator::generate(model, options).rows.size(), 9u);
    EXPECT_EQ(CoveringArrayGenerator::generate(uniformModel(5, 2), fastOptions(1)).rows.size(), 2u);
}

TEST(CoveringArrayTest, ReportsUnsatisfiableModels)
{
    PictModel model = PictModel::parse("A: a1, a2\n\n[A] = \"a1\";\n[A] = \"a2\";\n");
    CoveringArrayResult result = CoveringArrayGenerator::generate(model, fastOptions(1));
    EXPECT_FALSE(result.satisfiable);
    EXPECT_TRUE(result.rows.empty());
}

TEST(CoveringArrayTest, RejectsBadStrength)
{
    PictModel model = uniformModel(3, 2);
    EXPECT_THROW(CoveringArrayGenerator::generate(model, fastOptions(0)), std::invalid_argument);
    EXPECT_THROW(CoveringArrayGenerator::generate(model, fastOptions(4)), std::invalid_argument);
}

TEST(CoveringArrayTest, CancellationKeepsACompleteArray)
{
    PictModel model = uniformModel(10, 5);
    CoveringArrayOptions options = fastOptions(2);
    options.effort = 0;
    int polls = 0;
    options.cancelled = [&polls] { return ++polls > 200; };
    double lastProgress = -1;
    options.progress = [&lastProgress](double p) { lastProgress = p; };
    CoveringArrayResult result = CoveringArrayGenerator::generate(model, options);
    if (!result.cancelled)
        expectComplete(model, result, 2);
    EXPECT_GE(lastProgress, 0.0);
}

TEST(CoveringArrayTest, ManyInterlockingConstraintsStayFast)
{
    // Deciding which tuples no allowed row can contain used to be an exponential search here
    // (minutes: the test would hit its timeout); the time is measured in coveringarray_bench
    // ("many constraints"), not asserted here.
    for (std::uint32_t seed : {1u, 3u}) {
        PictModel model = manyConstraintsModel(40, 200, seed);
        CoveringArrayResult result = CoveringArrayGenerator::generate(model, fastOptions(2, seed));
        ASSERT_TRUE(result.satisfiable);
        EXPECT_GT(result.excludedTuples, 100) << "constraints should rule out many pairs";
        expectComplete(model, result, 2);
    }
}

TEST(CoveringArrayTest, ConstrainedParameterWithManyValues)
{
    // More values than the propagating solver's bit sets hold: the plain search takes over.
    PictModel model = uniformModel(4, 3);
    for (int v = 3; v < 70; ++v)
        model.parameters[0].values.push_back("v" + std::to_string(v));
    model.constraints.push_back(ConstraintExpr::ifThen(
        ConstraintExpr::relation("P0", ConstraintOp::Equal, {{"v65", false}}),
        ConstraintExpr::relation("P1", ConstraintOp::Equal, {{"v2", false}})));
    CoveringArrayResult result = CoveringArrayGenerator::generate(model, fastOptions(2));
    EXPECT_EQ(result.excludedTuples, 2);
    expectComplete(model, result, 2);
}

TEST(CoverageCheckerTest, ReportsMissingTuplesAndInvalidRows)
{
    PictModel model =
        PictModel::parse("A: a1, a2\nB: b1, b2\n\nIF [A] = \"a1\" THEN [B] = \"b1\";\n");
    CoverageReport report = CoverageChecker::check(model, {{0, 0}, {0, 1}, {1, 1}}, 2);
    EXPECT_EQ(report.invalidRows, std::vector<int>{1});
    EXPECT_EQ(report.impossibleTuples, 1);
    EXPECT_EQ(report.allowedTuples, 3);
    ASSERT_EQ(report.uncovered.size(), 1u);
    EXPECT_EQ(report.uncovered[0], (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));
    EXPECT_FALSE(report.complete());
}
