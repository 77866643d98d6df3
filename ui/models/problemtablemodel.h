#pragma once
// Read-only table of the problems matching a filter, in insertion order or sorted by a column,
// fetched lazily in keyset pages from the workspace with a bounded LRU page cache, so a million
// rows stay smooth and small.
// GUI thread only; the Workspace is borrowed and must be reset (setWorkspace) before it dies.

#include "core/store/problemrepository.h"

#include <QAbstractTableModel>
#include <QColor>
#include <list>
#include <unordered_map>
#include <vector>

namespace crucible {

class ProblemTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        DomainColumn,
        ComplexityColumn,
        OriginColumn,
        StatementColumn,
        CreatedColumn,
        ReviewColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole, SeqRole, ReviewRole };

    static constexpr int kPageSize = 256;
    static constexpr int kDefaultMaxPages = 64;

    explicit ProblemTableModel(QObject *parent = nullptr);

    void setWorkspace(Workspace *ws); // null detaches; resets the model
    Workspace *workspace() const { return m_workspace; }
    void setFilter(const ProblemFilter &filter); // resets the model
    const ProblemFilter &filter() const { return m_filter; }
    // Resets the model; Statement (or any column without an order) means insertion order.
    void setSort(const ProblemSort &sort);
    const ProblemSort &problemSort() const { return m_sort; }
    // The repository order for a column, nullopt when the column cannot be sorted.
    static std::optional<ProblemSort::Column> sortColumnFor(int column);
    // QAbstractItemModel::sort, as a header click asks for it.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // Ids of rows [first, last], read in one query (selections of thousands of rows).
    QStringList idsInRows(int first, int last) const;
    // Colour of the review marker.
    static QColor reviewColor(ReviewStatus status);
    // Re-counts and drops the cache, e.g. after the workspace was written to.
    void reload();
    // Re-reads after the workspace was written to: when the count is unchanged the rows are only
    // re-read (selection and scroll position stay); otherwise the model is reset. Returns true
    // when it was reset.
    bool refresh();

    void setMaxCachedPages(int pages);
    int maxCachedPages() const { return m_maxPages; }
    int cachedPageCount() const { return static_cast<int>(m_pages.size()); }

    // How pages were fetched, to verify the paging strategy.
    struct FetchStats
    {
        int keyset = 0;
        int offset = 0;
    };
    FetchStats fetchStats() const { return m_stats; }

    // Row of a problem when its page is cached, -1 otherwise (no query is made).
    int cachedRowOf(const QString &id) const;
    QString problemIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // A page or the count could not be read; message says what and where.
    void loadFailed(const QString &message) const;

private:
    struct Page
    {
        std::vector<ProblemSummary> rows;
        std::list<int>::iterator lruPos;
    };

    const ProblemSummary *summaryAt(int row) const;
    const Page &page(int index) const;
    std::vector<ProblemSummary> fetchPage(int index) const;
    void recount();
    qint64 countNow() const;

    Workspace *m_workspace = nullptr;
    ProblemFilter m_filter;
    ProblemSort m_sort;
    qint64 m_count = 0;
    int m_maxPages = kDefaultMaxPages;

    // The cache is filled from const data(); it is not observable state.
    mutable std::unordered_map<int, Page> m_pages;
    mutable std::list<int> m_lru; // most recently used first
    mutable FetchStats m_stats;
};

} // namespace crucible
