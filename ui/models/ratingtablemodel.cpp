#include "ui/models/ratingtablemodel.h"

#include <algorithm>

namespace crucible {

namespace {

QString percent(const nlohmann::json &doc, const char *key)
{
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_number())
        return QStringLiteral("–");
    return QStringLiteral("%1 %").arg(100.0 * it->get<double>(), 0, 'f', 1);
}

} // namespace

RatingTableModel::RatingTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RatingTableModel::setRatings(std::vector<RatingRecord> ratings,
                                  std::map<QString, QString> names)
{
    beginResetModel();
    m_rows = std::move(ratings);
    m_names = std::move(names);
    if (m_rows.empty()) {
        m_min = 900;
        m_max = 1100;
    } else {
        m_min = m_rows.front().ciLow;
        m_max = m_rows.front().ciHigh;
        for (const RatingRecord &r : m_rows) {
            m_min = std::min({m_min, r.ciLow, r.rating});
            m_max = std::max({m_max, r.ciHigh, r.rating});
        }
        const double pad = std::max(10.0, (m_max - m_min) * 0.05);
        m_min -= pad;
        m_max += pad;
    }
    endResetModel();
}

const RatingRecord *RatingTableModel::ratingAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

int RatingTableModel::rowOf(const QString &entrant) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].entrant == entrant)
            return static_cast<int>(i);
    return -1;
}

QString RatingTableModel::nameOf(const QString &entrant) const
{
    const auto it = m_names.find(entrant);
    return it != m_names.end() && !it->second.isEmpty() ? it->second : entrant;
}

int RatingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RatingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RatingTableModel::data(const QModelIndex &index, int role) const
{
    const RatingRecord *r = index.isValid() ? ratingAt(index.row()) : nullptr;
    if (!r)
        return {};
    switch (role) {
    case EntrantRole:
        return r->entrant;
    case RatingRole:
        return r->rating;
    case CiLowRole:
        return r->ciLow;
    case CiHighRole:
        return r->ciHigh;
    case Qt::TextAlignmentRole:
        if (index.column() != EntrantColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == EntrantColumn)
            return r->entrant;
        if (index.column() == RatingColumn || index.column() == IntervalColumn)
            return tr("%1, 95 % interval %2 – %3 (bootstrap over the comparisons)")
                .arg(r->rating, 0, 'f', 0)
                .arg(r->ciLow, 0, 'f', 0)
                .arg(r->ciHigh, 0, 'f', 0);
        if (index.column() == LengthControlledColumn)
            return tr("Win rate with the effect of answer length regressed out");
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case RankColumn:
        return index.row() + 1;
    case EntrantColumn:
        return nameOf(r->entrant);
    case RatingColumn:
        return QString::number(r->rating, 'f', 0);
    case IntervalColumn:
        return QStringLiteral("%1 – %2").arg(r->ciLow, 0, 'f', 0).arg(r->ciHigh, 0, 'f', 0);
    case RecordColumn:
        return QStringLiteral("%1–%2–%3").arg(r->wins).arg(r->losses).arg(r->ties);
    case WinRateColumn:
        return percent(r->doc, "win_rate");
    case LengthControlledColumn:
        return percent(r->doc, "lc_win_rate");
    default:
        return {};
    }
}

QVariant RatingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("#");
    case EntrantColumn:
        return tr("Entrant");
    case RatingColumn:
        return tr("Rating");
    case IntervalColumn:
        return tr("95 % CI");
    case RecordColumn:
        return tr("W–L–T");
    case WinRateColumn:
        return tr("Win rate");
    case LengthControlledColumn:
        return tr("LC win rate");
    default:
        return {};
    }
}

} // namespace crucible
