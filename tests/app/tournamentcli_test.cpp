// `crucible-cli tournament …` and `crucible-cli ratings …` against the Simulated provider and the
// loopback server with faults (rate limits, 5xx, malformed, fenced and truncated answers).

#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/tournamentrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/testworkspace.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace crucible;
using namespace crucible::cli;
using crucible::test::LlmTestServerThread;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

// A judge for the loopback server: the solution with more stars wins.
QByteArray starJudge(const json &request)
{
    // The judge prompt is the first user message (a repair conversation appends more).
    QString prompt;
    for (const json &m : request.value("messages", json::array()))
        if (m.value("role", std::string()) == "user" && prompt.isEmpty())
            prompt = QString::fromStdString(m.value("content", std::string()));
    const auto stars = [&](const char *which) {
        const QRegularExpression re(
            QStringLiteral("=== %1 solution ===\\n(.*?)\\n=== End").arg(QLatin1String(which)),
            QRegularExpression::DotMatchesEverythingOption);
        return static_cast<int>(re.match(prompt).captured(1).count(u'*'));
    };
    const int first = stars("First");
    const int second = stars("Second");
    const json answer = {
        {"first", {{"assessment", "first has " + std::to_string(first)}, {"score", first}}},
        {"second", {{"assessment", "second has " + std::to_string(second)}, {"score", second}}},
        {"rationale", "more stars are better"},
        {"winner", first > second ? "first" : (second > first ? "second" : "tie")}};
    return QByteArray::fromStdString(answer.dump());
}

// Agents agv_e1..N (agent agt_s, whose head is agv_e3), judge agv_judge (evaluator agt_j), problems
// prb_0..P-1 and a solution of every agent to every problem with as many stars as its number.
void fillWorkspace(const QString &path, int entrants, int problemCount)
{
    auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
    ws->exec(QStringLiteral("INSERT INTO agents (id, role, name, head_version_id, created_at, "
                            "updated_at) VALUES ('agt_s', 'generator', 'Solver', 'agv_e3', "
                            "'x', 'x'), ('agt_j', 'evaluator', 'Judge', 'agv_judge', 'x', "
                            "'x')"));
    for (int i = 1; i <= entrants; ++i)
        ws->exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                                "system_prompt, created_at) VALUES ('agv_e%1', 'agt_s', %1, "
                                "'{}', 'Solve well.', 'x')")
                     .arg(i));
    // The judge's definition is read when the CLI chooses it (no --judge): a valid one.
    ws->exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                            "system_prompt, created_at) VALUES ('agv_judge', 'agt_j', 1, "
                            "'{\"role\": \"evaluator\", \"identity\": {\"name\": \"Judge\", "
                            "\"specialization\": \"judging\", \"description\": \"A judge\"}}', "
                            "'Judge fairly.', 'x')"));
    ProblemRepository problems(*ws);
    for (int p = 0; p < problemCount; ++p) {
        Problem problem = test::makeProblem(p);
        problem.id = QStringLiteral("prb_%1").arg(p);
        problems.insert(problem);
        for (int i = 1; i <= entrants; ++i) {
            const json doc = {{"approach", "plan " + std::to_string(i)},
                              {"steps", {"do it"}},
                              {"final_answer", std::string(static_cast<size_t>(i), '*')},
                              {"assumptions", json::array()}};
            QSqlQuery q = ws->prepare(QStringLiteral(
                "INSERT INTO solutions (id, problem_id, agent_version_id, stage, doc, "
                "text_length, created_at) VALUES (?, ?, ?, 'solve', ?, ?, 'x')"));
            q.addBindValue(QStringLiteral("sol_%1_%2").arg(p).arg(i));
            q.addBindValue(problem.id);
            q.addBindValue(QStringLiteral("agv_e%1").arg(i));
            q.addBindValue(QString::fromStdString(doc.dump()));
            q.addBindValue(50 * i);
            Workspace::execPrepared(q, QStringLiteral("test solution"));
        }
    }
}

class TournamentCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("t.crucible"));
        ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
        fillWorkspace(m_ws, 3, 2);
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    QStringList tournament(const QStringList &extra) const
    {
        return QStringList{QStringLiteral("tournament"), m_ws,
                           QStringLiteral("--problems"), QStringLiteral("prb_0,prb_1"),
                           QStringLiteral("--agents"),   QStringLiteral("agv_e1,agv_e2,agt_s")} +
               extra;
    }

    QTemporaryDir m_dir;
    QString m_ws;
};

} // namespace

