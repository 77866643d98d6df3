#include "ui/models/matrixrowsmodel.h"

namespace crucible {

MatrixRowsModel::MatrixRowsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int MatrixRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int MatrixRowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_dimensions.size());
}

QVariant MatrixRowsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::DisplayRole)
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const auto column = static_cast<std::size_t>(index.column());
    const int value = m_rows[row][column];
    const QStringList &names = m_values[column];
    return value >= 0 && value < names.size() ? names[value] : QString();
}

QVariant MatrixRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return section >= 0 && section < m_dimensions.size() ? m_dimensions[section] : QVariant();
}

void MatrixRowsModel::setRows(const QStringList &dimensions, const std::vector<QStringList> &values,
                              const std::vector<std::vector<int>> &rows)
{
    beginResetModel();
    m_dimensions = dimensions;
    m_values = values;
    m_rows = rows;
    endResetModel();
}

void MatrixRowsModel::clear()
{
    setRows({}, {}, {});
}

} // namespace crucible
