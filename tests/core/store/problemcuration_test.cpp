// Sorted keyset paging, selections and curation writes of ProblemRepository.
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>
#include <algorithm>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

namespace {

constexpr int kCount = 600;

class ProblemCurationTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("curation.crucible")));
        repo = std::make_unique<ProblemRepository>(*ws);
        std::vector<Problem> problems;
        const QStringList domains = {QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c"),
                                     QStringLiteral("a")};
        for (int i = 0; i < kCount; ++i) {
            Problem p = makeProblem(i, domains[(i * 7) % 4]);
            p.complexity = static_cast<Complexity>((i * 5) % 3);
            p.origin = static_cast<ProblemOrigin>(i % 4);
            p.reviewStatus = static_cast<ReviewStatus>((i / 3) % 3);
            // Many equal timestamps: the seq must break the ties.
            p.createdAt = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs((i * 37) % 50);
            p.tags = i % 5 == 0 ? QStringList{QStringLiteral("five")} : QStringList{};
            if (i % 10 == 0)
                p.metadata = {{"job_id", i % 20 == 0 ? "job_a" : "job_b"}};
            problems.push_back(p);
        }
        repo->insertMany(problems);
    }

    // Every row in the sort's order, by paging from the start with a small page.
    std::vector<ProblemSummary> pageAll(const ProblemFilter &f, const ProblemSort &sort)
    {
        std::vector<ProblemSummary> all;
        const ProblemSummary *last = nullptr;
        for (;;) {
            auto page = repo->pageAfter(f, sort, last, 37);
            if (page.empty())
                break;
            all.insert(all.end(), page.begin(), page.end());
            last = &all.back();
            if (page.size() < 37)
                break;
        }
        return all;
    }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<ProblemRepository> repo;
};

QString keyOf(const ProblemSummary &s, ProblemSort::Column c)
{
    switch (c) {
    case ProblemSort::Column::Id:
        return s.id;
    case ProblemSort::Column::Domain:
        return s.domain;
    case ProblemSort::Column::Complexity:
        return QString::number(static_cast<int>(s.complexity)); // by level
    case ProblemSort::Column::Origin:
        return toString(s.origin);
    case ProblemSort::Column::Review:
        return toString(s.reviewStatus);
    case ProblemSort::Column::Created:
        return jsonio::formatTimestamp(s.createdAt);
    case ProblemSort::Column::Insertion:
        break;
    }
    return {};
}

} // namespace

TEST_F(ProblemCurationTest, ColumnSortsPageInOrderWithTheSeqBreakingTies)
{
    const auto reference = pageAll({}, {});
    ASSERT_EQ(reference.size(), static_cast<size_t>(kCount));
    for (const auto column :
         {ProblemSort::Column::Id, ProblemSort::Column::Domain, ProblemSort::Column::Complexity,
          ProblemSort::Column::Origin, ProblemSort::Column::Review, ProblemSort::Column::Created}) {
        for (const bool descending : {false, true}) {
            const ProblemSort sort{column, descending};
            // Complexity is stored by name, which sorts backwards: its ties run backwards too.
            const bool tiesDescending = descending != (column == ProblemSort::Column::Complexity);
            auto expected = reference;
            std::stable_sort(expected.begin(), expected.end(),
                             [&](const ProblemSummary &a, const ProblemSummary &b) {
                                 const QString ka = keyOf(a, column), kb = keyOf(b, column);
                                 if (ka != kb)
                                     return descending ? kb < ka : ka < kb;
                                 return tiesDescending ? b.seq < a.seq : a.seq < b.seq;
                             });
            const auto got = pageAll({}, sort);
            ASSERT_EQ(got.size(), expected.size());
            for (size_t i = 0; i < got.size(); ++i)
                ASSERT_EQ(got[i].id, expected[i].id) << "column " << static_cast<int>(column)
                                                     << " desc " << descending << " row " << i;
            // A jump lands on the same rows as paging there.
            for (const qint64 offset : {0, 1, 36, 37, 299, 598}) {
                const auto page = repo->page({}, sort, offset, 5);
                ASSERT_FALSE(page.empty());
                EXPECT_EQ(page.front().id, expected[static_cast<size_t>(offset)].id);
                const QStringList ids = repo->idsAt({}, sort, offset, 3);
                ASSERT_EQ(ids.size(), std::min<qint64>(3, kCount - offset));
                EXPECT_EQ(ids.front(), expected[static_cast<size_t>(offset)].id);
            }
        }
    }
}

