#pragma once
// JobTableModel: the workspace's generation jobs, newest first, with live progress from the
// engine (accepted of target, rejects, cost, ETA). Reads the jobs table through the GUI's
// connection on load; afterwards follows the engine's signals. GUI thread.

#include "core/engine/joboutcome.h"
#include "core/generate/generationjob.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace crucible {

class Workspace;

class JobTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        JobColumn,
        KindColumn,
        StatusColumn,
        ProgressColumn,
        RejectedColumn,
        CostColumn,
        TimeColumn,
        ColumnCount
    };
    enum Role {
        ProgressRole = Qt::UserRole + 1,
        JobIdRole,
        ActiveRole,
        ResumableRole,
        DeletableRole, // finished, failed, cancelled or interrupted: not running here
        AcceptedRole,
        TargetRole,
        RejectedRole,
        CostRole // double USD, or null when unpriced
    };

    explicit JobTableModel(QObject *parent = nullptr);

    void setWorkspace(Workspace *ws); // null clears
    void reload();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &jobId) const;
    QString errorOf(int row) const;
    // Drops a deleted job's row.
    void removeJob(const QString &jobId);

public slots:
    void onStarted(const QString &jobId, const QString &kind);
    void onProgress(const crucible::JobProgress &progress);
    void onFinished(const crucible::JobOutcome &outcome);

private:
    struct Row
    {
        QString id;
        QString kind;
        JobStatus status = JobStatus::Running;
        bool active = false; // running in this session (not a stale "running" from a crash)
        int accepted = 0;
        int target = 0;
        int rejected = 0;
        std::optional<double> cost;
        bool unpriced = false; // calls were made to a model without a price
        qint64 elapsedMs = 0;
        qint64 etaMs = -1;
        QString error;
    };
    int ensureRow(const QString &jobId, const QString &kind);
    void rowChanged(int row);

    Workspace *m_ws = nullptr;
    std::vector<Row> m_rows;
};

} // namespace crucible
