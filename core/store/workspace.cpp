#include "core/store/workspace.h"

#include "core/store/schema.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QtEndian>

#include <map>

namespace crucible {

namespace {

// The workspace files this process has open, by connection name. POSIX record locks belong to
// the process and go away when the process closes *any* descriptor of the file. SQLite keeps its
// own descriptors open for that reason, but reading the header with QFile while a connection
// is open would drop that connection's locks: another process (crucible-cli on the same
// workspace) would then think it was the last one, checkpoint and delete the WAL, and every
// later write of this process would go to the deleted file and be lost. So the header is read
// only for a file that no connection of this process has open.
QMutex &openFilesMutex()
{
    static QMutex mutex;
    return mutex;
}

std::map<QString, QString> &openFiles()
{
    static std::map<QString, QString> files; // connection name -> file key
    return files;
}

QString fileKey(const QFileInfo &info)
{
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("crucible-workspace-%1").arg(counter.fetchAndAddRelaxed(1));
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// Whether the file starts with SQLite's magic string, read without opening the database so that
// nothing can touch a file that is not a database at all. Everything else (application id,
// schema version) is asked through SQLite: the header lags behind an un-checkpointed WAL, so a
// workspace that is open elsewhere, or was copied with its -wal after a crash, would look foreign.
bool hasSqliteMagic(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Cannot read %1: %2. Check that the file is readable.")
                                 .arg(nativePath(path), f.errorString()));
    const QByteArray header = f.read(100);
    return header.size() == 100 && header.startsWith(QByteArrayLiteral("SQLite format 3\0"));
}

QString describeSqlError(const QSqlError &e)
{
    QString text = e.databaseText();
    if (text.isEmpty())
        text = e.text();
    return text;
}

bool looksCorrupt(const QSqlError &e)
{
    const QString t = describeSqlError(e).toLower();
    return t.contains(QStringLiteral("malformed")) ||
           t.contains(QStringLiteral("not a database")) || t.contains(QStringLiteral("corrupt"));
}

[[noreturn]] void throwCorrupt(const QString &path, const QString &detail)
{
    throw WorkspaceError(
        WorkspaceError::Kind::Corrupt,
        QStringLiteral("%1 is damaged (%2). The file was not modified. Restore it from a backup, "
                       "or open another workspace.")
            .arg(nativePath(path), detail));
}

} // namespace

Workspace::Workspace(QString path, QString connectionName, bool readOnly)
    : m_path(std::move(path))
    , m_connectionName(std::move(connectionName))
    , m_readOnly(readOnly)
{
}

Workspace::~Workspace()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            if (!m_readOnly)
                QSqlQuery(db).exec(QStringLiteral("PRAGMA optimize"));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    const QMutexLocker lock(&openFilesMutex());
    openFiles().erase(m_connectionName);
}

QString Workspace::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/crucible");
    return dir + QStringLiteral("/default.crucible");
}

std::unique_ptr<Workspace> Workspace::create(const QString &path)
{
    if (QFileInfo::exists(path))
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("%1 already exists. Choose another file name, or open "
                                            "it instead of creating it.")
                                 .arg(nativePath(path)));
    return open(path, Mode::CreateIfMissing);
}

