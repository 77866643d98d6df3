// The optimisers on the Simulated provider's fitness landscape, the way `crucible-cli train
// --landscape SEED` runs them (TrainingSession: real LlmClient with ledger and cache, a
// workspace, checkpoints after every unit of work, zero provider latency): for each seed the
// default (reflective) optimiser and random search get the same call budget; printed are the
// hidden true quality of each one's best version, the medians, the seeds on which reflective
// beats random, and the client CPU per cycle split into the engine's own work (optimiser and
// checkpoints) and the rest (LLM client, ledger, the simulated provider answering).
//
//   build/tests/bench/landscape_bench --seeds 20 --budget 600

#include "core/evolve/trainingsession.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "tests/bench/benchcpu.h"
#include "tests/support/solvefixtures.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace crucible;
using nlohmann::json;

namespace {

using bench::cpuSeconds;

struct Outcome
{
    double quality = 0;
    double startQuality = 0;
    int cycles = 0;
    int calls = 0;
    double cpu = 0;
    double engineCpu = 0;
};

double g_traitStep = 0; // --trait-step: the strategy's initial σ (0: the default)

Outcome runOnce(const QString &optimizer, quint64 seed, int budget, int problems, bool specialize)
{
    QTemporaryDir dir;
    auto ws = Workspace::open(dir.filePath(QStringLiteral("bench.crucible")),
                              Workspace::Mode::CreateIfMissing);
    test::insertProblems(*ws, problems);
    SimulatedProvider::Options sim;
    sim.latencyMs = 0;
    sim.jitterMs = 0;
    sim.landscapeSeed = seed;
    LlmClient client(PriceTable{});
    client.addProvider(
        std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), sim));
    client.setLedger(ws.get());
    const PromptTemplates templates;
    evolve::TrainingOptions options;
    options.domain = QStringLiteral("testing");
    options.optimizer = optimizer;
    options.settings.maxCalls = budget;
    options.settings.seed = seed;
    if (g_traitStep > 0)
        options.settings.traitStep = g_traitStep;
    options.providerId = QStringLiteral("simulated");
    options.landscapeSeed = seed;
    // Without --specialize the figure is about the optimiser alone: both start from the template
    // itself. With it, the run starts as `crucible-cli train` does by default (one call of the
    // budget specialises the template's clone for the domain first).
    options.specialize = specialize;
    options.runId = QStringLiteral("trn_bench_%1_%2").arg(optimizer).arg(seed);
    evolve::TrainingSession session(*ws, client, templates, options);
    session.prepare();
    const double cpu0 = cpuSeconds();
    const json report = QCoro::waitFor(session.run());
    client.flushLedger();
    Outcome o;
    o.cpu = cpuSeconds() - cpu0;
    if (!report.value("ok", false)) {
        std::fprintf(stderr, "seed %llu %s failed: %s\n", static_cast<unsigned long long>(seed),
                     optimizer.toUtf8().constData(), report.value("error", std::string()).c_str());
        return o;
    }
    if (qEnvironmentVariableIsSet("LANDSCAPE_BENCH_TRACE")) {
        const simulated::FitnessLandscape landscape(seed);
        json optimum = json::object();
        for (const auto &[name, value] : landscape.optimum())
            optimum[name.toStdString()] = value;
        std::fprintf(stderr, "seed %llu %s\noptimum %s\nuseful %s\nbest %s\nspecialization %s\n",
                     static_cast<unsigned long long>(seed), optimizer.toUtf8().constData(),
                     optimum.dump().c_str(),
                     landscape.usefulLessons().join(QStringLiteral(" | ")).toUtf8().constData(),
                     report["best"].dump().c_str(),
                     report.value("specialization", json()).dump().c_str());
        for (const json &h : session.record().metrics)
            std::fprintf(stderr, "  %s\n", h.dump().c_str());
        for (const json &c : session.record().config["checkpoint"]["candidates"])
            if (c.value("op", std::string()) == "traits" && c.value("accepted", false))
                std::fprintf(stderr, "  centre %d: %s %s\n", c.value("id", -1),
                             c["definition"]["traits"].dump().c_str(),
                             c.value("why", std::string()).c_str());
    }
    o.quality = report["landscape_quality"].get<double>();
    o.startQuality = report["start"]["landscape_quality"].get<double>();
    o.cycles = report["cycles"].get<int>();
    o.calls = report["calls_used"].get<int>() + report["test"]["calls"].get<int>();
    o.engineCpu = static_cast<double>(session.timings().engineCpuNs) / 1e9;
    return o;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption seedsOption(QStringLiteral("seeds"), QStringLiteral("Seeds 1..N"),
                                         QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption budgetOption(QStringLiteral("budget"),
                                          QStringLiteral("LLM calls per optimiser run"),
                                          QStringLiteral("calls"), QStringLiteral("600"));
    const QCommandLineOption problemsOption(QStringLiteral("problems"),
                                            QStringLiteral("Problems per workspace"),
                                            QStringLiteral("n"), QStringLiteral("24"));
    const QCommandLineOption specializeOption(
        QStringLiteral("specialize"),
        QStringLiteral("Start as crucible-cli train does: specialise the template for the domain"));
    const QCommandLineOption firstOption(QStringLiteral("first"),
                                         QStringLiteral("First seed (the seeds are first..N)"),
                                         QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption stepOption(QStringLiteral("trait-step"),
                                        QStringLiteral("The trait strategy's initial step σ"),
                                        QStringLiteral("points"), QStringLiteral("0"));
    parser.addOptions(
        {seedsOption, budgetOption, problemsOption, specializeOption, firstOption, stepOption});
    parser.process(app);
    const int seeds = parser.value(seedsOption).toInt();
    const int budget = parser.value(budgetOption).toInt();
    const int problems = parser.value(problemsOption).toInt();
    const bool specialize = parser.isSet(specializeOption);
    g_traitStep = parser.value(stepOption).toDouble();

    std::vector<double> reflective;
    std::vector<double> random;
    std::vector<double> starts;
    int wins = 0;
    double cpu = 0;
    double engineCpu = 0;
    int cycles = 0;
    int calls = 0;
    std::printf("seed  start   reflective  random  cycles  calls\n");
    for (int s = std::max(1, parser.value(firstOption).toInt()); s <= seeds; ++s) {
        const Outcome r = runOnce(QStringLiteral("reflective"), static_cast<quint64>(s), budget,
                                  problems, specialize);
        const Outcome b = runOnce(QStringLiteral("random"), static_cast<quint64>(s), budget,
                                  problems, specialize);
        reflective.push_back(r.quality);
        random.push_back(b.quality);
        starts.push_back(r.startQuality);
        wins += r.quality > b.quality ? 1 : 0;
        cpu += r.cpu;
        engineCpu += r.engineCpu;
        cycles += r.cycles;
        calls += r.calls;
        std::printf("%4d  %.3f  %.3f       %.3f   %5d  %5d\n", s, r.startQuality, r.quality,
                    b.quality, r.cycles, r.calls);
        std::fflush(stdout);
    }
    std::printf("\nmedian hidden quality: start %.3f, reflective %.3f, random %.3f\n",
                median(starts), median(reflective), median(random));
    std::printf("reflective beats random on %d of %d seeds (budget %d calls each)\n", wins, seeds,
                budget);
    if (cycles > 0 && calls > 0)
        std::printf("reflective, per cycle: %.1f calls, client CPU %.2f ms (engine %.3f ms, "
                    "LLM client + ledger + simulated answers %.2f ms); %.3f ms CPU per call\n",
                    static_cast<double>(calls) / cycles, 1e3 * cpu / cycles,
                    1e3 * engineCpu / cycles, 1e3 * (cpu - engineCpu) / cycles, 1e3 * cpu / calls);
    return 0;
}
