#include "core/generate/generationspec.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/entityrepository.h"
#include "ui/generate/generatedialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/interactions/interactionsviewer.h"
#include "ui/llm/llmenginehost.h"
#include "ui/mainwindow.h"
#include "ui/models/interactionlistmodel.h"
#include "ui/models/transcriptmodel.h"
#include "ui/problemspanel.h"
#include "ui/workspacecontroller.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

QString problemId(int i)
{
    return makeProblem(i).id;
}

// turns alternate between a user persona and an agent; contents name the interaction and turn.
Interaction makeInteraction(const QString &id, const QString &problem, int turns,
                            const QString &stopReason)
{
    Interaction in;
    in.id = id;
    in.problemId = problem;
    in.stopReason = stopReason;
    in.createdAt = QDateTime(QDate(2026, 2, 1), QTime(9, 30), Qt::UTC);
    nlohmann::json intents = nlohmann::json::array();
    const char *const kIntents[] = {"question", "propose", "critique", "refine", "agree"};
    for (int t = 0; t < turns; ++t) {
        const bool user = t % 2 == 0;
        in.turns.push_back({user ? QStringLiteral("user") : QStringLiteral("scheduler"),
                            user ? QStringLiteral("Dana Patient") : QStringLiteral("Scheduler"),
                            QStringLiteral("%1 turn %2: %3")
                                .arg(id)
                                .arg(t + 1)
                                .arg(user ? QStringLiteral("Can I move my appointment?")
                                          : QStringLiteral("Tuesday at 10 is free."))});
        intents.push_back(kIntents[t % 5]);
    }
    in.metadata = {{"roles",
                    {{{"role", "user"},
                      {"name", "Dana Patient"},
                      {"description", "A patient with a busy week"},
                      {"kind", "user_persona"}},
                     {{"role", "scheduler"},
                      {"name", "Scheduler"},
                      {"description", "Books appointments"},
                      {"kind", "agent"}}}},
                   {"job_id", "job_test_1"},
                   {"turn_limit", 6},
                   {"intents", intents},
                   {"cost_usd", 0.0123}};
    return in;
}

// A workspace with 5 problems; problem 0 has three interactions, problem 1 two.
class InteractionsViewerTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto ws = Workspace::open(m_data.path);
        EntityStore store(*ws);
        store.put(makeInteraction(QStringLiteral("int_a"), problemId(0), 4,
                                  QStringLiteral("repetition")));
        store.put(makeInteraction(QStringLiteral("int_b"), problemId(1), 6,
                                  QStringLiteral("turn_limit")));
        store.put(makeInteraction(QStringLiteral("int_c"), problemId(0), 3,
                                  QStringLiteral("goal_reached")));
        store.put(makeInteraction(QStringLiteral("int_d"), problemId(1), 2,
                                  QStringLiteral("turn_limit")));
        store.put(makeInteraction(QStringLiteral("int_e"), problemId(0), 5,
                                  QStringLiteral("goal_reached")));
        m_ws = Workspace::open(m_data.path, Workspace::Mode::ReadOnly);
    }

    // A second, writable connection, as the engine thread would have.
    void write(const Interaction &in)
    {
        auto ws = Workspace::open(m_data.path);
        EntityStore(*ws).put(in);
    }

    static QStringList ids(const InteractionListModel &model)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out << model.interactionIdAt(row);
        return out;
    }

    ScopedSettings m_settings;
    TempWorkspace m_data{5, QStringLiteral("interactions.crucible")};
    std::unique_ptr<Workspace> m_ws;
};

