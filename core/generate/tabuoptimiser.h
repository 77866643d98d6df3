#pragma once
// Post-optimisation of a complete covering array: whenever every possible tuple is covered, the
// array is kept as the best so far and the row whose removal loses the fewest tuples is deleted;
// otherwise a random uncovered tuple is written into the candidate row that loses the fewest
// others (tabu search, with a little random walk), repairing constrained values when needed.
// Stops at the run's effort cap, deadline or cancellation.

#include "core/generate/coveragetable.h"
#include "core/generate/coveringrun.h"
#include "core/generate/tuplefeasibility.h"
#include "core/generate/tuplespace.h"

#include <cstdint>
#include <vector>

namespace crucible::covering {

class TabuOptimiser final
{
public:
    TabuOptimiser(CoveringRun &run, const TupleSpace &space, TupleFeasibility &feasibility,
                  CoverageTable &table);

    // Starts from the complete array in the table; `best` and `bestCount` receive the smallest
    // complete array found (rows one after the other).
    void optimise(std::vector<int> &best, int &bestCount);

private:
    void removeRow(int r);
    int cheapestRow();
    void markChanged();
    void unmarkChanged();
    bool visitedEarlier(int s, std::size_t i) const;
    void patch(int *row, bool forward);
    std::int64_t delta(int r);
    void apply(int r);
    bool prepareMove(int r, const int *m, const std::vector<int> &target);
    bool isTabu(int r) const;
    void chooseCandidates(const int *m, const std::vector<int> &target);

    CoveringRun &m_run;
    const TupleSpace &m_space;
    TupleFeasibility &m_feasibility;
    CoverageTable &m_table;
    const int m_n;
    const int m_t;
    const ConstraintEvaluator &m_constraints;
    CoveringRandom &m_random;
    std::uint64_t &m_work;
    std::int64_t m_step = 0;

    std::vector<std::int64_t> m_lastChange;
    std::vector<int> m_candidate;
    std::vector<int> m_changed;
    std::vector<int> m_changedOrder;
    std::vector<int> m_oldValues;
    std::vector<int> m_newValues;
    std::vector<int> m_freed;
    std::vector<std::vector<int>> m_buckets;
    std::vector<int> m_sample;
};

} // namespace crucible::covering
