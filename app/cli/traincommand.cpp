// `crucible-cli train WS --domain D [--dataset ID] [--agent ID] [--judge ID] [--cycles C]
// [--budget-calls N] [--budget-tokens N] [--budget-usd X] [--optimizer reflective|random]
// [--landscape SEED] [--seed N] [--target METRIC=VALUE …]`: self-training of one agent
// (TrainingSession): reflective evolution of its lessons and traits (or, with --optimizer
// personality, of its traits toward target metrics), accepted versions stored with their
// learning records, and the improvement on the held-out test split with a bootstrap 95 %
// interval.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmcontext.h"
#include "core/evolve/trainingsession.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>

namespace crucible::cli {

namespace {

// Ctrl+C: the first asks the run to stop after the calls in flight (it then checkpoints and
// writes its report); the handler gives SIGINT back to the default, so a second one aborts at
// once (the run keeps its last checkpoint).
std::atomic<int> g_interrupts{0};

extern "C" void onTrainInterrupt(int)
{
    g_interrupts.fetch_add(1);
    std::signal(SIGINT, SIG_DFL);
}

// Installs the handler for the lifetime of the object and restores the previous one.
class InterruptScope
{
public:
    InterruptScope()
    {
        g_interrupts = 0;
        m_previous = std::signal(SIGINT, onTrainInterrupt);
    }
    ~InterruptScope() { std::signal(SIGINT, m_previous == SIG_ERR ? SIG_DFL : m_previous); }
    InterruptScope(const InterruptScope &) = delete;
    InterruptScope &operator=(const InterruptScope &) = delete;
    static bool interrupted() { return g_interrupts.load() > 0; }

private:
    void (*m_previous)(int) = SIG_DFL;
};

using nlohmann::json;

class TrainCommand final : public Command
{
public:
    const char *name() const override { return "train"; }
    const char *description() const override
    {
        return "Train an agent: reflective evolution of its lessons and traits, measured on "
               "held-out problems";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--domain", m_domain, "Train on this domain's problems")->required();
        app.add_option("--dataset", m_dataset, "Only the problems of this dataset");
        app.add_option("--agent", m_agent,
                       "The agent to start from (id, version id or name; default: the generator "
                       "template). It is cloned; the clone receives the learnt versions");
        app.add_option("--judge", m_judge, "The evaluator agent (default: the newest evaluator)");
        app.add_option("--optimizer", m_optimizer,
                       "reflective (default), random (baseline) or personality (traits toward "
                       "--target metrics)")
            ->check(CLI::IsMember({"reflective", "random", "personality"}));
        app.add_option("--target", m_targets,
                       "Personality evolution: METRIC=VALUE, repeatable (success=0.9, "
                       "novelty=0.8, tokens=600; any rubric aspect)");
        app.add_option("--cycles", m_cycles, "At most this many cycles (default: until the budget)")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--budget-calls", m_budgetCalls,
                       "LLM calls the optimiser may make (default 600; 0: no limit)")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--budget-tokens", m_budgetTokens, "Tokens the run may use")
            ->check(CLI::PositiveNumber);
        app.add_option("--budget-usd", m_budgetUsd, "US dollars the run may spend")
            ->check(CLI::PositiveNumber);
        app.add_option("--minibatch", m_minibatch, "Train problems per acceptance test (default 3)")
            ->check(CLI::Range(1, 50));
        app.add_option("--seed", m_seed,
                       "Seed of the split and of the optimiser's choices (default 1)");
        app.add_option("--max-problems", m_maxProblems, "Use at most this many problems (200)")
            ->check(CLI::Range(6, 100000));
        app.add_option("--landscape", m_landscape,
                       "Simulated provider only: answer from the fitness landscape with this "
                       "seed (no latency) and report the hidden landscape_quality");
        m_args.addTo(app, false);
    }