TEST_F(InteractionsViewerTest, ModelListsSummariesAndPassesTheTester)
{
    InteractionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    ASSERT_EQ(model.rowCount(), 5);
    EXPECT_EQ(model.columnCount(), InteractionListModel::ColumnCount);
    EXPECT_EQ(ids(model), (QStringList{QStringLiteral("int_a"), QStringLiteral("int_b"),
                                       QStringLiteral("int_c"), QStringLiteral("int_d"),
                                       QStringLiteral("int_e")}));
    const auto cell = [&model](int row, int column) {
        return model.data(model.index(row, column)).toString();
    };
    EXPECT_TRUE(cell(0, InteractionListModel::ProblemColumn)
                    .startsWith(QStringLiteral("Problem number 0 about widgets")));
    EXPECT_EQ(cell(0, InteractionListModel::TurnsColumn), QStringLiteral("4/6"));
    EXPECT_EQ(cell(0, InteractionListModel::StopColumn), QStringLiteral("repetition"));
    EXPECT_EQ(cell(2, InteractionListModel::StopColumn), QStringLiteral("goal reached"));
    EXPECT_EQ(cell(1, InteractionListModel::JobColumn), QStringLiteral("job_test_1"));
    EXPECT_FALSE(cell(1, InteractionListModel::CreatedColumn).isEmpty());
    EXPECT_EQ(model.data(model.index(1, 0), InteractionListModel::ProblemIdRole).toString(),
              problemId(1));
    const InteractionSummary *s = model.summaryAt(0);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->costUsd.has_value());
    EXPECT_DOUBLE_EQ(*s->costUsd, 0.0123);

    model.setProblemFilter(problemId(1));
    EXPECT_EQ(ids(model), (QStringList{QStringLiteral("int_b"), QStringLiteral("int_d")}));
    model.setProblemFilter(problemId(4));
    EXPECT_EQ(model.rowCount(), 0);
    model.setProblemFilter({});
    EXPECT_EQ(model.rowCount(), 5);
    model.setWorkspace(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.data(model.index(0, 0)).isValid());
}

TEST_F(InteractionsViewerTest, ModelReadsLargeListsInPages)
{
    constexpr int kMany = InteractionListModel::kPageSize * 2 + 17;
    {
        auto ws = Workspace::open(m_data.path);
        Workspace::Transaction tx(*ws);
        EntityStore store(*ws);
        for (int i = 0; i < kMany; ++i)
            store.put(makeInteraction(QStringLiteral("int_many_%1").arg(i, 4, 10, QLatin1Char('0')),
                                      problemId(2), 2, QStringLiteral("turn_limit")));
        tx.commit();
    }
    InteractionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    model.setProblemFilter(problemId(2));
    EXPECT_EQ(model.totalCount(), kMany);
    EXPECT_EQ(model.rowCount(), InteractionListModel::kPageSize);
    while (model.canFetchMore({}))
        model.fetchMore({});
    ASSERT_EQ(model.rowCount(), kMany);
    EXPECT_EQ(model.interactionIdAt(kMany - 1),
              QStringLiteral("int_many_%1").arg(kMany - 1, 4, 10, QLatin1Char('0')));
    EXPECT_EQ(model.rowOf(QStringLiteral("int_many_0300")), 300);
}

TEST_F(InteractionsViewerTest, AddInteractionsAppendsOnlyNewMatchingOnes)
{
    InteractionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    write(
        makeInteraction(QStringLiteral("int_new"), problemId(3), 2, QStringLiteral("turn_limit")));
    model.addInteractions(
        {QStringLiteral("int_new"), QStringLiteral("int_missing"), QStringLiteral("int_a")});
    ASSERT_EQ(inserted.count(), 1);
    ASSERT_EQ(model.rowCount(), 6);
    EXPECT_EQ(model.interactionIdAt(5), QStringLiteral("int_new"));
    EXPECT_EQ(model.totalCount(), 6);

    // Announcing the same interaction again adds nothing.
    model.addInteractions({QStringLiteral("int_new")});
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(model.rowCount(), 6);

    // With a problem filter, another problem's interaction is not shown.
    model.setProblemFilter(problemId(0));
    write(makeInteraction(QStringLiteral("int_other"), problemId(1), 2,
                          QStringLiteral("turn_limit")));
    write(makeInteraction(QStringLiteral("int_mine"), problemId(0), 2,
                          QStringLiteral("goal_reached")));
    model.addInteractions({QStringLiteral("int_other"), QStringLiteral("int_mine")});
    EXPECT_EQ(ids(model), (QStringList{QStringLiteral("int_a"), QStringLiteral("int_c"),
                                       QStringLiteral("int_e"), QStringLiteral("int_mine")}));
}

