#pragma once
// A statement prepared on a Workspace's own SQLite connection and bound and run through the
// SQLite C API: no QVariant and no UTF-16 round trip per value, for hot loops such as imports.
// Runs inside the Workspace's transactions; same thread as the Workspace, must not outlive it.

#include "core/store/workspace.h"

#include <QString>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace crucible {

class SqliteStatement final
{
public:
    // Throws WorkspaceError when the connection is not SQLite or the SQL does not prepare.
    SqliteStatement(const Workspace &ws, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // Parameters count from 1. Text is UTF-8 and is not copied: it must stay valid until
    // execute() returns. An empty view binds '' (not NULL).
    void bindText(int index, std::string_view utf8);
    void bindNull(int index);
    void bindInt64(int index, qint64 value);

    // Runs a statement that returns no rows, then resets it and clears its bindings. Throws
    // WorkspaceError ("<what> failed: <SQLite's message>"); `what` is only built on failure.
    template <typename What> void execute(What &&what)
    {
        if (!step())
            throwError(what());
    }
    // Rows changed by the last execute().
    qint64 changes() const;

    // The sqlite3 connection behind a Workspace (QSQLITE driver handle); throws WorkspaceError.
    static sqlite3 *connectionOf(const Workspace &ws);

private:
    bool step();
    [[noreturn]] void throwError(const QString &what);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    int m_lastError = 0;
    QString m_lastMessage;
};

} // namespace crucible
