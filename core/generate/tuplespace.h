#pragma once
// The t-way value combinations (tuples) a covering array must cover, numbered densely: every
// t-set of parameters (in lexicographic order) owns a block of indices, one per combination of
// its values, the last member varying fastest. A row contains one tuple of every t-set.

#include <cstdint>
#include <vector>

namespace crucible::covering {

class TupleSpace final
{
public:
    // Throws std::invalid_argument when there are more than 200 million combinations.
    TupleSpace(const std::vector<int> &counts, int strength);

    int strength() const { return m_t; }
    int subsetCount() const { return m_subsetCount; }
    std::int64_t total() const { return m_total; }
    // The first tuple index of t-set s (s == subsetCount(): total()).
    std::int64_t offset(int s) const { return m_offsets[static_cast<std::size_t>(s)]; }
    // The t-sets holding parameter p, ascending.
    const std::vector<int> &subsetsOf(int p) const
    {
        return m_paramSubsets[static_cast<std::size_t>(p)];
    }
    // The t parameters of t-set s, ascending, and their strides.
    const int *members(int s) const
    {
        return &m_subsetParams[static_cast<std::size_t>(s) * static_cast<std::size_t>(m_t)];
    }
    const int *strides(int s) const
    {
        return &m_strides[static_cast<std::size_t>(s) * static_cast<std::size_t>(m_t)];
    }
    // The index of the tuple of t-set s that `row` (one value per parameter) contains.
    std::int64_t tupleIndex(int s, const int *row) const
    {
        const int *m = members(s);
        const int *st = strides(s);
        std::int64_t index = m_offsets[static_cast<std::size_t>(s)];
        for (int k = 0; k < m_t; ++k)
            index += static_cast<std::int64_t>(row[m[k]]) * st[k];
        return index;
    }
    int subsetOf(std::int64_t tuple) const;
    // Writes the tuple's values into `row` (other entries untouched); returns its t-set.
    int decode(std::int64_t tuple, int *row) const;

private:
    const std::vector<int> &m_counts;
    const int m_n;
    const int m_t;
    std::vector<int> m_subsetParams;
    std::vector<int> m_strides;
    std::vector<std::int64_t> m_offsets;
    std::vector<std::vector<int>> m_paramSubsets;
    int m_subsetCount = 0;
    std::int64_t m_total = 0;
};

} // namespace crucible::covering
