// The Datasets panel and its models: the list with size, mix, origin and cost; members in order
// (paged) and double-click to the Problems panel; the rendered card; rename with undo; delete
// keeping or deleting the members; export (HF JSONL + card, CSV, only accepted) in the
// background; and the MainWindow wiring (dock, shortcut, job finished → reload).

#include "core/store/datasetrepository.h"
#include "ui/datasets/datasetspanel.h"
#include "ui/mainwindow.h"
#include "ui/models/datasetlistmodel.h"
#include "ui/models/datasetmembermodel.h"
#include "ui/problemdetailview.h"
#include "ui/problemspanel.h"
#include "ui/workspacecontroller.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTextBrowser>
#include <QUndoStack>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

constexpr int kProblems = 1200;

// Dataset "ds_big": every problem in reverse order (a dataset job's, with its cost); "ds_small":
// problems 0..4 (an import). Problems 0 and 2 are accepted.
void addDatasets(const QString &path)
{
    auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
    ProblemRepository problems(*ws);
    for (int i : {0, 2}) {
        Problem p = *problems.get(makeProblem(i).id);
        p.reviewStatus = ReviewStatus::Accepted;
        problems.update(p);
    }
    Dataset big;
    big.id = QStringLiteral("ds_big");
    big.name = QStringLiteral("Everything");
    for (int i = kProblems - 1; i >= 0; --i)
        big.problemIds << makeProblem(i).id;
    big.createdAt = QDateTime(QDate(2026, 2, 1), QTime(9, 0), Qt::UTC);
    big.metadata = {
        {"generator", "dataset"},
        {"kind", "dataset"},
        {"job_id", "job_1"},
        {"parameters", {{"domain", "finance"}, {"pict_model", "A: x"}, {"count", 1200}}},
        {"cost", {{"usd", 0.5}, {"calls", 12}}}};
    DatasetRepository(*ws).insert(big);
    Dataset small;
    small.id = QStringLiteral("ds_small");
    small.name = QStringLiteral("Small / imported");
    for (int i = 0; i < 5; ++i)
        small.problemIds << makeProblem(i).id;
    small.createdAt = QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
    small.metadata = {{"source", "mine.csv"}};
    DatasetRepository(*ws).insert(small);
}

class DatasetsPanelTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        addDatasets(m_data.path);
        m_ws = Workspace::open(m_data.path, Workspace::Mode::ReadWrite);
        m_panel = std::make_unique<DatasetsPanel>();
        m_panel->resize(1000, 500);
        m_panel->show();
        QSignalSpy reloaded(m_panel.get(), &DatasetsPanel::reloaded);
        m_panel->setWorkspace(m_ws.get());
        ASSERT_TRUE(reloaded.wait(10000));
    }
    void TearDown() override
    {
        m_panel.reset();
        m_ws.reset();
    }

    int count(const QString &datasetId = {}) const
    {
        auto ws = Workspace::open(m_data.path, Workspace::Mode::ReadOnly);
        ProblemFilter f;
        f.datasetId = datasetId;
        return static_cast<int>(ProblemRepository(*ws).count(f));
    }

    ScopedSettings m_settings;
    TempWorkspace m_data{kProblems, QStringLiteral("datasets.crucible")};
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<DatasetsPanel> m_panel;
};

} // namespace

