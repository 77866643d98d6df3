// `crucible-cli generate …`, `resume`, `jobs` and `matrix --generate`, including a real
// crucible-cli process killed in the middle of a 1,000-problem dataset and then resumed.

#include "core/generate/minhash.h"
#include "core/llm/structured/jsonschemavalidator.h"
#include "core/store/datasetrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/generationanswers.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/testworkspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QVariant>
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <set>

using namespace crucible;
using namespace crucible::cli;
using crucible::test::LlmTestServerThread;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

class GenerateCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("w.crucible"));
        ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    QStringList loopback(const LlmTestServerThread &server) const
    {
        return {QStringLiteral("--type"),        QStringLiteral("openai"),
                QStringLiteral("--base-url"),    server.server().openAiBaseUrl().toString(),
                QStringLiteral("--model"),       QStringLiteral("test-model"),
                QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    }

    QTemporaryDir m_dir;
    QString m_ws;
};

qint64 finishedUnits(const QString &wsPath)
{
    try {
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        QSqlQuery q = ws->exec(QStringLiteral("SELECT count(*) FROM job_units WHERE status = "
                                              "'done'"));
        return q.next() ? q.value(0).toLongLong() : 0;
    } catch (const std::exception &) {
        return 0; // not created yet, or busy
    }
}

// Where the kill-and-resume test kills the child: after `units` finished job units, a number in
// [kMinKill, kMaxKill]. Random by default (a fresh seed each run); to replay a run, set
//   CRUCIBLE_KILL_POINT=<units>  the point itself, or
//   CRUCIBLE_KILL_SEED=<seed>    the seed the test printed, which picks the same point again.
// The loopback server's faults have their own fixed seed (20261127), printed alongside.
struct KillPoint
{
    static constexpr int kMinKill = 100;
    static constexpr int kMaxKill = 699;

    std::uint64_t seed = 0;
    int units = 0;
    std::string source; // "random", "CRUCIBLE_KILL_SEED" or "CRUCIBLE_KILL_POINT"
    std::string error;  // non-empty when an environment variable is not usable

    std::string describe() const
    {
        return "kill point " + std::to_string(units) + " finished units (" + source + ", seed " +
               std::to_string(seed) + ", server fault seed 20261127); replay with " +
               "CRUCIBLE_KILL_POINT=" + std::to_string(units) +
               " or CRUCIBLE_KILL_SEED=" + std::to_string(seed);
    }
};

int killPointFromSeed(std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    return std::uniform_int_distribution<int>(KillPoint::kMinKill, KillPoint::kMaxKill)(random);
}

KillPoint killPoint()
{
    KillPoint kill;
    const QByteArray point = qgetenv("CRUCIBLE_KILL_POINT");
    const QByteArray seed = qgetenv("CRUCIBLE_KILL_SEED");
    bool ok = true;
    if (!point.isEmpty()) {
        kill.units = point.toInt(&ok);
        kill.source = "CRUCIBLE_KILL_POINT";
        if (!ok || kill.units < KillPoint::kMinKill || kill.units > KillPoint::kMaxKill)
            kill.error = "CRUCIBLE_KILL_POINT=" + point.toStdString() +
                         " is not a whole number from " + std::to_string(KillPoint::kMinKill) +
                         " to " + std::to_string(KillPoint::kMaxKill) +
                         ": set it to a point the test printed, or unset it";
        return kill;
    }
    if (!seed.isEmpty()) {
        kill.seed = seed.toULongLong(&ok);
        kill.source = "CRUCIBLE_KILL_SEED";
        if (!ok)
            kill.error = "CRUCIBLE_KILL_SEED=" + seed.toStdString() +
                         " is not an unsigned whole number: set it to a seed the test printed, "
                         "or unset it";
    } else {
        std::random_device device;
        kill.seed = (std::uint64_t(device()) << 32) | device();
        kill.source = "random";
    }
    kill.units = killPointFromSeed(kill.seed);
    return kill;
}

} // namespace

