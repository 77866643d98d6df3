#include "core/model/agent.h"

namespace crucible {

using nlohmann::json;

const QStringList &agentRoleNames()
{
    static const QStringList names{QStringLiteral("Generator"), QStringLiteral("Critic"),
                                   QStringLiteral("Refiner"), QStringLiteral("Evaluator")};
    return names;
}

QString toString(AgentRole r)
{
    return agentRoleNames().at(static_cast<int>(r));
}

std::optional<AgentRole> agentRoleFromString(const QString &s)
{
    for (qsizetype i = 0; i < agentRoleNames().size(); ++i)
        if (agentRoleNames()[i].compare(s.trimmed(), Qt::CaseInsensitive) == 0)
            return static_cast<AgentRole>(i);
    return std::nullopt;
}

std::vector<ValidationIssue> Agent::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (identity.name.trimmed().isEmpty())
        issues.push_back(
            {QStringLiteral("identity.name"), {}, QStringLiteral("must not be empty")});
    for (const auto &[trait, value] : personality) {
        if (trait.trimmed().isEmpty())
            issues.push_back({QStringLiteral("personality"),
                              {},
                              QStringLiteral("trait names must not be empty")});
        if (value < 0 || value > 100)
            issues.push_back({QStringLiteral("personality.") + trait, QString::number(value),
                              QStringLiteral("must be an integer from 0 to 100")});
    }
    if (version < 1)
        issues.push_back({QStringLiteral("version"), QString::number(version),
                          QStringLiteral("must be at least 1")});
    if (!clonedFrom.isEmpty() && clonedFrom == id)
        issues.push_back({QStringLiteral("cloned_from"), clonedFrom,
                          QStringLiteral("must not be the agent's own id")});
    return issues;
}

json Agent::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["role"] = toString(role);
    j["identity"] = {{"name", identity.name.toStdString()},
                     {"specialization", identity.specialization.toStdString()},
                     {"description", identity.description.toStdString()}};
    json traits = json::object();
    for (const auto &[trait, value] : personality)
        traits[trait.toStdString()] = value;
    j["personality"] = traits;
    j["communication_style"] = communicationStyle;
    j["knowledge_domains"] = knowledgeDomains;
    j["is_template"] = isTemplate;
    if (!clonedFrom.isEmpty())
        j["cloned_from"] = clonedFrom;
    j["version"] = version;
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    return j;
}

Agent Agent::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Agent a;
    a.id = jsonio::requiredString(j, "id", {});
    const QString role = jsonio::requiredString(j, "role", {});
    if (const auto r = agentRoleFromString(role))
        a.role = *r;
    else
        throw ValidationError(QStringLiteral("role"), role,
                              QStringLiteral("must be one of ") + agentRoleNames().join(u'|'));
    if (const auto it = j.find("identity"); it != j.end()) {
        jsonio::requireObject(*it, QStringLiteral("identity"));
        a.identity.name = jsonio::optionalString(*it, "name", QStringLiteral("identity"));
        a.identity.specialization =
            jsonio::optionalString(*it, "specialization", QStringLiteral("identity"));
        a.identity.description =
            jsonio::optionalString(*it, "description", QStringLiteral("identity"));
    }
    if (const auto it = j.find("personality"); it != j.end() && !it->is_null()) {
        jsonio::requireObject(*it, QStringLiteral("personality"));
        for (const auto &[trait, v] : it->items()) {
            const QString field = QStringLiteral("personality.") + QString::fromStdString(trait);
            if (!v.is_number_integer())
                throw ValidationError(field, jsonio::describe(v),
                                      QStringLiteral("must be an integer from 0 to 100"));
            a.personality[QString::fromStdString(trait)] = v.get<int>();
        }
    }
    a.communicationStyle = jsonio::optionalString(j, "communication_style", {});
    a.knowledgeDomains = jsonio::optionalStringList(j, "knowledge_domains", {});
    a.isTemplate = jsonio::optionalBool(j, "is_template", {}, false);
    a.clonedFrom = jsonio::optionalString(j, "cloned_from", {});
    a.version = jsonio::optionalInt(j, "version", {}, 1);
    a.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    throwIfInvalid(a.validate());
    return a;
}

} // namespace crucible
