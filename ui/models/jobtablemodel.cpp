#include "ui/models/jobtablemodel.h"
#include "core/llm/moneyformat.h"
#include "core/model/durationformat.h"

#include "core/store/jobrepository.h"
#include "core/store/workspace.h"

#include <QColor>
#include <QLocale>

namespace crucible {

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    qRegisterMetaType<crucible::JobProgress>();
}

void JobTableModel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    reload();
}

void JobTableModel::reload()
{
    beginResetModel();
    std::vector<Row> active;
    for (const Row &r : m_rows)
        if (r.active)
            active.push_back(r);
    m_rows.clear();
    if (m_ws) {
        try {
            for (const JobRecord &j : JobRepository(*m_ws).list(500)) {
                const auto it = std::find_if(active.begin(), active.end(),
                                             [&](const Row &a) { return a.id == j.id; });
                if (it != active.end()) {
                    m_rows.push_back(*it);
                    continue;
                }
                Row r;
                r.id = j.id;
                r.kind = j.kind;
                r.status = j.status;
                r.accepted = static_cast<int>(j.done);
                r.target = static_cast<int>(j.total);
                const auto &counts = j.summary.value("counts", nlohmann::json::object());
                r.rejected = counts.value("rejected", 0);
                const auto &cost = j.summary.value("cost", nlohmann::json::object());
                if (cost.contains("usd") && cost["usd"].is_number())
                    r.cost = cost["usd"].get<double>();
                else if (cost.contains("usd"))
                    r.unpriced = true;
                r.error = j.error;
                m_rows.push_back(std::move(r));
            }
        } catch (const std::exception &) {
            // An older workspace opened read-only has no jobs table: no jobs to show.
        }
    }
    endResetModel();
}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case JobColumn:
        return tr("Job");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Accepted");
    case RejectedColumn:
        return tr("Rejected");
    case CostColumn:
        return tr("Cost");
    case TimeColumn:
        return tr("Time");
    }
    return {};
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &r = m_rows[static_cast<std::size_t>(index.row())];
    if (role == JobIdRole)
        return r.id;
    if (role == ActiveRole)
        return r.active;
    if (role == ResumableRole)
        return !r.active && r.status != JobStatus::Completed;
    if (role == DeletableRole)
        return !r.active;
    if (role == AcceptedRole)
        return r.accepted;
    if (role == TargetRole)
        return r.target;
    if (role == RejectedRole)
        return r.rejected;
    if (role == CostRole)
        return r.cost ? QVariant(*r.cost) : QVariant();
    if (role == ProgressRole)
        return r.target > 0 ? 100 * r.accepted / r.target : 0;
    if (role == Qt::ToolTipRole)
        return r.error.isEmpty() ? r.id : r.error;
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        if (r.status == JobStatus::Failed)
            return QColor(0xb0, 0x00, 0x20);
        if (r.status == JobStatus::Completed)
            return QColor(0x1b, 0x7f, 0x3b);
    }
    if (role == Qt::TextAlignmentRole && index.column() >= ProgressColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case JobColumn:
        return r.id;
    case KindColumn:
        return r.kind;
    case StatusColumn:
        if (r.status == JobStatus::Running && !r.active)
            return tr("interrupted");
        return toString(r.status);
    case ProgressColumn:
        return tr("%1 / %2").arg(r.accepted).arg(r.target);
    case RejectedColumn:
        return r.rejected;
    case CostColumn:
        if (r.unpriced)
            return tr("unpriced");
        return r.cost ? formatUsd(*r.cost) : tr("—");
    case TimeColumn:
        if (r.active && r.etaMs > 0)
            return tr("%1, ~%2 left").arg(formatDuration(r.elapsedMs), formatDuration(r.etaMs));
        return r.elapsedMs > 0 ? formatDuration(r.elapsedMs) : QString();
    }
    return {};
}

int JobTableModel::rowOf(const QString &jobId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == jobId)
            return static_cast<int>(i);
    return -1;
}

QString JobTableModel::errorOf(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[static_cast<std::size_t>(row)].error : QString();
}

int JobTableModel::ensureRow(const QString &jobId, const QString &kind)
{
    int row = rowOf(jobId);
    if (row >= 0)
        return row;
    beginInsertRows({}, 0, 0);
    Row r;
    r.id = jobId;
    r.kind = kind;
    m_rows.insert(m_rows.begin(), r);
    endInsertRows();
    return 0;
}

void JobTableModel::removeJob(const QString &jobId)
{
    const int row = rowOf(jobId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

void JobTableModel::rowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobTableModel::onStarted(const QString &jobId, const QString &kind)
{
    const int row = ensureRow(jobId, kind);
    Row &r = m_rows[static_cast<std::size_t>(row)];
    r.active = true;
    r.status = JobStatus::Running;
    r.error.clear();
    if (r.kind.isEmpty())
        r.kind = kind;
    rowChanged(row);
}

void JobTableModel::onProgress(const JobProgress &p)
{
    const int row = ensureRow(p.jobId, p.kind);
    Row &r = m_rows[static_cast<std::size_t>(row)];
    r.accepted = p.accepted;
    r.target = p.target;
    r.rejected = p.rejected;
    r.cost = p.unpriced ? std::nullopt : std::optional<double>(p.costUsd);
    r.unpriced = p.unpriced;
    r.elapsedMs = p.elapsedMs;
    r.etaMs = p.etaMs;
    rowChanged(row);
}

void JobTableModel::onFinished(const JobOutcome &outcome)
{
    const int row = ensureRow(outcome.jobId, outcome.kind);
    Row &r = m_rows[static_cast<std::size_t>(row)];
    r.active = false;
    r.status = outcome.status;
    r.error = outcome.error;
    r.etaMs = -1;
    rowChanged(row);
}

} // namespace crucible
