#pragma once
// What `crucible-cli tournament` and `resume` print for a tournament job, on top of the engine
// job runner's summary: the tournament, its comparisons (ties, failed), tokens and USD per
// comparison, and the ratings with their 95 % intervals (JSON keys and a text table).

#include <QString>
#include <nlohmann/json.hpp>

namespace crucible {
class Workspace;
} // namespace crucible

namespace crucible::cli {

nlohmann::json tournamentDetails(Workspace &ws, const QString &jobId);
// Registers tournamentDetails with the engine job runner (idempotent).
void registerTournamentDetails();

} // namespace crucible::cli
