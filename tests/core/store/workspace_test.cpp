#include "core/store/agentrepository.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/schema.h"
#include "core/store/workspace.h"
#include "tests/support/testworkspace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtConcurrent>
#include <QtEndian>

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

namespace {

QByteArray hashOf(const QString &path)
{
    return QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256);
}

WorkspaceError::Kind openKind(const QString &path,
                              Workspace::Mode mode = Workspace::Mode::ReadWrite)
{
    try {
        Workspace::open(path, mode);
    } catch (const WorkspaceError &e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected WorkspaceError for " << path.toStdString();
    return WorkspaceError::Kind::Query;
}

// Builds a database with raw SQL, outside Workspace, so tests can make old or foreign files.
void buildWithSql(const QString &path, const QString &script)
{
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        for (const QString &statement : script.split(u';', Qt::SkipEmptyParts)) {
            QString s = statement;
            // Drop comment lines.
            QStringList lines;
            for (const QString &line : s.split(u'\n'))
                if (!line.trimmed().startsWith(QStringLiteral("--")))
                    lines << line;
            s = lines.join(u'\n').trimmed();
            if (s.isEmpty())
                continue;
            ASSERT_TRUE(q.exec(s)) << q.lastError().text().toStdString() << "\n" << s.toStdString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
}

} // namespace

TEST(Workspace, CreateSetsSchemaAndApplicationId)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("new.crucible"));
    {
        auto ws = Workspace::create(path);
        EXPECT_EQ(ws->schemaVersion(), Workspace::kSchemaVersion);
        QSqlQuery q = ws->exec(QStringLiteral("PRAGMA application_id"));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toInt(), Workspace::kApplicationId);
        q = ws->exec(QStringLiteral("PRAGMA journal_mode"));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toString(), QStringLiteral("wal"));
        q = ws->exec(QStringLiteral("PRAGMA foreign_keys"));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toInt(), 1);
    }
    EXPECT_THROW(Workspace::create(path), WorkspaceError); // exists already
    auto again = Workspace::open(path, Workspace::Mode::ReadOnly);
    EXPECT_TRUE(again->isReadOnly());
}

TEST(Workspace, MissingFileIsNotFound)
{
    TempFolder dir;
    EXPECT_EQ(openKind(dir.file(QStringLiteral("absent.crucible"))),
              WorkspaceError::Kind::NotFound);
}

TEST(Workspace, ForeignFilesAreRefusedAndNeverModified)
{
    TempFolder dir;
    const QString text = dir.file(QStringLiteral("notes.crucible"));
    writeFile(text, "just some text, not a database\n");
    const QByteArray textHash = hashOf(text);
    EXPECT_EQ(openKind(text), WorkspaceError::Kind::NotAWorkspace);
    EXPECT_EQ(hashOf(text), textHash);

    const QString other = dir.file(QStringLiteral("other.sqlite"));
    buildWithSql(other, QStringLiteral("CREATE TABLE t(x); INSERT INTO t VALUES (1)"));
    const QByteArray otherHash = hashOf(other);
    try {
        Workspace::open(other);
        FAIL();
    } catch (const WorkspaceError &e) {
        EXPECT_EQ(e.kind(), WorkspaceError::Kind::NotAWorkspace);
        EXPECT_TRUE(e.message().contains(QStringLiteral("not a Crucible workspace")));
        EXPECT_TRUE(e.message().contains(QStringLiteral("not modified")));
    }
    EXPECT_EQ(hashOf(other), otherHash);
    EXPECT_FALSE(QFile::exists(other + QStringLiteral("-wal")));
}

TEST(Workspace, NewerSchemaIsRefusedUnchanged)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("future.crucible"));
    {
        auto ws = Workspace::create(path);
        ws->exec(QStringLiteral("PRAGMA user_version = 99"));
        ws->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    const QByteArray before = hashOf(path);
    try {
        Workspace::open(path);
        FAIL();
    } catch (const WorkspaceError &e) {
        EXPECT_EQ(e.kind(), WorkspaceError::Kind::TooNew);
        EXPECT_TRUE(e.message().contains(QStringLiteral("newer Crucible")));
        EXPECT_TRUE(e.message().contains(QStringLiteral("99")));
    }
    EXPECT_EQ(hashOf(path), before);
}

TEST(Workspace, CorruptFileIsReportedUnchanged)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("broken.crucible"));
    {
        auto ws = Workspace::create(path);
        ProblemRepository repo(*ws);
        for (int i = 0; i < 200; ++i)
            repo.insert(makeProblem(i));
        ws->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        ws->exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
    }
    // Keep the header (so it looks like ours) and overwrite the schema page with garbage.
    QByteArray bytes = readAll(path);
    ASSERT_GT(bytes.size(), 4096);
    for (int i = 100; i < 4096; ++i)
        bytes[i] = static_cast<char>((i * 37) & 0xFF);
    writeFile(path, bytes);
    const QByteArray before = hashOf(path);
    const auto kind = openKind(path);
    EXPECT_TRUE(kind == WorkspaceError::Kind::Corrupt) << static_cast<int>(kind);
    EXPECT_EQ(hashOf(path), before);
}

