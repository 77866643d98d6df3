#pragma once
// Which t-way tuples some allowed row can contain (the others are excluded from coverage), and
// completing partial rows under the constraints. Tuples are decided exactly: the consequences of
// fixing each single value are propagated once and cached, and a tuple they do not settle gets a
// search whose allowed row (a witness) then proves every tuple it contains possible. Parameters
// with more values than ConstraintSolver's bit sets hold fall back to a backtracking search.

#include "core/generate/constraintsolver.h"
#include "core/generate/coveringrun.h"
#include "core/generate/tuplespace.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace crucible::covering {

class TupleFeasibility final
{
public:
    TupleFeasibility(CoveringRun &run, const TupleSpace &space);

    // Decides every tuple; false when the constraints allow no row at all. On cancellation it
    // returns true early with the tuples decided so far.
    bool compute();

    bool feasible(std::size_t tuple) const { return m_feasible[tuple] != 0; }
    bool isConstrained(int p) const { return m_isConstrained[static_cast<std::size_t>(p)] != 0; }
    // The largest number of possible tuples of one t-set: no array has fewer rows.
    int lowerBound() const { return m_lowerBound; }
    // An allowed row containing the possible tuple (under constraints only).
    const int *witnessOf(std::int64_t tuple) const
    {
        return &m_witnessRows[static_cast<std::size_t>(
            m_witnessOf[static_cast<std::size_t>(tuple)])];
    }

    // Extends the constrained parameters of `row` (-1 = free) to a full allowed assignment in
    // place, preferring the values of `preferred` (one per parameter); gives up after nodeLimit
    // search nodes. False, with `row` unchanged, when none is found.
    bool completeNear(std::vector<int> &row, const int *preferred, std::int64_t nodeLimit);

private:
    bool complete(std::vector<int> &row, std::int64_t nodeLimit = -1);
    bool search(std::vector<int> &row, std::vector<int> &open);
    void prepareConstraintOrder();
    void markRow(const int *row);
    bool refutedByImplications(const std::vector<int> &row, const int *m);
    const std::vector<ConstraintSolver::Domain> *impliedBy(int p, int v);
    bool completeTuple(std::vector<int> &row, const int *m);
    void prepareImplications();

    CoveringRun &m_run;
    const TupleSpace &m_space;
    const std::vector<int> &m_counts;
    const int m_n;
    const int m_t;
    const ConstraintEvaluator &m_constraints;
    const bool m_hasConstraints;
    CoveringRandom &m_random;
    std::uint64_t &m_work;
    int m_lowerBound = 0;

    std::vector<std::uint8_t> m_feasible;
    std::vector<int> m_constrainedOrder;
    std::vector<char> m_isConstrained;
    std::vector<int> m_preferred;
    std::vector<int> m_witnessRows;
    std::vector<int> m_witnessOf;
    std::int64_t m_nodesLeft = -1;
    std::unique_ptr<ConstraintSolver> m_solver; // null: no constraints or too many values
    std::vector<ConstraintSolver::Domain> m_rootDomains;
    std::vector<ConstraintSolver::Domain> m_domains;
    std::vector<int> m_valueOffset;                               // first slot of a parameter
    std::vector<std::vector<ConstraintSolver::Domain>> m_implied; // per (parameter, value)
    std::vector<std::uint8_t> m_impliedState; // 0 not computed, 1 possible, 2 impossible
    std::vector<int> m_narrowed;
};

} // namespace crucible::covering
