// First start: the start page instead of a default workspace full of samples, the example
// workspace, and "generate / import first asks where to keep the problems".
#include "core/store/problemrepository.h"
#include "core/store/sampledata.h"
#include "llmwindow.h"
#include "ui/generate/generatedialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/mainwindow.h"
#include "ui/problemspanel.h"
#include "ui/startpage.h"
#include "ui/workspacecontroller.h"
#include "ui/workspacefiles.h"
#include "uitestsupport.h"

#include <QAction>
#include <QCommandLinkButton>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

// A fresh home for the length of a test: HOME with a Documents folder, and the XDG data and
// config folders inside it, so the example workspace and the file dialogs never touch the real
// ones.
struct FreshHome
{
    QTemporaryDir dir;
    QByteArray oldHome = qgetenv("HOME");
    QByteArray oldData = qgetenv("XDG_DATA_HOME");
    QByteArray oldConfig = qgetenv("XDG_CONFIG_HOME");
    FreshHome()
    {
        QDir(dir.path()).mkpath(QStringLiteral("Documents"));
        qputenv("HOME", dir.path().toUtf8());
        qputenv("XDG_DATA_HOME", dir.filePath(QStringLiteral(".local/share")).toUtf8());
        qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral(".config")).toUtf8());
    }
    ~FreshHome()
    {
        qputenv("HOME", oldHome);
        oldData.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", oldData);
        oldConfig.isNull() ? qunsetenv("XDG_CONFIG_HOME") : qputenv("XDG_CONFIG_HOME", oldConfig);
    }
    QString documents() const { return dir.filePath(QStringLiteral("Documents")); }
    QStringList crucibleFiles() const
    {
        QStringList found;
        const QDir root(dir.path());
        for (const QString &sub : {QStringLiteral("."), QStringLiteral("Documents"),
                                   QStringLiteral(".local/share/Crucible/Crucible"),
                                   QStringLiteral(".local/share/Crucible")})
            for (const QString &name : QDir(root.filePath(sub)).entryList(QDir::Files))
                found << sub + QLatin1Char('/') + name;
        return found;
    }
};

// The visible dialog called `name` (one closed before may still await its deletion).
template <class T> T *waitForChild(QObject *parent, const QString &name)
{
    T *found = nullptr;
    waitUntil(
        [&] {
            for (T *child : parent->findChildren<T *>(name))
                if (child->isVisible())
                    found = child;
            return found != nullptr;
        },
        5000);
    return found;
}

bool waitForStats(WorkspaceController &controller)
{
    QSignalSpy stats(&controller, &WorkspaceController::statsChanged);
    return stats.wait(10000);
}

} // namespace

TEST(FirstRun, FirstStartShowsTheStartPageAndCreatesNoWorkspace)
{
    ScopedSettings settings;
    FreshHome home;
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    EXPECT_EQ(controller.workspace(), nullptr);
    EXPECT_TRUE(window.isStartPageShown());
    StartPage *start = window.startPage();
    EXPECT_TRUE(start->isVisible());
    EXPECT_FALSE(window.problemsPanel()->isVisible());
    EXPECT_TRUE(start->situationText().contains(QStringLiteral("No workspace is open")))
        << start->situationText().toStdString();
    for (QCommandLinkButton *button : {start->matrixButton(), start->importButton(),
                                       start->exampleButton(), start->generateButton()})
        EXPECT_TRUE(button->isVisible()) << button->objectName().toStdString();
    EXPECT_TRUE(home.crucibleFiles().isEmpty()) << home.crucibleFiles().join(u' ').toStdString();
    EXPECT_FALSE(start->recentLabel()->isVisible());
}

