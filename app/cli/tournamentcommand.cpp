// `crucible-cli tournament WS (--problems ID,ID | --dataset ID) --agents A,B,C [--format
// round-robin|swiss] [--judge ID]`: a resumable tournament job (kind "tournament") with the
// provider options of `generate`, --concurrency, --budget-usd and --estimate.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/enginejobrun.h"
#include "app/cli/llmcontext.h"
#include "app/cli/tournamentrun.h"
#include "core/evaluate/tournamentjob.h"
#include "core/feedback/judgechoice.h"
#include "core/model/validationerror.h"
#include "core/store/agentrepository.h"
#include "core/store/datasetrepository.h"

#include <CLI/CLI.hpp>
#include <QSqlQuery>

namespace crucible::cli {

namespace {

// An agent version id as given, or the head version of an agent id.
QString resolveVersion(Workspace &ws, const QString &id, const char *what)
{
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT id FROM agent_versions WHERE id = ? UNION ALL "
                                            "SELECT head_version_id FROM agents WHERE id = ? AND "
                                            "head_version_id <> ''"));
    q.addBindValue(id);
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Looking up agent %1").arg(id));
    if (!q.next())
        throw CliError(
            QStringLiteral("no agent or agent version %1 in %2 (%3)")
                .arg(id, ws.path(), QString::fromLatin1(what)),
            QStringLiteral("list them with `crucible-cli agents %1 list`").arg(ws.path()));
    return q.value(0).toString();
}

// The judge when none is given: the evaluator that agrees best with the human ratings, else the
// newest evaluator agent's head version (chooseJudge).
JudgeChoice defaultJudge(Workspace &ws)
{
    const auto choice = chooseJudge(ws);
    if (!choice)
        throw CliError(QStringLiteral("no judge: %1 has no evaluator agent").arg(ws.path()),
                       QStringLiteral("name one with --judge, or create one with `crucible-cli "
                                      "agents %1 create --role evaluator --name Judge`")
                           .arg(ws.path()));
    return *choice;
}

class TournamentCommand final : public Command
{
public:
    const char *name() const override { return "tournament"; }
    const char *description() const override
    {
        return "Run agents (or teams) against each other on problems; rate them (resumable job)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        auto *problems = app.add_option("--problems", m_problems, "Problem ids, comma-separated");
        auto *dataset = app.add_option("--dataset", m_dataset, "Every problem of this dataset");
        problems->excludes(dataset);
        app.add_option("--agents", m_agents,
                       "Entrants, comma-separated: agent or agent version ids; a team is "
                       "GENERATOR+CRITIC+REFINER")
            ->required();
        app.add_option("--format", m_format, "round-robin (default) or swiss")
            ->check(CLI::IsMember({"round-robin", "swiss"}));
        app.add_option("--rounds", m_rounds, "Swiss rounds (default: enough to separate the field)")
            ->check(CLI::PositiveNumber);
        app.add_option("--judge", m_judges,
                       "Judge agent (version) id; repeat for several (default: the evaluator "
                       "that agrees best with your inbox ratings, κ over 20+ ratings of an "
                       "aspect; else the newest evaluator agent)");
        app.add_option("--name", m_name, "Tournament name");
        app.add_option("--seed", m_seed, "Seed of the pairings and the bootstrap (default 1)");
        app.add_option("--concurrency", m_concurrency, "Comparisons in flight (default 4)")
            ->check(CLI::Range(1, 256));
        app.add_option("--max-tokens", m_maxTokens, "Judge answer limit per call");
        app.add_option("--budget-usd", m_budgetUsd, "Stop before spending more than this")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--bootstrap", m_bootstrap, "Bootstrap rounds of the rating intervals")
            ->check(CLI::Range(50, 100000));
        app.add_flag("--estimate", m_estimateOnly,
                     "Print the estimated calls, tokens and cost, and stop");
        m_args.addTo(app, false);
    }

