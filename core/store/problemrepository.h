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
    // Full problems in insertion order, for export.
    std::vector<Problem> fullPageAfter(const ProblemFilter &filter, qint64 afterSeq, int limit,
                                       qint64 *lastSeq) const;
    // Every matching problem, in insertion order, handed over a page at a time (exports, dedup).
    void forEachPage(const ProblemFilter &filter,
                     const std::function<void(const std::vector<Problem> &page)> &visit,
                     int pageSize = 2000) const;

    std::vector<LineageEntry> ancestors(const QString &id) const;
    std::vector<LineageEntry> descendants(const QString &id, int maxDepth = 64) const;

    std::vector<DomainCount> domains() const;
    std::map<Complexity, qint64> complexityCounts() const;
    std::map<ProblemOrigin, qint64> originCounts() const;

    // Turns user text into a safe FTS5 query ("" when it has no searchable words).
    static QString ftsQuery(const QString &text);

private:
    Workspace &m_ws;
};

} // namespace crucible