TEST(DatasetListModelTest, ShowsSizeMixOriginAndCost)
{
    DatasetListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DatasetSummary job;
    job.dataset.id = QStringLiteral("ds_1");
    job.dataset.name = QStringLiteral("Ledger");
    job.size = 5;
    job.complexityCounts = {{Complexity::Simple, 2}, {Complexity::Complex, 3}};
    job.origin = DatasetOrigin::Job;
    job.generator = QStringLiteral("matrix");
    job.costFromJob = true;
    job.usd = 0.0123;
    DatasetSummary free = job;
    free.dataset.id = QStringLiteral("ds_2");
    free.origin = DatasetOrigin::Import;
    free.source = QStringLiteral("a.csv");
    free.usd = 0;
    DatasetSummary unpriced = job;
    unpriced.dataset.id = QStringLiteral("ds_3");
    unpriced.usd = 0;
    unpriced.unpriced = 4;
    DatasetSummary partly = unpriced;
    partly.dataset.id = QStringLiteral("ds_4");
    partly.usd = 0.01;
    partly.origin = DatasetOrigin::Manual;
    model.setSummaries({job, free, unpriced, partly});
    ASSERT_EQ(model.rowCount(), 4);
    const auto text = [&](int row, int column) {
        return model.index(row, column).data().toString();
    };
    EXPECT_EQ(text(0, DatasetListModel::NameColumn), QStringLiteral("Ledger"));
    EXPECT_EQ(text(0, DatasetListModel::MixColumn), QStringLiteral("2 simple · 3 complex"));
    EXPECT_EQ(text(0, DatasetListModel::OriginColumn), QStringLiteral("matrix job"));
    EXPECT_EQ(text(0, DatasetListModel::CostColumn), QStringLiteral("$0.0123"));
    EXPECT_EQ(text(1, DatasetListModel::OriginColumn), QStringLiteral("import (a.csv)"));
    EXPECT_EQ(text(1, DatasetListModel::CostColumn), QStringLiteral("free"));
    EXPECT_EQ(text(2, DatasetListModel::CostColumn), QStringLiteral("unpriced"));
    EXPECT_EQ(text(3, DatasetListModel::CostColumn), QStringLiteral("$0.01 + 4 unpriced calls"));
    EXPECT_EQ(text(3, DatasetListModel::OriginColumn), QStringLiteral("manual"));
    EXPECT_EQ(model.rowOf(QStringLiteral("ds_3")), 2);

    QSignalSpy rename(&model, &DatasetListModel::renameRequested);
    EXPECT_TRUE(model.flags(model.index(0, 0)) & Qt::ItemIsEditable);
    EXPECT_FALSE(model.flags(model.index(0, 1)) & Qt::ItemIsEditable);
    EXPECT_FALSE(model.setData(model.index(0, 0), QStringLiteral("  ")));
    EXPECT_TRUE(model.setData(model.index(0, 0), QStringLiteral("Audit")));
    ASSERT_EQ(rename.count(), 1);
    EXPECT_EQ(rename.at(0).at(2).toString(), QStringLiteral("Audit"));
    EXPECT_EQ(text(0, 0), QStringLiteral("Ledger")); // only the panel writes names
    model.setName(QStringLiteral("ds_1"), QStringLiteral("Audit"));
    EXPECT_EQ(text(0, 0), QStringLiteral("Audit"));
}

TEST_F(DatasetsPanelTest, ListsTheDatasetsNewestFirst)
{
    DatasetListModel *model = m_panel->model();
    ASSERT_EQ(model->rowCount(), 2);
    EXPECT_EQ(model->index(0, 0).data().toString(), QStringLiteral("Small / imported"));
    EXPECT_EQ(model->index(1, DatasetListModel::SizeColumn).data(Qt::EditRole).toLongLong(),
              kProblems);
    EXPECT_EQ(model->index(1, DatasetListModel::CostColumn).data().toString(),
              QStringLiteral("$0.50"));
    EXPECT_EQ(model->index(1, DatasetListModel::OriginColumn).data().toString(),
              QStringLiteral("dataset job"));
    EXPECT_EQ(model->index(0, DatasetListModel::CostColumn).data().toString(),
              QStringLiteral("free"));
    EXPECT_EQ(m_panel->currentDatasetId(), QStringLiteral("ds_small")); // first row selected
}

TEST_F(DatasetsPanelTest, MembersInOrderAreFetchedInPagesAndOpenInTheProblemsPanel)
{
    {
        // The model alone (a view may fetch more while others still handle a reset).
        DatasetMemberModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setWorkspace(m_ws.get());
        model.setDataset(QStringLiteral("ds_big"));
        ASSERT_EQ(model.rowCount(), DatasetMemberModel::kPageSize);
        while (model.canFetchMore({}))
            model.fetchMore({});
        EXPECT_EQ(model.rowCount(), kProblems);
        model.setDataset({});
        EXPECT_EQ(model.rowCount(), 0);
    }
    DatasetMemberModel *members = m_panel->memberModel();
    QSignalSpy card(m_panel.get(), &DatasetsPanel::cardShown);
    m_panel->selectDataset(QStringLiteral("ds_big"));
    ASSERT_EQ(members->datasetId(), QStringLiteral("ds_big"));
    ASSERT_GE(members->rowCount(), DatasetMemberModel::kPageSize);
    EXPECT_EQ(members->problemIdAt(0), makeProblem(kProblems - 1).id);
    EXPECT_EQ(members->index(0, DatasetMemberModel::PositionColumn).data().toInt(), 1);
    while (members->canFetchMore({}))
        members->fetchMore({});
    ASSERT_EQ(members->rowCount(), kProblems);
    EXPECT_EQ(members->problemIdAt(kProblems - 1), makeProblem(0).id);
    EXPECT_EQ(members->index(kProblems - 1, DatasetMemberModel::ReviewColumn).data().toString(),
              QStringLiteral("accepted"));
    EXPECT_EQ(members->index(kProblems - 2, DatasetMemberModel::ReviewColumn).data().toString(),
              QStringLiteral("unreviewed"));

    // The card is rendered, without its YAML front matter, and lists only the dataset job's
    // parameters.
    ASSERT_TRUE(card.wait(10000));
    const QString text = m_panel->cardView()->toPlainText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("Everything"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("pretty_name")));
    EXPECT_TRUE(text.contains(QStringLiteral("count"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("pict_model")));

    QSignalSpy activated(m_panel.get(), &DatasetsPanel::problemActivated);
    QTableView *view = m_panel->memberTable();
    const QRect cell = view->visualRect(members->index(1, DatasetMemberModel::IdColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), makeProblem(kProblems - 2).id);
}

