// DatasetRepository: rename, delete with and without the member problems, and the summaries the
// Datasets panel lists (size, complexity mix, review counts, origin, cost).

#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;

namespace {

class DatasetRepositoryTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("ds.crucible")));
        ProblemRepository problems(*ws);
        for (int n = 1; n <= 6; ++n) {
            Problem p = makeProblem(n);
            p.complexity = static_cast<Complexity>(n % 3);
            p.reviewStatus = n <= 2 ? ReviewStatus::Accepted : ReviewStatus::Unreviewed;
            problems.insert(p);
        }
    }

    Dataset add(const QString &id, const QList<int> &members, const json &metadata = json::object())
    {
        Dataset d;
        d.id = id;
        d.name = QStringLiteral("Set ") + id;
        for (int n : members)
            d.problemIds << makeProblem(n).id;
        d.metadata = metadata;
        DatasetRepository(*ws).insert(d);
        return d;
    }

    const DatasetSummary &summary(const std::vector<DatasetSummary> &all, const QString &id)
    {
        for (const DatasetSummary &s : all)
            if (s.dataset.id == id)
                return s;
        static const DatasetSummary none;
        ADD_FAILURE() << "no summary for " << id.toStdString();
        return none;
    }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
};

} // namespace

TEST_F(DatasetRepositoryTest, RenameChangesOnlyTheName)
{
    add(QStringLiteral("ds_a"), {1, 2});
    DatasetRepository repo(*ws);
    EXPECT_TRUE(repo.rename(QStringLiteral("ds_a"), QStringLiteral("  Ledger   puzzles ")));
    const auto d = repo.get(QStringLiteral("ds_a"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->name, QStringLiteral("Ledger puzzles"));
    EXPECT_EQ(d->problemIds, (QStringList{makeProblem(1).id, makeProblem(2).id}));
    EXPECT_FALSE(repo.rename(QStringLiteral("ds_missing"), QStringLiteral("x")));
    EXPECT_THROW(repo.rename(QStringLiteral("ds_a"), QStringLiteral("   ")), ValidationError);
    EXPECT_EQ(repo.get(QStringLiteral("ds_a"))->name, QStringLiteral("Ledger puzzles"));
}

TEST_F(DatasetRepositoryTest, DeleteKeepsTheProblemsByDefault)
{
    add(QStringLiteral("ds_a"), {1, 2, 3});
    DatasetRepository repo(*ws);
    const DatasetRemoval r = repo.remove(QStringLiteral("ds_a"), false);
    EXPECT_TRUE(r.removed);
    EXPECT_EQ(r.problemsDeleted, 0);
    EXPECT_FALSE(repo.get(QStringLiteral("ds_a")));
    EXPECT_EQ(ProblemRepository(*ws).count(), 6);
    EXPECT_FALSE(repo.remove(QStringLiteral("ds_a"), false).removed);
}

TEST_F(DatasetRepositoryTest, DeleteWithMembersKeepsThoseOfAnotherDataset)
{
    add(QStringLiteral("ds_a"), {1, 2, 3});
    add(QStringLiteral("ds_b"), {3, 4});
    DatasetRepository repo(*ws);
    const DatasetRemoval r = repo.remove(QStringLiteral("ds_a"), true);
    EXPECT_TRUE(r.removed);
    EXPECT_EQ(r.problemsDeleted, 2);
    EXPECT_EQ(r.problemsKept, 1);
    ProblemRepository problems(*ws);
    EXPECT_FALSE(problems.contains(makeProblem(1).id));
    EXPECT_FALSE(problems.contains(makeProblem(2).id));
    EXPECT_TRUE(problems.contains(makeProblem(3).id));
    EXPECT_EQ(problems.count(), 4);
    EXPECT_EQ(repo.get(QStringLiteral("ds_b"))->problemIds,
              (QStringList{makeProblem(3).id, makeProblem(4).id}));
    // Full-text search no longer finds the deleted problems.
    ProblemFilter f;
    f.search = QStringLiteral("one");
    EXPECT_EQ(problems.count(f), 0);
}

TEST_F(DatasetRepositoryTest, DeleteOfAMissingDatasetDeletesNothing)
{
    const DatasetRemoval r = DatasetRepository(*ws).remove(QStringLiteral("ds_none"), true);
    EXPECT_FALSE(r.removed);
    EXPECT_EQ(r.problemsDeleted, 0);
    EXPECT_EQ(ProblemRepository(*ws).count(), 6);
}

TEST_F(DatasetRepositoryTest, SummariesCountMixReviewsOriginAndCost)
{
    // A job's dataset with its recorded cost; an unpriced job; an import; members with costs.
    add(QStringLiteral("ds_job"), {1, 2, 3},
        {{"generator", "dataset"}, {"job_id", "job_1"}, {"cost", {{"usd", 0.25}, {"calls", 4}}}});
    add(QStringLiteral("ds_unpriced"), {4},
        {{"generator", "matrix"}, {"cost", {{"usd", nullptr}, {"calls", 3}}}});
    add(QStringLiteral("ds_import"), {5, 6}, {{"source", "mine.csv"}, {"skipped", 0}});
    ProblemRepository problems(*ws);
    Problem p = *problems.get(makeProblem(5).id);
    p.metadata = {{"cost_usd", 0.5}, {"call_ids", {"c1"}}};
    problems.update(p);
    Problem q = *problems.get(makeProblem(6).id);
    q.metadata = {{"call_ids", {"c2"}}}; // made by a model without a price
    problems.update(q);
    add(QStringLiteral("ds_manual"), {1});
    add(QStringLiteral("ds_empty"), {});

    const auto all = DatasetRepository(*ws).summaries();
    ASSERT_EQ(all.size(), 5u);

    const DatasetSummary &job = summary(all, QStringLiteral("ds_job"));
    EXPECT_EQ(job.size, 3);
    EXPECT_EQ(job.complexityCounts.at(Complexity::Medium), 1); // 1 % 3 = 1
    EXPECT_EQ(job.complexityCounts.at(Complexity::Complex), 1);
    EXPECT_EQ(job.complexityCounts.at(Complexity::Simple), 1);
    EXPECT_EQ(job.reviewCounts.at(ReviewStatus::Accepted), 2);
    EXPECT_EQ(job.origin, DatasetOrigin::Job);
    EXPECT_EQ(job.generator, QStringLiteral("dataset"));
    EXPECT_EQ(job.jobId, QStringLiteral("job_1"));
    EXPECT_TRUE(job.costFromJob);
    EXPECT_DOUBLE_EQ(job.usd, 0.25);
    EXPECT_EQ(job.unpriced, 0);

    const DatasetSummary &unpriced = summary(all, QStringLiteral("ds_unpriced"));
    EXPECT_EQ(unpriced.origin, DatasetOrigin::Job);
    EXPECT_EQ(unpriced.generator, QStringLiteral("matrix"));
    EXPECT_EQ(unpriced.unpriced, 3);

    const DatasetSummary &imported = summary(all, QStringLiteral("ds_import"));
    EXPECT_EQ(imported.origin, DatasetOrigin::Import);
    EXPECT_EQ(imported.source, QStringLiteral("mine.csv"));
    EXPECT_FALSE(imported.costFromJob);
    EXPECT_DOUBLE_EQ(imported.usd, 0.5);
    EXPECT_EQ(imported.unpriced, 1);

    const DatasetSummary &manual = summary(all, QStringLiteral("ds_manual"));
    EXPECT_EQ(manual.origin, DatasetOrigin::Manual);
    EXPECT_EQ(manual.usd, 0);
    EXPECT_EQ(manual.unpriced, 0);

    const DatasetSummary &empty = summary(all, QStringLiteral("ds_empty"));
    EXPECT_EQ(empty.size, 0);
    EXPECT_TRUE(empty.complexityCounts.empty());
}
