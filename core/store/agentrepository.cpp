#include "core/store/agentrepository.h"

#include "core/agents/agentpromptrenderer.h"
#include "core/agents/traitcatalogue.h"
#include "core/llm/prompttemplates.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QStringBuilder>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {

const QString kAgentColumns =
    QStringLiteral("a.id, a.role, a.name, a.is_template, a.archived, a.head_version_id, "
                   "coalesce(v.version, 0), a.cloned_from, a.created_at, a.updated_at");
const QString kAgentFrom =
    QStringLiteral(" FROM agents a LEFT JOIN agent_versions v ON v.id = a.head_version_id");
const QString kVersionColumns =
    QStringLiteral("id, agent_id, version, parent_version_id, doc, system_prompt, "
                   "prompt_template, note, created_at");

AgentRecord readAgent(const QSqlQuery &q)
{
    AgentRecord r;
    r.id = q.value(0).toString();
    r.role = q.value(1).toString();
    r.name = q.value(2).toString();
    r.isTemplate = q.value(3).toInt() != 0;
    r.archived = q.value(4).toInt() != 0;
    r.headVersionId = q.value(5).toString();
    r.headVersion = q.value(6).toInt();
    r.clonedFrom = q.value(7).toString();
    r.createdAt = jsonio::parseTimestamp(q.value(8).toString());
    r.updatedAt = jsonio::parseTimestamp(q.value(9).toString());
    return r;
}

AgentVersion readVersion(const QSqlQuery &q)
{
    AgentVersion v;
    v.id = q.value(0).toString();
    v.agentId = q.value(1).toString();
    v.version = q.value(2).toInt();
    v.parentVersionId = q.value(3).toString();
    const json doc = json::parse(q.value(4).toString().toStdString(), nullptr, false);
    try {
        v.definition = Agent::fromJson(doc);
    } catch (const ValidationError &e) {
        throw WorkspaceError(WorkspaceError::Kind::Corrupt,
                             QStringLiteral("Agent version %1 has an unreadable definition (%2); "
                                            "the workspace was changed outside Crucible")
                                 .arg(v.id, e.message()));
    }
    v.systemPrompt = q.value(5).toString();
    v.promptTemplate = q.value(6).toString();
    v.note = q.value(7).toString();
    v.createdAt = jsonio::parseTimestamp(q.value(8).toString());
    // A learning record rides in the document beside the definition (Agent::fromJson ignores it).
    if (const auto it = doc.find("learning"); it != doc.end() && it->is_object())
        v.learning = *it;
    return v;
}

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

int roleRank(const QString &role)
{
    const qsizetype i = builtInAgentRoles().indexOf(role);
    return i < 0 ? static_cast<int>(builtInAgentRoles().size()) : static_cast<int>(i);
}

ValidationError unknownAgent(const QString &text)
{
    return ValidationError(
        QStringLiteral("agent"), text,
        QStringLiteral("is not an agent or agent version in this workspace; list them with "
                       "`crucible-cli agents WORKSPACE list` (ids start with agt_ or agv_)"));
}

struct BuiltInTemplate
{
    QString id;
    QString versionId;
    Agent definition;
};