TEST_F(ProblemCurationTest, SortedPagesHonourFiltersAndSearch)
{
    ProblemFilter f;
    f.domain = QStringLiteral("a");
    f.search = QStringLiteral("problem");
    const auto rows = pageAll(f, {ProblemSort::Column::Created, true});
    EXPECT_EQ(static_cast<qint64>(rows.size()), repo->count(f));
    for (size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].domain, QStringLiteral("a"));
        EXPECT_GE(rows[i - 1].createdAt, rows[i].createdAt);
    }
    EXPECT_EQ(repo->idsAt(f, {}, 0, 1000).size(), repo->count(f));
}

TEST_F(ProblemCurationTest, ColumnSortsUseIndexes)
{
    for (const QString &column : {QStringLiteral("created_at"), QStringLiteral("domain"),
                                  QStringLiteral("review_status")}) {
        QSqlQuery q = ws->exec(
            QStringLiteral("EXPLAIN QUERY PLAN SELECT p.id FROM problems p WHERE (p.%1, p.seq) > "
                           "('x', 5) ORDER BY p.%1, p.seq LIMIT 10")
                .arg(column));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + u'\n';
        EXPECT_TRUE(plan.contains(QStringLiteral("INDEX"))) << plan.toStdString();
        EXPECT_FALSE(plan.contains(QStringLiteral("TEMP B-TREE"))) << plan.toStdString();
    }
}

TEST_F(ProblemCurationTest, DeleteAndRestoreBringsBackRowsPlacesAndMemberships)
{
    const QStringList ids = {makeProblem(3).id, makeProblem(4).id, makeProblem(10).id};
    Dataset d;
    d.id = QStringLiteral("ds_1");
    d.name = QStringLiteral("one");
    d.problemIds = {makeProblem(1).id, makeProblem(3).id, makeProblem(2).id, makeProblem(10).id};
    DatasetRepository(*ws).insert(d);
    std::vector<Problem> before;
    for (const QString &id : ids) {
        Problem p = *repo->get(id);
        p.reviewStatus = ReviewStatus::Rejected;
        p.reviewNote = QStringLiteral("too easy");
        repo->update(p);
        before.push_back(p);
    }
    const auto orderBefore = pageAll({}, {});

    const ProblemSnapshot snapshot = repo->snapshot(ids);
    ASSERT_EQ(snapshot.problems.size(), 3u);
    ASSERT_EQ(snapshot.memberships.size(), 2u);
    EXPECT_EQ(repo->removeMany(ids), 3);
    EXPECT_EQ(repo->count(), kCount - 3);
    EXPECT_EQ(DatasetRepository(*ws).get(d.id)->problemIds,
              (QStringList{makeProblem(1).id, makeProblem(2).id}));

    repo->restore(snapshot);
    for (const Problem &p : before)
        EXPECT_EQ(repo->get(p.id), p);
    const auto orderAfter = pageAll({}, {});
    ASSERT_EQ(orderAfter.size(), orderBefore.size());
    for (size_t i = 0; i < orderAfter.size(); ++i)
        EXPECT_EQ(orderAfter[i].seq, orderBefore[i].seq);
    EXPECT_EQ(DatasetRepository(*ws).get(d.id)->problemIds, d.problemIds);
    ProblemFilter search;
    search.search = QStringLiteral("problem");
    EXPECT_EQ(repo->count(search), kCount) << "the full-text index has the restored rows";
}

