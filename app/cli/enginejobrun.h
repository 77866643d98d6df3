#pragma once
// Runs an engine job of any registered kind (solve, evaluate, tournament) from the CLI: a
// progress bar on a terminal, then a summary, or the job's result as JSON with --json. Shared
// by `solve`, `evaluate`, `tournament` and `resume`.

#include "app/cli/console.h"

#include <QString>
#include <functional>
#include <nlohmann/json.hpp>

namespace crucible {
class LlmClient;
class Workspace;
struct GenerationEstimate;
} // namespace crucible

namespace crucible::cli {

// Runs job `jobId` (new or resumed) to its end; returns the exit code (0 only when the job
// completed). A job that did not complete prints how to resume it.
int runEngineJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId);

// Prints an estimate (calls, tokens, USD) as text or JSON.
void printEstimate(Console &console, const GenerationEstimate &estimate);

// Kind-specific details for the JSON result and the text summary (e.g. the verdicts of an
// evaluate job). Registered by kind; the tournament adds its own.
using EngineJobDetails = std::function<nlohmann::json(Workspace &, const QString &jobId)>;
void registerEngineJobDetails(const QString &kind, EngineJobDetails details);

} // namespace crucible::cli
