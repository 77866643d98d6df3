#pragma once
// RunOwner: which process is running a training run, so that a run whose process died (killed,
// crashed, the machine rebooted) is told apart from one still running elsewhere. The owner is
// the process id, its start time (so a recycled pid does not look alive) and the host; a run
// records it while it runs and drops it when it ends. Any thread.

#include <nlohmann/json.hpp>

namespace crucible::evolve {

namespace RunOwner {

// This process: {"pid", "started", "host"}.
nlohmann::json current();
// Whether the process `owner` describes is running now. An owner on another host cannot be
// checked and counts as alive; an empty or malformed owner counts as gone.
bool alive(const nlohmann::json &owner);
// Whether `owner` is this process.
bool isCurrent(const nlohmann::json &owner);

} // namespace RunOwner

} // namespace crucible::evolve
