#include "ui/models/problemtablemodel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

constexpr int kProblems = 2000;

class ProblemTableModelTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite() { s_data = new TempWorkspace(kProblems); }
    static void TearDownTestSuite()
    {
        delete s_data;
        s_data = nullptr;
    }
    void SetUp() override { m_ws = Workspace::open(s_data->path, Workspace::Mode::ReadOnly); }

    QString idAt(const ProblemTableModel &model, int row) const
    {
        return model.data(model.index(row, ProblemTableModel::IdColumn), ProblemTableModel::IdRole)
            .toString();
    }

    static TempWorkspace *s_data;
    std::unique_ptr<Workspace> m_ws;
};

TempWorkspace *ProblemTableModelTest::s_data = nullptr;

TEST_F(ProblemTableModelTest, PassesModelTesterThroughResets)
{
    ProblemTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    EXPECT_EQ(model.rowCount(), kProblems);
    EXPECT_EQ(model.columnCount(), ProblemTableModel::ColumnCount);

    ProblemFilter filter;
    filter.domain = QStringLiteral("health");
    model.setFilter(filter);
    filter.search = QStringLiteral("zebra");
    model.setFilter(filter);
    model.setWorkspace(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.data(model.index(0, 0)).isValid());
}

TEST_F(ProblemTableModelTest, FiltersAndSearchChangeTheCount)
{
    ProblemTableModel model;
    model.setWorkspace(m_ws.get());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    ProblemFilter filter;
    filter.domain = QStringLiteral("finance"); // i % 3 == 0
    model.setFilter(filter);
    EXPECT_EQ(model.rowCount(), 667);

    filter.search = QStringLiteral("zebra"); // i % 30 == 0 among these
    model.setFilter(filter);
    EXPECT_EQ(model.rowCount(), 67);

    filter = {};
    filter.search = QStringLiteral("zeb"); // the last word matches as a prefix
    model.setFilter(filter);
    EXPECT_EQ(model.rowCount(), 200);

    filter = {};
    filter.complexity = Complexity::Complex;
    filter.origin = ProblemOrigin::Variation;
    model.setFilter(filter);
    EXPECT_EQ(model.rowCount(), ProblemRepository(*m_ws).count(filter));
    EXPECT_GT(model.rowCount(), 0);
    EXPECT_EQ(resets.count(), 4);

    filter = {};
    filter.search = QStringLiteral("nosuchwordanywhere");
    model.setFilter(filter);
    EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(ProblemTableModelTest, RowsFarApartMatchRepositoryOrder)
{
    const ProblemRepository repo(*m_ws);
    for (const QString &domain : {QString(), QStringLiteral("logistics")}) {
        ProblemFilter filter;
        filter.domain = domain;
        ProblemTableModel model;
        model.setWorkspace(m_ws.get());
        model.setFilter(filter);
        const int rows = model.rowCount();
        ASSERT_GT(rows, 600);
        // Jumps in both directions, page boundaries, the last row.
        for (int row : {rows - 1, 0, 511, 255, 256, 257, rows / 2, 1, rows - 2, 300}) {
            const auto expected = repo.page(filter, row, 1);
            ASSERT_EQ(expected.size(), 1u) << row;
            EXPECT_EQ(idAt(model, row), expected.front().id) << "row " << row;
            EXPECT_EQ(model.data(model.index(row, ProblemTableModel::DomainColumn)).toString(),
                      expected.front().domain);
            EXPECT_EQ(model.data(model.index(row, ProblemTableModel::ComplexityColumn)).toString(),
                      toString(expected.front().complexity));
        }
    }
}

TEST_F(ProblemTableModelTest, StatementIsOneLineAndIdRoleIsTheId)
{
    ProblemTableModel model;
    model.setWorkspace(m_ws.get());
    const QString statement =
        model.data(model.index(10, ProblemTableModel::StatementColumn)).toString();
    EXPECT_FALSE(statement.contains(QLatin1Char('\n')));
    EXPECT_EQ(statement, QStringLiteral("Problem number 10 about widgets. A zebra crossing is "
                                        "involved.")); // Markdown markers dropped
    EXPECT_EQ(model.data(model.index(10, ProblemTableModel::IdColumn)).toString(),
              makeProblem(10).id);
    EXPECT_EQ(
        model.data(model.index(10, ProblemTableModel::StatementColumn), ProblemTableModel::IdRole),
        makeProblem(10).id);
    EXPECT_EQ(model.headerData(ProblemTableModel::CreatedColumn, Qt::Horizontal).toString(),
              QStringLiteral("Created"));
}

TEST_F(ProblemTableModelTest, ScrollingEverythingKeepsTheCacheBoundedAndUsesKeysets)
{
    ProblemTableModel model;
    model.setWorkspace(m_ws.get());
    model.setMaxCachedPages(3);

    std::vector<ProblemSummary> all;
    const ProblemRepository repo(*m_ws);
    qint64 after = 0;
    for (;;) {
        auto page = repo.pageAfter({}, after, 500);
        if (page.empty())
            break;
        after = page.back().seq;
        all.insert(all.end(), page.begin(), page.end());
    }
    ASSERT_EQ(static_cast<int>(all.size()), kProblems);

    for (int row = 0; row < model.rowCount(); ++row) {
        ASSERT_EQ(idAt(model, row), all[static_cast<size_t>(row)].id) << "row " << row;
        ASSERT_LE(model.cachedPageCount(), 3);
    }
    const int pages = (kProblems + ProblemTableModel::kPageSize - 1) / ProblemTableModel::kPageSize;
    EXPECT_EQ(model.fetchStats().offset, 1); // only the first page
    EXPECT_EQ(model.fetchStats().keyset, pages - 1);

    // Scrolling back up: evicted pages come back correctly.
    for (int row = model.rowCount() - 1; row >= 0; row -= 97)
        ASSERT_EQ(idAt(model, row), all[static_cast<size_t>(row)].id) << "row " << row;
    EXPECT_LE(model.cachedPageCount(), 3);
}

TEST_F(ProblemTableModelTest, CachedRowLookup)
{
    ProblemTableModel model;
    model.setWorkspace(m_ws.get());
    EXPECT_EQ(model.cachedRowOf(makeProblem(3).id), -1); // nothing loaded yet
    EXPECT_EQ(model.problemIdAt(3), makeProblem(3).id);
    EXPECT_EQ(model.cachedRowOf(makeProblem(3).id), 3);
    EXPECT_EQ(model.cachedRowOf(makeProblem(1999).id), -1);
    EXPECT_TRUE(model.problemIdAt(kProblems).isEmpty());
}

} // namespace
