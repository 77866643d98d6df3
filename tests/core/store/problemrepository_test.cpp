#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

namespace {

class ProblemRepositoryTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("repo.crucible")));
        repo = std::make_unique<ProblemRepository>(*ws);
    }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<ProblemRepository> repo;
};

} // namespace

TEST_F(ProblemRepositoryTest, InsertGetUpdateRemove)
{
    Problem p = makeProblem(7);
    p.sampleData = nlohmann::json{{"k", 1}};
    p.matrixCell[QStringLiteral("size")] = QStringLiteral("large");
    repo->insert(p);
    EXPECT_EQ(repo->get(p.id), p);
    p.statement = QStringLiteral("changed statement");
    repo->update(p);
    EXPECT_EQ(repo->get(p.id)->statement, QStringLiteral("changed statement"));
    EXPECT_TRUE(repo->remove(p.id));
    EXPECT_FALSE(repo->get(p.id));
    EXPECT_FALSE(repo->remove(p.id));
    Problem invalid = makeProblem(8);
    invalid.statement.clear();
    EXPECT_THROW(repo->insert(invalid), ValidationError);
    EXPECT_EQ(repo->count(), 0);
}

TEST_F(ProblemRepositoryTest, FiltersAndFullTextSearch)
{
    std::vector<Problem> batch;
    for (int i = 0; i < 300; ++i)
        batch.push_back(makeProblem(i, i % 2 ? QStringLiteral("odd") : QStringLiteral("even")));
    repo->insertMany(batch);
    EXPECT_EQ(repo->count(), 300);

    ProblemFilter f;
    f.domain = QStringLiteral("odd");
    EXPECT_EQ(repo->count(f), 150);
    f.complexity = Complexity::Simple; // n % 3 == 0 and odd
    EXPECT_EQ(repo->count(f), 50);

    ProblemFilter s;
    s.search = QStringLiteral("seven widgets");
    EXPECT_EQ(repo->count(s), 30);    // n % 10 == 7
    s.search = QStringLiteral("sev"); // prefix of the word being typed
    EXPECT_EQ(repo->count(s), 30);
    s.search = QStringLiteral("A17 "); // constraints are indexed too; a finished word is exact
    EXPECT_EQ(repo->count(s), 1);
    s.search = QStringLiteral("A17"); // the word being typed matches as a prefix: A17, A170..A179
    EXPECT_EQ(repo->count(s), 11);
    s.search = QStringLiteral("\"); DROP TABLE problems; --"); // hostile input is just words
    EXPECT_EQ(repo->count(s), 0);
    s.search = QStringLiteral("((**");
    EXPECT_EQ(repo->count(s), 0);
    EXPECT_EQ(repo->count(), 300);

    // Updates and deletes keep the index in sync.
    Problem p = *repo->get(makeProblem(17).id);
    p.statement = QStringLiteral("now about gizmos");
    repo->update(p);
    s.search = QStringLiteral("gizmos");
    EXPECT_EQ(repo->count(s), 1);
    repo->remove(p.id);
    EXPECT_EQ(repo->count(s), 0);
}

TEST_F(ProblemRepositoryTest, KeysetAndOffsetPagingAgree)
{
    std::vector<Problem> batch;
    for (int i = 0; i < 1000; ++i)
        batch.push_back(makeProblem(i));
    repo->insertMany(batch);
    ProblemFilter f;
    f.complexity = Complexity::Medium;
    const qint64 total = repo->count(f);
    std::vector<QString> keyset;
    qint64 after = 0;
    for (;;) {
        const auto page = repo->pageAfter(f, after, 97);
        for (const auto &s : page)
            keyset.push_back(s.id);
        if (page.size() < 97)
            break;
        after = page.back().seq;
    }
    ASSERT_EQ(static_cast<qint64>(keyset.size()), total);
    const auto middle = repo->page(f, 150, 10);
    ASSERT_EQ(middle.size(), 10u);
    for (size_t i = 0; i < middle.size(); ++i)
        EXPECT_EQ(middle[i].id, keyset[150 + i]);
    EXPECT_EQ(middle[0].complexity, Complexity::Medium);
}

TEST_F(ProblemRepositoryTest, LineageThroughRecursiveQueries)
{
    // root -> a -> b -> c, root -> d; e is unrelated
    auto make = [&](int n, const QString &base) {
        Problem p = makeProblem(n);
        p.baseProblemId = base;
        p.origin = base.isEmpty() ? ProblemOrigin::Seed : ProblemOrigin::Variation;
        repo->insert(p);
        return p.id;
    };
    const QString root = make(1, {});
    const QString a = make(2, root);
    const QString b = make(3, a);
    const QString c = make(4, b);
    const QString d = make(5, root);
    make(6, {});

    const auto up = repo->ancestors(c);
    ASSERT_EQ(up.size(), 3u);
    EXPECT_EQ(up[0].problem.id, b);
    EXPECT_EQ(up[0].depth, 1);
    EXPECT_EQ(up[2].problem.id, root);
    EXPECT_EQ(up[2].depth, 3);

    const auto down = repo->descendants(root);
    ASSERT_EQ(down.size(), 4u);
    EXPECT_EQ(down[0].problem.id, a);
    EXPECT_EQ(down[1].problem.id, d);
    EXPECT_EQ(down[3].problem.id, c);
    EXPECT_EQ(down[3].depth, 3);
    EXPECT_EQ(repo->descendants(root, 1).size(), 2u);
    EXPECT_TRUE(repo->ancestors(root).empty());

    // A cycle (possible with imported data) terminates.
    Problem rootProblem = *repo->get(root);
    rootProblem.baseProblemId = c;
    repo->update(rootProblem);
    EXPECT_EQ(repo->ancestors(c).size(), 3u);
    EXPECT_EQ(repo->descendants(root).size(), 4u);
}

