#pragma once
// Fixtures for solving and evaluation tests: agent versions made by the AgentRepository, and
// answers for the loopback server that fit the solution, critique and verdict schemas.

#include "core/store/workspace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace crucible::test {

// A new agent (rigor 70, its prompt rendered from the agent template) with one version; returns
// the version id (agv_…).
QString insertAgentVersion(Workspace &ws, const QString &role, const QString &name);
// Problems makeProblem(first) … makeProblem(first + n − 1) inserted; returns their ids.
QStringList insertProblems(Workspace &ws, int n, int first = 1);

// Loopback answers: a solution, a critique, or a verdict with every aspect the schema requires,
// from the json_schema name in the request; generationAnswer() for anything else.
// Deterministic for a request.
QByteArray solveAnswer(const nlohmann::json &request);

} // namespace crucible::test
