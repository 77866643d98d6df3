#pragma once
// Problems in a workspace: insert, fetch, page, full-text search and lineage queries.
// Uses the Workspace's connection, so it lives on the Workspace's thread.

#include "core/model/problem.h"
#include "core/store/workspace.h"

#include <QSqlQuery>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace crucible {

class SqliteStatement;

struct ProblemFilter
{
    QString search; // full-text query (words; the last one matches as a prefix)
    QString domain; // exact match when not empty
    std::optional<Complexity> complexity;
    std::optional<ProblemOrigin> origin;
    QString datasetId; // only members of this dataset when not empty
    std::optional<ReviewStatus> reviewStatus;
    QString jobId; // only problems made by this generation job when not empty
    QString tag;   // only problems carrying this tag (exact) when not empty

    bool isEmpty() const;
    bool operator==(const ProblemFilter &) const = default;
};

// The columns the problems table shows; cheap to hold a million of.
struct ProblemSummary
{
    qint64 seq = 0; // insertion order; stable key for paging
    QString id;
    QString domain;
    QString statement; // first ~200 characters
    Complexity complexity = Complexity::Medium;
    ProblemOrigin origin = ProblemOrigin::Manual;
    QString baseProblemId;
    QDateTime createdAt;
    ReviewStatus reviewStatus = ReviewStatus::Unreviewed;
    QString jobId;
    QStringList tags;
    QString sortKey; // the value of the sorted column (keyset paging), empty in insertion order
};

// The order of a page of problems. Insertion order (or the member order inside a dataset) is the
// default; a column sort is paged by the composite key (column, seq), which the column indexes
// cover. Complexity sorts by level (simple < medium < complex), not by name; being stored by
// name, its ties run in the opposite insertion order.
struct ProblemSort
{
    enum class Column { Insertion, Id, Domain, Complexity, Origin, Review, Created };
    Column column = Column::Insertion;
    bool descending = false;

    bool operator==(const ProblemSort &) const = default;
};

// One problem's place in one dataset.
struct DatasetMembership
{
    QString datasetId;
    QString problemId;
    qint64 position = 0;

    bool operator==(const DatasetMembership &) const = default;
};

// Everything needed to put deleted problems back exactly as they were: the rows with their
// original insertion keys, and their dataset memberships with positions.
struct ProblemSnapshot
{
    std::vector<std::pair<qint64, Problem>> problems; // (seq, problem)
    std::vector<DatasetMembership> memberships;
};

// The fields curation changes in bulk, for one problem (undo keeps the values before).
struct CurationState
{
    QString id;
    QStringList tags;
    Complexity complexity = Complexity::Medium;
    ReviewStatus reviewStatus = ReviewStatus::Unreviewed;
    QString reviewNote;

    bool operator==(const CurationState &) const = default;
};

// Values offered by the Problems panel's filters.
struct FilterChoices
{
    std::vector<std::pair<QString, qint64>> jobs; // job id, problems made by it
    std::vector<std::pair<QString, qint64>> tags; // tag, problems carrying it (most used first)
};

struct LineageEntry
{
    ProblemSummary problem;
    int depth = 0; // 1 = parent / child, 2 = grandparent / grandchild, ...
};

struct DomainCount
{
    QString domain;
    qint64 count = 0;
};

class ProblemRepository final
{
public:
    explicit ProblemRepository(Workspace &ws);

    // Validates first; throws ValidationError or WorkspaceError (duplicate id, ...).
    void insert(const Problem &p);
    // All or nothing, in one transaction.
    void insertMany(const std::vector<Problem> &problems);

    // Inserts one problem after another through one prepared statement, bound through SQLite's
    // own API (for streaming imports; wrap it in a Workspace::Transaction). Validates each
    // problem first.
    class Writer final
    {
    public:
        explicit Writer(Workspace &ws);
        ~Writer();
        void insert(const Problem &p);

        struct Row; // the text bound for one problem, reused from row to row

    private:
        Workspace &m_ws;
        std::unique_ptr<SqliteStatement> m_statement;
        std::unique_ptr<Row> m_row;
    };
    void update(const Problem &p);
    bool remove(const QString &id);

    std::optional<Problem> get(const QString &id) const;
    bool contains(const QString &id) const;
    qint64 count(const ProblemFilter &filter = {}) const;

    // Keyset paging in insertion order: rows with seq > afterSeq.
    std::vector<ProblemSummary> pageAfter(const ProblemFilter &filter, qint64 afterSeq,
                                          int limit) const;
    // Offset paging for random access (slower for large offsets).
    std::vector<ProblemSummary> page(const ProblemFilter &filter, qint64 offset, int limit) const;
    // Keyset paging in any order: the rows after `after` (null: from the first row). Rows from
    // this overload carry their sortKey, which the next call needs.
    std::vector<ProblemSummary> pageAfter(const ProblemFilter &filter, const ProblemSort &sort,
                                          const ProblemSummary *after, int limit) const;
    std::vector<ProblemSummary> page(const ProblemFilter &filter, const ProblemSort &sort,
                                     qint64 offset, int limit) const;
    // The ids of rows [offset, offset + count) in that order, reading only the index where it can
    // (selections of many rows).
    QStringList idsAt(const ProblemFilter &filter, const ProblemSort &sort, qint64 offset,
                      qint64 count) const;
    // Full problems in insertion order, for export.
    std::vector<Problem> fullPageAfter(const ProblemFilter &filter, qint64 afterSeq, int limit,
                                       qint64 *lastSeq) const;
    // Every matching problem, in insertion order, handed over a page at a time (exports, dedup).
    void forEachPage(const ProblemFilter &filter,
                     const std::function<void(const std::vector<Problem> &page)> &visit,
                     int pageSize = 2000) const;

    std::vector<LineageEntry> ancestors(const QString &id) const;
    std::vector<LineageEntry> descendants(const QString &id, int maxDepth = 64) const;

    // Whether the problem passes the filter (one indexed lookup).
    bool matches(const ProblemFilter &filter, const QString &id) const;

    // Curation. Each call is one transaction; ids that do not exist are skipped.
    ProblemSnapshot snapshot(const QStringList &ids) const;
    qint64 removeMany(const QStringList &ids);
    // Re-inserts the problems with their original seq, then their memberships. Throws
    // WorkspaceError when an id or seq has been taken in the meantime.
    void restore(const ProblemSnapshot &snapshot);
    std::vector<CurationState> curationStates(const QStringList &ids) const;
    enum CurationField { TagsField = 1, ComplexityField = 2, ReviewField = 4 };
    // Writes only the given fields (a review touches no full-text index).
    void writeCurationStates(const std::vector<CurationState> &states, int fields);
    // Memberships of these problems (in every dataset, or only in datasetId).
    std::vector<DatasetMembership> memberships(const QStringList &ids,
                                               const QString &datasetId = {}) const;
    // Appends the problems that are not members yet, in the given order; returns them.
    QStringList addToDataset(const QString &datasetId, const QStringList &ids);
    void removeMemberships(const std::vector<DatasetMembership> &memberships);
    void restoreMemberships(const std::vector<DatasetMembership> &memberships);
    // Scans every problem's tags: call it off the GUI thread for large workspaces.
    FilterChoices filterChoices() const;

    std::vector<DomainCount> domains() const;
    std::map<Complexity, qint64> complexityCounts() const;
    std::map<ProblemOrigin, qint64> originCounts() const;

    // Turns user text into a safe FTS5 query ("" when it has no searchable words).
    static QString ftsQuery(const QString &text);

private:
    Workspace &m_ws;
};

} // namespace crucible
