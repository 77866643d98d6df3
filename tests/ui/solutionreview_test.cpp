// The Solution Review panel and its model (solutions side by side, filters, ratings from the
// keyboard stored as human judgments), the Solve/Evaluate dialog with its estimate, and solve
// and evaluate jobs in the jobs dock with cancel and resume through the engine thread.

#include "core/store/jobrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/support/solvefixtures.h"
#include "tests/ui/llmwindow.h"
#include "tests/ui/uitestsupport.h"
#include "ui/generate/generationpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/models/solutionreviewmodel.h"
#include "ui/review/solutionreviewpanel.h"
#include "ui/review/solvedialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTextBrowser>
#include <QUndoStack>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::uitest::waitUntil;

namespace {

// Problem 1 with three solutions: sol_good (two agreeing judges, high), sol_low (low score),
// sol_split (judges disagree); problem 2 with one unevaluated solution.
struct ReviewData
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("r.crucible"));
    std::unique_ptr<Workspace> ws = Workspace::create(path);
    QStringList problems = test::insertProblems(*ws, 2);
    QString gen = test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("Gen"));
    QString crit = test::insertAgentVersion(*ws, QStringLiteral("critic"), QStringLiteral("Crit"));
    QString j1 = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("J1"));
    QString j2 = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("J2"));

    ReviewData()
    {
        add(QStringLiteral("sol_good"), problems[0], {{0.9, 0.85}, {0.8, 0.9}});
        add(QStringLiteral("sol_low"), problems[0], {{0.2, 0.3}, {0.3, 0.2}});
        add(QStringLiteral("sol_split"), problems[0], {{0.9, 0.9}, {0.2, 0.8}});
        add(QStringLiteral("sol_other"), problems[1], {});
        Critique c;
        c.id = QStringLiteral("crt_1");
        c.solutionId = QStringLiteral("sol_low");
        c.agentVersionId = crit;
        c.summary = QStringLiteral("The budget is ignored entirely.");
        c.issues = {{QStringLiteral("critical"), QStringLiteral("budget under 100"),
                     QStringLiteral("no cost"), QStringLiteral("add a cost table")}};
        c.verdict = QStringLiteral("revise");
        SolutionRepository(*ws).insertCritique(c);
    }

    // scores: per judge, (correctness, completeness).
    void add(const QString &id, const QString &problem,
             const std::vector<std::pair<double, double>> &scores)
    {
        Solution s;
        s.id = id;
        s.problemId = problem;
        s.agentVersionId = gen;
        s.body.approach = QStringLiteral("Approach of %1").arg(id);
        s.body.steps = {QStringLiteral("Measure the widgets"), QStringLiteral("Cut the budget")};
        s.body.finalAnswer = QStringLiteral("Answer of %1").arg(id);
        SolutionRepository(*ws).insert(s);
        int n = 0;
        for (const auto &[correctness, completeness] : scores) {
            Verdict v;
            v.id = QStringLiteral("vrd_%1_%2").arg(id).arg(n);
            v.solutionId = id;
            v.judgeVersionId = n == 0 ? j1 : j2;
            v.scores.aspects[QStringLiteral("correctness")] = {correctness,
                                                               QStringLiteral("because")};
            v.scores.aspects[QStringLiteral("completeness")] = {completeness,
                                                                QStringLiteral("since")};
            v.overall = (correctness + completeness) / 2;
            v.novelty = 0.7;
            v.confidence = 0.8;
            v.checks[QStringLiteral("required_fields")] = {true, QStringLiteral("ok")};
            v.rubricVersion = QStringLiteral("rabcdef12");
            VerdictRepository(*ws).insert(v);
            ++n;
        }
    }
};

} // namespace

TEST(SolutionReviewModel, FiltersAndPassesTheModelTester)
{
    ReviewData d;
    SolutionReviewModel model;
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setWorkspace(d.ws.get());
    const auto problems = model.problems();
    ASSERT_EQ(problems.size(), 2u);
    model.setProblem(d.problems[0]);
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.aspects(),
              (QStringList{QStringLiteral("correctness"), QStringLiteral("completeness")}));
    EXPECT_EQ(model.index(0, SolutionReviewModel::AgentColumn).data().toString(),
              QStringLiteral("Gen v1"));
    EXPECT_EQ(model.index(0, SolutionReviewModel::OverallColumn).data().toString(),
              QStringLiteral("0.86"));

    model.setFilter(SolutionReviewModel::Filter::LowScore);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, 0).data().toString(), QStringLiteral("sol_low"));
    model.setFilter(SolutionReviewModel::Filter::JudgesDisagree);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, 0).data().toString(), QStringLiteral("sol_split"));

    model.setFilter(SolutionReviewModel::Filter::All);
    ASSERT_TRUE(model.rate(0, QStringLiteral("correctness"), 5, QStringLiteral("clear")));
    ASSERT_TRUE(model.rate(0, QStringLiteral("completeness"), std::nullopt, {}));
    EXPECT_EQ(model.reviewedCount(), 1);
    model.setFilter(SolutionReviewModel::Filter::Unreviewed);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.rowOf(QStringLiteral("sol_good")), -1);
    const auto stored = VerdictRepository(*d.ws).judgment(QStringLiteral("sol_good"),
                                                          QStringLiteral("correctness"));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->rating, 5);
    EXPECT_EQ(stored->note, QStringLiteral("clear"));
}

