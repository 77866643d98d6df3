#include "ui/models/datasetmembermodel.h"

#include <QLocale>

namespace crucible {

DatasetMemberModel::DatasetMemberModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DatasetMemberModel::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    reload();
}

void DatasetMemberModel::setDataset(const QString &datasetId)
{
    m_datasetId = datasetId;
    reload();
}

void DatasetMemberModel::reload()
{
    // Observers of modelReset (views, the model tester) may ask for more rows while it is being
    // delivered; rows are not inserted in the middle of a reset.
    m_changing = true;
    beginResetModel();
    m_rows.clear();
    m_atEnd = m_workspace == nullptr || m_datasetId.isEmpty();
    if (!m_atEnd) {
        m_rows = readPage();
        m_atEnd = static_cast<int>(m_rows.size()) < kPageSize;
    }
    endResetModel();
    m_changing = false;
}

std::vector<ProblemSummary> DatasetMemberModel::readPage() const
{
    ProblemFilter filter;
    filter.datasetId = m_datasetId;
    const qint64 after = m_rows.empty() ? 0 : m_rows.back().seq; // member position
    try {
        return ProblemRepository(*m_workspace).pageAfter(filter, after, kPageSize);
    } catch (const std::exception &e) {
        emit loadFailed(tr("Cannot read the members of dataset %1: %2")
                            .arg(m_datasetId, QString::fromUtf8(e.what())));
        return {};
    }
}

bool DatasetMemberModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_changing;
}

void DatasetMemberModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    std::vector<ProblemSummary> page = readPage();
    m_atEnd = static_cast<int>(page.size()) < kPageSize;
    if (page.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    m_changing = true;
    beginInsertRows({}, first, first + static_cast<int>(page.size()) - 1);
    for (ProblemSummary &s : page)
        m_rows.push_back(std::move(s));
    endInsertRows();
    m_changing = false;
}

QString DatasetMemberModel::problemIdAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return {};
    return m_rows[static_cast<size_t>(row)].id;
}

int DatasetMemberModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DatasetMemberModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetMemberModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const ProblemSummary &s = m_rows[static_cast<size_t>(index.row())];
    if (role == IdRole)
        return s.id;
    if (role == Qt::ToolTipRole && index.column() == StatementColumn)
        return s.statement;
    if (role == Qt::TextAlignmentRole && index.column() == PositionColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case PositionColumn:
        return index.row() + 1;
    case IdColumn:
        return s.id;
    case ComplexityColumn:
        return toString(s.complexity);
    case ReviewColumn:
        return toString(s.reviewStatus);
    case StatementColumn:
        return s.statement.simplified();
    default:
        return {};
    }
}

QVariant DatasetMemberModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("#");
    case IdColumn:
        return tr("Id");
    case ComplexityColumn:
        return tr("Complexity");
    case ReviewColumn:
        return tr("Review");
    case StatementColumn:
        return tr("Statement");
    default:
        return {};
    }
}

} // namespace crucible
