// Solutions, critiques, verdicts and human judgments in the v7 tables.

#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/support/solvefixtures.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>
#include <QVariant>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("w.crucible")));
    QStringList problems = test::insertProblems(*ws, 2);
    QString generator =
        test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("Gen"));
    QString critic =
        test::insertAgentVersion(*ws, QStringLiteral("critic"), QStringLiteral("Crit"));

    Solution solution(const QString &id, const QString &problem, const QString &answer)
    {
        Solution s;
        s.id = id;
        s.problemId = problem;
        s.agentVersionId = generator;
        s.jobId = QStringLiteral("job_1");
        s.body.approach = QStringLiteral("approach of ") + id;
        s.body.steps = {QStringLiteral("one"), QStringLiteral("two")};
        s.body.finalAnswer = answer;
        s.costUsd = 0.01;
        s.tokens = 50;
        s.callIds = {QStringLiteral("llm_") + id};
        s.createdAt = jsonio::nowUtc();
        return s;
    }
};

} // namespace

TEST(SolutionRepository, StoresQueriesAndFollowsTheRefinementChain)
{
    Fixture f;
    SolutionRepository repo(*f.ws);
    const Solution first = f.solution(QStringLiteral("sol_a"), f.problems[0], QStringLiteral("4"));
    repo.insert(first);
    Critique c;
    c.id = QStringLiteral("crt_a");
    c.solutionId = first.id;
    c.agentVersionId = f.critic;
    c.summary = QStringLiteral("needs the cost");
    c.issues = {{QStringLiteral("major"), QStringLiteral("budget"), QStringLiteral("no cost"),
                 QStringLiteral("add it")}};
    c.createdAt = jsonio::nowUtc();
    repo.insertCritique(c);
    Solution refined = f.solution(QStringLiteral("sol_b"), f.problems[0], QStringLiteral("5"));
    refined.stage = SolutionStage::Refine;
    refined.refinedFrom = first.id;
    refined.critiqueId = c.id;
    Solution other = f.solution(QStringLiteral("sol_c"), f.problems[1], QStringLiteral("6"));
    other.costUsd.reset();
    repo.insert({refined, other});

    const auto got = repo.get(QStringLiteral("sol_b"));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->body, refined.body);
    EXPECT_EQ(got->stage, SolutionStage::Refine);
    EXPECT_EQ(got->critiqueId, QStringLiteral("crt_a"));
    EXPECT_EQ(got->callIds, refined.callIds);
    EXPECT_DOUBLE_EQ(*got->costUsd, 0.01);
    EXPECT_FALSE(repo.get(QStringLiteral("sol_c"))->costUsd.has_value()); // NULL = unpriced

    EXPECT_EQ(repo.byProblem(f.problems[0]).size(), 2u);
    EXPECT_EQ(repo.byAgentVersion(f.generator).size(), 3u);
    EXPECT_EQ(repo.byJob(QStringLiteral("job_1")).size(), 3u);
    const auto chain = repo.chain(QStringLiteral("sol_b"));
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(chain[0].id, QStringLiteral("sol_a"));
    EXPECT_EQ(chain[1].id, QStringLiteral("sol_b"));
    EXPECT_EQ(repo.refinementsOf(QStringLiteral("sol_a")).front().id, QStringLiteral("sol_b"));
    EXPECT_EQ(repo.critiquesOf(QStringLiteral("sol_a")).front(), repo.critique(c.id).value());
    EXPECT_EQ(repo.problemIdsWithSolutions().front(), f.problems[1]);

    // text_length is the rendered text's length.
    QSqlQuery q =
        f.ws->exec(QStringLiteral("SELECT text_length FROM solutions WHERE id = 'sol_a'"));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toInt(), first.toText().size());
}

