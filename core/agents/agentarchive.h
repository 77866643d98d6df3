#pragma once
// Agent definitions as a JSON file with every version, importable into another workspace with
// ids, version numbers and lineage intact ("crucible-agents" format 1). Uses the repository on
// its thread.

#include "core/store/agentrepository.h"

#include <nlohmann/json.hpp>

namespace crucible {

struct AgentImportSummary
{
    int agentsAdded = 0;
    int versionsAdded = 0;
    int agentsSkipped = 0; // already present with all their versions
    QStringList messages;  // one line per skipped or partly added agent
};

class AgentArchive final
{
public:
    static inline const QString kFormat = QStringLiteral("crucible-agents");
    static constexpr int kFormatVersion = 1;

    // {"format", "format_version", "exported_at", "agents": [{"id", "role", "name",
    //  "is_template", "archived", "cloned_from", "created_at", "head_version_id",
    //  "versions": [AgentVersion::toJson()...]}]}
    static nlohmann::json exportAgents(const AgentRepository &repo,
                                       const AgentListOptions &options = {});
    // Adds the agents and versions the workspace does not have yet, in one transaction; a file
    // that is not an agents export, or an invalid definition, throws ValidationError naming the
    // agent and field, with nothing written.
    static AgentImportSummary importAgents(AgentRepository &repo, const nlohmann::json &file);

    static nlohmann::json recordToJson(const AgentRecord &r);
};

} // namespace crucible
