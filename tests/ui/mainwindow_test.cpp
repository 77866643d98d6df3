#include "ui/mainwindow.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problemdetailview.h"
#include "ui/problemspanel.h"
#include "ui/recentworkspaces.h"
#include "ui/settings.h"
#include "ui/workspacecontroller.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

constexpr int kProblems = 300;

class MainWindowTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_window = std::make_unique<MainWindow>(&m_controller);
        m_window->show();
        QSignalSpy stats(&m_controller, &WorkspaceController::statsChanged);
        ASSERT_TRUE(m_controller.open(m_data.path)) << m_controller.lastError().toStdString();
        // Statistics are counted on the thread pool and arrive later.
        ASSERT_TRUE(stats.wait(10000));
        ASSERT_TRUE(stats.last().at(1).toString().isEmpty())
            << stats.last().at(1).toString().toStdString();
    }

    ProblemsPanel *panel() const { return m_window->problemsPanel(); }

    ScopedSettings m_settings;
    TempWorkspace m_data{kProblems, QStringLiteral("browse.crucible")};
    WorkspaceController m_controller;
    std::unique_ptr<MainWindow> m_window;
};

TEST_F(MainWindowTest, ShowsTitleStatusAndProblemCount)
{
    EXPECT_EQ(m_window->windowTitle(), QStringLiteral("browse.crucible — Crucible"));
    const QString status = m_window->statusText();
    EXPECT_TRUE(status.contains(QDir::toNativeSeparators(m_data.path))) << status.toStdString();
    EXPECT_TRUE(status.contains(QStringLiteral("300 problems"))) << status.toStdString();
    EXPECT_TRUE(status.contains(QStringLiteral("Schema v%1").arg(Workspace::kSchemaVersion)))
        << status.toStdString();
    EXPECT_EQ(panel()->model()->rowCount(), kProblems);
    auto *domains = panel()->findChild<QComboBox *>(QStringLiteral("domainFilter"));
    ASSERT_NE(domains, nullptr);
    ASSERT_EQ(domains->count(), 1 + kDomains.size()); // "All domains" + one per domain
    EXPECT_EQ(domains->itemText(0), QStringLiteral("All domains (300)"));
    EXPECT_EQ(domains->itemText(domains->findData(QStringLiteral("health"))),
              QStringLiteral("health (100)"));
    EXPECT_EQ(m_controller.stats().problems, kProblems);
}

TEST_F(MainWindowTest, SelectingARowShowsItsStatement)
{
    QTableView *table = panel()->table();
    QSignalSpy changed(panel(), &ProblemsPanel::currentProblemChanged);
    table->selectRow(20);
    ASSERT_EQ(changed.count(), 1);
    const QString id = table->model()->index(20, 0).data(ProblemTableModel::IdRole).toString();
    EXPECT_EQ(changed.at(0).at(0).toString(), id);
    ProblemDetailView *detail = panel()->detailView();
    EXPECT_EQ(detail->problemId(), id);
    const QString text = detail->statementText();
    // Markdown is rendered: the ** markers are gone, the words remain.
    EXPECT_TRUE(text.contains(QStringLiteral("Problem number 20 about widgets")))
        << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("**")));
    EXPECT_TRUE(text.contains(QStringLiteral("Finish within 7 steps")));
    EXPECT_TRUE(text.contains(makeProblem(21).id)) << "descendant listed in the lineage";
}

TEST_F(MainWindowTest, LineageLinkSelectsTheProblem)
{
    QTableView *table = panel()->table();
    table->selectRow(7); // a variation of problem 6
    emit panel()->detailView()->problemLinkActivated(makeProblem(6).id);
    EXPECT_EQ(panel()->detailView()->problemId(), makeProblem(6).id);
    EXPECT_EQ(table->currentIndex().row(), 6);
}

