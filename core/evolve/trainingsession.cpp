#include "core/evolve/trainingsession.h"

#include "core/evaluate/solveragent.h"
#include "core/evolve/personalityevolution.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/agentrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

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

void TrainingSession::prepare()
{
    if (m_options.domain.trimmed().isEmpty())
        throw ValidationError(QStringLiteral("--domain"), {},
                              QStringLiteral("name the domain whose problems to train on"));
    if (!Optimiser::kinds().contains(m_options.optimizer))
        throw ValidationError(QStringLiteral("--optimizer"), m_options.optimizer,
                              QStringLiteral("must be one of ") %
                                  Optimiser::kinds().join(QStringLiteral(", ")));
    if (m_options.optimizer == PersonalityEvolution::kKind && m_options.settings.targets.empty())
        throw ValidationError(QStringLiteral("--target"), {},
                              QStringLiteral("personality evolution needs target metrics, e.g. "
                                             "--target success=0.9 --target tokens=600"));
    if (m_options.settings.maxCalls <= 0 && m_options.settings.maxCycles <= 0 &&
        !m_options.budgetTokens && !m_options.budgetUsd)
        throw ValidationError(QStringLiteral("--budget-calls"), QStringLiteral("0"),
                              QStringLiteral("an unbounded run needs --cycles, --budget-tokens or "
                                             "--budget-usd"));
    // The problems and their split.
    ProblemRepository problems(m_ws);
    ProblemFilter filter;
    filter.domain = m_options.domain;
    filter.datasetId = m_options.datasetId;
    QStringList ids;
    std::map<QString, Problem> byId;
    for (const ProblemSummary &s : problems.page(filter, 0, m_options.maxProblems)) {
        if (auto p = problems.get(s.id)) {
            ids << s.id;
            byId.emplace(s.id, std::move(*p));
        }
    }
    if (ids.size() < 6)
        throw ValidationError(
            QStringLiteral("--domain"), m_options.domain,
            QStringLiteral("has %1 problem(s)%2; training needs at least 6 (train, validation and "
                           "held-out test): generate or import more with `crucible-cli generate` "
                           "or `crucible-cli import`")
                .arg(ids.size())
                .arg(m_options.datasetId.isEmpty()
                         ? QString()
                         : QStringLiteral(" in dataset ") % m_options.datasetId));
    const DataSplit split = DataSplit::make(ids, m_options.settings.seed);

    // The agents.
    AgentRepository agents(m_ws, m_templates);
    agents.ensureTemplates();
    const AgentVersion start = m_options.agent.isEmpty()
                                   ? agents.require(QStringLiteral("agt_tpl_generator"))
                                   : agents.require(m_options.agent);
    std::optional<SolverAgent> judge = m_options.judge.isEmpty()
                                           ? newestAgentWithRole(m_ws, agentrole::evaluator)
                                           : findSolverAgent(m_ws, m_options.judge);
    if (!judge)
        throw ValidationError(QStringLiteral("--judge"), m_options.judge,
                              QStringLiteral("no evaluator agent found; pass an agent id (list "
                                             "them with `crucible-cli agents WS list`)"));
    requireRole(*judge, agentrole::evaluator, QStringLiteral("--judge"));

    m_run.id = m_options.runId.isEmpty() ? jsonio::newId("trn") : m_options.runId;
    Agent trained = start.definition;
    trained.identity.name =
        start.definition.identity.name % QStringLiteral(" (trained, ") % m_run.id % u')';
    const AgentVersion clone =
        agents.clone(start.id, trained,
                     QStringLiteral("training run %1 starts from this version").arg(m_run.id));
    m_agentId = clone.agentId;

    m_optimiser = Optimiser::make(m_options.optimizer, clone.definition, split, m_options.settings);
    m_optimiser->setVersionId(0, clone.id);

    EvolveRunnerSetup setup;
    setup.providerId = m_options.providerId;
    setup.model = m_options.model;
    setup.temperature = m_options.temperature;
    setup.runId = m_run.id;
    setup.jobId = m_run.id;
    setup.judge = *judge;
    if (m_options.budgetTokens || m_options.budgetUsd) {
        setup.budget = std::make_shared<LlmBudget>();
        setup.budget->maxTokens = m_options.budgetTokens;
        setup.budget->maxUsd = m_options.budgetUsd;
    }
    m_runner = std::make_unique<EvolveRunner>(m_client, m_templates, std::move(byId), setup);

    m_run.name = QStringLiteral("train %1 (%2)").arg(start.name(), m_options.optimizer);
    m_run.datasetId = m_options.datasetId;
    m_run.state = TrainingRun::State::Running;
    m_run.cyclesPlanned = m_options.settings.maxCycles;
    m_run.createdAt = jsonio::nowUtc();
    m_run.config = {{"optimizer", m_options.optimizer.toStdString()},
                    {"domain", m_options.domain.toStdString()},
                    {"start_version", start.id.toStdString()},
                    {"agent_id", m_agentId.toStdString()},
                    {"judge_version", judge->versionId.toStdString()},
                    {"split", split.toJson()},
                    {"settings", m_options.settings.toJson()},
                    {"provider", m_options.providerId.toStdString()}};
    if (m_options.budgetTokens)
        m_run.config["budget_tokens"] = *m_options.budgetTokens;
    if (m_options.budgetUsd)
        m_run.config["budget_usd"] = *m_options.budgetUsd;
    if (m_options.landscapeSeed)
        m_run.config["landscape_seed"] = *m_options.landscapeSeed;
    m_run.config["checkpoint"] = m_optimiser->toJson();
    EntityStore(m_ws).put(m_run);
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
    Workspace::Transaction tx(m_ws);
    storeAcceptedVersions();
    m_run.cyclesDone = m_optimiser->cycles();
    if (m_run.cyclesPlanned > 0)
        m_run.cyclesDone = std::min(m_run.cyclesDone, m_run.cyclesPlanned);
    m_run.metrics = m_optimiser->history();
    m_run.config["checkpoint"] = m_optimiser->toJson();
    EntityStore(m_ws).put(m_run);
    tx.commit();
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

QCoro::Task<json> TrainingSession::run(CancelToken cancel)
{
    json report;
    try {
        DriveOptions options;
        const CancelSource stop = cancel.child(); // cancel, or stopRequested after a unit
        options.cancel = stop.token();
        options.checkpoint = [this, &stop](const Optimiser &o) {
            checkpoint(o);
            if (m_options.stopRequested && m_options.stopRequested())
                stop.cancel();
        };
        const DriveOutcome outcome = co_await drive(*m_optimiser, *m_runner, options);
        m_timings.engineCpuNs += outcome.engineCpuNs;
        m_timings.tasks += outcome.tasks;
        checkpoint(*m_optimiser);
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
            if (c.id != 0 && c.accepted && c.scoredOn(validation))
                ++accepted;
        report = {{"run_id", m_run.id.toStdString()},
                  {"optimizer", m_optimiser->kind().toStdString()},
                  {"agent_id", m_agentId.toStdString()},
                  {"ok", outcome.ok},
                  {"finish_reason", !outcome.ok ? std::string("error")
                                    : stop.isCancelled()
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
        m_run.state = outcome.ok ? (stop.isCancelled() ? TrainingRun::State::Cancelled
                                                       : TrainingRun::State::Finished)
                                 : TrainingRun::State::Failed;
        m_run.finishedAt = jsonio::nowUtc();
        m_run.config["report"] = report;
        EntityStore(m_ws).put(m_run);
    } catch (const std::exception &e) {
        report = {{"run_id", m_run.id.toStdString()}, {"ok", false}, {"error", e.what()}};
    }
    co_return report;
}

} // namespace crucible::evolve
