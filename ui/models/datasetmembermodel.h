#pragma once
// The member problems of one dataset in their order (position, id, complexity, review status,
// statement excerpt), fetched in pages as the view scrolls (canFetchMore/fetchMore).
// GUI thread only; the Workspace is borrowed and must be reset before it dies.

#include "core/store/problemrepository.h"

#include <QAbstractTableModel>
#include <vector>

namespace crucible {

class DatasetMemberModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        PositionColumn,
        IdColumn,
        ComplexityColumn,
        ReviewColumn,
        StatementColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole };

    static constexpr int kPageSize = 500;

    explicit DatasetMemberModel(QObject *parent = nullptr);

    void setWorkspace(Workspace *ws); // resets
    // Shows the members of this dataset (empty: none); resets and reads the first page.
    void setDataset(const QString &datasetId);
    const QString &datasetId() const { return m_datasetId; }
    void reload();
    QString problemIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadFailed(const QString &message) const;

private:
    std::vector<ProblemSummary> readPage() const;

    Workspace *m_workspace = nullptr;
    QString m_datasetId;
    std::vector<ProblemSummary> m_rows;
    bool m_atEnd = true;
    bool m_changing = false; // inside a reset or an insertion: no fetchMore
};

} // namespace crucible
