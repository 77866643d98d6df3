#pragma once
// One self-training run: its configuration, budget, state and per-cycle metrics (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>

namespace crucible {

struct TrainingRun
{
    enum class State { Created, Running, Paused, Finished, Failed, Cancelled };

    QString id;
    QString name;
    QString datasetId;
    State state = State::Created;
    int cyclesPlanned = 0;
    int cyclesDone = 0;
    nlohmann::json config = nlohmann::json::object(); // agents, budgets, selection settings
    nlohmann::json metrics = nlohmann::json::array(); // one object per finished cycle
    QDateTime createdAt;
    QDateTime finishedAt;

    static QString toString(State s);
    static std::optional<State> stateFromString(const QString &s);

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static TrainingRun fromJson(const nlohmann::json &j);

    bool operator==(const TrainingRun &) const = default;
};

} // namespace crucible