TEST_F(InteractionsViewerTest, SelectionShowsTheTranscriptAndHeader)
{
    InteractionsViewer viewer;
    QAbstractItemModelTester tester(viewer.transcript(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    viewer.setWorkspace(m_ws.get());
    EXPECT_FALSE(viewer.isEmptyStateShown());
    EXPECT_EQ(viewer.currentInteractionId(), QStringLiteral("int_a")); // the first, by default

    QSignalSpy changed(&viewer, &InteractionsViewer::currentInteractionChanged);
    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_e")));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.first().first().toString(), QStringLiteral("int_e"));

    const TranscriptModel *t = viewer.transcript();
    ASSERT_EQ(t->rowCount(), 5);
    for (int row = 0; row < 5; ++row) {
        const QModelIndex index = t->index(row);
        const bool user = row % 2 == 0;
        EXPECT_EQ(index.data().toString(),
                  QStringLiteral("int_e turn %1: %2")
                      .arg(row + 1)
                      .arg(user ? QStringLiteral("Can I move my appointment?")
                                : QStringLiteral("Tuesday at 10 is free.")));
        EXPECT_EQ(index.data(TranscriptModel::SpeakerRole).toString(),
                  user ? QStringLiteral("Dana Patient") : QStringLiteral("Scheduler"));
        EXPECT_EQ(index.data(TranscriptModel::IsUserRole).toBool(), user);
        EXPECT_EQ(index.data(TranscriptModel::ParticipantIndexRole).toInt(), user ? 0 : 1);
    }
    EXPECT_EQ(t->index(2).data(TranscriptModel::IntentRole).toString(), QStringLiteral("critique"));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("Stopped: goal reached")));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("5 of 6 turns")));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("job_test_1")));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("$0.0123")));
    EXPECT_TRUE(viewer.problemText().startsWith(QStringLiteral("Problem number 0 about widgets")));

    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_a")));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("Stopped: repetition detected")));
    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_b")));
    EXPECT_TRUE(viewer.statusText().contains(QStringLiteral("Stopped: turn limit reached")));
    EXPECT_FALSE(viewer.selectInteraction(QStringLiteral("int_missing")));

    // The bubbles are laid out by the delegate: taller for longer text, full viewport width.
    viewer.resize(1100, 700);
    viewer.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&viewer));
    const QRect first = viewer.transcriptView()->visualRect(t->index(0));
    EXPECT_GT(first.height(), viewer.fontMetrics().height() * 2);
}

TEST_F(InteractionsViewerTest, ProblemFilterFollowsTheGivenProblem)
{
    InteractionsViewer viewer;
    viewer.setWorkspace(m_ws.get());
    EXPECT_FALSE(viewer.onlyProblemCheck()->isEnabled()); // nothing to follow yet
    viewer.setProblemFilter(problemId(1));
    EXPECT_TRUE(viewer.onlyProblemCheck()->isEnabled());
    EXPECT_EQ(viewer.model()->rowCount(), 5); // following is off until the box is ticked

    viewer.setOnlyThisProblem(true);
    EXPECT_EQ(ids(*viewer.model()),
              (QStringList{QStringLiteral("int_b"), QStringLiteral("int_d")}));
    EXPECT_EQ(viewer.currentInteractionId(), QStringLiteral("int_b"));

    viewer.setProblemFilter(problemId(0));
    EXPECT_EQ(ids(*viewer.model()), (QStringList{QStringLiteral("int_a"), QStringLiteral("int_c"),
                                                 QStringLiteral("int_e")}));
    EXPECT_EQ(viewer.transcript()->interaction()->problemId, problemId(0));

    viewer.setProblemFilter(problemId(4));
    EXPECT_EQ(viewer.model()->rowCount(), 0);
    EXPECT_TRUE(viewer.isEmptyStateShown());
    EXPECT_TRUE(
        viewer.emptyStateText().contains(QStringLiteral("No interactions for this problem")));
    EXPECT_TRUE(viewer.emptyStateText().contains(QStringLiteral("--problem ") % problemId(4)));
    EXPECT_TRUE(viewer.currentInteractionId().isEmpty());
    EXPECT_TRUE(viewer.transcriptText().isEmpty());

    viewer.setOnlyThisProblem(false);
    EXPECT_EQ(viewer.model()->rowCount(), 5);
    EXPECT_FALSE(viewer.isEmptyStateShown());
}

