#pragma once
// The rows of a covering array under construction and how often each possible tuple is covered,
// with the uncovered tuples in a list that supports O(1) insertion, removal and random choice.

#include "core/generate/tuplespace.h"

#include <cstdint>
#include <vector>

namespace crucible::covering {

class TupleFeasibility;

class CoverageTable final
{
public:
    CoverageTable(const TupleSpace &space, int parameterCount);

    // No rows; every possible tuple uncovered.
    void reset(const TupleFeasibility &feasibility);

    int rowCount() const { return m_rowCount; }
    // The rows, one after the other (rowCount() × parameter count values).
    const std::vector<int> &rows() const { return m_rows; }
    int *rowAt(int r)
    {
        return &m_rows[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n)];
    }
    const int *rowAt(int r) const
    {
        return &m_rows[static_cast<std::size_t>(r) * static_cast<std::size_t>(m_n)];
    }
    void appendRow(const int *row);
    // Removes row r, moving the last row into its place.
    void removeRow(int r);

    // How many rows contain the tuple.
    std::uint32_t count(std::size_t tuple) const { return m_count[tuple]; }
    const std::vector<std::int64_t> &uncovered() const { return m_uncovered; }
    // One more (increment) or one fewer (decrement) row contains the tuple.
    void increment(std::int64_t tuple);
    void decrement(std::int64_t tuple);
    // Every tuple of `row` gains (cover) or loses (uncover) a row.
    void cover(const int *row);
    void uncover(const int *row);
    // The tuples of `row` no row contains yet.
    int newlyCovered(const int *row) const;

private:
    void addUncovered(std::int64_t tuple);
    void removeUncovered(std::int64_t tuple);

    const TupleSpace &m_space;
    const int m_n;
    std::vector<std::uint32_t> m_count;
    std::vector<std::int64_t> m_position;
    std::vector<std::int64_t> m_uncovered;
    std::vector<int> m_rows;
    int m_rowCount = 0;
};

} // namespace crucible::covering
