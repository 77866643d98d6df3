#include "core/model/solution.h"

namespace crucible {

using nlohmann::json;

std::vector<ValidationIssue> Solution::validate() const
{
    std::vector<ValidationIssue> issues = scores.validate();
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (problemId.trimmed().isEmpty())
        issues.push_back({QStringLiteral("problem_id"), {}, QStringLiteral("must not be empty")});
    if (!refinedFrom.isEmpty() && refinedFrom == id)
        issues.push_back({QStringLiteral("refined_from"), refinedFrom,
                          QStringLiteral("must not be the solution's own id")});
    return issues;
}

json Solution::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["problem_id"] = problemId;
    j["agent_id"] = agentId;
    j["content"] = content;
    if (!refinedFrom.isEmpty())
        j["refined_from"] = refinedFrom;
    if (!trainingRunId.isEmpty())
        j["training_run_id"] = trainingRunId;
    j["scores"] = scores.toJson();
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    if (!metadata.empty())
        j["metadata"] = metadata;
    return j;
}

Solution Solution::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Solution s;
    s.id = jsonio::requiredString(j, "id", {});
    s.problemId = jsonio::requiredString(j, "problem_id", {});
    s.agentId = jsonio::optionalString(j, "agent_id", {});
    s.content = jsonio::optionalString(j, "content", {});
    s.refinedFrom = jsonio::optionalString(j, "refined_from", {});
    s.trainingRunId = jsonio::optionalString(j, "training_run_id", {});
    if (const auto it = j.find("scores"); it != j.end() && !it->is_null())
        s.scores = QualityScores::fromJson(*it);
    s.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    if (const auto it = j.find("metadata"); it != j.end() && !it->is_null())
        s.metadata = *it;
    throwIfInvalid(s.validate());
    return s;
}

} // namespace crucible
