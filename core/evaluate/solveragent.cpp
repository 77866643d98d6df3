#include "core/evaluate/solveragent.h"

#include "core/model/validationerror.h"
#include "core/store/workspace.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT v.id, v.agent_id, a.name, a.role, v.version, v.system_prompt, v.doc FROM "
    "agent_versions v JOIN agents a ON a.id = v.agent_id ");

SolverAgent read(const QSqlQuery &q)
{
    SolverAgent a;
    a.versionId = q.value(0).toString();
    a.agentId = q.value(1).toString();
    a.name = q.value(2).toString();
    a.role = q.value(3).toString().toLower();
    a.version = q.value(4).toInt();
    a.systemPrompt = q.value(5).toString();
    const auto doc = nlohmann::json::parse(q.value(6).toString().toStdString(), nullptr, false);
    if (doc.is_object()) {
        if (const auto it = doc.find("role"); it != doc.end() && it->is_string())
            a.role = QString::fromStdString(it->get<std::string>()).toLower();
        if (const auto id = doc.find("identity"); id != doc.end() && id->is_object())
            if (const auto n = id->find("name");
                n != id->end() && n->is_string() && !n->get<std::string>().empty())
                a.name = QString::fromStdString(n->get<std::string>());
    }
    return a;
}

} // namespace

std::optional<SolverAgent> findSolverAgent(Workspace &ws, const QString &id)
{
    QSqlQuery q = ws.prepare(kSelect + QStringLiteral("WHERE v.id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading agent version %1").arg(id));
    if (q.next())
        return read(q);
    QSqlQuery head = ws.prepare(
        kSelect + QStringLiteral("WHERE v.agent_id = ? ORDER BY (v.id = a.head_version_id) "
                                 "DESC, v.version DESC LIMIT 1"));
    head.addBindValue(id);
    Workspace::execPrepared(head, QStringLiteral("Reading agent %1").arg(id));
    if (head.next())
        return read(head);
    return std::nullopt;
}

std::optional<SolverAgent> newestAgentWithRole(Workspace &ws, const QString &role)
{
    QSqlQuery q = ws.prepare(kSelect + QStringLiteral("WHERE lower(a.role) = ? AND a.archived = 0 "
                                                      "ORDER BY a.is_template ASC, v.seq DESC "
                                                      "LIMIT 1"));
    q.addBindValue(role.toLower());
    Workspace::execPrepared(q, QStringLiteral("Looking for an agent with role %1").arg(role));
    if (q.next())
        return read(q);
    return std::nullopt;
}

std::vector<SolverAgent> agentsWithRole(Workspace &ws, const QString &role)
{
    QSqlQuery q = ws.prepare(kSelect + QStringLiteral("WHERE lower(a.role) = ? AND a.archived = 0 "
                                                      "AND v.id = a.head_version_id ORDER BY "
                                                      "a.is_template ASC, a.name"));
    q.addBindValue(role.toLower());
    Workspace::execPrepared(q, QStringLiteral("Listing the %1 agents").arg(role));
    std::vector<SolverAgent> out;
    while (q.next())
        out.push_back(read(q));
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
