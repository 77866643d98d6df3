#include "core/feedback/feedbackcollector.h"
#include "core/feedback/questionraiser.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

#include <QSqlQuery>

using namespace crucible;
using nlohmann::json;

namespace {

// A solution text of its own: no two seeds share a three-word run.
json distinctDoc(int seed)
{
    QStringList words;
    for (int i = 0; i < 24; ++i)
        words << QStringLiteral("word%1n%2").arg(seed).arg(i);
    return {{"approach", words.mid(0, 8).join(u' ').toStdString()},
            {"steps", {words.mid(8, 8).join(u' ').toStdString()}},
            {"final_answer", words.mid(16).join(u' ').toStdString()},
            {"assumptions", json::array()}};
}

class FeedbackInbox : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(tmp.file(QStringLiteral("inbox.crucible")));
        fx = std::make_unique<test::EvaluationFixture>(*ws);
        problem = fx->problem(1);
        const QString gen = fx->agent(QStringLiteral("generator"), QStringLiteral("Gen"));
        genV = fx->version(gen);
        judgeA = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge A")));
        judgeB = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge B")));
    }

    QString solution(int seed, const QString &problemId = {})
    {
        return fx->solution(problemId.isEmpty() ? problem : problemId, genV, distinctDoc(seed));
    }

    void verdict(const QString &solutionId, const QString &judge, double correctness,
                 double coherence, double confidence, const QString &rationale = {})
    {
        test::EvaluationFixture::Scored scored;
        scored.scores = {{QStringLiteral("correctness"), correctness},
                         {QStringLiteral("coherence"), coherence}};
        scored.confidence = confidence;
        scored.jobId = QStringLiteral("job_eval");
        if (!rationale.isEmpty())
            scored.rationales[QStringLiteral("correctness")] = rationale;
        fx->scoredVerdict(solutionId, judge, scored);
    }

    RaiseReport raise() { return QuestionRaiser(*ws).fromProblem(problem); }

    FeedbackQuestion only(QuestionKind kind, const QString &solutionId)
    {
        QuestionFilter f;
        f.kind = kind;
        f.solutionId = solutionId;
        const auto list = FeedbackStore(*ws).questions(f);
        EXPECT_EQ(list.size(), 1u)
            << toString(kind).toStdString() << " on " << solutionId.toStdString();
        return list.empty() ? FeedbackQuestion{} : list.front();
    }

    static AnswerValue rating(std::map<QString, int> r)
    {
        AnswerValue v;
        v.type = AnswerType::Rating;
        v.ratings = std::move(r);
        return v;
    }

    test::TempFolder tmp;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<test::EvaluationFixture> fx;
    QString problem, genV, judgeA, judgeB;
};

} // namespace

