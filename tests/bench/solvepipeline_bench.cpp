// Solve–critique–refine–evaluate through the real job, scheduler, provider and workspace
// against the loopback server running as its own process (so the CPU measured is the
// client's): P problems × A generator agents, each with a critic and a refiner, then one
// judge on every final answer. Prints wall time against the ideal (calls × latency /
// concurrency), client CPU per call, and tokens and USD per verdict (priced as a custom server
// at the given USD per million tokens). Not a Google Benchmark: one run is the figure.
//
//   build/tests/llmtestserver --port 18095 --latency-ms 200 --solve-answers &
//   build/tests/bench/solvepipeline_bench --base-url http://127.0.0.1:18095/v1
//       --problems 200 --agents 4 --concurrency 32   (one line)

#include "core/engine/enginejobkinds.h"
#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/solvejob.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/store/verdictrepository.h"
#include "tests/bench/benchcpu.h"
#include "tests/support/solvefixtures.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>
#include <tuple>

using namespace crucible;
using nlohmann::json;

namespace {

using bench::cpuSeconds;

struct Phase
{
    EngineJobResult result;
    double wall = 0;
    double cpu = 0;
};

Phase runJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
             const QString &jobId)
{
    const EngineJobKind *kind = enginejobkinds::find(JobRepository(ws).get(jobId)->kind);
    auto job = kind->make(ws, client, templates);
    QElapsedTimer clock;
    clock.start();
    const double cpu0 = cpuSeconds();
    Phase p;
    p.result = QCoro::waitFor(job->run(jobId));
    p.wall = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    p.cpu = cpuSeconds() - cpu0;
    return p;
}

