#include "core/evaluate/evaluatejob.h"

#include "core/evaluate/qualityverifier.h"
#include "core/evaluate/rubric.h"
#include "core/feedback/judgecalibration.h"
#include "core/feedback/judgechoice.h"
#include "core/feedback/judgeconsensus.h"
#include "core/llm/pricetable.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"

#include <cmath>

namespace crucible {

using nlohmann::json;

json EvaluateJob::normalize(Workspace &ws, json params)
{
    if (!params.is_object())
        throw ValidationError(QStringLiteral("params"), {}, QStringLiteral("must be an object"));
    SolutionRepository solutions(ws);
    QStringList ids = jsonio::stringsAt(params, "solutions");
    for (const QString &id : ids)
        if (!solutions.contains(id))
            throw ValidationError(QStringLiteral("--solution"), id,
                                  QStringLiteral("no solution with this id; solve a problem "
                                                 "first (`crucible-cli solve`)"));
    const QString datasetId = QString::fromStdString(params.value("dataset_id", std::string()));
    if (!datasetId.isEmpty()) {
        const auto d = DatasetRepository(ws).get(datasetId);
        if (!d)
            throw ValidationError(QStringLiteral("--dataset"), datasetId,
                                  QStringLiteral("no dataset with this id; list them with "
                                                 "`crucible-cli datasets WS list`"));
        for (const QString &pid : d->problemIds)
            for (const Solution &s : solutions.byProblem(pid))
                ids << s.id;
    }
    ids.removeDuplicates();
    if (ids.isEmpty())
        throw ValidationError(QStringLiteral("--solution"), {},
                              QStringLiteral("no solutions to evaluate: pass --solution ID or a "
                                             "--dataset whose problems have solutions"));
    QStringList judges;
    for (const QString &j : jsonio::stringsAt(params, "judges")) {
        const auto agent = findSolverAgent(ws, j);
        if (!agent)
            throw ValidationError(QStringLiteral("--judge"), j,
                                  QStringLiteral("no agent or agent version with this id; list "
                                                 "them with `crucible-cli agents WS list`"));
        requireRole(*agent, QStringLiteral("evaluator"), QStringLiteral("--judge"));
        judges << agent->versionId;
    }
    QStringList aspects = jsonio::stringsAt(params, "aspects");
    if (aspects.isEmpty())
        aspects = Rubric::defaultAspects();
    QStringList parsed;
    if (const auto error = Rubric::parseAspects(aspects.join(u','), parsed))
        throw ValidationError(QStringLiteral("--aspects"), aspects.join(u','), *error);
    // None named: the evaluator that agrees best with people on these aspects (kept as
    // "judge_choice" for the summary); a named judge is never replaced.
    if (judges.isEmpty() && !params.value("checks_only", false)) {
        JudgeChoiceOptions options;
        options.aspects = parsed;
        if (const auto choice = chooseJudge(ws, options)) {
            judges << choice->versionId;
            params["judge_choice"] = choice->toJson();
        }
    } else if (params.contains("judge_choice") &&
               judges !=
                   QStringList{jsonio::stringOr(params["judge_choice"], "judge_version_id")}) {
        params.erase("judge_choice");
    }
    judges.removeDuplicates();
    const int budget = params.value("length_budget", CheckOptions{}.lengthBudget);
    if (budget < 100)
        throw ValidationError(QStringLiteral("--length-budget"), QString::number(budget),
                              QStringLiteral("must be at least 100 characters"));
    params["solutions"] = ids;
    params["judges"] = judges;
    params["aspects"] = parsed;
    params["length_budget"] = budget;
    const int examples = params.value("calibration_examples", kCalibrationExamples);
    if (examples < 0 || examples > 20)
        throw ValidationError(QStringLiteral("--calibration-examples"), QString::number(examples),
                              QStringLiteral("give 0 (none) to 20 human ratings per judge prompt"));
    params["calibration_examples"] = examples;
    const QString choice =
        QString::fromStdString(params.value("calibration_choice", std::string("anchors")));
    if (!JudgeCalibration::choiceFromString(choice))
        throw ValidationError(QStringLiteral("calibration_choice"), choice,
                              QStringLiteral("give anchors or largest_gap"));
    params["calibration_choice"] = choice.toStdString();
    params.erase("dataset_id_resolved");
    return params;
}

QString EvaluateJob::create(Workspace &ws, json params)
{
    JobRecord job;
    job.id = jsonio::newId("job");
    job.kind = QString::fromLatin1(kKind);
    job.params = normalize(ws, std::move(params));
    const auto judges = job.params["judges"].size();
    job.total =
        static_cast<qint64>(job.params["solutions"].size() * std::max<std::size_t>(1, judges));
    job.status = JobStatus::Running;
    JobRepository(ws).create(job);
    return job.id;
}

GenerationEstimate EvaluateJob::estimate(Workspace &ws, const json &params,
                                         const PromptTemplates &templates, const PriceTable &prices,
                                         const ProviderConfig &provider, const QString &model)
{
    constexpr double kCharsPerToken = 4.0;
    constexpr int kSchemaTokens = 250;
    GenerationEstimate e;
    const QStringList judges = jsonio::stringsAt(params, "judges");
    if (judges.isEmpty())
        return e; // checks only: no calls
    QStringList aspects = jsonio::stringsAt(params, "aspects");
    const qint64 outPerCall =
        std::min<qint64>(params.value("max_tokens", 1500), 80 + 90 * aspects.size());
    SolutionRepository solutions(ws);
    ProblemRepository problems(ws);
    for (const QString &id : jsonio::stringsAt(params, "solutions")) {
        const auto s = solutions.get(id);
        if (!s)
            continue;
        const auto p = problems.get(s->problemId);
        if (!p)
            continue;
        const Rubric rubric = Rubric::compile(*p, aspects);
        json ctx = SolvePipeline::problemContext(*p);
        ctx["rubric"] = rubric.text.toStdString();
        ctx["rubric_version"] = rubric.version.toStdString();
        ctx["solution"] = s->toText().toStdString();
        ctx["aspect_list"] = aspects.join(QStringLiteral(", ")).toStdString();
        const RenderedPrompt prompt = templates.render(QStringLiteral("evaluate.solution"), ctx);
        for (const QString &j : judges) {
            const auto judge = findSolverAgent(ws, j);
            const qint64 system = judge ? judge->systemPrompt.size() : 0;
            e.calls += 1;
            e.tokensIn +=
                static_cast<qint64>(std::ceil((prompt.text.size() + system) / kCharsPerToken)) +
                kSchemaTokens;
            e.tokensOut += outPerCall;
        }
    }
    e.costUsd = prices.costFor(provider, model, e.tokensIn, e.tokensOut);
    return e;
}

std::vector<UnitJob::PlannedUnit> EvaluateJob::plan(const JobRecord &job)
{
    std::vector<PlannedUnit> units;
    QStringList judges = jsonio::stringsAt(job.params, "judges");
    if (judges.isEmpty())
        judges << QString(); // checks only
    for (const QString &s : jsonio::stringsAt(job.params, "solutions"))
        for (const QString &j : judges)
            units.push_back({j.isEmpty() ? QStringLiteral("checks") : j,
                             {{"solution_id", s.toStdString()}, {"judge", j.toStdString()}}});
    return units;
}

QCoro::Task<UnitJob::UnitOutcome> EvaluateJob::runUnit(JobUnit unit)
{
    UnitOutcome out;
    const QString solutionId =
        QString::fromStdString(unit.input.value("solution_id", std::string()));
    const QString judgeId = QString::fromStdString(unit.input.value("judge", std::string()));
    std::optional<Solution> solution;
    std::optional<Problem> problem;
    try {
        solution = SolutionRepository(workspace()).get(solutionId);
        if (solution)
            problem = ProblemRepository(workspace()).get(solution->problemId);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
        co_return out;
    }
    if (!solution || !problem) {
        out.error = QStringLiteral("solution %1 (or its problem) no longer exists").arg(solutionId);
        co_return out;
    }
    CheckOptions options;
    options.lengthBudget = params().value("length_budget", options.lengthBudget);
    const QStringList aspects = jsonio::stringsAt(params(), "aspects");
    QualityVerifier verifier(workspace(), client(), templates());
    verifier.setCalibrationExamples(params().value("calibration_examples", kCalibrationExamples),
                                    params().value("calibration_choice", std::string("anchors")) ==
                                        "largest_gap");
    const QString verdictId =
        jobsupport::derivedId("vrd", jobId() + u'/' + QString::number(unit.unit));
    auto makeSpec = [this, unit](const RenderedPrompt &prompt, const QString &system,
                                 const json &schema, const QString &schemaName, int salt) {
        return callSpec(prompt, system, schema, schemaName, unit, salt);
    };
    const VerifyOutcome r = co_await verifier.verify(*solution, *problem, aspects, options, judgeId,
                                                     verdictId, jobId(), makeSpec);
    out.tally = r.tally;
    out.llmError = r.llmError;
    if (!r.stored) {
        out.error = r.verdict.error.isEmpty() ? r.llmError.message : r.verdict.error;
        co_return out;
    }
    // A failed verdict is a result too (recorded, never scored): the unit is done.
    out.ok = true;
    out.entities[QStringLiteral("verdict")] = QStringList{r.verdict.id};
    out.extra = {{"verdict_id", r.verdict.id.toStdString()},
                 {"status", toString(r.verdict.status).toStdString()}};
    if (r.verdict.overall)
        out.extra["overall"] = *r.verdict.overall;
    co_return out;
}

json EvaluateJob::consensusReport(Workspace &ws, const QString &jobId)
{
    const JudgeConsensus consensus = JudgeConsensus::fromWorkspace(ws);
    json report = json::array();
    for (const auto &[solutionId, c] :
         consensus.overallBySolution(VerdictRepository(ws).byJob(jobId))) {
        json row = c.toJson();
        row["solution_id"] = solutionId.toStdString();
        report.push_back(std::move(row));
    }
    return report;
}

json EvaluateJob::agreementReport(Workspace &ws, const QString &jobId)
{
    json report = json::array();
    VerdictRepository verdicts(ws);
    std::map<QString, std::vector<Verdict>> bySolution;
    for (Verdict &v : verdicts.byJob(jobId))
        bySolution[v.solutionId].push_back(std::move(v));
    for (const auto &[solutionId, list] : bySolution) {
        const JudgeAgreement a = QualityVerifier::agreement(list);
        if (a.judges < 2)
            continue;
        report.push_back({{"solution_id", solutionId.toStdString()},
                          {"judges", a.judges},
                          {"agreement", a.agreement},
                          {"max_spread", a.maxSpread},
                          {"aspect", a.widestAspect.toStdString()},
                          {"disagree", a.disagree()}});
    }
    return report;
}

} // namespace crucible