TEST_F(FeedbackInbox, RaisesOnlyWhereAnAnswerIsWorthItWithExpectedValue)
{
    const QString calm = solution(1);
    verdict(calm, judgeA, 0.9, 0.9, 0.9);
    verdict(calm, judgeB, 0.85, 0.9, 0.9);
    const QString split = solution(2);
    verdict(split, judgeA, 0.1, 0.9, 0.9);
    verdict(split, judgeB, 0.9, 0.9, 0.9);
    const QString unsure = solution(3);
    verdict(unsure, judgeA, 0.9, 0.9, 0.2);
    const QString edge = solution(4);
    verdict(edge, judgeA, 0.6, 0.6, 0.9); // overall 0.6: at the threshold

    const RaiseReport first = raise();
    EXPECT_EQ(first.solutions, 4);
    EXPECT_EQ(first.raised, 3);
    EXPECT_TRUE(FeedbackStore(*ws).questions({{}, {}, calm, {}, std::nullopt}).empty());

    const FeedbackQuestion d = only(QuestionKind::Disagreement, split);
    EXPECT_EQ(d.aspect, QStringLiteral("correctness"));
    EXPECT_EQ(d.answerType, AnswerType::Rating);
    EXPECT_NEAR(d.uncertainty, 0.8, 1e-9);
    EXPECT_DOUBLE_EQ(d.impact, 2.0); // its scores, and the decision: the judges straddle 0.6
    EXPECT_NEAR(d.expectedValue, 1.6, 1e-9);
    EXPECT_EQ(d.context["judges"].size(), 2u);
    EXPECT_EQ(d.context["rubric_item"]["aspect"], "correctness");
    EXPECT_FALSE(d.context["solutions"][0]["excerpt"].get<std::string>().empty());

    const FeedbackQuestion u = only(QuestionKind::LowConfidence, unsure);
    EXPECT_NEAR(u.uncertainty, 0.8, 1e-9);
    EXPECT_DOUBLE_EQ(u.impact, 1.0); // 0.9: nothing else rides on it

    const FeedbackQuestion b = only(QuestionKind::Boundary, edge);
    EXPECT_EQ(b.answerType, AnswerType::YesNo);
    EXPECT_NEAR(b.uncertainty, 1.0, 1e-9); // 1 − 0 / 0.05
    EXPECT_DOUBLE_EQ(b.impact, 2.0);       // its scores and the accept decision
    EXPECT_NEAR(b.expectedValue, 2.0, 1e-9);

    // Highest expected value first; raising again stores nothing twice.
    const auto open = FeedbackCollector(*ws).open(jsonio::nowUtc());
    ASSERT_EQ(open.size(), 3u);
    EXPECT_EQ(open[0].id, b.id);
    const RaiseReport again = raise();
    EXPECT_EQ(again.raised, 0);
    EXPECT_EQ(again.refreshed, 3);
    EXPECT_EQ(FeedbackCollector(*ws).open(jsonio::nowUtc()).size(), 3u);
}

TEST_F(FeedbackInbox, ComparisonsRaiseImpactAndContradictionsAskForAChoice)
{
    const QString a = solution(5), b = solution(6), c = solution(7);
    verdict(a, judgeA, 0.9, 0.9, 0.2);
    verdict(c, judgeA, 0.9, 0.9, 0.2);
    const QString t = fx->tournament(QStringLiteral("t"));
    const QString cmp = fx->comparison(t, problem, a, b, judgeA, QStringLiteral("a"),
                                       QStringLiteral("b")); // contradicts itself
    fx->comparison(t, problem, a, c, judgeA, QStringLiteral("a"), QStringLiteral("a"));
    raise();
    // a is in two comparisons: its question settles more than c's (one comparison).
    EXPECT_DOUBLE_EQ(only(QuestionKind::LowConfidence, a).impact, 3.0);
    EXPECT_DOUBLE_EQ(only(QuestionKind::LowConfidence, c).impact, 2.0);
    QuestionFilter f;
    f.kind = QuestionKind::Comparison;
    const auto choices = FeedbackStore(*ws).questions(f);
    ASSERT_EQ(choices.size(), 1u);
    EXPECT_EQ(choices[0].answerType, AnswerType::Choice);
    EXPECT_EQ(choices[0].context["comparison_id"], cmp.toStdString());
    EXPECT_DOUBLE_EQ(choices[0].uncertainty, 1.0);
    AnswerValue pick;
    pick.type = AnswerType::Choice;
    pick.choice = QStringLiteral("b");
    const FeedbackAnswer ans = FeedbackCollector(*ws).answer(choices[0].id, pick);
    EXPECT_EQ(ans.effects["preference"]["choice"], "b");
}

