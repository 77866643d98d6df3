#pragma once
// An agent's definition as one immutable version stores it (agent_versions.doc): role, identity,
// personality traits (0-100), communication style and knowledge domains. A value type.

#include "core/model/jsonsupport.h"

#include <map>

namespace crucible {

// The built-in roles, lower-case; a user-defined role is any other slug (agentRoleIsValid).
namespace agentrole {
inline const QString generator = QStringLiteral("generator");
inline const QString critic = QStringLiteral("critic");
inline const QString refiner = QStringLiteral("refiner");
inline const QString evaluator = QStringLiteral("evaluator");
} // namespace agentrole

const QStringList &builtInAgentRoles(); // generator, critic, refiner, evaluator
// A lower-case slug: a letter, then letters, digits, '-' or '_' (at most 40 characters).
bool agentRoleIsValid(const QString &role);
// Lower-cases and trims a role the user typed ("Critic " -> "critic").
QString normalizedAgentRole(const QString &role);

struct AgentIdentity
{
    QString name;
    QString specialization;
    QString description;
    bool operator==(const AgentIdentity &) const = default;
};

// The words for the two ends of a user-defined trait ("impatient" / "patient").
struct TraitMarkers
{
    QString low;
    QString high;
    bool operator==(const TraitMarkers &) const = default;
};

struct Agent
{
    static constexpr int kMaxInstructions = 60;
    static constexpr int kMaxInstructionLength = 400;

    QString role = agentrole::generator;
    AgentIdentity identity;
    std::map<QString, int> traits; // trait name -> 0..100
    QString communicationStyle;
    QStringList knowledgeDomains;
    // Markers of traits the built-in catalogue does not know; stored as "custom_traits" only
    // when there are any.
    std::map<QString, TraitMarkers> customTraits;
    // The instruction section: lessons the agent follows, one short imperative each ("State
    // every assumption before the first step"). Learnt by self-training or written by the user;
    // rendered into the system prompt. Stored as "instructions" only when there are any, so
    // definitions without them keep their JSON (and fingerprints).
    QStringList instructions;

    // Structure only (role slug, name, 0..100, trait names, instructions non-empty and at most
    // kMaxInstructions of at most kMaxInstructionLength characters); whether a trait name is known
    // is checked against the catalogue by AgentValidator.
    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    // Throws ValidationError naming the field.
    static Agent fromJson(const nlohmann::json &j);

    bool operator==(const Agent &) const = default;
};

} // namespace crucible
