#pragma once
// What the GUI asks the EvaluationEngine to start: a job of a registered kind (solve, evaluate,
// tournament; see enginejobkinds.h) with the kind's parameters, and the provider and model that
// answer its calls. A plain value sent across threads by queued calls.

#include <QMetaType>
#include <QString>
#include <nlohmann/json.hpp>

namespace crucible {

struct EngineJobRequest
{
    QString kind;                                     // jobs.kind, e.g. "solve"
    nlohmann::json params = nlohmann::json::object(); // the kind's parameters
    QString providerId;                               // empty: the first provider ready
    QString model;                                    // empty: the provider's default model
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::EngineJobRequest)
