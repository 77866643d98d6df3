// Quitting while a generation job runs asks first (window-modal, non-blocking); either answer
// leaves the job resumable.
#include "core/store/problemrepository.h"
#include "llmwindow.h"
#include "ui/generate/generationpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/settings.h"
#include "uitestsupport.h"

#include <QAbstractButton>
#include <QDockWidget>
#include <QMessageBox>
#include <QPushButton>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

bool jobRunning(JobTableModel *jobs)
{
    return jobs->rowCount() == 1 &&
           jobs->index(0, 0).data(JobTableModel::ProgressRole).toInt() >= 2 &&
           jobs->index(0, 0).data(JobTableModel::ActiveRole).toBool();
}

} // namespace

TEST(QuitWithJob, AsksAndCancelKeepsTheWindowAndTheJob)
{
    ScopedSettings settings;
    LlmWindow app(QStringLiteral("quit.crucible"));
    ASSERT_TRUE(app.open());
    MainWindow &window = *app.window;
    EXPECT_FALSE(window.hasRunningJobs());

    GenerationSpec spec;
    spec.kind = GenerationKind::Dataset;
    spec.domain = QStringLiteral("harbours");
    spec.count = 400;
    spec.concurrency = 2;
    // The test screen is short (800×600): the jobs start closed, and open when one starts.
    EXPECT_FALSE(window.generationDock()->isVisible());
    window.generationPanel()->start(spec);
    JobTableModel *jobs = window.generationPanel()->model();
    ASSERT_TRUE(waitUntil([&] { return jobRunning(jobs); }, 30000));
    EXPECT_TRUE(window.generationDock()->isVisible());
    ASSERT_TRUE(window.hasRunningJobs());
    const QString jobId = jobs->index(0, 0).data(JobTableModel::JobIdRole).toString();

    // Cancel: the window stays, the job keeps running.
    EXPECT_FALSE(window.close());
    QMessageBox *question = window.quitQuestion();
    ASSERT_NE(question, nullptr);
    EXPECT_TRUE(question->isVisible());
    EXPECT_EQ(question->windowModality(), Qt::WindowModal);
    EXPECT_TRUE(question->text().contains(QStringLiteral("Resume Job")));
    question->button(QMessageBox::Cancel)->click();
    ASSERT_TRUE(waitUntil([&] { return window.quitQuestion() == nullptr; }, 5000));
    EXPECT_TRUE(window.isVisible());
    EXPECT_TRUE(window.hasRunningJobs());
    EXPECT_TRUE(settings::mainWindowState.get().isEmpty()) << "nothing saved: nothing closed";

    // Quit: the window closes (the layout is saved) and the job is resumable next time.
    EXPECT_FALSE(window.close());
    question = window.quitQuestion();
    ASSERT_NE(question, nullptr);
    auto *quit = question->findChild<QPushButton *>(QStringLiteral("quitButton"));
    ASSERT_NE(quit, nullptr);
    quit->click();
    ASSERT_TRUE(waitUntil([&] { return !window.isVisible(); }, 5000));
    EXPECT_FALSE(settings::mainWindowState.get().isEmpty());
    app.window.reset();
    app.host.reset(); // the engine thread stops with the job in flight, as at exit

    WorkspaceController controller;
    LlmEngine::Options options;
    options.providersFile = app.dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    LlmEngineHost host(options);
    MainWindow again(&controller, &host);
    ASSERT_TRUE(controller.open(app.path));
    JobTableModel *reopened = again.generationPanel()->model();
    ASSERT_EQ(reopened->rowCount(), 1);
    EXPECT_EQ(reopened->index(0, 0).data(JobTableModel::JobIdRole).toString(), jobId);
    EXPECT_TRUE(reopened->index(0, 0).data(JobTableModel::ResumableRole).toBool());
    EXPECT_FALSE(again.hasRunningJobs());
    EXPECT_TRUE(again.close()) << "no job runs in this session: no question";
}

TEST(QuitWithJob, NoJobNoQuestion)
{
    ScopedSettings settings;
    LlmWindow app(QStringLiteral("idle.crucible"));
    ASSERT_TRUE(app.open());
    EXPECT_TRUE(app.window->close());
    EXPECT_EQ(app.window->quitQuestion(), nullptr);
}
