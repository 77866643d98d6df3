#include "core/generate/coveragechecker.h"

#include <stdexcept>

namespace crucible {

namespace {

// Depth-first search over the constrained parameters, in index order, for an allowed extension
// of `row` (-1 = unassigned). Uses whole-model evaluation at every node.
bool extensible(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
                std::vector<int> &row, std::size_t from)
{
    Tri state = constraints.evaluate(row);
    if (state == Tri::False)
        return false;
    if (state == Tri::True)
        return true;
    for (std::size_t p = from; p < row.size(); ++p) {
        if (row[p] >= 0 || constraints.constraintsOn(static_cast<int>(p)).empty())
            continue;
        for (int v = 0; v < counts[p]; ++v) {
            row[p] = v;
            bool ok = extensible(counts, constraints, row, p + 1);
            if (ok) {
                row[p] = -1;
                return true;
            }
        }
        row[p] = -1;
        return false;
    }
    return false; // every constrained parameter assigned, yet some constraint still unknown
}

std::int64_t countRows(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
                       std::vector<int> &row, std::size_t p)
{
    if (p == row.size())
        return constraints.allows(row) ? 1 : 0;
    std::int64_t total = 0;
    for (int v = 0; v < counts[p]; ++v) {
        row[p] = v;
        if (constraints.evaluate(row) != Tri::False)
            total += countRows(counts, constraints, row, p + 1);
    }
    row[p] = -1;
    return total;
}

} // namespace

CoverageReport CoverageChecker::check(const PictModel &model,
                                      const std::vector<std::vector<int>> &rows, int strength)
{
    std::vector<int> counts;
    for (const MatrixParameter &parameter : model.parameters)
        counts.push_back(static_cast<int>(parameter.values.size()));
    return check(counts, ConstraintEvaluator(model.parameters, model.constraints), rows, strength);
}

CoverageReport CoverageChecker::check(const std::vector<int> &valueCounts,
                                      const ConstraintEvaluator &constraints,
                                      const std::vector<std::vector<int>> &rows, int strength)
{
    const std::size_t n = valueCounts.size();
    if (strength < 1 || static_cast<std::size_t>(strength) > n)
        throw std::invalid_argument("strength must be between 1 and the number of parameters");
    CoverageReport report;
    std::vector<const std::vector<int> *> validRows;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        bool wellFormed = rows[r].size() == n;
        for (std::size_t p = 0; wellFormed && p < n; ++p)
            wellFormed = rows[r][p] >= 0 && rows[r][p] < valueCounts[p];
        if (wellFormed && (constraints.empty() || constraints.allows(rows[r])))
            validRows.push_back(&rows[r]);
        else
            report.invalidRows.push_back(static_cast<int>(r));
    }

    const std::size_t t = static_cast<std::size_t>(strength);
    std::vector<std::size_t> set(t);
    for (std::size_t k = 0; k < t; ++k)
        set[k] = k;
    std::vector<int> values(t);
    std::vector<int> assignment(n, -1);
    while (true) {
        std::size_t combinations = 1;
        for (std::size_t p : set)
            combinations *= static_cast<std::size_t>(valueCounts[p]);
        std::vector<char> seen(combinations, 0);
        for (const std::vector<int> *row : validRows) {
            std::size_t index = 0;
            for (std::size_t p : set)
                index = index * static_cast<std::size_t>(valueCounts[p]) +
                        static_cast<std::size_t>((*row)[p]);
            seen[index] = 1;
        }
        for (std::size_t index = 0; index < combinations; ++index) {
            std::size_t rest = index;
            for (std::size_t k = t; k-- > 0;) {
                values[k] = static_cast<int>(rest % static_cast<std::size_t>(valueCounts[set[k]]));
                rest /= static_cast<std::size_t>(valueCounts[set[k]]);
            }
            if (seen[index]) {
                ++report.allowedTuples;
                continue;
            }
            for (std::size_t k = 0; k < t; ++k)
                assignment[set[k]] = values[k];
            bool allowed =
                constraints.empty() || extensible(valueCounts, constraints, assignment, 0);
            for (std::size_t k = 0; k < t; ++k)
                assignment[set[k]] = -1;
            if (!allowed) {
                ++report.impossibleTuples;
                continue;
            }
            ++report.allowedTuples;
            std::vector<std::pair<int, int>> tuple;
            for (std::size_t k = 0; k < t; ++k)
                tuple.emplace_back(static_cast<int>(set[k]), values[k]);
            report.uncovered.push_back(std::move(tuple));
        }
        std::size_t k = t;
        while (k > 0 && set[k - 1] == n - t + (k - 1))
            --k;
        if (k == 0)
            break;
        ++set[k - 1];
        for (std::size_t j = k; j < t; ++j)
            set[j] = set[j - 1] + 1;
    }
    return report;
}

std::int64_t CoverageChecker::allowedRowCount(const std::vector<int> &valueCounts,
                                              const ConstraintEvaluator &constraints)
{
    std::vector<int> row(valueCounts.size(), -1);
    if (constraints.empty()) {
        std::int64_t total = 1;
        for (int count : valueCounts)
            total *= count;
        return total;
    }
    return countRows(valueCounts, constraints, row, 0);
}

} // namespace crucible
