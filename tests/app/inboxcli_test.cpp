// crucible-cli inbox and calibration on a workspace with disagreeing judges.

#include "core/store/verdictrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/evaluationfixture.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

using nlohmann::json;

class InboxCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("inbox.crucible"));
        auto ws = Workspace::open(m_ws, Workspace::Mode::CreateIfMissing);
        test::EvaluationFixture fx(*ws);
        const QString problem = fx.problem(1);
        const QString gen = fx.version(fx.agent(QStringLiteral("generator"), QStringLiteral("G")));
        m_judgeA = fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Judge A")));
        m_judgeB = fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Judge B")));
        for (int i = 0; i < 3; ++i) {
            json doc = test::EvaluationFixture::solutionDoc(QStringLiteral("answer %1").arg(i));
            doc["approach"] = QStringLiteral("approach %1 with words nobody else uses %2 %3")
                                  .arg(i)
                                  .arg(i * 17)
                                  .arg(i * 31)
                                  .toStdString();
            doc["steps"] = {QStringLiteral("distinct step %1 %2").arg(i * 7).arg(i).toStdString()};
            m_solutions << fx.solution(problem, gen, doc);
            // Judges 0.8 apart on correctness: a disagreement each, A also unsure on the last.
            test::EvaluationFixture::Scored scored;
            scored.jobId = QStringLiteral("job_x");
            scored.scores = {{QStringLiteral("correctness"), 0.1}};
            scored.confidence = i == 2 ? 0.2 : 0.9;
            fx.scoredVerdict(m_solutions.back(), m_judgeA, scored);
            scored.scores = {{QStringLiteral("correctness"), 0.9}};
            scored.confidence = 0.9;
            fx.scoredVerdict(m_solutions.back(), m_judgeB, scored);
        }
    }

    CliResult cli(QStringList args)
    {
        args.insert(1, m_ws);
        return runCli(args);
    }

    QTemporaryDir m_dir;
    QString m_ws, m_judgeA, m_judgeB;
    QStringList m_solutions;
};