TEST_F(MainWindowTest, RecentListIsUpdated)
{
    const QString absolute = QFileInfo(m_data.path).absoluteFilePath();
    ASSERT_FALSE(RecentWorkspaces::list().isEmpty());
    EXPECT_EQ(RecentWorkspaces::list().first(), absolute);

    TempWorkspace other(3, QStringLiteral("other.crucible"));
    ASSERT_TRUE(m_controller.open(other.path));
    EXPECT_EQ(m_window->windowTitle(), QStringLiteral("other.crucible — Crucible"));
    EXPECT_EQ(panel()->model()->rowCount(), 3);
    const QStringList recent = RecentWorkspaces::list();
    ASSERT_EQ(recent.size(), 2);
    EXPECT_EQ(recent.at(0), QFileInfo(other.path).absoluteFilePath());
    EXPECT_EQ(recent.at(1), absolute);

    QStringList menuPaths;
    for (QAction *action : m_window->recentMenu()->actions())
        if (!action->data().toString().isEmpty())
            menuPaths << action->data().toString();
    EXPECT_EQ(menuPaths, recent);
}

TEST_F(MainWindowTest, RecentListIsCappedAndDeduplicated)
{
    for (int i = 0; i < 15; ++i)
        RecentWorkspaces::add(QStringLiteral("/tmp/r%1.crucible").arg(i));
    RecentWorkspaces::add(QStringLiteral("/tmp/r3.crucible"));
    const QStringList recent = RecentWorkspaces::list();
    EXPECT_EQ(recent.size(), RecentWorkspaces::kMaxEntries);
    EXPECT_EQ(recent.first(), QStringLiteral("/tmp/r3.crucible"));
    EXPECT_EQ(recent.count(QStringLiteral("/tmp/r3.crucible")), 1);
    RecentWorkspaces::clear();
    EXPECT_TRUE(RecentWorkspaces::list().isEmpty());
}

TEST_F(MainWindowTest, SearchIsDebouncedAndEscapeClearsIt)
{
    QSignalSpy counts(panel(), &ProblemsPanel::filteredCountChanged);
    QLineEdit *search = panel()->searchBox();
    QTest::keyClicks(search, QStringLiteral("zebra"));
    EXPECT_EQ(counts.count(), 0) << "the filter waits for typing to pause";
    ASSERT_TRUE(counts.wait(2000));
    EXPECT_EQ(counts.last().at(0).toLongLong(), 30);
    EXPECT_EQ(panel()->model()->rowCount(), 30);

    QTest::keyClick(search, Qt::Key_Escape);
    EXPECT_TRUE(search->text().isEmpty());
    EXPECT_EQ(panel()->model()->rowCount(), kProblems);
}

TEST_F(MainWindowTest, DomainFilterNarrowsTheTable)
{
    auto *domains = panel()->findChild<QComboBox *>(QStringLiteral("domainFilter"));
    ASSERT_NE(domains, nullptr);
    domains->setCurrentIndex(domains->findData(QStringLiteral("health")));
    EXPECT_EQ(panel()->model()->rowCount(), kProblems / 3);
    panel()->clearFilters();
    EXPECT_EQ(panel()->model()->rowCount(), kProblems);
}

TEST_F(MainWindowTest, FailedOpenKeepsTheCurrentWorkspace)
{
    const QString missing = m_data.dir.filePath(QStringLiteral("missing.crucible"));
    EXPECT_FALSE(m_controller.open(missing));
    EXPECT_TRUE(m_controller.lastError().contains(QStringLiteral("missing.crucible")));
    EXPECT_EQ(m_window->windowTitle(), QStringLiteral("browse.crucible — Crucible"));

    const QString notAWorkspace = m_data.dir.filePath(QStringLiteral("notes.crucible"));
    QFile file(notAWorkspace);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("just some text, not SQLite\n");
    file.close();
    EXPECT_FALSE(m_controller.open(notAWorkspace));
    EXPECT_FALSE(m_controller.lastError().isEmpty());
    EXPECT_EQ(panel()->model()->rowCount(), kProblems);
}

TEST_F(MainWindowTest, ClosingSavesTheLayout)
{
    EXPECT_TRUE(settings::mainWindowState.get().isEmpty());
    m_window->close();
    EXPECT_FALSE(settings::mainWindowState.get().isEmpty());
    EXPECT_FALSE(settings::mainWindowGeometry.get().isEmpty());
    EXPECT_FALSE(settings::problemsSplitterState.get().isEmpty());
}

TEST_F(MainWindowTest, CloseLeavesAnEmptyState)
{
    m_controller.close();
    EXPECT_EQ(m_window->windowTitle(), QStringLiteral("Crucible"));
    EXPECT_EQ(panel()->model()->rowCount(), 0);
    EXPECT_TRUE(m_window->statusText().contains(QStringLiteral("No workspace open")));
}

} // namespace
