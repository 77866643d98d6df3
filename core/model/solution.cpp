#include "core/model/solution.h"

namespace crucible {

using nlohmann::json;

QString toString(SolutionStage s)
{
    return s == SolutionStage::Refine ? QStringLiteral("refine") : QStringLiteral("solve");
}

std::optional<SolutionStage> solutionStageFromString(const QString &s)
{
    if (s == QLatin1String("solve"))
        return SolutionStage::Solve;
    if (s == QLatin1String("refine"))
        return SolutionStage::Refine;
    return std::nullopt;
}

json SolutionBody::toJson() const
{
    return {{"approach", approach.toStdString()},
            {"steps", steps},
            {"final_answer", finalAnswer.toStdString()},
            {"assumptions", assumptions}};
}

SolutionBody SolutionBody::fromJson(const json &j, const QString &path)
{
    jsonio::requireObject(j, path);
    SolutionBody b;
    b.approach = jsonio::optionalString(j, "approach", path);
    b.steps = jsonio::optionalStringList(j, "steps", path);
    b.finalAnswer = jsonio::optionalString(j, "final_answer", path);
    b.assumptions = jsonio::optionalStringList(j, "assumptions", path);
    return b;
}

QString Solution::toText() const
{
    QString out;
    if (!body.approach.trimmed().isEmpty())
        out += QStringLiteral("Approach: ") + body.approach.trimmed() + u'\n';
    if (!body.steps.isEmpty()) {
        out += QStringLiteral("Steps:\n");
        for (int i = 0; i < body.steps.size(); ++i)
            out += QStringLiteral("%1. %2\n").arg(i + 1).arg(body.steps[i].trimmed());
    }
    if (!body.finalAnswer.trimmed().isEmpty())
        out += QStringLiteral("Final answer: ") + body.finalAnswer.trimmed() + u'\n';
    if (!body.assumptions.isEmpty()) {
        out += QStringLiteral("Assumptions:\n");
        for (const QString &a : body.assumptions)
            out += QStringLiteral("- ") + a.trimmed() + u'\n';
    }
    return out.trimmed();
}

std::vector<ValidationIssue> Solution::validate() const
{
    std::vector<ValidationIssue> issues;
    if (!id.startsWith(QLatin1String("sol_")))
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must start with sol_")});
    if (problemId.trimmed().isEmpty())
        issues.push_back({QStringLiteral("problem_id"), {}, QStringLiteral("must not be empty")});
    if (agentVersionId.trimmed().isEmpty())
        issues.push_back(
            {QStringLiteral("agent_version_id"), {}, QStringLiteral("must not be empty")});
    if (stage == SolutionStage::Refine && refinedFrom.isEmpty())
        issues.push_back({QStringLiteral("refined_from"),
                          {},
                          QStringLiteral("a refined solution names the solution it refines")});
    if (stage == SolutionStage::Solve && !refinedFrom.isEmpty())
        issues.push_back({QStringLiteral("refined_from"), refinedFrom,
                          QStringLiteral("only stage refine refines another solution")});
    if (!refinedFrom.isEmpty() && refinedFrom == id)
        issues.push_back({QStringLiteral("refined_from"), refinedFrom,
                          QStringLiteral("must not be the solution's own id")});
    if (tokens < 0)
        issues.push_back(
            {QStringLiteral("tokens"), QString::number(tokens), QStringLiteral("must be >= 0")});
    return issues;
}

json Solution::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"problem_id", problemId.toStdString()},
              {"agent_version_id", agentVersionId.toStdString()},
              {"stage", toString(stage).toStdString()},
              {"body", body.toJson()},
              {"text_length", textLength()},
              {"call_ids", callIds},
              {"tokens", tokens},
              {"created_at", jsonio::formatTimestamp(createdAt).toStdString()}};
    j["cost_usd"] = costUsd ? json(*costUsd) : json(nullptr);
    if (!refinedFrom.isEmpty())
        j["refined_from"] = refinedFrom.toStdString();
    if (!critiqueId.isEmpty())
        j["critique_id"] = critiqueId.toStdString();
    if (!jobId.isEmpty())
        j["job_id"] = jobId.toStdString();
    return j;
}

Solution Solution::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Solution s;
    s.id = jsonio::requiredString(j, "id", {});
    s.problemId = jsonio::requiredString(j, "problem_id", {});
    s.agentVersionId = jsonio::requiredString(j, "agent_version_id", {});
    const QString stage = jsonio::optionalString(j, "stage", {}, QStringLiteral("solve"));
    const auto parsed = solutionStageFromString(stage);
    if (!parsed)
        throw ValidationError(QStringLiteral("stage"), stage,
                              QStringLiteral("must be solve or refine"));
    s.stage = *parsed;
    s.refinedFrom = jsonio::optionalString(j, "refined_from", {});
    s.critiqueId = jsonio::optionalString(j, "critique_id", {});
    s.jobId = jsonio::optionalString(j, "job_id", {});
    if (const auto it = j.find("body"); it != j.end())
        s.body = SolutionBody::fromJson(*it, QStringLiteral("body"));
    s.callIds = jsonio::optionalStringList(j, "call_ids", {});
    if (const auto it = j.find("cost_usd"); it != j.end() && it->is_number())
        s.costUsd = it->get<double>();
    s.tokens = static_cast<qint64>(jsonio::optionalDouble(j, "tokens", {}, 0));
    s.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    throwIfInvalid(s.validate());
    return s;
}

} // namespace crucible
