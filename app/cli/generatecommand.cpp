// `crucible-cli generate seeds|variations|dataset|adversarial|expand|interactions WS …`: runs a
// generation job through the LLM layer (same provider options as `llm chat`), and
// `crucible-cli resume WS JOB` / `crucible-cli jobs WS`.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/enginejobrun.h"
#include "app/cli/generationrun.h"
#include "app/cli/llmcontext.h"
#include "app/cli/trainingrun.h"
#include "core/engine/enginejobkinds.h"
#include "core/evolve/trainjob.h"
#include "core/generate/generationestimate.h"
#include "core/generate/generationjob.h"
#include "core/store/problemrepository.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

std::vector<Complexity> parseLevels(const std::string &text)
{
    std::vector<Complexity> out;
    for (const QString &part : fromStd(text).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto level = complexityFromString(part.trimmed().toLower());
        if (!level)
            throw CliError(QStringLiteral("--levels: \"%1\" is not a complexity level").arg(part),
                           QStringLiteral("use simple, medium and/or complex, e.g. "
                                          "--levels simple,complex"));
        out.push_back(*level);
    }
    return out;
}

InteractionRole parseRole(const std::string &text)
{
    // ROLE=NAME:DESCRIPTION
    const QString s = fromStd(text);
    const qsizetype eq = s.indexOf(QLatin1Char('='));
    const qsizetype colon = s.indexOf(QLatin1Char(':'), eq + 1);
    if (eq <= 0 || colon <= eq + 1)
        throw CliError(QStringLiteral("--role \"%1\" is not ROLE=NAME:DESCRIPTION").arg(s),
                       QStringLiteral("e.g. --role \"user=Maria:a clinic manager short on "
                                      "staff\" --role \"assistant=Agent:a scheduling expert\""));
    return {s.left(eq).trimmed(), s.mid(eq + 1, colon - eq - 1).trimmed(),
            s.mid(colon + 1).trimmed()};
}

class GenerateCommand final : public Command
{
public:
    const char *name() const override { return "generate"; }
    const char *description() const override
    {
        return "Generate seeds, variations, datasets, adversarial examples, expanded scenarios "
               "or interactions";
    }