qint64 maxCallRow(Workspace &ws)
{
    QSqlQuery q = ws.exec(QStringLiteral("SELECT coalesce(max(rowid), 0) FROM llm_calls"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("base-url"),
                                       QStringLiteral("OpenAI base URL of the loopback server"),
                                       QStringLiteral("url"));
    const QCommandLineOption problemsOption(QStringLiteral("problems"), QStringLiteral("Problems"),
                                            QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption agentsOption(QStringLiteral("agents"),
                                          QStringLiteral("Generator agents (teams)"),
                                          QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"),
                                               QStringLiteral("Units in flight"),
                                               QStringLiteral("n"), QStringLiteral("32"));
    const QCommandLineOption latencyOption(QStringLiteral("latency-ms"),
                                           QStringLiteral("The server's latency (for the ideal)"),
                                           QStringLiteral("ms"), QStringLiteral("200"));
    parser.addOptions({urlOption, problemsOption, agentsOption, concurrencyOption, latencyOption});
    parser.process(app);
    if (!parser.isSet(urlOption)) {
        std::fprintf(stderr, "--base-url is required (start build/tests/llmtestserver first)\n");
        return 2;
    }
    const int problemCount = parser.value(problemsOption).toInt();
    const int agentCount = parser.value(agentsOption).toInt();
    const int concurrency = parser.value(concurrencyOption).toInt();
    const double latency = parser.value(latencyOption).toDouble() / 1000.0;

    QTemporaryDir dir;
    auto ws = Workspace::create(dir.filePath(QStringLiteral("bench.crucible")));
    const QStringList problems = test::insertProblems(*ws, problemCount);
    json teams = json::array();
    const QString critic =
        test::insertAgentVersion(*ws, QStringLiteral("critic"), QStringLiteral("Critic"));
    const QString refiner =
        test::insertAgentVersion(*ws, QStringLiteral("refiner"), QStringLiteral("Refiner"));
    const QString judge =
        test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("Judge"));
    for (int i = 0; i < agentCount; ++i)
        teams.push_back({{"generator", test::insertAgentVersion(*ws, QStringLiteral("generator"),
                                                                QStringLiteral("Gen %1").arg(i))
                                           .toStdString()},
                         {"critic", critic.toStdString()},
                         {"refiner", refiner.toStdString()}});

    ProviderConfig config =
        ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("loop"));
    config.baseUrl = parser.value(urlOption);
    config.defaultModel = QStringLiteral("test-model");
    config.concurrency = concurrency;
    config.maxRetries = 2;
    config.inputUsdPerMillion = 2.5; // priced like a mid-size cloud model, for the USD figures
    config.outputUsdPerMillion = 10.0;
    LlmClient client(PriceTable::builtIn());
    client.setLedger(ws.get());
    client.addProvider(std::make_shared<OpenAiProvider>(config, QString()));
    const PromptTemplates templates{QString()};

    const QString solveId = SolveJob::create(*ws, {{"problems", problems},
                                                   {"teams", teams},
                                                   {"provider", "loop"},
                                                   {"concurrency", concurrency}});
    const Phase solve = runJob(*ws, client, templates, solveId);
    const qint64 solveLastCall = maxCallRow(*ws);
    json finals = json::array();
    for (const JobUnit &u : JobRepository(*ws).units(solveId))
        if (u.result.value("ok", false))
            finals.push_back(u.result.value("final_solution_id", std::string()));
    const QString evalId = EvaluateJob::create(*ws, {{"solutions", finals},
                                                     {"judges", json::array({judge.toStdString()})},
                                                     {"provider", "loop"},
                                                     {"concurrency", concurrency}});
    const Phase evaluate = runJob(*ws, client, templates, evalId);
    // What the client saw per call (send to last byte): the server's latency plus the
    // transport; wall above ideal beyond this is the client's own scheduling.
    for (const auto &[name, from, to] : {std::tuple{"solve", qint64(0), solveLastCall},
                                         std::tuple{"evaluate", solveLastCall, maxCallRow(*ws)}}) {
        QSqlQuery q = ws->prepare(QStringLiteral(
            "SELECT avg(latency_ms), max(latency_ms) FROM llm_calls WHERE rowid > ? AND "
            "rowid <= ? AND cache_hit = 0"));
        q.addBindValue(from);
        q.addBindValue(to);
        Workspace::execPrepared(q, QStringLiteral("latency"));
        if (q.next())
            std::printf("%-9s call latency seen by the client: mean %.1f ms, max %d ms\n", name,
                        q.value(0).toDouble(), q.value(1).toInt());
    }

    auto report = [&](const char *name, const Phase &p) {
        const json &cost = p.result.summary["cost"];
        const int calls = cost.value("calls", 0);
        const double ideal = calls * latency / concurrency;
        std::printf("%-9s %-9s units %4d  calls %5d  wall %7.2f s  ideal %7.2f s  ratio %.3f  "
                    "client CPU %6.2f s (%.2f ms/call)\n",
                    name, toString(p.result.status).toUtf8().constData(),
                    p.result.summary["counts"].value("done", 0), calls, p.wall, ideal,
                    p.wall / ideal, p.cpu, calls > 0 ? p.cpu * 1000 / calls : 0.0);
        return std::make_pair(calls, ideal);
    };
    const auto [solveCalls, solveIdeal] = report("solve", solve);
    const auto [evalCalls, evalIdeal] = report("evaluate", evaluate);
    const double wall = solve.wall + evaluate.wall;
    const double ideal = solveIdeal + evalIdeal;
    std::printf("total     calls %5d  wall %7.2f s  ideal %7.2f s  ratio %.3f  client CPU %.2f "
                "ms/call\n",
                solveCalls + evalCalls, wall, ideal, wall / ideal,
                (solve.cpu + evaluate.cpu) * 1000 / (solveCalls + evalCalls));
    const json &ec = evaluate.result.summary["cost"];
    const auto verdicts = VerdictRepository(*ws).byJob(evalId);
    const double n = static_cast<double>(std::max<std::size_t>(1, verdicts.size()));
    std::printf("per verdict: %.0f tokens in, %.0f out, $%.5f (at $2.50 / $10 per 1M tokens); "
                "per solved unit (3 calls): $%.5f\n",
                ec.value("tokens_in", 0.0) / n, ec.value("tokens_out", 0.0) / n,
                ec.value("usd", 0.0) / n,
                solve.result.summary["cost"].value("usd", 0.0) /
                    std::max(1, solve.result.summary["counts"].value("done", 1)));
    return solve.result.status == JobStatus::Completed &&
                   evaluate.result.status == JobStatus::Completed
               ? 0
               : 1;
}
