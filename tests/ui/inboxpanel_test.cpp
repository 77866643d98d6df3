// The feedback inbox from the keyboard: a digest of raised questions in expected-value order
// with their context; 1–5 rate aspect after aspect and the last one sends the answer, y answers
// yes, z snoozes; the history shows each answer's effect and Undo reopens the question; the open
// count follows; the calibration view shows the judges' agreement once people have rated.

#include "core/feedback/feedbackcollector.h"
#include "core/feedback/questionraiser.h"
#include "tests/support/evaluationfixture.h"
#include "tests/ui/uitestsupport.h"
#include "ui/feedback/calibrationview.h"
#include "ui/feedback/inboxpanel.h"

#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <gtest/gtest.h>

namespace crucible {
namespace {

using nlohmann::json;

json doc(int seed)
{
    QStringList words;
    for (int i = 0; i < 24; ++i)
        words << QStringLiteral("w%1x%2").arg(seed).arg(i);
    return {{"approach", words.mid(0, 8).join(u' ').toStdString()},
            {"steps", {words.mid(8, 8).join(u' ').toStdString()}},
            {"final_answer", words.mid(16).join(u' ').toStdString()},
            {"assumptions", json::array()}};
}

struct InboxWorkspace
{
    uitest::TempWorkspace tw{0};
    std::unique_ptr<Workspace> ws = Workspace::open(tw.path);
    test::EvaluationFixture fx{*ws};
    QString problem = fx.problem(1);
    QString gen = fx.version(fx.agent(QStringLiteral("generator"), QStringLiteral("Gen")));
    QString judgeA = fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Judge A")));
    QString judgeB = fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Judge B")));