TEST_F(FeedbackInbox, RatingIsStoredAndSettlesQuestionsOfTheSameSolutionAndNearDuplicates)
{
    const QString split = solution(8);
    verdict(split, judgeA, 0.1, 0.9, 0.3);
    verdict(split, judgeB, 0.9, 0.9, 0.9);
    // The same text again (a near-duplicate) with an unsure judge; and an unrelated one.
    const QString twin = fx->solution(problem, genV, distinctDoc(8));
    verdict(twin, judgeA, 0.9, 0.9, 0.3);
    const QString other = solution(9);
    verdict(other, judgeA, 0.9, 0.9, 0.3);
    raise();
    const FeedbackQuestion d = only(QuestionKind::Disagreement, split);
    const FeedbackQuestion low = only(QuestionKind::LowConfidence, split);
    const FeedbackQuestion twinLow = only(QuestionKind::LowConfidence, twin);
    const FeedbackQuestion otherLow = only(QuestionKind::LowConfidence, other);

    FeedbackCollector inbox(*ws);
    const FeedbackAnswer a = inbox.answer(
        d.id, rating({{QStringLiteral("correctness"), 2}, {QStringLiteral("coherence"), 4}}));
    const auto stored = VerdictRepository(*ws).judgmentsOf(split);
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(VerdictRepository(*ws).judgment(split, QStringLiteral("correctness"))->rating, 2);

    EXPECT_EQ(inbox.question(d.id).status, QuestionStatus::Answered);
    EXPECT_EQ(inbox.question(d.id).answerId, a.id);
    EXPECT_EQ(inbox.question(low.id).status, QuestionStatus::Resolved);
    EXPECT_EQ(inbox.question(low.id).resolvedBy, a.id);
    EXPECT_EQ(inbox.question(twinLow.id).status, QuestionStatus::Resolved);
    EXPECT_EQ(inbox.question(otherLow.id).status, QuestionStatus::Pending);
    ASSERT_EQ(a.effects["resolved"].size(), 2u);
    bool sawNearDuplicate = false;
    for (const auto &r : a.effects["resolved"])
        sawNearDuplicate |= QString::fromStdString(r["reason"]).startsWith(u"near-duplicate");
    EXPECT_TRUE(sawNearDuplicate);
}

TEST_F(FeedbackInbox, UndoRevertsJudgmentsReopensQuestionsAndCanBeAnsweredAgain)
{
    const QString split = solution(10);
    verdict(split, judgeA, 0.1, 0.9, 0.3);
    verdict(split, judgeB, 0.9, 0.9, 0.9);
    // An earlier rating from the solution review, by the same (unnamed) rater.
    VerdictRepository(*ws).setJudgment(split, QStringLiteral("correctness"), 5,
                                       QStringLiteral("review"));
    raise();
    const FeedbackQuestion d = only(QuestionKind::Disagreement, split);
    const FeedbackQuestion low = only(QuestionKind::LowConfidence, split);
    FeedbackCollector inbox(*ws);
    const FeedbackAnswer a = inbox.answer(
        d.id, rating({{QStringLiteral("correctness"), 1}, {QStringLiteral("coherence"), 3}}));
    EXPECT_EQ(VerdictRepository(*ws).judgment(split, QStringLiteral("correctness"))->rating, 1);

    const FeedbackAnswer undone = inbox.undo(d.id); // by the question's id
    EXPECT_EQ(undone.id, a.id);
    const auto restored = VerdictRepository(*ws).judgment(split, QStringLiteral("correctness"));
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored->rating, 5);
    EXPECT_EQ(restored->note, QStringLiteral("review"));
    EXPECT_FALSE(VerdictRepository(*ws).judgment(split, QStringLiteral("coherence")));
    EXPECT_EQ(inbox.question(d.id).status, QuestionStatus::Pending);
    EXPECT_EQ(inbox.question(low.id).status, QuestionStatus::Pending);
    EXPECT_TRUE(inbox.question(low.id).resolvedBy.isEmpty());
    EXPECT_TRUE(FeedbackStore(*ws).answer(a.id)->undone);

    try {
        inbox.undo(a.id);
        FAIL() << "undoing twice must fail";
    } catch (const FeedbackError &e) {
        EXPECT_EQ(e.kind(), FeedbackError::Kind::NotOpen);
        EXPECT_TRUE(e.message().contains(QStringLiteral("already undone")));
    }
    const FeedbackAnswer again = inbox.answer(d.id, rating({{QStringLiteral("correctness"), 2}}));
    EXPECT_NE(again.id, a.id);
    EXPECT_EQ(inbox.question(d.id).answerId, again.id);
}

