#include "core/store/problemrepository.h"
#include "core/store/sampledata.h"
#include "core/store/workspaceerror.h"
#include "tests/support/testworkspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

TEST(SampleData, ExampleWorkspaceIsCreatedWithTheSamplesAndNoLeftovers)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("app data/example.crucible"));
    EXPECT_EQ(SampleData::ensureExampleWorkspace(path), QFileInfo(path).absoluteFilePath());
    ASSERT_TRUE(QFileInfo::exists(path));
    {
        auto ws = Workspace::open(path);
        ProblemRepository repo(*ws);
        EXPECT_GE(repo.count(), 8);
        EXPECT_FALSE(repo.descendants(QStringLiteral("prb_sample_ledger")).empty());
    }
    const QStringList files = QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files);
    EXPECT_EQ(files, QStringList{QStringLiteral("example.crucible")})
        << files.join(u' ').toStdString();
}

TEST(SampleData, ExampleWorkspaceIsKeptWhenPresentAndRecreatedWhenMissing)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("example.crucible"));
    SampleData::ensureExampleWorkspace(path);
    {
        // The user's own additions to the example survive the next start.
        auto ws = Workspace::open(path);
        ProblemRepository(*ws).insert(makeProblem(1));
    }
    const qint64 withMine = [&] {
        auto ws = Workspace::open(path);
        return ProblemRepository(*ws).count();
    }();
    SampleData::ensureExampleWorkspace(path);
    {
        auto ws = Workspace::open(path);
        EXPECT_EQ(ProblemRepository(*ws).count(), withMine);
    }
    ASSERT_TRUE(QFile::remove(path));
    SampleData::ensureExampleWorkspace(path);
    auto ws = Workspace::open(path);
    EXPECT_EQ(ProblemRepository(*ws).count(), withMine - 1);
}

TEST(SampleData, ExampleWorkspaceReplacesAnInterruptedAttempt)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("example.crucible"));
    writeFile(path + QStringLiteral(".partial"), QByteArray("half a file"));
    SampleData::ensureExampleWorkspace(path);
    EXPECT_FALSE(QFileInfo::exists(path + QStringLiteral(".partial")));
    auto ws = Workspace::open(path);
    EXPECT_GE(ProblemRepository(*ws).count(), 8);
}

TEST(SampleData, ExampleWorkspaceInAnUnwritablePlaceSaysWhere)
{
    TempFolder dir;
    const QString blocker = dir.file(QStringLiteral("file"));
    writeFile(blocker, QByteArray("not a folder"));
    try {
        SampleData::ensureExampleWorkspace(blocker + QStringLiteral("/example.crucible"));
        FAIL() << "expected a WorkspaceError";
    } catch (const WorkspaceError &e) {
        EXPECT_NE(e.message().indexOf(QDir::toNativeSeparators(blocker)), -1)
            << e.message().toStdString();
    }
}

TEST(SampleData, ExampleWorkspaceIsNotTheDefaultWorkspace)
{
    EXPECT_TRUE(SampleData::exampleWorkspacePath().endsWith(QStringLiteral("/example.crucible")));
    EXPECT_NE(SampleData::exampleWorkspacePath(), Workspace::defaultPath());
}