TEST_F(GenerateCliTest, DatasetPrintsItsIdsAndHasExactlyNWithTheMix)
{
    const CliResult r = runCli(
        {QStringLiteral("generate"), QStringLiteral("dataset"), m_ws, QStringLiteral("--type"),
         QStringLiteral("simulated"), QStringLiteral("--domain"), QStringLiteral("nursing"),
         QStringLiteral("--size"), QStringLiteral("20"), QStringLiteral("--mix"),
         QStringLiteral("simple=1,complex=3"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["status"], "completed");
    ASSERT_EQ(j["problem_ids"].size(), 20u);
    EXPECT_EQ(j["counts"]["by_complexity"]["simple"], 5);
    EXPECT_EQ(j["counts"]["by_complexity"]["complex"], 15);
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto ds =
        DatasetRepository(*ws).get(QString::fromStdString(j["dataset_id"].get<std::string>()));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), 20);

    const CliResult jobs = runCli({QStringLiteral("jobs"), m_ws});
    EXPECT_EQ(jobs.code, 0);
    EXPECT_TRUE(jobs.out.contains(QString::fromStdString(j["job_id"].get<std::string>())));
    EXPECT_TRUE(jobs.out.contains(QStringLiteral("completed")));
}

TEST_F(GenerateCliTest, EstimateRunsNothingAndBadInputIsExplained)
{
    CliResult r =
        runCli({QStringLiteral("generate"), QStringLiteral("seeds"), m_ws, QStringLiteral("--type"),
                QStringLiteral("simulated"), QStringLiteral("--domain"), QStringLiteral("law"),
                QStringLiteral("--estimate")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("estimate: ~6 calls"))) << r.out.toStdString();
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    EXPECT_TRUE(JobRepository(*ws).list().empty());
    ws.reset();

    r = runCli({QStringLiteral("generate"), QStringLiteral("variations"), m_ws,
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--problem"),
                QStringLiteral("prb_nope")});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("no problem with id prb_nope")))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("crucible-cli problems")));

    r = runCli({QStringLiteral("generate"), QStringLiteral("dataset"), m_ws,
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--domain"),
                QStringLiteral("x"), QStringLiteral("--mix"), QStringLiteral("easy=1")});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("simple|medium|complex"))) << r.err.toStdString();

    r = runCli({QStringLiteral("resume"), m_ws, QStringLiteral("job_nope"),
                QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("crucible-cli jobs"))) << r.err.toStdString();
}

TEST_F(GenerateCliTest, InvalidParametersExitTwoBeforeAnythingIsWritten)
{
    // A budget that cannot reach the target and a domain of blanks: both reported, nothing run.
    CliResult r =
        runCli({QStringLiteral("generate"), QStringLiteral("dataset"), m_ws,
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--domain"),
                QStringLiteral("  "), QStringLiteral("--size"), QStringLiteral("20"),
                QStringLiteral("--budget"), QStringLiteral("5")});
    EXPECT_EQ(r.code, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("candidate_budget = 5"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("allow at least 20 candidates")));
    EXPECT_TRUE(r.err.contains(QStringLiteral("domain: must not be empty")));
    EXPECT_TRUE(r.err.contains(QStringLiteral("nothing was started or written")));

    r = runCli({QStringLiteral("generate"), QStringLiteral("dataset"), m_ws,
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--domain"),
                QStringLiteral("law"), QStringLiteral("--mix"),
                QStringLiteral("simple=0,medium=0")});
    EXPECT_EQ(r.code, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("positive weight"))) << r.err.toStdString();

    r = runCli({QStringLiteral("generate"), QStringLiteral("adversarial"), m_ws,
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--problem"),
                QStringLiteral("prb_x"), QStringLiteral("--strategies"),
                QStringLiteral("edge case,bribery")});
    EXPECT_EQ(r.code, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("strategies = bribery"))) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains(QStringLiteral("edge_case"))) << "strategies read as words";
    EXPECT_TRUE(r.err.contains(QStringLiteral("misleading information")));

    const QString model = m_dir.filePath(QStringLiteral("m.pict"));
    test::writeFile(model, "Ward: ICU, Surgery\nResource: Nurses, Beds\n");
    r = runCli({QStringLiteral("matrix"), m_ws, QStringLiteral("--model"), model,
                QStringLiteral("--generate"), QStringLiteral("--template"),
                QStringLiteral("{Ward} patients need {Staff}")});
    EXPECT_EQ(r.code, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("{Staff}: is not a dimension of the matrix; use "
                                              "one of {Ward}, {Resource}")))
        << r.err.toStdString();

    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    EXPECT_TRUE(JobRepository(*ws).list().empty());
    EXPECT_EQ(ProblemRepository(*ws).count(), 0);
    ws.reset();

    // Without a template the rows become bare value lists: said, with a template to start from.
    r = runCli({QStringLiteral("matrix"), m_ws, QStringLiteral("--model"), model,
                QStringLiteral("--generate")});
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("bare list of the row's values")))
        << r.err.toStdString();
    EXPECT_TRUE(
        r.err.contains(QStringLiteral("--template \"A {Ward} case involving {Resource}\"")));
}

