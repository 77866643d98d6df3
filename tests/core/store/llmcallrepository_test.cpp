#include "core/store/llmcallrepository.h"

#include "core/store/schema.h"
#include "tests/support/testworkspace.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

LlmCall makeCall(int n, const QString &status = QStringLiteral("ok"))
{
    LlmCall c;
    c.id = QStringLiteral("call_%1").arg(n);
    c.provider = n % 2 ? QStringLiteral("openai") : QStringLiteral("local");
    c.model = QStringLiteral("m%1").arg(n % 3);
    c.jobId = QStringLiteral("job_%1").arg(n % 2);
    c.status = status;
    c.tokensIn = 100;
    c.tokensOut = 10;
    c.costUsd = n % 2 ? std::optional<double>(0.5) : std::nullopt;
    c.cacheKey = QStringLiteral("key_%1").arg(n);
    c.request = {{"messages", nlohmann::json::array()}};
    c.response = QStringLiteral("answer %1").arg(n);
    c.createdAt = QDateTime::currentDateTimeUtc();
    return c;
}

} // namespace

TEST(LlmCallRepository, RecordsFiltersAndTotals)
{
    TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("c.crucible")));
    LlmCallRepository repo(*ws);
    for (int i = 1; i <= 10; ++i)
        repo.record(makeCall(i, i == 3 ? QStringLiteral("error") : QStringLiteral("ok")));
    EXPECT_EQ(repo.count(), 10);
    LlmCallFilter f;
    f.provider = QStringLiteral("openai");
    EXPECT_EQ(repo.count(f), 5);
    f = {};
    f.errorsOnly = true;
    EXPECT_EQ(repo.count(f), 1);
    f = {};
    f.text = QStringLiteral("call_1");
    EXPECT_EQ(repo.count(f), 2); // call_1 and call_10
    const auto totals = repo.totals();
    EXPECT_EQ(totals.calls, 10);
    EXPECT_EQ(totals.errors, 1);
    EXPECT_EQ(totals.tokensIn, 1000);
    EXPECT_DOUBLE_EQ(totals.costUsd, 2.5);
    EXPECT_EQ(totals.unpricedCalls, 5);
    EXPECT_EQ(repo.providers(), (QStringList{QStringLiteral("local"), QStringLiteral("openai")}));
    const auto page = repo.page({}, 3, 1);
    ASSERT_EQ(page.size(), 3u);
    EXPECT_EQ(page[0].id, QStringLiteral("call_9"));
    EXPECT_FALSE(page[1].costUsd); // call_8: unpriced stays unpriced
    EXPECT_EQ(repo.get(QStringLiteral("call_4"))->response, QStringLiteral("answer 4"));
}

TEST(LlmCallRepository, CacheServesFirstHandAnswersButNoErrors)
{
    TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("c.crucible")));
    LlmCallRepository repo(*ws);
    auto bad = makeCall(1, QStringLiteral("error"));
    bad.cacheKey = QStringLiteral("k");
    repo.record(bad);
    EXPECT_FALSE(repo.cachedAnswer(QStringLiteral("k")));
    auto good = makeCall(2);
    good.cacheKey = QStringLiteral("k");
    repo.record(good);
    auto hit = makeCall(3);
    hit.cacheKey = QStringLiteral("k");
    hit.cacheHit = true;
    repo.record(hit);
    const auto found = repo.cachedAnswer(QStringLiteral("k"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, QStringLiteral("call_2"));
    good.status = QStringLiteral("invalid");
    repo.record(good); // replaced by id; still replayable
    EXPECT_EQ(repo.cachedAnswer(QStringLiteral("k"))->status, QStringLiteral("invalid"));
    EXPECT_EQ(repo.count(), 3);
}

TEST(LlmCallRepository, VersionTwoLedgerRowsAreBackfilledByTheMigration)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("v2.crucible"));
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v2build"));
        db.setDatabaseName(path);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        for (int step = 1; step <= 2; ++step)
            for (const QString &sql : schema::migrationStep(step))
                ASSERT_TRUE(q.exec(sql)) << sql.toStdString();
        const auto doc = makeCall(7).toJson();
        q.prepare(QStringLiteral(
            "INSERT INTO llm_calls (id, parent, doc, created_at) VALUES (?, ?, ?, ?)"));
        q.addBindValue(QStringLiteral("call_7"));
        q.addBindValue(QStringLiteral("job_1"));
        q.addBindValue(QString::fromStdString(doc.dump()));
        q.addBindValue(QStringLiteral("2026-01-01T00:00:00.000Z"));
        ASSERT_TRUE(q.exec());
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA user_version = 2")));
        ASSERT_TRUE(
            q.exec(QStringLiteral("PRAGMA application_id = %1").arg(Workspace::kApplicationId)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v2build"));
    auto ws = Workspace::open(path);
    EXPECT_EQ(ws->schemaVersion(), Workspace::kSchemaVersion);
    LlmCallRepository repo(*ws);
    LlmCallFilter f;
    f.provider = QStringLiteral("openai");
    EXPECT_EQ(repo.count(f), 1);
    EXPECT_DOUBLE_EQ(repo.totals().costUsd, 0.5);
    EXPECT_TRUE(repo.cachedAnswer(QStringLiteral("key_7")));
}
