// Curation in the Problems panel: keyboard review, edit, delete and bulk actions with undo,
// sorting, the new filters, and views that follow the data.
#include "core/store/datasetrepository.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/problems/problemeditform.h"
#include "ui/problems/problemfilterbar.h"
#include "ui/problems/reviewbar.h"
#include "ui/problemspanel.h"
#include "ui/workspaceoverview.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QUndoStack>
#include <gtest/gtest.h>
#include <iostream>

using namespace crucible;
using namespace crucible::uitest;

namespace {

constexpr int kProblems = 300;

class CurationTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_ws = Workspace::open(m_data.path);
        m_panel = std::make_unique<ProblemsPanel>();
        m_panel->resize(1200, 800);
        m_panel->setWorkspace(m_ws.get());
        m_panel->show();
        QApplication::setActiveWindow(m_panel.get());
        ASSERT_TRUE(QTest::qWaitForWindowActive(m_panel.get()));
        table()->setFocus();
    }
    void TearDown() override
    {
        m_panel.reset();
        m_ws.reset();
    }

    QTableView *table() const { return m_panel->table(); }
    ProblemRepository repo() const { return ProblemRepository(*m_ws); }
    void selectRow(int row)
    {
        table()->selectionModel()->setCurrentIndex(m_panel->model()->index(row, 0),
                                                   QItemSelectionModel::ClearAndSelect |
                                                       QItemSelectionModel::Rows);
    }
    void selectRows(int first, int last)
    {
        selectRow(first);
        table()->selectionModel()->select(
            QItemSelection(m_panel->model()->index(first, 0),
                           m_panel->model()->index(last, ProblemTableModel::ColumnCount - 1)),
            QItemSelectionModel::ClearAndSelect);
    }
    QString idAt(int row) const { return m_panel->model()->problemIdAt(row); }
    ReviewStatus reviewOf(int i) const { return repo().get(makeProblem(i).id)->reviewStatus; }

    ScopedSettings m_settings;
    TempWorkspace m_data{kProblems, QStringLiteral("curation.crucible")};
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<ProblemsPanel> m_panel;
};

} // namespace

TEST_F(CurationTest, ReviewKeysGiveVerdictsAndMoveOn)
{
    selectRow(0);
    QTest::keyClick(table(), Qt::Key_A);
    EXPECT_EQ(reviewOf(0), ReviewStatus::Accepted);
    EXPECT_EQ(table()->currentIndex().row(), 1) << "a verdict moves to the next problem";
    QTest::keyClick(table(), Qt::Key_R);
    EXPECT_EQ(reviewOf(1), ReviewStatus::Rejected);
    EXPECT_EQ(table()->currentIndex().row(), 2);
    QTest::keyClick(table(), Qt::Key_J);
    QTest::keyClick(table(), Qt::Key_J);
    EXPECT_EQ(table()->currentIndex().row(), 4);
    QTest::keyClick(table(), Qt::Key_K);
    EXPECT_EQ(table()->currentIndex().row(), 3);
    EXPECT_EQ(m_panel->detailView()->problemId(), makeProblem(3).id);

    // The table and the detail view show the verdict.
    EXPECT_EQ(m_panel->model()
                  ->data(m_panel->model()->index(0, ProblemTableModel::ReviewColumn))
                  .toString(),
              QStringLiteral("accepted"));
    EXPECT_TRUE(
        m_panel->model()
            ->data(m_panel->model()->index(0, ProblemTableModel::ReviewColumn), Qt::DecorationRole)
            .canConvert<QColor>());
    m_panel->selectProblem(makeProblem(1).id);
    EXPECT_TRUE(m_panel->detailView()->reviewBar()->statusLabel()->text().contains(
        QStringLiteral("rejected")));

    // Undo takes back the last verdict only.
    m_panel->undoStack()->undo();
    EXPECT_EQ(reviewOf(1), ReviewStatus::Unreviewed);
    EXPECT_EQ(reviewOf(0), ReviewStatus::Accepted);
    m_panel->undoStack()->redo();
    EXPECT_EQ(reviewOf(1), ReviewStatus::Rejected);
}