TEST_F(FeedbackInbox, BadAnswersAreRefusedWithWhatToDoAndChangeNothing)
{
    const QString split = solution(11);
    verdict(split, judgeA, 0.1, 0.9, 0.9);
    verdict(split, judgeB, 0.9, 0.9, 0.9);
    const QString unsure = solution(12);
    verdict(unsure, judgeA, 0.9, 0.9, 0.2);
    const QString third = solution(13);
    verdict(third, judgeA, 0.9, 0.9, 0.1);
    raise();
    const FeedbackQuestion d = only(QuestionKind::Disagreement, split);
    FeedbackCollector inbox(*ws);
    auto refused = [&](const QString &id, const AnswerValue &v, FeedbackError::Kind kind,
                       const QString &says) {
        try {
            inbox.answer(id, v);
            ADD_FAILURE() << "accepted: " << says.toStdString();
        } catch (const FeedbackError &e) {
            EXPECT_EQ(e.kind(), kind) << e.message().toStdString();
            EXPECT_TRUE(e.message().contains(says)) << e.message().toStdString();
            EXPECT_TRUE(e.message().contains(id)) << e.message().toStdString();
        }
    };
    refused(d.id, rating({{QStringLiteral("correctness"), 6}}), FeedbackError::Kind::InvalidAnswer,
            QStringLiteral("out of range"));
    refused(d.id, rating({{QStringLiteral("correctness"), 0}}), FeedbackError::Kind::InvalidAnswer,
            QStringLiteral("from 1 (poor) to 5"));
    refused(d.id, rating({{QStringLiteral("style"), 3}}), FeedbackError::Kind::InvalidAnswer,
            QStringLiteral("not one this question rates"));
    AnswerValue yes;
    yes.type = AnswerType::YesNo;
    yes.yes = true;
    refused(d.id, yes, FeedbackError::Kind::InvalidAnswer, QStringLiteral("--rating"));
    EXPECT_TRUE(VerdictRepository(*ws).judgmentsOf(split).empty());
    EXPECT_EQ(inbox.question(d.id).status, QuestionStatus::Pending);

    inbox.answer(d.id, rating({{QStringLiteral("correctness"), 3}}));
    refused(d.id, rating({{QStringLiteral("correctness"), 4}}), FeedbackError::Kind::NotOpen,
            QStringLiteral("already answered"));
    EXPECT_EQ(VerdictRepository(*ws).judgment(split, QStringLiteral("correctness"))->rating, 3);

    const FeedbackQuestion u = only(QuestionKind::LowConfidence, unsure);
    inbox.snooze(u.id, jsonio::nowUtc().addDays(2));
    refused(u.id, rating({{QStringLiteral("correctness"), 4}}), FeedbackError::Kind::NotOpen,
            QStringLiteral("snoozed until"));
    // Snoozed questions leave the open list and the digest until their time comes.
    EXPECT_EQ(inbox.open(jsonio::nowUtc()).size(), 1u);
    EXPECT_EQ(inbox.open(jsonio::nowUtc().addDays(3)).size(), 2u);
    inbox.snooze(u.id, jsonio::nowUtc()); // wake
    EXPECT_EQ(inbox.question(u.id).status, QuestionStatus::Pending);

    const FeedbackQuestion t = only(QuestionKind::LowConfidence, third);
    inbox.dismiss(t.id);
    refused(t.id, rating({{QStringLiteral("correctness"), 4}}), FeedbackError::Kind::NotOpen,
            QStringLiteral("dismissed"));
    try {
        inbox.answer(QStringLiteral("fbq_gone"), rating({{QStringLiteral("correctness"), 4}}));
        ADD_FAILURE() << "answered a question that does not exist";
    } catch (const FeedbackError &e) {
        EXPECT_EQ(e.kind(), FeedbackError::Kind::NotFound);
        EXPECT_TRUE(e.message().contains(QStringLiteral("list --all")));
    }
    EXPECT_EQ(inbox.answers().size(), 1u);
}