TEST(FirstRun, AnEmptyWorkspaceShowsTheStartPageAndProblemsReplaceIt)
{
    ScopedSettings settings;
    TempWorkspace empty(0, QStringLiteral("empty.crucible"));
    TempWorkspace full(5, QStringLiteral("full.crucible"));
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();

    ASSERT_TRUE(controller.open(empty.path));
    EXPECT_TRUE(window.isStartPageShown());
    EXPECT_TRUE(window.startPage()->situationText().contains(QStringLiteral("no problems yet")))
        << window.startPage()->situationText().toStdString();
    EXPECT_TRUE(window.startPage()->situationText().contains(QDir::toNativeSeparators(empty.path)));

    ASSERT_TRUE(controller.open(full.path));
    EXPECT_FALSE(window.isStartPageShown());
    EXPECT_TRUE(window.problemsPanel()->isVisible());

    // Problems arriving in the empty workspace (a job, an import) replace the start page once
    // the workspace is counted again.
    ASSERT_TRUE(controller.open(empty.path));
    ASSERT_TRUE(window.isStartPageShown());
    {
        auto ws = Workspace::open(empty.path);
        ProblemRepository(*ws).insert(makeProblem(1));
    }
    controller.refreshStats();
    // A count started before the insert may report first (refreshes are merged and throttled):
    // wait for the one that sees the problem.
    EXPECT_TRUE(uitest::waitUntil([&window] { return !window.isStartPageShown(); }, 10000));

    // The start page offers the other workspaces that were opened.
    controller.close();
    EXPECT_TRUE(window.isStartPageShown());
    QLabel *recent = window.startPage()->recentLabel();
    EXPECT_TRUE(recent->isVisible());
    EXPECT_TRUE(recent->text().contains(QStringLiteral("full.crucible")));
    QSignalSpy requested(window.startPage(), &StartPage::recentRequested);
    emit recent->linkActivated(QUrl::fromLocalFile(full.path).toString());
    ASSERT_EQ(requested.count(), 1);
    EXPECT_EQ(controller.path(), QFileInfo(full.path).absoluteFilePath());
}

TEST(FirstRun, TheExampleWorkspaceIsCreatedOnDemandAndRecreatedWhenMissing)
{
    ScopedSettings settings;
    FreshHome home;
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    const QString example = SampleData::exampleWorkspacePath();
    ASSERT_TRUE(example.startsWith(home.dir.path())) << example.toStdString();
    EXPECT_FALSE(QFileInfo::exists(example));

    QTest::mouseClick(window.startPage()->exampleButton(), Qt::LeftButton);
    ASSERT_EQ(controller.path(), example);
    ASSERT_TRUE(waitForStats(controller) || controller.stats().problems > 0);
    EXPECT_GE(controller.stats().problems, 8);
    EXPECT_FALSE(window.isStartPageShown());
    EXPECT_EQ(window.windowTitle(), QStringLiteral("example.crucible — Crucible"));

    controller.close();
    ASSERT_TRUE(QFile::remove(example));
    window.openExampleAction()->trigger(); // File → Open Example Workspace
    ASSERT_EQ(controller.path(), example);
    EXPECT_GE(window.problemsPanel()->totalCount(), 8);
}

TEST(FirstRun, GenerateFirstAsksWhereToKeepTheProblemsThenOpensTheSeedDialog)
{
    ScopedSettings settings;
    FreshHome home;
    LlmWindow app(QStringLiteral("unused.crucible"));
    MainWindow &window = *app.window;
    ASSERT_TRUE(window.isStartPageShown());

    // Cancelling the question creates nothing and opens nothing.
    QTest::mouseClick(window.startPage()->generateButton(), Qt::LeftButton);
    auto *ask = waitForChild<QFileDialog>(&window, QStringLiteral("newWorkspaceDialog"));
    ASSERT_NE(ask, nullptr);
    EXPECT_EQ(QFileInfo(ask->directory().absolutePath()).absoluteFilePath(),
              QFileInfo(home.documents()).absoluteFilePath());
    EXPECT_EQ(ask->acceptMode(), QFileDialog::AcceptSave);
    ask->reject();
    QCoreApplication::processEvents();
    EXPECT_EQ(app.controller.workspace(), nullptr);
    EXPECT_EQ(window.generationPanel()->dialog(), nullptr);

    QTest::mouseClick(window.startPage()->generateButton(), Qt::LeftButton);
    ask = waitForChild<QFileDialog>(&window, QStringLiteral("newWorkspaceDialog"));
    ASSERT_NE(ask, nullptr);
    const QString chosen = QDir(home.documents()).filePath(QStringLiteral("harbours"));
    ask->selectFile(chosen);
    static_cast<QDialog *>(ask)->accept(); // QFileDialog::accept, as the Save button
    ASSERT_EQ(app.controller.path(), chosen + QStringLiteral(".crucible"));
    EXPECT_TRUE(QFileInfo::exists(chosen + QStringLiteral(".crucible")));
    GenerateDialog *dialog = window.generationPanel()->dialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->kind(), GenerationKind::Seeds);
    EXPECT_TRUE(window.generationDock()->isVisible());
    dialog->reject();
    // Nothing was made in a hidden folder.
    for (const QString &file : home.crucibleFiles())
        EXPECT_FALSE(file.startsWith(u'.') && !file.startsWith(QStringLiteral("./")))
            << file.toStdString();
}