    void configure(CLI::App &app) override
    {
        app.require_subcommand(1);
        struct Kind
        {
            const char *name;
            const char *help;
        };
        for (const Kind &k :
             {Kind{"seeds", "Diverse seed problems for a domain (--domain, --count 5)"},
              Kind{"variations", "Variations of a problem by complexity (--problem, --levels, "
                                 "--per-level 3)"},
              Kind{"dataset", "A dataset of exactly N accepted problems with a complexity mix "
                              "(--domain, --size, --mix)"},
              Kind{"adversarial", "Adversarial examples for a problem and a target capability "
                                  "(--problem, --capability, --difficulty)"},
              Kind{"expand", "A scenario expanded along factors (--problem, --factors)"},
              Kind{"interactions", "Simulated multi-turn conversations about a problem "
                                   "(--problem, --turns, --role)"}}) {
            CLI::App *sub = app.add_subcommand(k.name, k.help);
            m_subs.push_back(sub);
            sub->fallthrough(); // --json after the kind too
            sub->add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
            m_args.addTo(*sub, false);
            const std::string kind = k.name;
            if (kind == "seeds" || kind == "dataset") {
                sub->add_option("--domain", m_domain, "Domain of the problems")->required();
                sub->add_option("--context", m_context, "Background on the domain");
            } else {
                sub->add_option("--problem", m_problem, "Id of the base problem")->required();
            }
            if (kind == "dataset") {
                sub->add_option("--size,-n", m_count, "Problems to accept (default 100)")
                    ->check(CLI::PositiveNumber);
                sub->add_option("--mix", m_mix,
                                "Complexity mix (default simple=0.3,medium=0.5,complex=0.2)");
                sub->add_option("--name", m_name, "Dataset name");
            } else if (kind == "variations") {
                sub->add_option("--levels", m_levels,
                                "Complexity levels (default simple,medium,complex)");
                sub->add_option("--per-level", m_perLevel, "Variations per level (default 3)")
                    ->check(CLI::PositiveNumber);
            } else {
                sub->add_option("--count,-n", m_count, "How many to make")
                    ->check(CLI::PositiveNumber);
            }
            if (kind == "adversarial") {
                sub->add_option("--capability", m_capability, "Capability to challenge");
                sub->add_option("--difficulty", m_difficulty, "easy, medium or hard")
                    ->check(CLI::IsMember({"easy", "medium", "hard"}));
                sub->add_option("--strategies", m_strategies,
                                "Comma-separated: edge case, misleading information, "
                                "missing information, conflicting constraints, scale extreme, "
                                "format trap (default all)");
            }
            if (kind == "expand") {
                sub->add_option("--factors", m_factors,
                                "Comma-separated factors (default time,resources,stakeholders,"
                                "constraints; add your own)");
                sub->add_option("--detail", m_detail, "Level of detail (default moderate)");
            }
            if (kind == "interactions") {
                sub->add_option("--turns", m_turns, "Turn limit (default 6)")
                    ->check(CLI::Range(2, 50));
                sub->add_option("--role", m_roles,
                                "ROLE=NAME:DESCRIPTION, once per participant in speaking order "
                                "(default a user persona and an agent)");
            }
            sub->add_option("--temperature", m_temperature, "Sampling temperature (default 0.9)")
                ->check(CLI::Range(0.0, 2.0));
            sub->add_option("--max-tokens", m_maxTokens, "Answer limit per call (default 1200)")
                ->check(CLI::Range(64, 32768));
            m_concurrencyOptions.push_back(
                sub->add_option("--concurrency", m_concurrency,
                                "Units in flight (default 8; given, it also raises the "
                                "provider's own concurrency limit to this)")
                    ->check(CLI::Range(1, 256)));
            sub->add_option("--budget", m_budget,
                            "Candidates allowed in all, rejects included (default 2 × target + "
                            "10)")
                ->check(CLI::PositiveNumber);
            sub->add_option("--budget-usd", m_budgetUsd,
                            "US dollars the job may spend in all, resumed runs included "
                            "(default: no limit; needs a priced model)")
                ->check(CLI::NonNegativeNumber);
            sub->add_option("--dedup-threshold", m_threshold,
                            "Jaccard similarity at which a candidate is a near duplicate "
                            "(default 0.8)")
                ->check(CLI::Range(0.05, 1.0));
            sub->add_flag("--no-dedup", m_noDedup, "Keep near duplicates");
            sub->add_flag("--estimate", m_estimateOnly,
                          "Print the estimated calls, tokens and cost, and stop");
        }
    }

