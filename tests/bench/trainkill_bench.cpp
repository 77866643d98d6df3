// `kill -9` at random points of a training run against the loopback server with transient
// faults (503s and dropped connections): the run is killed N times, resumed with
// `crucible-cli resume` after each kill, and its end compared with the same run left alone in a
// twin workspace. Printed: kills, the calls used at each kill, cycles lost and cycles counted
// twice (against the run left alone), whether every reported figure agrees, SQLite's
// integrity check after every kill, and the HTTP calls the kills cost (answers in flight at a
// kill are asked again; the optimiser's budget is charged once).
//
//   build/tests/bench/trainkill_bench --kills 20 --budget 400 --seed 1

#include "core/model/trainingrun.h"
#include "core/store/entityrepository.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/solvefixtures.h"
#include "tests/support/trainkill.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>
#include <map>
#include <set>

using namespace crucible;
using nlohmann::json;
namespace Fault = crucible::test::Fault;

namespace {

QString makeWorkspace(const QTemporaryDir &dir, const QString &name, int problems)
{
    const QString path = dir.filePath(name);
    auto ws = Workspace::open(path, Workspace::Mode::CreateIfMissing);
    test::insertProblems(*ws, problems);
    return path;
}

qint64 httpCalls(const QString &path, const QString &runId)
{
    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    LlmCallFilter f;
    f.jobId = runId;
    const LlmUsageTotals t = LlmCallRepository(*ws).totals(f);
    return t.calls - t.cacheHits;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption killsOption(QStringLiteral("kills"), QStringLiteral("Kills"),
                                         QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption budgetOption(QStringLiteral("budget"),
                                          QStringLiteral("LLM calls of the run"),
                                          QStringLiteral("calls"), QStringLiteral("400"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
                                        QStringLiteral("Seed of the kill points and faults"),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption keepOption(
        QStringLiteral("keep"), QStringLiteral("Keep both workspaces and print where they are"));
    parser.addOptions({killsOption, budgetOption, seedOption, keepOption});
    parser.process(app);
    const int kills = parser.value(killsOption).toInt();
    const int budget = parser.value(budgetOption).toInt();
    const quint64 seed = parser.value(seedOption).toULongLong();

    qputenv("CRUCIBLE_TEST_LLM_KEY", "sk-test");
    test::LlmTestServerThread server;
    auto &srv = server.server();
    srv.setAnswerHandler(test::trainingAnswer);
    srv.setLatencyMs(5);
    srv.setRandomSeed(seed);
    srv.addRandomFault(Fault::ServerError{503}, 0.05);
    srv.addRandomFault(Fault::DropConnection{}, 0.03);
    const QStringList provider{
        QStringLiteral("--type"),        QStringLiteral("openai"),
        QStringLiteral("--base-url"),    srv.openAiBaseUrl().toString(),
        QStringLiteral("--model"),       QStringLiteral("test-model"),
        QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    const QString runId = QStringLiteral("trn_bench");
    const QStringList trainArgs{QStringLiteral("--domain"),       QStringLiteral("testing"),
                                QStringLiteral("--budget-calls"), QString::number(budget),
                                QStringLiteral("--run-id"),       runId,
                                QStringLiteral("--max-problems"), QStringLiteral("30")};
    QTemporaryDir dir;
    if (parser.isSet(keepOption)) {
        dir.setAutoRemove(false);
        std::printf("workspaces kept in    %s\n", qPrintable(dir.path()));
    }
    const QString reference = makeWorkspace(dir, QStringLiteral("ref.crucible"), 30);
    const QString killed = makeWorkspace(dir, QStringLiteral("kill.crucible"), 30);

    QProcess alone;
    alone.start(QStringLiteral(CRUCIBLE_CLI_PATH), QStringList{QStringLiteral("train"), reference} +
                                                       trainArgs + provider +
                                                       QStringList{QStringLiteral("--json")});
    if (!alone.waitForFinished(600'000) || alone.exitCode() != 0) {
        std::fprintf(stderr, "the run left alone failed: %s\n",
                     alone.readAllStandardError().constData());
        return 1;
    }
    const json expected = json::parse(alone.readAllStandardOutput().toStdString());

    test::TrainKillPlan plan;
    plan.cliPath = QStringLiteral(CRUCIBLE_CLI_PATH);
    plan.workspace = killed;
    plan.runId = runId;
    plan.trainArgs = trainArgs;
    plan.providerArgs = provider;
    plan.kills = kills;
    plan.seed = seed;
    plan.maxCallsBetweenKills = std::max(2, budget * 3 / 2 / std::max(1, kills + 1));
    plan.timeoutMs = 1'200'000;
    const test::TrainKillOutcome outcome = test::trainWithKills(plan);
    if (!outcome.ok) {
        std::fprintf(stderr, "the killed run failed: %s\n", qPrintable(outcome.error));
        return 1;
    }
    // Cycles lost (in the run left alone, missing after the kills) and counted twice.
    const json aloneHistory = test::trainingHistory(reference, runId);
    std::map<int, int> seen;
    for (const json &h : outcome.history)
        ++seen[h.value("cycle", -1)];
    int lost = 0;
    int twice = 0;
    for (const json &h : aloneHistory)
        lost += seen.count(h.value("cycle", -1)) ? 0 : 1;
    for (const auto &[cycle, n] : seen)
        twice += n > 1 ? n - 1 : 0;
    const QString difference = test::compareTrainingReports(outcome.report, expected);

    std::printf("kill -9 during a training run (loopback server, 5 ms latency, 5 %% 503, 3 %% "
                "dropped connections), budget %d calls, seed %llu\n",
                budget, static_cast<unsigned long long>(seed));
    std::printf("kills done            %d of %d\n", outcome.kills, kills);
    std::printf("calls used at kills   ");
    for (const int at : outcome.killedAt)
        std::printf("%d ", at);
    std::printf("\nresumes completed     %d\n", outcome.kills);
    std::printf("cycles                %zu (left alone: %zu)\n", outcome.history.size(),
                aloneHistory.size());
    std::printf("cycles lost           %d\n", lost);
    std::printf("cycles counted twice  %d\n", twice);
    std::printf("history identical     %s\n", outcome.history == aloneHistory ? "yes" : "no");
    for (size_t i = 0; i < std::min(outcome.history.size(), aloneHistory.size()); ++i)
        if (outcome.history[i] != aloneHistory[i]) {
            std::printf("  first difference at entry %zu: %s after kills, %s left alone\n", i,
                        outcome.history[i].dump().c_str(), aloneHistory[i].dump().c_str());
            break;
        }
    std::printf("report identical      %s\n",
                difference.isEmpty() ? "yes" : qPrintable(QStringLiteral("no: ") + difference));
    std::printf("calls charged         %d (left alone: %d)\n",
                outcome.report.value("calls_used", -1), expected.value("calls_used", -1));
    std::printf("HTTP calls made       %lld (left alone: %lld)\n",
                static_cast<long long>(httpCalls(killed, runId)),
                static_cast<long long>(httpCalls(reference, runId)));
    const auto variations = [&runId](const QString &path) {
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        const auto run = EntityStore(*ws).get<TrainingRun>(runId);
        QStringList added;
        for (const json &round : run->config.value("variation_rounds", json::array()))
            for (const json &id : round.value("added", json::array()))
                added << QString::fromStdString(id.get<std::string>());
        return QStringLiteral("%1 rounds, %2 problems added")
            .arg(run->config.value("variation_rounds", json::array()).size())
            .arg(added.size());
    };
    std::printf("variations            %s (left alone: %s)\n", qPrintable(variations(killed)),
                qPrintable(variations(reference)));
    std::printf("integrity_check       %s after every kill\n",
                outcome.integrityOk ? "ok" : "FAILED");
    const bool pass = outcome.kills == kills && lost == 0 && twice == 0 && difference.isEmpty() &&
                      outcome.history == aloneHistory && outcome.integrityOk;
    std::printf("verdict               %s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
