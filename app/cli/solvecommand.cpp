// `crucible-cli solve WS (--problem ID | --dataset ID) --agent ID [--critic ID] [--refiner ID]`
// and `crucible-cli evaluate WS (--solution ID | --dataset ID) [--judge ID ...] [--aspects …]`:
// resumable solve and evaluate jobs through the LLM layer (the provider options of `generate`).

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/enginejobrun.h"
#include "app/cli/llmcontext.h"
#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/qualityverifier.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solvejob.h"
#include "core/feedback/questionraiser.h"
#include "core/llm/moneyformat.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

using nlohmann::json;

// Options both commands share: provider, sampling, concurrency, budget, estimate.
struct JobOptions
{
    ProviderArgs provider;
    CLI::Option *concurrencyOption = nullptr;
    int concurrency = 8;
    double temperature = 0.7;
    int maxTokens = 1500;
    double budgetUsd = 0;
    bool estimateOnly = false;

    void addTo(CLI::App &app, double defaultTemperature)
    {
        temperature = defaultTemperature;
        provider.addTo(app, false);
        app.add_option("--temperature", temperature,
                       QStringLiteral("Sampling temperature (default %1)")
                           .arg(defaultTemperature)
                           .toStdString())
            ->check(CLI::Range(0.0, 2.0));
        app.add_option("--max-tokens", maxTokens, "Answer limit per call (default 1500)")
            ->check(CLI::Range(64, 32768));
        concurrencyOption =
            app.add_option("--concurrency", concurrency,
                           "Units in flight (default 8; given, it also raises the provider's own "
                           "concurrency limit to this)")
                ->check(CLI::Range(1, 256));
        app.add_option("--budget-usd", budgetUsd,
                       "US dollars the job may spend in all, resumed runs included (default: no "
                       "limit; needs a priced model)")
            ->check(CLI::NonNegativeNumber);
        app.add_flag("--estimate", estimateOnly,
                     "Print the estimated calls, tokens and cost, and stop");
    }

    void fill(json &params, const LlmContext &ctx) const
    {
        params["provider"] = ctx.config.id.toStdString();
        params["model"] = ctx.config.defaultModel.toStdString();
        params["temperature"] = temperature;
        params["max_tokens"] = maxTokens;
        params["concurrency"] = concurrency;
        if (budgetUsd > 0)
            params["budget_usd"] = budgetUsd;
    }

    LlmContext resolve(Console &console, const std::string &workspace) const
    {
        ProviderArgs args = provider;
        args.workspace = workspace;
        if (concurrencyOption && concurrencyOption->count() > 0)
            args.concurrency = concurrency;
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        return ctx;
    }
};

// Normalizes the params (ValidationError → exit 2 with the rule), then estimates or runs.
template <typename Job>
int startJob(Console &console, LlmContext &ctx, json params, bool estimateOnly)
{
    Workspace &ws = *ctx.workspace;
    json normalized;
    try {
        normalized = Job::normalize(ws, std::move(params));
    } catch (const ValidationError &e) {
        console.error(QStringLiteral("invalid %1").arg(e.message()));
        console.hint(QStringLiteral("nothing was started or written; fix the option above and "
                                    "run the command again (`--help` lists them)"));
        return ExitUsage;
    }
    const PromptTemplates templates;
    GenerationEstimate estimate = Job::estimate(ws, normalized, templates, ctx.client->prices(),
                                                ctx.config, ctx.config.defaultModel);
    if (ctx.config.type == ProviderType::Simulated)
        estimate.costUsd = 0.0; // offline: free
    if (estimateOnly) {
        printEstimate(console, estimate);
        return ExitOk;
    }
    if (!console.json()) {
        console.err() << QStringLiteral("estimate: %1\n").arg(estimate.summary());
        if (normalized.contains("judge_choice"))
            console.err() << QStringLiteral("judge: %1\n")
                                 .arg(jsonio::stringOr(normalized["judge_choice"], "text"));
    }
    const QString jobId = Job::create(ws, normalized);
    if (!console.json())
        console.err() << QStringLiteral("job %1 started (resume it with `crucible-cli resume %2 "
                                        "%1` if it is interrupted)\n")
                             .arg(jobId, ws.path());
    console.err().flush();
    return runEngineJob(console, ws, *ctx.client, jobId);
}