TEST_F(FeedbackInbox, TwoWritersAnsweringAtOnceCountOnce)
{
    const QString unsure = solution(14);
    verdict(unsure, judgeA, 0.9, 0.9, 0.2);
    raise();
    const FeedbackQuestion q = only(QuestionKind::LowConfidence, unsure);
    auto second = Workspace::open(ws->path());
    // Both claim the question: only the first conditional update changes it.
    FeedbackStore one(*ws), two(*second);
    EXPECT_TRUE(one.transition(q.id, {QuestionStatus::Pending}, QuestionStatus::Answered,
                               QStringLiteral("fba_one")));
    EXPECT_FALSE(two.transition(q.id, {QuestionStatus::Pending}, QuestionStatus::Answered,
                                QStringLiteral("fba_two")));
    EXPECT_EQ(two.question(q.id)->answerId, QStringLiteral("fba_one"));
    one.transition(q.id, {QuestionStatus::Answered}, QuestionStatus::Pending);

    // Through the collector: the second window answers after the first committed.
    FeedbackCollector first(*ws), late(*second);
    const FeedbackQuestion seenByLate = late.question(q.id);
    EXPECT_EQ(seenByLate.status, QuestionStatus::Pending);
    first.answer(q.id, rating({{QStringLiteral("correctness"), 4}}));
    try {
        late.answer(q.id, rating({{QStringLiteral("correctness"), 2}}));
        FAIL() << "the second writer must not count";
    } catch (const FeedbackError &e) {
        EXPECT_EQ(e.kind(), FeedbackError::Kind::NotOpen);
        EXPECT_TRUE(e.message().contains(QStringLiteral("already answered")));
    }
    EXPECT_EQ(VerdictRepository(*ws).judgment(unsure, QStringLiteral("correctness"))->rating, 4);
    EXPECT_EQ(first.answers().size(), 1u);
}

TEST_F(FeedbackInbox, RubricGapAnswerMakesANewRubricVersionAndSettlesTheFamily)
{
    const QString variation = fx->problem(2, QStringLiteral("unreviewed"), problem);
    const QString s = solution(15);
    const QString v = solution(16, variation);
    const QString gap = QStringLiteral("I cannot assess this: the rubric does not say what "
                                       "counts as correct here.");
    verdict(s, judgeA, 0.5, 0.9, 0.9, gap);
    verdict(v, judgeA, 0.5, 0.9, 0.9, gap);
    QuestionRaiser raiser(*ws);
    raiser.fromProblem(problem);
    raiser.fromProblem(variation);
    QuestionFilter f;
    f.kind = QuestionKind::RubricGap;
    const auto gaps = FeedbackStore(*ws).questions(f);
    ASSERT_EQ(gaps.size(), 2u);
    const FeedbackQuestion &mine = gaps[0].problemId == problem ? gaps[0] : gaps[1];
    const FeedbackQuestion &theirs = gaps[0].problemId == problem ? gaps[1] : gaps[0];
    EXPECT_EQ(mine.aspect, QStringLiteral("correctness"));
    EXPECT_EQ(mine.answerType, AnswerType::Text);
    EXPECT_DOUBLE_EQ(mine.uncertainty, 1.0);

    const int before =
        static_cast<int>(ProblemRepository(*ws).get(problem)->successCriteria.size());
    AnswerValue text;
    text.type = AnswerType::Text;
    text.text = QStringLiteral("the total matches the ledger to the cent");
    FeedbackCollector inbox(*ws);
    const FeedbackAnswer a = inbox.answer(mine.id, text);
    const Problem changed = *ProblemRepository(*ws).get(problem);
    ASSERT_EQ(changed.successCriteria.size(), before + 1);
    EXPECT_EQ(changed.successCriteria.back(),
              QStringLiteral("correctness: the total matches the ledger to the cent"));
    EXPECT_NE(a.effects["rubric"]["from_version"], a.effects["rubric"]["to_version"]);
    EXPECT_EQ(inbox.question(theirs.id).status, QuestionStatus::Resolved);

    inbox.undo(a.id);
    EXPECT_EQ(ProblemRepository(*ws).get(problem)->successCriteria.size(), before);
    EXPECT_EQ(inbox.question(theirs.id).status, QuestionStatus::Pending);
}