TEST_F(ProblemCurationTest, CurationStatesWriteOnlyTheirFields)
{
    const QStringList ids = {makeProblem(0).id, makeProblem(1).id};
    auto states = repo->curationStates(ids);
    ASSERT_EQ(states.size(), 2u);
    for (CurationState &s : states) {
        s.tags << QStringLiteral("zzfresh");
        s.complexity = Complexity::Complex;
        s.reviewStatus = ReviewStatus::Accepted;
        s.reviewNote = QStringLiteral("fine");
    }
    repo->writeCurationStates(states, ProblemRepository::ReviewField);
    Problem p0 = *repo->get(ids[0]);
    EXPECT_EQ(p0.reviewStatus, ReviewStatus::Accepted);
    EXPECT_EQ(p0.reviewNote, QStringLiteral("fine"));
    EXPECT_FALSE(p0.tags.contains(QStringLiteral("zzfresh")));
    ProblemFilter byTag;
    byTag.search = QStringLiteral("zzfresh");
    EXPECT_EQ(repo->count(byTag), 0);

    repo->writeCurationStates(states,
                              ProblemRepository::TagsField | ProblemRepository::ComplexityField);
    p0 = *repo->get(ids[0]);
    EXPECT_TRUE(p0.tags.contains(QStringLiteral("zzfresh")));
    EXPECT_EQ(p0.complexity, Complexity::Complex);
    EXPECT_EQ(repo->count(byTag), 2) << "tags are searchable right after the change";
    ProblemFilter tag;
    tag.tag = QStringLiteral("zzfresh");
    EXPECT_EQ(repo->count(tag), 2);
}

TEST_F(ProblemCurationTest, DatasetMembershipsAppendSkipAndRestore)
{
    Dataset d;
    d.id = QStringLiteral("ds_2");
    d.name = QStringLiteral("two");
    d.problemIds = {makeProblem(5).id};
    DatasetRepository(*ws).insert(d);
    const QStringList added =
        repo->addToDataset(d.id, {makeProblem(7).id, makeProblem(5).id, makeProblem(6).id});
    EXPECT_EQ(added, (QStringList{makeProblem(7).id, makeProblem(6).id}));
    EXPECT_EQ(DatasetRepository(*ws).get(d.id)->problemIds,
              (QStringList{makeProblem(5).id, makeProblem(7).id, makeProblem(6).id}));

    const auto removed = repo->memberships({makeProblem(5).id, makeProblem(6).id}, d.id);
    ASSERT_EQ(removed.size(), 2u);
    repo->removeMemberships(removed);
    EXPECT_EQ(DatasetRepository(*ws).get(d.id)->problemIds, (QStringList{makeProblem(7).id}));
    repo->restoreMemberships(removed);
    EXPECT_EQ(DatasetRepository(*ws).get(d.id)->problemIds,
              (QStringList{makeProblem(5).id, makeProblem(7).id, makeProblem(6).id}));
}

TEST_F(ProblemCurationTest, FilterChoicesAndMatches)
{
    const FilterChoices choices = repo->filterChoices();
    ASSERT_EQ(choices.jobs.size(), 2u);
    EXPECT_EQ(choices.jobs[0].second + choices.jobs[1].second, kCount / 10);
    ASSERT_FALSE(choices.tags.empty());
    EXPECT_EQ(choices.tags[0].first, QStringLiteral("five"));
    EXPECT_EQ(choices.tags[0].second, kCount / 5);

    ProblemFilter f;
    f.jobId = QStringLiteral("job_a");
    EXPECT_TRUE(repo->matches(f, makeProblem(20).id));
    EXPECT_FALSE(repo->matches(f, makeProblem(10).id));
    EXPECT_TRUE(repo->matches({}, makeProblem(10).id));
    EXPECT_FALSE(repo->matches({}, QStringLiteral("nope")));
}
