#include "core/generate/tabuoptimiser.h"

#include <algorithm>
#include <limits>

namespace crucible::covering {

namespace {

// Local search: rows examined per move (those agreeing most with the tuple first), chance of a
// random instead of best move, and steps a changed cell stays frozen.
constexpr std::size_t CandidateTarget = 24;
constexpr std::size_t CandidateLimit = 64;
constexpr double WalkProbability = 0.02;
constexpr std::int64_t TabuTenure = 1;
// Repairing a row in local search gives up after this many search nodes (the move is then
// skipped); deciding whether a tuple is possible never gives up.
constexpr std::int64_t SearchNodeLimit = 64;

} // namespace

TabuOptimiser::TabuOptimiser(CoveringRun &run, const TupleSpace &space,
                             TupleFeasibility &feasibility, CoverageTable &table)
    : m_run(run)
    , m_space(space)
    , m_feasibility(feasibility)
    , m_table(table)
    , m_n(run.parameterCount())
    , m_t(run.strength())
    , m_constraints(run.constraints())
    , m_random(run.random())
    , m_work(run.work())
{
}

void TabuOptimiser::removeRow(int r)
{
    int last = m_table.rowCount() - 1;
    if (r != last) {
        std::copy(m_lastChange.begin() + static_cast<std::ptrdiff_t>(last) * m_n,
                  m_lastChange.begin() + static_cast<std::ptrdiff_t>(last + 1) * m_n,
                  m_lastChange.begin() + static_cast<std::ptrdiff_t>(r) * m_n);
    }
    m_table.removeRow(r);
    m_lastChange.resize(m_table.rows().size());
}

// The row whose removal loses the fewest tuples (ties at random).
int TabuOptimiser::cheapestRow()
{
    int best = 0;
    int bestLoss = std::numeric_limits<int>::max();
    int ties = 0;
    for (int r = 0; r < m_table.rowCount(); ++r) {
        const int *row = m_table.rowAt(r);
        int loss = 0;
        for (int s = 0; s < m_space.subsetCount(); ++s)
            loss += m_table.count(m_space.tupleIndex(s, row)) == 1;
        m_work += static_cast<std::uint64_t>(m_space.subsetCount());
        if (loss < bestLoss) {
            bestLoss = loss;
            best = r;
            ties = 1;
        } else if (loss == bestLoss && m_random.below(++ties) == 0) {
            best = r;
        }
    }
    return best;
}

// Marks the parameters of m_changed so that t-sets holding several are visited once.
void TabuOptimiser::markChanged()
{
    for (std::size_t i = 0; i < m_changed.size(); ++i)
        m_changedOrder[static_cast<std::size_t>(m_changed[i])] = static_cast<int>(i);
}

void TabuOptimiser::unmarkChanged()
{
    for (int p : m_changed)
        m_changedOrder[static_cast<std::size_t>(p)] = -1;
}

// Whether t-set `s`, reached through the i-th changed parameter, was already visited.
bool TabuOptimiser::visitedEarlier(int s, std::size_t i) const
{
    if (m_changed.size() == 1)
        return false;
    const int *m = m_space.members(s);
    for (int k = 0; k < m_t; ++k) {
        int order = m_changedOrder[static_cast<std::size_t>(m[k])];
        if (order >= 0 && order < static_cast<int>(i))
            return true;
    }
    return false;
}

void TabuOptimiser::patch(int *row, bool forward)
{
    for (std::size_t i = 0; i < m_changed.size(); ++i)
        row[m_changed[i]] = forward ? m_newValues[i] : m_oldValues[i];
}

// Change in uncovered tuples if row r took m_newValues at m_changed.
std::int64_t TabuOptimiser::delta(int r)
{
    int *row = m_table.rowAt(r);
    markChanged();
    std::int64_t result = 0;
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1)
            patch(row, true);
        for (std::size_t i = 0; i < m_changed.size(); ++i) {
            const auto &subsets = m_space.subsetsOf(m_changed[i]);
            m_work += subsets.size();
            for (int s : subsets) {
                if (visitedEarlier(s, i))
                    continue;
                std::size_t tuple = static_cast<std::size_t>(m_space.tupleIndex(s, row));
                if (pass == 0 && m_table.count(tuple) == 1)
                    ++result;
                else if (pass == 1 && m_table.count(tuple) == 0 && m_feasibility.feasible(tuple))
                    --result;
            }
        }
    }
    patch(row, false);
    unmarkChanged();
    return result;
}

void TabuOptimiser::apply(int r)
{
    int *row = m_table.rowAt(r);
    markChanged();
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1)
            patch(row, true);
        for (std::size_t i = 0; i < m_changed.size(); ++i) {
            for (int s : m_space.subsetsOf(m_changed[i])) {
                if (visitedEarlier(s, i))
                    continue;
                std::int64_t tuple = m_space.tupleIndex(s, row);
                if (pass == 0)
                    m_table.decrement(tuple);
                else
                    m_table.increment(tuple);
            }
        }
    }
    unmarkChanged();
    for (int p : m_changed)
        m_lastChange[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n) +
                     static_cast<std::size_t>(p)] = m_step;
}

