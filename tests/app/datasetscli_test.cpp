// `crucible-cli datasets` (list with size, cost and origin; rename; delete with and without the
// problems) and `export --only-accepted`.

#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::makeProblem;

class DatasetsCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = dir.file(QStringLiteral("ws.crucible"));
        auto w = Workspace::create(ws);
        ProblemRepository problems(*w);
        for (int n = 1; n <= 4; ++n) {
            Problem p = makeProblem(n);
            p.reviewStatus = n % 2 ? ReviewStatus::Accepted : ReviewStatus::Unreviewed;
            problems.insert(p);
        }
        Dataset d;
        d.id = QStringLiteral("ds_1");
        d.name = QStringLiteral("Ledger puzzles");
        d.problemIds = {makeProblem(1).id, makeProblem(2).id, makeProblem(3).id};
        d.metadata = {{"generator", "dataset"}, {"job_id", "job_9"}, {"cost", {{"usd", 0}}}};
        DatasetRepository(*w).insert(d);
    }

    test::TempFolder dir;
    QString ws;
};

TEST_F(DatasetsCliTest, ListsSizeCostAndOrigin)
{
    const CliResult text = runCli({QStringLiteral("datasets"), ws});
    ASSERT_EQ(text.code, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("COST"))) << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("free"))) << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("dataset job"))) << text.out.toStdString();

    const CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("datasets"), ws});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    ASSERT_EQ(j["total"], 1);
    EXPECT_EQ(j["datasets"][0]["problems"], 3);
    EXPECT_EQ(j["datasets"][0]["accepted"], 2);
    EXPECT_EQ(j["datasets"][0]["origin"], "dataset job");
}

TEST_F(DatasetsCliTest, RenameAndItsErrors)
{
    const CliResult r = runCli({QStringLiteral("datasets"), QStringLiteral("rename"), ws,
                                QStringLiteral("ds_1"), QStringLiteral("Audit drills")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Renamed dataset ds_1 to \"Audit drills\"")));
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    EXPECT_EQ(DatasetRepository(*w).get(QStringLiteral("ds_1"))->name,
              QStringLiteral("Audit drills"));

    const CliResult missing = runCli({QStringLiteral("datasets"), QStringLiteral("rename"), ws,
                                      QStringLiteral("ds_x"), QStringLiteral("Y")});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("no dataset with id ds_x")))
        << missing.err.toStdString();
    const CliResult empty = runCli({QStringLiteral("datasets"), QStringLiteral("rename"), ws,
                                    QStringLiteral("ds_1"), QStringLiteral(" ")});
    EXPECT_EQ(empty.code, 1);
    EXPECT_TRUE(empty.err.contains(QStringLiteral("must not be empty"))) << empty.err.toStdString();
}

TEST_F(DatasetsCliTest, DeleteKeepsProblemsUnlessAsked)
{
    const CliResult keep =
        runCli({QStringLiteral("datasets"), QStringLiteral("delete"), ws, QStringLiteral("ds_1")});
    ASSERT_EQ(keep.code, 0) << keep.err.toStdString();
    EXPECT_TRUE(keep.out.contains(QStringLiteral("its problems stay")));
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        EXPECT_TRUE(DatasetRepository(*w).list().empty());
        EXPECT_EQ(ProblemRepository(*w).count(), 4);
    }
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadWrite);
        Dataset d;
        d.id = QStringLiteral("ds_2");
        d.name = QStringLiteral("Two");
        d.problemIds = {makeProblem(1).id, makeProblem(2).id};
        DatasetRepository(*w).insert(d);
    }
    const CliResult all =
        runCli({QStringLiteral("--json"), QStringLiteral("datasets"), QStringLiteral("delete"), ws,
                QStringLiteral("ds_2"), QStringLiteral("--with-problems")});
    ASSERT_EQ(all.code, 0) << all.err.toStdString();
    EXPECT_EQ(all.outJson()["problems_deleted"], 2);
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    EXPECT_EQ(ProblemRepository(*w).count(), 2);
}

TEST_F(DatasetsCliTest, ExportOnlyAccepted)
{
    const QString out = dir.file(QStringLiteral("accepted.jsonl"));
    const CliResult r =
        runCli({QStringLiteral("export"), ws, QStringLiteral("--dataset"), QStringLiteral("ds_1"),
                QStringLiteral("--format"), QStringLiteral("hf"), QStringLiteral("--out"), out,
                QStringLiteral("--card"), QStringLiteral("--only-accepted")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 2 problems accepted by a reviewer")))
        << r.out.toStdString();
    const QList<QByteArray> lines = test::readAll(out).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    EXPECT_EQ(json::parse(lines[0].toStdString())["id"], makeProblem(1).id.toStdString());
    EXPECT_EQ(json::parse(lines[1].toStdString())["id"], makeProblem(3).id.toStdString());
    EXPECT_TRUE(QString::fromUtf8(test::readAll(dir.file(QStringLiteral("accepted.md"))))
                    .contains(QStringLiteral("Only the problems a reviewer accepted: 2 of")));

    const CliResult interactions = runCli(
        {QStringLiteral("export"), ws, QStringLiteral("--interactions"), QStringLiteral("--out"),
         dir.file(QStringLiteral("c.jsonl")), QStringLiteral("--only-accepted")});
    EXPECT_EQ(interactions.code, 1);
    EXPECT_TRUE(interactions.err.contains(QStringLiteral("--only-accepted applies to problems")))
        << interactions.err.toStdString();
}

} // namespace
} // namespace crucible::cli