json solveDetails(Workspace &ws, const QString &jobId)
{
    json finals = json::array();
    for (const JobUnit &u : JobRepository(ws).units(jobId)) {
        if (!u.finished || !u.result.value("ok", false))
            continue;
        finals.push_back(
            {{"problem_id", u.input.value("problem_id", std::string())},
             {"team", u.group.toStdString()},
             {"solution_id", u.result.value("solution_id", std::string())},
             {"critique_id", u.result.value("critique_id", std::string())},
             {"refined_id", u.result.value("refined_id", std::string())},
             {"final_solution_id", u.result.value("final_solution_id", std::string())}});
    }
    return {{"results", finals}};
}

json evaluateDetails(Workspace &ws, const QString &jobId)
{
    json verdicts = json::array();
    QString text;
    int failed = 0;
    for (const Verdict &v : VerdictRepository(ws).byJob(jobId)) {
        json j = {{"id", v.id.toStdString()},
                  {"solution_id", v.solutionId.toStdString()},
                  {"judge_version_id", v.judgeVersionId.toStdString()},
                  {"status", toString(v.status).toStdString()},
                  {"overall", v.overall ? json(*v.overall) : json(nullptr)},
                  {"confidence", v.confidence ? json(*v.confidence) : json(nullptr)},
                  {"novelty", v.novelty ? json(*v.novelty) : json(nullptr)},
                  {"rubric_version", v.rubricVersion.toStdString()},
                  {"checks_failed", v.checksFailed()}};
        if (!v.ok()) {
            j["error"] = v.error.toStdString();
            ++failed;
        }
        verdicts.push_back(j);
        text += QStringLiteral("  %1  %2  %3  overall %4  novelty %5  checks failed %6\n")
                    .arg(v.id, v.solutionId, toString(v.status))
                    .arg(v.overall ? QString::number(*v.overall, 'f', 2) : QStringLiteral("-"))
                    .arg(v.novelty ? QString::number(*v.novelty, 'f', 2) : QStringLiteral("-"))
                    .arg(v.checksFailed());
        if (!v.ok())
            text += QStringLiteral("    failed: %1\n").arg(v.error);
    }
    const json agreement = EvaluateJob::agreementReport(ws, jobId);
    for (const auto &a : agreement)
        text += QStringLiteral("  judges %1 on %2: agreement %3%4\n")
                    .arg(a.value("disagree", false) ? QStringLiteral("disagree")
                                                    : QStringLiteral("agree"))
                    .arg(QString::fromStdString(a.value("solution_id", std::string())))
                    .arg(a.value("agreement", 1.0), 0, 'f', 2)
                    .arg(a.value("disagree", false)
                             ? QStringLiteral(" (widest on %1)")
                                   .arg(QString::fromStdString(a.value("aspect", std::string())))
                             : QString());
    // One score per solution: its judges combined by their calibration against people.
    const json consensus = EvaluateJob::consensusReport(ws, jobId);
    double weightedSum = 0, plainSum = 0;
    for (const auto &c : consensus) {
        weightedSum += c.value("score", 0.0);
        plainSum += c.value("plain_mean", 0.0);
        if (c.value("judges", json::array()).size() < 2)
            continue;
        QStringList weights;
        for (const auto &j : c["judges"])
            weights << QStringLiteral("%1 %2 × %3%4")
                           .arg(QString::fromStdString(j.value("judge_version_id", "")))
                           .arg(j.value("score", 0.0), 0, 'f', 2)
                           .arg(j.value("weight", 0.0), 0, 'f', 2)
                           .arg(j.value("calibrated", false) ? QString()
                                                             : QStringLiteral(" (prior)"));
        text += QStringLiteral("  consensus on %1: %2 (plain mean %3; score × weight: %4)\n")
                    .arg(QString::fromStdString(c.value("solution_id", "")))
                    .arg(c.value("score", 0.0), 0, 'f', 2)
                    .arg(c.value("plain_mean", 0.0), 0, 'f', 2)
                    .arg(weights.join(QStringLiteral(", ")));
    }
    QString head = QStringLiteral("verdicts: %1 (%2 failed)").arg(verdicts.size()).arg(failed);
    if (!consensus.empty())
        head += QStringLiteral(", mean consensus %1 over %2 solution(s) (judges weighted by their "
                               "agreement with your ratings; plain mean %3)")
                    .arg(weightedSum / static_cast<double>(consensus.size()), 0, 'f', 2)
                    .arg(consensus.size())
                    .arg(plainSum / static_cast<double>(consensus.size()), 0, 'f', 2);
    const json job = JobRepository(ws).get(jobId).value_or(JobRecord{}).params;
    if (job.contains("judge_choice"))
        head += QStringLiteral("\njudge: %1").arg(jsonio::stringOr(job["judge_choice"], "text"));
    // The questions worth a person's answer go to the inbox as soon as the verdicts exist.
    json inbox = json::object();
    if (!ws.isReadOnly()) {
        try {
            const RaiseReport raised = QuestionRaiser::afterJob(ws, jobId);
            inbox = raised.toJson();
            if (raised.raised > 0)
                text += QStringLiteral("  inbox: %1 new question(s) worth your answer; see them "
                                       "with `crucible-cli inbox %2 list`\n")
                            .arg(raised.raised)
                            .arg(ws.path());
        } catch (const std::exception &e) {
            inbox = {{"error", e.what()}};
            text += QStringLiteral("  inbox: no questions raised (%1); run `crucible-cli inbox "
                                   "%2 raise --job %3` to try again\n")
                        .arg(QString::fromUtf8(e.what()), ws.path(), jobId);
        }
    }
    return {{"verdicts", verdicts},   {"agreement", agreement},
            {"consensus", consensus}, {"judge_choice", job.value("judge_choice", json(nullptr))},
            {"inbox", inbox},         {"text", QString(head + u'\n' + text).toStdString()}};
}

