// `crucible-cli solve`, `evaluate`, `jobs` and `resume` for these kinds: the Simulated provider,
// the loopback server with faults, bad input, estimates, and a crucible-cli process killed in
// the middle of a solve job and then resumed.

#include "core/store/jobrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/solvefixtures.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>
#include <gtest/gtest.h>

#include <set>

using namespace crucible;
using namespace crucible::cli;
using crucible::test::LlmTestServerThread;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

class SolveCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("w.crucible"));
        ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
        auto ws = Workspace::open(m_ws);
        m_problems = test::insertProblems(*ws, 6);
        m_gen = test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("Gen"));
        m_crit = test::insertAgentVersion(*ws, QStringLiteral("critic"), QStringLiteral("Crit"));
        m_ref = test::insertAgentVersion(*ws, QStringLiteral("refiner"), QStringLiteral("Ref"));
        m_judge = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("J1"));
        m_judge2 = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("J2"));
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    QStringList loopback(const LlmTestServerThread &server) const
    {
        return {QStringLiteral("--type"),        QStringLiteral("openai"),
                QStringLiteral("--base-url"),    server.server().openAiBaseUrl().toString(),
                QStringLiteral("--model"),       QStringLiteral("test-model"),
                QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    }

    QStringList solveArgs() const
    {
        QStringList args{QStringLiteral("solve"), m_ws};
        for (const QString &p : m_problems)
            args << QStringLiteral("--problem") << p;
        args << QStringLiteral("--agent") << m_gen << QStringLiteral("--critic") << m_crit
             << QStringLiteral("--refiner") << m_ref << QStringLiteral("--json");
        return args;
    }

    qint64 count(const char *table) const
    {
        auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
        QSqlQuery q = ws->exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)));
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    QTemporaryDir m_dir;
    QString m_ws;
    QStringList m_problems;
    QString m_gen, m_crit, m_ref, m_judge, m_judge2;
};

qint64 finishedUnits(const QString &wsPath)
{
    try {
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        QSqlQuery q = ws->exec(QStringLiteral("SELECT count(*) FROM job_units WHERE status = "
                                              "'done'"));
        return q.next() ? q.value(0).toLongLong() : 0;
    } catch (const std::exception &) {
        return 0;
    }
}

} // namespace

TEST_F(SolveCliTest, SolveThenEvaluateWithTheSimulatedProvider)
{
    QStringList args = solveArgs();
    args << QStringLiteral("--type") << QStringLiteral("simulated");
    const CliResult r = runCli(args);
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["status"], "completed");
    EXPECT_EQ(j["kind"], "solve");
    EXPECT_EQ(j["counts"]["done"], 6);
    EXPECT_EQ(j["entities"]["solution"].size(), 12u);
    EXPECT_EQ(j["entities"]["critique"].size(), 6u);
    ASSERT_EQ(j["results"].size(), 6u);
    EXPECT_FALSE(j["results"][0]["refined_id"].get<std::string>().empty());
    EXPECT_EQ(j["cost"]["calls"].get<int>(), 18);

    QStringList eval{
        QStringLiteral("evaluate"),  m_ws,
        QStringLiteral("--judge"),   m_judge,
        QStringLiteral("--judge"),   m_judge2,
        QStringLiteral("--aspects"), QStringLiteral("correctness,completeness,novelty"),
        QStringLiteral("--type"),    QStringLiteral("simulated"),
        QStringLiteral("--json")};
    for (const auto &id : j["entities"]["solution"])
        eval << QStringLiteral("--solution") << QString::fromStdString(id.get<std::string>());
    const CliResult e = runCli(eval);
    ASSERT_EQ(e.code, 0) << e.err.toStdString();
    const json ej = e.outJson();
    EXPECT_EQ(ej["status"], "completed");
    ASSERT_EQ(ej["verdicts"].size(), 24u);
    for (const auto &v : ej["verdicts"]) {
        EXPECT_EQ(v["status"], "ok");
        EXPECT_TRUE(v["overall"].is_number());
        EXPECT_TRUE(v["novelty"].is_number());
    }
    EXPECT_EQ(ej["agreement"].size(), 12u);

    // Text output and the jobs list know these kinds.
    const CliResult jobs = runCli({QStringLiteral("jobs"), m_ws});
    EXPECT_TRUE(jobs.out.contains(QStringLiteral("solve"))) << jobs.out.toStdString();
    EXPECT_TRUE(jobs.out.contains(QStringLiteral("evaluate")));
}

