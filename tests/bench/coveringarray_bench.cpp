// Covering-array benchmark: rows and time per model against PICT 3.7.4 and best known sizes.
#include "core/generate/coveragechecker.h"
#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

struct BenchModel
{
    std::string label;
    std::string text;
    int strength;
    int pictRows;
    int bestKnown;
};

// `count` parameters with `values` values each, named from `first`.
std::string uniform(int &next, int count, int values)
{
    std::string text;
    for (int i = 0; i < count; ++i, ++next) {
        text += "P" + std::to_string(next) + ":";
        for (int v = 0; v < values; ++v)
            text += (v ? ", v" : " v") + std::to_string(v);
        text += '\n';
    }
    return text;
}

std::string mixed(std::initializer_list<std::pair<int, int>> groups)
{
    int next = 0;
    std::string text;
    for (auto [values, count] : groups)
        text += uniform(next, count, values);
    return text;
}

std::string constrainedModel()
{
    std::string text;
    for (char p = 'A'; p <= 'E'; ++p) {
        text += std::string(1, p) + ":";
        for (int v = 1; v <= 4; ++v)
            text += std::string(v > 1 ? ", " : " ") + static_cast<char>(p - 'A' + 'a') +
                    std::to_string(v);
        text += '\n';
    }
    text += "\nIF [A] = \"a1\" THEN [B] <> \"b1\";\nIF [C] = \"c2\" THEN [D] = \"d2\";\n";
    return text;
}

// `parameters` parameters of 3–5 values and `count` random IF/THEN constraints that chain
// through shared parameters, kept only when a hidden random row satisfies them (so the model
// is satisfiable). Deterministic for a seed.
crucible::PictModel manyConstraintsModel(int parameters, int count, std::uint32_t seed)
{
    using crucible::ConstraintExpr;
    using crucible::ConstraintOp;
    std::mt19937 random(seed);
    auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    crucible::PictModel model;
    std::vector<int> hidden;
    for (int p = 0; p < parameters; ++p) {
        crucible::MatrixParameter parameter;
        parameter.name = "P" + std::to_string(p);
        int values = pick(3, 5);
        for (int v = 0; v < values; ++v)
            parameter.values.push_back("v" + std::to_string(v));
        hidden.push_back(pick(0, values - 1));
        model.parameters.push_back(parameter);
    }
    auto valueCount = [&](int p) {
        return static_cast<int>(model.parameters[static_cast<std::size_t>(p)].values.size());
    };
    auto literal = [](int v) {
        return crucible::ConstraintLiteral{"v" + std::to_string(v), false};
    };
    auto name = [](int p) { return "P" + std::to_string(p); };
    while (static_cast<int>(model.constraints.size()) < count) {
        int a = pick(0, parameters - 1);
        int b = (a + pick(1, 6)) % parameters; // neighbours interlock into chains
        int va = pick(0, valueCount(a) - 1);
        int vb = pick(0, valueCount(b) - 1);
        bool conditionHolds = hidden[static_cast<std::size_t>(a)] == va;
        ConstraintExpr condition =
            ConstraintExpr::relation(name(a), ConstraintOp::Equal, {literal(va)});
        if (pick(0, 3) == 0) {
            int c = (a + parameters - pick(1, 6)) % parameters;
            int vc = pick(0, valueCount(c) - 1);
            if (c == b)
                continue;
            conditionHolds = conditionHolds && hidden[static_cast<std::size_t>(c)] == vc;
            condition = ConstraintExpr::conjunction(
                {condition, ConstraintExpr::relation(name(c), ConstraintOp::Equal, {literal(vc)})});
        }
        ConstraintExpr then;
        bool thenHolds = false;
        int hb = hidden[static_cast<std::size_t>(b)];
        switch (pick(0, 4)) {
        case 0:
        case 1:
            then = ConstraintExpr::relation(name(b), ConstraintOp::Equal, {literal(vb)});
            thenHolds = hb == vb;
            break;
        case 2:
        case 3:
            then = ConstraintExpr::relation(name(b), ConstraintOp::NotEqual, {literal(vb)});
            thenHolds = hb != vb;
            break;
        default: {
            int wb = (vb + 1) % valueCount(b);
            then = ConstraintExpr::relation(name(b), ConstraintOp::In, {literal(vb), literal(wb)});
            thenHolds = hb == vb || hb == wb;
        }
        }
        if (conditionHolds && !thenHolds)
            continue;
        model.constraints.push_back(ConstraintExpr::ifThen(condition, then));
    }
    return model;
}

} // namespace