class SolveCommand final : public Command
{
public:
    const char *name() const override { return "solve"; }
    const char *description() const override
    {
        return "Solve problems with a generator agent, optionally critiqued and refined "
               "(resumable job)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--problem", m_problems, "Problem id (repeatable)");
        app.add_option("--dataset", m_dataset, "Solve every problem of this dataset");
        app.add_option("--agent", m_agents,
                       "Generator agent or agent version id (repeatable: one team each)")
            ->required();
        app.add_option("--critic", m_critic, "Critic agent or version id");
        app.add_option("--refiner", m_refiner, "Refiner agent or version id (needs --critic)");
        m_options.addTo(app, 0.7);
    }

    int execute(Console &console) override
    {
        if (m_problems.empty() && m_dataset.empty()) {
            console.error(QStringLiteral("nothing to solve: pass --problem ID or --dataset ID"));
            console.hint(QStringLiteral("list problems with `crucible-cli problems WS`"));
            return ExitUsage;
        }
        LlmContext ctx = m_options.resolve(console, m_workspace);
        json params = json::object();
        params["problems"] = m_problems;
        if (!m_dataset.empty())
            params["dataset_id"] = m_dataset;
        json teams = json::array();
        for (const std::string &a : m_agents)
            teams.push_back({{"generator", a}, {"critic", m_critic}, {"refiner", m_refiner}});
        params["teams"] = teams;
        m_options.fill(params, ctx);
        // Agent ids resolve to their head versions: the job pins the exact versions.
        for (auto &t : params["teams"])
            for (const char *slot : {"generator", "critic", "refiner"}) {
                const QString id = QString::fromStdString(t[slot].get<std::string>());
                if (id.isEmpty())
                    continue;
                if (const auto agent = findSolverAgent(*ctx.workspace, id))
                    t[slot] = agent->versionId.toStdString();
            }
        return startJob<SolveJob>(console, ctx, std::move(params), m_options.estimateOnly);
    }

private:
    std::string m_workspace;
    std::vector<std::string> m_problems;
    std::string m_dataset;
    std::vector<std::string> m_agents;
    std::string m_critic;
    std::string m_refiner;
    JobOptions m_options;
};