TEST(SolutionRepository, AFailingRowRollsBackTheWholeBatch)
{
    Fixture f;
    SolutionRepository repo(*f.ws);
    Solution good = f.solution(QStringLiteral("sol_ok"), f.problems[0], QStringLiteral("1"));
    Solution bad =
        f.solution(QStringLiteral("sol_bad"), QStringLiteral("prb_missing"), QStringLiteral("2"));
    EXPECT_THROW(repo.insert({good, bad}), WorkspaceError);
    EXPECT_EQ(repo.count(), 0); // the good one was rolled back too
    Solution unknownAgent = good;
    unknownAgent.agentVersionId = QStringLiteral("agv_nobody");
    EXPECT_THROW(repo.insert(unknownAgent), WorkspaceError);
}

TEST(VerdictRepository, VerdictsAndHumanJudgmentsUpsertPerAspectAndRater)
{
    Fixture f;
    SolutionRepository(*f.ws).insert(
        f.solution(QStringLiteral("sol_a"), f.problems[0], QStringLiteral("4")));
    VerdictRepository repo(*f.ws);
    Verdict v;
    v.id = QStringLiteral("vrd_1");
    v.solutionId = QStringLiteral("sol_a");
    v.judgeVersionId = QStringLiteral("agv_judge");
    v.overall = 0.6;
    v.confidence = 0.8;
    v.novelty = 1.0;
    v.scores.aspects[QStringLiteral("correctness")] = {0.6, QStringLiteral("ok")};
    v.checks[QStringLiteral("length_budget")] = {true, QStringLiteral("10 of 6000")};
    v.rubricVersion = QStringLiteral("r12345678");
    v.promptTemplate = QStringLiteral("evaluate.solution@2");
    v.createdAt = jsonio::nowUtc();
    Verdict failed;
    failed.id = QStringLiteral("vrd_2");
    failed.solutionId = v.solutionId;
    failed.status = Verdict::Status::Failed;
    failed.error = QStringLiteral("invalid after 2 repairs");
    failed.createdAt = v.createdAt;
    repo.insert({v, failed});
    EXPECT_EQ(repo.get(QStringLiteral("vrd_1")).value(), v);
    EXPECT_EQ(repo.get(QStringLiteral("vrd_2")).value(), failed);
    EXPECT_EQ(repo.forSolution(QStringLiteral("sol_a")).size(), 2u);
    EXPECT_EQ(repo.forProblem(f.problems[0]).size(), 2u);
    EXPECT_EQ(repo.byJudge(QStringLiteral("agv_judge")).size(), 1u);

    Verdict scoredFailure = failed;
    scoredFailure.id = QStringLiteral("vrd_3");
    scoredFailure.overall = 0.2;
    EXPECT_THROW(repo.insert(scoredFailure), ValidationError); // never scores on a failure

    const HumanJudgment h = repo.setJudgment(QStringLiteral("sol_a"), QStringLiteral("correctness"),
                                             4, QStringLiteral("fine"));
    EXPECT_EQ(h.rating, 4);
    const HumanJudgment again = repo.setJudgment(
        QStringLiteral("sol_a"), QStringLiteral("correctness"), 2, QStringLiteral("changed"));
    EXPECT_EQ(again.id, h.id); // updated in place
    EXPECT_EQ(again.rating, 2);
    EXPECT_EQ(again.note, QStringLiteral("changed"));
    repo.setJudgment(QStringLiteral("sol_a"), QStringLiteral("novelty"), std::nullopt, {});
    repo.setJudgment(QStringLiteral("sol_a"), QStringLiteral("correctness"), 5, {},
                     QStringLiteral("ana"));
    const auto all = repo.judgmentsOf(QStringLiteral("sol_a"));
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(repo.judgment(QStringLiteral("sol_a"), QStringLiteral("novelty"))->skipped());
    EXPECT_THROW(repo.setJudgment(QStringLiteral("sol_a"), QStringLiteral("correctness"), 6, {}),
                 ValidationError);
    EXPECT_THROW(repo.setJudgment(QStringLiteral("sol_nope"), QStringLiteral("correctness"), 3, {}),
                 WorkspaceError);
}