    int execute(Console &console) override
    {
        evolve::TrainingOptions options;
        options.domain = fromStd(m_domain);
        options.datasetId = fromStd(m_dataset);
        options.agent = fromStd(m_agent);
        options.judge = fromStd(m_judge);
        options.optimizer = fromStd(m_optimizer);
        options.settings.maxCalls = m_budgetCalls;
        options.settings.maxCycles = m_cycles;
        options.settings.minibatch = m_minibatch;
        options.settings.seed = m_seed;
        options.maxProblems = m_maxProblems;
        for (const std::string &t : m_targets) {
            const QString text = fromStd(t);
            const qsizetype eq = text.indexOf(u'=');
            bool ok = false;
            const double value = eq > 0 ? text.mid(eq + 1).toDouble(&ok) : 0.0;
            if (!ok)
                throw CliError(QStringLiteral("--target %1 is not METRIC=VALUE").arg(text),
                               QStringLiteral("e.g. --target success=0.9 --target tokens=600"));
            options.settings.targets[text.left(eq).trimmed()] = value;
        }
        if (m_budgetTokens > 0)
            options.budgetTokens = m_budgetTokens;
        if (m_budgetUsd > 0)
            options.budgetUsd = m_budgetUsd;

        std::unique_ptr<Workspace> ws;
        std::unique_ptr<LlmClient> client;
        if (m_landscape) {
            if (!m_args.provider.empty() || (!m_args.type.empty() && m_args.type != "simulated"))
                throw CliError(QStringLiteral("--landscape works with the Simulated provider only"),
                               QStringLiteral("drop --provider/--type, or drop --landscape"));
            ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::CreateIfMissing);
            SimulatedProvider::Options sim;
            sim.latencyMs = 0;
            sim.jitterMs = 0;
            sim.landscapeSeed = *m_landscape;
            auto provider =
                std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), sim);
            options.providerId = provider->config().id;
            options.landscapeSeed = *m_landscape;
            client = std::make_unique<LlmClient>(PriceTable::withUserOverrides());
            client->addProvider(provider);
            client->setLedger(ws.get());
        } else {
            ProviderArgs args = m_args;
            args.workspace = m_workspace;
            LlmContext ctx = runTask(resolveLlmContext(args, true));
            if (!ctx.note.isEmpty())
                console.warning(ctx.note);
            options.providerId = ctx.config.id;
            options.model = ctx.config.defaultModel;
            ws = std::move(ctx.workspace);
            client = std::move(ctx.client);
        }
        const InterruptScope interrupts;
        bool told = false;
        options.stopRequested = [&console, &told] {
            if (!InterruptScope::interrupted())
                return false;
            if (!told) {
                told = true;
                console.err() << "stopping: the calls in flight finish, then the checkpoint and "
                                 "the report (Ctrl+C again aborts at once)\n";
                console.err().flush();
            }
            return true;
        };
        const PromptTemplates templates;
        evolve::TrainingSession session(*ws, *client, templates, options);
        try {
            session.prepare();
        } catch (const ValidationError &e) {
            console.error(QStringLiteral("invalid %1").arg(e.message()));
            console.hint(QStringLiteral("nothing was started or written; fix the option above "
                                        "and run the command again (`--help` lists them)"));
            return ExitUsage;
        }
        if (!console.json())
            console.err() << QStringLiteral("training run %1 (%2, %3 calls budget) started\n")
                                 .arg(session.record().id, options.optimizer)
                                 .arg(options.settings.maxCalls);
        console.err().flush();
        const json report = runTask(session.run());
        client->flushLedger();
        if (console.json()) {
            console.printJson(report);
        } else {
            printReport(console, report);
        }
        return report.value("ok", false) ? ExitOk : ExitFailure;
    }

private:
    static void printReport(Console &console, const json &r)
    {
        auto &out = console.out();
        if (!r.value("ok", false))
            console.error(QString::fromStdString(r.value("error", std::string("training failed"))));
        const json &best = r.value("best", json::object());
        const json &start = r.value("start", json::object());
        out << QStringLiteral("run %1 (%2): %3 cycles, %4 of %5 calls, %6 versions accepted (%7)\n")
                   .arg(QString::fromStdString(r.value("run_id", std::string())),
                        QString::fromStdString(r.value("optimizer", std::string())))
                   .arg(r.value("cycles", 0))
                   .arg(r.value("calls_used", 0))
                   .arg(r.value("budget_calls", 0))
                   .arg(r.value("accepted", 0))
                   .arg(QString::fromStdString(r.value("finish_reason", std::string())));
        out << QStringLiteral("validation: start %1, best %2 (version %3, %4 lessons)\n")
                   .arg(start.value("validation_mean", 0.0), 0, 'f', 3)
                   .arg(best.value("validation_mean", 0.0), 0, 'f', 3)
                   .arg(QString::fromStdString(best.value("version_id", std::string())))
                   .arg(best.value("instructions", json::array()).size());
        const json &test = r.value("test", json::object());
        const json ci = test.value("ci95", json::array({0.0, 0.0}));
        out << QStringLiteral("held-out test (%1 problems): start %2, best %3, improvement %4 "
                              "(95 % CI %5 to %6)\n")
                   .arg(test.value("problems", 0))
                   .arg(test.value("start_mean", 0.0), 0, 'f', 3)
                   .arg(test.value("best_mean", 0.0), 0, 'f', 3)
                   .arg(test.value("improvement", 0.0), 0, 'f', 3)
                   .arg(ci[0].get<double>(), 0, 'f', 3)
                   .arg(ci[1].get<double>(), 0, 'f', 3);
        for (const json &p : r.value("pareto", json::array()))
            out << QStringLiteral("pareto choice: version %1 %2\n")
                       .arg(QString::fromStdString(p.value("version_id", std::string())),
                            QString::fromStdString(p.value("metrics", json::object()).dump()));
        if (r.contains("landscape_quality"))
            out << QStringLiteral("hidden landscape quality: start %1, best %2\n")
                       .arg(start.value("landscape_quality", 0.0), 0, 'f', 3)
                       .arg(r["landscape_quality"].get<double>(), 0, 'f', 3);
    }

    ProviderArgs m_args;
    std::string m_workspace;
    std::string m_domain;
    std::string m_dataset;
    std::string m_agent;
    std::string m_judge;
    std::string m_optimizer = "reflective";
    std::vector<std::string> m_targets;
    int m_cycles = 0;
    int m_budgetCalls = 600;
    qint64 m_budgetTokens = 0;
    double m_budgetUsd = 0;
    int m_minibatch = 3;
    std::uint64_t m_seed = 1;
    int m_maxProblems = 200;
    std::optional<std::uint64_t> m_landscape;
};

} // namespace

std::unique_ptr<Command> makeTrainCommand()
{
    return std::make_unique<TrainCommand>();
}

} // namespace crucible::cli