class EvaluateCommand final : public Command
{
public:
    const char *name() const override { return "evaluate"; }
    const char *description() const override
    {
        return "Judge solutions with the quality verifier: rubric scores from evaluator agents, "
               "deterministic checks and measured novelty (resumable job)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--solution", m_solutions, "Solution id (repeatable)");
        app.add_option("--dataset", m_dataset, "Every solution of this dataset's problems");
        app.add_option("--judge", m_judges,
                       "Evaluator agent or version id (repeatable: several judges, their "
                       "agreement and their calibration-weighted consensus; default: the "
                       "evaluator that agrees best with your inbox ratings of these aspects, κ "
                       "over 20+ ratings of an aspect; else the newest evaluator agent)");
        app.add_option("--aspects", m_aspects,
                       "Comma-separated aspects (default correctness,completeness,efficiency,"
                       "novelty,coherence)");
        app.add_option("--length-budget", m_lengthBudget,
                       "Characters a solution may take before the length check fails (default "
                       "6000)")
            ->check(CLI::Range(100, 1000000));
        app.add_flag("--checks-only", m_checksOnly,
                     "No LLM judge: deterministic checks and measured novelty only");
        app.add_option("--calibration-examples", m_calibrationExamples,
                       "Human ratings each judge prompt carries as calibration examples (default "
                       "3; 0: none)")
            ->check(CLI::Range(0, 20));
        app.add_option("--calibration-choice", m_calibrationChoice,
                       "Which ratings: anchors (one per rating level, the default) or "
                       "largest_gap (those the judge got most wrong first)")
            ->check(CLI::IsMember({"anchors", "largest_gap"}));
        m_options.addTo(app, 0.0);
    }

    int execute(Console &console) override
    {
        if (m_solutions.empty() && m_dataset.empty()) {
            console.error(
                QStringLiteral("nothing to evaluate: pass --solution ID or --dataset ID"));
            console.hint(QStringLiteral("solve problems first with `crucible-cli solve`"));
            return ExitUsage;
        }
        QStringList aspects;
        if (!m_aspects.empty()) {
            if (const auto error = Rubric::parseAspects(fromStd(m_aspects), aspects)) {
                console.error(QStringLiteral("invalid --aspects: %1").arg(*error));
                console.hint(QStringLiteral("nothing was started or written"));
                return ExitUsage;
            }
        }
        if (m_checksOnly && !m_judges.empty()) {
            console.error(QStringLiteral("--checks-only and --judge exclude each other"));
            return ExitUsage;
        }
        LlmContext ctx = m_options.resolve(console, m_workspace);
        json params = json::object();
        params["solutions"] = m_solutions;
        if (!m_dataset.empty())
            params["dataset_id"] = m_dataset;
        params["judges"] = m_judges;
        params["aspects"] = aspects;
        params["length_budget"] = m_lengthBudget;
        params["checks_only"] = m_checksOnly;
        params["calibration_examples"] = m_calibrationExamples;
        params["calibration_choice"] = m_calibrationChoice;
        m_options.fill(params, ctx);
        return startJob<EvaluateJob>(console, ctx, std::move(params), m_options.estimateOnly);
    }

private:
    std::string m_workspace;
    std::vector<std::string> m_solutions;
    std::string m_dataset;
    std::vector<std::string> m_judges;
    std::string m_aspects;
    int m_lengthBudget = 6000;
    bool m_checksOnly = false;
    int m_calibrationExamples = EvaluateJob::kCalibrationExamples;
    std::string m_calibrationChoice = "anchors";
    JobOptions m_options;
};

} // namespace

std::unique_ptr<Command> makeSolveCommand()
{
    registerEngineJobDetails(QString::fromLatin1(SolveJob::kKind), solveDetails);
    return std::make_unique<SolveCommand>();
}

std::unique_ptr<Command> makeEvaluateCommand()
{
    registerEngineJobDetails(QString::fromLatin1(EvaluateJob::kKind), evaluateDetails);
    return std::make_unique<EvaluateCommand>();
}

} // namespace crucible::cli