std::vector<BuiltInTemplate> builtInTemplates()
{
    std::vector<BuiltInTemplate> out;
    const QDir dir(QStringLiteral(":/agents"));
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const json j = json::parse(f.readAll().toStdString(), nullptr, false);
        BuiltInTemplate t;
        t.id = jsonio::requiredString(j, "id", QStringLiteral(":/agents/") + name);
        t.versionId = jsonio::requiredString(j, "version_id", QStringLiteral(":/agents/") + name);
        t.definition = Agent::fromJson(j.at("definition"));
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

AgentRepository::AgentRepository(Workspace &ws)
    : m_ws(ws)
{
}

AgentRepository::AgentRepository(Workspace &ws, const PromptTemplates &templates)
    : m_ws(ws)
    , m_templates(&templates)
{
}

AgentRepository::~AgentRepository() = default;

const PromptTemplates &AgentRepository::templates()
{
    if (!m_templates) {
        m_ownTemplates = std::make_unique<PromptTemplates>();
        m_templates = m_ownTemplates.get();
    }
    return *m_templates;
}

void AgentRepository::validate(const Agent &definition)
{
    std::vector<ValidationIssue> issues = definition.validate();
    for (ValidationIssue &issue : TraitCatalogue::builtIn().check(definition))
        issues.push_back(std::move(issue));
    throwIfInvalid(std::move(issues));
}

AgentVersion AgentRepository::makeVersion(const QString &agentId, int number, const QString &parent,
                                          const Agent &definition, const QString &note)
{
    Agent normalized = definition;
    normalized.role = normalizedAgentRole(definition.role);
    validate(normalized);
    const AgentPrompt prompt = AgentPromptRenderer(templates()).render(normalized);
    if (!prompt.ok())
        throw ValidationError(QStringLiteral("prompt_template"), AgentPromptRenderer::kTemplateId,
                              prompt.error %
                                  QStringLiteral(" — fix or remove your override of "
                                                 "agent.system.mustache; nothing was saved"));
    AgentVersion v;
    v.id = jsonio::newId("agv");
    v.agentId = agentId;
    v.version = number;
    v.parentVersionId = parent;
    v.definition = std::move(normalized);
    v.systemPrompt = prompt.text;
    v.promptTemplate = prompt.promptTemplate;
    v.note = note;
    v.createdAt = jsonio::nowUtc();
    return v;
}

void AgentRepository::insertVersion(const AgentVersion &v)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO agent_versions (") + kVersionColumns +
                               QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(v.id);
    q.addBindValue(v.agentId);
    q.addBindValue(v.version);
    q.addBindValue(orEmpty(v.parentVersionId));
    json doc = v.definition.toJson();
    if (!v.learning.is_null())
        doc["learning"] = v.learning;
    q.addBindValue(QString::fromStdString(doc.dump()));
    q.addBindValue(orEmpty(v.systemPrompt));
    q.addBindValue(orEmpty(v.promptTemplate));
    q.addBindValue(orEmpty(v.note));
    q.addBindValue(jsonio::formatTimestamp(v.createdAt.isValid() ? v.createdAt : jsonio::nowUtc()));
    Workspace::execPrepared(
        q,
        QStringLiteral("Saving version %1 of agent %2").arg(QString::number(v.version), v.agentId));
    QSqlQuery a = m_ws.prepare(QStringLiteral(
        "UPDATE agents SET head_version_id = ?, role = ?, name = ?, updated_at = ? "
        "WHERE id = ? AND (head_version_id = '' OR ? > (SELECT version FROM agent_versions "
        "WHERE id = agents.head_version_id))"));
    a.addBindValue(v.id);
    a.addBindValue(v.definition.role);
    a.addBindValue(v.definition.identity.name.trimmed());
    a.addBindValue(jsonio::formatTimestamp(v.createdAt.isValid() ? v.createdAt : jsonio::nowUtc()));
    a.addBindValue(v.agentId);
    a.addBindValue(v.version);
    Workspace::execPrepared(a, QStringLiteral("Moving agent %1 to its new version").arg(v.agentId));
}

AgentVersion AgentRepository::create(const Agent &definition, const AgentCreateOptions &options)
{
    const QString agentId = options.id.isEmpty() ? jsonio::newId("agt") : options.id;
    if (!options.clonedFrom.isEmpty() && !version(options.clonedFrom))
        throw ValidationError(QStringLiteral("cloned_from"), options.clonedFrom,
                              QStringLiteral("is not an agent version in this workspace"));
    if (agent(agentId))
        throw ValidationError(QStringLiteral("id"), agentId,
                              QStringLiteral("is already an agent in this workspace"));
    QString note = options.note;
    if (note.isEmpty())
        note = options.clonedFrom.isEmpty() ? QStringLiteral("created")
                                            : QStringLiteral("cloned from ") % options.clonedFrom;
    AgentVersion v = makeVersion(agentId, 1, options.clonedFrom, definition, note);

    Workspace::Transaction tx(m_ws);
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO agents (id, role, name, is_template, head_version_id, cloned_from, "
        "archived, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, 0, ?, ?)"));
    const QString now = jsonio::formatTimestamp(v.createdAt);
    q.addBindValue(agentId);
    q.addBindValue(v.definition.role);
    q.addBindValue(v.definition.identity.name.trimmed());
    q.addBindValue(options.isTemplate ? 1 : 0);
    q.addBindValue(orEmpty(options.clonedFrom));
    q.addBindValue(now);
    q.addBindValue(now);
    Workspace::execPrepared(q, QStringLiteral("Saving agent %1").arg(agentId));
    insertVersion(v);
    tx.commit();
    return v;
}

