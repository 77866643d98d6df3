#include "core/generate/coveringarray.h"

#include "core/generate/constraintsolver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace crucible {

namespace {

using Clock = std::chrono::steady_clock;

// xoshiro-style generator of our own so that a seed gives the same rows on every platform.
class Random
{
public:
    explicit Random(std::uint64_t seed)
    {
        std::uint64_t x = seed;
        for (auto &s : m_state) {
            x += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            s = z ^ (z >> 31);
        }
    }

    std::uint64_t next()
    {
        std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    int below(int n) { return static_cast<int>((next() >> 33) % static_cast<std::uint64_t>(n)); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_state[4];
};

constexpr std::int64_t MaxTuples = 200'000'000;
// Local search: rows examined per move (those agreeing most with the tuple first), chance of a
// random instead of best move, and steps a changed cell stays frozen.
constexpr std::size_t CandidateTarget = 24;
constexpr std::size_t CandidateLimit = 64;
constexpr double WalkProbability = 0.02;
constexpr std::int64_t TabuTenure = 1;
// Repairing a row in local search gives up after this many search nodes (the move is then
// skipped); deciding whether a tuple is possible never gives up.
constexpr std::int64_t SearchNodeLimit = 64;

class Generator
{
public:
    Generator(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
              const CoveringArrayOptions &options, const std::vector<std::vector<int>> &weights)
        : m_counts(counts)
        , m_n(static_cast<int>(counts.size()))
        , m_t(options.strength)
        , m_constraints(constraints)
        , m_hasConstraints(!constraints.empty())
        , m_options(options)
        , m_weights(weights)
        , m_random(options.seed)
        , m_start(Clock::now())
    {
        double budget = options.timeBudgetSeconds;
        if (budget <= 0)
            budget = m_t <= 2 ? 0.8 : (m_t == 3 ? 4.0 : 20.0);
        m_deadline = m_start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(budget));
        m_effort = options.effort;
        if (m_effort == 0)
            m_effort = m_t <= 2 ? 20'000'000ULL : (m_t == 3 ? 80'000'000ULL : 400'000'000ULL);
    }

    CoveringArrayResult run()
    {
        CoveringArrayResult result;
        buildSubsets();
        if (!computeFeasibility()) {
            result.satisfiable = false;
            result.seconds = elapsed();
            return result;
        }
        for (std::int64_t i = 0; i < m_total; ++i)
            (m_feasible[static_cast<std::size_t>(i)] ? result.requiredTuples
                                                     : result.excludedTuples)++;
        result.lowerBound = m_lowerBound;
        if (!greedy()) {
            result.cancelled = true;
            result.seconds = elapsed();
            return result;
        }
        result.greedyRows = m_rowCount;
        std::vector<int> best = m_rows;
        int bestCount = m_rowCount;
        if (m_options.optimise)
            optimise(best, bestCount);
        for (int r = 0; r < bestCount; ++r) {
            auto first = best.begin() + static_cast<std::ptrdiff_t>(r) * m_n;
            result.rows.emplace_back(first, first + m_n);
        }
        report(1.0);
        result.seconds = elapsed();
        return result;
    }

private:
    // ---- t-sets and tuple indexing --------------------------------------------------------

    void buildSubsets()
    {
        std::vector<int> combination(static_cast<std::size_t>(m_t));
        std::iota(combination.begin(), combination.end(), 0);
        m_paramSubsets.assign(static_cast<std::size_t>(m_n), {});
        m_offsets.push_back(0);
        while (true) {
            int s = static_cast<int>(m_offsets.size()) - 1;
            for (int p : combination) {
                m_strides.push_back(0);
                m_subsetParams.push_back(p);
                m_paramSubsets[static_cast<std::size_t>(p)].push_back(s);
            }
            // Strides: the last member varies fastest.
            std::size_t base = static_cast<std::size_t>(s) * static_cast<std::size_t>(m_t);
            std::int64_t size = 1;
            for (int k = m_t - 1; k >= 0; --k) {
                m_strides[base + static_cast<std::size_t>(k)] = static_cast<int>(size);
                size *= m_counts[static_cast<std::size_t>(
                    m_subsetParams[base + static_cast<std::size_t>(k)])];
            }
            m_offsets.push_back(m_offsets.back() + size);
            if (m_offsets.back() > MaxTuples)
                throw std::invalid_argument("too many value combinations for this strength");
            int k = m_t - 1;
            while (k >= 0 && combination[static_cast<std::size_t>(k)] == m_n - m_t + k)
                --k;
            if (k < 0)
                break;
            ++combination[static_cast<std::size_t>(k)];
            for (int j = k + 1; j < m_t; ++j)
                combination[static_cast<std::size_t>(j)] =
                    combination[static_cast<std::size_t>(j - 1)] + 1;
        }
        m_subsetCount = static_cast<int>(m_offsets.size()) - 1;
        m_total = m_offsets.back();
        for (auto &list : m_paramSubsets)
            std::sort(list.begin(), list.end());
    }

    const int *members(int s) const
    {
        return &m_subsetParams[static_cast<std::size_t>(s) * static_cast<std::size_t>(m_t)];
    }
    const int *strides(int s) const
    {
        return &m_strides[static_cast<std::size_t>(s) * static_cast<std::size_t>(m_t)];
    }

    std::int64_t tupleIndex(int s, const int *row) const
    {
        const int *m = members(s);
        const int *st = strides(s);
        std::int64_t index = m_offsets[static_cast<std::size_t>(s)];
        for (int k = 0; k < m_t; ++k)
            index += static_cast<std::int64_t>(row[m[k]]) * st[k];
        return index;
    }

    int subsetOf(std::int64_t tuple) const
    {
        auto it = std::upper_bound(m_offsets.begin(), m_offsets.end(), tuple);
        return static_cast<int>(it - m_offsets.begin()) - 1;
    }

    // Writes the tuple's values into `row` (other entries untouched); returns its t-set.
    int decode(std::int64_t tuple, int *row) const
    {
        int s = subsetOf(tuple);
        std::int64_t rest = tuple - m_offsets[static_cast<std::size_t>(s)];
        const int *m = members(s);
        const int *st = strides(s);
        for (int k = 0; k < m_t; ++k) {
            row[m[k]] = static_cast<int>(rest / st[k]);
            rest %= st[k];
        }
        return s;
    }

    // ---- constraints ----------------------------------------------------------------------

    // Extends the constrained parameters of `row` (-1 = free) to a full allowed assignment in
    // place; returns false, with `row` unchanged, when none exists.
    bool complete(std::vector<int> &row, std::int64_t nodeLimit = -1)
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
    bool search(std::vector<int> &row, std::vector<int> &open)
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

    void prepareConstraintOrder()
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
    void markRow(const int *row)
    {
        int witness = static_cast<int>(m_witnessRows.size());
        m_witnessRows.insert(m_witnessRows.end(), row, row + m_n);
        for (int s = 0; s < m_subsetCount; ++s) {
            std::size_t tuple = static_cast<std::size_t>(tupleIndex(s, row));
            if (!m_feasible[tuple]) {
                m_feasible[tuple] = 1;
                m_witnessOf[tuple] = witness;
            }
        }
    }

    // Whether no allowed row contains the tuple `row` holds (other entries -1), decided from
    // the cached consequences of fixing each of its values alone: a value that empties some
    // domain, or two values that rule each other out, settle it without a search.
    bool refutedByImplications(const std::vector<int> &row, const int *m)
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
    const std::vector<ConstraintSolver::Domain> *impliedBy(int p, int v)
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
    bool completeTuple(std::vector<int> &row, const int *m)
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
        bool found =
            (m_narrowed.empty() || m_solver->propagate(m_domains, m_narrowed)) &&
            m_solver->solve(m_domains, row, m_preferred) == ConstraintSolver::Outcome::Found;
        m_preferred.clear();
        m_work += m_solver->work() - before;
        return found;
    }

