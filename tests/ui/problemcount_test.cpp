// Counts and pages off the GUI thread: a count or a page over the budget is finished by a worker
// with its own connection, arrives asynchronously and is correct; a count or a page for a filter
// that has since changed never overwrites the newer one; the Problems panel says "Counting…" and
// stays usable meanwhile.

#include "core/store/stoppablequeries.h"
#include "ui/models/problemcounter.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/problems/problemfilterbar.h"
#include "ui/problemspanel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

constexpr int kProblems = 3000;

class ProblemCountTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite() { s_data = new TempWorkspace(kProblems); }
    static void TearDownTestSuite()
    {
        delete s_data;
        s_data = nullptr;
    }
    void SetUp() override { m_ws = Workspace::open(s_data->path, Workspace::Mode::ReadOnly); }

    qint64 countNow(const ProblemFilter &filter) const
    {
        return ProblemRepository(*m_ws).count(filter);
    }

    static ProblemFilter domain(const QString &name)
    {
        ProblemFilter f;
        f.domain = name;
        return f;
    }

    static TempWorkspace *s_data;
    std::unique_ptr<Workspace> m_ws;
};

TempWorkspace *ProblemCountTest::s_data = nullptr;

TEST_F(ProblemCountTest, CountWhileGivesUpWhenAskedAndTheConnectionStaysUsable)
{
    const ProblemFilter filter = domain(QStringLiteral("logistics"));
    int checks = 0;
    const auto stopped = stoppable::countWhile(*m_ws, filter, [&checks] {
        ++checks;
        return false;
    });
    EXPECT_FALSE(stopped.has_value()) << "a count over ~1,000 rows takes more than one check";
    EXPECT_EQ(checks, 1);
    // The handler is gone and the connection answers the next query in full.
    EXPECT_EQ(countNow(filter), kProblems / 3);
    const auto full = stoppable::countWhile(*m_ws, filter, [] { return true; });
    ASSERT_TRUE(full.has_value());
    EXPECT_EQ(*full, kProblems / 3);
}

TEST_F(ProblemCountTest, SmallCountsStayOnTheGuiThreadWithinTheBudget)
{
    ProblemTableModel model;
    model.setWorkspace(m_ws.get());
    model.setFilter(domain(QStringLiteral("finance")));
    EXPECT_FALSE(model.isCounting()) << "3,000 problems fit the default budget";
    EXPECT_EQ(model.rowCount(), kProblems / 3);

    // Treated as a large workspace: a domain still fits the budget, a full-text search (whose
    // work no budget can interrupt) goes to the worker at once.
    model.setSmallWorkspace(100);
    model.setFilter(domain(QStringLiteral("health")));
    EXPECT_FALSE(model.isCounting());
    EXPECT_EQ(model.rowCount(), kProblems / 3);
    ProblemFilter zebra;
    zebra.search = QStringLiteral("zebra");
    QSignalSpy finished(&model, &ProblemTableModel::countFinished);
    model.setFilter(zebra);
    EXPECT_TRUE(model.isCounting());
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(model.rowCount(), kProblems / 10);
    // Its pages come from the worker too.
    EXPECT_TRUE(model.index(0, ProblemTableModel::StatementColumn).data().toString() ==
                QStringLiteral("Loading…"));
}

TEST_F(ProblemCountTest, ACountOverTheBudgetArrivesAsynchronouslyAndIsCorrect)
{
    ProblemTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    ASSERT_EQ(model.rowCount(), kProblems);
    // A budget smaller than one domain's index range: the count has to go to the worker.
    model.setSmallWorkspace(0);
    model.setCountBudget(2000);
    QSignalSpy finished(&model, &ProblemTableModel::countFinished);
    QSignalSpy counting(&model, &ProblemTableModel::countingChanged);
    ProblemFilter filter = domain(QStringLiteral("health"));
    filter.complexity = Complexity::Complex;
    model.setFilter(filter);
    EXPECT_TRUE(model.isCounting());
    EXPECT_EQ(model.rowCount(), 0) << "no rows of the previous filter while counting";
    ASSERT_EQ(counting.count(), 1);
    EXPECT_TRUE(counting.at(0).at(0).toBool());

    ASSERT_TRUE(finished.wait(10000));
    EXPECT_FALSE(model.isCounting());
    EXPECT_EQ(finished.at(0).at(0).toLongLong(), countNow(filter));
    EXPECT_EQ(model.rowCount(), countNow(filter));
    EXPECT_EQ(model.rowCount(), kProblems / 3);
    // The rows are there: every one matches the filter.
    for (int row : {0, model.rowCount() / 2, model.rowCount() - 1}) {
        EXPECT_EQ(model.index(row, ProblemTableModel::DomainColumn).data().toString(),
                  QStringLiteral("health"));
        EXPECT_EQ(model.index(row, ProblemTableModel::ComplexityColumn).data().toString(),
                  QStringLiteral("complex"));
    }
}

