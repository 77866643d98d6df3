#include "core/evaluate/solveragent.h"

#include "core/model/validationerror.h"
#include "core/store/agentrepository.h"
#include "core/store/workspace.h"

#include <algorithm>

namespace crucible {

namespace {

SolverAgent fromVersion(const AgentVersion &v)
{
    SolverAgent a;
    a.versionId = v.id;
    a.agentId = v.agentId;
    a.name = v.name();
    a.role = v.role().toLower();
    a.version = v.version;
    a.systemPrompt = v.systemPrompt;
    a.context = agentContextOf(v);
    return a;
}

} // namespace

AgentContext agentContextOf(const AgentVersion &version)
{
    AgentContext c;
    c.versionId = version.id;
    c.role = version.role().toLower();
    c.traits = version.definition.traits;
    c.instructions = version.definition.instructions;
    return c;
}

std::optional<SolverAgent> findSolverAgent(Workspace &ws, const QString &id)
{
    const AgentRepository repo(ws);
    if (const auto v = repo.version(id))
        return fromVersion(*v);
    if (const auto v = repo.head(id))
        return fromVersion(*v);
    return std::nullopt;
}

std::optional<SolverAgent> newestAgentWithRole(Workspace &ws, const QString &role)
{
    const AgentRepository repo(ws);
    AgentListOptions options;
    options.role = role.toLower();
    const std::vector<AgentRecord> agents = repo.list(options);
    // The user's own agents before templates; among them the one changed last.
    const auto best = std::min_element(agents.begin(), agents.end(),
                                       [](const AgentRecord &a, const AgentRecord &b) {
                                           if (a.isTemplate != b.isTemplate)
                                               return !a.isTemplate;
                                           return a.updatedAt > b.updatedAt;
                                       });
    if (best == agents.end())
        return std::nullopt;
    if (const auto v = repo.head(best->id))
        return fromVersion(*v);
    return std::nullopt;
}

std::vector<SolverAgent> agentsWithRole(Workspace &ws, const QString &role)
{
    const AgentRepository repo(ws);
    AgentListOptions options;
    options.role = role.toLower();
    std::vector<SolverAgent> out;
    for (const AgentRecord &r : repo.list(options)) // user's agents first, templates last
        if (const auto v = repo.head(r.id))
            out.push_back(fromVersion(*v));
    return out;
}

void requireRole(const SolverAgent &agent, const QString &slot, const QString &option)
{
    static const QStringList standard = {QStringLiteral("generator"), QStringLiteral("critic"),
                                         QStringLiteral("refiner"), QStringLiteral("evaluator")};
    if (agent.role == slot || !standard.contains(agent.role))
        return;
    throw ValidationError(option, agent.versionId,
                          QStringLiteral("%1 is a %2, not a %3; pass an agent with role %3 "
                                         "(list them with `crucible-cli agents WS list`)")
                              .arg(agent.name, agent.role, slot));
}

} // namespace crucible