TEST_F(InteractionsViewerTest, AddInteractionsAppendsToTheViewer)
{
    InteractionsViewer viewer;
    viewer.setWorkspace(m_ws.get());
    write(makeInteraction(QStringLiteral("int_live"), problemId(2), 3,
                          QStringLiteral("goal_reached")));
    viewer.addInteractions({QStringLiteral("int_live")});
    ASSERT_EQ(viewer.model()->rowCount(), 6);
    EXPECT_EQ(viewer.model()->interactionIdAt(5), QStringLiteral("int_live"));
    EXPECT_EQ(viewer.currentInteractionId(), QStringLiteral("int_a")); // selection kept
    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_live")));
    EXPECT_EQ(viewer.transcript()->rowCount(), 3);
}

TEST_F(InteractionsViewerTest, CopyPutsAllTurnsInOrderOnTheClipboard)
{
    InteractionsViewer viewer;
    viewer.setWorkspace(m_ws.get());
    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_b")));
    viewer.resize(1000, 600);
    viewer.show();
    viewer.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&viewer));
    QApplication::clipboard()->clear();

    viewer.list()->setFocus();
    QTest::keyClick(viewer.list(), Qt::Key_C, Qt::ControlModifier);
    const QString text = QApplication::clipboard()->text();
    ASSERT_FALSE(text.isEmpty());
    EXPECT_EQ(text, viewer.transcriptText());
    EXPECT_TRUE(text.contains(QStringLiteral("Problem: Problem number 1 about widgets")));
    EXPECT_TRUE(text.contains(QStringLiteral("Stopped: turn limit reached")));
    qsizetype previous = -1;
    for (int turn = 1; turn <= 6; ++turn) {
        const QString speaker =
            turn % 2 ? QStringLiteral("Dana Patient") : QStringLiteral("Scheduler");
        const qsizetype at = text.indexOf(QStringLiteral("[%1] %2").arg(turn).arg(speaker));
        ASSERT_GT(at, previous) << "turn " << turn;
        const qsizetype content = text.indexOf(QStringLiteral("int_b turn %1:").arg(turn));
        ASSERT_GT(content, at) << "turn " << turn;
        previous = content;
    }

    // The button copies the same text.
    QApplication::clipboard()->clear();
    ASSERT_TRUE(viewer.selectInteraction(QStringLiteral("int_d")));
    viewer.copyButton()->click();
    EXPECT_EQ(QApplication::clipboard()->text(), viewer.transcriptText());
    EXPECT_TRUE(QApplication::clipboard()->text().contains(QStringLiteral("int_d turn 2:")));
}

TEST(InteractionsViewerEmptyTest, ExplainsHowToGenerateInteractions)
{
    ScopedSettings settings;
    TempWorkspace data(3);
    auto ws = Workspace::open(data.path, Workspace::Mode::ReadOnly);
    InteractionsViewer viewer;
    EXPECT_TRUE(viewer.isEmptyStateShown());
    EXPECT_TRUE(viewer.emptyStateText().contains(QStringLiteral("No workspace open")));
    viewer.setWorkspace(ws.get());
    EXPECT_TRUE(viewer.isEmptyStateShown());
    EXPECT_TRUE(viewer.emptyStateText().contains(QStringLiteral("Generate → Interactions…")));
    EXPECT_TRUE(
        viewer.emptyStateText().contains(QStringLiteral("crucible-cli generate interactions")));
    EXPECT_FALSE(viewer.copyButton()->isEnabled());
    EXPECT_FALSE(viewer.generateButton()->isVisibleTo(&viewer)); // nobody listens
    viewer.setWorkspace(nullptr);
}