    int execute(Console &console) override
    {
        GenerationSpec spec;
        try {
            spec = buildSpec();
        } catch (const ValidationError &e) {
            console.error(QStringLiteral("invalid %1").arg(e.message()));
            console.hint(QStringLiteral("nothing was started or written; e.g. --mix "
                                        "simple=0.3,medium=0.5,complex=0.2"));
            return ExitUsage;
        } catch (const CliError &e) {
            console.error(e.message());
            if (!e.hint().isEmpty())
                console.hint(e.hint());
            return ExitUsage;
        }
        if (const int refused = refuseInvalidSpec(console, spec))
            return refused;

        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        for (const CLI::Option *o : m_concurrencyOptions)
            if (o->count() > 0)
                args.concurrency = m_concurrency;
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        spec.providerId = ctx.config.id;
        spec.model = ctx.config.defaultModel;
        Workspace &ws = *ctx.workspace;
        return startJob(console, ctx, ws, spec);
    }

private:
    GenerationSpec buildSpec() const
    {
        QString kindName;
        for (CLI::App *sub : m_subs)
            if (sub->parsed())
                kindName = QString::fromStdString(sub->get_name());
        GenerationSpec spec;
        spec.kind = *generationKindFromString(kindName);
        spec.domain = fromStd(m_domain);
        spec.context = fromStd(m_context);
        spec.count = m_count;
        spec.baseProblemId = fromStd(m_problem);
        spec.datasetName = fromStd(m_name);
        if (!m_mix.empty())
            spec.mix = parseComplexityMix(fromStd(m_mix));
        if (!m_levels.empty())
            spec.levels = parseLevels(m_levels);
        spec.perLevel = m_perLevel;
        if (!m_capability.empty())
            spec.targetCapability = fromStd(m_capability);
        spec.difficulty = fromStd(m_difficulty);
        spec.strategies = fromStd(m_strategies).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &s : spec.strategies)
            s = strategyIdFromLabel(s); // "edge case" and "edge_case" both work
        spec.factors = fromStd(m_factors).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &f : spec.factors)
            f = f.trimmed();
        if (!m_detail.empty())
            spec.detailLevel = fromStd(m_detail);
        spec.turnLimit = m_turns;
        for (const std::string &r : m_roles)
            spec.roles.push_back(parseRole(r));
        spec.temperature = m_temperature;
        spec.maxTokens = m_maxTokens;
        spec.concurrency = m_concurrency;
        spec.candidateBudget = m_budget;
        spec.dedupThreshold = m_threshold;
        spec.dedup = !m_noDedup;
        spec.budgetUsd = m_budgetUsd;
        return spec;
    }

    int startJob(Console &console, LlmContext &ctx, Workspace &ws, const GenerationSpec &spec)
    {

        QString baseStatement;
        if (!spec.baseProblemId.isEmpty()) {
            const auto base = ProblemRepository(ws).get(spec.baseProblemId);
            if (!base)
                throw CliError(QStringLiteral("no problem with id %1 in %2")
                                   .arg(spec.baseProblemId, ws.path()),
                               QStringLiteral("list problem ids with `crucible-cli problems %1`")
                                   .arg(ws.path()));
            baseStatement = base->statement;
        }
        const PromptTemplates templates;
        GenerationEstimate estimate =
            estimateGeneration(spec, templates, ctx.client->prices(), ctx.config,
                               ctx.config.defaultModel, baseStatement);
        if (ctx.config.type == ProviderType::Simulated)
            estimate.costUsd = 0.0; // offline: free
        if (m_estimateOnly) {
            if (console.json()) {
                nlohmann::json j = {{"calls", estimate.calls},
                                    {"tokens_in", estimate.tokensIn},
                                    {"tokens_out", estimate.tokensOut}};
                j["cost_usd"] =
                    estimate.costUsd ? nlohmann::json(*estimate.costUsd) : nlohmann::json(nullptr);
                console.printJson(j);
            } else {
                console.out() << QStringLiteral("estimate: %1\n").arg(estimate.summary());
            }
            return ExitOk;
        }
        if (!console.json())
            console.err() << QStringLiteral("estimate: %1\n").arg(estimate.summary());
        const QString jobId = GenerationJob::create(ws, spec);
        if (!console.json())
            console.err() << QStringLiteral("job %1 started (resume it with `crucible-cli resume "
                                            "%2 %1` if it is interrupted)\n")
                                 .arg(jobId, ws.path());
        console.err().flush();
        return runGenerationJob(console, ws, *ctx.client, jobId);
    }

    ProviderArgs m_args;
    std::vector<CLI::App *> m_subs;
    std::vector<CLI::Option *> m_concurrencyOptions;
    std::string m_workspace;
    std::string m_domain;
    std::string m_context;
    std::string m_problem;
    std::string m_name;
    std::string m_mix;
    std::string m_levels;
    std::string m_capability;
    std::string m_difficulty = "medium";
    std::string m_strategies;
    std::string m_factors;
    std::string m_detail;
    std::vector<std::string> m_roles;
    int m_count = 0;
    int m_perLevel = 3;
    int m_turns = 6;
    double m_temperature = 0.9;
    int m_maxTokens = 1200;
    int m_concurrency = 8;
    int m_budget = 0;
    double m_budgetUsd = 0;
    double m_threshold = 0.8;
    bool m_noDedup = false;
    bool m_estimateOnly = false;
};

class ResumeCommand final : public Command
{
public:
    const char *name() const override { return "resume"; }
    const char *description() const override
    {
        return "Continue an interrupted, paused, cancelled or failed job (generation, solve, "
               "evaluate, tournament, training run) without duplicates";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("job", m_job, "Job id (see `crucible-cli jobs WS`)")->required();
        app.add_option("--budget", m_budget, "Raise the job's candidate budget to this")
            ->check(CLI::PositiveNumber);
        m_args.addTo(app, false);
    }

