#pragma once
// Read-only table of the interactions of a workspace (all, or those of one problem), read
// through the GUI thread's connection in keyset pages on demand (fetchMore), so opening a large
// workspace costs one count and one page. GUI thread only; the Workspace is borrowed and must be
// reset (setWorkspace) before it dies.

#include "core/store/interactionrepository.h"

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

namespace crucible {

class InteractionListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ProblemColumn, TurnsColumn, StopColumn, CreatedColumn, JobColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole, ProblemIdRole, StopReasonRole };

    static constexpr int kPageSize = 200;

    explicit InteractionListModel(QObject *parent = nullptr);

    void setWorkspace(Workspace *ws); // null detaches; resets the model
    Workspace *workspace() const { return m_workspace; }
    // Only the interactions of this problem; empty shows every interaction. Resets the model.
    void setProblemFilter(const QString &problemId);
    QString problemFilter() const { return m_problemId; }
    // Re-counts and re-reads from the start, e.g. after another writer changed the workspace.
    void reload();

    // Interactions matching the filter in the workspace (loaded or not).
    qint64 totalCount() const { return m_total; }
    int rowOf(const QString &id) const { return m_rowOf.value(id, -1); }
    QString interactionIdAt(int row) const;
    const InteractionSummary *summaryAt(int row) const;

    // "Stopped: repetition detected" and the like, for people.
    static QString stopReasonText(const QString &reason);
    static QString stopReasonShort(const QString &reason);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

public slots:
    // Newly stored interactions (e.g. from a generation job): those matching the filter are
    // appended (or counted, when earlier pages are still unread); known ones are refreshed.
    void addInteractions(const QStringList &ids);

signals:
    // The count or a page could not be read; message says what and where.
    void loadFailed(const QString &message) const;

private:
    void resetContents();
    void append(std::vector<InteractionSummary> rows);
    qint64 lastSeq() const { return m_rows.empty() ? 0 : m_rows.back().seq; }

    Workspace *m_workspace = nullptr;
    QString m_problemId;
    qint64 m_total = 0;
    std::vector<InteractionSummary> m_rows;
    QHash<QString, int> m_rowOf;
    bool m_changing = false; // inside a reset or an insertion: no fetchMore
};

} // namespace crucible