TEST(Workspace, MigratesVersionOneFixture)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("v1.crucible"));
    buildWithSql(path, QString::fromUtf8(
                           readAll(QStringLiteral(CRUCIBLE_TEST_DATA_DIR "/workspace_v1.sql"))));
    // Read-only open refuses to upgrade and leaves the file alone.
    const QByteArray before = hashOf(path);
    EXPECT_EQ(openKind(path, Workspace::Mode::ReadOnly), WorkspaceError::Kind::TooNew);
    EXPECT_EQ(hashOf(path), before);

    auto ws = Workspace::open(path);
    EXPECT_EQ(ws->schemaVersion(), Workspace::kSchemaVersion);
    ProblemRepository problems(*ws);
    EXPECT_EQ(problems.count(), 2);
    const auto child = problems.get(QStringLiteral("prb_old_child"));
    ASSERT_TRUE(child);
    EXPECT_EQ(child->baseProblemId, QStringLiteral("prb_old_root"));
    EXPECT_EQ(child->sampleData["o2"], "limited");
    EXPECT_TRUE(child->metadata.is_object());
    // Old rows are searchable after the FTS index was built by the migration.
    ProblemFilter f;
    f.search = QStringLiteral("propane");
    EXPECT_EQ(problems.count(f), 1);
    EXPECT_EQ(problems.ancestors(QStringLiteral("prb_old_child")).size(), 1u);
    const auto ds = DatasetRepository(*ws).get(QStringLiteral("ds_old"));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), 2);
    // New tables exist.
    EXPECT_EQ(AgentRepository(*ws).count(), 0);
}

TEST(Workspace, TransactionRollsBackEverything)
{
    TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("tx.crucible")));
    ProblemRepository repo(*ws);
    repo.insert(makeProblem(1));
    std::vector<Problem> batch{makeProblem(2), makeProblem(3), makeProblem(1)}; // 1 is a duplicate
    EXPECT_THROW(repo.insertMany(batch), WorkspaceError);
    EXPECT_EQ(repo.count(), 1);
    EXPECT_FALSE(repo.contains(makeProblem(2).id));

    {
        Workspace::Transaction outer(*ws);
        repo.insert(makeProblem(4)); // joins the outer transaction
        // outer goes out of scope without commit
    }
    EXPECT_EQ(repo.count(), 1);
    {
        Workspace::Transaction outer(*ws);
        repo.insert(makeProblem(5));
        outer.commit();
    }
    EXPECT_EQ(repo.count(), 2);
}

TEST(Workspace, ReadOnlyWorkspaceRefusesWrites)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("ro.crucible"));
    Workspace::create(path);
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    EXPECT_THROW(ProblemRepository(*ws).insert(makeProblem(1)), WorkspaceError);
}

TEST(Workspace, OneConnectionPerThread)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("threads.crucible"));
    {
        auto ws = Workspace::create(path);
        ProblemRepository repo(*ws);
        for (int i = 0; i < 50; ++i)
            repo.insert(makeProblem(i));
    }
    // Each worker opens its own Workspace on its own thread.
    QFuture<qint64> future = QtConcurrent::run([path] {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        return ProblemRepository(*ws).count();
    });
    auto main = Workspace::open(path);
    ProblemRepository(*main).insert(makeProblem(100));
    future.waitForFinished();
    EXPECT_GE(future.result(), 50);
    EXPECT_EQ(ProblemRepository(*main).count(), 51);
}

TEST(EntityStore, StoresAndListsThinEntities)
{
    TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("e.crucible")));
    EntityStore store(*ws);
    FeedbackItem f;
    f.id = QStringLiteral("fbk_1");
    f.subjectId = QStringLiteral("prb_9");
    f.question = QStringLiteral("Is the statement clear?");
    store.put(f);
    f.priority = 0.9;
    store.put(f); // replace
    EXPECT_EQ(store.count<FeedbackItem>(), 1);
    EXPECT_DOUBLE_EQ(store.get<FeedbackItem>(QStringLiteral("fbk_1"))->priority, 0.9);
    Interaction in;
    in.id = QStringLiteral("int_1");
    in.problemId = QStringLiteral("prb_9");
    in.turns = {{QStringLiteral("user"), QStringLiteral("Ana"), QStringLiteral("hi")},
                {QStringLiteral("assistant"), QStringLiteral("Gen"), QStringLiteral("hello")}};
    in.stopReason = QStringLiteral("turn_limit");
    store.put(in);
    EXPECT_EQ(store.list<Interaction>(QStringLiteral("prb_9")).size(), 1u);
    EXPECT_EQ(store.list<Interaction>(QStringLiteral("prb_other")).size(), 0u);
    f.priority = 1.7;
    EXPECT_THROW(store.put(f), ValidationError);
}

