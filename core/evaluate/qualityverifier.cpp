#include "core/evaluate/qualityverifier.h"

#include "core/feedback/judgecalibration.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace crucible {

using nlohmann::json;

namespace {
constexpr int kSaltJudge = 11;
} // namespace

QualityVerifier::QualityVerifier(Workspace &ws, LlmClient &client, const PromptTemplates &templates)
    : m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
}

json QualityVerifier::judgeSchema(const QStringList &aspects)
{
    json schema = jobsupport::schema("verdict");
    const json aspect = schema["definitions"]["aspect"];
    json &scores = schema["properties"]["scores"];
    scores["properties"] = json::object();
    scores["required"] = json::array();
    for (const QString &a : aspects) {
        scores["properties"][a.toStdString()] = aspect;
        scores["required"].push_back(a.toStdString());
    }
    schema.erase("definitions");
    schema.erase("description");
    return schema;
}

double QualityVerifier::overallOf(const QualityScores &scores)
{
    return scores.mean();
}

JudgeAgreement QualityVerifier::agreement(const std::vector<Verdict> &verdicts)
{
    JudgeAgreement a;
    std::map<QString, std::pair<double, double>> range; // aspect -> (min, max)
    std::set<QString> judges;
    for (const Verdict &v : verdicts) {
        if (!v.ok() || v.scores.aspects.empty())
            continue;
        judges.insert(v.judgeVersionId);
        for (const auto &[name, s] : v.scores.aspects) {
            auto it = range.find(name);
            if (it == range.end())
                range.emplace(name, std::make_pair(s.score, s.score));
            else
                it->second = {std::min(it->second.first, s.score),
                              std::max(it->second.second, s.score)};
        }
    }
    a.judges = static_cast<int>(judges.size());
    if (a.judges < 2 || range.empty())
        return a;
    double sum = 0;
    for (const auto &[name, mm] : range) {
        const double spread = mm.second - mm.first;
        sum += spread;
        if (spread > a.maxSpread) {
            a.maxSpread = spread;
            a.widestAspect = name;
        }
    }
    a.agreement = 1.0 - sum / static_cast<double>(range.size());
    return a;
}

Verdict QualityVerifier::deterministicVerdict(const Solution &solution, const Problem &problem,
                                              const Rubric &rubric,
                                              const CheckOptions &options) const
{
    Verdict v;
    v.solutionId = solution.id;
    v.rubricVersion = rubric.version;
    v.checks = solutionchecks::run(solution, problem, options);
    // Earlier solutions of the problem, without the drafts this one refines (a refinement is
    // meant to resemble its own draft).
    SolutionRepository repo(m_ws);
    QStringList ancestors;
    for (const Solution &s : repo.chain(solution.id))
        ancestors << s.id;
    std::vector<Solution> earlier;
    for (Solution &s : repo.byProblem(problem.id)) {
        if (s.id == solution.id)
            break; // byProblem is in insertion order
        if (!ancestors.contains(s.id))
            earlier.push_back(std::move(s));
    }
    v.novelty = solutionchecks::novelty(solution, earlier, options.shingleSize);
    return v;
}

