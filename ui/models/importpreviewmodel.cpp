#include "ui/models/importpreviewmodel.h"

namespace crucible {

namespace {
constexpr int kCellChars = 160;
}

ImportPreviewModel::ImportPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ImportPreviewModel::setPreview(const ImportPreview &preview)
{
    beginResetModel();
    m_preview = preview;
    m_mapping = preview.mapping;
    endResetModel();
}

void ImportPreviewModel::setMapping(const ImportMapping &mapping)
{
    m_mapping = mapping;
    if (!m_preview.columns.isEmpty())
        emit headerDataChanged(Qt::Horizontal, 0, static_cast<int>(m_preview.columns.size()) - 1);
}

QString ImportPreviewModel::fieldLabel(std::optional<ImportField> field)
{
    if (!field)
        return tr("metadata (kept as is)");
    return toString(*field).replace(u'_', u' ');
}

int ImportPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_preview.rows.size());
}

int ImportPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_preview.columns.size());
}

QVariant ImportPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const auto &row = m_preview.rows[static_cast<size_t>(index.row())];
    const auto it = row.find(m_preview.columns[index.column()]);
    const QString value = it == row.end() ? QString() : it->second;
    switch (role) {
    case Qt::DisplayRole: {
        const QString flat = value.simplified();
        return flat.size() > kCellChars ? flat.left(kCellChars - 1) + QChar(0x2026) : flat;
    }
    case Qt::ToolTipRole:
        return value.size() > kCellChars ? value.left(2000) : QVariant();
    default:
        return {};
    }
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount())
            return {};
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (section < 0 || section >= columnCount())
        return {};
    const QString column = m_preview.columns[section];
    const std::optional<ImportField> field = m_mapping.fieldOf(column);
    switch (role) {
    case Qt::DisplayRole:
        return QString(column + QStringLiteral("\n→ ") + fieldLabel(field));
    case ColumnNameRole:
        return column;
    case FieldRole:
        return field ? toString(*field) : QString();
    case Qt::ToolTipRole:
        return field ? tr("Column \"%1\" becomes the problem's %2").arg(column, fieldLabel(field))
                     : tr("Column \"%1\" is kept under metadata.source_fields").arg(column);
    default:
        return {};
    }
}

} // namespace crucible
