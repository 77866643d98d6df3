#include "ui/models/problemtablemodel.h"

#include "core/store/stoppablequeries.h"
#include "ui/models/problemcounter.h"
#include "ui/models/problempageloader.h"
#include "ui/textutil.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace crucible {

ProblemTableModel::ProblemTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_counter(new ProblemCounter(this))
    , m_loader(new ProblemPageLoader(this))
{
    connect(m_counter, &ProblemCounter::counted, this, &ProblemTableModel::onCounted);
    connect(m_counter, &ProblemCounter::failed, this, &ProblemTableModel::onCountFailed);
    connect(m_loader, &ProblemPageLoader::pageLoaded, this, &ProblemTableModel::onPageLoaded);
    connect(m_loader, &ProblemPageLoader::failed, this, [this](int index, const QString &message) {
        emit loadFailed(tr("Could not read problems %1–%2 from %3: %4")
                            .arg(index * kPageSize + 1)
                            .arg((index + 1) * kPageSize)
                            .arg(m_workspace ? m_workspace->path() : QString(), message));
    });
}

void ProblemTableModel::clearPages()
{
    m_pages.clear();
    m_lru.clear();
    m_loader->reset();
}

ProblemTableModel::ReadPath ProblemTableModel::readPath(qint64 budget) const
{
    if (!onFile())
        return ReadPath::Here;
    if (budget <= 0)
        return ReadPath::Worker;
    if (m_workspaceSize <= m_smallWorkspace)
        return ReadPath::Here;
    // A full-text query reads and merges the hits of its words inside one SQLite step, which no
    // budget can interrupt (~100 ms for a common word among a million problems).
    if (!ProblemRepository::ftsQuery(m_filter.search).isEmpty())
        return ReadPath::Worker;
    return ReadPath::Budget;
}

bool ProblemTableModel::onFile() const
{
    // A second connection needs a file; an in-memory workspace is small enough to read here.
    return m_workspace && !m_workspace->path().isEmpty() &&
           !m_workspace->path().startsWith(QStringLiteral(":memory:"));
}

void ProblemTableModel::setWorkspace(Workspace *ws)
{
    const bool wasCounting = m_counting;
    beginResetModel();
    m_workspace = ws;
    clearPages();
    m_workspaceSize = 0;
    if (ws && !m_filter.isEmpty()) {
        try {
            m_workspaceSize = ProblemRepository(*ws).count(); // one step: counts index pages
        } catch (const std::exception &) {
            // startCount() below reports the same failure
        }
    }
    m_count = startCount().value_or(0);
    endResetModel();
    if (wasCounting != m_counting)
        emit countingChanged(m_counting);
}

void ProblemTableModel::setFilter(const ProblemFilter &filter)
{
    const bool wasCounting = m_counting;
    beginResetModel();
    m_filter = filter;
    clearPages();
    // Until a count on the worker arrives the table is empty rather than showing rows of
    // the previous filter.
    m_count = startCount().value_or(0);
    endResetModel();
    if (wasCounting != m_counting)
        emit countingChanged(m_counting);
}

void ProblemTableModel::reload()
{
    setFilter(m_filter);
}

void ProblemTableModel::setSort(const ProblemSort &sort)
{
    beginResetModel();
    m_sort = sort;
    clearPages();
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

std::optional<qint64> ProblemTableModel::startCount()
{
    m_counter->cancel();
    m_counting = false;
    if (!m_workspace)
        return 0;
    const auto clamp = [](qint64 n) {
        return std::min<qint64>(n, std::numeric_limits<int>::max());
    };
    try {
        const ReadPath path = readPath(m_countBudget);
        if (path == ReadPath::Here) {
            const qint64 n = ProblemRepository(*m_workspace).count(m_filter);
            if (m_filter.isEmpty())
                m_workspaceSize = n;
            return clamp(n);
        }
        if (path == ReadPath::Budget) {
            qint64 checks = 0;
            const qint64 maxChecks = std::max<qint64>(1, m_countBudget / stoppable::kStepsPerCheck);
            if (const auto n = stoppable::countWhile(*m_workspace, m_filter, [&checks, maxChecks] {
                    return ++checks <= maxChecks;
                })) {
                if (m_filter.isEmpty())
                    m_workspaceSize = *n;
                return clamp(*n);
            }
        }
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not count the problems in %1: %2")
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        return 0;
    }
    m_countTicket = m_counter->request(m_workspace->path(), m_filter);
    m_counting = true;
    return std::nullopt;
}

void ProblemTableModel::resetWithCount(qint64 count)
{
    beginResetModel();
    m_count = count;
    clearPages();
    endResetModel();
}

void ProblemTableModel::onCounted(quint64 ticket, qint64 count)
{
    if (!m_counting || ticket != m_countTicket)
        return; // an older count: the one for the current filter is still on its way
    m_counting = false;
    if (m_filter.isEmpty())
        m_workspaceSize = count;
    count = std::min<qint64>(count, std::numeric_limits<int>::max());
    if (count != m_count) {
        resetWithCount(count);
    } else {
        // Same number of rows (a refresh): re-read them, keeping selection and scroll position.
        clearPages();
        if (m_count > 0)
            emit dataChanged(index(0, 0), index(static_cast<int>(m_count) - 1, ColumnCount - 1));
    }
    emit countingChanged(false);
    emit countFinished(m_count);
}

void ProblemTableModel::onCountFailed(quint64 ticket, const QString &message)
{
    if (!m_counting || ticket != m_countTicket)
        return;
    m_counting = false;
    emit loadFailed(tr("Could not count the problems in %1: %2")
                        .arg(m_workspace ? m_workspace->path() : QString(), message));
    emit countingChanged(false);
}

bool ProblemTableModel::refresh()
{
    const bool wasCounting = m_counting;
    const std::optional<qint64> n = startCount();
    if (!n) {
        // The rows stay as they are until the worker's count arrives (onCounted).
        if (!wasCounting)
            emit countingChanged(true);
        return false;
    }
    const bool reset = *n != m_count;
    if (reset) {
        resetWithCount(*n);
    } else {
        clearPages();
        if (m_count > 0)
            emit dataChanged(index(0, 0), index(static_cast<int>(m_count) - 1, ColumnCount - 1));
    }
    if (wasCounting)
        emit countingChanged(false);
    return reset;
}

int ProblemTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_count);
}

int ProblemTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<std::vector<ProblemSummary>> ProblemTableModel::fetchPage(int index) const
{
    const ReadPath path = readPath(m_pageBudget);
    if (path == ReadPath::Worker)
        return std::nullopt;
    qint64 checks = 0;
    const qint64 maxChecks = m_pageBudget / stoppable::kStepsPerCheck;
    const bool limited = path == ReadPath::Budget;
    const std::function<bool()> keepGoing = [&checks, maxChecks, limited] {
        return !limited || ++checks <= maxChecks;
    };
    // Sequential scrolling continues from the previous page's last key, which stays fast at
    // any depth; a jump (scrollbar drag) has no neighbour and pays for an offset once, on the
    // worker when that takes longer than the budget.
    const auto prev = m_pages.find(index - 1);
    if (prev != m_pages.end() && prev->second.rows.size() == static_cast<size_t>(kPageSize)) {
        ++m_stats.keyset;
        return stoppable::pageAfterWhile(*m_workspace, m_filter, m_sort, &prev->second.rows.back(),
                                         kPageSize, keepGoing);
    }
    ++m_stats.offset;
    return stoppable::pageWhile(*m_workspace, m_filter, m_sort,
                                static_cast<qint64>(index) * kPageSize, kPageSize, keepGoing);
}

const ProblemTableModel::Page &ProblemTableModel::storePage(int index,
                                                            std::vector<ProblemSummary> rows) const
{
    // Converted once per fetch so that painting stays cheap.
    for (ProblemSummary &s : rows)
        s.statement = markdownToPlainLine(s.statement);
    while (!m_lru.empty() && static_cast<int>(m_pages.size()) >= m_maxPages) {
        m_pages.erase(m_lru.back());
        m_lru.pop_back();
    }
    m_lru.push_front(index);
    auto [it, inserted] = m_pages.emplace(index, Page{std::move(rows), m_lru.begin()});
    Q_UNUSED(inserted);
    return it->second;
}

const ProblemTableModel::Page *ProblemTableModel::page(int index) const
{
    if (auto it = m_pages.find(index); it != m_pages.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lruPos);
        return &it->second;
    }
    if (m_loader->isPending(index))
        return nullptr;
    std::optional<std::vector<ProblemSummary>> rows;
    try {
        rows = fetchPage(index);
    } catch (const std::exception &e) {
        emit loadFailed(tr("Could not read problems %1–%2 from %3: %4")
                            .arg(index * kPageSize + 1)
                            .arg((index + 1) * kPageSize)
                            .arg(m_workspace->path(), QString::fromUtf8(e.what())));
        rows.emplace(); // an empty page: the rows stay blank rather than asked for again
    }
    if (!rows) {
        m_loader->request(m_workspace->path(), m_filter, m_sort, index, kPageSize);
        return nullptr;
    }
    return &storePage(index, std::move(*rows));
}

void ProblemTableModel::onPageLoaded(int index, const std::vector<ProblemSummary> &rows)
{
    if (m_pages.count(index) || static_cast<qint64>(index) * kPageSize >= m_count)
        return;
    storePage(index, rows);
    const int first = index * kPageSize;
    const int last = static_cast<int>(std::min<qint64>(m_count, first + kPageSize)) - 1;
    emit dataChanged(this->index(first, 0), this->index(last, ColumnCount - 1));
    emit rowsLoaded(first, last);
}

bool ProblemTableModel::isLoading(int row) const
{
    return row >= 0 && m_loader->isPending(row / kPageSize);
}

const ProblemSummary *ProblemTableModel::summaryAt(int row) const
{
    if (!m_workspace || row < 0 || row >= m_count)
        return nullptr;
    const Page *p = page(row / kPageSize);
    if (!p)
        return nullptr; // on its way from the worker
    const auto offset = static_cast<size_t>(row % kPageSize);
    // The table may have shrunk since it was counted (another writer); show an empty row.
    return offset < p->rows.size() ? &p->rows[offset] : nullptr;
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
    if (!s) {
        if (role == Qt::DisplayRole && index.column() == StatementColumn && isLoading(index.row()))
            return tr("Loading…");
        return {};
    }
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