int main()
{
    std::vector<BenchModel> models = {
        {"3^4", mixed({{3, 4}}), 2, 12, 9},
        {"3^13", mixed({{3, 13}}), 2, 19, 15},
        {"4^15", mixed({{4, 15}}), 2, 37, 26},
        {"5^10", mixed({{5, 10}}), 2, 45, 36},
        {"10^10", mixed({{10, 10}}), 2, 166, 115},
        {"10^20", mixed({{10, 20}}), 2, 213, 155},
        {"4^1 3^39 2^35", mixed({{4, 1}, {3, 39}, {2, 35}}), 2, 28, 21},
        {"5^1 3^8 2^2", mixed({{5, 1}, {3, 8}, {2, 2}}), 2, 21, 15},
        {"4^5 + 2 constraints", constrainedModel(), 2, 25, 19},
        {"3^6 t=3", mixed({{3, 6}}), 3, 47, 33},
        {"4^10 t=3", mixed({{4, 10}}), 3, 156, 100},
        {"2^100", mixed({{2, 100}}), 2, 16, 10},
        // 40 parameters of 3-5 values, 200 interlocking IF/THEN constraints (two seeds).
        {"many constraints s1", manyConstraintsModel(40, 200, 1).toText(), 2, 0, 0},
        {"many constraints s3", manyConstraintsModel(40, 200, 3).toText(), 2, 0, 0},
    };
    std::printf("%-22s %6s %6s %6s %6s %9s %s\n", "model", "rows", "greedy", "PICT", "best",
                "time[s]", "check");
    double logSum = 0;
    int compared = 0;
    bool allGood = true;
    for (const BenchModel &bench : models) {
        crucible::PictModel model = crucible::PictModel::parse(bench.text, bench.label);
        crucible::CoveringArrayOptions options;
        options.strength = bench.strength;
        crucible::CoveringArrayResult result =
            crucible::CoveringArrayGenerator::generate(model, options);
        crucible::CoverageReport report =
            crucible::CoverageChecker::check(model, result.rows, bench.strength);
        int rows = static_cast<int>(result.rows.size());
        bool ok = report.complete();
        allGood = allGood && ok && (bench.pictRows == 0 || rows <= bench.pictRows);
        // Models without a PICT reference (0) are timed and checked, not compared.
        if (bench.pictRows > 0) {
            logSum += std::log(static_cast<double>(rows) / bench.pictRows);
            ++compared;
            std::printf("%-22s %6d %6d %6d %6d %9.3f %s\n", bench.label.c_str(), rows,
                        result.greedyRows, bench.pictRows, bench.bestKnown, result.seconds,
                        ok ? "ok" : "FAILED");
        } else {
            std::printf("%-22s %6d %6d %6s %6s %9.3f %s (%lld excluded tuples)\n",
                        bench.label.c_str(), rows, result.greedyRows, "-", "-", result.seconds,
                        ok ? "ok" : "FAILED", static_cast<long long>(result.excludedTuples));
        }
    }
    double ratio = std::exp(logSum / compared);
    std::printf("geometric-mean rows vs PICT: %.3f (%.1f%% fewer)\n", ratio, (1 - ratio) * 100);
    return allGood ? 0 : 1;
}