TEST_F(SolveCliTest, EstimatesSpendNothingAndBadInputIsExplained)
{
    QStringList args = solveArgs();
    args << QStringLiteral("--type") << QStringLiteral("simulated") << QStringLiteral("--estimate");
    const CliResult est = runCli(args);
    ASSERT_EQ(est.code, 0) << est.err.toStdString();
    EXPECT_EQ(est.outJson()["calls"], 18);
    EXPECT_GT(est.outJson()["tokens_in"].get<int>(), 1000);
    EXPECT_EQ(count("jobs"), 0);
    EXPECT_EQ(count("llm_calls"), 0);

    const CliResult noProblem =
        runCli({QStringLiteral("solve"), m_ws, QStringLiteral("--agent"), m_gen,
                QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_EQ(noProblem.code, 2);
    EXPECT_TRUE(noProblem.err.contains(QStringLiteral("--problem"))) << noProblem.err.toStdString();

    const CliResult wrongRole = runCli({QStringLiteral("solve"), m_ws, QStringLiteral("--problem"),
                                        m_problems[0], QStringLiteral("--agent"), m_judge,
                                        QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_EQ(wrongRole.code, 2);
    EXPECT_TRUE(wrongRole.err.contains(QStringLiteral("not a generator")))
        << wrongRole.err.toStdString();

    const CliResult unknown = runCli({QStringLiteral("solve"), m_ws, QStringLiteral("--problem"),
                                      QStringLiteral("prb_nope"), QStringLiteral("--agent"), m_gen,
                                      QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("prb_nope")));

    const CliResult badAspects = runCli(
        {QStringLiteral("evaluate"), m_ws, QStringLiteral("--solution"), QStringLiteral("sol_x"),
         QStringLiteral("--aspects"), QStringLiteral("Correct Ness"), QStringLiteral("--type"),
         QStringLiteral("simulated")});
    EXPECT_EQ(badAspects.code, 2);
    EXPECT_TRUE(badAspects.err.contains(QStringLiteral("aspect"))) << badAspects.err.toStdString();
    EXPECT_EQ(count("jobs"), 0);
}

TEST_F(SolveCliTest, LoopbackServerWithFaultsStillSolvesAndJudges)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler(test::solveAnswer);
    srv.setLatencyMs(2);
    srv.setRandomSeed(77);
    srv.addRandomFault(Fault::MalformedJson{}, 0.08);
    srv.addRandomFault(Fault::ServerError{502}, 0.08);
    srv.addRandomFault(Fault::DropConnection{}, 0.06);
    srv.addRandomFault(Fault::FencedJson{}, 0.05);
    QStringList args = solveArgs();
    args << loopback(server);
    const CliResult r = runCli(args);
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    EXPECT_EQ(r.outJson()["entities"]["solution"].size(), 12u);
    EXPECT_GT(srv.stats().faultsInjected, 0);

    QStringList eval{QStringLiteral("evaluate"), m_ws, QStringLiteral("--judge"), m_judge,
                     QStringLiteral("--json")};
    const json solved = r.outJson();
    for (const auto &id : solved["entities"]["solution"])
        eval << QStringLiteral("--solution") << QString::fromStdString(id.get<std::string>());
    eval << loopback(server);
    const CliResult e = runCli(eval);
    ASSERT_EQ(e.code, 0) << e.err.toStdString();
    EXPECT_EQ(e.outJson()["verdicts"].size(), 12u);
}

TEST_F(SolveCliTest, KilledSolveProcessResumesWithNothingLostOrDuplicated)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    {
        auto ws = Workspace::open(m_ws);
        m_problems << test::insertProblems(*ws, 54, 100); // 60 problems
    }
    LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler(test::solveAnswer);
    srv.setLatencyMs(15);
    srv.setRandomSeed(9);
    srv.addRandomFault(Fault::ServerError{503}, 0.03);
    srv.addRandomFault(Fault::MalformedJson{}, 0.03);
    QStringList args = solveArgs();
    args << QStringLiteral("--concurrency") << QStringLiteral("6") << loopback(server);
    QProcess child;
    child.start(QStringLiteral(CRUCIBLE_CLI_PATH), args);
    ASSERT_TRUE(child.waitForStarted(10'000));
    QElapsedTimer clock;
    clock.start();
    while (finishedUnits(m_ws) < 15 && child.state() == QProcess::Running &&
           clock.elapsed() < 120'000)
        child.waitForFinished(20);
    ASSERT_EQ(child.state(), QProcess::Running)
        << "the job ended before the kill point: " << child.readAllStandardError().toStdString();
    child.kill();
    ASSERT_TRUE(child.waitForFinished(10'000));

    QString jobId;
    std::set<QString> beforeKill;
    {
        auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
        const auto jobs = JobRepository(*ws).list();
        ASSERT_EQ(jobs.size(), 1u);
        jobId = jobs[0].id;
        for (const Solution &s : SolutionRepository(*ws).byJob(jobId))
            beforeKill.insert(s.id);
        EXPECT_GE(beforeKill.size(), 15u);
        EXPECT_LT(beforeKill.size(), 120u);
    }
    QStringList resume{QStringLiteral("resume"), m_ws, jobId, QStringLiteral("--json")};
    resume << loopback(server);
    const CliResult r = runCli(resume);
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    EXPECT_EQ(r.outJson()["status"], "completed");

    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto solutions = SolutionRepository(*ws).byJob(jobId);
    EXPECT_EQ(solutions.size(), 120u) << "60 answers and 60 refinements, no duplicates";
    std::set<QString> ids;
    std::set<QString> stages;
    for (const Solution &s : solutions) {
        ids.insert(s.id);
        EXPECT_TRUE(stages.insert(s.problemId + toString(s.stage)).second)
            << "duplicate stage for " << s.problemId.toStdString();
    }
    for (const QString &id : beforeKill)
        EXPECT_TRUE(ids.count(id)) << "lost " << id.toStdString();
    EXPECT_EQ(SolutionRepository(*ws).critiquesByJob(jobId).size(), 60u);
}
