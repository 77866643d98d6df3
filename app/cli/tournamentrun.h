#pragma once
// Runs a tournament job from the CLI (tournament, and resume of a tournament job): progress bar
// on a terminal, then the ratings with their 95 % intervals, or the summary as JSON.

#include "app/cli/console.h"

#include <QString>

#include <memory>

namespace crucible {
class LlmClient;
class PromptTemplates;
class TournamentSolver;
class Workspace;
} // namespace crucible

namespace crucible::cli {

// The solver a CLI tournament makes missing solutions with.
std::shared_ptr<TournamentSolver> makeCliTournamentSolver(Workspace &ws, LlmClient &client,
                                                          const PromptTemplates &templates);

// Runs job `jobId` (new or resumed) to its end; 0 only when it completed.
int runTournamentJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId);

} // namespace crucible::cli
