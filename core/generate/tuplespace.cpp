#include "core/generate/tuplespace.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace crucible::covering {

namespace {

constexpr std::int64_t kMaxTuples = 200'000'000;

} // namespace

TupleSpace::TupleSpace(const std::vector<int> &counts, int strength)
    : m_counts(counts)
    , m_n(static_cast<int>(counts.size()))
    , m_t(strength)
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
        if (m_offsets.back() > kMaxTuples)
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

int TupleSpace::subsetOf(std::int64_t tuple) const
{
    auto it = std::upper_bound(m_offsets.begin(), m_offsets.end(), tuple);
    return static_cast<int>(it - m_offsets.begin()) - 1;
}

// Writes the tuple's values into `row` (other entries untouched); returns its t-set.
int TupleSpace::decode(std::int64_t tuple, int *row) const
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

} // namespace crucible::covering
