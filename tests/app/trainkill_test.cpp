// A training run against the loopback server (with transient faults) killed with SIGKILL at
// random points and resumed each time ends exactly as the same run left alone: every cycle, call
// count, score and the held-out report agree (nothing lost, nothing counted twice), and the
// workspace passes SQLite's integrity check after every kill. Also: a killed run is shown as
// interrupted, and pause / stop requests written into its job end it as they should.

#include "core/evolve/evolutionmonitor.h"
#include "core/model/trainingrun.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/solvefixtures.h"
#include "tests/support/trainkill.h"

#include <QProcess>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::cli;
using crucible::test::LlmTestServerThread;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

QString makeWorkspace(const QTemporaryDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    EXPECT_EQ(runCli({QStringLiteral("init"), path}).code, 0);
    auto ws = Workspace::open(path);
    test::insertProblems(*ws, 15);
    return path;
}

class TrainKillTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
        auto &srv = m_server.server();
        srv.setAnswerHandler(test::trainingAnswer);
        srv.setLatencyMs(2);
        srv.setRandomSeed(11);
        srv.addRandomFault(Fault::ServerError{503}, 0.05);
        srv.addRandomFault(Fault::DropConnection{}, 0.03);
        m_provider = {QStringLiteral("--type"),        QStringLiteral("openai"),
                      QStringLiteral("--base-url"),    srv.openAiBaseUrl().toString(),
                      QStringLiteral("--model"),       QStringLiteral("test-model"),
                      QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    QStringList trainArgs(int calls) const
    {
        return {QStringLiteral("--domain"),       QStringLiteral("testing"),
                QStringLiteral("--budget-calls"), QString::number(calls),
                QStringLiteral("--run-id"),       QStringLiteral("trn_fixed")};
    }

    QTemporaryDir m_dir;
    LlmTestServerThread m_server;
    QStringList m_provider;
};

} // namespace

TEST_F(TrainKillTest, AKilledRunResumesToExactlyTheRunLeftAlone)
{
    const QString reference = makeWorkspace(m_dir, QStringLiteral("ref.crucible"));
    const QString killed = makeWorkspace(m_dir, QStringLiteral("kill.crucible"));
    const CliResult alone = runCli(QStringList{QStringLiteral("train"), reference} + trainArgs(90) +
                                   m_provider + QStringList{QStringLiteral("--json")});
    ASSERT_EQ(alone.code, 0) << alone.err.toStdString();
    const json expected = alone.outJson();
    ASSERT_GT(expected["calls_used"].get<int>(), 60) << expected.dump();
    // The run started by specialising the agent for the domain (a version both runs must agree
    // on), not by failing to.
    ASSERT_TRUE(expected["specialization"].contains("version")) << expected.dump();

    test::TrainKillPlan plan;
    plan.cliPath = QStringLiteral(CRUCIBLE_CLI_PATH);
    plan.workspace = killed;
    plan.runId = QStringLiteral("trn_fixed");
    plan.trainArgs = trainArgs(90);
    plan.providerArgs = m_provider;
    plan.kills = 3;
    plan.maxCallsBetweenKills = 20;
    plan.seed = 3;
    const test::TrainKillOutcome outcome = test::trainWithKills(plan);
    ASSERT_TRUE(outcome.ok) << outcome.error.toStdString();
    EXPECT_EQ(outcome.kills, 3) << "the run ended before the kills; raise the budget";
    EXPECT_TRUE(outcome.integrityOk);
    EXPECT_EQ(test::compareTrainingReports(outcome.report, expected), QString());
    EXPECT_EQ(outcome.history, test::trainingHistory(reference, plan.runId))
        << "a cycle was lost or counted twice";
}

TEST_F(TrainKillTest, AKilledRunIsShownInterruptedAndPauseAndStopRequestsEndIt)
{
    const QString path = makeWorkspace(m_dir, QStringLiteral("k.crucible"));
    test::TrainKillPlan plan;
    plan.cliPath = QStringLiteral(CRUCIBLE_CLI_PATH);
    plan.workspace = path;
    plan.runId = QStringLiteral("trn_fixed");
    // Killed once, then the resumed process is left running: stop it through its job.
    QProcess child;
    child.start(plan.cliPath, QStringList{QStringLiteral("train"), path} + trainArgs(100000) +
                                  m_provider + QStringList{QStringLiteral("--json")});
    ASSERT_TRUE(child.waitForStarted(10'000));
    while (test::trainingCallsUsed(path, plan.runId) < 6 && child.state() == QProcess::Running)
        child.waitForFinished(10);
    child.kill();
    ASSERT_TRUE(child.waitForFinished(10'000));
    {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        const auto run = EntityStore(*ws).get<TrainingRun>(plan.runId);
        ASSERT_TRUE(run);
        EXPECT_EQ(evolve::EvolutionMonitor::status(*run).state, QStringLiteral("interrupted"));
    }
    // Resume, then ask it to pause: it ends resumable, without a report.
    QProcess resumed;
    resumed.start(plan.cliPath, QStringList{QStringLiteral("resume"), path, plan.runId} +
                                    m_provider + QStringList{QStringLiteral("--json")});
    ASSERT_TRUE(resumed.waitForStarted(10'000));
    const int before = test::trainingCallsUsed(path, plan.runId);
    while (test::trainingCallsUsed(path, plan.runId) < before + 4 &&
           resumed.state() == QProcess::Running)
        resumed.waitForFinished(10);
    {
        auto ws = Workspace::open(path);
        EXPECT_EQ(
            evolve::EvolutionMonitor::status(*EntityStore(*ws).get<TrainingRun>(plan.runId)).state,
            QStringLiteral("running"));
        ASSERT_TRUE(JobRepository(*ws).setControl(plan.runId, QStringLiteral("pause")));
    }
    ASSERT_TRUE(resumed.waitForFinished(60'000));
    EXPECT_EQ(resumed.exitCode(), 0) << resumed.readAllStandardError().toStdString();
    const json paused = json::parse(resumed.readAllStandardOutput().toStdString());
    EXPECT_EQ(paused["finish_reason"], "paused");
    EXPECT_FALSE(paused.contains("test"));
    {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        EXPECT_EQ(EntityStore(*ws).get<TrainingRun>(plan.runId)->state, TrainingRun::State::Paused);
        EXPECT_EQ(JobRepository(*ws).get(plan.runId)->status, JobStatus::Cancelled);
    }
    // Resume again and stop: the calls in flight finish, then the held-out report.
    QProcess again;
    again.start(plan.cliPath, QStringList{QStringLiteral("resume"), path, plan.runId} + m_provider +
                                  QStringList{QStringLiteral("--json")});
    ASSERT_TRUE(again.waitForStarted(10'000));
    const int pausedAt = test::trainingCallsUsed(path, plan.runId);
    while (test::trainingCallsUsed(path, plan.runId) < pausedAt + 4 &&
           again.state() == QProcess::Running)
        again.waitForFinished(10);
    {
        auto ws = Workspace::open(path);
        ASSERT_TRUE(JobRepository(*ws).setControl(plan.runId, QStringLiteral("stop")));
    }
    ASSERT_TRUE(again.waitForFinished(60'000));
    EXPECT_EQ(again.exitCode(), 0) << again.readAllStandardError().toStdString();
    const json stopped = json::parse(again.readAllStandardOutput().toStdString());
    EXPECT_EQ(stopped["finish_reason"], "stopped");
    EXPECT_EQ(stopped["test"]["ci95"].size(), 2u);
    EXPECT_GT(stopped["calls_used"].get<int>(), paused["calls_used"].get<int>());
}