TEST_F(DatasetsPanelTest, RenameIsUndoable)
{
    m_panel->selectDataset(QStringLiteral("ds_big"));
    const int row = m_panel->model()->rowOf(QStringLiteral("ds_big"));
    ASSERT_TRUE(
        m_panel->model()->setData(m_panel->model()->index(row, 0), QStringLiteral("Renamed set")));
    const auto name = [this] {
        auto ws = Workspace::open(m_data.path, Workspace::Mode::ReadOnly);
        return DatasetRepository(*ws).get(QStringLiteral("ds_big"))->name;
    };
    EXPECT_EQ(name(), QStringLiteral("Renamed set"));
    EXPECT_EQ(m_panel->model()->index(row, 0).data().toString(), QStringLiteral("Renamed set"));
    ASSERT_TRUE(m_panel->undoStack()->canUndo());
    m_panel->undoStack()->undo();
    EXPECT_EQ(name(), QStringLiteral("Everything"));
    EXPECT_EQ(m_panel->model()->index(row, 0).data().toString(), QStringLiteral("Everything"));
    m_panel->undoStack()->redo();
    EXPECT_EQ(name(), QStringLiteral("Renamed set"));
}

TEST_F(DatasetsPanelTest, DeleteAsksAndKeepsTheProblemsByDefault)
{
    m_panel->selectDataset(QStringLiteral("ds_small"));
    m_panel->deleteCurrent();
    auto *box = m_panel->findChild<QMessageBox *>(QStringLiteral("deleteDatasetBox"));
    ASSERT_NE(box, nullptr);
    ASSERT_TRUE(box->isVisible());
    auto *keep = box->findChild<QPushButton *>(QStringLiteral("keepProblems"));
    ASSERT_NE(keep, nullptr);
    EXPECT_EQ(box->defaultButton(), keep);
    QSignalSpy deleted(m_panel.get(), &DatasetsPanel::deleteFinished);
    QSignalSpy reloaded(m_panel.get(), &DatasetsPanel::reloaded);
    QSignalSpy problems(m_panel.get(), &DatasetsPanel::problemsChanged);
    keep->click();
    ASSERT_TRUE(deleted.wait(10000));
    EXPECT_TRUE(deleted.at(0).at(1).toString().isEmpty())
        << deleted.at(0).at(1).toString().toStdString();
    ASSERT_TRUE(reloaded.count() > 0 || reloaded.wait(10000));
    EXPECT_EQ(m_panel->model()->rowCount(), 1);
    EXPECT_EQ(count(), kProblems);
    EXPECT_EQ(problems.count(), 0);
}

TEST_F(DatasetsPanelTest, DeleteWithTheProblemsKeepsThoseOfOtherDatasets)
{
    QSignalSpy deleted(m_panel.get(), &DatasetsPanel::deleteFinished);
    QSignalSpy problems(m_panel.get(), &DatasetsPanel::problemsChanged);
    m_panel->deleteDataset(QStringLiteral("ds_big"), true);
    ASSERT_TRUE(deleted.wait(10000));
    EXPECT_TRUE(deleted.at(0).at(1).toString().isEmpty());
    EXPECT_EQ(problems.count(), 1);
    EXPECT_EQ(count(), 5); // the five members of ds_small stay
    EXPECT_TRUE(m_panel->statusText().contains(QStringLiteral("kept 5")))
        << m_panel->statusText().toStdString();
}

