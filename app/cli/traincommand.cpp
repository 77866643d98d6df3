// `crucible-cli train WS --domain D [--dataset ID] [--agent ID] [--judge ID] [--cycles C]
// [--budget-calls N] [--budget-tokens N] [--budget-usd X] [--hours H] [--estimate] [--optimizer
// reflective|random]
// [--landscape SEED] [--seed N] [--target METRIC=VALUE …] [--no-specialize] [--agents N]`:
// self-training of one agent, or of N side by side (one run each) compared on the same held-out
// problems (TrainingSession): reflective evolution of its lessons and traits (or, with --optimizer
// personality, of its traits toward target metrics), accepted versions stored with their
// learning records, and the improvement on the held-out test split with a bootstrap 95 %
// interval.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/enginejobrun.h"
#include "app/cli/llmcontext.h"
#include "app/cli/trainingrun.h"
#include "core/evolve/trainjob.h"
#include "core/llm/providers/providerfactory.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

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
        app.add_option("--judge", m_judge,
                       "The evaluator agent (default: the evaluator that agrees best with your "
                       "inbox ratings, κ over 20+ ratings of an aspect; else the newest "
                       "evaluator)");
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
        app.add_option("--hours", m_hours,
                       "Wall time the run may take, over all its resumes (e.g. 0.5)")
            ->check(CLI::PositiveNumber);
        app.add_flag("--estimate", m_estimateOnly,
                     "Print what the run would roughly cost (calls, tokens, USD) and start "
                     "nothing");
        app.add_option("--minibatch", m_minibatch, "Train problems per acceptance test (default 3)")
            ->check(CLI::Range(1, 50));
        app.add_option("--seed", m_seed,
                       "Seed of the split and of the optimiser's choices (default 1)");
        app.add_option("--max-problems", m_maxProblems, "Use at most this many problems (200)")
            ->check(CLI::Range(6, 100000));
        app.add_option("--landscape", m_landscape,
                       "Simulated provider only: answer from the fitness landscape with this "
                       "seed (no latency) and report the hidden landscape_quality");
        app.add_option("--variation-every", m_variationEvery,
                       "Every this many cycles, variations of the train problem the agents fail "
                       "most join the train split (default 10; 0: never)")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--agents", m_agents,
                       "Train this many agents side by side on the same split, one run each "
                       "(the budgets are shared out equally; default 1), and compare them on the "
                       "held-out problems")
            ->check(CLI::Range(1, 8));
        app.add_flag("--no-specialize", m_noSpecialize,
                     "Train the role template as it is (by default a run from a template first "
                     "specialises it for the domain: one call)");
        app.add_option("--run-id", m_runId,
                       "Give the run this id instead of a new one (reproducible benchmarks)");
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
        options.runId = fromStd(m_runId);
        options.variationEvery = m_variationEvery;
        options.specialize = !m_noSpecialize;
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
        if (m_hours > 0)
            options.budgetHours = m_hours;

        std::unique_ptr<Workspace> ws;
        std::unique_ptr<LlmClient> client;
        if (m_landscape) {
            if (!m_args.provider.empty() || (!m_args.type.empty() && m_args.type != "simulated"))
                throw CliError(QStringLiteral("--landscape works with the Simulated provider only"),
                               QStringLiteral("drop --provider/--type, or drop --landscape"));
            // The job adds the landscape's Simulated provider itself (also when resumed).
            ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::CreateIfMissing);
            options.landscapeSeed = *m_landscape;
            client = std::make_unique<LlmClient>(PriceTable::withUserOverrides());
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
        if (m_estimateOnly) {
            const ProviderConfig config = options.landscapeSeed
                                              ? ProviderFactory::simulatedDefault()
                                              : client->provider(options.providerId)->config();
            // Each agent's share of the budgets, and its own held-out measurement.
            printEstimate(console, evolve::TrainingSession::forAgents(
                                       evolve::TrainingSession::estimate(
                                           *ws, options.agentOf(QString(), 0, m_agents),
                                           PriceTable::withUserOverrides(), config),
                                       m_agents));
            return ExitOk;
        }
        if (m_agents > 1)
            return trainGroup(console, *ws, *client, options);
        QString runId;
        try {
            runId = evolve::TrainJob::create(*ws, options.toParams());
        } catch (const ValidationError &e) {
            console.error(QStringLiteral("invalid %1").arg(e.message()));
            console.hint(QStringLiteral("nothing was started or written; fix the option above "
                                        "and run the command again (`--help` lists them)"));
            return ExitUsage;
        }
        if (!console.json())
            console.err() << QStringLiteral("training run %1 (%2, %3 calls budget) started; "
                                            "Ctrl+C stops it with its report\n")
                                 .arg(runId, options.optimizer)
                                 .arg(options.settings.maxCalls);
        console.err().flush();
        return runTrainingJob(console, *ws, *client, runId);
    }

