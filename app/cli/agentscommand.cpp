// `crucible-cli agents WS list|show|render|history|create|clone|set-trait|export|import`: the
// agents of a workspace and their immutable versions. Every change makes a new version; the
// built-in templates are installed on first use and are only ever cloned.

#include "app/cli/agentsexport.h"
#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmcontext.h"
#include "core/agents/agentarchive.h"
#include "core/agents/clonespecializer.h"
#include "core/agents/traitcatalogue.h"
#include "core/llm/prompttemplates.h"
#include "core/store/agentrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFile>
#include <QStringBuilder>

namespace crucible::cli {

namespace {

using nlohmann::json;

json versionJson(const AgentVersion &v, const std::optional<AgentRecord> &record)
{
    json j = v.toJson();
    if (record)
        j["agent"] = AgentArchive::recordToJson(*record);
    json wordings = json::array();
    for (const TraitWording &w : TraitCatalogue::builtIn().wordings(v.definition))
        wordings.push_back({{"trait", w.trait.toStdString()},
                            {"value", w.value},
                            {"band", w.band},
                            {"band_name", TraitCatalogue::bandName(w.band).toStdString()},
                            {"phrase", w.phrase.toStdString()},
                            {"behaviour", w.behaviour.toStdString()}});
    j["trait_wording"] = wordings;
    return j;
}

// "creativity=80" → (creativity, "80"); throws CliError naming the option.
std::pair<QString, QString> splitAssignment(const std::string &text, const char *option)
{
    const QString s = fromStd(text).trimmed();
    const qsizetype eq = s.indexOf(u'=');
    if (eq <= 0 || eq == s.size() - 1)
        throw CliError(QStringLiteral("%1 %2 is not NAME=VALUE").arg(QString::fromUtf8(option), s),
                       QStringLiteral("write e.g. %1 creativity=80 (traits: %2)")
                           .arg(QString::fromUtf8(option),
                                TraitCatalogue::builtIn().names().join(QStringLiteral(", "))));
    return {s.left(eq).trimmed().toLower(), s.mid(eq + 1).trimmed()};
}

std::map<QString, int> absoluteTraits(const std::vector<std::string> &args, const char *option)
{
    std::map<QString, int> out;
    for (const std::string &a : args) {
        const auto [name, text] = splitAssignment(a, option);
        bool ok = false;
        const int value = text.toInt(&ok);
        if (!ok || text.startsWith(u'+'))
            throw CliError(QStringLiteral("%1 %2=%3: the value must be a whole number from 0 to "
                                          "100")
                               .arg(QString::fromUtf8(option), name, text),
                           QStringLiteral("e.g. %1 %2=35").arg(QString::fromUtf8(option), name));
        out[name] = value;
    }
    return out;
}

// Writes the agents export file and reports it.
int writeExport(Console &console, const AgentRepository &repo, const AgentListOptions &options,
                const QString &outPath)
{
    const json file = AgentArchive::exportAgents(repo, options);
    QFile f(outPath);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw CliError(QStringLiteral("cannot write %1: %2").arg(outPath, f.errorString()),
                       QStringLiteral("choose a writable --out path"));
    f.write(QByteArray::fromStdString(file.dump(2)));
    f.write("\n");
    f.close();
    int versions = 0;
    for (const json &a : file["agents"])
        versions += static_cast<int>(a["versions"].size());
    if (console.json())
        console.printJson({{"out", outPath.toStdString()},
                           {"agents", file["agents"].size()},
                           {"versions", versions}});
    else
        console.out() << "Wrote " << file["agents"].size() << " agents with " << versions
                      << " versions to " << outPath << '\n';
    return 0;
}

class AgentsCommand final : public Command
{
public:
    const char *name() const override { return "agents"; }
    const char *description() const override
    {
        return "Agents and their personalities: list, show, render, history, create, clone & "
               "specialize, set-trait, export, import";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)");
        app.require_subcommand(0, 1);
        const auto sub = [&app](const char *name, const char *help) {
            return addAction(app, name, help);
        };
        m_list = sub("list", "List agents and templates grouped by role (the default)");
        m_list->add_option("--role", m_role, "Only agents of this role");
        m_list->add_flag("--archived", m_archived, "Also list archived agents");
        m_list->add_flag("--no-templates", m_noTemplates, "Leave out the template agents");