TEST_F(TournamentCliTest, RunsAgainstTheSimulatedProviderAndPrintsRatingsWithIntervals)
{
    const CliResult r = runCli(tournament({QStringLiteral("--type"), QStringLiteral("simulated"),
                                           QStringLiteral("--bootstrap"), QStringLiteral("200"),
                                           QStringLiteral("--json")}));
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["status"], "completed");
    EXPECT_EQ(j["comparisons"], 6); // 3 rounds of one pairing (and a bye) × 2 problems
    EXPECT_EQ(j["ratings"].size(), 3u);
    const std::string tid = j["tournament_id"];

    const CliResult ratings = runCli({QStringLiteral("ratings"), m_ws,
                                      QStringLiteral("--tournament"), QString::fromStdString(tid)});
    ASSERT_EQ(ratings.code, 0) << ratings.err.toStdString();
    EXPECT_TRUE(ratings.out.contains(u"Solver v3 (agv_e3)")) << ratings.out.toStdString();
    EXPECT_TRUE(ratings.out.contains(u"95% CI"));
    EXPECT_TRUE(ratings.out.contains(u"6 comparisons"));

    const CliResult pooled = runCli({QStringLiteral("ratings"), m_ws, QStringLiteral("--json")});
    ASSERT_EQ(pooled.code, 0) << pooled.err.toStdString();
    const json p = pooled.outJson();
    EXPECT_TRUE(p["tournament"].is_null());
    EXPECT_EQ(p["ratings"].size(), 3u);
    EXPECT_EQ(p["tournaments"].size(), 1u);
    for (const json &row : p["ratings"]) {
        EXPECT_LE(row["ci_low"].get<double>(), row["rating"].get<double>());
        EXPECT_GE(row["ci_high"].get<double>(), row["rating"].get<double>());
    }
    // The judge was the workspace's evaluator agent, and the job is a tournament job.
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto comparisons = TournamentRepository(*ws).comparisons(QString::fromStdString(tid));
    ASSERT_EQ(comparisons.size(), 6u);
    EXPECT_EQ(comparisons[0].judgeVersionId, QStringLiteral("agv_judge"));
    EXPECT_EQ(JobRepository(*ws).list()[0].kind, QStringLiteral("tournament"));
}

TEST_F(TournamentCliTest, SurvivesLoopbackFaultsAndTheBetterSolutionWinsEveryComparison)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler(starJudge);
    srv.setLatencyMs(2);
    srv.setRandomSeed(20261203);
    srv.addRandomFault(Fault::RateLimited{0, 20}, 0.05);
    srv.addRandomFault(Fault::ServerError{503}, 0.05);
    srv.addRandomFault(Fault::MalformedJson{}, 0.05);
    srv.addRandomFault(Fault::FencedJson{}, 0.05);
    srv.addRandomFault(Fault::Truncated{}, 0.03);
    const CliResult r = runCli(tournament(
        {QStringLiteral("--type"), QStringLiteral("openai"), QStringLiteral("--base-url"),
         srv.openAiBaseUrl().toString(), QStringLiteral("--model"), QStringLiteral("test-model"),
         QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY"),
         QStringLiteral("--format"), QStringLiteral("swiss"), QStringLiteral("--rounds"),
         QStringLiteral("3"), QStringLiteral("--judge"), QStringLiteral("agt_j"),
         QStringLiteral("--concurrency"), QStringLiteral("3"), QStringLiteral("--json")}));
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["comparisons"], 6);
    EXPECT_EQ(j["ties"], 0);
    EXPECT_EQ(j["ratings"][0]["entrant"], "agv_e3");
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    TournamentRepository repo(*ws);
    int failed = 0;
    for (const ComparisonRecord &c : repo.allComparisons()) {
        // The better solution (more stars, a higher version number) won in both orders, unless
        // a fault left an order without a valid answer (a truncated answer twice in a row):
        // then the comparison is failed, never decided the other way.
        const QString better = c.entrantA > c.entrantB ? QStringLiteral("a") : QStringLiteral("b");
        if (c.winner == u"failed") {
            ++failed;
            EXPECT_TRUE(c.doc.contains("error")) << c.doc.dump();
            continue;
        }
        EXPECT_EQ(c.winner, better) << c.id.toStdString() << " " << c.doc.dump();
        EXPECT_EQ(c.verdictAb, better);
        EXPECT_EQ(c.verdictBa, better);
    }
    EXPECT_EQ(j["failed_comparisons"], failed);
    EXPECT_LE(failed, 2);
    EXPECT_EQ(repo.preferencePairCount(), 6 - failed);
    EXPECT_GT(srv.stats().faultsInjected, 0);
}

