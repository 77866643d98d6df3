#include "core/generate/coveragetable.h"

#include "core/generate/tuplefeasibility.h"

#include <algorithm>

namespace crucible::covering {

CoverageTable::CoverageTable(const TupleSpace &space, int parameterCount)
    : m_space(space)
    , m_n(parameterCount)
{
}

void CoverageTable::reset(const TupleFeasibility &feasibility)
{
    m_count.assign(static_cast<std::size_t>(m_space.total()), 0);
    m_position.assign(static_cast<std::size_t>(m_space.total()), -1);
    m_uncovered.clear();
    for (std::int64_t i = 0; i < m_space.total(); ++i) {
        if (feasibility.feasible(static_cast<std::size_t>(i)))
            addUncovered(i);
    }
    m_rows.clear();
    m_rowCount = 0;
}

void CoverageTable::appendRow(const int *row)
{
    m_rows.insert(m_rows.end(), row, row + m_n);
    ++m_rowCount;
    cover(row);
}

void CoverageTable::removeRow(int r)
{
    uncover(rowAt(r));
    int last = m_rowCount - 1;
    if (r != last)
        std::copy(rowAt(last), rowAt(last) + m_n, rowAt(r));
    --m_rowCount;
    m_rows.resize(static_cast<std::size_t>(m_rowCount) * static_cast<std::size_t>(m_n));
}

void CoverageTable::increment(std::int64_t tuple)
{
    if (m_count[static_cast<std::size_t>(tuple)]++ == 0)
        removeUncovered(tuple);
}

void CoverageTable::decrement(std::int64_t tuple)
{
    if (--m_count[static_cast<std::size_t>(tuple)] == 0)
        addUncovered(tuple);
}

void CoverageTable::addUncovered(std::int64_t tuple)
{
    m_position[static_cast<std::size_t>(tuple)] = static_cast<std::int64_t>(m_uncovered.size());
    m_uncovered.push_back(tuple);
}

void CoverageTable::removeUncovered(std::int64_t tuple)
{
    std::int64_t at = m_position[static_cast<std::size_t>(tuple)];
    std::int64_t last = m_uncovered.back();
    m_uncovered[static_cast<std::size_t>(at)] = last;
    m_position[static_cast<std::size_t>(last)] = at;
    m_uncovered.pop_back();
    m_position[static_cast<std::size_t>(tuple)] = -1;
}

void CoverageTable::cover(const int *row)
{
    for (int s = 0; s < m_space.subsetCount(); ++s) {
        std::int64_t tuple = m_space.tupleIndex(s, row);
        if (m_count[static_cast<std::size_t>(tuple)]++ == 0)
            removeUncovered(tuple);
    }
}

void CoverageTable::uncover(const int *row)
{
    for (int s = 0; s < m_space.subsetCount(); ++s) {
        std::int64_t tuple = m_space.tupleIndex(s, row);
        if (--m_count[static_cast<std::size_t>(tuple)] == 0)
            addUncovered(tuple);
    }
}

int CoverageTable::newlyCovered(const int *row) const
{
    int gain = 0;
    for (int s = 0; s < m_space.subsetCount(); ++s)
        gain += m_count[static_cast<std::size_t>(m_space.tupleIndex(s, row))] == 0;
    return gain;
}

} // namespace crucible::covering
