#pragma once
// An agent's answer to a problem, with its scores and refinement lineage (value type).

#include "core/model/qualityscores.h"

#include <QDateTime>

namespace crucible {

struct Solution
{
    QString id;
    QString problemId;
    QString agentId;
    QString content;
    QString refinedFrom; // empty for first attempts
    QString trainingRunId;
    QualityScores scores;
    QDateTime createdAt;
    nlohmann::json metadata = nlohmann::json::object();

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Solution fromJson(const nlohmann::json &j);

    bool operator==(const Solution &) const = default;
};

} // namespace crucible