namespace {

// A workspace whose schema, application id and rows live only in its WAL (no checkpoint), the
// state of a file that is open in another process or was copied with its -wal after a crash.
// The connection stays open (name "walonly") until the caller removes it.
void buildWalOnlyWorkspace(const QString &path, int version)
{
    QSqlDatabase db =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("walonly"));
    db.setDatabaseName(path);
    ASSERT_TRUE(db.open());
    QSqlQuery q(db);
    ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
    ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")));
    ASSERT_TRUE(q.exec(QStringLiteral("BEGIN")));
    ASSERT_TRUE(
        q.exec(QStringLiteral("PRAGMA application_id = %1").arg(Workspace::kApplicationId)));
    for (int to = 1; to <= version; ++to)
        for (const QString &statement : schema::migrationStep(to))
            ASSERT_TRUE(q.exec(statement)) << q.lastError().text().toStdString();
    ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)));
    ASSERT_TRUE(q.exec(QStringLiteral("COMMIT")));
}

quint32 headerApplicationId(const QString &path)
{
    const QByteArray header = readAll(path).left(100);
    if (header.size() < 72)
        return 0;
    return qFromBigEndian<quint32>(header.constData() + 68);
}

} // namespace

// Regression (issue 9): the identity check read the main file's header while the application id
// was still only in the WAL, so a workspace open elsewhere was "not a Crucible workspace".
TEST(Workspace, IdentityIsReadThroughSqliteHonouringTheWal)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("hospital.crucible"));
    buildWalOnlyWorkspace(path, Workspace::kSchemaVersion);
    ASSERT_EQ(headerApplicationId(path), 0u) << "the fixture must keep the id in the WAL only";

    // Another process (the CLI) opens it while the first still has it open.
    {
        auto reader = Workspace::open(path, Workspace::Mode::ReadOnly);
        EXPECT_EQ(reader->schemaVersion(), Workspace::kSchemaVersion);
        auto writer = Workspace::open(path, Workspace::Mode::ReadWrite);
        ProblemRepository(*writer).insert(makeProblem(1));
        EXPECT_EQ(ProblemRepository(*reader).count(), 1);
    }

    // What a crash leaves: the file and its -wal, copied elsewhere (no -shm).
    const QString copy = dir.file(QStringLiteral("copy.crucible"));
    ASSERT_TRUE(QFile::copy(path, copy));
    ASSERT_TRUE(QFile::copy(path + QStringLiteral("-wal"), copy + QStringLiteral("-wal")));
    QSqlDatabase::removeDatabase(QStringLiteral("walonly"));
    auto reopened = Workspace::open(copy);
    EXPECT_EQ(reopened->schemaVersion(), Workspace::kSchemaVersion);
    EXPECT_EQ(ProblemRepository(*reopened).count(), 1);
}

TEST(Workspace, ForeignWalOnlyDatabaseIsStillRefused)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("foreign.db"));
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreignwal"));
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")));
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA application_id = 42")));
        ASSERT_TRUE(q.exec(QStringLiteral("CREATE TABLE t (x)")));
        EXPECT_EQ(openKind(path), WorkspaceError::Kind::NotAWorkspace);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("foreignwal"));
}

TEST(Workspace, NewWorkspaceIsCheckpointedAtOnce)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("fresh.crucible"));
    auto ws = Workspace::create(path);
    // While the workspace is still open, the main file alone already says it is ours.
    EXPECT_EQ(headerApplicationId(path), static_cast<quint32>(Workspace::kApplicationId));
    const QByteArray header = readAll(path).left(100);
    EXPECT_EQ(qFromBigEndian<quint32>(header.constData() + 60),
              static_cast<quint32>(Workspace::kSchemaVersion));
}