TEST_F(InboxCliTest, RaiseListShowAnswerUndoAndHistory)
{
    const CliResult empty = cli({QStringLiteral("inbox"), QStringLiteral("list")});
    ASSERT_EQ(empty.code, 0) << empty.err.toStdString();
    EXPECT_TRUE(empty.out.contains(QStringLiteral("inbox"))) << empty.out.toStdString();

    const CliResult raised =
        runCli({QStringLiteral("--json"), QStringLiteral("inbox"), m_ws, QStringLiteral("raise")});
    ASSERT_EQ(raised.code, 0) << raised.err.toStdString();
    EXPECT_EQ(raised.outJson()["raised"], 4); // three disagreements, one unsure judge
    EXPECT_EQ(raised.outJson()["by_kind"]["disagreement"], 3);

    const CliResult list = runCli({QStringLiteral("--json"), QStringLiteral("inbox"), m_ws,
                                   QStringLiteral("list"), QStringLiteral("--new-digest")});
    ASSERT_EQ(list.code, 0) << list.err.toStdString();
    const json questions = list.outJson()["questions"];
    ASSERT_EQ(questions.size(), 4u);
    EXPECT_GE(questions[0]["expected_value"].get<double>(),
              questions[3]["expected_value"].get<double>());
    QString disagreement;
    for (const auto &q : questions)
        if (q["kind"] == "disagreement" && q["solution_id"] == m_solutions[2].toStdString())
            disagreement = QString::fromStdString(q["id"].get<std::string>());
    ASSERT_FALSE(disagreement.isEmpty());

    const CliResult shown = cli({QStringLiteral("inbox"), QStringLiteral("show"), disagreement});
    ASSERT_EQ(shown.code, 0) << shown.err.toStdString();
    EXPECT_TRUE(shown.out.contains(QStringLiteral("Judge A"))) << shown.out.toStdString();
    EXPECT_TRUE(shown.out.contains(QStringLiteral("--rating correctness=N")));

    const CliResult bad = cli({QStringLiteral("inbox"), QStringLiteral("answer"), disagreement,
                               QStringLiteral("--rating"), QStringLiteral("correctness=7")});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(bad.err.contains(QStringLiteral("out of range"))) << bad.err.toStdString();

    const CliResult answered = cli({QStringLiteral("inbox"), QStringLiteral("answer"), disagreement,
                                    QStringLiteral("--rating"), QStringLiteral("correctness=2")});
    ASSERT_EQ(answered.code, 0) << answered.err.toStdString();
    // The unsure judge's question on the same solution is settled by this answer.
    EXPECT_EQ(answered.out.count(QStringLiteral("\n  resolved ")), 1)
        << answered.out.toStdString(); // the unsure judge's question on the same solution

    const CliResult again = cli({QStringLiteral("inbox"), QStringLiteral("answer"), disagreement,
                                 QStringLiteral("--rating"), QStringLiteral("correctness=3")});
    EXPECT_EQ(again.code, 1);
    EXPECT_TRUE(again.err.contains(QStringLiteral("already answered"))) << again.err.toStdString();

    const CliResult history = runCli({QStringLiteral("--json"), QStringLiteral("inbox"), m_ws,
                                      QStringLiteral("list"), QStringLiteral("--history")});
    ASSERT_EQ(history.code, 0);
    EXPECT_EQ(history.outJson()["history"].size(), 2u); // answered + resolved

    const CliResult undone = cli({QStringLiteral("inbox"), QStringLiteral("undo"), disagreement});
    ASSERT_EQ(undone.code, 0) << undone.err.toStdString();
    EXPECT_TRUE(undone.out.contains(QStringLiteral("1 question(s) reopened")))
        << undone.out.toStdString();
    const CliResult all = runCli({QStringLiteral("--json"), QStringLiteral("inbox"), m_ws,
                                  QStringLiteral("list"), QStringLiteral("--all")});
    EXPECT_EQ(all.outJson()["questions"].size(), 4u);

    const CliResult snoozed = cli({QStringLiteral("inbox"), QStringLiteral("snooze"), disagreement,
                                   QStringLiteral("--until"), QStringLiteral("+2d")});
    ASSERT_EQ(snoozed.code, 0) << snoozed.err.toStdString();
    const CliResult badTime = cli({QStringLiteral("inbox"), QStringLiteral("snooze"), disagreement,
                                   QStringLiteral("--until"), QStringLiteral("tomorrowish")});
    EXPECT_EQ(badTime.code, 1);
    EXPECT_TRUE(badTime.err.contains(QStringLiteral("+3d")));
    const CliResult missing =
        cli({QStringLiteral("inbox"), QStringLiteral("dismiss"), QStringLiteral("fbq_nope")});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("fbq_nope")));
}

TEST_F(InboxCliTest, CalibrationReportsAgreementPerJudge)
{
    const CliResult none = cli({QStringLiteral("calibration")});
    ASSERT_EQ(none.code, 0) << none.err.toStdString();
    EXPECT_TRUE(none.out.contains(QStringLiteral("No judge–human pairs")))
        << none.out.toStdString();
    {
        auto ws = Workspace::open(m_ws);
        VerdictRepository repo(*ws);
        for (int i = 0; i < 3; ++i)
            repo.setJudgment(m_solutions[i], QStringLiteral("correctness"), 1 + i, {});
    }
    const CliResult r = runCli({QStringLiteral("--json"), QStringLiteral("calibration"), m_ws,
                                QStringLiteral("--aspect"), QStringLiteral("correctness")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["ratings"], 3);
    ASSERT_EQ(j["judges"].size(), 2u);
    EXPECT_EQ(j["judges"][0]["kappa"]["n"], 3);
    EXPECT_TRUE(j["judges"][0].contains("note"));
    const CliResult text = cli({QStringLiteral("calibration")});
    EXPECT_TRUE(text.out.contains(QStringLiteral("Judge A"))) << text.out.toStdString();
    const CliResult bad = cli({QStringLiteral("calibration"), QStringLiteral("--aspect"),
                               QStringLiteral("Not An Aspect")});
    EXPECT_EQ(bad.code, 1);
}

} // namespace
} // namespace crucible::cli