        m_show = sub("show", "An agent's definition: identity, traits with their wording, style");
        m_show->add_option("id", m_id, "Agent id (its newest version), version id or agt_…@N")
            ->required();
        m_render = sub("render", "The rendered system prompt of an agent version");
        m_render->add_option("id", m_id, "Agent id, version id or agt_…@N")->required();
        m_history = sub("history", "An agent's versions, and the lineage it was cloned from");
        m_history->add_option("id", m_id, "Agent id or version id")->required();

        m_create = sub("create", "Create an agent (version 1)");
        m_create->add_option("--role", m_role,
                             "generator, critic, refiner, evaluator or a slug of your own");
        m_create->add_option("--name", m_name, "The agent's name")->required();
        addDefinitionOptions(*m_create);
        m_create->add_option("--from-template", m_from,
                             "Start from this agent or template (recorded as cloned_from)");

        m_clone = sub("clone", "Clone an agent version for a specialization: the LLM suggests "
                               "trait adjustments (±25 each, with reasons); --trait overrides win");
        m_clone->add_option("id", m_id, "Agent id, version id or template id")->required();
        m_clone->add_option("--specialization", m_specialization, "What the clone specialises in")
            ->required();
        m_clone->add_option("--name", m_name, "The clone's name (default: NAME (SPECIALIZATION))");
        m_clone->add_option("--context", m_context, "Background for the model");
        m_clone->add_option("--trait", m_traits,
                            "Manual value: rigor=80 or relative to the source: rigor=+10");
        m_clone->add_flag("--no-llm", m_noLlm,
                          "Skip the suggestion; apply only the --trait overrides");
        m_providerArgs.addTo(*m_clone, false);

        m_setTrait = sub("set-trait", "Set traits; makes a new version");
        m_setTrait->add_option("id", m_id, "Agent id")->required();
        m_setTrait->add_option("assignments", m_traits, "NAME=VALUE (0..100), one or more")
            ->required();
        m_setTrait->add_option("--note", m_note, "Why (stored with the version)");

        m_export = sub("export", "Write agent definitions with all their versions as JSON");
        m_export->add_option("-o,--out", m_out, "File to write")->required();
        m_export->add_flag("--no-templates", m_noTemplates, "Leave out the template agents");
        m_export->add_flag("--archived", m_archived, "Also export archived agents");
        m_import = sub("import", "Add the agents of an export file (ids and lineage kept)");
        m_import->add_option("file", m_file, "A file written by `agents WS export`")->required();
    }

    int execute(Console &console) override
    {
        if (m_workspace.empty())
            throw CliError(QStringLiteral("no workspace given"),
                           QStringLiteral("crucible-cli agents WORKSPACE list; see crucible-cli "
                                          "agents --help"));
        m_wsPath = fromStd(m_workspace);
        if (m_clone->parsed())
            return clone(console);
        auto ws = Workspace::open(m_wsPath, Workspace::Mode::ReadWrite);
        AgentRepository repo(*ws);
        repo.ensureTemplates();
        if (m_show->parsed())
            return show(console, repo);
        if (m_render->parsed())
            return render(console, repo);
        if (m_history->parsed())
            return history(console, repo);
        if (m_create->parsed())
            return create(console, repo);
        if (m_setTrait->parsed())
            return setTrait(console, repo);
        if (m_export->parsed())
            return exportAgents(console, repo);
        if (m_import->parsed())
            return importAgents(console, repo);
        return list(console, repo);
    }

private:
    void addDefinitionOptions(CLI::App &app)
    {
        app.add_option("--trait", m_traits,
                       "NAME=VALUE (0..100); unnamed traits keep the "
                       "role's (or the template's) defaults");
        app.add_option("--specialization", m_specialization, "What the agent specialises in");
        app.add_option("--description", m_description, "One or two sentences about the agent");
        app.add_option("--style", m_style, "Communication style");
        app.add_option("--domain", m_domains, "A knowledge domain (repeat for several)");
        app.add_option(
            "--define-trait", m_defineTraits,
            "A trait of your own: NAME=LOW/HIGH markers, e.g. patience=impatient/patient");
    }