TEST_F(FeedbackInbox, DigestHoldsAtMostNByExpectedValueOnItsCadence)
{
    for (int i = 0; i < 6; ++i) {
        const QString s = solution(20 + i);
        verdict(s, judgeA, 0.9, 0.9, 0.05 * i); // lower confidence, higher expected value
    }
    raise();
    FeedbackCollector inbox(*ws);
    inbox.setDigestSize(2);
    inbox.setCadenceMinutes(60);
    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-12-04T10:00:00Z"), Qt::ISODate);
    const DigestView first = inbox.digest(t0);
    EXPECT_TRUE(first.fresh);
    EXPECT_EQ(first.open, 6);
    ASSERT_EQ(first.questions.size(), 2u);
    EXPECT_GE(first.questions[0].expectedValue, first.questions[1].expectedValue);
    for (const FeedbackQuestion &q : inbox.open(t0)) {
        if (q.id != first.questions[0].id && q.id != first.questions[1].id) {
            EXPECT_LE(q.expectedValue, first.questions[1].expectedValue + 1e-12);
        }
    }
    // Within the cadence: the same digest, less what was answered.
    inbox.answer(first.questions[0].id, rating({{QStringLiteral("correctness"), 3}}));
    const DigestView same = inbox.digest(t0.addSecs(30 * 60));
    EXPECT_FALSE(same.fresh);
    ASSERT_EQ(same.questions.size(), 1u);
    EXPECT_EQ(same.questions[0].id, first.questions[1].id);
    EXPECT_EQ(same.nextAt, t0.addSecs(3600));
    const DigestView next = inbox.digest(t0.addSecs(61 * 60));
    EXPECT_TRUE(next.fresh);
    EXPECT_EQ(next.questions.size(), 2u);
    EXPECT_THROW(inbox.setDigestSize(0), FeedbackError);
}

TEST_F(FeedbackInbox, AnEmptyDigestDoesNotHoldBackQuestionsRaisedAfterIt)
{
    FeedbackCollector inbox(*ws);
    inbox.setCadenceMinutes(60 * 24);
    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-12-04T10:00:00Z"), Qt::ISODate);
    // The inbox opened on a new workspace: nothing to ask yet.
    const DigestView empty = inbox.digest(t0);
    EXPECT_EQ(empty.open, 0);
    EXPECT_TRUE(empty.questions.empty());
    // The first evaluation raises questions a minute later: they are shown now, not tomorrow.
    for (int i = 0; i < 3; ++i)
        verdict(solution(40 + i), judgeA, 0.9, 0.9, 0.1);
    raise();
    const DigestView first = inbox.digest(t0.addSecs(60));
    EXPECT_TRUE(first.fresh);
    EXPECT_EQ(first.questions.size(), 3u);
    // A digest with questions holds its cadence as before.
    EXPECT_FALSE(inbox.digest(t0.addSecs(120)).fresh);
}

TEST_F(FeedbackInbox, AJobStoppedAtItsBudgetAsksWhetherToSpendMore)
{
    JobRecord job;
    job.id = QStringLiteral("job_budget");
    job.kind = QStringLiteral("evaluate");
    job.params = {{"budget_usd", 0.5}};
    job.status = JobStatus::Running;
    job.createdAt = job.updatedAt = jsonio::nowUtc();
    JobRepository jobs(*ws);
    jobs.create(job);
    jobs.setProgress(job.id, 4, 10);
    jobs.setSummary(job.id, {{"cost", {{"usd", 0.48}}}});
    jobs.setStatus(job.id, JobStatus::Failed,
                   QStringLiteral("the USD budget of this job is spent. 4 of 10 units are done"));
    const RaiseReport r = QuestionRaiser(*ws).fromJob(job.id);
    EXPECT_EQ(r.raised, 1);
    QuestionFilter f;
    f.kind = QuestionKind::Budget;
    const auto q = FeedbackStore(*ws).questions(f);
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].answerType, AnswerType::YesNo);
    EXPECT_DOUBLE_EQ(q[0].impact, 6.0);
    EXPECT_NEAR(q[0].context["more_usd"].get<double>(), 0.72, 1e-9);
    EXPECT_THROW(QuestionRaiser(*ws).fromJob(QStringLiteral("job_missing")), ValidationError);
}