TEST_F(ProblemCountTest, AStaleCountNeverOverwritesTheNewerOne)
{
    ProblemTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    model.setCountBudget(0); // every count on the worker
    QSignalSpy finished(&model, &ProblemTableModel::countFinished);

    // The first filter changes before its count can return (answers arrive through the event
    // loop, which has not run yet); then a search matching every tenth problem.
    model.setFilter(domain(QStringLiteral("finance")));
    ASSERT_TRUE(model.isCounting());
    ProblemFilter zebra;
    zebra.search = QStringLiteral("zebra");
    model.setFilter(zebra);
    ASSERT_TRUE(model.isCounting());

    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.count(), 1);
    EXPECT_EQ(finished.at(0).at(0).toLongLong(), kProblems / 10);
    EXPECT_EQ(model.rowCount(), kProblems / 10);
    // The worker is idle now (one thread, first come first served), so the first count has been
    // answered or dropped already; another round trip through the worker makes sure of it.
    ProblemCounter probe;
    QSignalSpy probed(&probe, &ProblemCounter::counted);
    probe.request(s_data->path, {});
    ASSERT_TRUE(probed.wait(10000));
    EXPECT_EQ(finished.count(), 1) << "the finance count was dropped";
    EXPECT_EQ(model.rowCount(), kProblems / 10);
    EXPECT_EQ(model.filter().search, QStringLiteral("zebra"));
}

TEST_F(ProblemCountTest, APageOverTheBudgetArrivesFromTheWorkerAndAStaleOneIsDropped)
{
    ProblemTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    model.setPageBudget(0); // every page that is not cached is read on the worker
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const int row = 2500; // page 9: a jump, located by offset
    EXPECT_FALSE(model.index(row, ProblemTableModel::IdColumn).data().isValid());
    EXPECT_TRUE(model.isLoading(row));
    EXPECT_EQ(model.index(row, ProblemTableModel::StatementColumn).data().toString(),
              QStringLiteral("Loading…"));
    ASSERT_TRUE(changed.wait(10000));
    EXPECT_FALSE(model.isLoading(row));
    EXPECT_EQ(changed.at(0).at(0).toModelIndex().row(), 9 * ProblemTableModel::kPageSize);
    EXPECT_EQ(model.index(row, ProblemTableModel::IdColumn).data().toString(), makeProblem(row).id);

    // A page asked for under one filter, then the filter changes before it arrives.
    const int stale = 1000;
    EXPECT_FALSE(model.index(stale, ProblemTableModel::IdColumn).data().isValid());
    ASSERT_TRUE(model.isLoading(stale));
    model.setFilter(domain(QStringLiteral("finance")));
    EXPECT_FALSE(model.isLoading(stale)) << "the reset forgets pages on their way";
    changed.clear();
    EXPECT_FALSE(model.index(0, ProblemTableModel::IdColumn).data().isValid());
    ASSERT_TRUE(changed.wait(10000));
    for (int r : {0, 100, 255})
        EXPECT_EQ(model.index(r, ProblemTableModel::DomainColumn).data().toString(),
                  QStringLiteral("finance"));
    // Once more through the worker: by then the dropped page has been answered, if ever.
    ProblemCounter probe;
    QSignalSpy probed(&probe, &ProblemCounter::counted);
    probe.request(s_data->path, {});
    ASSERT_TRUE(probed.wait(10000));
    QTest::qWait(20);
    EXPECT_EQ(model.cachedRowOf(makeProblem(stale).id), -1)
        << "problem 1000 (logistics) never lands in the finance table";
}

