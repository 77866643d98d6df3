#include "core/generate/greedyconstruction.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace crucible::covering {

GreedyConstruction::GreedyConstruction(CoveringRun &run, const TupleSpace &space,
                                       const TupleFeasibility &feasibility, CoverageTable &table)
    : m_run(run)
    , m_space(space)
    , m_feasibility(feasibility)
    , m_table(table)
    , m_counts(run.counts())
    , m_n(run.parameterCount())
    , m_t(run.strength())
    , m_constraints(run.constraints())
    , m_hasConstraints(!run.constraints().empty())
    , m_weights(run.weights())
    , m_random(run.random())
{
}

// Builds one allowed row around a random uncovered tuple, choosing each further value for
// the most newly covered tuples (ties broken at random, favouring heavier values).
void GreedyConstruction::buildRow(std::vector<int> &row)
{
    std::fill(row.begin(), row.end(), -1);
    std::int64_t seed = m_table.uncovered()[static_cast<std::size_t>(
        m_random.below(static_cast<int>(m_table.uncovered().size())))];
    m_space.decode(seed, row.data());
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
        const int *witness = m_feasibility.witnessOf(seed);
        m_witness.assign(witness, witness + m_n);
    }
    for (int p : m_order) {
        int count = m_counts[static_cast<std::size_t>(p)];
        m_gain.assign(static_cast<std::size_t>(count), 0);
        for (int s : m_space.subsetsOf(p)) {
            const int *m = m_space.members(s);
            const int *st = m_space.strides(s);
            std::int64_t base = m_space.offset(s);
            int stride = 0;
            bool ready = true;
            for (int k = 0; k < m_t && ready; ++k) {
                if (m[k] == p) {
                    stride = st[k];
                } else if (row[static_cast<std::size_t>(m[k])] < 0) {
                    ready = false;
                } else {
                    base += static_cast<std::int64_t>(row[static_cast<std::size_t>(m[k])]) * st[k];
                }
            }
            if (!ready)
                continue;
            for (int v = 0; v < count; ++v) {
                std::size_t tuple =
                    static_cast<std::size_t>(base + static_cast<std::int64_t>(v) * stride);
                if (m_table.count(tuple) == 0 && m_feasibility.feasible(tuple))
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
        if (!m_hasConstraints || !m_feasibility.isConstrained(p)) {
            row[static_cast<std::size_t>(p)] = m_choice.front().second;
            continue;
        }
        // m_witness is an allowed row agreeing with every value fixed so far; a value with
        // more gain is taken only if swapping it into the witness keeps the witness allowed.
        int fallback = m_witness[static_cast<std::size_t>(p)];
        row[static_cast<std::size_t>(p)] = fallback;
        for (const auto &[score, v] : m_choice) {
            if (v == fallback ||
                m_gain[static_cast<std::size_t>(v)] <= m_gain[static_cast<std::size_t>(fallback)])
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

bool GreedyConstruction::build()
{
    m_table.reset(m_feasibility);
    const double required = static_cast<double>(m_table.uncovered().size());
    int candidates =
        m_space.subsetCount() * m_t <= 2000 ? 12 : (m_space.subsetCount() * m_t <= 20000 ? 6 : 3);
    std::vector<int> row(static_cast<std::size_t>(m_n));
    std::vector<int> best(static_cast<std::size_t>(m_n));
    while (!m_table.uncovered().empty()) {
        if (m_run.isCancelled())
            return false;
        int bestGain = -1;
        for (int c = 0; c < candidates; ++c) {
            buildRow(row);
            int gain = m_table.newlyCovered(row.data());
            if (gain > bestGain) {
                bestGain = gain;
                best = row;
            }
        }
        m_table.appendRow(best.data());
        m_run.report(0.2 * (1.0 - static_cast<double>(m_table.uncovered().size()) / required));
    }
    return true;
}

} // namespace crucible::covering
