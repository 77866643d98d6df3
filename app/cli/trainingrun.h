#pragma once
// Runs a training job (TrainJob) from the CLI, new or resumed: Ctrl+C stops gracefully (the
// calls in flight finish, checkpoint, held-out report) and a second Ctrl+C aborts (the run
// keeps its last checkpoint and resumes); a progress line on stderr shows the cycle, the best
// validation quality, calls, spend and the ETA; then the report as text or JSON. Shared by
// `train` and `resume`.

#include "app/cli/console.h"

#include <QString>
#include <nlohmann/json.hpp>

namespace crucible {
class LlmClient;
class Workspace;
} // namespace crucible

namespace crucible::cli {

// Returns the exit code: 0 when the run finished (or was stopped) with its report. `report`
// receives the run's report; `print` false leaves printing it to the caller (a group of runs
// prints one summary).
int runTrainingJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId,
                   nlohmann::json *report = nullptr, bool print = true);

} // namespace crucible::cli
