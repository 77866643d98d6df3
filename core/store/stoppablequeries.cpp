#include "core/store/stoppablequeries.h"

#include "core/store/sqlitestatement.h"
#include "core/store/workspaceerror.h"

#include <sqlite3.h>

namespace crucible::stoppable {

namespace {

// A progress handler on the workspace's connection for the lifetime of one read: SQLite calls
// it every kStepsPerCheck steps and interrupts the statement when it answers 1.
class ProgressLimit final
{
public:
    ProgressLimit(const Workspace &ws, const std::function<bool()> &keepGoing)
        : m_db(SqliteStatement::connectionOf(ws))
        , m_keepGoing(keepGoing)
    {
        sqlite3_progress_handler(m_db, kStepsPerCheck, &ProgressLimit::onSteps, this);
    }
    ~ProgressLimit() { sqlite3_progress_handler(m_db, 0, nullptr, nullptr); }
    ProgressLimit(const ProgressLimit &) = delete;
    ProgressLimit &operator=(const ProgressLimit &) = delete;

    bool stopped() const { return m_stopped; }

private:
    static int onSteps(void *self)
    {
        auto *limit = static_cast<ProgressLimit *>(self);
        if (!limit->m_stopped && !limit->m_keepGoing())
            limit->m_stopped = true;
        return limit->m_stopped ? 1 : 0;
    }

    sqlite3 *m_db;
    const std::function<bool()> &m_keepGoing;
    bool m_stopped = false;
};

template <typename Read>
auto readWhile(Workspace &ws, const std::function<bool()> &keepGoing, Read read)
    -> std::optional<decltype(read())>
{
    const ProgressLimit limit(ws, keepGoing);
    try {
        auto result = read();
        // Interrupted while rows were read: what came back is not the whole answer.
        if (limit.stopped())
            return std::nullopt;
        return result;
    } catch (const WorkspaceError &) {
        if (limit.stopped())
            return std::nullopt; // interrupted on purpose, not a failure
        throw;
    }
}

} // namespace

std::optional<qint64> countWhile(Workspace &ws, const ProblemFilter &filter,
                                 const std::function<bool()> &keepGoing)
{
    return readWhile(ws, keepGoing, [&] { return ProblemRepository(ws).count(filter); });
}

std::optional<std::vector<ProblemSummary>> pageWhile(Workspace &ws, const ProblemFilter &filter,
                                                     const ProblemSort &sort, qint64 offset,
                                                     int limit,
                                                     const std::function<bool()> &keepGoing)
{
    return readWhile(ws, keepGoing,
                     [&] { return ProblemRepository(ws).page(filter, sort, offset, limit); });
}

std::optional<std::vector<ProblemSummary>>
pageAfterWhile(Workspace &ws, const ProblemFilter &filter, const ProblemSort &sort,
               const ProblemSummary *after, int limit, const std::function<bool()> &keepGoing)
{
    return readWhile(ws, keepGoing,
                     [&] { return ProblemRepository(ws).pageAfter(filter, sort, after, limit); });
}

} // namespace crucible::stoppable