TEST_F(CurationTest, ReviewKeysDoNotFireWhileTyping)
{
    selectRow(0);
    m_panel->searchBox()->setFocus();
    QTest::keyClicks(m_panel->searchBox(), QStringLiteral("arjk"));
    EXPECT_EQ(m_panel->searchBox()->text(), QStringLiteral("arjk"));
    EXPECT_EQ(reviewOf(0), ReviewStatus::Unreviewed);
    EXPECT_EQ(m_panel->undoStack()->count(), 0);

    // The note editor takes letters too; Enter saves the note as one undoable step.
    table()->setFocus();
    QTest::keyClick(table(), Qt::Key_N);
    QLineEdit *note = m_panel->detailView()->reviewBar()->noteEdit();
    ASSERT_TRUE(note->isVisible());
    QTest::keyClicks(note, QStringLiteral("ambiguous"));
    EXPECT_EQ(reviewOf(0), ReviewStatus::Unreviewed);
    QTest::keyClick(note, Qt::Key_Return);
    EXPECT_EQ(repo().get(makeProblem(0).id)->reviewNote, QStringLiteral("ambiguous"));
    EXPECT_FALSE(note->isVisible());
    EXPECT_EQ(m_panel->undoStack()->count(), 1);
}

TEST_F(CurationTest, VerdictInAnUnreviewedFilterMovesToTheProblemThatTookItsRow)
{
    m_panel->filterBar()->setReviewStatus(ReviewStatus::Unreviewed);
    selectRow(0);
    QTest::keyClick(table(), Qt::Key_A);
    EXPECT_EQ(m_panel->model()->rowCount(), kProblems - 1);
    EXPECT_EQ(table()->currentIndex().row(), 0);
    EXPECT_EQ(m_panel->detailView()->problemId(), makeProblem(1).id);
    QTest::keyClick(table(), Qt::Key_R);
    EXPECT_EQ(m_panel->detailView()->problemId(), makeProblem(2).id);
    EXPECT_EQ(reviewOf(1), ReviewStatus::Rejected);
}

