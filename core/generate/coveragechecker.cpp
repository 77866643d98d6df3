#include "core/generate/coveragechecker.h"

#include "core/generate/constraintinterpreter.h"

#include <limits>
#include <stdexcept>

namespace crucible {

namespace {

using Truth = ConstraintInterpreter::Truth;

std::vector<int> countsOf(const PictModel &model)
{
    std::vector<int> counts;
    for (const MatrixParameter &parameter : model.parameters)
        counts.push_back(static_cast<int>(parameter.values.size()));
    return counts;
}

// Unit propagation: while some undecided constraint has a single unassigned parameter, rule
// out the values that make it false and assign the value that remains, if only one does.
// Assigned parameters are appended to `trail`. False on a contradiction.
bool propagateUnits(const std::vector<int> &counts, const ConstraintInterpreter &constraints,
                    std::vector<int> &row, std::vector<int> &trail)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (int c = 0; c < constraints.constraintCount(); ++c) {
            Truth state = constraints.evaluate(c, row);
            if (state == Truth::No)
                return false;
            if (state == Truth::Yes)
                continue;
            int open = -1;
            int openCount = 0;
            for (int q : constraints.parametersOf(c)) {
                if (row[static_cast<std::size_t>(q)] < 0) {
                    open = q;
                    ++openCount;
                }
            }
            if (openCount != 1)
                continue;
            int only = -1;
            int viable = 0;
            for (int v = 0; v < counts[static_cast<std::size_t>(open)]; ++v) {
                row[static_cast<std::size_t>(open)] = v;
                if (constraints.evaluate(c, row) != Truth::No) {
                    only = v;
                    ++viable;
                }
            }
            row[static_cast<std::size_t>(open)] = -1;
            if (viable == 0)
                return false;
            if (viable == 1) {
                row[static_cast<std::size_t>(open)] = only;
                trail.push_back(open);
                changed = true;
            }
        }
    }
    return true;
}

// Whether `row` (-1 = unassigned) extends to an allowed row: a DPLL-style search over
// parameter values (unit propagation, then branching on the unassigned constrained parameter
// with the fewest values no constraint rejects yet). Leaves `row` as it found it.
bool extensible(const std::vector<int> &counts, const ConstraintInterpreter &constraints,
                std::vector<int> &row)
{
    std::vector<int> trail;
    bool result = false;
    if (propagateUnits(counts, constraints, row, trail)) {
        Truth state = constraints.evaluate(row);
        if (state == Truth::Yes) {
            result = true;
        } else if (state == Truth::Unknown) {
            int best = -1;
            int bestViable = std::numeric_limits<int>::max();
            bool deadEnd = false;
            for (std::size_t p = 0; p < row.size() && !deadEnd; ++p) {
                if (row[p] >= 0 || constraints.constraintsOn(static_cast<int>(p)).empty())
                    continue;
                int viable = 0;
                for (int v = 0; v < counts[p]; ++v) {
                    row[p] = v;
                    viable += constraints.evaluateOn(static_cast<int>(p), row) != Truth::No;
                }
                row[p] = -1;
                deadEnd = viable == 0;
                if (viable < bestViable) {
                    bestViable = viable;
                    best = static_cast<int>(p);
                }
            }
            // best < 0: every constrained parameter is assigned, yet a constraint is unknown.
            if (!deadEnd && best >= 0) {
                auto &value = row[static_cast<std::size_t>(best)];
                for (int v = 0; v < counts[static_cast<std::size_t>(best)] && !result; ++v) {
                    value = v;
                    result = constraints.evaluateOn(best, row) != Truth::No &&
                             extensible(counts, constraints, row);
                }
                value = -1;
            }
        }
    }
    for (int p : trail)
        row[static_cast<std::size_t>(p)] = -1;
    return result;
}

std::int64_t countRows(const std::vector<int> &counts, const ConstraintInterpreter &constraints,
                       std::vector<int> &row, std::size_t p)
{
    if (p == row.size())
        return constraints.allows(row) ? 1 : 0;
    std::int64_t total = 0;
    for (int v = 0; v < counts[p]; ++v) {
        row[p] = v;
        if (constraints.evaluate(row) != Truth::No)
            total += countRows(counts, constraints, row, p + 1);
    }
    row[p] = -1;
    return total;
}

} // namespace

CoverageReport CoverageChecker::check(const PictModel &model,
                                      const std::vector<std::vector<int>> &rows, int strength)
{
    const std::vector<int> valueCounts = countsOf(model);
    const ConstraintInterpreter constraints(model.parameters, model.constraints);
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
            bool allowed = constraints.empty() || extensible(valueCounts, constraints, assignment);
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

std::int64_t CoverageChecker::allowedRowCount(const PictModel &model)
{
    const std::vector<int> valueCounts = countsOf(model);
    const ConstraintInterpreter constraints(model.parameters, model.constraints);
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
