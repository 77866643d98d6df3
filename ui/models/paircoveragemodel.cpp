#include "ui/models/paircoveragemodel.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace crucible {

PairCoverageModel::PairCoverageModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int PairCoverageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_aValues.size());
}

int PairCoverageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_bValues.size());
}

int PairCoverageModel::count(int aValue, int bValue) const
{
    return m_counts[static_cast<std::size_t>(aValue * m_bValues.size() + bValue)];
}

PairCoverageModel::State PairCoverageModel::state(int aValue, int bValue) const
{
    const auto cell = static_cast<std::size_t>(aValue * m_bValues.size() + bValue);
    if (!m_allowed.empty() && !m_allowed[cell])
        return State::Impossible;
    return m_counts[cell] > 0 ? State::Covered : State::Uncovered;
}

int PairCoverageModel::uncoveredCount() const
{
    int n = 0;
    for (int a = 0; a < rowCount(); ++a) {
        for (int b = 0; b < columnCount(); ++b)
            n += state(a, b) == State::Uncovered ? 1 : 0;
    }
    return n;
}

int PairCoverageModel::impossibleCount() const
{
    int n = 0;
    for (int a = 0; a < rowCount(); ++a) {
        for (int b = 0; b < columnCount(); ++b)
            n += state(a, b) == State::Impossible ? 1 : 0;
    }
    return n;
}

QVariant PairCoverageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int a = index.row();
    const int b = index.column();
    const State s = state(a, b);
    const int n = count(a, b);
    switch (role) {
    case Qt::DisplayRole:
        return s == State::Impossible ? QVariant(QStringLiteral("–")) : QVariant(n);
    case CountRole:
        return n;
    case StateRole:
        return static_cast<int>(s);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case Qt::BackgroundRole:
        switch (s) {
        case State::Impossible:
            return QBrush(QColor(0xb0, 0xb0, 0xb0), Qt::BDiagPattern);
        case State::Uncovered:
            return QBrush(QColor(0xf4, 0xa6, 0xa6));
        case State::Covered: {
            // Darker for pairs many rows repeat.
            const int shade = m_maxCount > 0 ? 60 * n / m_maxCount : 0;
            return QBrush(QColor(0xe6 - shade, 0xf2 - shade / 2, 0xff));
        }
        }
        break;
    case Qt::ForegroundRole:
        if (s == State::Uncovered)
            return QBrush(QColor(0x9b, 0x1c, 0x1c));
        if (s == State::Impossible)
            return QBrush(QColor(0x70, 0x70, 0x70));
        break;
    case Qt::ToolTipRole:
        switch (s) {
        case State::Impossible:
            return tr("%1 × %2: ruled out by the constraints").arg(m_aValues[a], m_bValues[b]);
        case State::Uncovered:
            return tr("%1 × %2: allowed, but no row covers it").arg(m_aValues[a], m_bValues[b]);
        case State::Covered:
            return tr("%1 × %2: covered by %n row(s)", nullptr, n).arg(m_aValues[a], m_bValues[b]);
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant PairCoverageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    const QStringList &names = orientation == Qt::Vertical ? m_aValues : m_bValues;
    return section >= 0 && section < names.size() ? names[section] : QVariant();
}

void PairCoverageModel::setCoverage(const QStringList &aValues, const QStringList &bValues, int a,
                                    int b, const std::vector<std::vector<int>> &rows,
                                    const std::vector<char> &allowed)
{
    beginResetModel();
    m_aValues = aValues;
    m_bValues = bValues;
    m_counts.assign(static_cast<std::size_t>(aValues.size() * bValues.size()), 0);
    const std::size_t cells = m_counts.size();
    m_allowed = allowed.size() == cells ? allowed : std::vector<char>{};
    for (const std::vector<int> &row : rows) {
        const auto ai = static_cast<std::size_t>(a);
        const auto bi = static_cast<std::size_t>(b);
        if (ai >= row.size() || bi >= row.size() || row[ai] < 0 || row[bi] < 0 ||
            row[ai] >= aValues.size() || row[bi] >= bValues.size())
            continue;
        ++m_counts[static_cast<std::size_t>(row[ai] * bValues.size() + row[bi])];
    }
    m_maxCount = m_counts.empty() ? 0 : *std::max_element(m_counts.begin(), m_counts.end());
    endResetModel();
}

void PairCoverageModel::clear()
{
    setCoverage({}, {}, 0, 0, {}, {});
}

} // namespace crucible