TEST_F(CurationTest, EditValidatesSavesAndUndoes)
{
    selectRow(4);
    QTest::keyClick(table(), Qt::Key_F2);
    ProblemDetailView *detail = m_panel->detailView();
    ASSERT_TRUE(detail->isEditing());
    ProblemEditForm *form = detail->editForm();
    EXPECT_EQ(form->statementEdit()->toPlainText(), makeProblem(4).statement);

    form->statementEdit()->setPlainText(QStringLiteral("   "));
    form->save();
    EXPECT_TRUE(detail->isEditing());
    EXPECT_TRUE(form->errorLabel()->text().contains(QStringLiteral("statement is empty")));
    EXPECT_EQ(repo().get(makeProblem(4).id)->statement, makeProblem(4).statement);

    form->statementEdit()->setPlainText(QStringLiteral("A **new** statement"));
    form->constraintsEdit()->setPlainText(QStringLiteral("first\n\n second "));
    form->complexityBox()->setCurrentIndex(
        form->complexityBox()->findData(QStringLiteral("complex")));
    form->tagsEdit()->setText(QStringLiteral("x, y, x"));
    form->domainEdit()->setText(QStringLiteral("rail"));
    QTest::keyClick(form->statementEdit(), Qt::Key_Return, Qt::ControlModifier);
    EXPECT_FALSE(detail->isEditing());
    Problem saved = *repo().get(makeProblem(4).id);
    EXPECT_EQ(saved.statement, QStringLiteral("A **new** statement"));
    EXPECT_EQ(saved.constraints, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    EXPECT_EQ(saved.complexity, Complexity::Complex);
    EXPECT_EQ(saved.tags, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    EXPECT_EQ(saved.domain, QStringLiteral("rail"));
    EXPECT_TRUE(detail->statementText().contains(QStringLiteral("new")));

    m_panel->undoStack()->undo();
    Problem original = makeProblem(4);
    EXPECT_EQ(repo().get(original.id)->statement, original.statement);
    EXPECT_EQ(repo().get(original.id)->tags, original.tags);
    EXPECT_TRUE(detail->statementText().contains(QStringLiteral("Problem number 4")));
    m_panel->undoStack()->redo();
    EXPECT_EQ(repo().get(original.id)->domain, QStringLiteral("rail"));

    // Esc cancels without writing.
    QTest::keyClick(table(), Qt::Key_E, Qt::ControlModifier);
    ASSERT_TRUE(detail->isEditing());
    form->statementEdit()->setPlainText(QStringLiteral("discarded"));
    QTest::keyClick(form->statementEdit(), Qt::Key_Escape);
    EXPECT_FALSE(detail->isEditing());
    EXPECT_EQ(repo().get(original.id)->statement, QStringLiteral("A **new** statement"));
}

TEST_F(CurationTest, DeleteAndUndoRestoreEverything)
{
    Dataset d;
    d.id = QStringLiteral("ds_keep");
    d.name = QStringLiteral("keep");
    d.problemIds = {makeProblem(9).id, makeProblem(3).id, makeProblem(8).id};
    DatasetRepository(*m_ws).insert(d);
    Problem three = *repo().get(makeProblem(3).id);
    three.reviewStatus = ReviewStatus::Accepted;
    three.reviewNote = QStringLiteral("good one");
    three.metadata = {{"generator", "seed"}, {"job_id", "job_9"}};
    repo().update(three);

    selectRows(2, 4);
    QTest::keyClick(table(), Qt::Key_Delete);
    EXPECT_EQ(m_panel->model()->rowCount(), kProblems - 3);
    EXPECT_FALSE(repo().contains(three.id));
    EXPECT_EQ(DatasetRepository(*m_ws).get(d.id)->problemIds.size(), 2);

    m_panel->undoStack()->undo();
    EXPECT_EQ(m_panel->model()->rowCount(), kProblems);
    EXPECT_EQ(repo().get(three.id), three);
    EXPECT_EQ(DatasetRepository(*m_ws).get(d.id)->problemIds, d.problemIds);
    EXPECT_EQ(idAt(3), three.id) << "back in its place";
}

TEST_F(CurationTest, BulkActionsOnASelectionAreSingleUndoableSteps)
{
    selectRows(10, 109);
    EXPECT_EQ(m_panel->selectedIds().size(), 100);
    m_panel->addTagToSelection(QStringLiteral("hard"));
    ProblemFilter tagged;
    tagged.tag = QStringLiteral("hard");
    EXPECT_EQ(repo().count(tagged), 100);
    m_panel->setComplexityOfSelection(Complexity::Simple);
    m_panel->review(ReviewStatus::Rejected);
    ProblemFilter rejected;
    rejected.reviewStatus = ReviewStatus::Rejected;
    EXPECT_EQ(repo().count(rejected), 100);
    EXPECT_EQ(m_panel->undoStack()->count(), 3);

    const QString dataset = m_panel->addSelectionToNewDataset(QStringLiteral("hard ones"));
    ASSERT_FALSE(dataset.isEmpty());
    auto members = DatasetRepository(*m_ws).get(dataset);
    ASSERT_TRUE(members);
    EXPECT_EQ(members->name, QStringLiteral("hard ones"));
    EXPECT_EQ(members->problemIds.size(), 100);

    // Filter by the dataset, remove some members, undo.
    QSignalSpy loaded(m_panel.get(), &ProblemsPanel::filterChoicesLoaded);
    ASSERT_TRUE(loaded.wait(5000));
    auto *datasets = m_panel->filterBar()->datasetCombo();
    ASSERT_GE(datasets->findData(dataset), 0);
    datasets->setCurrentIndex(datasets->findData(dataset));
    EXPECT_EQ(m_panel->model()->rowCount(), 100);
    selectRows(0, 9);
    m_panel->removeSelectionFromDataset();
    EXPECT_EQ(m_panel->model()->rowCount(), 90);
    m_panel->undoStack()->undo();
    EXPECT_EQ(m_panel->model()->rowCount(), 100);
    EXPECT_EQ(DatasetRepository(*m_ws).get(dataset)->problemIds, members->problemIds);

    m_panel->clearFilters();
    m_panel->undoStack()->undo(); // the new dataset
    EXPECT_FALSE(DatasetRepository(*m_ws).get(dataset));
    m_panel->undoStack()->undo(); // reject
    m_panel->undoStack()->undo(); // complexity
    m_panel->undoStack()->undo(); // tag
    EXPECT_EQ(repo().count(tagged), 0);
    EXPECT_EQ(repo().count(rejected), 0);
    EXPECT_EQ(repo().get(makeProblem(10).id), makeProblem(10));
}

TEST_F(CurationTest, HeaderClicksSortWithoutLoadingEverything)
{
    QAbstractItemModelTester tester(m_panel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    QHeaderView *header = table()->horizontalHeader();
    const int complexity = header->sectionViewportPosition(ProblemTableModel::ComplexityColumn);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(complexity + 5, 5));
    EXPECT_EQ(m_panel->model()->problemSort().column, ProblemSort::Column::Complexity);
    auto complexityAt = [this](int row) {
        return m_panel->model()
            ->data(m_panel->model()->index(row, ProblemTableModel::ComplexityColumn))
            .toString();
    };
    EXPECT_EQ(complexityAt(0), QStringLiteral("simple"));
    EXPECT_EQ(complexityAt(kProblems - 1), QStringLiteral("complex"));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(complexity + 5, 5));
    EXPECT_TRUE(m_panel->model()->problemSort().descending);
    EXPECT_EQ(complexityAt(0), QStringLiteral("complex"));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(complexity + 5, 5));
    EXPECT_EQ(m_panel->model()->problemSort().column, ProblemSort::Column::Insertion);
    EXPECT_EQ(idAt(0), makeProblem(0).id);

    // A sorted table still pages by keys when scrolled in order.
    m_panel->model()->sort(ProblemTableModel::CreatedColumn, Qt::DescendingOrder);
    m_panel->model()->setMaxCachedPages(2);
    EXPECT_EQ(idAt(0), makeProblem(kProblems - 1).id);
    for (int row = 0; row < kProblems; row += 50)
        EXPECT_FALSE(idAt(row).isEmpty());
    EXPECT_EQ(idAt(kProblems - 1), makeProblem(0).id);
    EXPECT_GE(m_panel->model()->fetchStats().keyset, 0);
}