    AgentVersion require(const AgentRepository &repo, const std::string &id) const
    {
        if (auto v = repo.resolve(fromStd(id)))
            return *v;
        throw CliError(
            QStringLiteral("no agent or agent version \"%1\" in %2").arg(fromStd(id), m_wsPath),
            QStringLiteral("list them with `crucible-cli agents %1 list`").arg(m_wsPath));
    }

    int list(Console &console, const AgentRepository &repo) const
    {
        AgentListOptions options;
        options.includeArchived = m_archived;
        options.includeTemplates = !m_noTemplates;
        options.role = fromStd(m_role);
        const auto agents = repo.list(options);
        if (console.json()) {
            json list = json::array();
            for (const AgentRecord &r : agents)
                list.push_back(AgentArchive::recordToJson(r));
            console.printJson({{"total", agents.size()}, {"agents", list}});
            return 0;
        }
        QTextStream &out = console.out();
        if (agents.empty()) {
            out << "no agents in " << m_wsPath << '\n';
            return 0;
        }
        QString role;
        for (const AgentRecord &r : agents) {
            if (r.role != role) {
                role = r.role;
                out << (&r == &agents.front() ? "" : "\n") << role.toUpper() << '\n';
            }
            QString flags;
            if (r.isTemplate)
                flags += QStringLiteral(" template");
            if (r.archived)
                flags += QStringLiteral(" archived");
            if (!r.clonedFrom.isEmpty())
                flags += QStringLiteral(" clone of ") % r.clonedFrom;
            out << "  " << r.id.leftJustified(22, u' ') << "  " << cell(r.name, 28) << "  v"
                << QString::number(r.headVersion).leftJustified(3, u' ') << flags << '\n';
        }
        return 0;
    }

    int show(Console &console, const AgentRepository &repo) const
    {
        const AgentVersion v = require(repo, m_id);
        const auto record = repo.agent(v.agentId);
        if (console.json()) {
            console.printJson(versionJson(v, record));
            return 0;
        }
        QTextStream &out = console.out();
        const Agent &d = v.definition;
        out << d.identity.name << "  (" << v.agentId << ", " << d.role
            << (record && record->isTemplate ? ", template" : "") << ")\n";
        out << "version " << v.version << "  " << v.id << "  " << v.promptTemplate << "  "
            << jsonio::formatTimestamp(v.createdAt) << "  " << v.note << '\n';
        if (!d.identity.specialization.isEmpty())
            out << "specialization: " << d.identity.specialization << '\n';
        if (!d.identity.description.isEmpty())
            out << "description:    " << wrap(d.identity.description, 76, 16) << '\n';
        out << "\ntraits\n";
        for (const TraitWording &w : TraitCatalogue::builtIn().wordings(d))
            out << "  " << w.trait.leftJustified(12, u' ')
                << QString::number(w.value).rightJustified(4) << "  "
                << QString(w.value / 5, u'#').leftJustified(20, u'.') << "  " << w.phrase << '\n';
        if (!d.communicationStyle.isEmpty())
            out << "\nstyle:   " << wrap(d.communicationStyle, 76, 9) << '\n';
        if (!d.knowledgeDomains.isEmpty())
            out << "domains: " << d.knowledgeDomains.join(QStringLiteral(", ")) << '\n';
        if (!d.instructions.isEmpty()) {
            out << "\nlessons\n";
            for (const QString &lesson : d.instructions)
                out << "  - " << wrap(lesson, 74, 4) << '\n';
        }
        if (v.learning.is_object())
            out << "\nlearnt:  " << QString::fromStdString(v.learning.value("op", std::string()))
                << " — "
                << wrap(QString::fromStdString(v.learning.value("why", std::string())), 76, 9)
                << '\n';
        return 0;
    }

