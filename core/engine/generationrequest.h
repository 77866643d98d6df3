#pragma once
// What the GUI asks the GenerationEngine to start: the spec and, for a matrix, the covering
// array a person already saw (so those rows become the problems). A plain value sent across
// threads by queued calls.

#include "core/generate/generationspec.h"

#include <QMetaType>
#include <nlohmann/json.hpp>

#include <optional>

namespace crucible {

struct GenerationRequest
{
    GenerationSpec spec; // an empty provider means the first one ready, an empty model its default
    // A matrix's plan as GenerationJob::matrixPlan() makes it; absent: the engine plans it.
    std::optional<nlohmann::json> matrixPlan;
};

} // namespace crucible

Q_DECLARE_METATYPE(crucible::GenerationRequest)
