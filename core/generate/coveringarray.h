#pragma once

#include "core/generate/constraintevaluator.h"
#include "core/generate/pictmodel.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace crucible {

struct CoveringArrayOptions
{
    int strength = 2; // t, 1..number of parameters; t = n gives every allowed row
    std::uint64_t seed = 1;
    // Wall-clock cap for the whole run; 0 = automatic (0.8 s for t <= 2, 4 s for t = 3, 20 s
    // beyond). Rows depend only on (model, options) unless this cap ends optimisation first.
    double timeBudgetSeconds = 0;
    // Deterministic cap on post-optimisation work (tuple updates); 0 = automatic.
    std::uint64_t effort = 0;
    bool optimise = true;                 // false: greedy construction only
    std::function<bool()> cancelled;      // polled; the best complete array so far is kept
    std::function<void(double)> progress; // 0..1, called from the generating thread
};

struct CoveringArrayResult
{
    std::vector<std::vector<int>> rows; // value indices, one per parameter
    std::int64_t requiredTuples = 0;    // allowed t-way combinations, all covered
    std::int64_t excludedTuples = 0;    // combinations no allowed row can contain
    int greedyRows = 0;                 // size before post-optimisation
    int lowerBound = 0;                 // largest number of allowed tuples of one t-set
    bool satisfiable = true;            // false: constraints allow no row at all (rows empty)
    bool cancelled = false;             // true: cancelled before a complete array existed
    double seconds = 0;
};

// Builds small t-way covering arrays that respect constraints: a greedy one-row-at-a-time
// construction followed by row deletion and tabu local search. Stateless; runs on the caller's
// thread and may take up to the time budget.
class CoveringArrayGenerator final
{
public:
    // Throws std::invalid_argument for a bad strength or an empty parameter.
    static CoveringArrayResult generate(const PictModel &model,
                                        const CoveringArrayOptions &options = {});
    static CoveringArrayResult generate(const std::vector<int> &valueCounts,
                                        const ConstraintEvaluator &constraints,
                                        const CoveringArrayOptions &options,
                                        const std::vector<std::vector<int>> &weights = {});
};

} // namespace crucible
