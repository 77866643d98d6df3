#include "ui/models/problemtablemodel.h"

#include "ui/textutil.h"

#include <algorithm>
#include <limits>

namespace crucible {

ProblemTableModel::ProblemTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProblemTableModel::setWorkspace(Workspace *ws)
{
    beginResetModel();
    m_workspace = ws;
    m_pages.clear();
    m_lru.clear();
    recount();
    endResetModel();
}

void ProblemTableModel::setFilter(const ProblemFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    m_pages.clear();
    m_lru.clear();
    recount();
    endResetModel();
}

void ProblemTableModel::reload()
{
    setFilter(m_filter);
}

void ProblemTableModel::setSort(const ProblemSort &sort)
{
    beginResetModel();
    m_sort = sort;
    m_pages.clear();
    m_lru.clear();
    endResetModel();
}

std::optional<ProblemSort::Column> ProblemTableModel::sortColumnFor(int column)
{
    switch (column) {
    case IdColumn:
        return ProblemSort::Column::Id;
    case DomainColumn:
        return ProblemSort::Column::Domain;
    case ComplexityColumn:
        return ProblemSort::Column::Complexity;
    case OriginColumn:
        return ProblemSort::Column::Origin;
    case CreatedColumn:
        return ProblemSort::Column::Created;
    case ReviewColumn:
        return ProblemSort::Column::Review;
    default:
        return std::nullopt;
    }
}

void ProblemTableModel::sort(int column, Qt::SortOrder order)
{
    ProblemSort s;
    if (const auto c = sortColumnFor(column)) {
        s.column = *c;
        s.descending = order == Qt::DescendingOrder;
    }
    setSort(s);
}

QStringList ProblemTableModel::idsInRows(int first, int last) const
{
    if (!m_workspace || first > last || first < 0)
        return {};
    try {
        return ProblemRepository(*m_workspace).idsAt(m_filter, m_sort, first, last - first + 1);
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not read the selected problems from %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        return {};
    }
}

QColor ProblemTableModel::reviewColor(ReviewStatus status)
{
    switch (status) {
    case ReviewStatus::Accepted:
        return QColor(0x2e, 0x9d, 0x4a);
    case ReviewStatus::Rejected:
        return QColor(0xd0, 0x3b, 0x3b);
    case ReviewStatus::Unreviewed:
        break;
    }
    return QColor(0x9a, 0x9a, 0x9a);
}

void ProblemTableModel::setMaxCachedPages(int pages)
{
    m_maxPages = std::max(2, pages);
    while (static_cast<int>(m_pages.size()) > m_maxPages) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
}

void ProblemTableModel::recount()
{
    m_count = countNow();
}

qint64 ProblemTableModel::countNow() const
{
    if (!m_workspace)
        return 0;
    try {
        const qint64 n = ProblemRepository(*m_workspace).count(m_filter);
        return std::min<qint64>(n, std::numeric_limits<int>::max());
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not count the problems in %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        return 0;
    }
}

bool ProblemTableModel::refresh()
{
    if (countNow() != m_count) {
        reload();
        return true;
    }
    m_pages.clear();
    m_lru.clear();
    if (m_count > 0)
        emit dataChanged(index(0, 0), index(static_cast<int>(m_count) - 1, ColumnCount - 1));
    return false;
}

int ProblemTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_count);
}

int ProblemTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::vector<ProblemSummary> ProblemTableModel::fetchPage(int index) const
{
    const ProblemRepository repo(*m_workspace);
    // Sequential scrolling continues from the previous page's last key, which stays fast at
    // any depth; a jump (scrollbar drag) has no neighbour and pays for an offset once.
    const auto prev = m_pages.find(index - 1);
    if (prev != m_pages.end() && prev->second.rows.size() == static_cast<size_t>(kPageSize)) {
        ++m_stats.keyset;
        return repo.pageAfter(m_filter, m_sort, &prev->second.rows.back(), kPageSize);
    }
    ++m_stats.offset;
    return repo.page(m_filter, m_sort, static_cast<qint64>(index) * kPageSize, kPageSize);
}

const ProblemTableModel::Page &ProblemTableModel::page(int index) const
{
    if (auto it = m_pages.find(index); it != m_pages.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lruPos);
        return it->second;
    }
    std::vector<ProblemSummary> rows;
    try {
        rows = fetchPage(index);
        // Converted once per fetch so that painting stays cheap.
        for (ProblemSummary &s : rows)
            s.statement = markdownToPlainLine(s.statement);
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not read problems %1–%2 from %3: %4")
                            .arg(index * kPageSize + 1)
                            .arg((index + 1) * kPageSize)
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
    }
    while (!m_lru.empty() && static_cast<int>(m_pages.size()) >= m_maxPages) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
    m_lru.push_front(index);
    auto [it, inserted] = m_pages.emplace(index, Page{std::move(rows), m_lru.begin()});
    Q_UNUSED(inserted);
    return it->second;
}

const ProblemSummary *ProblemTableModel::summaryAt(int row) const
{
    if (!m_workspace || row < 0 || row >= m_count)
        return nullptr;
    const Page &p = page(row / kPageSize);
    const auto offset = static_cast<size_t>(row % kPageSize);
    // The table may have shrunk since it was counted (another writer); show an empty row.
    return offset < p.rows.size() ? &p.rows[offset] : nullptr;
}

QString ProblemTableModel::problemIdAt(int row) const
{
    const ProblemSummary *s = summaryAt(row);
    return s ? s->id : QString();
}

int ProblemTableModel::cachedRowOf(const QString &id) const
{
    for (const auto &[index, p] : m_pages) {
        for (size_t i = 0; i < p.rows.size(); ++i) {
            if (p.rows[i].id == id)
                return index * kPageSize + static_cast<int>(i);
        }
    }
    return -1;
}

QVariant ProblemTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != IdRole && role != SeqRole &&
        role != ReviewRole && !(role == Qt::DecorationRole && index.column() == ReviewColumn))
        return {};
    const ProblemSummary *s = summaryAt(index.row());
    if (!s)
        return {};
    switch (role) {
    case IdRole:
        return s->id;
    case SeqRole:
        return s->seq;
    case ReviewRole:
        return static_cast<int>(s->reviewStatus);
    case Qt::DecorationRole:
        return reviewColor(s->reviewStatus);
    case Qt::ToolTipRole:
        if (index.column() == StatementColumn)
            return s->statement;
        if (index.column() == ReviewColumn)
            return tr("Review: %1 (a accept, r reject)").arg(toString(s->reviewStatus));
        return {};
    default:
        break;
    }
    switch (index.column()) {
    case IdColumn:
        return s->id;
    case DomainColumn:
        return s->domain;
    case ComplexityColumn:
        return toString(s->complexity);
    case OriginColumn:
        return toString(s->origin);
    case StatementColumn:
        return s->statement;
    case CreatedColumn:
        return s->createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case ReviewColumn:
        return toString(s->reviewStatus);
    default:
        return {};
    }
}

QVariant ProblemTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case DomainColumn:
        return tr("Domain");
    case ComplexityColumn:
        return tr("Complexity");
    case OriginColumn:
        return tr("Origin");
    case StatementColumn:
        return tr("Statement");
    case CreatedColumn:
        return tr("Created");
    case ReviewColumn:
        return tr("Review");
    default:
        return {};
    }
}

} // namespace crucible
