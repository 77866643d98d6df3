#include "ui/models/interactionlistmodel.h"

#include "ui/textutil.h"

#include <QLocale>
#include <algorithm>

namespace crucible {

InteractionListModel::InteractionListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void InteractionListModel::setWorkspace(Workspace *ws)
{
    m_workspace = ws;
    reload();
}

void InteractionListModel::setProblemFilter(const QString &problemId)
{
    m_problemId = problemId;
    reload();
}

void InteractionListModel::reload()
{
    // Observers of modelReset (views, the model tester) may ask for more rows while it is
    // being delivered; rows are not inserted in the middle of a reset.
    m_changing = true;
    beginResetModel();
    resetContents();
    endResetModel();
    m_changing = false;
}

void InteractionListModel::resetContents()
{
    m_rows.clear();
    m_rowOf.clear();
    m_total = 0;
    if (!m_workspace)
        return;
    try {
        const InteractionRepository repo(*m_workspace);
        m_total = repo.count(m_problemId);
        if (m_total > 0)
            append(repo.pageAfter(m_problemId, 0, kPageSize));
    } catch (const std::exception &e) {
        m_rows.clear();
        m_rowOf.clear();
        m_total = 0;
        emit loadFailed(tr("Could not read the interactions in %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
    }
}

void InteractionListModel::append(std::vector<InteractionSummary> rows)
{
    for (InteractionSummary &s : rows) {
        // Converted once so that painting stays cheap.
        s.problemStatement = markdownToPlainLine(s.problemStatement);
        m_rowOf.insert(s.id, static_cast<int>(m_rows.size()));
        m_rows.push_back(std::move(s));
    }
    m_total = std::max<qint64>(m_total, static_cast<qint64>(m_rows.size()));
}

bool InteractionListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_workspace && !m_changing &&
           static_cast<qint64>(m_rows.size()) < m_total;
}

void InteractionListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    std::vector<InteractionSummary> rows;
    try {
        rows = InteractionRepository(*m_workspace).pageAfter(m_problemId, lastSeq(), kPageSize);
    } catch (const std::exception &e) {
        m_total = static_cast<qint64>(m_rows.size()); // stop asking until reload()
        emit loadFailed(tr("Could not read more interactions from %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        return;
    }
    // Rows may have been deleted since the count: stop at what is there.
    if (rows.size() < static_cast<size_t>(kPageSize))
        m_total = static_cast<qint64>(m_rows.size() + rows.size());
    if (rows.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    m_changing = true;
    beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
    append(std::move(rows));
    endInsertRows();
    m_changing = false;
}

void InteractionListModel::addInteractions(const QStringList &ids)
{
    if (!m_workspace || ids.isEmpty())
        return;
    std::vector<InteractionSummary> found;
    try {
        found = InteractionRepository(*m_workspace).byIds(ids, m_problemId);
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not read the new interactions from %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        return;
    }
    std::vector<InteractionSummary> fresh;
    for (InteractionSummary &s : found) {
        if (const int row = rowOf(s.id); row >= 0) {
            s.problemStatement = markdownToPlainLine(s.problemStatement);
            m_rows[static_cast<size_t>(row)] = std::move(s);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else if (s.seq > lastSeq()) {
            fresh.push_back(std::move(s));
        }
    }
    if (fresh.empty())
        return;
    if (static_cast<qint64>(m_rows.size()) < m_total) {
        // Unread pages come first in insertion order; the new rows arrive with the last one.
        m_total += static_cast<qint64>(fresh.size());
        return;
    }
    const int first = static_cast<int>(m_rows.size());
    m_changing = true;
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    append(std::move(fresh));
    m_total = static_cast<qint64>(m_rows.size());
    endInsertRows();
    m_changing = false;
}

QString InteractionListModel::interactionIdAt(int row) const
{
    const InteractionSummary *s = summaryAt(row);
    return s ? s->id : QString();
}

const InteractionSummary *InteractionListModel::summaryAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

QString InteractionListModel::stopReasonText(const QString &reason)
{
    if (reason == QLatin1String("repetition"))
        return tr("Stopped: repetition detected");
    if (reason == QLatin1String("goal_reached"))
        return tr("Stopped: goal reached");
    if (reason == QLatin1String("turn_limit"))
        return tr("Stopped: turn limit reached");
    if (reason.isEmpty())
        return tr("Stop reason not recorded");
    return tr("Stopped: %1").arg(reason);
}

QString InteractionListModel::stopReasonShort(const QString &reason)
{
    if (reason == QLatin1String("repetition"))
        return tr("repetition");
    if (reason == QLatin1String("goal_reached"))
        return tr("goal reached");
    if (reason == QLatin1String("turn_limit"))
        return tr("turn limit");
    return reason;
}

int InteractionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int InteractionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InteractionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const InteractionSummary *s = summaryAt(index.row());
    if (!s)
        return {};
    switch (role) {
    case IdRole:
        return s->id;
    case ProblemIdRole:
        return s->problemId;
    case StopReasonRole:
        return s->stopReason;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ProblemColumn:
            return s->problemStatement.isEmpty()
                       ? tr("Problem %1 (not in this workspace)").arg(s->problemId)
                       : elided(s->problemStatement, 600);
        case StopColumn:
            return stopReasonText(s->stopReason);
        case JobColumn:
            return s->jobId;
        case CreatedColumn:
            return QLocale().toString(s->createdAt.toLocalTime(), QLocale::LongFormat);
        default:
            return s->id;
        }
    case Qt::TextAlignmentRole:
        if (index.column() == TurnsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case ProblemColumn:
        return s->problemStatement.isEmpty() ? s->problemId : elided(s->problemStatement, 160);
    case TurnsColumn:
        return s->turnLimit > 0 ? QStringLiteral("%1/%2").arg(s->turns).arg(s->turnLimit)
                                : QString::number(s->turns);
    case StopColumn:
        return stopReasonShort(s->stopReason);
    case CreatedColumn:
        return QLocale().toString(s->createdAt.toLocalTime(), QStringLiteral("MMM d, HH:mm"));
    case JobColumn:
        return s->jobId;
    default:
        return {};
    }
}

QVariant InteractionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ProblemColumn:
        return tr("Problem");
    case TurnsColumn:
        return tr("Turns");
    case StopColumn:
        return tr("Stop");
    case CreatedColumn:
        return tr("Created");
    case JobColumn:
        return tr("Job");
    default:
        return {};
    }
}

} // namespace crucible
