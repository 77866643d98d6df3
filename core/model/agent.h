#pragma once
// An LLM agent: role, identity, personality traits (0-100) and lineage (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>
#include <map>
#include <optional>

namespace crucible {

enum class AgentRole { Generator, Critic, Refiner, Evaluator };

QString toString(AgentRole r);
std::optional<AgentRole> agentRoleFromString(const QString &s);
const QStringList &agentRoleNames();

struct AgentIdentity
{
    QString name;
    QString specialization;
    QString description;
    bool operator==(const AgentIdentity &) const = default;
};

struct Agent
{
    QString id;
    AgentRole role = AgentRole::Generator;
    AgentIdentity identity;
    std::map<QString, int> personality; // trait -> 0..100
    QString communicationStyle;
    QStringList knowledgeDomains;
    bool isTemplate = false;
    QString clonedFrom; // empty for originals
    int version = 1;
    QDateTime createdAt;

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Agent fromJson(const nlohmann::json &j);

    bool operator==(const Agent &) const = default;
};

} // namespace crucible