TEST_F(ProblemRepositoryTest, DatasetMembersKeepOrder)
{
    for (int i = 0; i < 5; ++i)
        repo->insert(makeProblem(i));
    Dataset d;
    d.id = QStringLiteral("ds_1");
    d.name = QStringLiteral("Five");
    d.problemIds = {makeProblem(3).id, makeProblem(0).id, makeProblem(4).id};
    DatasetRepository datasets(*ws);
    datasets.insert(d);
    EXPECT_EQ(datasets.get(d.id)->problemIds, d.problemIds);
    EXPECT_EQ(datasets.memberCount(d.id), 3);
    ProblemFilter f;
    f.datasetId = d.id;
    const auto page = repo->pageAfter(f, 0, 10);
    ASSERT_EQ(page.size(), 3u);
    EXPECT_EQ(page[0].id, makeProblem(3).id);
    EXPECT_EQ(page[2].id, makeProblem(4).id);

    Dataset bad;
    bad.id = QStringLiteral("ds_2");
    bad.name = QStringLiteral("Dangling");
    bad.problemIds = {QStringLiteral("prb_missing")};
    EXPECT_THROW(datasets.insert(bad), WorkspaceError);
    EXPECT_FALSE(datasets.get(bad.id)); // rolled back
    EXPECT_EQ(datasets.list().size(), 1u);
}

TEST_F(ProblemRepositoryTest, ReviewStatusJobAndTagFilters)
{
    Problem a = makeProblem(1);
    a.tags = {QStringLiteral("icu"), QStringLiteral("night")};
    a.metadata["job_id"] = "job_abc";
    Problem b = makeProblem(2);
    b.tags = {QStringLiteral("icu-overflow")};
    b.reviewStatus = ReviewStatus::Accepted;
    b.reviewNote = QStringLiteral("clear and realistic");
    Problem c = makeProblem(3);
    c.reviewStatus = ReviewStatus::Rejected;
    repo->insertMany({a, b, c});

    EXPECT_EQ(repo->get(b.id)->reviewStatus, ReviewStatus::Accepted);
    EXPECT_EQ(repo->get(b.id)->reviewNote, QStringLiteral("clear and realistic"));
    EXPECT_EQ(repo->get(a.id)->jobId(), QStringLiteral("job_abc"));

    ProblemFilter accepted;
    accepted.reviewStatus = ReviewStatus::Accepted;
    EXPECT_EQ(repo->count(accepted), 1);
    ProblemFilter unreviewed;
    unreviewed.reviewStatus = ReviewStatus::Unreviewed;
    EXPECT_EQ(repo->count(unreviewed), 1);

    // A tag matches exactly, not as a substring of another tag.
    ProblemFilter icu;
    icu.tag = QStringLiteral("icu");
    const auto page = repo->pageAfter(icu, 0, 10);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].id, a.id);
    EXPECT_EQ(page[0].tags, a.tags);
    EXPECT_EQ(page[0].jobId, QStringLiteral("job_abc"));

    ProblemFilter job;
    job.jobId = QStringLiteral("job_abc");
    EXPECT_EQ(repo->count(job), 1);
    EXPECT_FALSE(job.isEmpty());

    // A review is an update like any other; the verdict sticks and search still works.
    c.reviewStatus = ReviewStatus::Accepted;
    c.reviewNote = QStringLiteral("fixed the units");
    repo->update(c);
    EXPECT_EQ(repo->count(accepted), 2);
    ProblemFilter search;
    search.search = c.statement.section(u' ', 0, 0);
    EXPECT_GE(repo->count(search), 1);
}

TEST(ProblemModel, ReviewTravelsInJsonOnlyWhenSet)
{
    Problem p = makeProblem(4);
    EXPECT_FALSE(p.toJson().contains("review_status"));
    p.reviewStatus = ReviewStatus::Rejected;
    p.reviewNote = QStringLiteral("duplicate of #3");
    const Problem back = Problem::fromJson(p.toJson());
    EXPECT_EQ(back.reviewStatus, ReviewStatus::Rejected);
    EXPECT_EQ(back.reviewNote, QStringLiteral("duplicate of #3"));
    nlohmann::json bad = p.toJson();
    bad["review_status"] = "maybe";
    EXPECT_THROW(Problem::fromJson(bad), ValidationError);
}