TEST_F(CurationTest, EscapeInAnOpenDropDownOnlyClosesIt)
{
    QTest::keyClicks(m_panel->searchBox(), QStringLiteral("zebra"));
    QTest::keyClick(m_panel->searchBox(), Qt::Key_Return);
    auto *domains = m_panel->findChild<QComboBox *>(QStringLiteral("domainFilter"));
    domains->setFocus();
    domains->showPopup();
    QWidget *popup = QApplication::activePopupWidget();
    ASSERT_NE(popup, nullptr);
    QTest::keyClick(popup, Qt::Key_Escape);
    EXPECT_EQ(QApplication::activePopupWidget(), nullptr);
    EXPECT_EQ(m_panel->searchBox()->text(), QStringLiteral("zebra"));
    EXPECT_EQ(m_panel->model()->rowCount(), 30);

    // Without a drop-down, Esc clears the search as before.
    QTest::keyClick(domains, Qt::Key_Escape);
    EXPECT_TRUE(m_panel->searchBox()->text().isEmpty());
    EXPECT_EQ(m_panel->model()->rowCount(), kProblems);
}

TEST_F(CurationTest, DetailViewFollowsFiltersAndLineage)
{
    selectRow(2); // finance? makeProblem(2) is in "health"
    ASSERT_EQ(m_panel->detailView()->problemId(), makeProblem(2).id);
    m_panel->setDomainFilter(makeProblem(2).domain);
    EXPECT_EQ(m_panel->detailView()->problemId(), makeProblem(2).id) << "still visible";
    m_panel->setDomainFilter(makeProblem(3).domain);
    EXPECT_TRUE(m_panel->detailView()->problemId().isEmpty()) << "hidden by the filter";
    m_panel->clearFilters();

    selectRow(2);
    EXPECT_FALSE(m_panel->detailView()->statementText().contains(QStringLiteral("prb_child")));
    Problem child = makeProblem(1000);
    child.id = QStringLiteral("prb_child");
    child.baseProblemId = makeProblem(2).id;
    repo().insert(child); // as a job would
    m_panel->reload();
    EXPECT_EQ(m_panel->detailView()->problemId(), makeProblem(2).id);
    EXPECT_TRUE(m_panel->detailView()->statementText().contains(QStringLiteral("prb_child")));
}