    bool computeFeasibility()
    {
        m_feasible.assign(static_cast<std::size_t>(m_total), m_hasConstraints ? 0 : 1);
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
            m_witnessOf.assign(static_cast<std::size_t>(m_total), 0);
            for (int p = 0; p < m_n; ++p) {
                if (row[static_cast<std::size_t>(p)] < 0)
                    row[static_cast<std::size_t>(p)] = 0;
            }
            markRow(row.data());
            for (std::int64_t tuple = 0; tuple < m_total; ++tuple) {
                if (m_feasible[static_cast<std::size_t>(tuple)])
                    continue;
                std::fill(row.begin(), row.end(), -1);
                int s = decode(tuple, row.data());
                const int *m = members(s);
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
                if ((tuple & 1023) == 0 && isCancelled())
                    return true;
            }
            m_implied.clear();
            m_implied.shrink_to_fit();
        }
        m_lowerBound = 0;
        for (int s = 0; s < m_subsetCount; ++s) {
            int count = 0;
            for (std::int64_t i = m_offsets[static_cast<std::size_t>(s)];
                 i < m_offsets[static_cast<std::size_t>(s) + 1]; ++i)
                count += m_feasible[static_cast<std::size_t>(i)];
            m_lowerBound = std::max(m_lowerBound, count);
        }
        return true;
    }

