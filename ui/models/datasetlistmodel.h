#pragma once
// The datasets of a workspace with their size, complexity mix, origin, cost and creation time.
// Filled from DatasetRepository::summaries() (read off the GUI thread by the panel); editing a
// name only asks for the rename (renameRequested), the panel writes it. GUI thread only.

#include "core/store/datasetrepository.h"

#include <QAbstractTableModel>
#include <vector>

namespace crucible {

class DatasetListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        SizeColumn,
        MixColumn,
        OriginColumn,
        CostColumn,
        CreatedColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole, SizeRole, AcceptedRole };

    explicit DatasetListModel(QObject *parent = nullptr);

    void setSummaries(std::vector<DatasetSummary> summaries); // resets the model
    const std::vector<DatasetSummary> &summaries() const { return m_rows; }
    const DatasetSummary *summaryAt(int row) const;
    int rowOf(const QString &id) const; // -1 when absent
    // Changes the shown name only (after the panel renamed it in the workspace).
    void setName(const QString &id, const QString &name);

    // "free", "$0.0123", "unpriced", "$0.0100 + 3 unpriced".
    static QString costText(const DatasetSummary &s);
    // "3 simple · 5 medium · 2 complex" (levels without members left out).
    static QString mixText(const DatasetSummary &s);
    // "dataset job", "matrix job", "import (file.csv)", "manual".
    static QString originText(const DatasetSummary &s);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void renameRequested(const QString &id, const QString &oldName, const QString &newName);

private:
    std::vector<DatasetSummary> m_rows;
};

} // namespace crucible