std::unique_ptr<Workspace> Workspace::open(const QString &path, Mode mode)
{
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (!exists && mode != Mode::CreateIfMissing)
        throw WorkspaceError(WorkspaceError::Kind::NotFound,
                             QStringLiteral("Workspace %1 does not exist. Create it with "
                                            "`crucible-cli init %2` or File > New.")
                                 .arg(nativePath(path), path));
    if (exists && info.isDir())
        throw WorkspaceError(WorkspaceError::Kind::NotAWorkspace,
                             QStringLiteral("%1 is a folder, not a Crucible workspace file. "
                                            "Choose a .crucible file.")
                                 .arg(nativePath(path)));

    int version = 0;
    if (!exists)
        QDir().mkpath(info.absolutePath());

    const bool readOnly = mode == Mode::ReadOnly;
    auto ws = std::unique_ptr<Workspace>(new Workspace(path, nextConnectionName(), readOnly));
    {
        // Registered before SQLite opens it (the destructor unregisters), and checked under
        // the same lock, so that no other thread's connection can be opening it meanwhile.
        const QMutexLocker lock(&openFilesMutex());
        const QString key = fileKey(info);
        bool openHere = false;
        for (const auto &[connection, file] : openFiles())
            openHere = openHere || file == key;
        if (exists && !openHere && !hasSqliteMagic(path))
            throw WorkspaceError(
                WorkspaceError::Kind::NotAWorkspace,
                QStringLiteral("%1 is not a Crucible workspace (it is not an SQLite database). "
                               "The file was not modified. Choose a .crucible file, or create "
                               "one with File > New or `crucible-cli init`.")
                    .arg(nativePath(path)));
        openFiles()[ws->m_connectionName] = key;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), ws->m_connectionName);
    db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
    // Check a file we did not create read-only first: nothing is written until it passes.
    const bool probeReadOnly = exists;
    if (probeReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    if (!db.open())
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Cannot open %1: %2. Check the file's permissions.")
                                 .arg(nativePath(path), describeSqlError(db.lastError())));

    if (exists) {
        QSqlQuery q(db);
        // The header can lag behind an un-checkpointed WAL; the pragmas are authoritative.
        if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
            throwCorrupt(path, describeSqlError(q.lastError()));
        version = q.value(0).toInt();
        if (!q.exec(QStringLiteral("PRAGMA application_id")) || !q.next())
            throwCorrupt(path, describeSqlError(q.lastError()));
        if (const quint32 applicationId = q.value(0).toUInt();
            applicationId != static_cast<quint32>(kApplicationId))
            throw WorkspaceError(
                WorkspaceError::Kind::NotAWorkspace,
                QStringLiteral("%1 is an SQLite database but not a Crucible workspace "
                               "(application id 0x%2). The file was not modified.")
                    .arg(nativePath(path))
                    .arg(applicationId, 8, 16, QLatin1Char('0')));
        if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next()) {
            if (looksCorrupt(q.lastError()))
                throwCorrupt(path, describeSqlError(q.lastError()));
            throw WorkspaceError(WorkspaceError::Kind::Io,
                                 QStringLiteral("Cannot read %1: %2")
                                     .arg(nativePath(path), describeSqlError(q.lastError())));
        }
        if (version > kSchemaVersion)
            throw WorkspaceError(
                WorkspaceError::Kind::TooNew,
                QStringLiteral("%1 was written by a newer Crucible (schema version %2; this app "
                               "reads up to %3). The file was not modified. Update Crucible to "
                               "open it.")
                    .arg(nativePath(path))
                    .arg(version)
                    .arg(kSchemaVersion));
        if (version < 1)
            throwCorrupt(path, QStringLiteral("schema version %1 is invalid").arg(version));
        if (readOnly && version < kSchemaVersion)
            throw WorkspaceError(
                WorkspaceError::Kind::TooNew,
                QStringLiteral("%1 uses the older schema version %2 and must be upgraded to "
                               "version %3 before it can be read. Open it once for writing "
                               "(e.g. in the app) to upgrade it.")
                    .arg(nativePath(path))
                    .arg(version)
                    .arg(kSchemaVersion));
        if (!readOnly) {
            db.close();
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            if (!db.open())
                throw WorkspaceError(
                    WorkspaceError::Kind::Io,
                    QStringLiteral("Cannot open %1 for writing: %2. Check the file's "
                                   "permissions, or open it read-only.")
                        .arg(nativePath(path), describeSqlError(db.lastError())));
        }
    }

    ws->configureConnection();
    if (!readOnly && version < kSchemaVersion)
        ws->migrate(version);
    if (!exists) {
        // Move the new schema and application id from the WAL into the main file at once, so
        // that a copy of the file alone, or any tool that reads the header, knows it is ours.
        QSqlQuery checkpoint(ws->database());
        checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    return ws;
}