TEST(InteractionsViewerMainWindowTest, DockFollowsTheWorkspaceAndTheCurrentProblem)
{
    ScopedSettings settings;
    TempWorkspace data(3, QStringLiteral("main.crucible"));
    {
        auto ws = Workspace::open(data.path);
        EntityStore(*ws).put(makeInteraction(QStringLiteral("int_main"), problemId(1), 2,
                                             QStringLiteral("turn_limit")));
    }
    WorkspaceController controller;
    MainWindow window(&controller);
    ASSERT_NE(window.interactionsViewer(), nullptr);
    ASSERT_NE(window.interactionsDock(), nullptr);
    EXPECT_EQ(window.interactionsDock()->widget(), window.interactionsViewer());
    EXPECT_EQ(window.interactionsDock()->toggleViewAction()->shortcut(),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    window.show();
    ASSERT_TRUE(controller.open(data.path));
    InteractionsViewer *viewer = window.interactionsViewer();
    EXPECT_EQ(viewer->model()->rowCount(), 1);

    window.problemsPanel()->selectProblem(problemId(1));
    EXPECT_EQ(viewer->followedProblem(), problemId(1));
    viewer->setOnlyThisProblem(true);
    EXPECT_EQ(viewer->model()->rowCount(), 1);
    window.problemsPanel()->selectProblem(problemId(2));
    EXPECT_EQ(viewer->model()->rowCount(), 0);

    viewer->setOnlyThisProblem(false);
    ASSERT_EQ(viewer->currentInteractionId(), QStringLiteral("int_main"));
    EXPECT_FALSE(viewer->problemText().isEmpty());

    // Ctrl+Shift+T opens the dock; Ctrl+C inside it copies the transcript (no shortcut clash
    // with the other panels).
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    ASSERT_FALSE(window.interactionsDock()->isVisible());
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_TRUE(window.interactionsDock()->isVisible());
    QApplication::clipboard()->clear();
    viewer->list()->setFocus();
    QTest::keyClick(viewer->list(), Qt::Key_C, Qt::ControlModifier);
    EXPECT_EQ(QApplication::clipboard()->text(), viewer->transcriptText());
    EXPECT_TRUE(QApplication::clipboard()->text().contains(QStringLiteral("int_main turn 2:")));

    // Another workspace: nothing of the previous one stays on screen.
    TempWorkspace other(2, QStringLiteral("other.crucible"));
    ASSERT_TRUE(controller.open(other.path));
    EXPECT_TRUE(viewer->isEmptyStateShown());
    EXPECT_TRUE(viewer->currentInteractionId().isEmpty());
    EXPECT_TRUE(viewer->problemText().isEmpty());
    EXPECT_TRUE(viewer->statusText().isEmpty());
    EXPECT_TRUE(viewer->emptyStateText().contains(QStringLiteral("other.crucible")));

    controller.close();
    EXPECT_EQ(viewer->model()->rowCount(), 0);
    EXPECT_EQ(viewer->model()->workspace(), nullptr);
}

// The whole path: a generation job on the engine thread stores interactions, the Generation
// panel announces them, and the viewer appends them without a reload.
TEST(InteractionsViewerMainWindowTest, InteractionsFromAGenerationJobAppearLive)
{
    ScopedSettings settings;
    QTemporaryDir dir;
    TempWorkspace data(2, QStringLiteral("live.crucible"));
    WorkspaceController controller;
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    LlmEngineHost host(options);
    MainWindow window(&controller, &host);
    window.show();
    ASSERT_TRUE(controller.open(data.path));
    InteractionsViewer *viewer = window.interactionsViewer();
    ASSERT_EQ(viewer->model()->rowCount(), 0);

    // The empty state offers the Generate dialog, set to interactions.
    window.interactionsDock()->show();
    ASSERT_TRUE(viewer->isEmptyStateShown());
    ASSERT_TRUE(viewer->generateButton()->isVisible());
    viewer->generateButton()->click();
    GenerateDialog *dialog = window.generationPanel()->dialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->kind(), GenerationKind::Interactions);
    dialog->reject();

    QSignalSpy reset(viewer->model(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(viewer->model(), &QAbstractItemModel::rowsInserted);

    GenerationSpec spec;
    spec.kind = GenerationKind::Interactions;
    spec.providerId = QStringLiteral("simulated");
    spec.baseProblemId = problemId(1);
    spec.count = 2;
    spec.turnLimit = 4;
    QSignalSpy finished(window.generationPanel(), &GenerationPanel::jobFinished);
    window.generationPanel()->start(spec);
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(finished.first().at(2).toString().isEmpty())
        << finished.first().at(2).toString().toStdString();
    QDeadlineTimer deadline(10000);
    while (viewer->model()->rowCount() < 2 && !deadline.hasExpired())
        QTest::qWait(20);
    ASSERT_EQ(viewer->model()->rowCount(), 2);
    EXPECT_GE(inserted.count(), 1);
    EXPECT_EQ(reset.count(), 0); // appended, not reloaded
    EXPECT_EQ(
        viewer->model()->data(viewer->model()->index(0, 0), InteractionListModel::ProblemIdRole),
        problemId(1));
    EXPECT_FALSE(viewer->currentInteractionId().isEmpty()); // the first one is shown
    EXPECT_GE(viewer->transcript()->rowCount(), 2);
}

} // namespace
