#include "core/generate/tuplefeasibility.h"

#include <algorithm>
#include <limits>

namespace crucible::covering {

TupleFeasibility::TupleFeasibility(CoveringRun &run, const TupleSpace &space)
    : m_run(run)
    , m_space(space)
    , m_counts(run.counts())
    , m_n(run.parameterCount())
    , m_t(run.strength())
    , m_constraints(run.constraints())
    , m_hasConstraints(!run.constraints().empty())
    , m_random(run.random())
    , m_work(run.work())
{
}

bool TupleFeasibility::completeNear(std::vector<int> &row, const int *preferred,
                                    std::int64_t nodeLimit)
{
    m_preferred.assign(preferred, preferred + m_n);
    const bool found = complete(row, nodeLimit);
    m_preferred.clear();
    return found;
}

// Extends the constrained parameters of `row` (-1 = free) to a full allowed assignment in
// place; returns false, with `row` unchanged, when none exists.
bool TupleFeasibility::complete(std::vector<int> &row, std::int64_t nodeLimit)
{
    m_nodesLeft = nodeLimit;
    if (!m_hasConstraints)
        return true;
    if (m_solver) {
        const std::uint64_t before = m_solver->work();
        bool found = m_solver->domainsOf(row, m_domains) &&
                     m_solver->solve(m_domains, row, m_preferred, nodeLimit) ==
                         ConstraintSolver::Outcome::Found;
        m_work += m_solver->work() - before;
        return found;
    }
    if (m_constraints.evaluate(row) == Tri::False)
        return false;
    std::vector<int> open;
    for (int p : m_constrainedOrder) {
        if (row[static_cast<std::size_t>(p)] < 0)
            open.push_back(p);
    }
    return search(row, open);
}

// Fallback for parameters with more values than ConstraintSolver handles.
// Backtracking with forward checking: always branch on the open parameter with the fewest
// values that no constraint rejects yet, and fail as soon as one has none.
bool TupleFeasibility::search(std::vector<int> &row, std::vector<int> &open)
{
    if (open.empty())
        return true;
    if (m_nodesLeft == 0)
        return false;
    if (m_nodesLeft > 0)
        --m_nodesLeft;
    std::size_t bestIndex = 0;
    int bestViable = std::numeric_limits<int>::max();
    for (std::size_t i = 0; i < open.size(); ++i) {
        int q = open[i];
        int viable = 0;
        for (int v = 0; v < m_counts[static_cast<std::size_t>(q)]; ++v) {
            row[static_cast<std::size_t>(q)] = v;
            viable += m_constraints.evaluateOn(q, row) != Tri::False;
        }
        row[static_cast<std::size_t>(q)] = -1;
        m_work += static_cast<std::uint64_t>(m_counts[static_cast<std::size_t>(q)]);
        if (viable == 0)
            return false;
        if (viable < bestViable) {
            bestViable = viable;
            bestIndex = i;
        }
    }
    int p = open[bestIndex];
    std::swap(open[bestIndex], open.back());
    open.pop_back();
    int count = m_counts[static_cast<std::size_t>(p)];
    int preferred = m_preferred.empty() ? 0 : m_preferred[static_cast<std::size_t>(p)];
    for (int i = 0; i < count; ++i) {
        int v = (preferred + i) % count;
        row[static_cast<std::size_t>(p)] = v;
        if (m_constraints.evaluateOn(p, row) != Tri::False && search(row, open))
            return true;
    }
    row[static_cast<std::size_t>(p)] = -1;
    open.push_back(p);
    std::swap(open[bestIndex], open.back());
    return false;
}

void TupleFeasibility::prepareConstraintOrder()
{
    std::vector<int> degree(static_cast<std::size_t>(m_n), 0);
    for (int p = 0; p < m_n; ++p)
        degree[static_cast<std::size_t>(p)] =
            static_cast<int>(m_constraints.constraintsOn(p).size());
    // Most-constrained first, then neighbours of already ordered parameters.
    std::vector<char> placed(static_cast<std::size_t>(m_n), 0);
    while (true) {
        int best = -1;
        int bestScore = -1;
        for (int p = 0; p < m_n; ++p) {
            if (placed[static_cast<std::size_t>(p)] || !degree[static_cast<std::size_t>(p)])
                continue;
            int shared = 0;
            for (int c : m_constraints.constraintsOn(p)) {
                for (int q : m_constraints.parametersOf(c))
                    shared += placed[static_cast<std::size_t>(q)];
            }
            int score = shared * 1000 + degree[static_cast<std::size_t>(p)];
            if (score > bestScore) {
                bestScore = score;
                best = p;
            }
        }
        if (best < 0)
            break;
        placed[static_cast<std::size_t>(best)] = 1;
        m_constrainedOrder.push_back(best);
    }
    m_isConstrained.assign(static_cast<std::size_t>(m_n), 0);
    for (int p : m_constrainedOrder)
        m_isConstrained[static_cast<std::size_t>(p)] = 1;
}

// Records `row` as an allowed row proving every tuple it contains possible.
void TupleFeasibility::markRow(const int *row)
{
    int witness = static_cast<int>(m_witnessRows.size());
    m_witnessRows.insert(m_witnessRows.end(), row, row + m_n);
    for (int s = 0; s < m_space.subsetCount(); ++s) {
        std::size_t tuple = static_cast<std::size_t>(m_space.tupleIndex(s, row));
        if (!m_feasible[tuple]) {
            m_feasible[tuple] = 1;
            m_witnessOf[tuple] = witness;
        }
    }
}

// Whether no allowed row contains the tuple `row` holds (other entries -1), decided from
// the cached consequences of fixing each of its values alone: a value that empties some
// domain, or two values that rule each other out, settle it without a search.
bool TupleFeasibility::refutedByImplications(const std::vector<int> &row, const int *m)
{
    for (int k = 0; k < m_t; ++k) {
        int p = m[k];
        if (!m_isConstrained[static_cast<std::size_t>(p)])
            continue;
        const std::vector<ConstraintSolver::Domain> *implied =
            impliedBy(p, row[static_cast<std::size_t>(p)]);
        if (!implied)
            return true;
        for (int j = 0; j < m_t; ++j) {
            int q = m[j];
            if (!((*implied)[static_cast<std::size_t>(q)] &
                  (ConstraintSolver::Domain{1} << row[static_cast<std::size_t>(q)])))
                return true;
        }
    }
    return false;
}

// Arc-consistent domains with parameter p fixed to v (computed once), or null when that
// alone leaves no allowed row.
const std::vector<ConstraintSolver::Domain> *TupleFeasibility::impliedBy(int p, int v)
{
    std::size_t slot = static_cast<std::size_t>(m_valueOffset[static_cast<std::size_t>(p)] + v);
    if (m_impliedState[slot] == 0) {
        std::vector<ConstraintSolver::Domain> &domains = m_implied[slot];
        domains = m_rootDomains;
        ConstraintSolver::Domain bit = ConstraintSolver::Domain{1} << v;
        bool possible = (domains[static_cast<std::size_t>(p)] & bit) != 0;
        if (possible) {
            domains[static_cast<std::size_t>(p)] = bit;
            const int changed[] = {p};
            possible = m_solver->propagate(domains, changed);
        }
        m_impliedState[slot] = possible ? 1 : 2;
        if (!possible)
            domains.clear();
    }
    return m_impliedState[slot] == 1 ? &m_implied[slot] : nullptr;
}

// Exact: true when some allowed row contains the tuple in `row` (completed in place).
bool TupleFeasibility::completeTuple(std::vector<int> &row, const int *m)
{
    if (!m_solver || m_implied.empty())
        return complete(row);
    if (refutedByImplications(row, m))
        return false;
    const std::uint64_t before = m_solver->work();
    m_domains = m_rootDomains;
    for (int k = 0; k < m_t; ++k) {
        int p = m[k];
        if (!m_isConstrained[static_cast<std::size_t>(p)])
            continue;
        const auto &implied = *impliedBy(p, row[static_cast<std::size_t>(p)]);
        for (std::size_t q = 0; q < m_domains.size(); ++q)
            m_domains[q] &= implied[q];
    }
    // Each member's consequences are arc consistent on their own; only constraints on a
    // parameter their intersection narrowed further need revising.
    m_narrowed.clear();
    for (int k = 0; k < m_t; ++k) {
        int p = m[k];
        if (!m_isConstrained[static_cast<std::size_t>(p)])
            continue;
        const auto &implied = *impliedBy(p, row[static_cast<std::size_t>(p)]);
        for (std::size_t q = 0; q < m_domains.size(); ++q) {
            if (m_domains[q] != implied[q])
                m_narrowed.push_back(static_cast<int>(q));
        }
    }
    // Random value preferences spread the witness rows, so that each proves more tuples.
    m_preferred.resize(static_cast<std::size_t>(m_n));
    for (int p = 0; p < m_n; ++p)
        m_preferred[static_cast<std::size_t>(p)] =
            m_random.below(m_counts[static_cast<std::size_t>(p)]);
    bool found = (m_narrowed.empty() || m_solver->propagate(m_domains, m_narrowed)) &&
                 m_solver->solve(m_domains, row, m_preferred) == ConstraintSolver::Outcome::Found;
    m_preferred.clear();
    m_work += m_solver->work() - before;
    return found;
}

bool TupleFeasibility::compute()
{
    m_feasible.assign(static_cast<std::size_t>(m_space.total()), m_hasConstraints ? 0 : 1);
    m_isConstrained.assign(static_cast<std::size_t>(m_n), 0);
    if (m_hasConstraints) {
        prepareConstraintOrder();
        m_solver = std::make_unique<ConstraintSolver>(m_counts, m_constraints);
        if (!m_solver->usable())
            m_solver.reset();
        std::vector<int> row(static_cast<std::size_t>(m_n), -1);
        if (m_solver && !m_solver->domainsOf(row, m_rootDomains))
            return false;
        if (!complete(row))
            return false;
        prepareImplications();
        m_witnessOf.assign(static_cast<std::size_t>(m_space.total()), 0);
        for (int p = 0; p < m_n; ++p) {
            if (row[static_cast<std::size_t>(p)] < 0)
                row[static_cast<std::size_t>(p)] = 0;
        }
        markRow(row.data());
        for (std::int64_t tuple = 0; tuple < m_space.total(); ++tuple) {
            if (m_feasible[static_cast<std::size_t>(tuple)])
                continue;
            std::fill(row.begin(), row.end(), -1);
            int s = m_space.decode(tuple, row.data());
            const int *m = m_space.members(s);
            bool touchesConstraint = false;
            for (int k = 0; k < m_t; ++k)
                touchesConstraint =
                    touchesConstraint || m_isConstrained[static_cast<std::size_t>(m[k])];
            if (!touchesConstraint) {
                m_feasible[static_cast<std::size_t>(tuple)] = 1; // witness 0 fits
                continue;
            }
            if (!completeTuple(row, m))
                continue;
            // The witness row proves every tuple it contains possible.
            for (int p = 0; p < m_n; ++p) {
                if (row[static_cast<std::size_t>(p)] < 0)
                    row[static_cast<std::size_t>(p)] =
                        m_random.below(m_counts[static_cast<std::size_t>(p)]);
            }
            markRow(row.data());
            if ((tuple & 1023) == 0 && m_run.isCancelled())
                return true;
        }
        m_implied.clear();
        m_implied.shrink_to_fit();
    }
    m_lowerBound = 0;
    for (int s = 0; s < m_space.subsetCount(); ++s) {
        int count = 0;
        for (std::int64_t i = m_space.offset(s); i < m_space.offset(s + 1); ++i)
            count += m_feasible[static_cast<std::size_t>(i)];
        m_lowerBound = std::max(m_lowerBound, count);
    }
    return true;
}

// Room for the consequences of every single (parameter, value), unless that would be huge
// (then each tuple is decided by a search from its own values only).
void TupleFeasibility::prepareImplications()
{
    if (!m_solver)
        return;
    m_valueOffset.assign(static_cast<std::size_t>(m_n), 0);
    std::size_t values = 0;
    for (int p = 0; p < m_n; ++p) {
        m_valueOffset[static_cast<std::size_t>(p)] = static_cast<int>(values);
        values += static_cast<std::size_t>(m_counts[static_cast<std::size_t>(p)]);
    }
    if (values * static_cast<std::size_t>(m_n) > 16'000'000)
        return;
    m_implied.assign(values, {});
    m_impliedState.assign(values, 0);
}

} // namespace crucible::covering