    int execute(Console &console) override
    {
        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        args.concurrency = m_concurrency * 2; // two judge calls per comparison
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        Workspace &ws = *ctx.workspace;
        AgentRepository(ws).ensureTemplates(); // the template judge, critic and refiner

        TournamentSpec spec;
        spec.name = fromStd(m_name);
        spec.format = fromStd(m_format);
        spec.rounds = m_rounds;
        spec.concurrency = m_concurrency;
        spec.providerId = ctx.config.id;
        spec.model = ctx.config.defaultModel;
        if (m_maxTokens > 0)
            spec.maxTokens = m_maxTokens;
        spec.budgetUsd = m_budgetUsd;
        spec.seed = m_seed;
        spec.bootstrapRounds = m_bootstrap;
        if (!m_dataset.empty()) {
            const auto dataset = DatasetRepository(ws).get(fromStd(m_dataset));
            if (!dataset)
                throw CliError(
                    QStringLiteral("no dataset %1 in %2").arg(fromStd(m_dataset), ws.path()),
                    QStringLiteral("list datasets with `crucible-cli datasets %1`").arg(ws.path()));
            spec.problems = dataset->problemIds;
        } else {
            spec.problems = fromStd(m_problems).split(QLatin1Char(','), Qt::SkipEmptyParts);
        }
        for (QString &p : spec.problems)
            p = p.trimmed();
        if (spec.problems.isEmpty())
            throw CliError(QStringLiteral("no problems: give --problems ID,ID or --dataset ID"));
        for (const QString &item : fromStd(m_agents).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QStringList parts = item.trimmed().split(QLatin1Char('+'));
            if (parts.size() != 1 && parts.size() != 3)
                throw CliError(
                    QStringLiteral("entrant \"%1\" is neither an agent nor a team").arg(item),
                    QStringLiteral("a team is GENERATOR+CRITIC+REFINER, e.g. "
                                   "agv_a+agv_b+agv_c"));
            TournamentEntrant e;
            e.generator = resolveVersion(ws, parts[0].trimmed(), "generator");
            if (parts.size() == 3) {
                e.critic = resolveVersion(ws, parts[1].trimmed(), "critic");
                e.refiner = resolveVersion(ws, parts[2].trimmed(), "refiner");
            }
            spec.entrants.push_back(e);
        }
        for (const std::string &j : m_judges)
            spec.judges << resolveVersion(ws, fromStd(j), "judge");
        if (spec.judges.isEmpty()) {
            const JudgeChoice judge = defaultJudge(ws);
            spec.judges << judge.versionId;
            spec.judgeChoice = judge.toJson();
            if (!console.json())
                console.err() << QStringLiteral("judge: %1\n").arg(judge.describe());
        }

        if (m_estimateOnly) {
            const PromptTemplates templates;
            GenerationEstimate e =
                TournamentJob::estimate(ws, spec, templates, ctx.client->prices(), ctx.config);
            if (ctx.provider && ctx.provider->isSimulated())
                e.costUsd = 0.0;
            if (console.json()) {
                nlohmann::json j = {{"calls", e.calls},
                                    {"tokens_in", e.tokensIn},
                                    {"tokens_out", e.tokensOut},
                                    {"comparisons", TournamentJob::plannedComparisons(spec)},
                                    {"rounds", TournamentJob::roundCount(spec)}};
                j["cost_usd"] = e.costUsd ? nlohmann::json(*e.costUsd) : nlohmann::json(nullptr);
                console.printJson(j);
            } else {
                console.out() << QStringLiteral("estimate: %1 comparisons in %2 rounds; %3\n")
                                     .arg(TournamentJob::plannedComparisons(spec))
                                     .arg(TournamentJob::roundCount(spec))
                                     .arg(e.summary());
            }
            return ExitOk;
        }
        QString tournamentId;
        QString jobId;
        try {
            jobId = TournamentJob::create(ws, spec, &tournamentId);
        } catch (const ValidationError &e) {
            console.error(QStringLiteral("invalid tournament: %1").arg(e.message()));
            console.hint(QStringLiteral("nothing was started or written"));
            return ExitUsage;
        }
        if (!console.json())
            console.err() << QStringLiteral("tournament %1, job %2: %3 comparisons planned\n")
                                 .arg(tournamentId, jobId)
                                 .arg(TournamentJob::plannedComparisons(spec));
        return runEngineJob(console, ws, *ctx.client, jobId);
    }

private:
    ProviderArgs m_args;
    std::string m_workspace;
    std::string m_problems;
    std::string m_dataset;
    std::string m_agents;
    std::string m_format = "round-robin";
    std::vector<std::string> m_judges;
    std::string m_name;
    int m_rounds = 0;
    quint64 m_seed = 1;
    int m_concurrency = 4;
    int m_maxTokens = 0;
    double m_budgetUsd = 0;
    int m_bootstrap = 1000;
    bool m_estimateOnly = false;
};

} // namespace

std::unique_ptr<Command> makeTournamentCommand()
{
    registerTournamentDetails(); // for `resume` of a tournament job too
    return std::make_unique<TournamentCommand>();
}

} // namespace crucible::cli
