#include "core/evaluate/solvejob.h"

#include "core/llm/pricetable.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"

#include <cmath>

namespace crucible {

using nlohmann::json;

namespace {

// Problems named directly, then the dataset's members, without repeats.
QStringList resolveProblems(Workspace &ws, const json &params, const char *datasetKey)
{
    QStringList ids = jsonio::stringsAt(params, "problems");
    const QString datasetId = QString::fromStdString(params.value(datasetKey, std::string()));
    if (!datasetId.isEmpty()) {
        const auto d = DatasetRepository(ws).get(datasetId);
        if (!d)
            throw ValidationError(QStringLiteral("--dataset"), datasetId,
                                  QStringLiteral("no dataset with this id; list them with "
                                                 "`crucible-cli datasets WS list`"));
        for (const QString &id : d->problemIds)
            if (!ids.contains(id))
                ids << id;
    }
    ids.removeDuplicates();
    return ids;
}

} // namespace

json SolveJob::normalize(Workspace &ws, json params)
{
    if (!params.is_object())
        throw ValidationError(QStringLiteral("params"), {}, QStringLiteral("must be an object"));
    const QStringList problems = resolveProblems(ws, params, "dataset_id");
    if (problems.isEmpty())
        throw ValidationError(QStringLiteral("--problem"), {},
                              QStringLiteral("no problems to solve: pass --problem ID or "
                                             "--dataset ID (with at least one problem)"));
    ProblemRepository repo(ws);
    for (const QString &id : problems)
        if (!repo.contains(id))
            throw ValidationError(QStringLiteral("--problem"), id,
                                  QStringLiteral("no problem with this id; list them with "
                                                 "`crucible-cli problems WS`"));
    json teams = json::array();
    for (const auto &t : params.value("teams", json::array())) {
        const SolveTeam team = SolveTeam::fromJson(t);
        SolvePipeline::validateTeam(ws, team);
        teams.push_back(team.toJson());
    }
    if (teams.empty())
        throw ValidationError(QStringLiteral("--agent"), {},
                              QStringLiteral("name at least one generator agent (--agent ID)"));
    params["problems"] = problems;
    params["teams"] = teams;
    const int concurrency = params.value("concurrency", 8);
    if (concurrency < 1 || concurrency > 256)
        throw ValidationError(QStringLiteral("--concurrency"), QString::number(concurrency),
                              QStringLiteral("must be 1 to 256"));
    return params;
}

QString SolveJob::create(Workspace &ws, json params)
{
    JobRecord job;
    job.id = jsonio::newId("job");
    job.kind = QString::fromLatin1(kKind);
    job.params = normalize(ws, std::move(params));
    job.total = static_cast<qint64>(job.params["problems"].size() * job.params["teams"].size());
    job.status = JobStatus::Running;
    JobRepository(ws).create(job);
    return job.id;
}

GenerationEstimate SolveJob::estimate(Workspace &ws, const json &params,
                                      const PromptTemplates &templates, const PriceTable &prices,
                                      const ProviderConfig &provider, const QString &model)
{
    constexpr double kCharsPerToken = 4.0;
    constexpr int kSchemaTokens = 200;
    const int maxTokens = params.value("max_tokens", 1500);
    const int answerTokens = std::min(600, maxTokens);
    const int critiqueTokens = std::min(450, maxTokens);
    GenerationEstimate e;
    ProblemRepository repo(ws);
    for (const auto &pid : params.value("problems", json::array())) {
        const auto problem = repo.get(QString::fromStdString(pid.get<std::string>()));
        if (!problem)
            continue;
        const json ctx = SolvePipeline::problemContext(*problem);
        auto tokensOf = [&](const QString &id, json c) {
            const RenderedPrompt p = templates.render(id, c);
            return static_cast<qint64>(std::ceil(p.text.size() / kCharsPerToken)) + kSchemaTokens;
        };
        const std::string answer(static_cast<std::size_t>(answerTokens * kCharsPerToken), 'x');
        const std::string critique(static_cast<std::size_t>(critiqueTokens * kCharsPerToken), 'x');
        for (const auto &t : params.value("teams", json::array())) {
            const SolveTeam team = SolveTeam::fromJson(t);
            auto system = [&ws](const QString &id) -> qint64 {
                const auto a = findSolverAgent(ws, id);
                return a ? static_cast<qint64>(std::ceil(a->systemPrompt.size() / kCharsPerToken))
                         : 0;
            };
            e.calls += 1;
            e.tokensIn += tokensOf(QStringLiteral("solve.generate"), ctx) + system(team.generator);
            e.tokensOut += answerTokens;
            if (!team.critic.isEmpty()) {
                json c = ctx;
                c["solution"] = answer;
                e.calls += 1;
                e.tokensIn += tokensOf(QStringLiteral("solve.critique"), c) + system(team.critic);
                e.tokensOut += critiqueTokens;
            }
            if (!team.refiner.isEmpty()) {
                json c = ctx;
                c["solution"] = answer;
                c["critique"] = critique;
                e.calls += 1;
                e.tokensIn += tokensOf(QStringLiteral("solve.refine"), c) + system(team.refiner);
                e.tokensOut += answerTokens;
            }
        }
    }
    e.costUsd = prices.costFor(provider, model, e.tokensIn, e.tokensOut);
    return e;
}

std::vector<UnitJob::PlannedUnit> SolveJob::plan(const JobRecord &job)
{
    std::vector<PlannedUnit> units;
    const json &teams = job.params.value("teams", json::array());
    for (const auto &pid : job.params.value("problems", json::array()))
        for (const auto &t : teams) {
            const SolveTeam team = SolveTeam::fromJson(t);
            units.push_back({team.key(), {{"problem_id", pid}, {"team", t}}});
        }
    return units;
}

QCoro::Task<UnitJob::UnitOutcome> SolveJob::runUnit(JobUnit unit)
{
    UnitOutcome out;
    const QString problemId = QString::fromStdString(unit.input.value("problem_id", std::string()));
    std::optional<Problem> problem;
    try {
        problem = ProblemRepository(workspace()).get(problemId);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
        co_return out;
    }
    if (!problem) {
        out.error = QStringLiteral("problem %1 no longer exists").arg(problemId);
        co_return out;
    }
    const SolveTeam team = SolveTeam::fromJson(unit.input.value("team", json::object()));
    SolvePipeline pipeline(workspace(), client(), templates());
    const QString key = jobId() + u'/' + QString::number(unit.unit);
    auto makeSpec = [this, unit](const RenderedPrompt &prompt, const QString &system,
                                 const json &schema, const QString &schemaName, int salt) {
        return callSpec(prompt, system, schema, schemaName, unit, salt);
    };
    const SolveOutcome r = co_await pipeline.run(*problem, team, key, jobId(), makeSpec);
    out.ok = r.ok;
    out.error = r.error;
    out.llmError = r.llmError;
    out.tally = r.tally;
    // A finished unit lists everything it stands for, stored now or by an earlier run; a
    // failed one what it stored (a resumed run completes it).
    QStringList solutions = r.newSolutions;
    QStringList critiques = r.newCritiques;
    if (r.ok) {
        solutions = QStringList{r.solutionId};
        if (!r.refinedId.isEmpty())
            solutions << r.refinedId;
        critiques.clear();
        if (!r.critiqueId.isEmpty())
            critiques << r.critiqueId;
    }
    if (!solutions.isEmpty())
        out.entities[QStringLiteral("solution")] = solutions;
    if (!critiques.isEmpty())
        out.entities[QStringLiteral("critique")] = critiques;
    out.extra = {{"solution_id", r.solutionId.toStdString()},
                 {"critique_id", r.critiqueId.toStdString()},
                 {"refined_id", r.refinedId.toStdString()},
                 {"final_solution_id", r.finalSolutionId().toStdString()}};
    co_return out;
}

} // namespace crucible