TEST_F(ProblemCountTest, TheCounterAnswersOnlyTheNewestRequest)
{
    ProblemCounter counter;
    QSignalSpy counted(&counter, &ProblemCounter::counted);
    QSignalSpy failed(&counter, &ProblemCounter::failed);
    const quint64 first = counter.request(s_data->path, domain(QStringLiteral("finance")));
    const quint64 second = counter.request(s_data->path, {});
    EXPECT_GT(second, first);
    ASSERT_TRUE(counted.wait(10000));
    QTest::qWait(50);
    ASSERT_EQ(counted.count(), 1);
    EXPECT_EQ(counted.at(0).at(0).value<quint64>(), second);
    EXPECT_EQ(counted.at(0).at(1).toLongLong(), kProblems);
    EXPECT_EQ(failed.count(), 0);

    // A file that is not there: a failure that says where.
    counter.request(s_data->dir.filePath(QStringLiteral("missing.crucible")), {});
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("missing.crucible")))
        << failed.at(0).at(1).toString().toStdString();
}

TEST_F(ProblemCountTest, ThePanelSaysCountingAndStaysUsableUntilTheCountArrives)
{
    ScopedSettings settings;
    auto ws = Workspace::open(s_data->path, Workspace::Mode::ReadOnly);
    ProblemsPanel panel;
    panel.resize(1000, 700);
    panel.show();
    panel.setWorkspace(ws.get());
    ASSERT_EQ(panel.model()->rowCount(), kProblems);
    panel.model()->setCountBudget(0);
    QSignalSpy counted(&panel, &ProblemsPanel::filteredCountChanged);
    auto *countLabel = panel.filterBar()->findChild<QLabel *>(QStringLiteral("problemCount"));
    ASSERT_NE(countLabel, nullptr);

    panel.setDomainFilter(QStringLiteral("finance"));
    panel.searchBox()->setText(QStringLiteral("zebra"));
    emit panel.searchBox()->returnPressed();
    ASSERT_TRUE(panel.model()->isCounting());
    EXPECT_EQ(counted.count(), 0) << "no count before it is known";
    EXPECT_TRUE(countLabel->text().startsWith(QStringLiteral("Counting")))
        << countLabel->text().toStdString();
    auto *stack = panel.findChild<QStackedWidget *>();
    ASSERT_NE(stack, nullptr);
    auto *emptyLabel = stack->widget(1)->findChild<QLabel *>();
    EXPECT_EQ(stack->currentIndex(), 1);
    EXPECT_TRUE(emptyLabel->text().startsWith(QStringLiteral("Counting")))
        << emptyLabel->text().toStdString();

    // Usable meanwhile: a problem can be opened, and the search changed again.
    const QString id = makeProblem(7).id;
    panel.selectProblem(id);
    EXPECT_EQ(panel.detailView()->problemId(), id);
    panel.searchBox()->setText(QStringLiteral("zebra crossing"));
    emit panel.searchBox()->returnPressed();
    ASSERT_TRUE(panel.model()->isCounting());

    ASSERT_TRUE(counted.wait(10000));
    EXPECT_EQ(counted.count(), 1) << "only the newest filter's count is reported";
    // finance is every third problem, a zebra every tenth.
    EXPECT_EQ(countNow(panel.currentFilter()), kProblems / 30);
    EXPECT_EQ(counted.at(0).at(0).toLongLong(), kProblems / 30);
    EXPECT_EQ(panel.model()->rowCount(), kProblems / 30);
    EXPECT_EQ(stack->currentWidget(), panel.table());
    EXPECT_FALSE(countLabel->text().contains(QStringLiteral("Counting")))
        << countLabel->text().toStdString();
    EXPECT_TRUE(panel.detailView()->problemId().isEmpty())
        << "problem 7 does not mention a zebra: the detail view follows the filter";
}

TEST_F(ProblemCountTest, ARowSelectedWhileItsPageLoadsIsShownWhenItArrives)
{
    ScopedSettings settings;
    auto ws = Workspace::open(s_data->path, Workspace::Mode::ReadOnly);
    ProblemsPanel panel;
    panel.resize(1000, 700);
    panel.show();
    panel.setWorkspace(ws.get());
    panel.model()->setPageBudget(0);
    QSignalSpy loaded(panel.model(), &ProblemTableModel::rowsLoaded);
    const int row = 2700;
    panel.table()->selectionModel()->setCurrentIndex(
        panel.model()->index(row, ProblemTableModel::IdColumn),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    ASSERT_TRUE(panel.model()->isLoading(row));
    ASSERT_TRUE(
        waitUntil([&] { return panel.detailView()->problemId() == makeProblem(row).id; }, 10000))
        << panel.detailView()->problemId().toStdString();
    EXPECT_GE(loaded.count(), 1);
}

} // namespace
