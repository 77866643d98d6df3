#include "ui/models/datasetlistmodel.h"
#include "core/llm/moneyformat.h"

#include "core/model/jsonsupport.h"

#include <QLocale>

namespace crucible {

DatasetListModel::DatasetListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DatasetListModel::setSummaries(std::vector<DatasetSummary> summaries)
{
    beginResetModel();
    m_rows = std::move(summaries);
    endResetModel();
}

const DatasetSummary *DatasetListModel::summaryAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

int DatasetListModel::rowOf(const QString &id) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].dataset.id == id)
            return static_cast<int>(i);
    return -1;
}

void DatasetListModel::setName(const QString &id, const QString &name)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_rows[static_cast<size_t>(row)].dataset.name = name;
    const QModelIndex i = index(row, NameColumn);
    emit dataChanged(i, i);
}

QString DatasetListModel::costText(const DatasetSummary &s)
{
    return formatSpend(s.usd, s.unpriced);
}

QString DatasetListModel::mixText(const DatasetSummary &s)
{
    QStringList parts;
    for (const auto &[level, n] : s.complexityCounts)
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(n).arg(toString(level));
    return parts.isEmpty() ? tr("empty") : parts.join(QStringLiteral(" · "));
}

QString DatasetListModel::originText(const DatasetSummary &s)
{
    switch (s.origin) {
    case DatasetOrigin::Job:
        return tr("%1 job").arg(s.generator.isEmpty() ? tr("generation") : s.generator);
    case DatasetOrigin::Import:
        return tr("import (%1)").arg(s.source);
    case DatasetOrigin::Manual:
        break;
    }
    return tr("manual");
}

int DatasetListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DatasetListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetListModel::data(const QModelIndex &index, int role) const
{
    const DatasetSummary *s = index.isValid() ? summaryAt(index.row()) : nullptr;
    if (!s)
        return {};
    switch (role) {
    case IdRole:
        return s->dataset.id;
    case SizeRole:
        return s->size;
    case AcceptedRole: {
        const auto it = s->reviewCounts.find(ReviewStatus::Accepted);
        return it == s->reviewCounts.end() ? qint64(0) : it->second;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == CostColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == NameColumn)
            return tr("%1 (%2) — F2 renames").arg(s->dataset.name, s->dataset.id);
        if (index.column() == CostColumn)
            return s->costFromJob ? tr("What the generating job's LLM calls cost")
                                  : tr("The sum of the members' recorded cost");
        if (index.column() == OriginColumn && !s->jobId.isEmpty())
            return tr("Job %1").arg(s->jobId);
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case NameColumn:
            return s->dataset.name;
        case SizeColumn:
            return role == Qt::EditRole ? QVariant(s->size) : QLocale().toString(s->size);
        case MixColumn:
            return mixText(*s);
        case OriginColumn:
            return originText(*s);
        case CostColumn:
            return costText(*s);
        case CreatedColumn:
            return QLocale().toString(s->dataset.createdAt.toLocalTime(), QLocale::ShortFormat);
        default:
            return {};
        }
    default:
        return {};
    }
}

bool DatasetListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const DatasetSummary *s = index.isValid() ? summaryAt(index.row()) : nullptr;
    if (!s || role != Qt::EditRole || index.column() != NameColumn)
        return false;
    const QString name = value.toString().simplified();
    if (name.isEmpty() || name == s->dataset.name)
        return false;
    emit renameRequested(s->dataset.id, s->dataset.name, name);
    return true;
}

Qt::ItemFlags DatasetListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant DatasetListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case MixColumn:
        return tr("Complexity");
    case OriginColumn:
        return tr("Origin");
    case CostColumn:
        return tr("Cost");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace crucible