AgentRecord AgentRepository::requireWritable(const QString &agentId) const
{
    const auto record = agent(agentId);
    if (!record)
        throw unknownAgent(agentId);
    if (record->isTemplate)
        throw ValidationError(
            QStringLiteral("agent"), agentId,
            QStringLiteral("is a template agent (\"%1\"), and templates are never modified; clone "
                           "it (`crucible-cli agents WORKSPACE clone %2 --specialization …`) "
                           "and change the clone")
                .arg(record->name, agentId));
    if (record->archived)
        throw ValidationError(QStringLiteral("agent"), agentId,
                              QStringLiteral("is archived; clone it to keep working on it"));
    return *record;
}

AgentVersion AgentRepository::update(const QString &agentId, const Agent &definition,
                                     const QString &note, const nlohmann::json &learning)
{
    requireWritable(agentId);
    const auto current = head(agentId);
    if (!current)
        throw unknownAgent(agentId);
    Agent normalized = definition;
    normalized.role = normalizedAgentRole(definition.role);
    if (normalized == current->definition) {
        validate(normalized);
        return *current;
    }
    AgentVersion v = makeVersion(agentId, current->version + 1, current->id, normalized,
                                 note.isEmpty() ? QStringLiteral("edited") : note);
    if (!learning.is_null() && !learning.is_object())
        throw ValidationError(QStringLiteral("learning"), QString::fromStdString(learning.dump()),
                              QStringLiteral("a learning record is a JSON object (changed, why, "
                                             "evidence)"));
    v.learning = learning;
    Workspace::Transaction tx(m_ws);
    insertVersion(v);
    tx.commit();
    return v;
}

AgentVersion AgentRepository::setTraits(const QString &agentId,
                                        const std::map<QString, int> &traits, const QString &note)
{
    requireWritable(agentId);
    const auto current = head(agentId);
    if (!current)
        throw unknownAgent(agentId);
    Agent def = current->definition;
    QStringList changes;
    for (const auto &[name, value] : traits) {
        def.traits[name] = value;
        changes << name % u'=' % QString::number(value);
    }
    return update(agentId, def,
                  note.isEmpty() ? QStringLiteral("set ") % changes.join(QStringLiteral(", "))
                                 : note);
}

AgentVersion AgentRepository::restore(const QString &agentId, const QString &versionId)
{
    requireWritable(agentId);
    const auto old = version(versionId);
    if (!old || old->agentId != agentId)
        throw ValidationError(QStringLiteral("version"), versionId,
                              QStringLiteral("is not a version of agent %1; see its versions "
                                             "with `crucible-cli agents WORKSPACE history %1`")
                                  .arg(agentId));
    const auto current = head(agentId);
    if (current->definition == old->definition)
        return *current;
    AgentVersion v = makeVersion(agentId, current->version + 1, current->id, old->definition,
                                 QStringLiteral("restored version %1").arg(old->version));
    Workspace::Transaction tx(m_ws);
    insertVersion(v);
    tx.commit();
    return v;
}

AgentVersion AgentRepository::clone(const QString &sourceVersionId, const Agent &definition,
                                    const QString &note)
{
    const auto source = version(sourceVersionId);
    if (!source)
        throw unknownAgent(sourceVersionId);
    AgentCreateOptions options;
    options.clonedFrom = source->id;
    options.note = note.isEmpty() ? QStringLiteral("cloned from %1 version %2")
                                        .arg(source->name(), QString::number(source->version))
                                  : note;
    return create(definition, options);
}