    int render(Console &console, const AgentRepository &repo) const
    {
        const AgentVersion v = require(repo, m_id);
        if (console.json())
            console.printJson({{"version_id", v.id.toStdString()},
                               {"agent_id", v.agentId.toStdString()},
                               {"version", v.version},
                               {"prompt_template", v.promptTemplate.toStdString()},
                               {"system_prompt", v.systemPrompt.toStdString()}});
        else
            console.out() << v.systemPrompt;
        return 0;
    }

    int history(Console &console, const AgentRepository &repo) const
    {
        const AgentVersion v = require(repo, m_id);
        const auto versions = repo.versions(v.agentId);
        std::vector<AgentVersion> ancestry;
        for (AgentVersion &a : repo.lineage(versions.front().id))
            if (a.agentId != v.agentId)
                ancestry.push_back(std::move(a));
        if (console.json()) {
            json list = json::array();
            for (const AgentVersion &a : versions)
                list.push_back(a.toJson());
            json from = json::array();
            for (const AgentVersion &a : ancestry)
                from.push_back({{"id", a.id.toStdString()},
                                {"agent_id", a.agentId.toStdString()},
                                {"version", a.version},
                                {"name", a.name().toStdString()}});
            console.printJson(
                {{"agent_id", v.agentId.toStdString()}, {"versions", list}, {"cloned_from", from}});
            return 0;
        }
        QTextStream &out = console.out();
        out << "versions of " << v.name() << " (" << v.agentId << "), newest last\n";
        const AgentVersion *previous = nullptr;
        for (const AgentVersion &a : versions) {
            out << "  v" << QString::number(a.version).leftJustified(3, u' ') << ' ' << a.id << "  "
                << jsonio::formatTimestamp(a.createdAt) << "  " << a.note << '\n';
            if (previous) {
                QStringList changed;
                for (const auto &[trait, value] : a.definition.traits) {
                    const auto it = previous->definition.traits.find(trait);
                    const int before = it == previous->definition.traits.end() ? -1 : it->second;
                    if (before != value)
                        changed << trait % u' ' %
                                       (before < 0 ? QStringLiteral("new")
                                                   : QString::number(before)) %
                                       QStringLiteral("→") % QString::number(value);
                }
                if (!changed.isEmpty())
                    out << "        " << changed.join(QStringLiteral(", ")) << '\n';
            }
            previous = &a;
        }
        if (!ancestry.empty()) {
            out << "cloned from\n";
            for (const AgentVersion &a : ancestry)
                out << "  " << a.name() << " v" << a.version << "  " << a.id << '\n';
        }
        return 0;
    }

    void applyDefinitionOptions(Agent &a) const
    {
        for (const std::string &d : m_defineTraits) {
            const auto [name, markers] = splitAssignment(d, "--define-trait");
            const qsizetype slash = markers.indexOf(u'/');
            if (slash <= 0 || slash == markers.size() - 1)
                throw CliError(QStringLiteral("--define-trait %1=%2 needs LOW/HIGH markers")
                                   .arg(name, markers),
                               QStringLiteral("e.g. --define-trait patience=impatient/patient"));
            a.customTraits[name] = {markers.left(slash).trimmed(),
                                    markers.mid(slash + 1).trimmed()};
            if (!a.traits.count(name))
                a.traits[name] = 50;
        }
        for (const auto &[name, value] : absoluteTraits(m_traits, "--trait"))
            a.traits[name] = value;
        if (!m_specialization.empty())
            a.identity.specialization = fromStd(m_specialization);
        if (!m_description.empty())
            a.identity.description = fromStd(m_description);
        if (!m_style.empty())
            a.communicationStyle = fromStd(m_style);
        for (const std::string &d : m_domains)
            if (!a.knowledgeDomains.contains(fromStd(d)))
                a.knowledgeDomains << fromStd(d);
    }