TEST_F(GenerateCliTest, EveryKindFromTheCli)
{
    CliResult r =
        runCli({QStringLiteral("generate"), QStringLiteral("seeds"), m_ws, QStringLiteral("--type"),
                QStringLiteral("simulated"), QStringLiteral("--domain"), QStringLiteral("law"),
                QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QString base = QString::fromStdString(r.outJson()["problem_ids"][0].get<std::string>());
    const std::pair<const char *, QStringList> kinds[] = {
        {"variations", {QStringLiteral("--per-level"), QStringLiteral("1")}},
        {"adversarial", {QStringLiteral("--count"), QStringLiteral("2")}},
        {"expand", {QStringLiteral("--factors"), QStringLiteral("time,regulators")}},
        {"interactions", {QStringLiteral("--turns"), QStringLiteral("4")}}};
    for (const auto &[kind, extra] : kinds) {
        QStringList args{QStringLiteral("generate"),
                         QString::fromLatin1(kind),
                         m_ws,
                         QStringLiteral("--type"),
                         QStringLiteral("simulated"),
                         QStringLiteral("--problem"),
                         base,
                         QStringLiteral("--json")};
        args << extra;
        r = runCli(args);
        ASSERT_EQ(r.code, 0) << kind << ": " << r.err.toStdString();
        const json j = r.outJson();
        EXPECT_EQ(j["status"], "completed") << kind;
        EXPECT_GE(j["accepted"].get<int>(), 1) << kind;
        if (QLatin1String(kind) == QLatin1String("interactions")) {
            EXPECT_EQ(j["interaction_ids"].size(), 1u);
        }
        if (QLatin1String(kind) == QLatin1String("variations")) {
            EXPECT_EQ(j["problem_ids"].size(), 3u);
        }
    }
}

TEST_F(GenerateCliTest, MatrixGenerateMakesOneProblemPerRow)
{
    const QString model = m_dir.filePath(QStringLiteral("m.pict"));
    test::writeFile(model, "Channel: Email, Chat, Phone\nTier: Free, Pro\nIssue: Billing, Bug\n"
                           "IF [Tier] = \"Free\" THEN [Channel] <> \"Phone\";\n");
    const CliResult r =
        runCli({QStringLiteral("matrix"), m_ws, QStringLiteral("--model"), model,
                QStringLiteral("--generate"), QStringLiteral("--domain"), QStringLiteral("support"),
                QStringLiteral("--template"), QStringLiteral("{Tier} user, {Issue} via {Channel}"),
                QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    const auto ids = j["problem_ids"];
    ASSERT_GE(ids.size(), 6u); // Channel × Issue alone needs 6 rows
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto ds =
        DatasetRepository(*ws).get(QString::fromStdString(j["dataset_id"].get<std::string>()));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->metadata["matrix"]["coverage"]["rows"], ids.size());
    EXPECT_TRUE(ds->metadata["matrix"]["model"].get<std::string>().find("Channel") !=
                std::string::npos);
    for (const auto &id : ids) {
        const auto p = ProblemRepository(*ws).get(QString::fromStdString(id.get<std::string>()));
        ASSERT_TRUE(p);
        EXPECT_EQ(p->statement, QStringLiteral("%1 user, %2 via %3")
                                    .arg(p->matrixCell.at(QStringLiteral("Tier")),
                                         p->matrixCell.at(QStringLiteral("Issue")),
                                         p->matrixCell.at(QStringLiteral("Channel"))));
    }
}

TEST(GenerateCliKillPoint, IsRandomUnlessTheEnvironmentReplaysIt)
{
    const QByteArray savedPoint = qgetenv("CRUCIBLE_KILL_POINT");
    const QByteArray savedSeed = qgetenv("CRUCIBLE_KILL_SEED");
    qunsetenv("CRUCIBLE_KILL_POINT");
    qunsetenv("CRUCIBLE_KILL_SEED");
    const KillPoint random = killPoint();
    EXPECT_EQ(random.source, "random");
    EXPECT_EQ(random.units, killPointFromSeed(random.seed)) << "the printed seed replays the point";
    EXPECT_GE(random.units, KillPoint::kMinKill);
    EXPECT_LE(random.units, KillPoint::kMaxKill);

    qputenv("CRUCIBLE_KILL_SEED", QByteArray::number(random.seed));
    const KillPoint fromSeed = killPoint();
    EXPECT_EQ(fromSeed.units, random.units);
    EXPECT_EQ(fromSeed.source, "CRUCIBLE_KILL_SEED");
    EXPECT_TRUE(fromSeed.error.empty());
    qputenv("CRUCIBLE_KILL_SEED", "twelve");
    EXPECT_NE(killPoint().error.find("CRUCIBLE_KILL_SEED=twelve is not"), std::string::npos);

    qputenv("CRUCIBLE_KILL_POINT", "345"); // the point wins over the seed
    const KillPoint fromPoint = killPoint();
    EXPECT_EQ(fromPoint.units, 345);
    EXPECT_EQ(fromPoint.source, "CRUCIBLE_KILL_POINT");
    EXPECT_NE(fromPoint.describe().find("CRUCIBLE_KILL_POINT=345"), std::string::npos);
    qputenv("CRUCIBLE_KILL_POINT", "5000");
    EXPECT_NE(killPoint().error.find("from 100 to 699"), std::string::npos);

    qunsetenv("CRUCIBLE_KILL_POINT");
    qunsetenv("CRUCIBLE_KILL_SEED");
    if (!savedPoint.isEmpty())
        qputenv("CRUCIBLE_KILL_POINT", savedPoint);
    if (!savedSeed.isEmpty())
        qputenv("CRUCIBLE_KILL_SEED", savedSeed);
}

TEST_F(GenerateCliTest, KilledProcessResumesWithExactly1000AcceptedNoDuplicates)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler([](const json &request) { return test::generationAnswer(request, 0.03); });
    srv.setLatencyMs(3);
    srv.setRandomSeed(20261127);
    srv.addRandomFault(Fault::RateLimited{0, 20}, 0.03);
    srv.addRandomFault(Fault::ServerError{503}, 0.03);
    srv.addRandomFault(Fault::DropConnection{}, 0.02);
    srv.addRandomFault(Fault::MalformedJson{}, 0.02);
    srv.addRandomFault(Fault::FencedJson{}, 0.02);
    srv.addRandomFault(Fault::Truncated{}, 0.02);

    // The kill point is random so that, run after run, the child dies in every phase of the job.
    // It is printed; CRUCIBLE_KILL_POINT or CRUCIBLE_KILL_SEED replays a failure (see killPoint).
    const KillPoint kill = killPoint();
    ASSERT_TRUE(kill.error.empty()) << kill.error;
    const int killAt = kill.units;
    std::cout << "[ kill     ] " << kill.describe() << '\n';
    RecordProperty("kill_seed", std::to_string(kill.seed));
    RecordProperty("kill_point", killAt);
    SCOPED_TRACE(kill.describe());

    QStringList args{
        QStringLiteral("generate"), QStringLiteral("dataset"),        m_ws,
        QStringLiteral("--domain"), QStringLiteral("ward logistics"), QStringLiteral("--size"),
        QStringLiteral("1000"),     QStringLiteral("--concurrency"),  QStringLiteral("16"),
        QStringLiteral("--json")};
    args << loopback(server);
    QProcess child;
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start(QStringLiteral(CRUCIBLE_CLI_PATH), args);
    ASSERT_TRUE(child.waitForStarted(10'000));
    QElapsedTimer clock;
    clock.start();
    while (finishedUnits(m_ws) < killAt && child.state() == QProcess::Running &&
           clock.elapsed() < 120'000)
        child.waitForFinished(20); // polls the workspace every 20 ms while the child runs
    ASSERT_EQ(child.state(), QProcess::Running)
        << "the job ended before the kill point: " << child.readAllStandardError().toStdString();
    child.kill(); // SIGKILL: no chance to clean up
    ASSERT_TRUE(child.waitForFinished(10'000));

    std::set<QString> beforeKill;
    QString jobId;
    {
        auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
        const auto jobs = JobRepository(*ws).list();
        ASSERT_EQ(jobs.size(), 1u);
        jobId = jobs[0].id;
        EXPECT_EQ(jobs[0].status, JobStatus::Running) << "killed, so never finished";
        qint64 after = 0;
        ProblemFilter all;
        for (const auto &p : ProblemRepository(*ws).pageAfter(all, after, 2000))
            beforeKill.insert(p.id);
        EXPECT_GE(beforeKill.size(), 50u);
        EXPECT_LT(beforeKill.size(), 1000u);
    }

    QStringList resumeArgs{QStringLiteral("resume"), m_ws, jobId, QStringLiteral("--json")};
    resumeArgs << loopback(server);
    const CliResult r = runCli(resumeArgs);
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["status"], "completed");
    ASSERT_EQ(j["problem_ids"].size(), 1000u);

    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    ProblemRepository repo(*ws);
    EXPECT_EQ(repo.count(), 1000) << "no duplicates and no orphans";
    const auto ds =
        DatasetRepository(*ws).get(QString::fromStdString(j["dataset_id"].get<std::string>()));
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->problemIds.size(), 1000);
    const std::set<QString> members(ds->problemIds.begin(), ds->problemIds.end());
    EXPECT_EQ(members.size(), 1000u);
    for (const QString &id : beforeKill)
        EXPECT_TRUE(members.count(id)) << "lost " << id.toStdString();

    QFile schemaFile(QStringLiteral(":/schemas/problem.schema.json"));
    ASSERT_TRUE(schemaFile.open(QIODevice::ReadOnly));
    const JsonSchemaValidator validator(json::parse(schemaFile.readAll().toStdString()));
    std::vector<QString> texts;
    for (const QString &id : ds->problemIds) {
        const auto p = repo.get(id);
        ASSERT_TRUE(p);
        const json answer = {{"problem_statement", p->statement.toStdString()},
                             {"constraints", p->constraints},
                             {"success_criteria", p->successCriteria}};
        EXPECT_TRUE(validator.validate(answer).empty()) << id.toStdString();
        texts.push_back(p->statement);
    }
    int duplicates = 0;
    for (const auto &d : dedupBatch(texts))
        duplicates += d.duplicate ? 1 : 0;
    EXPECT_EQ(duplicates, 0);
    EXPECT_GT(srv.stats().faultsInjected, 0);
    EXPECT_GT(j["rejected"].get<int>(), 0) << "the planted duplicates were rejected";
}
