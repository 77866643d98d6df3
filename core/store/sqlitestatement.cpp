#include "core/store/sqlitestatement.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace crucible {

sqlite3 *SqliteStatement::connectionOf(const Workspace &ws)
{
    const QVariant handle = ws.database().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("%1: the database connection is not SQLite (driver "
                                            "handle %2)")
                                 .arg(ws.path(), QString::fromUtf8(handle.typeName())));
    sqlite3 *db = *static_cast<sqlite3 *const *>(handle.constData());
    if (!db)
        throw WorkspaceError(
            WorkspaceError::Kind::Io,
            QStringLiteral("%1: the database connection is closed").arg(ws.path()));
    return db;
}

SqliteStatement::SqliteStatement(const Workspace &ws, std::string_view sql)
    : m_db(connectionOf(ws))
{
    if (sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_finalize(m_stmt);
        throw WorkspaceError(
            WorkspaceError::Kind::Query,
            QStringLiteral("%1: cannot prepare query: %2 (in: %3)")
                .arg(ws.path(), message,
                     QString::fromUtf8(sql.substr(0, 120).data(),
                                       static_cast<qsizetype>(std::min<size_t>(sql.size(), 120)))));
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::bindText(int index, std::string_view utf8)
{
    // A null pointer would bind NULL; NOT NULL text columns need ''.
    sqlite3_bind_text(m_stmt, index, utf8.data() ? utf8.data() : "", static_cast<int>(utf8.size()),
                      SQLITE_STATIC);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindInt64(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

qint64 SqliteStatement::changes() const
{
    return sqlite3_changes64(m_db);
}

bool SqliteStatement::step()
{
    int rc = sqlite3_step(m_stmt);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_stmt);
    const bool ok = rc == SQLITE_DONE;
    if (!ok) {
        m_lastError = sqlite3_extended_errcode(m_db);
        m_lastMessage = QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    // The bound text belongs to the caller and is gone after this call.
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return ok;
}

void SqliteStatement::throwError(const QString &what)
{
    WorkspaceError::Kind kind = WorkspaceError::Kind::Query;
    switch (m_lastError & 0xFF) {
    case SQLITE_CONSTRAINT:
        kind = WorkspaceError::Kind::Constraint;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        kind = WorkspaceError::Kind::Corrupt;
        break;
    case SQLITE_READONLY:
        kind = WorkspaceError::Kind::Io;
        break;
    default:
        break;
    }
    throw WorkspaceError(kind, QStringLiteral("%1 failed: %2").arg(what, m_lastMessage));
}

} // namespace crucible
