#pragma once
// Scores of a solution per aspect (0..1) with the evaluator's rationale (value type).

#include "core/model/jsonsupport.h"

#include <map>

namespace crucible {

struct AspectScore
{
    double score = 0.0; // 0..1
    QString rationale;
    bool operator==(const AspectScore &) const = default;
};

struct QualityScores
{
    std::map<QString, AspectScore> aspects; // correctness, completeness, efficiency, novelty, ...

    double mean() const;
    std::vector<ValidationIssue> validate(const QString &path = QStringLiteral("scores")) const;
    nlohmann::json toJson() const;
    static QualityScores fromJson(const nlohmann::json &j,
                                  const QString &path = QStringLiteral("scores"));

    bool operator==(const QualityScores &) const = default;
};

} // namespace crucible