TEST_F(CurationTest, FiltersByReviewTagJobAndFitAt1024)
{
    Problem p = *repo().get(makeProblem(7).id);
    p.metadata = {{"job_id", "job_seven"}};
    p.tags << QStringLiteral("special");
    repo().update(p);
    m_panel->reload();
    QSignalSpy loaded(m_panel.get(), &ProblemsPanel::filterChoicesLoaded);
    ASSERT_TRUE(loaded.wait(5000));
    auto *jobs = m_panel->findChild<QComboBox *>(QStringLiteral("jobFilter"));
    auto *tags = m_panel->findChild<QComboBox *>(QStringLiteral("tagFilter"));
    ASSERT_GE(jobs->findData(QStringLiteral("job_seven")), 0);
    jobs->setCurrentIndex(jobs->findData(QStringLiteral("job_seven")));
    EXPECT_EQ(m_panel->model()->rowCount(), 1);
    m_panel->clearFilters();
    ASSERT_GE(tags->findData(QStringLiteral("special")), 0);
    tags->setCurrentIndex(tags->findData(QStringLiteral("special")));
    EXPECT_EQ(m_panel->model()->rowCount(), 1);
    m_panel->clearFilters();
    m_panel->filterBar()->setReviewStatus(ReviewStatus::Accepted);
    EXPECT_EQ(m_panel->model()->rowCount(), 0);
    m_panel->clearFilters();

    m_panel->resize(1024 - 250, 700); // the panel's share of a 1024-pixel window
    QApplication::processEvents();
    QList<QWidget *> widgets{m_panel->searchBox()};
    for (QComboBox *c : m_panel->filterBar()->combos())
        widgets << c;
    widgets << m_panel->findChild<QLabel *>(QStringLiteral("problemCount"));
    for (qsizetype i = 0; i < widgets.size(); ++i) {
        const QRect a(widgets[i]->mapTo(m_panel.get(), QPoint()), widgets[i]->size());
        EXPECT_GE(widgets[i]->width(), 60) << widgets[i]->objectName().toStdString();
        for (qsizetype j = i + 1; j < widgets.size(); ++j) {
            const QRect b(widgets[j]->mapTo(m_panel.get(), QPoint()), widgets[j]->size());
            EXPECT_FALSE(a.intersects(b)) << widgets[i]->objectName().toStdString() << " overlaps "
                                          << widgets[j]->objectName().toStdString();
        }
    }
}

TEST(WorkspaceOverviewTest, OneClickOnADomainFilters)
{
    WorkspaceOverview overview;
    WorkspaceStats stats;
    stats.path = QStringLiteral("/tmp/x.crucible");
    stats.domains = {{QStringLiteral("finance"), 3}, {QStringLiteral("rail"), 2}};
    overview.setStats(stats, {});
    overview.show();
    QSignalSpy activated(&overview, &WorkspaceOverview::domainActivated);
    QListWidget *list = overview.domainList();
    const QRect rect = list->visualItemRect(list->item(1));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.first().at(0).toString(), QStringLiteral("rail"));
}

// Not a timing assertion: prints how long a 10,000-row verdict takes on the GUI thread.
TEST(CurationBulkTest, TenThousandRowVerdictTiming)
{
    ScopedSettings settings;
    TempWorkspace data(10000, QStringLiteral("bulk.crucible"));
    auto ws = Workspace::open(data.path);
    ProblemsPanel panel;
    panel.setWorkspace(ws.get());
    panel.table()->selectAll();
    QElapsedTimer timer;
    timer.start();
    const QStringList ids = panel.selectedIds();
    const qint64 selectMs = timer.restart();
    // 10,000 rows are written on the thread pool: the GUI thread only starts each write.
    QSignalSpy modified(&panel, &ProblemsPanel::workspaceModified);
    QSignalSpy failed(&panel, &ProblemsPanel::errorOccurred);
    panel.review(ReviewStatus::Accepted);
    const qint64 reviewMs = timer.restart();
    ASSERT_TRUE(modified.wait(30000));
    const qint64 reviewDoneMs = timer.restart();
    panel.addTagToSelection(QStringLiteral("bulk"));
    const qint64 tagMs = timer.restart();
    ASSERT_TRUE(modified.wait(30000));
    const qint64 tagDoneMs = timer.restart();
    ProblemFilter tagged;
    tagged.tag = QStringLiteral("bulk");
    EXPECT_EQ(ProblemRepository(*ws).count(tagged), 10000);
    panel.undoStack()->undo();
    const qint64 undoMs = timer.restart();
    ASSERT_TRUE(modified.wait(30000));
    const qint64 undoDoneMs = timer.restart();
    EXPECT_EQ(ProblemRepository(*ws).count(tagged), 0);
    EXPECT_EQ(failed.count(), 0);
    EXPECT_EQ(ids.size(), 10000);
    ProblemFilter accepted;
    accepted.reviewStatus = ReviewStatus::Accepted;
    EXPECT_EQ(ProblemRepository(*ws).count(accepted), 10000);
    std::cout << "10,000 selected rows: ids " << selectMs << " ms; GUI thread / background: accept "
              << reviewMs << " / " << reviewDoneMs << " ms, add tag " << tagMs << " / " << tagDoneMs
              << " ms, undo tag " << undoMs << " / " << undoDoneMs << " ms\n";
}
