#pragma once
// A person's rating of one aspect of one solution (1–5, or none when skipped) with a note;
// one per (solution, aspect, rater), updated in place. Used for judge calibration. Value type.

#include "core/model/jsonsupport.h"

#include <QDateTime>

#include <optional>

namespace crucible {

struct HumanJudgment
{
    QString id; // hjd_…
    QString solutionId;
    QString aspect;
    std::optional<int> rating; // 1..5; unset = skipped
    QString note;
    QString rater;
    QDateTime createdAt;
    QDateTime updatedAt;

    bool skipped() const { return !rating.has_value(); }

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static HumanJudgment fromJson(const nlohmann::json &j);
    bool operator==(const HumanJudgment &) const = default;
};

} // namespace crucible