TEST(Workspace, VersionFiveMigrationSetsJobIdsAndDatasetOrigin)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("v4.crucible"));
    buildWalOnlyWorkspace(path, 4);
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("walonly")));
        ASSERT_TRUE(q.exec(QStringLiteral(
            "INSERT INTO problems (id, statement, complexity, origin, created_at, metadata) VALUES "
            "('p_ds', 'a dataset member', 'simple', 'seed', '2026-01-01T00:00:00.000Z', "
            "'{\"generator\":\"dataset\",\"job_id\":\"job_1\"}'), "
            "('p_seed', 'a seed', 'medium', 'seed', '2026-01-01T00:00:00.000Z', "
            "'{\"generator\":\"seeds\",\"job_id\":\"job_2\"}'), "
            "('p_manual', 'typed by hand', 'complex', 'manual', '2026-01-01T00:00:00.000Z', "
            "'{}')")))
            << q.lastError().text().toStdString();
        QSqlDatabase::database(QStringLiteral("walonly")).close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("walonly"));

    auto ws = Workspace::open(path);
    ASSERT_EQ(ws->schemaVersion(), Workspace::kSchemaVersion);
    ProblemRepository problems(*ws);
    EXPECT_EQ(problems.get(QStringLiteral("p_ds"))->origin, ProblemOrigin::Dataset);
    EXPECT_EQ(problems.get(QStringLiteral("p_seed"))->origin, ProblemOrigin::Seed);
    ProblemFilter byJob;
    byJob.jobId = QStringLiteral("job_2");
    const auto page = problems.pageAfter(byJob, 0, 10);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].id, QStringLiteral("p_seed"));
    EXPECT_EQ(page[0].jobId, QStringLiteral("job_2"));
    EXPECT_EQ(page[0].reviewStatus, ReviewStatus::Unreviewed);
    // Search still finds the migrated rows.
    ProblemFilter search;
    search.search = QStringLiteral("typed");
    EXPECT_EQ(problems.count(search), 1);
}

TEST(Workspace, VersionSevenMigrationKeepsLegacyAgentDocumentsAndAddsEvaluationTables)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("v6.crucible"));
    buildWalOnlyWorkspace(path, 6);
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("walonly")));
        ASSERT_TRUE(q.exec(QStringLiteral(
            "INSERT INTO agents (id, parent, doc) VALUES ('agt_old', '', '{\"id\":\"agt_old\"}')")))
            << q.lastError().text().toStdString();
        QSqlDatabase::database(QStringLiteral("walonly")).close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("walonly"));

    auto ws = Workspace::open(path);
    ASSERT_EQ(ws->schemaVersion(), Workspace::kSchemaVersion);
    QSqlQuery legacy =
        ws->exec(QStringLiteral("SELECT doc FROM legacy_agents WHERE id = 'agt_old'"));
    ASSERT_TRUE(legacy.next());
    EXPECT_EQ(legacy.value(0).toString(), QStringLiteral("{\"id\":\"agt_old\"}"));
    QSqlQuery agents = ws->exec(QStringLiteral("SELECT count(*) FROM agents"));
    ASSERT_TRUE(agents.next());
    EXPECT_EQ(agents.value(0).toInt(), 0);
    // A solution must name an existing agent version and problem.
    QSqlQuery bad = ws->prepare(QStringLiteral(
        "INSERT INTO solutions (id, problem_id, agent_version_id, stage, doc, created_at) "
        "VALUES ('sol_x', 'prb_missing', 'agv_missing', 'solve', '{}', '2026-01-01')"));
    EXPECT_FALSE(bad.exec());
    for (const char *table : {"agent_versions", "critiques", "verdicts", "human_judgments",
                              "tournaments", "comparisons", "ratings", "preference_pairs"}) {
        QSqlQuery t =
            ws->exec(QStringLiteral("SELECT count(*) FROM %1").arg(QString::fromUtf8(table)));
        ASSERT_TRUE(t.next()) << table;
        EXPECT_EQ(t.value(0).toInt(), 0) << table;
    }
}

// POSIX record locks belong to the process: reading the header of a workspace that another
// connection of this process has open used to drop that connection's locks, so another process
// closing the workspace thought it was the last, checkpointed and deleted the WAL, and this
// process went on writing into a deleted file that no one else could see.
TEST(Workspace, ASecondOpenKeepsTheLocksSoAnotherProcessNeitherDeletesTheWalNorMissesWrites)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("shared.crucible"));
    auto first = Workspace::create(path);
    ProblemRepository(*first).insert(makeProblem(1));
    auto second = Workspace::open(path, Workspace::Mode::ReadWrite); // as the engine thread does

    auto runCli = [&path](const QStringList &args) {
        QProcess cli;
        cli.start(QStringLiteral(CRUCIBLE_CLI_PATH), QStringList{args.front(), path} + args.mid(1));
        EXPECT_TRUE(cli.waitForFinished(60000));
        EXPECT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
        return cli.readAllStandardOutput();
    };
    runCli({QStringLiteral("agents"), QStringLiteral("list")}); // opens for writing, closes
    EXPECT_TRUE(QFile::exists(path + QStringLiteral("-wal")))
        << "another process deleted the WAL of a workspace this process has open";

    const Problem later = makeProblem(2);
    ProblemRepository(*second).insert(later);
    EXPECT_TRUE(
        runCli({QStringLiteral("problems"), QStringLiteral("--json")}).contains(later.id.toUtf8()))
        << "a write made here after the other process closed is invisible to other processes";
}