QCoro::Task<VerifyOutcome> QualityVerifier::verify(Solution solution, Problem problem,
                                                   QStringList aspects, CheckOptions options,
                                                   QString judgeId, QString verdictId,
                                                   QString jobId,
                                                   SolvePipeline::CallSpecFactory makeSpec)
{
    VerifyOutcome out;
    try {
        VerdictRepository verdicts(m_ws);
        if (auto stored = verdicts.get(verdictId)) {
            out.verdict = std::move(*stored);
            out.stored = true;
            out.tally.callIds = out.verdict.callIds;
            out.tally.calls = static_cast<int>(out.verdict.callIds.size());
            out.tally.cost = out.verdict.costUsd;
            out.tally.tokensIn = out.verdict.tokens;
            co_return out;
        }
        if (aspects.isEmpty())
            aspects = Rubric::defaultAspects();
        const Rubric rubric = Rubric::compile(problem, aspects);
        if (judgeId.isEmpty()) {
            Verdict v = deterministicVerdict(solution, problem, rubric, options);
            v.id = verdictId;
            v.jobId = jobId;
            v.createdAt = jsonio::nowUtc();
            v.confidence = 1.0; // deterministic checks only
            verdicts.insert(v);
            out.verdict = std::move(v);
            out.stored = true;
            co_return out;
        }
        const auto judge = findSolverAgent(m_ws, judgeId);
        if (!judge)
            throw ValidationError(QStringLiteral("--judge"), judgeId,
                                  QStringLiteral("no agent version with this id"));
        json ctx = SolvePipeline::problemContext(problem);
        ctx["rubric"] = rubric.text.toStdString();
        ctx["rubric_version"] = rubric.version.toStdString();
        ctx["solution"] = solution.toText().toStdString();
        ctx["aspect_list"] = aspects.join(QStringLiteral(", ")).toStdString();
        QStringList calibrationIds;
        if (m_calibrationExamples > 0) {
            const std::vector<CalibrationExample> examples = JudgeCalibration(m_ws).examples(
                aspects, judge->versionId, m_calibrationExamples, solution.id,
                m_largestGapFirst ? JudgeCalibration::Choice::LargestGap
                                  : JudgeCalibration::Choice::Anchors);
            ctx.update(JudgeCalibration::examplesContext(examples));
            for (const CalibrationExample &e : examples)
                if (!calibrationIds.contains(e.solutionId))
                    calibrationIds << e.solutionId;
        }
        const RenderedPrompt prompt = m_templates.render(QStringLiteral("evaluate.solution"), ctx);
        if (!prompt.ok())
            throw ValidationError(QStringLiteral("template"), prompt.id, prompt.error);
        StructuredCallSpec spec = makeSpec(prompt, judge->systemPrompt, judgeSchema(aspects),
                                           QStringLiteral("verdict"), kSaltJudge);
        spec.call.request.agent = judge->context;
        StructuredCaller caller(m_client, m_templates);
        // The call goes out first; the deterministic checks and measured novelty run while
        // it is in flight (they do not depend on it), so their CPU is off the critical path.
        QCoro::Task<StructuredOutcome> pending = caller.call(std::move(spec));
        Verdict v;
        QString checksError;
        try {
            v = deterministicVerdict(solution, problem, rubric, options);
        } catch (const std::exception &e) {
            checksError = QString::fromUtf8(e.what());
        }
        const StructuredOutcome o = co_await std::move(pending);
        if (!checksError.isEmpty())
            throw std::runtime_error(checksError.toStdString());
        v.id = verdictId;
        v.jobId = jobId;
        v.judgeVersionId = judge->versionId;
        v.createdAt = jsonio::nowUtc();
        v.promptTemplate = QStringLiteral("%1@%2").arg(prompt.id).arg(prompt.version);
        v.calibrationIds = calibrationIds;
        out.tally.add(o);
        v.callIds = o.callIds;
        v.costUsd = o.costUsd;
        v.tokens = o.tokensIn + o.tokensOut;
        if (!o.ok()) {
            out.llmError = o.error;
            using K = LlmError::Kind;
            if (o.error.kind != K::InvalidOutput && o.error.kind != K::Truncated &&
                o.error.kind != K::Protocol) {
                // No answer to judge (cancelled, network, provider): not a verdict; the
                // unit runs again on resume.
                v.error = o.error.describe();
                out.verdict = v;
                co_return out;
            }
            v.status = Verdict::Status::Failed;
            QString why = o.error.message;
            if (!o.lastErrors.isEmpty())
                why += QStringLiteral(" (last answer: %1)")
                           .arg(o.lastErrors.join(QStringLiteral("; ")));
            v.error =
                QStringLiteral("judge %1 (%2) gave no valid verdict after %3 "
                               "repair(s): %4")
                    .arg(judge->name, judge->versionId)
                    .arg(o.repairs)
                    .arg(why.trimmed().isEmpty() ? QStringLiteral("no answer") : why.trimmed());
        } else {
            const json &answer = *o.value;
            for (const QString &a : aspects) {
                const json s =
                    answer.value("scores", json::object()).value(a.toStdString(), json::object());
                AspectScore score;
                score.score = std::clamp(s.value("score", 0.0), 0.0, 1.0);
                score.rationale = QString::fromStdString(s.value("rationale", std::string()));
                v.scores.aspects[a] = score;
            }
            v.overall = overallOf(v.scores);
            double confidence = std::clamp(answer.value("confidence", 0.5), 0.0, 1.0);
            // A judge that scores high where a check found the opposite is less credible.
            auto high = [&v](const char *aspect) {
                const auto it = v.scores.aspects.find(QString::fromLatin1(aspect));
                return it != v.scores.aspects.end() && it->second.score > 0.5;
            };
            auto failed = [&v](const char *check) {
                const auto it = v.checks.find(QString::fromLatin1(check));
                return it != v.checks.end() && !it->second.passed;
            };
            if ((high("correctness") &&
                 (failed("required_fields") || failed("constraints_addressed"))) ||
                (high("completeness") && failed("criteria_addressed")))
                confidence = std::min(confidence, 0.5);
            v.confidence = confidence;
        }
        verdicts.insert(v);
        out.verdict = std::move(v);
        out.stored = true;
    } catch (const ValidationError &e) {
        out.verdict.error = e.message();
    } catch (const std::exception &e) {
        out.verdict.error = QString::fromUtf8(e.what());
    }
    co_return out;
}

} // namespace crucible