// Sets m_changed/m_oldValues/m_newValues for writing `target` (at members m) into row r;
// under constraints re-chooses other constrained values if needed. False if impossible.
bool TabuOptimiser::prepareMove(int r, const int *m, const std::vector<int> &target)
{
    int *row = m_table.rowAt(r);
    m_changed.clear();
    m_oldValues.clear();
    m_newValues.clear();
    bool touchesConstraint = false;
    for (int k = 0; k < m_t; ++k) {
        int p = m[k];
        int v = target[static_cast<std::size_t>(p)];
        if (row[p] != v) {
            m_changed.push_back(p);
            m_oldValues.push_back(row[p]);
            m_newValues.push_back(v);
            touchesConstraint = touchesConstraint || m_feasibility.isConstrained(p);
        }
    }
    if (!touchesConstraint)
        return true;
    // Copying and evaluating cost about as much as this many tuple updates.
    m_work += static_cast<std::uint64_t>(m_n + 16 * m_constraints.constraintCount());
    std::copy(row, row + m_n, m_candidate.begin());
    for (std::size_t i = 0; i < m_changed.size(); ++i)
        m_candidate[static_cast<std::size_t>(m_changed[i])] = m_newValues[i];
    bool valid = true;
    for (int p : m_changed) {
        if (valid && m_feasibility.isConstrained(p))
            valid = m_constraints.evaluateOn(p, m_candidate) == Tri::True;
    }
    if (valid)
        return true;
    // Re-choose the other parameters of the violated constraints, keeping what we can.
    m_freed.clear();
    for (int p : m_changed) {
        for (int c : m_constraints.constraintsOn(p)) {
            if (m_constraints.evaluate(c, m_candidate) != Tri::False)
                continue;
            for (int q : m_constraints.parametersOf(c))
                m_freed.push_back(q);
        }
    }
    for (int q : m_freed) {
        bool member = false;
        for (int k = 0; k < m_t; ++k)
            member = member || m[k] == q;
        if (!member)
            m_candidate[static_cast<std::size_t>(q)] = -1;
    }
    bool ok = m_feasibility.completeNear(m_candidate, row, SearchNodeLimit);
    if (!ok)
        return false;
    m_changed.clear();
    m_oldValues.clear();
    m_newValues.clear();
    for (int p = 0; p < m_n; ++p) {
        if (row[p] != m_candidate[static_cast<std::size_t>(p)]) {
            m_changed.push_back(p);
            m_oldValues.push_back(row[p]);
            m_newValues.push_back(m_candidate[static_cast<std::size_t>(p)]);
        }
    }
    return true;
}

bool TabuOptimiser::isTabu(int r) const
{
    for (int p : m_changed) {
        if (m_step - m_lastChange[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n) +
                                  static_cast<std::size_t>(p)] <=
            TabuTenure)
            return true;
    }
    return false;
}

// Candidate rows for covering a tuple: those already agreeing on most of its values.
void TabuOptimiser::chooseCandidates(const int *m, const std::vector<int> &target)
{
    m_buckets.resize(static_cast<std::size_t>(m_t) + 1);
    for (auto &bucket : m_buckets)
        bucket.clear();
    for (int r = 0; r < m_table.rowCount(); ++r) {
        const int *row = m_table.rowAt(r);
        int mismatches = 0;
        for (int k = 0; k < m_t; ++k)
            mismatches += row[m[k]] != target[static_cast<std::size_t>(m[k])];
        m_buckets[static_cast<std::size_t>(mismatches)].push_back(r);
    }
    m_sample.clear();
    for (auto &bucket : m_buckets) {
        if (m_sample.size() >= CandidateTarget)
            break;
        std::size_t room = CandidateLimit - m_sample.size();
        if (bucket.size() <= room) {
            m_sample.insert(m_sample.end(), bucket.begin(), bucket.end());
        } else {
            for (std::size_t i = 0; i < room; ++i) {
                std::size_t j = i + static_cast<std::size_t>(
                                        m_random.below(static_cast<int>(bucket.size() - i)));
                std::swap(bucket[i], bucket[j]);
                m_sample.push_back(bucket[i]);
            }
        }
    }
}

// Shrinks the array: whenever everything is covered, keep it and delete the cheapest row;
// otherwise move an uncovered tuple into the best row (tabu search).
void TabuOptimiser::optimise(std::vector<int> &best, int &bestCount)
{
    m_lastChange.assign(m_table.rows().size(), std::numeric_limits<std::int64_t>::min() / 2);
    m_changedOrder.assign(static_cast<std::size_t>(m_n), -1);
    m_candidate.resize(static_cast<std::size_t>(m_n));
    std::vector<int> target(static_cast<std::size_t>(m_n), -1);
    std::vector<int> bestChanged;
    std::vector<int> bestNew;
    std::vector<int> bestOld;
    while (true) {
        if (m_table.uncovered().empty()) {
            best = m_table.rows();
            bestCount = m_table.rowCount();
            if (m_table.rowCount() <= m_feasibility.lowerBound() || m_table.rowCount() <= 1)
                return;
            removeRow(cheapestRow());
            continue;
        }
        if (m_run.timeUp())
            return;
        ++m_step;
        std::int64_t tuple = m_table.uncovered()[static_cast<std::size_t>(
            m_random.below(static_cast<int>(m_table.uncovered().size())))];
        int s = m_space.decode(tuple, target.data());
        const int *m = m_space.members(s);
        chooseCandidates(m, target);
        bool walk = m_random.unit() < WalkProbability;
        int bestRow = -1;
        std::int64_t bestDelta = std::numeric_limits<std::int64_t>::max();
        int ties = 0;
        for (int r : m_sample) {
            if (!prepareMove(r, m, target))
                continue;
            if (isTabu(r))
                continue;
            std::int64_t d = walk ? 0 : delta(r);
            bool take = d < bestDelta;
            if (!take && d == bestDelta)
                take = m_random.below(++ties) == 0;
            else if (take)
                ties = 1;
            if (take) {
                bestDelta = d;
                bestRow = r;
                bestChanged = m_changed;
                bestNew = m_newValues;
                bestOld = m_oldValues;
            }
        }
        if (bestRow < 0)
            continue;
        m_changed = bestChanged;
        m_newValues = bestNew;
        m_oldValues = bestOld;
        apply(bestRow);
    }
}

} // namespace crucible::covering
