#include "core/model/trainingrun.h"

namespace crucible {

using nlohmann::json;

namespace {
const QStringList &stateNames()
{
    static const QStringList names{QStringLiteral("created"), QStringLiteral("running"),
                                   QStringLiteral("paused"),  QStringLiteral("finished"),
                                   QStringLiteral("failed"),  QStringLiteral("cancelled")};
    return names;
}
} // namespace

QString TrainingRun::toString(State s)
{
    return stateNames().at(static_cast<int>(s));
}

std::optional<TrainingRun::State> TrainingRun::stateFromString(const QString &s)
{
    const qsizetype i = stateNames().indexOf(s.trimmed().toLower());
    if (i < 0)
        return std::nullopt;
    return static_cast<State>(i);
}

std::vector<ValidationIssue> TrainingRun::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (cyclesPlanned < 0)
        issues.push_back({QStringLiteral("cycles_planned"), QString::number(cyclesPlanned),
                          QStringLiteral("must not be negative")});
    if (cyclesDone < 0 || (cyclesPlanned > 0 && cyclesDone > cyclesPlanned))
        issues.push_back({QStringLiteral("cycles_done"), QString::number(cyclesDone),
                          QStringLiteral("must be between 0 and cycles_planned")});
    if (!config.is_object())
        issues.push_back({QStringLiteral("config"), jsonio::describe(config),
                          QStringLiteral("must be an object")});
    if (!metrics.is_array())
        issues.push_back({QStringLiteral("metrics"), jsonio::describe(metrics),
                          QStringLiteral("must be an array")});
    return issues;
}

json TrainingRun::toJson() const
{
    return {{"id", id.toStdString()},
            {"name", name.toStdString()},
            {"dataset_id", datasetId.toStdString()},
            {"state", toString(state).toStdString()},
            {"cycles_planned", cyclesPlanned},
            {"cycles_done", cyclesDone},
            {"config", config},
            {"metrics", metrics},
            {"created_at", jsonio::formatTimestamp(createdAt).toStdString()},
            {"finished_at", jsonio::formatTimestamp(finishedAt).toStdString()}};
}

TrainingRun TrainingRun::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    TrainingRun r;
    r.id = jsonio::requiredString(j, "id", {});
    r.name = jsonio::optionalString(j, "name", {});
    r.datasetId = jsonio::optionalString(j, "dataset_id", {});
    const QString state = jsonio::optionalString(j, "state", {}, QStringLiteral("created"));
    if (const auto s = stateFromString(state))
        r.state = *s;
    else
        throw ValidationError(QStringLiteral("state"), state,
                              QStringLiteral("must be one of ") + stateNames().join(u'|'));
    r.cyclesPlanned = jsonio::optionalInt(j, "cycles_planned", {}, 0);
    r.cyclesDone = jsonio::optionalInt(j, "cycles_done", {}, 0);
    if (const auto it = j.find("config"); it != j.end() && !it->is_null())
        r.config = *it;
    if (const auto it = j.find("metrics"); it != j.end() && !it->is_null())
        r.metrics = *it;
    r.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    r.finishedAt = jsonio::optionalTimestamp(j, "finished_at", {});
    throwIfInvalid(r.validate());
    return r;
}

} // namespace crucible
