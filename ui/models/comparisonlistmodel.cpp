#include "ui/models/comparisonlistmodel.h"

#include <QColor>

namespace crucible {

ComparisonListModel::ComparisonListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ComparisonListModel::setComparisons(std::vector<ComparisonRecord> comparisons,
                                         std::map<QString, QString> names,
                                         std::map<QString, QString> problems)
{
    beginResetModel();
    m_rows = std::move(comparisons);
    m_names = std::move(names);
    m_problems = std::move(problems);
    endResetModel();
}

const ComparisonRecord *ComparisonListModel::comparisonAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

QString ComparisonListModel::nameOf(const QString &entrant) const
{
    const auto it = m_names.find(entrant);
    return it != m_names.end() && !it->second.isEmpty() ? it->second : entrant;
}

QString ComparisonListModel::problemText(const QString &problemId) const
{
    const auto it = m_problems.find(problemId);
    return it != m_problems.end() && !it->second.isEmpty() ? it->second : problemId;
}

QString ComparisonListModel::verdictText(const ComparisonRecord &c, const QString &verdict) const
{
    if (verdict == u"a")
        return nameOf(c.entrantA);
    if (verdict == u"b")
        return nameOf(c.entrantB);
    if (verdict == u"tie")
        return tr("tie");
    return tr("failed");
}

int ComparisonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ComparisonListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ComparisonListModel::data(const QModelIndex &index, int role) const
{
    const ComparisonRecord *c = index.isValid() ? comparisonAt(index.row()) : nullptr;
    if (!c)
        return {};
    if (role == IdRole)
        return c->id;
    if (role == Qt::ForegroundRole && index.column() == WinnerColumn && c->winner == u"failed")
        return QColor(180, 40, 40);
    if (role == Qt::ToolTipRole && index.column() == ProblemColumn)
        return problemText(c->problemId);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ProblemColumn:
        return problemText(c->problemId).simplified().left(80);
    case EntrantAColumn:
        return nameOf(c->entrantA);
    case EntrantBColumn:
        return nameOf(c->entrantB);
    case AFirstColumn:
        return verdictText(*c, c->verdictAb);
    case BFirstColumn:
        return verdictText(*c, c->verdictBa);
    case WinnerColumn:
        return verdictText(*c, c->winner);
    default:
        return {};
    }
}

QVariant ComparisonListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        if (section == AFirstColumn)
            return tr("The judge's verdict when A's solution was shown first");
        if (section == BFirstColumn)
            return tr("The judge's verdict when B's solution was shown first");
        if (section == WinnerColumn)
            return tr("Both orders agree: that verdict; they disagree: a tie");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ProblemColumn:
        return tr("Problem");
    case EntrantAColumn:
        return tr("A");
    case EntrantBColumn:
        return tr("B");
    case AFirstColumn:
        return tr("A shown first");
    case BFirstColumn:
        return tr("B shown first");
    case WinnerColumn:
        return tr("Winner");
    default:
        return {};
    }
}

} // namespace crucible
