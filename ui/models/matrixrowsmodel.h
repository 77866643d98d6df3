#pragma once
// The rows of a covering array, read-only: one column per dimension, values as written.
// GUI thread only.

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace crucible {

class MatrixRowsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit MatrixRowsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // `values[d]` are dimension d's value names; each row holds one value index per dimension.
    void setRows(const QStringList &dimensions, const std::vector<QStringList> &values,
                 const std::vector<std::vector<int>> &rows);
    void clear();
    const std::vector<std::vector<int>> &rows() const { return m_rows; }

private:
    QStringList m_dimensions;
    std::vector<QStringList> m_values;
    std::vector<std::vector<int>> m_rows;
};

} // namespace crucible