    // Room for the consequences of every single (parameter, value), unless that would be huge
    // (then each tuple is decided by a search from its own values only).
    void prepareImplications()
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

    // ---- coverage bookkeeping ----------------------------------------------------------------

    void addUncovered(std::int64_t tuple)
    {
        m_position[static_cast<std::size_t>(tuple)] = static_cast<std::int64_t>(m_uncovered.size());
        m_uncovered.push_back(tuple);
    }

    void removeUncovered(std::int64_t tuple)
    {
        std::int64_t at = m_position[static_cast<std::size_t>(tuple)];
        std::int64_t last = m_uncovered.back();
        m_uncovered[static_cast<std::size_t>(at)] = last;
        m_position[static_cast<std::size_t>(last)] = at;
        m_uncovered.pop_back();
        m_position[static_cast<std::size_t>(tuple)] = -1;
    }

    void cover(const int *row)
    {
        for (int s = 0; s < m_subsetCount; ++s) {
            std::int64_t tuple = tupleIndex(s, row);
            if (m_count[static_cast<std::size_t>(tuple)]++ == 0)
                removeUncovered(tuple);
        }
    }

    void uncover(const int *row)
    {
        for (int s = 0; s < m_subsetCount; ++s) {
            std::int64_t tuple = tupleIndex(s, row);
            if (--m_count[static_cast<std::size_t>(tuple)] == 0)
                addUncovered(tuple);
        }
    }