void AgentRepository::archive(const QString &agentId, bool archived)
{
    const auto record = agent(agentId);
    if (!record)
        throw unknownAgent(agentId);
    if (record->isTemplate)
        throw ValidationError(QStringLiteral("agent"), agentId,
                              QStringLiteral("is a template agent; templates are never modified "
                                             "or archived"));
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("UPDATE agents SET archived = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(archived ? 1 : 0);
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(agentId);
    Workspace::execPrepared(q, QStringLiteral("Archiving agent %1").arg(agentId));
}

std::optional<AgentRecord> AgentRepository::agent(const QString &agentId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kAgentColumns + kAgentFrom +
                               QStringLiteral(" WHERE a.id = ?"));
    q.addBindValue(agentId);
    Workspace::execPrepared(q, QStringLiteral("Reading agent %1").arg(agentId));
    if (!q.next())
        return std::nullopt;
    return readAgent(q);
}

std::optional<AgentVersion> AgentRepository::version(const QString &versionId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kVersionColumns +
                               QStringLiteral(" FROM agent_versions WHERE id = ?"));
    q.addBindValue(versionId);
    Workspace::execPrepared(q, QStringLiteral("Reading agent version %1").arg(versionId));
    if (!q.next())
        return std::nullopt;
    return readVersion(q);
}

std::optional<AgentVersion> AgentRepository::head(const QString &agentId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kVersionColumns +
                               QStringLiteral(" FROM agent_versions WHERE agent_id = ? "
                                              "ORDER BY version DESC LIMIT 1"));
    q.addBindValue(agentId);
    Workspace::execPrepared(q,
                            QStringLiteral("Reading the newest version of agent %1").arg(agentId));
    if (!q.next())
        return std::nullopt;
    return readVersion(q);
}

std::vector<AgentVersion> AgentRepository::versions(const QString &agentId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kVersionColumns +
                               QStringLiteral(" FROM agent_versions WHERE agent_id = ? "
                                              "ORDER BY version"));
    q.addBindValue(agentId);
    Workspace::execPrepared(q, QStringLiteral("Reading the versions of agent %1").arg(agentId));
    std::vector<AgentVersion> out;
    while (q.next())
        out.push_back(readVersion(q));
    return out;
}

std::vector<AgentVersion> AgentRepository::lineage(const QString &versionId) const
{
    std::vector<AgentVersion> out;
    QStringList seen;
    QString next = versionId;
    while (!next.isEmpty() && !seen.contains(next)) {
        seen << next;
        auto v = version(next);
        if (!v)
            break;
        next = v->parentVersionId;
        out.push_back(std::move(*v));
    }
    return out;
}

std::vector<AgentRecord> AgentRepository::list(const AgentListOptions &options) const
{
    QString sql =
        QStringLiteral("SELECT ") + kAgentColumns + kAgentFrom + QStringLiteral(" WHERE 1 = 1");
    if (!options.includeTemplates)
        sql += QStringLiteral(" AND a.is_template = 0");
    if (!options.includeArchived)
        sql += QStringLiteral(" AND a.archived = 0");
    if (!options.role.isEmpty())
        sql += QStringLiteral(" AND a.role = ?");
    QSqlQuery q = m_ws.prepare(sql);
    if (!options.role.isEmpty())
        q.addBindValue(normalizedAgentRole(options.role));
    Workspace::execPrepared(q, QStringLiteral("Listing agents"));
    std::vector<AgentRecord> out;
    while (q.next())
        out.push_back(readAgent(q));
    std::stable_sort(out.begin(), out.end(), [](const AgentRecord &a, const AgentRecord &b) {
        const int ra = roleRank(a.role);
        const int rb = roleRank(b.role);
        if (ra != rb)
            return ra < rb;
        if (a.role != b.role)
            return a.role < b.role;
        if (a.isTemplate != b.isTemplate)
            return !a.isTemplate;
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        if (byName != 0)
            return byName < 0;
        return a.id < b.id;
    });
    return out;
}

qint64 AgentRepository::count(const AgentListOptions &options) const
{
    return static_cast<qint64>(list(options).size());
}