    void verdict(const QString &solution, const QString &judge, double score, double confidence,
                 std::optional<double> coherence = std::nullopt)
    {
        test::EvaluationFixture::Scored s;
        s.scores = {{QStringLiteral("correctness"), score},
                    {QStringLiteral("coherence"), coherence.value_or(score)}};
        s.confidence = confidence;
        s.jobId = QStringLiteral("job_eval");
        fx.scoredVerdict(solution, judge, s);
    }
};

TEST(InboxPanel, AnswersFromTheKeyboardSayWhatTheyDidAndUndoReopens)
{
    InboxWorkspace w;
    const QString split = w.fx.solution(w.problem, w.gen, doc(1));
    w.verdict(split, w.judgeA, 0.2, 0.9, 0.9); // the judges disagree on correctness: rate it
    w.verdict(split, w.judgeB, 0.9, 0.9, 0.9);
    const QString edge = w.fx.solution(w.problem, w.gen, doc(2));
    w.verdict(edge, w.judgeA, 0.6, 0.9); // at the accept threshold: a yes/no question
    const QString unsure = w.fx.solution(w.problem, w.gen, doc(3));
    w.verdict(unsure, w.judgeA, 0.9, 0.2); // an unsure judge
    ASSERT_EQ(QuestionRaiser(*w.ws).fromProblem(w.problem).raised, 3);

    InboxPanel panel;
    panel.resize(1200, 600);
    panel.show();
    QSignalSpy counts(&panel, &InboxPanel::openCountChanged);
    panel.setWorkspace(w.ws.get());
    EXPECT_EQ(panel.openCount(), 3);
    ASSERT_EQ(panel.questionList()->count(), 3);
    ASSERT_FALSE(counts.isEmpty());
    EXPECT_EQ(counts.last().at(0).toInt(), 3);
    // Expected-value order: the boundary question (2.0) before the disagreement (1.6).
    const auto open = FeedbackCollector(*w.ws).open(QDateTime::currentDateTimeUtc());
    EXPECT_EQ(panel.currentQuestionId(), open.front().id);
    EXPECT_EQ(open.front().answerType, AnswerType::YesNo);
    EXPECT_TRUE(panel.contextText().contains(QStringLiteral("Judges")))
        << panel.contextText().toStdString();

    // y answers the boundary question.
    panel.questionList()->setFocus();
    QTest::keyClick(panel.questionList(), Qt::Key_Y);
    EXPECT_TRUE(panel.statusText().startsWith(QStringLiteral("Answered")))
        << panel.statusText().toStdString();
    EXPECT_EQ(panel.openCount(), 2);

    // Find the disagreement and rate both aspects from the keyboard: 4 then 5 sends it.
    for (int i = 0; i < panel.questionList()->count(); ++i) {
        panel.questionList()->setCurrentRow(i);
        if (FeedbackCollector(*w.ws).question(panel.currentQuestionId()).answerType ==
                AnswerType::Rating &&
            FeedbackCollector(*w.ws).question(panel.currentQuestionId()).solutionId == split)
            break;
    }
    const QString disagreement = panel.currentQuestionId();
    const QStringList aspects = FeedbackCollector(*w.ws).question(disagreement).ratedAspects();
    ASSERT_FALSE(aspects.isEmpty());
    QSignalSpy answered(&panel, &InboxPanel::answered);
    for (int i = 0; i < aspects.size(); ++i) {
        QTest::keyClick(panel.questionList(), Qt::Key_4);
        if (i + 1 < aspects.size()) {
            EXPECT_EQ(panel.pendingRating(aspects[i]), 4);
            EXPECT_EQ(panel.currentQuestionId(), disagreement) << "not sent before the last";
        }
    }
    ASSERT_EQ(answered.count(), 1);
    EXPECT_EQ(FeedbackCollector(*w.ws).question(disagreement).status, QuestionStatus::Answered);
    EXPECT_TRUE(panel.statusText().contains(QStringLiteral("rating(s) recorded")))
        << panel.statusText().toStdString();

    // z snoozes the last one: nothing open now, until tomorrow.
    QTest::keyClick(panel.questionList(), Qt::Key_Z);
    EXPECT_EQ(panel.openCount(), 0);
    EXPECT_EQ(panel.questionList()->count(), 0);

    // History: both answers with their effects; Undo of the rating reopens its question.
    ASSERT_GE(panel.historyTable()->rowCount(), 2);
    int row = -1;
    for (int r = 0; r < panel.historyTable()->rowCount(); ++r)
        if (panel.historyTable()->item(r, 1)->text() ==
            FeedbackCollector(*w.ws).question(disagreement).question)
            row = r;
    ASSERT_GE(row, 0);
    EXPECT_FALSE(panel.historyTable()->item(row, 3)->text().isEmpty()) << "the answer";
    panel.historyTable()->selectRow(row);
    panel.undoSelectedAnswer();
    EXPECT_EQ(FeedbackCollector(*w.ws).question(disagreement).status, QuestionStatus::Pending);
    EXPECT_EQ(panel.openCount(), 1);
    EXPECT_TRUE(panel.statusText().startsWith(QStringLiteral("Undid")));
}

TEST(InboxPanel, PickingAOrBBecomesAHumanPreferencePairTheHistoryNames)
{
    InboxWorkspace w;
    const QString a = w.fx.solution(w.problem, w.gen, doc(1));
    const QString b = w.fx.solution(w.problem, w.gen, doc(2));
    const QString t = w.fx.tournament(QStringLiteral("t"));
    // Judge A contradicts itself across the two orders: which is better, a or b?
    w.fx.comparison(t, w.problem, a, b, w.judgeA, QStringLiteral("a"), QStringLiteral("b"));
    ASSERT_EQ(QuestionRaiser(*w.ws).fromProblem(w.problem).raised, 1);
    InboxPanel panel;
    panel.resize(1200, 600);
    panel.show();
    panel.setWorkspace(w.ws.get());
    ASSERT_EQ(panel.openCount(), 1);
    panel.questionList()->setFocus();
    QTest::keyClick(panel.questionList(), Qt::Key_B);
    EXPECT_EQ(panel.openCount(), 0);
    EXPECT_TRUE(panel.statusText().contains(QStringLiteral("human preference pair")))
        << panel.statusText().toStdString();
    ASSERT_EQ(panel.historyTable()->rowCount(), 1);
    QString effects;
    for (int c = 0; c < panel.historyTable()->columnCount(); ++c)
        if (auto *item = panel.historyTable()->item(0, c))
            effects += item->text() + u'|';
    EXPECT_TRUE(effects.contains(b + QStringLiteral(" over ") + a)) << effects.toStdString();
}

TEST(InboxPanel, AQuestionAnsweredElsewhereIsExplainedAndNotCountedTwice)
{
    InboxWorkspace w;
    const QString edge = w.fx.solution(w.problem, w.gen, doc(2));
    w.verdict(edge, w.judgeA, 0.6, 0.9);
    ASSERT_EQ(QuestionRaiser(*w.ws).fromProblem(w.problem).raised, 1);
    InboxPanel panel;
    panel.setWorkspace(w.ws.get());
    ASSERT_EQ(panel.questionList()->count(), 1);
    // Another window answers first.
    AnswerValue yes;
    yes.type = AnswerType::YesNo;
    yes.yes = true;
    FeedbackCollector(*w.ws).answer(panel.currentQuestionId(), yes);
    panel.answerYesNo(false);
    EXPECT_TRUE(panel.statusText().startsWith(QStringLiteral("Not recorded")))
        << panel.statusText().toStdString();
    EXPECT_EQ(FeedbackCollector(*w.ws).answers().size(), 1u);
    EXPECT_EQ(panel.openCount(), 0);
}

TEST(CalibrationView, ShowsAgreementWithCiAndTheConfusionMatrix)
{
    InboxWorkspace w;
    // Ten solutions: the judge's score follows the person's rating but one level too high.
    for (int i = 0; i < 10; ++i) {
        const QString s = w.fx.solution(w.problem, w.gen, doc(10 + i));
        const int human = 1 + i % 4;
        w.verdict(s, w.judgeA, std::min(1.0, (human) / 4.0), 0.9);
        w.fx.judgment(s, QStringLiteral("correctness"), human);
    }
    CalibrationView view;
    view.resize(1000, 600);
    view.show();
    QSignalSpy computed(&view, &CalibrationView::computed);
    view.setWorkspace(w.ws.get());
    ASSERT_TRUE(computed.wait(10000));
    ASSERT_FALSE(view.report().rows.empty());
    EXPECT_GT(view.table()->rowCount(), 0);
    EXPECT_TRUE(view.table()->item(0, 2)->text().contains(u'['))
        << view.table()->item(0, 2)->text().toStdString();
    int total = 0;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            if (const QTableWidgetItem *cell = view.confusionTable()->item(i, j))
                total += cell->text().toInt();
    EXPECT_EQ(total, view.report().rows[0].kappa.n);
    EXPECT_TRUE(view.summaryText().contains(QStringLiteral("human rating")));
    // Which judge a job without a named one would use now.
    EXPECT_TRUE(view.summaryText().contains(QStringLiteral("A job without a named judge uses")))
        << view.summaryText().toStdString();
}

} // namespace
} // namespace crucible
