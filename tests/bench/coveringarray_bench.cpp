// Covering-array benchmark: rows and time per model against PICT 3.7.4 and best known sizes.
#include "core/generate/coveragechecker.h"
#include "core/generate/coveringarray.h"
#include "core/generate/pictmodel.h"

#include <cmath>
#include <cstdio>
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
    };
    std::printf("%-22s %6s %6s %6s %6s %9s %s\n", "model", "rows", "greedy", "PICT", "best",
                "time[s]", "check");
    double logSum = 0;
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
        allGood = allGood && ok && rows <= bench.pictRows;
        logSum += std::log(static_cast<double>(rows) / bench.pictRows);
        std::printf("%-22s %6d %6d %6d %6d %9.3f %s\n", bench.label.c_str(), rows,
                    result.greedyRows, bench.pictRows, bench.bestKnown, result.seconds,
                    ok ? "ok" : "FAILED");
    }
    double ratio = std::exp(logSum / static_cast<double>(models.size()));
    std::printf("geometric-mean rows vs PICT: %.3f (%.1f%% fewer)\n", ratio, (1 - ratio) * 100);
    return allGood ? 0 : 1;
}
