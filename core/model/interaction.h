#pragma once
// A multi-turn conversation about a problem between roles, stored as a transcript (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>
#include <vector>

namespace crucible {

struct InteractionTurn
{
    QString role;    // e.g. "user", "assistant", or an agent id
    QString speaker; // display name
    QString content;
    bool operator==(const InteractionTurn &) const = default;
};

struct Interaction
{
    QString id;
    QString problemId;
    std::vector<InteractionTurn> turns;
    QString stopReason; // turn_limit, goal_reached, repetition, ...
    QDateTime createdAt;
    nlohmann::json metadata = nlohmann::json::object();

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Interaction fromJson(const nlohmann::json &j);

    bool operator==(const Interaction &) const = default;
};

} // namespace crucible
