#pragma once
// One Crucible workspace file (SQLite through QtSql: WAL, foreign keys, step-wise migrations).
// A Workspace owns one connection and must only be used on the thread that opened it; open a
// second Workspace on the same path for another thread. Not copyable.

#include "core/store/workspaceerror.h"

#include <QSqlDatabase>
#include <QString>
#include <memory>

class QSqlQuery;

namespace crucible {

class Workspace final
{
public:
    enum class Mode {
        ReadWrite,      // open an existing workspace, migrating it if it is older
        ReadOnly,       // never writes; a workspace that needs migrating is refused
        CreateIfMissing // ReadWrite, creating a new empty workspace when the file is absent
    };

    static constexpr int kSchemaVersion = 9;
    static constexpr int kApplicationId = 0x43524331; // "CRC1" in the SQLite header

    // Throws WorkspaceError. Checks the file before writing anything: a file that is not a
    // Crucible workspace, is newer than this app, or is corrupt is never modified.
    static std::unique_ptr<Workspace> open(const QString &path, Mode mode = Mode::ReadWrite);
    static std::unique_ptr<Workspace> create(const QString &path); // fails if the file exists

    ~Workspace();
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;

    QString path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    int schemaVersion() const;
    QSqlDatabase database() const;

    // Prepares and runs a statement, throwing WorkspaceError (with the SQL's purpose in the
    // message) on failure. For use by repositories.
    QSqlQuery exec(const QString &sql) const;
    QSqlQuery prepare(const QString &sql) const;
    static void execPrepared(QSqlQuery &query, const QString &what);
    // Throws the WorkspaceError for a failed query (for callers that build `what` only then).
    [[noreturn]] static void throwQueryError(const QSqlQuery &query, const QString &what);

    // RAII transaction; nests (inner scopes join the outer one). Rolls back unless committed.
    class Transaction final
    {
    public:
        explicit Transaction(Workspace &ws);
        ~Transaction();
        void commit();
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;

    private:
        Workspace &m_ws;
        bool m_done = false;
        bool m_outer = false;
    };

    // Default location: <AppDataLocation>/default.crucible.
    static QString defaultPath();

private:
    Workspace(QString path, QString connectionName, bool readOnly);
    void migrate(int fromVersion);
    void configureConnection();

    QString m_path;
    QString m_connectionName;
    bool m_readOnly = false;
    int m_transactionDepth = 0;
};

} // namespace crucible
