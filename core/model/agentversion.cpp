#include "core/model/agentversion.h"

namespace crucible {

using nlohmann::json;

json AgentVersion::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"agent_id", agentId.toStdString()},
              {"version", version},
              {"parent_version_id", parentVersionId.toStdString()},
              {"definition", definition.toJson()},
              {"system_prompt", systemPrompt.toStdString()},
              {"prompt_template", promptTemplate.toStdString()},
              {"note", note.toStdString()},
              {"created_at", jsonio::formatTimestamp(createdAt).toStdString()}};
    if (!learning.is_null())
        j["learning"] = learning;
    return j;
}

AgentVersion AgentVersion::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    AgentVersion v;
    v.id = jsonio::requiredString(j, "id", {});
    v.agentId = jsonio::requiredString(j, "agent_id", {});
    v.version = jsonio::optionalInt(j, "version", {}, 1);
    if (v.version < 1)
        throw ValidationError(QStringLiteral("version"), QString::number(v.version),
                              QStringLiteral("must be at least 1"));
    v.parentVersionId = jsonio::optionalString(j, "parent_version_id", {});
    const auto def = j.find("definition");
    if (def == j.end())
        throw ValidationError(QStringLiteral("definition"), {},
                              QStringLiteral("is required (the agent's role, identity, traits…)"));
    try {
        v.definition = Agent::fromJson(*def);
    } catch (const ValidationError &e) {
        std::vector<ValidationIssue> issues = e.issues();
        for (auto &issue : issues)
            issue.field = QStringLiteral("definition.") + issue.field;
        throw ValidationError(std::move(issues));
    }
    v.systemPrompt = jsonio::optionalString(j, "system_prompt", {});
    v.promptTemplate = jsonio::optionalString(j, "prompt_template", {});
    v.note = jsonio::optionalString(j, "note", {});
    v.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    if (const auto it = j.find("learning"); it != j.end() && !it->is_null()) {
        jsonio::requireObject(*it, QStringLiteral("learning"));
        v.learning = *it;
    }
    return v;
}

} // namespace crucible