    int create(Console &console, AgentRepository &repo) const
    {
        Agent a;
        std::optional<AgentVersion> from;
        if (!m_from.empty()) {
            from = require(repo, m_from);
            a = from->definition;
            a.identity.specialization.clear();
        }
        if (!m_role.empty())
            a.role = normalizedAgentRole(fromStd(m_role));
        else if (!from)
            throw CliError(QStringLiteral("no --role given"),
                           QStringLiteral("add --role generator|critic|refiner|evaluator (or a "
                                          "role of your own), or --from-template ID"));
        if (!from)
            a.traits = TraitCatalogue::defaultTraits(a.role);
        a.identity.name = fromStd(m_name);
        applyDefinitionOptions(a);
        const AgentVersion v = from ? repo.clone(from->id, a) : repo.create(a);
        report(console, repo, v, QStringLiteral("Created"));
        return 0;
    }

    int setTrait(Console &console, AgentRepository &repo) const
    {
        const AgentVersion current = require(repo, m_id);
        const auto traits = absoluteTraits(m_traits, "set-trait");
        const AgentVersion v = repo.setTraits(current.agentId, traits, fromStd(m_note));
        if (v.id == current.id && !console.json()) {
            console.out() << "No change: " << v.name() << " already has these values (version "
                          << v.version << ")\n";
            return 0;
        }
        report(console, repo, v, QStringLiteral("Saved"));
        return 0;
    }

    void report(Console &console, const AgentRepository &repo, const AgentVersion &v,
                const QString &verb) const
    {
        if (console.json()) {
            console.printJson(versionJson(v, repo.agent(v.agentId)));
            return;
        }
        console.out() << verb << ' ' << v.name() << " (" << v.agentId << ") version " << v.version
                      << ": " << v.id << '\n';
    }

    int clone(Console &console)
    {
        SpecializationRequest request;
        request.specialization = fromStd(m_specialization);
        request.context = fromStd(m_context);
        request.name = fromStd(m_name);
        for (const std::string &t : m_traits) {
            const auto [name, text] = splitAssignment(t, "--trait");
            const auto o = TraitOverride::parse(text);
            if (!o)
                throw CliError(QStringLiteral("--trait %1=%2: the value must be a whole number "
                                              "(80) or a change (+10, -5)")
                                   .arg(name, text),
                               QStringLiteral("e.g. --trait rigor=+10"));
            request.overrides[name] = *o;
        }

        SpecializationSuggestion s;
        std::unique_ptr<Workspace> ownWs;
        LlmContext ctx;
        Workspace *ws = nullptr;
        if (m_noLlm) {
            ownWs = Workspace::open(m_wsPath, Workspace::Mode::ReadWrite);
            ws = ownWs.get();
        } else {
            ProviderArgs args = m_providerArgs;
            args.workspace = m_workspace;
            ctx = runTask(resolveLlmContext(args, true));
            if (!ctx.note.isEmpty())
                console.warning(ctx.note);
            ws = ctx.workspace.get();
        }
        AgentRepository repo(*ws);
        repo.ensureTemplates();
        const AgentVersion source = require(repo, m_id);
        if (const QString problem = CloneSpecializer::checkRequest(source, request);
            !problem.isEmpty())
            throw CliError(problem, QStringLiteral("see crucible-cli agents clone --help"));
        if (m_noLlm) {
            s.source = source;
            s.request = request;
        } else {
            request.providerId = ctx.config.id;
            request.model = ctx.config.defaultModel;
            const PromptTemplates templates;
            CloneSpecializer specializer(*ctx.client, templates);
            s = runTask(specializer.suggest(source, request));
            ctx.client->flushLedger();
            if (!s.ok())
                throw CliError(s.error, QStringLiteral("rerun with --no-llm and --trait values to "
                                                       "clone without the model"));
        }
        const AgentVersion v = CloneSpecializer::apply(repo, s);
        if (console.json()) {
            json adjustments = json::array();
            for (const TraitAdjustment &a : s.adjustments)
                adjustments.push_back({{"trait", a.trait.toStdString()},
                                       {"suggested", a.suggested},
                                       {"delta", a.delta},
                                       {"bounded", a.bounded},
                                       {"reason", a.reason.toStdString()}});
            json j = versionJson(v, repo.agent(v.agentId));
            j["suggestion"] = {{"adjustments", adjustments},
                               {"knowledge_domains", s.knowledgeDomains},
                               {"notes", s.notes},
                               {"call_ids", s.callIds}};
            console.printJson(j);
            return 0;
        }
        QTextStream &out = console.out();
        out << "Cloned " << source.name() << " v" << source.version << " (" << source.id << ") as "
            << v.name() << " (" << v.agentId << "), version " << v.id << '\n';
        for (const TraitAdjustment &a : s.adjustments) {
            const int from = source.definition.traits.at(a.trait);
            out << "  " << a.trait.leftJustified(12, u' ') << ' ' << from << " → "
                << v.definition.traits.at(a.trait) << "  " << a.reason << '\n';
        }
        for (const auto &[trait, o] : request.overrides)
            out << "  " << trait.leftJustified(12, u' ') << " set to "
                << v.definition.traits.at(trait) << " by you\n";
        for (const QString &note : s.notes)
            out << "  note: " << note << '\n';
        if (!s.knowledgeDomains.isEmpty())
            out << "  domains: " << v.definition.knowledgeDomains.join(QStringLiteral(", "))
                << '\n';
        return 0;
    }

