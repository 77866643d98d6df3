#pragma once
// Agents and their immutable versions (schema 7: agents, agent_versions). Every change makes a
// new version row; a version row is never updated. Template agents are never modified, only
// cloned. Every write validates first and runs in one transaction, so a refused change writes
// nothing. Lives on the Workspace's thread.

#include "core/model/agentversion.h"
#include "core/store/workspace.h"

#include <memory>
#include <optional>
#include <vector>

namespace crucible {

class PromptTemplates;

// A row of the agents table with its head version's number.
struct AgentRecord
{
    QString id;
    QString role;
    QString name;
    bool isTemplate = false;
    bool archived = false;
    QString headVersionId;
    int headVersion = 0;
    QString clonedFrom; // the version id this agent was cloned from
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct AgentListOptions
{
    bool includeTemplates = true;
    bool includeArchived = false;
    QString role; // empty: every role
};

struct AgentCreateOptions
{
    QString id; // empty: a new agt_ id
    bool isTemplate = false;
    QString clonedFrom; // a version id; becomes version 1's parent too
    QString note;       // default "created" / "cloned from …"
};

class AgentRepository final
{
public:
    // Renders prompts with the built-in templates plus the user's overrides.
    explicit AgentRepository(Workspace &ws);
    AgentRepository(Workspace &ws, const PromptTemplates &templates);
    ~AgentRepository();

    // Creates an agent and its version 1. Throws ValidationError (bad role, name, unknown
    // trait, value out of range, unknown clonedFrom) with nothing written.
    AgentVersion create(const Agent &definition, const AgentCreateOptions &options = {});
    // Makes a new version of the agent when `definition` differs from its head; returns the
    // head unchanged otherwise. Refuses templates, archived agents and unknown agents.
    // `learning` (an object, or null) is the version's learning record (AgentVersion::learning).
    AgentVersion update(const QString &agentId, const Agent &definition, const QString &note = {},
                        const nlohmann::json &learning = {});
    // Sets some traits (others stay) in a new version; see update().
    AgentVersion setTraits(const QString &agentId, const std::map<QString, int> &traits,
                           const QString &note = {});
    // A new version copying the definition of one of the agent's earlier versions.
    AgentVersion restore(const QString &agentId, const QString &versionId);
    // A new agent whose version 1 is `definition`, cloned from the version `sourceVersionId`.
    AgentVersion clone(const QString &sourceVersionId, const Agent &definition,
                       const QString &note = {});
    // Hides an agent from lists (its versions stay for the solutions that use them).
    void archive(const QString &agentId, bool archived = true);

    std::optional<AgentRecord> agent(const QString &agentId) const;
    std::optional<AgentVersion> version(const QString &versionId) const;
    std::optional<AgentVersion> head(const QString &agentId) const;
    // The agent's versions, oldest first.
    std::vector<AgentVersion> versions(const QString &agentId) const;
    // The version and its ancestors through parent_version_id (across clones), newest first.
    std::vector<AgentVersion> lineage(const QString &versionId) const;
    // Sorted by role (generator, critic, refiner, evaluator, then others by name), templates
    // after the user's agents of a role, then by name.
    std::vector<AgentRecord> list(const AgentListOptions &options = {}) const;
    qint64 count(const AgentListOptions &options = {}) const;

    // What the user typed: an agent id (its head), a version id, "agt_…@N" (version N), or an
    // agent's exact name when it is unique. nullopt when nothing matches.
    std::optional<AgentVersion> resolve(const QString &text) const;
    // resolve() or a ValidationError that says what to do.
    AgentVersion require(const QString &text) const;

    // Installs the built-in template agents (resources/agents/*.json) that are missing; returns
    // how many were installed. Idempotent: installed templates are never touched again.
    int ensureTemplates();
    // The built-in templates' ids, from the resources.
    static QStringList templateIds();

    // Inserts versions as they are (ids, numbers and parents kept), for import: validated, one
    // transaction. The agent row is created when missing, from `record`.
    void insertImported(const AgentRecord &record, const std::vector<AgentVersion> &versions);
    // Several agents at once, all or nothing.
    void
    insertImportedAll(const std::vector<std::pair<AgentRecord, std::vector<AgentVersion>>> &agents);

    // Refuses unknown trait names, values outside 0..100, an empty name or a bad role.
    static void validate(const Agent &definition);

private:
    const PromptTemplates &templates();
    AgentVersion makeVersion(const QString &agentId, int number, const QString &parent,
                             const Agent &definition, const QString &note);
    void insertVersion(const AgentVersion &v);
    AgentRecord requireWritable(const QString &agentId) const;

    Workspace &m_ws;
    const PromptTemplates *m_templates = nullptr;
    std::unique_ptr<PromptTemplates> m_ownTemplates;
};

} // namespace crucible
