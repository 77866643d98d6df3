#include "core/agents/agentarchive.h"

#include <QStringBuilder>

namespace crucible {

using nlohmann::json;

json AgentArchive::recordToJson(const AgentRecord &r)
{
    return {{"id", r.id.toStdString()},
            {"role", r.role.toStdString()},
            {"name", r.name.toStdString()},
            {"is_template", r.isTemplate},
            {"archived", r.archived},
            {"cloned_from", r.clonedFrom.toStdString()},
            {"head_version_id", r.headVersionId.toStdString()},
            {"head_version", r.headVersion},
            {"created_at", jsonio::formatTimestamp(r.createdAt).toStdString()},
            {"updated_at", jsonio::formatTimestamp(r.updatedAt).toStdString()}};
}

json AgentArchive::exportAgents(const AgentRepository &repo, const AgentListOptions &options)
{
    json agents = json::array();
    for (const AgentRecord &r : repo.list(options)) {
        json a = recordToJson(r);
        json versions = json::array();
        for (const AgentVersion &v : repo.versions(r.id))
            versions.push_back(v.toJson());
        a["versions"] = versions;
        agents.push_back(a);
    }
    return {{"format", kFormat.toStdString()},
            {"format_version", kFormatVersion},
            {"exported_at", jsonio::formatTimestamp(jsonio::nowUtc()).toStdString()},
            {"agents", agents}};
}

AgentImportSummary AgentArchive::importAgents(AgentRepository &repo, const json &file)
{
    if (!file.is_object() || file.value("format", std::string()) != kFormat.toStdString())
        throw ValidationError(QStringLiteral("format"),
                              file.is_object() ? jsonio::describe(file.value("format", json()))
                                               : jsonio::describe(file),
                              QStringLiteral("must be \"crucible-agents\": this is not an agents "
                                             "export (make one with `crucible-cli agents WS "
                                             "export --out FILE`)"));
    if (file.value("format_version", 0) > kFormatVersion)
        throw ValidationError(QStringLiteral("format_version"),
                              QString::number(file.value("format_version", 0)),
                              QStringLiteral("is newer than this Crucible reads (%1); update "
                                             "Crucible")
                                  .arg(kFormatVersion));
    const auto list = file.find("agents");
    if (list == file.end() || !list->is_array())
        throw ValidationError(QStringLiteral("agents"), {}, QStringLiteral("must be a list"));

    // Read and check everything before writing anything.
    struct Entry
    {
        AgentRecord record;
        std::vector<AgentVersion> versions;
    };
    std::vector<Entry> entries;
    for (size_t i = 0; i < list->size(); ++i) {
        const json &a = (*list)[i];
        const QString path = QStringLiteral("agents[%1]").arg(i);
        jsonio::requireObject(a, path);
        Entry e;
        e.record.id = jsonio::requiredString(a, "id", path);
        e.record.role = jsonio::optionalString(a, "role", path);
        e.record.name = jsonio::optionalString(a, "name", path);
        e.record.isTemplate = jsonio::optionalBool(a, "is_template", path, false);
        e.record.archived = jsonio::optionalBool(a, "archived", path, false);
        e.record.clonedFrom = jsonio::optionalString(a, "cloned_from", path);
        e.record.createdAt = jsonio::optionalTimestamp(a, "created_at", path);
        const auto versions = a.find("versions");
        if (versions == a.end() || !versions->is_array() || versions->empty())
            throw ValidationError(path % QStringLiteral(".versions"), e.record.id,
                                  QStringLiteral("must list at least one version"));
        for (size_t k = 0; k < versions->size(); ++k) {
            const QString vpath = path % QStringLiteral(".versions[%1]").arg(k);
            try {
                AgentVersion v = AgentVersion::fromJson((*versions)[k]);
                AgentRepository::validate(v.definition);
                if (v.agentId != e.record.id)
                    throw ValidationError(
                        QStringLiteral("agent_id"), v.agentId,
                        QStringLiteral("must be the agent's id %1").arg(e.record.id));
                e.versions.push_back(std::move(v));
            } catch (const ValidationError &err) {
                std::vector<ValidationIssue> issues = err.issues();
                for (auto &issue : issues)
                    issue.field = vpath % u'.' % issue.field;
                throw ValidationError(std::move(issues));
            }
        }
        if (e.record.role.isEmpty())
            e.record.role = e.versions.back().role();
        if (e.record.name.isEmpty())
            e.record.name = e.versions.back().name();
        entries.push_back(std::move(e));
    }

    AgentImportSummary summary;
    for (Entry &e : entries) {
        const auto existing = repo.agent(e.record.id);
        std::vector<AgentVersion> missing;
        for (AgentVersion &v : e.versions) {
            if (const auto have = repo.version(v.id)) {
                if (have->agentId != v.agentId || have->version != v.version)
                    throw ValidationError(QStringLiteral("version"), v.id,
                                          QStringLiteral("already exists in this workspace for "
                                                         "another agent or number"));
                continue;
            }
            missing.push_back(std::move(v));
        }
        if (existing && existing->isTemplate && !missing.empty())
            throw ValidationError(QStringLiteral("agent"), e.record.id,
                                  QStringLiteral("is a template here; templates are never "
                                                 "modified, so its other versions cannot be "
                                                 "imported"));
        if (existing) {
            const int head = existing->headVersion;
            for (const AgentVersion &v : missing)
                if (v.version <= head)
                    throw ValidationError(
                        QStringLiteral("version"), v.id,
                        QStringLiteral("is version %1 of agent %2, which already has a "
                                       "different version %1 here; import into another "
                                       "workspace or clone the agent")
                            .arg(QString::number(v.version), e.record.id));
        }
        e.versions = std::move(missing);
        if (e.versions.empty()) {
            ++summary.agentsSkipped;
            summary.messages
                << QStringLiteral("%1 (%2): already here, skipped").arg(e.record.name, e.record.id);
            continue;
        }
        if (!existing)
            ++summary.agentsAdded;
        else
            summary.messages << QStringLiteral("%1 (%2): added %3 newer versions")
                                    .arg(e.record.name, e.record.id,
                                         QString::number(e.versions.size()));
        summary.versionsAdded += static_cast<int>(e.versions.size());
    }

    // One transaction for the whole file. The repository's Transaction nests.
    std::vector<std::pair<AgentRecord, std::vector<AgentVersion>>> writes;
    for (Entry &e : entries)
        if (!e.versions.empty())
            writes.emplace_back(e.record, e.versions);
    repo.insertImportedAll(writes);
    return summary;
}

} // namespace crucible
