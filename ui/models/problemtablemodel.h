#pragma once
// Read-only table of the problems matching a filter, in insertion order or sorted by a column,
// fetched lazily in keyset pages from the workspace with a bounded LRU page cache, so a million
// rows stay smooth and small. A count or a page that needs more than a small budget of SQLite
// work is finished on a worker thread (ProblemCounter, ProblemPageLoader): until a count arrives
// the model is counting and, after a filter change, empty; until a page arrives its rows are
// empty ("Loading…").
// GUI thread only; the Workspace is borrowed and must be reset (setWorkspace) before it dies.

#include "core/store/problemrepository.h"

#include <QAbstractTableModel>
#include <QColor>
#include <list>
#include <unordered_map>
#include <vector>

namespace crucible {

class ProblemCounter;
class ProblemPageLoader;

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
    // SQLite virtual-machine steps a count or a page may take on the GUI thread before it moves
    // to the worker: 3 steps per row counted through one index, 6 when each row is also read
    // from the table (≤ ~30 ms on the development machine); a plain count(*) is one step.
    static constexpr qint64 kDefaultCountBudget = 50'000;
    // Workspaces with at most this many problems are read on the GUI thread without a budget:
    // any read there takes a few milliseconds.
    static constexpr qint64 kDefaultSmallWorkspace = 20'000;

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
    // when it was reset now; a count finished on the worker resets later (countFinished).
    bool refresh();

    // True from a count handed to the worker until its answer (countFinished) or a failure.
    bool isCounting() const { return m_counting; }
    // SQLite steps a count may take on this thread; 0 sends every count to the worker. A
    // workspace without a file (in memory) is always counted here.
    void setCountBudget(qint64 steps) { m_countBudget = steps; }
    qint64 countBudget() const { return m_countBudget; }
    // The same for reading a page that is not cached; 0 reads every page on the worker.
    void setPageBudget(qint64 steps) { m_pageBudget = steps; }
    // Up to how many problems a workspace is read on the GUI thread without a budget (a
    // budget of 0 still sends everything to the worker). Larger ones: full-text searches always
    // go to the worker, other reads when they exceed the budget.
    void setSmallWorkspace(qint64 problems) { m_smallWorkspace = problems; }
    // Whether the page holding row is being read on the worker.
    bool isLoading(int row) const;

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
    // A count finished on the worker is in the model (rowCount() == count).
    void countFinished(qint64 count);
    void countingChanged(bool counting);
    // Rows [first, last] arrived from the worker (after dataChanged for them).
    void rowsLoaded(int first, int last);

private:
    struct Page
    {
        std::vector<ProblemSummary> rows;
        std::list<int>::iterator lruPos;
    };

    const ProblemSummary *summaryAt(int row) const;
    // Null while the page is read on the worker.
    const Page *page(int index) const;
    // Within the page budget, or nullopt.
    std::optional<std::vector<ProblemSummary>> fetchPage(int index) const;
    const Page &storePage(int index, std::vector<ProblemSummary> rows) const;
    void onPageLoaded(int index, const std::vector<ProblemSummary> &rows);
    void clearPages();
    bool onFile() const;
    enum class ReadPath { Here, Budget, Worker };
    ReadPath readPath(qint64 budget) const;
    // Counts on this thread within the budget; otherwise starts the worker and returns nullopt.
    std::optional<qint64> startCount();
    void onCounted(quint64 ticket, qint64 count);
    void onCountFailed(quint64 ticket, const QString &message);
    void setCounting(bool counting);
    void resetWithCount(qint64 count);

    Workspace *m_workspace = nullptr;
    ProblemFilter m_filter;
    ProblemSort m_sort;
    qint64 m_count = 0;
    int m_maxPages = kDefaultMaxPages;
    ProblemCounter *m_counter = nullptr;
    ProblemPageLoader *m_loader = nullptr;
    qint64 m_countBudget = kDefaultCountBudget;
    qint64 m_pageBudget = kDefaultCountBudget;
    qint64 m_smallWorkspace = kDefaultSmallWorkspace;
    qint64 m_workspaceSize = 0; // problems in the workspace, from the last count without filter
    bool m_counting = false;
    quint64 m_countTicket = 0; // the worker's count that the model waits for

    // The cache is filled from const data(); it is not observable state.
    mutable std::unordered_map<int, Page> m_pages;
    mutable std::list<int> m_lru; // most recently used first
    mutable FetchStats m_stats;
};

} // namespace crucible
