#pragma once
// The greedy construction of a covering array: one row at a time, each the best of a few
// candidates built around a random uncovered tuple, until every possible tuple is covered.
// Under constraints every row stays allowed: a value is only swapped into a known allowed row
// (the tuple's witness) when the row stays allowed.

#include "core/generate/coveragetable.h"
#include "core/generate/coveringrun.h"
#include "core/generate/tuplefeasibility.h"
#include "core/generate/tuplespace.h"

#include <utility>
#include <vector>

namespace crucible::covering {

class GreedyConstruction final
{
public:
    GreedyConstruction(CoveringRun &run, const TupleSpace &space,
                       const TupleFeasibility &feasibility, CoverageTable &table);

    // Fills the table with rows until every possible tuple is covered; false when cancelled.
    bool build();

private:
    void buildRow(std::vector<int> &row);

    CoveringRun &m_run;
    const TupleSpace &m_space;
    const TupleFeasibility &m_feasibility;
    CoverageTable &m_table;
    const std::vector<int> &m_counts;
    const int m_n;
    const int m_t;
    const ConstraintEvaluator &m_constraints;
    const bool m_hasConstraints;
    const std::vector<std::vector<int>> &m_weights;
    CoveringRandom &m_random;

    std::vector<int> m_order;
    std::vector<int> m_gain;
    std::vector<std::pair<double, int>> m_choice;
    std::vector<int> m_witness;
};

} // namespace crucible::covering
