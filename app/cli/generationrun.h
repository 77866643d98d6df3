#pragma once
// Runs a generation job from the CLI (generate, resume, matrix --generate): progress bar on a
// terminal, then a summary line, or the ids created as JSON with --json.

#include "app/cli/console.h"

#include <QString>

namespace crucible {
struct GenerationSpec;
class LlmClient;
class Workspace;
} // namespace crucible

namespace crucible::cli {

// Runs job `jobId` (new or resumed) to its end; returns the exit code (0 only when the job
// completed).
// Checks every parameter of `spec` before anything is opened, called or written: prints each
// problem (field, value, rule, what to do) and returns ExitUsage (2), or 0 when it can run.
int refuseInvalidSpec(Console &console, const GenerationSpec &spec);

int runGenerationJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId);

} // namespace crucible::cli
