#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/ui/uitestsupport.h"
#include "ui/llm/llmenginehost.h"
#include "ui/llm/llmstatusindicator.h"
#include "ui/llm/playgroundpanel.h"
#include "ui/llm/requestinspectorpanel.h"
#include "ui/mainwindow.h"
#include "ui/models/llmcalltablemodel.h"
#include "ui/settings/providersdialog.h"
#include "ui/workspacecontroller.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QFile>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace crucible;

namespace {
using crucible::uitest::waitUntil;

LlmCall makeCall(int n, const QString &status = QStringLiteral("ok"))
{
    LlmCall c;
    c.id = QStringLiteral("call_%1").arg(n, 4, 10, QLatin1Char('0'));
    c.provider = n % 2 ? QStringLiteral("openai") : QStringLiteral("simulated");
    c.model = QStringLiteral("gpt-4o-mini");
    c.status = status;
    c.httpStatus = status == QStringLiteral("ok") ? 200 : 503;
    c.tokensIn = 120;
    c.tokensOut = 30;
    c.costUsd = 0.0001 * n;
    c.latencyMs = 200 + n;
    c.request = {{"model", "gpt-4o-mini"},
                 {"messages", {{{"role", "user"}, {"content", "question " + std::to_string(n)}}}}};
    c.response = QStringLiteral("{\"answer\": %1}").arg(n);
    c.createdAt = QDateTime::currentDateTimeUtc();
    return c;
}

class InspectorTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = Workspace::create(m_dir.filePath(QStringLiteral("i.crucible")));
        LlmCallRepository repo(*m_ws);
        for (int i = 1; i <= 450; ++i)
            repo.record(makeCall(i, i % 50 == 0 ? QStringLiteral("error") : QStringLiteral("ok")));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
};

} // namespace

TEST_F(InspectorTest, ModelPagesNewestFirstAndTakesLiveUpdatesAtTheTop)
{
    LlmCallTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    EXPECT_EQ(model.rowCount(), LlmCallTableModel::kPageSize);
    EXPECT_EQ(model.summaryAt(0)->id, QStringLiteral("call_0450"));
    while (model.canFetchMore({}))
        model.fetchMore({});
    EXPECT_EQ(model.rowCount(), 450);
    EXPECT_EQ(model.summaryAt(449)->id, QStringLiteral("call_0001"));

    LlmCallRepository(*m_ws).record(makeCall(451));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.refresh();
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(model.rowCount(), 451);
    EXPECT_EQ(model.summaryAt(0)->id, QStringLiteral("call_0451"));
    // A status change (an answer marked invalid) shows without a reset.
    auto changed = makeCall(451);
    changed.status = QStringLiteral("invalid");
    LlmCallRepository(*m_ws).record(changed);
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    model.refresh();
    EXPECT_EQ(dataChanged.count(), 1);
    EXPECT_EQ(model.data(model.index(0, LlmCallTableModel::Status)).toString(),
              QStringLiteral("invalid 200"));
}

TEST_F(InspectorTest, PanelFiltersShowsDetailsAndExports)
{
    RequestInspectorPanel panel;
    panel.resize(1000, 600);
    panel.show();
    panel.setWorkspace(m_ws.get());
    EXPECT_TRUE(panel.totalsText().contains(QStringLiteral("450 calls")))
        << panel.totalsText().toStdString();
    EXPECT_TRUE(panel.totalsText().contains(QStringLiteral("9 failed")));

    auto *status = panel.findChildren<QComboBox *>().at(1);
    status->setCurrentIndex(2); // Failed
    EXPECT_EQ(panel.model()->rowCount(), 9);
    panel.table()->selectRow(0);
    EXPECT_TRUE(panel.detailText().contains(QStringLiteral("\"answer\": 450")))
        << panel.detailText().toStdString();

    const QString out = m_dir.filePath(QStringLiteral("calls.jsonl"));
    QSignalSpy done(&panel, &RequestInspectorPanel::exportFinished);
    panel.exportTo(out);
    ASSERT_TRUE(done.wait(10000));
    EXPECT_EQ(done.at(0).at(1).toLongLong(), 9);
    EXPECT_TRUE(done.at(0).at(2).toString().isEmpty());
    QFile file(out);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(file.readAll().count('\n'), 9);
}

TEST(LlmGui, PlaygroundRunsHundredsOfSimulatedCallsThroughTheEngineThread)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("g.crucible"));
    Workspace::create(path);
    WorkspaceController controller;
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    LlmEngineHost host(options);
    MainWindow window(&controller, &host);
    window.show();
    ASSERT_TRUE(controller.open(path));

    PlaygroundPanel *play = window.playground();
    ASSERT_TRUE(waitUntil([&] { return play->providerBox()->count() > 0; }, 10000));
    EXPECT_TRUE(play->providerBox()->currentText().contains(QStringLiteral("Simulated")));

    play->setPrompt(QStringLiteral("Suggest a name for a river crossing puzzle"));
    play->setSamples(200);
    play->send();
    // The GUI thread keeps processing events (this loop) while the engine runs the calls.
    ASSERT_TRUE(waitUntil(
        [&] { return play->progressText().startsWith(QStringLiteral("Finished: 200 of 200")); },
        60000))
        << play->progressText().toStdString();
    EXPECT_FALSE(play->answerText().isEmpty());
    ASSERT_TRUE(waitUntil([&] { return window.llmStatus()->stats().calls == 200; }, 5000));
    EXPECT_EQ(window.llmStatus()->stats().inFlight, 0);
    EXPECT_TRUE(window.llmStatus()->text().contains(QStringLiteral("$0 this session")))
        << window.llmStatus()->text().toStdString();

    window.inspector()->refreshNow();
    EXPECT_EQ(window.inspector()->model()->rowCount(), 200);
    EXPECT_TRUE(window.inspector()->totalsText().contains(QStringLiteral("200 calls")));

    // The same samples again come from the cache.
    play->send();
    ASSERT_TRUE(waitUntil([&] { return window.llmStatus()->stats().cacheHits == 200; }, 30000));
}

TEST(LlmGui, SettingsMenuOpensTheProvidersDialogOnTheHostsFile)
{
    QTemporaryDir dir;
    WorkspaceController controller;
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    LlmEngineHost host(options);
    MainWindow window(&controller, &host);
    window.show();
    QAction *action = nullptr;
    for (QAction *a : window.findChildren<QAction *>())
        if (a->text() == MainWindow::tr("LLM &Providers…"))
            action = a;
    ASSERT_NE(action, nullptr);
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    action->trigger();
    auto *dialog = window.findChild<ProvidersDialog *>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_EQ(dialog->registryPath(), options.providersFile);
    dialog->reject();
}

TEST(LlmGui, ClosingWhileCallsAreInFlightShutsDownCleanly)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.crucible"));
    Workspace::create(path);
    WorkspaceController controller;
    ASSERT_TRUE(controller.open(path));
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    {
        LlmEngineHost host(options);
        MainWindow window(&controller, &host);
        window.show();
        PlaygroundPanel *play = window.playground();
        ASSERT_TRUE(waitUntil([&] { return play->providerBox()->count() > 0; }, 10000));
        play->setPrompt(QStringLiteral("Keep going"));
        play->setSamples(300);
        play->send();
        ASSERT_TRUE(waitUntil([&] { return window.llmStatus()->stats().inFlight > 0; }, 10000));
    } // window and engine thread go away with calls in flight
    // What finished before the close was written to the ledger.
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    LlmCallRepository repo(*ws);
    EXPECT_LT(repo.count(), 300);
}