TEST(FirstRun, FileNewStartsInDocumentsAndNeverReplacesAFile)
{
    ScopedSettings settings;
    FreshHome home;
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    TempWorkspace existing(3, QStringLiteral("mine.crucible"));

    window.workspaceFiles()->newWorkspace();
    auto *ask = waitForChild<QFileDialog>(&window, QStringLiteral("newWorkspaceDialog"));
    ASSERT_NE(ask, nullptr);
    EXPECT_EQ(QFileInfo(ask->directory().absolutePath()).absoluteFilePath(),
              QFileInfo(home.documents()).absoluteFilePath());
    ask->selectFile(existing.path);
    static_cast<QDialog *>(ask)->accept(); // QFileDialog::accept, as the Save button
    auto *question = waitForChild<QMessageBox>(&window, QStringLiteral("workspaceExistsQuestion"));
    ASSERT_NE(question, nullptr);
    EXPECT_TRUE(question->text().contains(QStringLiteral("never replaces")));
    question->button(QMessageBox::Open)->click();
    ASSERT_TRUE(waitUntil([&] { return controller.workspace() != nullptr; }, 5000));
    EXPECT_EQ(controller.path(), QFileInfo(existing.path).absoluteFilePath());
    EXPECT_EQ(window.problemsPanel()->totalCount(), 3);
    EXPECT_FALSE(window.isStartPageShown());
}

TEST(FirstRun, TheDefaultFolderIsNeverHidden)
{
    FreshHome home;
    EXPECT_EQ(WorkspaceFiles::visibleDefaultFolder(), home.documents());
    QDir(home.documents()).removeRecursively();
    EXPECT_EQ(WorkspaceFiles::visibleDefaultFolder(), QDir::homePath());
}

TEST(FirstRun, ImportAsksForAWorkspaceThenOpensTheImportDialog)
{
    ScopedSettings settings;
    FreshHome home;
    TempWorkspace ws(0, QStringLiteral("import.crucible"));
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    ASSERT_TRUE(controller.open(ws.path));

    QTest::mouseClick(window.startPage()->importButton(), Qt::LeftButton);
    auto *dialog = waitForChild<QDialog>(&window, QStringLiteral("ImportDialog"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    dialog->close();

    // Without a workspace it first asks for one, then imports into it.
    controller.close();
    window.importAction()->trigger();
    auto *ask = waitForChild<QFileDialog>(&window, QStringLiteral("newWorkspaceDialog"));
    ASSERT_NE(ask, nullptr);
    ask->selectFile(QDir(home.documents()).filePath(QStringLiteral("imported.crucible")));
    static_cast<QDialog *>(ask)->accept(); // QFileDialog::accept, as the Save button
    EXPECT_TRUE(controller.path().endsWith(QStringLiteral("Documents/imported.crucible")));
    dialog = waitForChild<QDialog>(&window, QStringLiteral("ImportDialog"));
    ASSERT_NE(dialog, nullptr);
    dialog->close();
}

TEST(FirstRun, DesignAMatrixShowsTheMatrixEditor)
{
    ScopedSettings settings;
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    ASSERT_FALSE(window.matrixDock()->isVisible());
    QTest::mouseClick(window.startPage()->matrixButton(), Qt::LeftButton);
    EXPECT_TRUE(window.matrixDock()->isVisible());
}

TEST(FirstRun, ANewWorkspaceIsCountedRightAway)
{
    // The statistics use a second connection, which checks the file's header: a workspace just
    // created must already carry its application id there.
    ScopedSettings settings;
    QTemporaryDir dir;
    WorkspaceController controller;
    QSignalSpy stats(&controller, &WorkspaceController::statsChanged);
    ASSERT_TRUE(controller.create(dir.filePath(QStringLiteral("new.crucible"))))
        << controller.lastError().toStdString();
    ASSERT_TRUE(stats.wait(10000));
    EXPECT_TRUE(stats.last().at(1).toString().isEmpty())
        << stats.last().at(1).toString().toStdString();
    EXPECT_EQ(controller.stats().problems, 0);
    EXPECT_FALSE(controller.workspace()->isReadOnly());
}