    int exportAgents(Console &console, const AgentRepository &repo) const
    {
        AgentListOptions options;
        options.includeTemplates = !m_noTemplates;
        options.includeArchived = m_archived;
        return writeExport(console, repo, options, fromStd(m_out));
    }

    int importAgents(Console &console, AgentRepository &repo) const
    {
        const QString path = fromStd(m_file);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw CliError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()),
                           QStringLiteral("check the path"));
        const json file = json::parse(f.readAll().toStdString(), nullptr, false);
        if (file.is_discarded())
            throw CliError(QStringLiteral("%1 is not JSON").arg(path),
                           QStringLiteral("give a file written by `crucible-cli agents WS "
                                          "export --out FILE`"));
        AgentImportSummary summary;
        try {
            summary = AgentArchive::importAgents(repo, file);
        } catch (const ValidationError &e) {
            throw CliError(QStringLiteral("%1: %2; nothing was imported").arg(path, e.message()),
                           QStringLiteral("fix the file, or export it again"));
        }
        if (console.json()) {
            console.printJson({{"agents_added", summary.agentsAdded},
                               {"versions_added", summary.versionsAdded},
                               {"agents_skipped", summary.agentsSkipped},
                               {"messages", summary.messages}});
            return 0;
        }
        console.out() << "Imported " << summary.agentsAdded << " agents (" << summary.versionsAdded
                      << " versions) from " << path;
        if (summary.agentsSkipped > 0)
            console.out() << "; " << summary.agentsSkipped << " already here";
        console.out() << '\n';
        return 0;
    }

    std::string m_workspace;
    QString m_wsPath;
    std::string m_id;
    std::string m_role;
    std::string m_name;
    std::string m_from;
    std::string m_specialization;
    std::string m_description;
    std::string m_style;
    std::string m_context;
    std::string m_note;
    std::string m_out;
    std::string m_file;
    std::vector<std::string> m_traits;
    std::vector<std::string> m_domains;
    std::vector<std::string> m_defineTraits;
    bool m_archived = false;
    bool m_noTemplates = false;
    bool m_noLlm = false;
    ProviderArgs m_providerArgs;
    CLI::App *m_list = nullptr;
    CLI::App *m_show = nullptr;
    CLI::App *m_render = nullptr;
    CLI::App *m_history = nullptr;
    CLI::App *m_create = nullptr;
    CLI::App *m_clone = nullptr;
    CLI::App *m_setTrait = nullptr;
    CLI::App *m_export = nullptr;
    CLI::App *m_import = nullptr;
};

} // namespace

int exportAgentDefinitions(Console &console, const QString &workspacePath, const QString &outPath)
{
    auto ws = Workspace::open(workspacePath, Workspace::Mode::ReadWrite);
    AgentRepository repo(*ws);
    repo.ensureTemplates();
    return writeExport(console, repo, {}, outPath);
}

std::unique_ptr<Command> makeAgentsCommand()
{
    return std::make_unique<AgentsCommand>();
}

} // namespace crucible::cli
