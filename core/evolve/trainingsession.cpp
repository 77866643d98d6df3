#include "core/evolve/trainingsession.h"

#include "core/agents/clonespecializer.h"
#include "core/engine/jobsupport.h"
#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solveragent.h"
#include "core/evolve/personalityevolution.h"
#include "core/evolve/reflectiveoptimiser.h"
#include "core/evolve/runowner.h"
#include "core/feedback/judgecalibration.h"
#include "core/feedback/judgechoice.h"
#include "core/generate/generationjob.h"
#include "core/generate/generationspec.h"
#include "core/llm/pricetable.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/agentrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/llmcallrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <QRegularExpression>
#include <QStringBuilder>

namespace crucible::evolve {

using nlohmann::json;

namespace {

constexpr int kEvidenceRationales = 3;

} // namespace

TrainingSession::TrainingSession(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                                 TrainingOptions options)
    : m_ws(ws)
    , m_client(client)
    , m_templates(templates)
    , m_options(std::move(options))
{
}

TrainingSession::~TrainingSession() = default;

QString TrainingSession::create(Workspace &ws, const PromptTemplates &templates,
                                TrainingOptions options)
{
    if (options.domain.trimmed().isEmpty())
        throw ValidationError(QStringLiteral("--domain"), {},
                              QStringLiteral("name the domain whose problems to train on"));
    if (!Optimiser::kinds().contains(options.optimizer))
        throw ValidationError(QStringLiteral("--optimizer"), options.optimizer,
                              QStringLiteral("must be one of ") %
                                  Optimiser::kinds().join(QStringLiteral(", ")));
    if (options.optimizer == PersonalityEvolution::kKind && options.settings.targets.empty())
        throw ValidationError(QStringLiteral("--target"), {},
                              QStringLiteral("personality evolution needs target metrics, e.g. "
                                             "--target success=0.9 --target tokens=600"));
    if (options.settings.maxCalls <= 0 && options.settings.maxCycles <= 0 &&
        !options.budgetTokens && !options.budgetUsd && !options.budgetHours)
        throw ValidationError(QStringLiteral("--budget-calls"), QStringLiteral("0"),
                              QStringLiteral("an unbounded run needs --cycles, --hours, "
                                             "--budget-tokens or --budget-usd"));
    if (options.budgetHours && *options.budgetHours <= 0)
        throw ValidationError(QStringLiteral("--hours"), QString::number(*options.budgetHours),
                              QStringLiteral("must be more than 0"));
    if (!options.runId.isEmpty() && JobRepository(ws).get(options.runId))
        throw ValidationError(QStringLiteral("run_id"), options.runId,
                              QStringLiteral("is taken by a job of this workspace"));
    // The problems and their split.
    ProblemRepository problems(ws);
    ProblemFilter filter;
    filter.domain = options.domain;
    filter.datasetId = options.datasetId;
    QStringList ids;
    for (const ProblemSummary &s : problems.page(filter, 0, options.maxProblems))
        ids << s.id;
    if (ids.size() < 6)
        throw ValidationError(
            QStringLiteral("--domain"), options.domain,
            QStringLiteral("has %1 problem(s)%2; training needs at least 6 (train, validation and "
                           "held-out test): generate or import more with `crucible-cli generate` "
                           "or `crucible-cli import`")
                .arg(ids.size())
                .arg(options.datasetId.isEmpty()
                         ? QString()
                         : QStringLiteral(" in dataset ") % options.datasetId));
    const DataSplit split = DataSplit::make(ids, options.splitSeed.value_or(options.settings.seed));

    // The agents.
    AgentRepository agents(ws, templates);
    agents.ensureTemplates();
    const AgentVersion start = options.agent.isEmpty()
                                   ? agents.require(QStringLiteral("agt_tpl_generator"))
                                   : agents.require(options.agent);
    std::optional<SolverAgent> judge =
        options.judge.isEmpty() ? chosenJudgeAgent(ws) : findSolverAgent(ws, options.judge);
    if (!judge)
        throw ValidationError(QStringLiteral("--judge"), options.judge,
                              QStringLiteral("no evaluator agent found; pass an agent id (list "
                                             "them with `crucible-cli agents WS list`)"));
    requireRole(*judge, agentrole::evaluator, QStringLiteral("--judge"));
    // The optimiser is made before anything is written: its checks come first.
    const std::unique_ptr<Optimiser> probe =
        Optimiser::make(options.optimizer, start.definition, split, options.settings);

    TrainingRun run;
    run.id = options.runId.isEmpty() ? jsonio::newId("trn") : options.runId;
    Workspace::Transaction tx(ws);
    Agent trained = start.definition;
    // "Solver (trained, trn_b)", not "Solver (trained, trn_a) (trained, trn_b)".
    QString baseName = start.definition.identity.name;
    static const QRegularExpression earlier(QStringLiteral("( \\(trained, [^)]*\\))+$"));
    baseName.remove(earlier);
    trained.identity.name = baseName % QStringLiteral(" (trained, ") % run.id % u')';
    const AgentVersion clone = agents.clone(
        start.id, trained, QStringLiteral("training run %1 starts from this version").arg(run.id));
    std::unique_ptr<Optimiser> optimiser =
        Optimiser::make(options.optimizer, clone.definition, split, options.settings);
    optimiser->setVersionId(0, clone.id);

    run.name = options.groupSize > 1
                   ? QStringLiteral("train %1 (%2, agent %3 of %4)")
                         .arg(baseName, options.optimizer)
                         .arg(options.groupIndex + 1)
                         .arg(options.groupSize)
                   : QStringLiteral("train %1 (%2)").arg(baseName, options.optimizer);
    run.datasetId = options.datasetId;
    run.state = TrainingRun::State::Running;
    run.cyclesPlanned = options.settings.maxCycles;
    run.createdAt = jsonio::nowUtc();
    run.config = {{"optimizer", options.optimizer.toStdString()},
                  {"domain", options.domain.toStdString()},
                  {"start_version", start.id.toStdString()},
                  {"agent_id", clone.agentId.toStdString()},
                  {"judge_version", judge->versionId.toStdString()},
                  {"split", split.toJson()},
                  {"settings", options.settings.toJson()},
                  {"provider", options.providerId.toStdString()},
                  {"model", options.model.toStdString()},
                  {"temperature", options.temperature},
                  {"job_id", run.id.toStdString()}};
    if (options.budgetTokens)
        run.config["budget_tokens"] = *options.budgetTokens;
    if (options.budgetUsd)
        run.config["budget_usd"] = *options.budgetUsd;
    if (options.budgetHours)
        run.config["budget_hours"] = *options.budgetHours;
    if (options.landscapeSeed)
        run.config["landscape_seed"] = *options.landscapeSeed;
    run.config["variation_every"] = options.variationEvery;
    run.config["variations_per_round"] = options.variationsPerRound;
    if (!options.group.isEmpty())
        run.config["group"] = {{"id", options.group.toStdString()},
                               {"index", options.groupIndex},
                               {"size", options.groupSize}};
    // Only a run from a role template is specialised (an agent you chose is trained as it is).
    run.config["specialize"] =
        options.specialize && start.agentId.startsWith(QStringLiteral("agt_tpl_"));
    run.config["checkpoint"] = optimiser->toJson();
    EntityStore(ws).put(run);

    JobRecord job;
    job.id = run.id;
    job.kind = QStringLiteral("train");
    options.runId = run.id;
    job.params = options.toParams();
    job.total = options.settings.maxCalls;
    JobRepository(ws).create(job);
    tx.commit();
    return run.id;
}

void TrainingSession::load(const QString &runId)
{
    std::optional<TrainingRun> stored = EntityStore(m_ws).get<TrainingRun>(runId);
    if (!stored)
        throw ValidationError(QStringLiteral("run"), runId,
                              QStringLiteral("no training run with this id in %1; list them with "
                                             "`crucible-cli runs WS`")
                                  .arg(m_ws.path()));
    const json &config = stored->config;
    if (!config.contains("checkpoint") || !config.contains("split") ||
        !config.contains("agent_id") || !config.contains("judge_version"))
        throw ValidationError(QStringLiteral("run"), runId,
                              QStringLiteral("has no checkpoint to continue from (it was stored "
                                             "by an older version of Crucible); start a new run"));
    // The run's own options; what the caller gave for the provider, model and stopping wins.
    TrainingOptions options = TrainingOptions::fromParams(config);
    options.domain = jsonio::stringOr(config, "domain");
    options.datasetId = stored->datasetId;
    options.runId = runId;
    if (!m_options.providerId.isEmpty())
        options.providerId = m_options.providerId;
    if (!m_options.model.isEmpty())
        options.model = m_options.model;
    options.stopRequested = m_options.stopRequested;
    options.checkpointed = m_options.checkpointed;
    m_options = std::move(options);

    m_optimiser = Optimiser::fromJson(config.at("checkpoint"));
    m_agentId = jsonio::stringOr(config, "agent_id");
    m_judge = findSolverAgent(m_ws, jsonio::stringOr(config, "judge_version"));
    if (!m_judge)
        throw ValidationError(QStringLiteral("judge"), jsonio::stringOr(config, "judge_version"),
                              QStringLiteral("the run's judge version is not in this workspace "
                                             "any more; it cannot continue"));
    ProblemRepository problems(m_ws);
    m_problems.clear();
    const DataSplit &split = m_optimiser->split();
    for (const QStringList *part : {&split.train, &split.validation, &split.test})
        for (const QString &id : *part)
            if (auto p = problems.get(id))
                m_problems.emplace(id, std::move(*p));
    m_run = std::move(*stored);
}

void TrainingSession::prepare()
{
    load(create(m_ws, m_templates, m_options));
}

TrainingProblemStats TrainingSession::problemStats(Workspace &ws, const TrainingOptions &options)
{
    constexpr int kSample = 50; // enough for the mean
    ProblemRepository problems(ws);
    ProblemFilter filter;
    filter.domain = options.domain;
    filter.datasetId = options.datasetId;
    TrainingProblemStats stats;
    stats.total = problems.count(filter);
    qint64 problemTokens = 0;
    int sampled = 0;
    for (const ProblemSummary &s : problems.page(filter, 0, options.maxProblems)) {
        if (sampled < kSample)
            if (const auto p = problems.get(s.id)) {
                problemTokens += estimateTokens(p->statement);
                ++sampled;
            }
        ++stats.used;
    }
    if (sampled > 0)
        stats.meanTokens = problemTokens / sampled;
    return stats;
}

GenerationEstimate TrainingSession::estimate(Workspace &ws, const TrainingOptions &options,
                                             const PriceTable &prices,
                                             const ProviderConfig &provider)
{
    return estimate(problemStats(ws, options), options, prices, provider);
}

GenerationEstimate TrainingSession::estimate(const TrainingProblemStats &stats,
                                             const TrainingOptions &options,
                                             const PriceTable &prices,
                                             const ProviderConfig &provider)
{
    constexpr qint64 kPromptOverhead = 450; // system prompt, instructions, schema
    constexpr qint64 kSolutionTokens = 700;
    constexpr qint64 kJudgeTokensOut = 350;
    const qint64 perProblem = stats.meanTokens;
    const int count = static_cast<int>(stats.used);
    // Optimiser calls: the call budget, or without one the cycles' evaluations (a minibatch for
    // parent and child, then the child on the validation split).
    const int validation = std::min(12, std::max(1, count / 5));
    int calls = options.settings.maxCalls;
    if (calls <= 0)
        calls =
            options.settings.maxCycles * (2 * 2 * options.settings.minibatch + 2 * validation + 1);
    // The held-out measurement: start and best version on every test problem, two calls each.
    calls += 4 * std::max(1, count * 3 / 10);
    GenerationEstimate e;
    e.calls = calls;
    // Half the calls solve (problem in, solution out), half judge (problem and solution in).
    const qint64 solves = calls / 2;
    const qint64 judges = calls - solves;
    e.tokensIn = solves * (kPromptOverhead + perProblem) +
                 judges * (kPromptOverhead + perProblem + kSolutionTokens);
    e.tokensOut = solves * kSolutionTokens + judges * kJudgeTokensOut;
    if (options.budgetTokens && e.tokensIn + e.tokensOut > *options.budgetTokens) {
        const double share = static_cast<double>(*options.budgetTokens) /
                             static_cast<double>(e.tokensIn + e.tokensOut);
        e.tokensIn = static_cast<qint64>(static_cast<double>(e.tokensIn) * share);
        e.tokensOut = static_cast<qint64>(static_cast<double>(e.tokensOut) * share);
        e.calls = static_cast<int>(static_cast<double>(e.calls) * share);
    }
    e.costUsd = prices.costFor(provider, options.model, e.tokensIn, e.tokensOut);
    if (e.costUsd && options.budgetUsd)
        e.costUsd = std::min(*e.costUsd, *options.budgetUsd);
    return e;
}

std::shared_ptr<LlmBudget> TrainingSession::remainingBudget() const
{
    if (!m_options.budgetTokens && !m_options.budgetUsd)
        return nullptr;
    // The ceilings are the run's: what earlier attempts spent counts (calls answered from the
    // cache cost nothing).
    LlmCallFilter all;
    all.jobId = m_run.id;
    LlmCallFilter cached = all;
    cached.cacheHitsOnly = true;
    const LlmCallRepository ledger(m_ws);
    const LlmUsageTotals spent = ledger.totals(all);
    const LlmUsageTotals free = ledger.totals(cached);
    auto budget = std::make_shared<LlmBudget>();
    if (m_options.budgetTokens)
        budget->maxTokens =
            std::max<qint64>(0, *m_options.budgetTokens - (spent.tokensIn + spent.tokensOut) +
                                    (free.tokensIn + free.tokensOut));
    if (m_options.budgetUsd)
        budget->maxUsd = std::max(0.0, *m_options.budgetUsd - spent.costUsd + free.costUsd);
    return budget;
}

json TrainingSession::learningRecord(const Candidate &c) const
{
    const std::vector<Candidate> &all = m_optimiser->candidates();
    const Candidate &parent = all[static_cast<size_t>(std::max(0, c.parent))];
    json rationales = json::array();
    json minibatch = json::array();
    for (const auto &[problem, score] : parent.scores) {
        if (!c.scores.count(problem) || m_optimiser->split().validation.contains(problem))
            continue;
        minibatch.push_back(problem.toStdString());
        if (static_cast<int>(rationales.size()) < kEvidenceRationales)
            rationales.push_back(score.feedback.left(600).toStdString());
    }
    json evidence = {
        {"validation_mean", c.meanOver(m_optimiser->split().validation).value_or(0.0)},
        {"parent_validation_mean", parent.meanOver(m_optimiser->split().validation).value_or(0.0)},
        {"validation_problems", m_optimiser->split().validation.size()}};
    if (c.minibatchParent && c.minibatchChild)
        evidence["minibatch"] = {{"problems", minibatch},
                                 {"parent_mean", *c.minibatchParent},
                                 {"child_mean", *c.minibatchChild}};
    if (c.op != QStringLiteral("traits"))
        evidence["parent_feedback"] = rationales;
    return {{"optimizer", m_optimiser->kind().toStdString()},
            {"run", m_run.id.toStdString()},
            {"candidate", c.id},
            {"parent_candidate", c.parent},
            {"parent_version", parent.versionId.toStdString()},
            {"op", c.op.toStdString()},
            {"changed", c.change},
            {"why", c.why.toStdString()},
            {"evidence", evidence}};
}

void TrainingSession::storeAcceptedVersions()
{
    AgentRepository agents(m_ws, m_templates);
    const QStringList &validation = m_optimiser->split().validation;
    for (const Candidate &c : m_optimiser->candidates()) {
        if (c.id == 0 || !c.accepted || !c.versionId.isEmpty() || !c.scoredOn(validation))
            continue;
        const QString note = QStringLiteral("learnt by %1 (run %2, candidate %3, validation %4)")
                                 .arg(m_optimiser->kind(), m_run.id)
                                 .arg(c.id)
                                 .arg(c.meanOver(validation).value_or(0.0), 0, 'f', 3);
        const AgentVersion v = agents.update(m_agentId, c.definition, note, learningRecord(c));
        m_optimiser->setVersionId(c.id, v.id);
    }
}

void TrainingSession::checkpoint(const Optimiser &optimiser)
{
    Q_UNUSED(optimiser);
    // The calls this unit was charged for are in the ledger before the checkpoint says so: a
    // kill right after loses no spend (the token and USD ceilings are read back from it).
    m_client.flushLedger();
    Workspace::Transaction tx(m_ws);
    storeAcceptedVersions();
    m_run.cyclesDone = m_optimiser->cycles();
    if (m_run.cyclesPlanned > 0)
        m_run.cyclesDone = std::min(m_run.cyclesDone, m_run.cyclesPlanned);
    m_run.metrics = m_optimiser->history();
    const qint64 wall = m_wallBefore + (m_wall.isValid() ? m_wall.elapsed() : 0);
    m_run.config["wall_ms"] = wall;
    // When each cycle ended (wall time of the run), for the throughput over cycles; apart from
    // the metrics, which a resumed run reproduces exactly.
    json &ended = m_run.config["cycle_wall_ms"];
    if (!ended.is_array())
        ended = json::array();
    while (ended.size() < m_run.metrics.size())
        ended.push_back(wall);
    // The spend as the ledger has it (for the monitor): every 5 s and when the run ends.
    if (!m_spendClock.isValid() || m_spendClock.elapsed() >= 5000 || m_optimiser->finished()) {
        m_spendClock.start();
        LlmCallFilter filter;
        filter.jobId = m_run.id;
        const LlmUsageTotals t = LlmCallRepository(m_ws).totals(filter);
        m_run.config["spend"] = {{"calls", t.calls},
                                 {"cache_hits", t.cacheHits},
                                 {"tokens", t.tokensIn + t.tokensOut},
                                 {"usd", t.costUsd}};
    }
    // The wall-time budget is checked after every unit, before the next call is sent.
    if (m_options.budgetHours && !m_optimiser->finished() &&
        static_cast<double>(wall) >= *m_options.budgetHours * 3'600'000.0)
        m_optimiser->finish(QStringLiteral("time"));
    m_run.config["checkpoint"] = m_optimiser->toJson();
    EntityStore(m_ws).put(m_run);
    tx.commit();
    if (m_options.checkpointed)
        m_options.checkpointed(m_run, *m_optimiser);
}

QCoro::Task<json> TrainingSession::testReport(CancelToken cancel)
{
    const int best = m_optimiser->best();
    const QStringList &test = m_optimiser->split().test;
    // The budgets bound the optimiser; measuring on the held-out split comes on top (its calls
    // are reported), so that a run that spent its budget still gets its measurement.
    m_runner->setBudget(nullptr);
    std::vector<double> differences;
    double seedSum = 0;
    double bestSum = 0;
    int calls = 0;
    QString error;
    for (const QString &problem : test) {
        if (cancel.isCancelled())
            break;
        double scores[2] = {0, 0};
        bool ok = true;
        for (int k = 0; k < 2 && ok; ++k) {
            const int id = k == 0 ? 0 : best;
            EvolveTask t;
            t.kind = EvolveTask::Kind::Evaluate;
            t.candidate = id;
            t.definition = m_optimiser->candidates()[static_cast<size_t>(id)].definition;
            t.problemId = problem;
            t.calls = 2;
            const TaskResult r = co_await m_runner->run(t, 8);
            calls += r.calls;
            if (!r.ok) {
                error = r.error;
                ok = false;
            }
            scores[k] = r.score.score;
        }
        if (!ok)
            break;
        seedSum += scores[0];
        bestSum += scores[1];
        differences.push_back(scores[1] - scores[0]);
    }
    const BootstrapInterval ci = bootstrapMean(differences, 2000, m_options.settings.seed);
    const double n = std::max<double>(1.0, static_cast<double>(differences.size()));
    json out = {{"problems", differences.size()}, {"calls", calls},
                {"start_mean", seedSum / n},      {"best_mean", bestSum / n},
                {"improvement", ci.mean},         {"ci95", {ci.low, ci.high}}};
    if (!error.isEmpty())
        out["error"] = error.toStdString();
    co_return out;
}

int TrainingSession::lastVariationCycle() const
{
    const json rounds = m_run.config.value("variation_rounds", json::array());
    return rounds.empty() ? 0 : rounds.back().value("cycle", 0);
}

QCoro::Task<bool> TrainingSession::variationRound(CancelToken cancel)
{
    // Each variation is one generation call (plus a repair at most): the round goes ahead only
    // when the call budget can pay for all of them.
    const int maxCalls = 2 * m_options.variationsPerRound;
    if (!m_run.config.contains("variation_rounds") || !m_run.config["variation_rounds"].is_array())
        m_run.config["variation_rounds"] = json::array();
    json &rounds = m_run.config["variation_rounds"];
    const bool resuming = !rounds.empty() && !rounds.back().contains("added");
    if (!resuming) {
        json planned = {{"cycle", m_optimiser->cycles()}};
        const auto hardest = m_optimiser->hardestTrainProblems(1);
        const auto source = hardest.empty() ? m_problems.end() : m_problems.find(hardest[0].first);
        if (source == m_problems.end() || hardest[0].second >= 0.5 ||
            !m_optimiser->budget().allows(maxCalls)) {
            // Nothing the agents fail, or no budget for it: the round is recorded as skipped.
            planned["added"] = json::array();
            planned["skipped"] = hardest.empty() || hardest[0].second >= 0.5
                                     ? "no train problem below a mean score of 0.5"
                                     : "the call budget cannot pay for the variations";
            rounds.push_back(planned);
            checkpoint(*m_optimiser);
            co_return false;
        }
        GenerationSpec spec;
        spec.kind = GenerationKind::Variations;
        spec.baseProblemId = source->first;
        spec.levels = {source->second.complexity};
        spec.perLevel = m_options.variationsPerRound;
        spec.providerId = m_options.providerId;
        spec.model = m_options.model;
        // The job's id is derived from the run and the round, and seeds the variations' samples:
        // the same run asks for the same variations in any workspace (reproducible), and a kill
        // between writing the job and the run finds the job again here instead of a twin.
        const QString derived = jsonio::derivedId(
            "job", QStringLiteral("%1/variations/%2").arg(m_run.id).arg(rounds.size()));
        const QString jobId = JobRepository(m_ws).get(derived)
                                  ? derived
                                  : GenerationJob::create(m_ws, spec, nullptr, derived);
        planned["source"] = source->first.toStdString();
        planned["source_mean"] = hardest[0].second;
        planned["job_id"] = jobId.toStdString();
        rounds.push_back(planned);
        // Written before the job runs: a kill from here on finishes this job on resume.
        EntityStore(m_ws).put(m_run);
    }
    const QString jobId = QString::fromStdString(rounds.back().value("job_id", std::string()));
    GenerationJob job(m_ws, m_client, m_templates);
    QMetaObject::Connection stopJob;
    if (CancelState *state = cancel.state())
        stopJob = QObject::connect(state, &CancelState::cancelled, &job, [&job] { job.cancel(); });
    const GenerationResult result = co_await job.run(jobId);
    QObject::disconnect(stopJob);
    if (cancel.isCancelled())
        co_return false; // resumed next time
    json &open = m_run.config["variation_rounds"].back();
    // The charge is the calls of the job's finished units (answers from the cache included), so
    // that a round a kill interrupted costs the run what it would have cost without the kill.
    int calls = 0;
    for (const JobUnit &unit : JobRepository(m_ws).units(jobId))
        if (unit.finished)
            calls += jobsupport::CallTally::fromJson(unit.result).calls;
    m_optimiser->chargeCalls(calls);
    QStringList added;
    if (result.status == JobStatus::Completed) {
        ProblemRepository problems(m_ws);
        for (const QString &id : m_optimiser->addTrainProblems(result.problemIds))
            if (auto p = problems.get(id)) {
                m_runner->addProblem(*p);
                m_problems.insert_or_assign(id, std::move(*p));
                added << id;
            }
    } else {
        open["error"] = result.error.toStdString();
    }
    open["added"] = added;
    open["calls"] = calls;
    checkpoint(*m_optimiser); // the split, the charge and the round in one transaction
    co_return !added.isEmpty();
}

json TrainingSession::calibrationContext()
{
    // Up to kCalibrationExamples of the person's ratings of this judge's earlier verdicts (the
    // inbox's answers), as the evaluate job shows them; none: the prompt as without them.
    try {
        const std::vector<CalibrationExample> examples = JudgeCalibration(m_ws).examples(
            Rubric::defaultAspects(), m_judge->versionId, EvaluateJob::kCalibrationExamples);
        QStringList ids;
        for (const CalibrationExample &e : examples)
            ids << e.solutionId;
        if (ids != m_calibrationIds) { // recorded when it changes: which answers were used
            m_calibrationIds = ids;
            json &used = m_run.config["calibration_used"];
            if (!used.is_array())
                used = json::array();
            used.push_back({{"cycle", m_optimiser->cycles()}, {"solutions", ids}});
        }
        return examples.empty() ? json() : JudgeCalibration::examplesContext(examples);
    } catch (const std::exception &) {
        return json(); // no ratings table (an older workspace): no examples
    }
}

QCoro::Task<void> TrainingSession::specializeStart(CancelToken cancel)
{
    if (m_optimiser->cycles() > 0 || m_optimiser->budget().used > 0 || cancel.isCancelled())
        co_return; // a run that already started keeps its start
    AgentRepository agents(m_ws, m_templates);
    const QString startVersion = m_optimiser->candidates().front().versionId;
    const AgentVersion current = agents.require(startVersion);
    SpecializationRequest request;
    request.specialization = m_options.domain;
    // A few of the problems it will train on tell the model what the domain asks for.
    QStringList examples;
    for (const QString &id : m_optimiser->split().train) {
        if (examples.size() == 3)
            break;
        if (const auto it = m_problems.find(id); it != m_problems.end())
            examples << QStringLiteral("- ") % it->second.statement.left(300).simplified();
    }
    if (!examples.isEmpty())
        request.context =
            QStringLiteral("Problems of this domain look like:\n") % examples.join(u'\n');
    if (m_options.groupSize > 1)
        // Side by side agents differ from the start (and ask different, uncached questions).
        request.context +=
            QStringLiteral("\nThis is agent %1 of %2 trained side by side for this domain: give "
                           "it its own emphasis, different from a generic specialisation.")
                .arg(m_options.groupIndex + 1)
                .arg(m_options.groupSize);
    request.providerId = m_options.providerId;
    request.model = m_options.model;
    request.jobId = m_run.id;
    CloneSpecializer specializer(m_client, m_templates);
    const SpecializationSuggestion s = co_await specializer.suggest(current, request);

    json record = {{"from_version", startVersion.toStdString()},
                   {"calls", s.callIds.size()},
                   {"notes", s.notes}};
    // The new version and the checkpoint that starts from it are written together: a kill
    // in between neither loses the specialisation nor makes it twice.
    m_client.flushLedger();
    Workspace::Transaction tx(m_ws);
    if (!s.ok()) {
        // Training goes on from the unspecialised clone; the report says why.
        record["error"] = s.error.toStdString();
    } else {
        Agent specialised = s.proposed();
        specialised.identity.name = current.definition.identity.name;
        json adjustments = json::array();
        QStringList changes;
        for (const TraitAdjustment &a : s.adjustments) {
            adjustments.push_back({{"trait", a.trait.toStdString()},
                                   {"delta", a.delta},
                                   {"reason", a.reason.toStdString()}});
            if (a.delta != 0)
                changes << a.trait % u' ' % (a.delta > 0 ? QStringLiteral("+") : QString()) %
                               QString::number(a.delta);
        }
        const json learning = {{"op", "specialize"},
                               {"domain", m_options.domain.toStdString()},
                               {"adjustments", adjustments},
                               {"knowledge_domains", s.knowledgeDomains}};
        const QString note =
            QStringLiteral("specialised for %1 before training%2")
                .arg(m_options.domain,
                     changes.isEmpty() ? QString() : QStringLiteral(": ") % changes.join(u", "));
        const AgentVersion v = agents.update(m_agentId, specialised, note, learning);
        // A second starting point beside the clone, not a replacement: both are scored on
        // validation before the first cycle, and the optimiser goes on from whichever is
        // better (a specialisation is a proposal like any other; validation decides).
        Candidate start;
        start.definition = v.definition;
        start.why = note;
        start.change =
            ReflectiveOptimiser::traitChange(current.definition.traits, v.definition.traits);
        start.versionId = v.id;
        record["candidate"] = m_optimiser->addStart(std::move(start));
        record["version"] = v.id.toStdString();
        record["adjustments"] = adjustments;
        record["knowledge_domains"] = s.knowledgeDomains;
    }
    m_optimiser->chargeCalls(static_cast<int>(s.callIds.size()));
    m_run.config["specialization"] = record;
    m_run.config["checkpoint"] = m_optimiser->toJson();
    EntityStore(m_ws).put(m_run);
    tx.commit();
    checkpoint(*m_optimiser);
}

QCoro::Task<json> TrainingSession::run(CancelToken cancel)
{
    json report;
    try {
        if (!m_optimiser)
            throw ValidationError(QStringLiteral("run"), {},
                                  QStringLiteral("call prepare() or load() before run()"));
        EvolveRunnerSetup setup;
        setup.providerId = m_options.providerId;
        setup.model = m_options.model;
        setup.temperature = m_options.temperature;
        setup.runId = m_run.id;
        setup.jobId = m_run.id;
        setup.judge = *m_judge;
        setup.budget = remainingBudget();
        setup.calibration = calibrationContext();
        m_runner = std::make_unique<EvolveRunner>(m_client, m_templates, m_problems, setup);
        if (setup.budget && setup.budget->exhausted())
            m_optimiser->finish(QStringLiteral("budget"));
        m_run.state = TrainingRun::State::Running;
        m_run.finishedAt = {};
        m_wallBefore = m_run.config.value("wall_ms", qint64{0});
        m_wall.start();
        m_run.config["owner"] = RunOwner::current();
        m_run.config.erase("report");
        EntityStore(m_ws).put(m_run);

        const CancelSource stop = cancel.child(); // cancel, or stopRequested after a unit
        QString stopKind;
        DriveOutcome outcome;
        // A run from a role template is specialised for its domain before the first cycle.
        if (m_run.config.value("specialize", false) && !m_run.config.contains("specialization"))
            co_await specializeStart(stop.token());
        // A round of variations interrupted by a kill is finished first.
        if (const json &rounds = m_run.config.value("variation_rounds", json::array());
            !rounds.empty() && !rounds.back().contains("added"))
            co_await variationRound(stop.token());
        for (;;) {
            // The drive pauses (cleanly, between units) when a round of variations is due.
            const CancelSource round = stop.token().child();
            bool variationsDue = false;
            DriveOptions options;
            options.cancel = round.token();
            options.checkpoint = [this, &stop, &stopKind, &round,
                                  &variationsDue](const Optimiser &o) {
                checkpoint(o);
                if (m_options.stopRequested && stopKind.isEmpty()) {
                    const QString asked = m_options.stopRequested();
                    if (asked == u"stop" || asked == u"pause") {
                        stopKind = asked;
                        stop.cancel();
                        return;
                    }
                }
                if (m_options.variationEvery > 0 && !o.finished() &&
                    o.cycles() - lastVariationCycle() >= m_options.variationEvery) {
                    variationsDue = true;
                    round.cancel();
                }
            };
            const DriveOutcome part = co_await drive(*m_optimiser, *m_runner, options);
            outcome.ok = part.ok;
            outcome.error = part.error;
            outcome.tasks += part.tasks;
            outcome.engineCpuNs += part.engineCpuNs;
            if (!part.ok || !variationsDue || stop.isCancelled())
                break;
            co_await variationRound(stop.token());
            // Ratings the person gave meanwhile (the inbox) reach the judge from here on.
            m_runner->setCalibration(calibrationContext());
        }
        m_timings.engineCpuNs += outcome.engineCpuNs;
        m_timings.tasks += outcome.tasks;
        checkpoint(*m_optimiser);
        if (outcome.ok && (stopKind == u"pause" || (cancel.isCancelled() && stopKind.isEmpty()))) {
            // Paused, or cancelled from outside (the app closing): resumable, no report yet.
            m_run.state =
                stopKind == u"pause" ? TrainingRun::State::Paused : TrainingRun::State::Cancelled;
            m_run.config.erase("owner");
            EntityStore(m_ws).put(m_run);
            co_return json{{"run_id", m_run.id.toStdString()},
                           {"ok", true},
                           {"finish_reason", stopKind == u"pause" ? "paused" : "cancelled"},
                           {"cycles", m_optimiser->cycles()},
                           {"calls_used", m_optimiser->budget().used},
                           {"budget_calls", m_optimiser->budget().maxCalls}};
        }
        const json test = co_await testReport(cancel);

        const std::vector<Candidate> &all = m_optimiser->candidates();
        const int best = m_optimiser->best();
        const QStringList &validation = m_optimiser->split().validation;
        auto describe = [&](int id) {
            const Candidate &c = all[static_cast<size_t>(id)];
            json j = {{"candidate", id},
                      {"version_id", c.versionId.toStdString()},
                      {"op", c.op.toStdString()},
                      {"validation_mean", c.meanOver(validation).value_or(0.0)},
                      {"traits", c.definition.toJson()["traits"]},
                      {"instructions", c.definition.instructions}};
            if (!m_options.settings.targets.empty()) {
                json metrics = json::object();
                for (const auto &[name, target] : m_options.settings.targets)
                    metrics[name.toStdString()] =
                        PersonalityEvolution::metric(c, name, validation).value_or(0.0);
                j["metrics"] = metrics;
            }
            if (m_options.landscapeSeed) {
                const simulated::FitnessLandscape landscape(*m_options.landscapeSeed);
                j["landscape_quality"] =
                    landscape.quality(c.definition.traits, c.definition.instructions).q;
            }
            return j;
        };
        int accepted = 0;
        for (const Candidate &c : all)
            if (!Optimiser::isStart(c) && c.accepted && c.scoredOn(validation))
                ++accepted; // learnt (the starting points are not)
        report = {{"run_id", m_run.id.toStdString()},
                  {"optimizer", m_optimiser->kind().toStdString()},
                  {"agent_id", m_agentId.toStdString()},
                  {"ok", outcome.ok},
                  {"finish_reason", !outcome.ok ? std::string("error")
                                    : stopKind == u"stop"
                                        ? std::string("stopped")
                                        : m_optimiser->finishReason().toStdString()},
                  {"cycles", m_optimiser->cycles()},
                  {"candidates", all.size()},
                  {"accepted", accepted},
                  {"calls_used", m_optimiser->budget().used},
                  {"budget_calls", m_optimiser->budget().maxCalls},
                  {"split",
                   {{"train", m_optimiser->split().train.size()},
                    {"validation", validation.size()},
                    {"test", m_optimiser->split().test.size()}}},
                  {"start", describe(0)},
                  {"best", describe(best)},
                  {"test", test}};
        if (m_options.landscapeSeed)
            report["landscape_quality"] = report["best"]["landscape_quality"];
        if (m_run.config.contains("specialization")) {
            json sp = m_run.config["specialization"];
            // The specialised start's validation mean beside the clone's: which one the search
            // went on from.
            if (const int id = sp.value("candidate", -1);
                id > 0 && id < static_cast<int>(all.size()))
                if (const auto mean = all[static_cast<size_t>(id)].meanOver(validation)) {
                    sp["validation_mean"] = *mean;
                    sp["better_than_clone"] =
                        *mean > all.front().meanOver(validation).value_or(0.0);
                }
            report["specialization"] = sp;
        }
        if (m_run.config.contains("group"))
            report["group"] = m_run.config["group"];
        if (const auto *personality =
                dynamic_cast<const PersonalityEvolution *>(m_optimiser.get())) {
            report["targets"] = m_options.settings.targetsJson();
            json pareto = json::array();
            for (const int id : personality->paretoSet())
                pareto.push_back(describe(id));
            report["pareto"] = pareto;
        }
        if (!outcome.ok)
            report["error"] = outcome.error.toStdString();
        m_run.state = outcome.ok ? (stopKind == u"stop" ? TrainingRun::State::Cancelled
                                                        : TrainingRun::State::Finished)
                                 : TrainingRun::State::Failed;
        m_run.finishedAt = jsonio::nowUtc();
        m_run.config["report"] = report;
        m_run.config.erase("owner");
        EntityStore(m_ws).put(m_run);
    } catch (const std::exception &e) {
        report = {{"run_id", m_run.id.toStdString()}, {"ok", false}, {"error", e.what()}};
        try {
            if (!m_run.id.isEmpty() && m_run.state == TrainingRun::State::Running) {
                m_run.state = TrainingRun::State::Failed;
                m_run.config.erase("owner");
                m_run.config["error"] = e.what();
                EntityStore(m_ws).put(m_run);
            }
        } catch (const std::exception &) {
            // The workspace itself failed: the report carries the first error.
        }
    }
    co_return report;
}

} // namespace crucible::evolve