TEST_F(DatasetsPanelTest, ExportsOnlyAcceptedHfJsonlWithCardAndCsvInTheBackground)
{
    EXPECT_TRUE(
        m_panel->suggestedExportPath(QStringLiteral("ds_small"), DatasetExportFormat::HfJsonl)
            .endsWith(QStringLiteral("/Small _ imported.jsonl")));
    QTemporaryDir out;
    const QString jsonl = out.filePath(QStringLiteral("small.jsonl"));
    QSignalSpy done(m_panel.get(), &DatasetsPanel::exportFinished);
    m_panel->exportDataset(QStringLiteral("ds_small"), jsonl, DatasetExportFormat::HfJsonl, true);
    ASSERT_TRUE(done.wait(10000));
    EXPECT_TRUE(done.at(0).at(2).toString().isEmpty()) << done.at(0).at(2).toString().toStdString();
    EXPECT_EQ(done.at(0).at(1).toLongLong(), 2);
    QFile data(jsonl);
    ASSERT_TRUE(data.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = data.readAll().trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    EXPECT_TRUE(lines[0].contains(makeProblem(0).id.toUtf8()));
    EXPECT_TRUE(lines[1].contains(makeProblem(2).id.toUtf8()));
    QFile card(out.filePath(QStringLiteral("small.md")));
    ASSERT_TRUE(card.open(QIODevice::ReadOnly));
    EXPECT_TRUE(card.readAll().contains("Only the problems a reviewer accepted: 2 of"));
    EXPECT_TRUE(m_panel->statusText().contains(QStringLiteral("Exported 2 accepted problems")))
        << m_panel->statusText().toStdString();

    const QString csv = out.filePath(QStringLiteral("small.csv"));
    m_panel->exportDataset(QStringLiteral("ds_small"), csv, DatasetExportFormat::Csv, false);
    ASSERT_TRUE(done.wait(10000));
    EXPECT_EQ(done.at(1).at(1).toLongLong(), 5);
    QFile csvFile(csv);
    ASSERT_TRUE(csvFile.open(QIODevice::ReadOnly));
    EXPECT_EQ(csvFile.readAll().count('\n'), 6); // header + 5 rows
}

TEST(DatasetsMainWindowTest, DockShortcutImportActionAndProblemActivation)
{
    ScopedSettings settings;
    TempWorkspace data(20, QStringLiteral("main.crucible"));
    {
        auto ws = Workspace::open(data.path, Workspace::Mode::ReadWrite);
        Dataset d;
        d.id = QStringLiteral("ds_m");
        d.name = QStringLiteral("Main");
        d.problemIds = {makeProblem(7).id, makeProblem(3).id};
        DatasetRepository(*ws).insert(d);
    }
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    DatasetsPanel *panel = window.datasetsPanel();
    ASSERT_NE(panel, nullptr);
    QSignalSpy reloaded(panel, &DatasetsPanel::reloaded);
    ASSERT_TRUE(controller.open(data.path)) << controller.lastError().toStdString();
    ASSERT_TRUE(reloaded.wait(10000));
    ASSERT_EQ(panel->model()->rowCount(), 1);

    // Ctrl+Shift+D brings the dock to the front even when it is a hidden tab.
    auto *toggle = window.findChild<QAction *>(QStringLiteral("datasetsAction"));
    ASSERT_NE(toggle, nullptr);
    EXPECT_EQ(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    window.datasetsDock()->hide();
    toggle->trigger();
    EXPECT_TRUE(window.datasetsDock()->isVisible());
    toggle->trigger();
    EXPECT_FALSE(window.datasetsDock()->isVisible());
    auto *import = window.findChild<QAction *>(QStringLiteral("importAction"));
    ASSERT_NE(import, nullptr);
    EXPECT_EQ(import->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));

    emit panel->problemActivated(makeProblem(3).id);
    EXPECT_EQ(window.problemsPanel()->detailView()->problemId(), makeProblem(3).id);

    window.showImportDialog();
    auto *dialog = window.findChild<QDialog *>(QStringLiteral("ImportDialog"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    window.showImportDialog(); // raises the same one
    EXPECT_EQ(window.findChildren<QDialog *>(QStringLiteral("ImportDialog")).size(), 1);
    dialog->close();
}