private:
    // --agents N: one run per agent, one after the other; then the agents compared on the
    // held-out split (the same problems for all). Ctrl+C stops the current run with its report
    // and starts no further one.
    int trainGroup(Console &console, Workspace &ws, LlmClient &client,
                   const evolve::TrainingOptions &options)
    {
        const QString group = jsonio::newId("grp");
        nlohmann::json agents = nlohmann::json::array();
        int code = ExitOk;
        for (int i = 0; i < m_agents; ++i) {
            const evolve::TrainingOptions o = options.agentOf(group, i, m_agents);
            QString runId;
            try {
                runId = evolve::TrainJob::create(ws, o.toParams());
            } catch (const ValidationError &e) {
                console.error(QStringLiteral("invalid %1").arg(e.message()));
                console.hint(QStringLiteral("%1 of %2 agents were trained; fix the option above "
                                            "and run the command again")
                                 .arg(i)
                                 .arg(m_agents));
                return ExitUsage;
            }
            if (!console.json())
                console.err() << QStringLiteral("agent %1 of %2: training run %3 (%4 calls "
                                                "budget) started; Ctrl+C stops it with its "
                                                "report\n")
                                     .arg(i + 1)
                                     .arg(m_agents)
                                     .arg(runId)
                                     .arg(o.settings.maxCalls);
            console.err().flush();
            nlohmann::json report;
            code = std::max(code, runTrainingJob(console, ws, client, runId, &report, false));
            agents.push_back(report);
            if (report.value("finish_reason", std::string()) == "stopped" ||
                !report.value("ok", false))
                break;
        }
        const nlohmann::json summary = compareAgents(group, agents);
        if (console.json()) {
            console.printJson(summary);
        } else {
            console.out() << QStringLiteral("\nagents of group %1 on the same %2 held-out "
                                            "problems:\n")
                                 .arg(group)
                                 .arg(summary.value("test_problems", 0));
            for (const nlohmann::json &a : summary["agents"])
                console.out() << QString::fromStdString(a.value("line", std::string())) << '\n';
            if (summary.contains("best_run"))
                console.out() << QStringLiteral("best: %1\n")
                                     .arg(QString::fromStdString(
                                         summary["best_run"].get<std::string>()));
            if (static_cast<int>(agents.size()) < m_agents)
                console.hint(QStringLiteral("%1 of %2 agents were trained; each finished run "
                                            "keeps its report (crucible-cli runs WS)")
                                 .arg(agents.size())
                                 .arg(m_agents));
        }
        return code;
    }

    // The group's agents side by side: each one's held-out mean and improvement with its
    // interval; the best is the one with the highest held-out mean of its best version.
    static nlohmann::json compareAgents(const QString &group, const nlohmann::json &reports)
    {
        nlohmann::json out = {{"group", group.toStdString()}, {"agents", nlohmann::json::array()}};
        double bestMean = -1;
        for (std::size_t i = 0; i < reports.size(); ++i) {
            const nlohmann::json &r = reports[i];
            const nlohmann::json test = r.value("test", nlohmann::json::object());
            const nlohmann::json ci = test.value("ci95", nlohmann::json::array({0.0, 0.0}));
            const double mean = test.value("best_mean", 0.0);
            nlohmann::json a = {{"agent", i + 1},
                                {"run_id", r.value("run_id", std::string())},
                                {"finish_reason", r.value("finish_reason", std::string())},
                                {"best_mean", mean},
                                {"improvement", test.value("improvement", 0.0)},
                                {"ci95", ci},
                                {"report", r}};
            QString hidden;
            if (r.contains("landscape_quality") && r["landscape_quality"].is_number())
                hidden = QStringLiteral(", hidden quality %1")
                             .arg(r["landscape_quality"].get<double>(), 0, 'f', 3);
            a["line"] = QStringLiteral("  agent %1  %2  held-out %3, improvement %4 (95 % CI %5 "
                                       "to %6)%7")
                            .arg(i + 1)
                            .arg(QString::fromStdString(r.value("run_id", std::string())))
                            .arg(mean, 0, 'f', 3)
                            .arg(test.value("improvement", 0.0), 0, 'f', 3)
                            .arg(ci.size() == 2 ? ci[0].get<double>() : 0.0, 0, 'f', 3)
                            .arg(ci.size() == 2 ? ci[1].get<double>() : 0.0, 0, 'f', 3)
                            .arg(hidden)
                            .toStdString();
            out["test_problems"] = test.value("problems", 0);
            if (test.contains("best_mean") && mean > bestMean) {
                bestMean = mean;
                out["best_run"] = a["run_id"];
            }
            out["agents"].push_back(a);
        }
        return out;
    }

    ProviderArgs m_args;
    std::string m_workspace;
    std::string m_domain;
    std::string m_dataset;
    std::string m_agent;
    std::string m_judge;
    std::string m_optimizer = "reflective";
    std::string m_runId;
    int m_variationEvery = 10;
    std::vector<std::string> m_targets;
    int m_cycles = 0;
    int m_budgetCalls = 600;
    qint64 m_budgetTokens = 0;
    double m_budgetUsd = 0;
    double m_hours = 0;
    bool m_estimateOnly = false;
    bool m_noSpecialize = false;
    int m_agents = 1;
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