    int *rowAt(int r)
    {
        return &m_rows[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n)];
    }

    // ---- greedy construction ---------------------------------------------------------------

    // Builds one allowed row around a random uncovered tuple, choosing each further value for
    // the most newly covered tuples (ties broken at random, favouring heavier values).
    void buildRow(std::vector<int> &row)
    {
        std::fill(row.begin(), row.end(), -1);
        std::int64_t seed = m_uncovered[static_cast<std::size_t>(
            m_random.below(static_cast<int>(m_uncovered.size())))];
        decode(seed, row.data());
        m_order.clear();
        for (int p = 0; p < m_n; ++p) {
            if (row[static_cast<std::size_t>(p)] < 0)
                m_order.push_back(p);
        }
        for (std::size_t i = m_order.size(); i > 1; --i)
            std::swap(m_order[i - 1],
                      m_order[static_cast<std::size_t>(m_random.below(static_cast<int>(i)))]);
        // A completion of the seed tuple (it is possible, so one exists) guarantees a fallback
        // value for every constrained parameter; other values get a bounded search.
        if (m_hasConstraints) {
            const int *witness = &m_witnessRows[static_cast<std::size_t>(
                m_witnessOf[static_cast<std::size_t>(seed)])];
            m_witness.assign(witness, witness + m_n);
        }
        for (int p : m_order) {
            int count = m_counts[static_cast<std::size_t>(p)];
            m_gain.assign(static_cast<std::size_t>(count), 0);
            for (int s : m_paramSubsets[static_cast<std::size_t>(p)]) {
                const int *m = members(s);
                const int *st = strides(s);
                std::int64_t base = m_offsets[static_cast<std::size_t>(s)];
                int stride = 0;
                bool ready = true;
                for (int k = 0; k < m_t && ready; ++k) {
                    if (m[k] == p) {
                        stride = st[k];
                    } else if (row[static_cast<std::size_t>(m[k])] < 0) {
                        ready = false;
                    } else {
                        base +=
                            static_cast<std::int64_t>(row[static_cast<std::size_t>(m[k])]) * st[k];
                    }
                }
                if (!ready)
                    continue;
                for (int v = 0; v < count; ++v) {
                    std::size_t tuple =
                        static_cast<std::size_t>(base + static_cast<std::int64_t>(v) * stride);
                    if (m_count[tuple] == 0 && m_feasible[tuple])
                        ++m_gain[static_cast<std::size_t>(v)];
                }
            }
            m_choice.clear();
            for (int v = 0; v < count; ++v) {
                double weight = 1;
                if (static_cast<std::size_t>(p) < m_weights.size() &&
                    static_cast<std::size_t>(v) < m_weights[static_cast<std::size_t>(p)].size())
                    weight = std::max(
                        1, m_weights[static_cast<std::size_t>(p)][static_cast<std::size_t>(v)]);
                double key = std::pow(m_random.unit(), 1.0 / weight);
                m_choice.push_back({m_gain[static_cast<std::size_t>(v)] + key, v});
            }
            std::sort(m_choice.begin(), m_choice.end(), std::greater<>());
            if (!m_hasConstraints || !m_isConstrained[static_cast<std::size_t>(p)]) {
                row[static_cast<std::size_t>(p)] = m_choice.front().second;
                continue;
            }
            // m_witness is an allowed row agreeing with every value fixed so far; a value with
            // more gain is taken only if swapping it into the witness keeps the witness allowed.
            int fallback = m_witness[static_cast<std::size_t>(p)];
            row[static_cast<std::size_t>(p)] = fallback;
            for (const auto &[score, v] : m_choice) {
                if (v == fallback || m_gain[static_cast<std::size_t>(v)] <=
                                         m_gain[static_cast<std::size_t>(fallback)])
                    break;
                m_witness[static_cast<std::size_t>(p)] = v;
                if (m_constraints.evaluateOn(p, m_witness) == Tri::True) {
                    row[static_cast<std::size_t>(p)] = v;
                    break;
                }
                m_witness[static_cast<std::size_t>(p)] = fallback;
            }
        }
    }

    int newlyCovered(const int *row) const
    {
        int gain = 0;
        for (int s = 0; s < m_subsetCount; ++s)
            gain += m_count[static_cast<std::size_t>(tupleIndex(s, row))] == 0;
        return gain;
    }

    bool greedy()
    {
        m_count.assign(static_cast<std::size_t>(m_total), 0);
        m_position.assign(static_cast<std::size_t>(m_total), -1);
        m_uncovered.clear();
        for (std::int64_t i = 0; i < m_total; ++i) {
            if (m_feasible[static_cast<std::size_t>(i)])
                addUncovered(i);
        }
        const double required = static_cast<double>(m_uncovered.size());
        int candidates = m_subsetCount * m_t <= 2000 ? 12 : (m_subsetCount * m_t <= 20000 ? 6 : 3);
        std::vector<int> row(static_cast<std::size_t>(m_n));
        std::vector<int> best(static_cast<std::size_t>(m_n));
        m_rowCount = 0;
        while (!m_uncovered.empty()) {
            if (isCancelled())
                return false;
            int bestGain = -1;
            for (int c = 0; c < candidates; ++c) {
                buildRow(row);
                int gain = newlyCovered(row.data());
                if (gain > bestGain) {
                    bestGain = gain;
                    best = row;
                }
            }
            m_rows.insert(m_rows.end(), best.begin(), best.end());
            ++m_rowCount;
            cover(best.data());
            report(0.2 * (1.0 - static_cast<double>(m_uncovered.size()) / required));
        }
        return true;
    }

    // ---- post-optimisation -------------------------------------------------------------------

    void removeRow(int r)
    {
        uncover(rowAt(r));
        int last = m_rowCount - 1;
        if (r != last) {
            std::copy(rowAt(last), rowAt(last) + m_n, rowAt(r));
            std::copy(m_lastChange.begin() + static_cast<std::ptrdiff_t>(last) * m_n,
                      m_lastChange.begin() + static_cast<std::ptrdiff_t>(last + 1) * m_n,
                      m_lastChange.begin() + static_cast<std::ptrdiff_t>(r) * m_n);
        }
        --m_rowCount;
        m_rows.resize(static_cast<std::size_t>(m_rowCount) * static_cast<std::size_t>(m_n));
        m_lastChange.resize(m_rows.size());
    }

    // The row whose removal loses the fewest tuples (ties at random).
    int cheapestRow()
    {
        int best = 0;
        int bestLoss = std::numeric_limits<int>::max();
        int ties = 0;
        for (int r = 0; r < m_rowCount; ++r) {
            const int *row = rowAt(r);
            int loss = 0;
            for (int s = 0; s < m_subsetCount; ++s)
                loss += m_count[static_cast<std::size_t>(tupleIndex(s, row))] == 1;
            m_work += static_cast<std::uint64_t>(m_subsetCount);
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
    void markChanged()
    {
        for (std::size_t i = 0; i < m_changed.size(); ++i)
            m_changedOrder[static_cast<std::size_t>(m_changed[i])] = static_cast<int>(i);
    }

    void unmarkChanged()
    {
        for (int p : m_changed)
            m_changedOrder[static_cast<std::size_t>(p)] = -1;
    }

    // Whether t-set `s`, reached through the i-th changed parameter, was already visited.
    bool visitedEarlier(int s, std::size_t i) const
    {
        if (m_changed.size() == 1)
            return false;
        const int *m = members(s);
        for (int k = 0; k < m_t; ++k) {
            int order = m_changedOrder[static_cast<std::size_t>(m[k])];
            if (order >= 0 && order < static_cast<int>(i))
                return true;
        }
        return false;
    }

    void patch(int *row, bool forward)
    {
        for (std::size_t i = 0; i < m_changed.size(); ++i)
            row[m_changed[i]] = forward ? m_newValues[i] : m_oldValues[i];
    }

    // Change in uncovered tuples if row r took m_newValues at m_changed.
    std::int64_t delta(int r)
    {
        int *row = rowAt(r);
        markChanged();
        std::int64_t result = 0;
        for (int pass = 0; pass < 2; ++pass) {
            if (pass == 1)
                patch(row, true);
            for (std::size_t i = 0; i < m_changed.size(); ++i) {
                const auto &subsets = m_paramSubsets[static_cast<std::size_t>(m_changed[i])];
                m_work += subsets.size();
                for (int s : subsets) {
                    if (visitedEarlier(s, i))
                        continue;
                    std::size_t tuple = static_cast<std::size_t>(tupleIndex(s, row));
                    if (pass == 0 && m_count[tuple] == 1)
                        ++result;
                    else if (pass == 1 && m_count[tuple] == 0 && m_feasible[tuple])
                        --result;
                }
            }
        }
        patch(row, false);
        unmarkChanged();
        return result;
    }

    void apply(int r)
    {
        int *row = rowAt(r);
        markChanged();
        for (int pass = 0; pass < 2; ++pass) {
            if (pass == 1)
                patch(row, true);
            for (std::size_t i = 0; i < m_changed.size(); ++i) {
                for (int s : m_paramSubsets[static_cast<std::size_t>(m_changed[i])]) {
                    if (visitedEarlier(s, i))
                        continue;
                    std::int64_t tuple = tupleIndex(s, row);
                    std::uint32_t &count = m_count[static_cast<std::size_t>(tuple)];
                    if (pass == 0 && --count == 0)
                        addUncovered(tuple);
                    else if (pass == 1 && count++ == 0)
                        removeUncovered(tuple);
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
    bool prepareMove(int r, const int *m, const std::vector<int> &target)
    {
        int *row = rowAt(r);
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
                touchesConstraint =
                    touchesConstraint || m_isConstrained[static_cast<std::size_t>(p)];
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
            if (valid && m_isConstrained[static_cast<std::size_t>(p)])
                valid = m_constraints.evaluateOn(p, m_candidate) == Tri::True;
        }
        if (valid)
            return true;
        // Re-choose the other parameters of the violated constraints, keeping what we can.
        m_preferred.assign(row, row + m_n);
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
        bool ok = complete(m_candidate, SearchNodeLimit);
        m_preferred.clear();
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

    bool isTabu(int r) const
    {
        for (int p : m_changed) {
            if (m_step - m_lastChange[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n) +
                                      static_cast<std::size_t>(p)] <=
                TabuTenure)
                return true;
        }
        return false;
    }

    bool timeUp()
    {
        if (m_work >= m_effort)
            return true;
        if ((++m_polls & 63) != 0)
            return false;
        if (Clock::now() >= m_deadline || isCancelled())
            return true;
        double fraction = std::max(static_cast<double>(m_work) / static_cast<double>(m_effort),
                                   elapsedFraction());
        report(0.2 + 0.8 * std::min(1.0, fraction));
        return false;
    }

    // Candidate rows for covering a tuple: those already agreeing on most of its values.
    void chooseCandidates(const int *m, const std::vector<int> &target)
    {
        m_buckets.resize(static_cast<std::size_t>(m_t) + 1);
        for (auto &bucket : m_buckets)
            bucket.clear();
        for (int r = 0; r < m_rowCount; ++r) {
            const int *row = rowAt(r);
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
    void optimise(std::vector<int> &best, int &bestCount)
    {
        m_lastChange.assign(m_rows.size(), std::numeric_limits<std::int64_t>::min() / 2);
        m_changedOrder.assign(static_cast<std::size_t>(m_n), -1);
        m_candidate.resize(static_cast<std::size_t>(m_n));
        std::vector<int> target(static_cast<std::size_t>(m_n), -1);
        std::vector<int> bestChanged;
        std::vector<int> bestNew;
        std::vector<int> bestOld;
        while (true) {
            if (m_uncovered.empty()) {
                best = m_rows;
                bestCount = m_rowCount;
                if (m_rowCount <= m_lowerBound || m_rowCount <= 1)
                    return;
                removeRow(cheapestRow());
                continue;
            }
            if (timeUp())
                return;
            ++m_step;
            std::int64_t tuple = m_uncovered[static_cast<std::size_t>(
                m_random.below(static_cast<int>(m_uncovered.size())))];
            int s = decode(tuple, target.data());
            const int *m = members(s);
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

    // ---- misc ----------------------------------------------------------------------------------

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    double elapsedFraction() const
    {
        return std::chrono::duration<double>(Clock::now() - m_start).count() /
               std::max(1e-9, std::chrono::duration<double>(m_deadline - m_start).count());
    }

    bool isCancelled() const { return m_options.cancelled && m_options.cancelled(); }

    void report(double fraction) const
    {
        if (m_options.progress)
            m_options.progress(fraction);
    }

    const std::vector<int> &m_counts;
    const int m_n;
    const int m_t;
    const ConstraintEvaluator &m_constraints;
    const bool m_hasConstraints;
    const CoveringArrayOptions &m_options;
    const std::vector<std::vector<int>> &m_weights;
    Random m_random;
    Clock::time_point m_start;
    Clock::time_point m_deadline;
    std::uint64_t m_effort = 0;
    std::uint64_t m_work = 0;
    std::uint64_t m_polls = 0;
    std::int64_t m_step = 0;

    std::vector<int> m_subsetParams;
    std::vector<int> m_strides;
    std::vector<std::int64_t> m_offsets;
    std::vector<std::vector<int>> m_paramSubsets;
    int m_subsetCount = 0;
    std::int64_t m_total = 0;
    int m_lowerBound = 0;

    std::vector<std::uint8_t> m_feasible;
    std::vector<int> m_constrainedOrder;
    std::vector<char> m_isConstrained;
    std::vector<int> m_preferred;
    std::vector<int> m_witness;
    std::vector<int> m_witnessRows;
    std::vector<int> m_freed;
    std::vector<int> m_witnessOf;
    std::int64_t m_nodesLeft = -1;
    std::unique_ptr<ConstraintSolver> m_solver; // null: no constraints or too many values
    std::vector<ConstraintSolver::Domain> m_rootDomains;
    std::vector<ConstraintSolver::Domain> m_domains;
    std::vector<int> m_valueOffset;                               // first slot of a parameter
    std::vector<std::vector<ConstraintSolver::Domain>> m_implied; // per (parameter, value)
    std::vector<std::uint8_t> m_impliedState; // 0 not computed, 1 possible, 2 impossible
    std::vector<int> m_narrowed;

    std::vector<std::uint32_t> m_count;
    std::vector<std::int64_t> m_position;
    std::vector<std::int64_t> m_uncovered;
    std::vector<int> m_rows;
    int m_rowCount = 0;

    std::vector<int> m_order;
    std::vector<int> m_gain;
    std::vector<std::pair<double, int>> m_choice;

    std::vector<std::int64_t> m_lastChange;
    std::vector<int> m_candidate;
    std::vector<int> m_changed;
    std::vector<int> m_changedOrder;
    std::vector<int> m_oldValues;
    std::vector<int> m_newValues;
    std::vector<std::vector<int>> m_buckets;
    std::vector<int> m_sample;
};

} // namespace

CoveringArrayResult CoveringArrayGenerator::generate(const PictModel &model,
                                                     const CoveringArrayOptions &options)
{
    std::vector<int> counts;
    std::vector<std::vector<int>> weights;
    for (const MatrixParameter &parameter : model.parameters) {
        counts.push_back(static_cast<int>(parameter.values.size()));
        std::vector<int> w;
        for (std::size_t v = 0; v < parameter.values.size(); ++v)
            w.push_back(parameter.weight(v));
        weights.push_back(std::move(w));
    }
    ConstraintEvaluator constraints(model.parameters, model.constraints);
    return generate(counts, constraints, options, weights);
}

CoveringArrayResult CoveringArrayGenerator::generate(const std::vector<int> &valueCounts,
                                                     const ConstraintEvaluator &constraints,
                                                     const CoveringArrayOptions &options,
                                                     const std::vector<std::vector<int>> &weights)
{
    if (valueCounts.empty())
        throw std::invalid_argument("covering array needs at least one parameter");
    if (options.strength < 1 || options.strength > static_cast<int>(valueCounts.size()))
        throw std::invalid_argument("strength must be between 1 and the number of parameters");
    for (int count : valueCounts) {
        if (count < 1)
            throw std::invalid_argument("every parameter needs at least one value");
    }
    if (!constraints.empty() &&
        constraints.parameterCount() != static_cast<int>(valueCounts.size()))
        throw std::invalid_argument("constraints were compiled for a different parameter list");
    Generator generator(valueCounts, constraints, options, weights);
    return generator.run();
}

} // namespace crucible