std::optional<AgentVersion> AgentRepository::resolve(const QString &typed) const
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (const qsizetype at = text.lastIndexOf(u'@'); at > 0) {
        bool ok = false;
        const int n = text.mid(at + 1).toInt(&ok);
        if (!ok)
            return std::nullopt;
        QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kVersionColumns +
                                   QStringLiteral(" FROM agent_versions WHERE agent_id = ? AND "
                                                  "version = ?"));
        q.addBindValue(text.left(at));
        q.addBindValue(n);
        Workspace::execPrepared(q, QStringLiteral("Reading agent version %1").arg(text));
        if (!q.next())
            return std::nullopt;
        return readVersion(q);
    }
    if (auto v = version(text))
        return v;
    if (auto v = head(text))
        return v;
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT id FROM agents WHERE name = ? AND "
                                              "archived = 0"));
    q.addBindValue(text);
    Workspace::execPrepared(q, QStringLiteral("Finding agent %1 by name").arg(text));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    if (ids.size() == 1)
        return head(ids.front());
    return std::nullopt;
}

AgentVersion AgentRepository::require(const QString &text) const
{
    if (auto v = resolve(text))
        return *v;
    throw unknownAgent(text);
}

QStringList AgentRepository::templateIds()
{
    QStringList out;
    for (const BuiltInTemplate &t : builtInTemplates())
        out << t.id;
    return out;
}

int AgentRepository::ensureTemplates()
{
    int installed = 0;
    const std::vector<BuiltInTemplate> all = builtInTemplates();
    Workspace::Transaction tx(m_ws);
    for (const BuiltInTemplate &t : all) {
        if (agent(t.id))
            continue;
        AgentCreateOptions options;
        options.id = t.id;
        options.isTemplate = true;
        options.note = QStringLiteral("built-in template");
        AgentVersion v = makeVersion(t.id, 1, {}, t.definition, options.note);
        v.id = t.versionId;
        AgentRecord record;
        record.id = t.id;
        record.role = v.role();
        record.name = v.name();
        record.isTemplate = true;
        insertImported(record, {v});
        ++installed;
    }
    tx.commit();
    return installed;
}

void AgentRepository::insertImported(const AgentRecord &record,
                                     const std::vector<AgentVersion> &versions)
{
    for (const AgentVersion &v : versions) {
        validate(v.definition);
        if (v.agentId != record.id)
            throw ValidationError(
                QStringLiteral("agent_id"), v.agentId,
                QStringLiteral("version %1 belongs to another agent than %2").arg(v.id, record.id));
    }
    Workspace::Transaction tx(m_ws);
    if (!agent(record.id)) {
        const QString created = jsonio::formatTimestamp(
            record.createdAt.isValid() ? record.createdAt : jsonio::nowUtc());
        QSqlQuery q = m_ws.prepare(QStringLiteral(
            "INSERT INTO agents (id, role, name, is_template, head_version_id, cloned_from, "
            "archived, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)"));
        q.addBindValue(record.id);
        q.addBindValue(normalizedAgentRole(record.role));
        q.addBindValue(orEmpty(record.name));
        q.addBindValue(record.isTemplate ? 1 : 0);
        q.addBindValue(orEmpty(record.clonedFrom));
        q.addBindValue(record.archived ? 1 : 0);
        q.addBindValue(created);
        q.addBindValue(created);
        Workspace::execPrepared(q, QStringLiteral("Saving agent %1").arg(record.id));
    }
    std::vector<AgentVersion> sorted = versions;
    std::sort(sorted.begin(), sorted.end(),
              [](const AgentVersion &a, const AgentVersion &b) { return a.version < b.version; });
    for (const AgentVersion &v : sorted)
        insertVersion(v);
    tx.commit();
}

void AgentRepository::insertImportedAll(
    const std::vector<std::pair<AgentRecord, std::vector<AgentVersion>>> &agents)
{
    Workspace::Transaction tx(m_ws);
    for (const auto &[record, versions] : agents)
        insertImported(record, versions);
    tx.commit();
}

} // namespace crucible
