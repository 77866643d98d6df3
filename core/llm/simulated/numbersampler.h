#pragma once
// Numbers for the Simulated provider's sampler: within minimum/maximum (exclusive or not) and
// multipleOf, near the range the property name suggests (a score 1-10, a probability 0-1, a
// year, a price), rounded as such values are.

#include "core/llm/simulated/rng.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace crucible::simulated {

// A number (an integer when `integer`) the bounds and multipleOf of `m` allow, for a property
// named `hint`; nullopt with `why` when there is none.
std::optional<nlohmann::json> sampleNumber(const nlohmann::json &m, bool integer,
                                           const std::string &hint, Rng &rng, std::string &why);

} // namespace crucible::simulated
