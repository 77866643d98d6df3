#pragma once
// The exact agent version a solving or judging stage runs as: its id, agent, role and the
// rendered system prompt that goes in the system message. Read-only lookups on the Workspace's
// thread.

#include "core/llm/chattypes.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

class Workspace;

struct SolverAgent
{
    QString versionId; // agv_…
    QString agentId;   // agt_…
    QString name;
    QString role; // generator, critic, refiner, evaluator or a user-defined slug
    int version = 0;
    QString systemPrompt;
    AgentContext context; // goes with every call the version makes (ChatRequest::agent)
};

struct AgentVersion;
// The request context of an agent version: its id, role, traits and instructions.
AgentContext agentContextOf(const AgentVersion &version);

// `id` is an agent version id, or an agent id (its head version is used). Unknown ids give
// nullopt.
std::optional<SolverAgent> findSolverAgent(Workspace &ws, const QString &id);
// The newest version of the newest agent with this role, if any (for evaluators: the judge when
// none was named and no evaluator is calibrated; chooseJudge in core/feedback decides).
std::optional<SolverAgent> newestAgentWithRole(Workspace &ws, const QString &role);

// The head versions of the agents with this role (not archived), templates last, by name.
std::vector<SolverAgent> agentsWithRole(Workspace &ws, const QString &role);

// Checks that `agent` may play `slot` (generator, critic, refiner, evaluator): an agent with one
// of those four roles only plays its own; a user-defined role may play any. Throws
// ValidationError naming the option, the agent and what to pass instead.
void requireRole(const SolverAgent &agent, const QString &slot, const QString &option);

} // namespace crucible