    int execute(Console &console) override
    {
        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        const QString jobId = fromStd(m_job);
        {
            auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadWrite);
            if (!JobRepository(*ws).get(jobId))
                throw CliError(
                    QStringLiteral("no job with id %1 in %2").arg(jobId, ws->path()),
                    QStringLiteral("list jobs with `crucible-cli jobs %1`").arg(ws->path()));
        }
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        Workspace &ws = *ctx.workspace;
        JobRepository jobs(ws);
        JobRecord job = *jobs.get(jobId);
        const bool engineJob = enginejobkinds::find(job.kind) != nullptr;
        const bool training = job.kind == QLatin1String(evolve::TrainJob::kKind);
        auto runJob = [&] {
            if (training)
                return runTrainingJob(console, ws, *ctx.client, jobId);
            return engineJob ? runEngineJob(console, ws, *ctx.client, jobId)
                             : runGenerationJob(console, ws, *ctx.client, jobId);
        };
        // A fitness-landscape run answers from its own Simulated provider wherever it resumes.
        if (training && job.params.contains("landscape_seed"))
            return runJob();
        if (job.status == JobStatus::Completed) {
            console.warning(QStringLiteral("job %1 is already completed").arg(jobId));
            return runJob();
        }
        // The calls go to the provider given now (the cache answers what was already asked
        // when it is the same endpoint).
        const QString before = QString::fromStdString(job.params.value("provider", std::string()));
        if (!before.isEmpty() && before != ctx.config.id)
            console.warning(QStringLiteral("job %1 was started with provider %2; continuing with "
                                           "%3")
                                .arg(jobId, before, ctx.config.id));
        job.params["provider"] = ctx.config.id.toStdString();
        if (m_budget > 0 && !engineJob)
            job.params["candidate_budget"] = m_budget;
        if (engineJob && job.params.value("model", std::string()).empty() == false &&
            before != ctx.config.id)
            job.params["model"] = ctx.config.defaultModel.toStdString();
        QSqlQuery q = ws.prepare(QStringLiteral("UPDATE jobs SET params = ? WHERE id = ?"));
        q.addBindValue(QString::fromStdString(job.params.dump()));
        q.addBindValue(jobId);
        Workspace::execPrepared(q, QStringLiteral("Updating job %1").arg(jobId));
        return runJob();
    }

private:
    ProviderArgs m_args;
    std::string m_workspace;
    std::string m_job;
    int m_budget = 0;
};

class JobsCommand final : public Command
{
public:
    const char *name() const override { return "jobs"; }
    const char *description() const override
    {
        return "List jobs (generation, solve, evaluate, ...) and their state";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
    }

    int execute(Console &console) override
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        const auto jobs = JobRepository(*ws).list(1000);
        if (console.json()) {
            nlohmann::json arr = nlohmann::json::array();
            for (const auto &j : jobs)
                arr.push_back({{"id", j.id.toStdString()},
                               {"kind", j.kind.toStdString()},
                               {"status", toString(j.status).toStdString()},
                               {"done", j.done},
                               {"total", j.total},
                               {"error", j.error.toStdString()},
                               {"created_at", j.createdAt.toString(Qt::ISODate).toStdString()}});
            console.printJson(arr);
            return ExitOk;
        }
        QTextStream &out = console.out();
        if (jobs.empty()) {
            out << "no jobs\n";
            return ExitOk;
        }
        for (const auto &j : jobs) {
            out << QStringLiteral("%1  %2  %3  %4/%5  %6")
                       .arg(j.id, -24)
                       .arg(j.kind, -12)
                       .arg(toString(j.status), -9)
                       .arg(j.done)
                       .arg(j.total)
                       .arg(j.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")));
            if (!j.error.isEmpty())
                out << QStringLiteral("  ") << j.error;
            out << '\n';
        }
        return ExitOk;
    }

private:
    std::string m_workspace;
};

} // namespace

std::unique_ptr<Command> makeGenerateCommand()
{
    return std::make_unique<GenerateCommand>();
}
std::unique_ptr<Command> makeResumeCommand()
{
    return std::make_unique<ResumeCommand>();
}
std::unique_ptr<Command> makeJobsCommand()
{
    return std::make_unique<JobsCommand>();
}

} // namespace crucible::cli