TEST(SolutionReviewPanel, RatesFromTheKeyboardAndStoresHumanJudgments)
{
    ReviewData d;
    SolutionReviewPanel panel;
    panel.resize(1400, 800);
    panel.setWorkspace(d.ws.get());
    panel.setProblem(d.problems[0]);
    panel.show();
    ASSERT_EQ(panel.model()->rowCount(), 3);
    ASSERT_TRUE(panel.card(0));
    EXPECT_TRUE(panel.card(1)->toPlainText().contains(QStringLiteral("The budget is ignored")))
        << "critiques show on their solution's card";
    EXPECT_TRUE(panel.card(2)->toPlainText().contains(QStringLiteral("judges disagree")));
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_good"));
    EXPECT_EQ(panel.currentAspect(), QStringLiteral("correctness"));

    panel.setFocus();
    QTest::keyClick(&panel, Qt::Key_4); // correctness of sol_good, then completeness
    EXPECT_EQ(panel.currentAspect(), QStringLiteral("completeness"));
    QTest::keyClick(&panel, Qt::Key_S); // skip: stored without a rating, next solution
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_low"));
    QTest::keyClick(&panel, Qt::Key_Down);
    QTest::keyClick(&panel, Qt::Key_2); // completeness of sol_low, then on to sol_split
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_split"));
    QTest::keyClick(&panel, Qt::Key_Left);
    QTest::keyClick(&panel, Qt::Key_P);
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_good"));
    QTest::keyClick(&panel, Qt::Key_E); // note on correctness of sol_good
    ASSERT_TRUE(panel.noteEdit()->hasFocus() || !panel.isActiveWindow());
    panel.noteEdit()->setText(QStringLiteral("solid reasoning"));
    QTest::keyClick(panel.noteEdit(), Qt::Key_Return);

    VerdictRepository repo(*d.ws);
    const auto good = repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"));
    ASSERT_TRUE(good);
    EXPECT_EQ(good->rating, 4);
    EXPECT_EQ(good->note, QStringLiteral("solid reasoning"));
    const auto skipped = repo.judgment(QStringLiteral("sol_good"), QStringLiteral("completeness"));
    ASSERT_TRUE(skipped);
    EXPECT_TRUE(skipped->skipped());
    EXPECT_EQ(repo.judgment(QStringLiteral("sol_low"), QStringLiteral("completeness"))->rating, 2);
    EXPECT_FALSE(repo.judgment(QStringLiteral("sol_low"), QStringLiteral("correctness")));

    // A rating is replaced, never duplicated.
    QTest::keyClick(&panel, Qt::Key_5);
    EXPECT_EQ(repo.judgmentsOf(QStringLiteral("sol_good")).size(), 2u);
    EXPECT_EQ(repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"))->rating, 5);
    EXPECT_TRUE(panel.statusText().contains(QStringLiteral("1–5 rate")));

    // Ctrl+Z puts back the 4 (and the note), and takes the cursor there; Ctrl+Shift+Z redoes.
    QTest::keyClick(&panel, Qt::Key_Z, Qt::ControlModifier);
    auto undone = repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"));
    ASSERT_TRUE(undone);
    EXPECT_EQ(undone->rating, 4);
    EXPECT_EQ(undone->note, QStringLiteral("solid reasoning"));
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_good"));
    EXPECT_EQ(panel.currentAspect(), QStringLiteral("correctness"));
    EXPECT_TRUE(panel.statusText().startsWith(QStringLiteral("Undone")))
        << panel.statusText().toStdString();
    QTest::keyClick(&panel, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"))->rating, 5);
    // Undoing back past the first rating of sol_low's completeness removes it again.
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(&panel, Qt::Key_Z, Qt::ControlModifier);
    EXPECT_FALSE(repo.judgment(QStringLiteral("sol_low"), QStringLiteral("completeness")));
    EXPECT_EQ(repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"))->rating, 4);
    EXPECT_TRUE(
        repo.judgment(QStringLiteral("sol_good"), QStringLiteral("correctness"))->note.isEmpty());
    EXPECT_EQ(panel.undoStack()->index(), 1);
    QTest::keyClick(&panel, Qt::Key_Z, Qt::ShiftModifier | Qt::ControlModifier);
    EXPECT_EQ(repo.judgment(QStringLiteral("sol_good"), QStringLiteral("completeness"))->rating,
              std::nullopt);
    EXPECT_TRUE(repo.judgment(QStringLiteral("sol_good"), QStringLiteral("completeness")));

    // The filter narrows the cards.
    panel.filterBox()->setCurrentIndex(
        panel.filterBox()->findText(QStringLiteral("Judges disagree")));
    EXPECT_EQ(panel.model()->rowCount(), 1);
    EXPECT_EQ(panel.currentSolutionId(), QStringLiteral("sol_split"));
    EXPECT_FALSE(panel.card(1));
}

TEST(SolveDialog, ShowsTheEstimateAndRefusesWhatCannotRun)
{
    ReviewData d;
    LlmProviderInfo sim;
    sim.id = QStringLiteral("simulated");
    sim.label = QStringLiteral("Simulated");
    sim.model = QStringLiteral("simulated");
    sim.simulated = true;
    SolveDialog solve(SolveDialog::Mode::Solve, d.ws.get(), d.problems[0], {});
    solve.setProviders({sim}, sim.id);
    EXPECT_EQ(solve.agentList()->count(), 1);
    EXPECT_TRUE(solve.problemText().isEmpty()) << solve.problemText().toStdString();
    EXPECT_TRUE(solve.estimateText().contains(QStringLiteral("2 calls")))
        << solve.estimateText().toStdString(); // generator + critic (no refiner agent)
    EXPECT_TRUE(solve.estimateText().contains(QStringLiteral("free")));
    QSignalSpy requested(&solve, &SolveDialog::startRequested);
    solve.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    ASSERT_EQ(requested.count(), 1);
    const auto request = requested.at(0).at(0).value<EngineJobRequest>();
    EXPECT_EQ(request.kind, QStringLiteral("solve"));
    EXPECT_EQ(request.providerId, sim.id);
    const nlohmann::json &params = request.params;
    EXPECT_EQ(params["teams"][0]["generator"], d.gen.toStdString());
    EXPECT_EQ(params["teams"][0]["critic"], d.crit.toStdString());

    SolveDialog none(SolveDialog::Mode::Solve, d.ws.get(), d.problems[0], {});
    none.agentList()->item(0)->setCheckState(Qt::Unchecked);
    EXPECT_FALSE(none.problemText().isEmpty());
    EXPECT_FALSE(none.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());

    SolveDialog evaluate(SolveDialog::Mode::Evaluate, d.ws.get(), d.problems[0], {});
    evaluate.setProviders({sim}, sim.id);
    EXPECT_EQ(evaluate.agentList()->count(), 2);
    EXPECT_TRUE(evaluate.estimateText().contains(QStringLiteral("3 units")))
        << evaluate.estimateText().toStdString();
    evaluate.aspectsEdit()->setText(QStringLiteral("Not An Aspect"));
    EXPECT_TRUE(evaluate.problemText().contains(QStringLiteral("aspect")))
        << evaluate.problemText().toStdString();
}

TEST(SolveGui, SolveAndEvaluateJobsRunInTheJobsDockAndResume)
{
    uitest::ScopedSettings settings;
    uitest::LlmWindow app(QStringLiteral("s.crucible"));
    QString gen;
    QString judge;
    QStringList problems;
    {
        auto ws = Workspace::open(app.path);
        problems = test::insertProblems(*ws, 40);
        gen = test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("G"));
        judge = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("J"));
    }
    ASSERT_TRUE(app.open());
    MainWindow &window = *app.window;
    ASSERT_TRUE(window.findChild<QMenu *>(QStringLiteral("evaluateMenu")));
    JobTableModel *jobs = window.generationPanel()->model();
    const nlohmann::json params = {
        {"problems", problems},
        {"teams", nlohmann::json::array({{{"generator", gen.toStdString()}}})},
        {"concurrency", 1}};
    EngineJobRequest request;
    request.kind = QStringLiteral("solve");
    request.params = params;
    app.host->startEngineJob(request);
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 1 &&
                   jobs->index(0, 0).data(JobTableModel::AcceptedRole).toInt() >= 2;
        },
        60000));
    EXPECT_EQ(jobs->index(0, JobTableModel::KindColumn).data().toString(), QStringLiteral("solve"));
    EXPECT_EQ(jobs->index(0, 0).data(JobTableModel::TargetRole).toInt(), 40);
    auto *table = window.generationPanel()->findChild<QTableView *>(QStringLiteral("jobsTable"));
    table->selectRow(0);
    window.generationPanel()->cancelSelected();
    ASSERT_TRUE(waitUntil(
        [&] { return !jobs->index(0, 0).data(JobTableModel::ActiveRole).toBool(); }, 30000));
    EXPECT_EQ(jobs->index(0, JobTableModel::StatusColumn).data().toString(),
              QStringLiteral("cancelled"));
    window.generationPanel()->resumeSelected();
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                   QStringLiteral("completed");
        },
        60000));
    {
        auto ws = Workspace::open(app.path, Workspace::Mode::ReadOnly);
        EXPECT_EQ(SolutionRepository(*ws).count(), 40) << "one answer per problem, none twice";
    }

    // The review shows them once opened.
    window.reviewDock()->toggleViewAction()->trigger();
    window.solutionReview()->setProblem(problems[0]);
    EXPECT_EQ(window.solutionReview()->model()->rowCount(), 1);
}