TEST_F(TournamentCliTest, EstimatePrintsCallsAndWritesNothing)
{
    const CliResult r =
        runCli(tournament({QStringLiteral("--type"), QStringLiteral("simulated"),
                           QStringLiteral("--estimate"), QStringLiteral("--json")}));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["comparisons"], 6);
    EXPECT_EQ(j["calls"], 12); // every solution exists: two judge calls per comparison
    EXPECT_EQ(j["cost_usd"], 0.0);
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    EXPECT_TRUE(TournamentRepository(*ws).tournaments().empty());
}

TEST_F(TournamentCliTest, BadInputSaysWhatToDoAndChangesNothing)
{
    const CliResult unknown = runCli(
        {QStringLiteral("tournament"), m_ws, QStringLiteral("--problems"), QStringLiteral("prb_0"),
         QStringLiteral("--agents"), QStringLiteral("agv_e1,agv_nobody"), QStringLiteral("--type"),
         QStringLiteral("simulated")});
    EXPECT_NE(unknown.code, 0);
    EXPECT_TRUE(unknown.err.contains(u"agv_nobody")) << unknown.err.toStdString();
    EXPECT_TRUE(unknown.err.contains(u"agents")) << unknown.err.toStdString();

    const CliResult missingProblem = runCli(
        {QStringLiteral("tournament"), m_ws, QStringLiteral("--problems"),
         QStringLiteral("prb_0,prb_zzz"), QStringLiteral("--agents"),
         QStringLiteral("agv_e1,agv_e2"), QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_EQ(missingProblem.code, 2);
    EXPECT_TRUE(missingProblem.err.contains(u"prb_zzz")) << missingProblem.err.toStdString();

    const CliResult ratings = runCli({QStringLiteral("ratings"), m_ws,
                                      QStringLiteral("--tournament"), QStringLiteral("trn_nope")});
    EXPECT_NE(ratings.code, 0);
    EXPECT_TRUE(ratings.err.contains(u"trn_nope")) << ratings.err.toStdString();

    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    EXPECT_TRUE(TournamentRepository(*ws).tournaments().empty());
    EXPECT_TRUE(JobRepository(*ws).list().empty());

    const CliResult empty = runCli({QStringLiteral("ratings"), m_ws});
    EXPECT_EQ(empty.code, 0);
    EXPECT_TRUE(empty.out.contains(u"No ratings yet"));
}

TEST(TournamentCliEndToEnd, NewAgentsSolveThenCompeteAndResumeKnowsTheKind)
{
    QTemporaryDir dir;
    const QString ws = dir.filePath(QStringLiteral("e.crucible"));
    ASSERT_EQ(runCli({QStringLiteral("init"), ws}).code, 0);
    QStringList agents;
    for (const char *name : {"Alice", "Bob"}) {
        const CliResult r =
            runCli({QStringLiteral("agents"), ws, QStringLiteral("create"),
                    QStringLiteral("--role"), QStringLiteral("generator"), QStringLiteral("--name"),
                    QString::fromLatin1(name), QStringLiteral("--json")});
        ASSERT_EQ(r.code, 0) << r.err.toStdString();
        agents << QString::fromStdString(r.outJson()["agent_id"].get<std::string>());
    }
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadWrite);
        ProblemRepository problems(*w);
        for (int p = 0; p < 2; ++p) {
            Problem problem = test::makeProblem(p);
            problem.id = QStringLiteral("prb_e%1").arg(p);
            problems.insert(problem);
        }
    }
    // Alice alone against Bob with the template critic and refiner; the template judge.
    const QString team = agents[1] + QStringLiteral("+agt_tpl_critic+agt_tpl_refiner");
    const CliResult r = runCli({QStringLiteral("tournament"), ws, QStringLiteral("--problems"),
                                QStringLiteral("prb_e0,prb_e1"), QStringLiteral("--agents"),
                                agents[0] + QLatin1Char(',') + team, QStringLiteral("--type"),
                                QStringLiteral("simulated"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["kind"], "tournament");
    EXPECT_EQ(j["status"], "completed");
    EXPECT_EQ(j["comparisons"], 2);
    EXPECT_EQ(j["ratings"].size(), 2u);
    const QString jobId = QString::fromStdString(j["job_id"].get<std::string>());
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        QSqlQuery q = w->exec(QStringLiteral("SELECT stage, count(*) FROM solutions GROUP BY stage "
                                             "ORDER BY stage"));
        std::map<QString, int> stages;
        while (q.next())
            stages[q.value(0).toString()] = q.value(1).toInt();
        EXPECT_EQ(stages[QStringLiteral("solve")], 4);
        EXPECT_EQ(stages[QStringLiteral("refine")], 2);
        const auto comparisons = TournamentRepository(*w).allComparisons();
        ASSERT_EQ(comparisons.size(), 2u);
        for (const ComparisonRecord &c : comparisons)
            EXPECT_TRUE(c.entrantA.contains(u'+') != c.entrantB.contains(u'+'));
    }
    // `resume` knows the kind: a finished tournament stays as it is.
    const CliResult again = runCli({QStringLiteral("resume"), ws, jobId, QStringLiteral("--type"),
                                    QStringLiteral("simulated"), QStringLiteral("--json")});
    ASSERT_EQ(again.code, 0) << again.err.toStdString();
    EXPECT_EQ(again.outJson()["comparisons"], 2);
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    EXPECT_EQ(TournamentRepository(*w).allComparisons().size(), 2u);
}

TEST(TournamentCliKill, AKilledTournamentResumesWithNoComparisonLostOrCountedTwice)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    QTemporaryDir dir;
    const QString ws = dir.filePath(QStringLiteral("k.crucible"));
    ASSERT_EQ(runCli({QStringLiteral("init"), ws}).code, 0);
    fillWorkspace(ws, 6, 4); // 15 pairings × 4 problems = 60 comparisons
    LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler(starJudge);
    srv.setLatencyMs(40);
    srv.setRandomSeed(7);
    srv.addRandomFault(Fault::ServerError{503}, 0.05);
    srv.addRandomFault(Fault::MalformedJson{}, 0.05);
    const QStringList provider{
        QStringLiteral("--type"),        QStringLiteral("openai"),
        QStringLiteral("--base-url"),    srv.openAiBaseUrl().toString(),
        QStringLiteral("--model"),       QStringLiteral("test-model"),
        QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    QProcess child;
    child.start(QStringLiteral(CRUCIBLE_CLI_PATH),
                QStringList{QStringLiteral("tournament"), ws, QStringLiteral("--problems"),
                            QStringLiteral("prb_0,prb_1,prb_2,prb_3"), QStringLiteral("--agents"),
                            QStringLiteral("agv_e1,agv_e2,agv_e3,agv_e4,agv_e5,agv_e6"),
                            QStringLiteral("--judge"), QStringLiteral("agv_judge"),
                            QStringLiteral("--concurrency"), QStringLiteral("2"),
                            QStringLiteral("--json")} +
                    provider);
    ASSERT_TRUE(child.waitForStarted(10'000));
    const auto stored = [&] {
        try {
            auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
            QSqlQuery q = w->exec(QStringLiteral("SELECT count(*) FROM comparisons"));
            return q.next() ? q.value(0).toInt() : 0;
        } catch (const std::exception &) {
            return 0;
        }
    };
    QElapsedTimer clock;
    clock.start();
    while (stored() < 12 && child.state() == QProcess::Running && clock.elapsed() < 120'000)
        child.waitForFinished(20);
    ASSERT_EQ(child.state(), QProcess::Running)
        << "ended before the kill: " << child.readAllStandardError().toStdString();
    child.kill(); // SIGKILL
    ASSERT_TRUE(child.waitForFinished(10'000));
    const int beforeResume = stored();
    ASSERT_LT(beforeResume, 60);
    QString jobId;
    std::set<QString> kept;
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        const auto jobs = JobRepository(*w).list();
        ASSERT_EQ(jobs.size(), 1u);
        jobId = jobs[0].id;
        for (const ComparisonRecord &c : TournamentRepository(*w).allComparisons())
            kept.insert(c.id);
    }
    const CliResult resumed = runCli(
        QStringList{QStringLiteral("resume"), ws, jobId, QStringLiteral("--json")} + provider);
    ASSERT_EQ(resumed.code, 0) << resumed.err.toStdString() << resumed.out.toStdString();
    EXPECT_EQ(resumed.outJson()["comparisons"], 60);
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    TournamentRepository repo(*w);
    const auto comparisons = repo.allComparisons();
    ASSERT_EQ(comparisons.size(), 60u);
    std::set<std::pair<QString, QString>> pairs;
    int decided = 0;
    for (const ComparisonRecord &c : comparisons) {
        EXPECT_TRUE(pairs.insert({c.solutionA, c.solutionB}).second) << "counted twice";
        kept.erase(c.id);
        decided += c.decisive() ? 1 : 0;
    }
    EXPECT_TRUE(kept.empty()) << "a comparison stored before the kill was lost";
    EXPECT_EQ(repo.preferencePairCount(), decided);
    // The ratings count every comparison once: 5 opponents × 4 problems per entrant.
    for (const RatingRecord &r : repo.ratings(
             QString::fromStdString(resumed.outJson()["tournament_id"].get<std::string>())))
        EXPECT_LE(r.wins + r.losses + r.ties, 20);
}
