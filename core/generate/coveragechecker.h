#pragma once

#include "core/generate/pictmodel.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace crucible {

struct CoverageReport
{
    std::int64_t allowedTuples = 0;    // t-way combinations some allowed row can contain
    std::int64_t impossibleTuples = 0; // combinations the constraints rule out
    // Allowed combinations no valid row covers, as (parameter, value) pairs.
    std::vector<std::vector<std::pair<int, int>>> uncovered;
    std::vector<int> invalidRows; // malformed or constraint-violating rows (they cover nothing)

    bool complete() const { return uncovered.empty() && invalidRows.empty(); }
};

// Checks a test matrix independently of the generator: every allowed t-way combination must
// appear in a valid row. Exhaustive and simple rather than fast; meant for tests and audits.
// Constraints are read by the checker's own ConstraintInterpreter, never by the generator's
// ConstraintEvaluator, so that a bug in the generator's evaluation cannot hide a gap.
// Both functions throw std::invalid_argument for a constraint on an unknown parameter.
class CoverageChecker final
{
public:
    static CoverageReport check(const PictModel &model, const std::vector<std::vector<int>> &rows,
                                int strength);
    // Number of full rows the constraints allow (the t = n covering array size).
    static std::int64_t allowedRowCount(const PictModel &model);
};

} // namespace crucible