void Workspace::configureConnection()
{
    QSqlQuery q(database());
    const QStringList pragmas = m_readOnly
                                    ? QStringList{QStringLiteral("PRAGMA foreign_keys = ON"),
                                                  QStringLiteral("PRAGMA cache_size = -32000"),
                                                  QStringLiteral("PRAGMA temp_store = MEMORY")}
                                    : QStringList{QStringLiteral("PRAGMA journal_mode = WAL"),
                                                  QStringLiteral("PRAGMA synchronous = NORMAL"),
                                                  QStringLiteral("PRAGMA foreign_keys = ON"),
                                                  QStringLiteral("PRAGMA cache_size = -32000"),
                                                  QStringLiteral("PRAGMA temp_store = MEMORY")};
    for (const QString &p : pragmas)
        if (!q.exec(p))
            throw WorkspaceError(WorkspaceError::Kind::Io,
                                 QStringLiteral("Cannot configure %1 (%2): %3")
                                     .arg(nativePath(m_path), p, describeSqlError(q.lastError())));
}

void Workspace::migrate(int fromVersion)
{
    Transaction tx(*this);
    QSqlQuery q(database());
    if (fromVersion == 0)
        exec(QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId));
    for (int to = fromVersion + 1; to <= kSchemaVersion; ++to) {
        for (const QString &statement : schema::migrationStep(to)) {
            if (!q.exec(statement))
                throw WorkspaceError(
                    WorkspaceError::Kind::Query,
                    QStringLiteral("Upgrading %1 to schema version %2 failed: %3. The file was "
                                   "left at version %4.")
                        .arg(nativePath(m_path))
                        .arg(to)
                        .arg(describeSqlError(q.lastError()))
                        .arg(fromVersion));
        }
        exec(QStringLiteral("PRAGMA user_version = %1").arg(to));
    }
    tx.commit();
}

int Workspace::schemaVersion() const
{
    QSqlQuery q = exec(QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : 0;
}

QSqlDatabase Workspace::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

QSqlQuery Workspace::exec(const QString &sql) const
{
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.exec(sql)) {
        const QSqlError e = q.lastError();
        throw WorkspaceError(looksCorrupt(e) ? WorkspaceError::Kind::Corrupt
                                             : WorkspaceError::Kind::Query,
                             QStringLiteral("%1: query failed: %2 (in: %3)")
                                 .arg(nativePath(m_path), describeSqlError(e), sql.left(120)));
    }
    return q;
}

QSqlQuery Workspace::prepare(const QString &sql) const
{
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throw WorkspaceError(
            WorkspaceError::Kind::Query,
            QStringLiteral("%1: cannot prepare query: %2 (in: %3)")
                .arg(nativePath(m_path), describeSqlError(q.lastError()), sql.left(120)));
    return q;
}

void Workspace::execPrepared(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        throwQueryError(query, what);
}

void Workspace::throwQueryError(const QSqlQuery &query, const QString &what)
{
    const QSqlError e = query.lastError();
    const QString text = describeSqlError(e);
    WorkspaceError::Kind kind = WorkspaceError::Kind::Query;
    if (text.contains(QStringLiteral("constraint"), Qt::CaseInsensitive))
        kind = WorkspaceError::Kind::Constraint;
    else if (looksCorrupt(e))
        kind = WorkspaceError::Kind::Corrupt;
    else if (text.contains(QStringLiteral("readonly"), Qt::CaseInsensitive))
        kind = WorkspaceError::Kind::Io;
    throw WorkspaceError(kind, QStringLiteral("%1 failed: %2").arg(what, text));
}

Workspace::Transaction::Transaction(Workspace &ws)
    : m_ws(ws)
{
    m_outer = ws.m_transactionDepth == 0;
    if (m_outer && !ws.database().transaction())
        throw WorkspaceError(
            WorkspaceError::Kind::Io,
            QStringLiteral("Cannot start a transaction on %1: %2")
                .arg(nativePath(ws.m_path), describeSqlError(ws.database().lastError())));
    ++ws.m_transactionDepth;
}

Workspace::Transaction::~Transaction()
{
    if (m_done)
        return;
    --m_ws.m_transactionDepth;
    if (m_outer)
        m_ws.database().rollback();
}

void Workspace::Transaction::commit()
{
    if (m_done)
        return;
    m_done = true;
    --m_ws.m_transactionDepth;
    if (m_outer && !m_ws.database().commit()) {
        const QString err = describeSqlError(m_ws.database().lastError());
        m_ws.database().rollback();
        throw WorkspaceError(WorkspaceError::Kind::Io,
                             QStringLiteral("Saving to %1 failed: %2. Nothing of this change was "
                                            "written.")
                                 .arg(nativePath(m_ws.m_path), err));
    }
}

} // namespace crucible
