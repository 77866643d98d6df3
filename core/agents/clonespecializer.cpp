#include "core/agents/clonespecializer.h"

#include "core/agents/agentpromptrenderer.h"
#include "core/agents/traitcatalogue.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/store/agentrepository.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringBuilder>

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

const json &baseSchema()
{
    static const json schema = [] {
        QFile f(QStringLiteral(":/schemas/agent_specialization.schema.json"));
        if (!f.open(QIODevice::ReadOnly))
            return json::object();
        return json::parse(f.readAll().toStdString(), nullptr, false);
    }();
    return schema;
}

QString signedNumber(int n)
{
    return n > 0 ? u'+' % QString::number(n) : QString::number(n);
}

} // namespace

std::optional<TraitOverride> TraitOverride::parse(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^\\s*([+-]?)(\\d{1,4})\\s*$"));
    const auto m = number.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    TraitOverride o;
    o.relative = !m.captured(1).isEmpty();
    o.value = m.captured(2).toInt();
    if (m.captured(1) == QStringLiteral("-"))
        o.value = -o.value;
    return o;
}

Agent SpecializationSuggestion::proposed() const
{
    Agent a = source.definition;
    a.identity.specialization = request.specialization.trimmed();
    a.identity.name = request.name.trimmed().isEmpty()
                          ? source.name() % QStringLiteral(" (") % a.identity.specialization % u')'
                          : request.name.trimmed();
    if (!description.trimmed().isEmpty())
        a.identity.description = description.trimmed();
    for (const TraitAdjustment &adj : adjustments)
        if (adj.accepted && a.traits.count(adj.trait))
            a.traits[adj.trait] = std::clamp(a.traits[adj.trait] + adj.delta, 0, 100);
    for (const auto &[trait, o] : request.overrides) {
        const int base =
            source.definition.traits.count(trait) ? source.definition.traits.at(trait) : 50;
        a.traits[trait] = std::clamp(o.relative ? base + o.value : o.value, 0, 100);
    }
    for (const QString &d : knowledgeDomains) {
        bool present = false;
        for (const QString &have : a.knowledgeDomains)
            present = present || have.compare(d, Qt::CaseInsensitive) == 0;
        if (!present)
            a.knowledgeDomains << d;
    }
    return a;
}

CloneSpecializer::CloneSpecializer(LlmClient &client, const PromptTemplates &templates)
    : m_client(client)
    , m_templates(templates)
{
}

json CloneSpecializer::schemaFor(const Agent &source)
{
    json schema = baseSchema();
    json names = json::array();
    for (const auto &[name, value] : source.traits)
        names.push_back(name.toStdString());
    if (!names.empty())
        schema["properties"]["adjustments"]["items"]["properties"]["trait"]["enum"] = names;
    else
        schema["properties"]["adjustments"]["maxItems"] = 0;
    return schema;
}

QString CloneSpecializer::checkRequest(const AgentVersion &source,
                                       const SpecializationRequest &request)
{
    if (request.specialization.trimmed().isEmpty())
        return QStringLiteral("No specialization given for cloning %1: say what the clone should "
                              "specialise in (e.g. \"tax law\")")
            .arg(source.id);
    for (const auto &[trait, o] : request.overrides)
        if (!source.definition.traits.count(trait) && !TraitCatalogue::builtIn().find(trait))
            return QStringLiteral("Unknown trait '%1' in the overrides: use one of %2")
                .arg(trait, TraitCatalogue::builtIn().names().join(QStringLiteral(", ")));
    return {};
}

void CloneSpecializer::interpret(SpecializationSuggestion &s, const json &answer)
{
    s.adjustments.clear();
    s.knowledgeDomains.clear();
    s.notes.clear();
    const auto &traits = s.source.definition.traits;
    if (const auto it = answer.find("adjustments"); it != answer.end() && it->is_array()) {
        for (const json &item : *it) {
            if (!item.is_object())
                continue;
            TraitAdjustment adj;
            adj.trait = QString::fromStdString(item.value("trait", std::string()));
            adj.suggested = item.value("delta", 0);
            adj.reason = QString::fromStdString(item.value("reason", std::string())).simplified();
            if (!traits.count(adj.trait)) {
                s.notes << QStringLiteral("Ignored a suggestion for '%1': the agent has no such "
                                          "trait")
                               .arg(adj.trait);
                continue;
            }
            const auto dup =
                std::find_if(s.adjustments.begin(), s.adjustments.end(),
                             [&](const TraitAdjustment &a) { return a.trait == adj.trait; });
            if (dup != s.adjustments.end()) {
                s.notes << QStringLiteral("Ignored a second suggestion for %1").arg(adj.trait);
                continue;
            }
            adj.delta = std::clamp(adj.suggested, -kMaxDelta, kMaxDelta);
            adj.bounded = adj.delta != adj.suggested;
            if (adj.bounded)
                s.notes << QStringLiteral("%1: suggested %2, bounded to %3 (at most ±%4 per trait)")
                               .arg(adj.trait, signedNumber(adj.suggested), signedNumber(adj.delta),
                                    QString::number(kMaxDelta));
            const int from = traits.at(adj.trait);
            const int to = from + adj.delta;
            if (to < 0 || to > 100)
                s.notes << QStringLiteral("%1: %2 %3 leaves 0–100, clamped to %4")
                               .arg(adj.trait, QString::number(from), signedNumber(adj.delta),
                                    QString::number(std::clamp(to, 0, 100)));
            if (s.request.overrides.count(adj.trait))
                s.notes << QStringLiteral("%1: your value replaces the suggestion").arg(adj.trait);
            s.adjustments.push_back(std::move(adj));
        }
    }
    if (const auto it = answer.find("knowledge_domains"); it != answer.end() && it->is_array())
        for (const json &d : *it)
            if (d.is_string()) {
                const QString domain = QString::fromStdString(d.get<std::string>()).simplified();
                if (!domain.isEmpty() && !s.knowledgeDomains.contains(domain, Qt::CaseInsensitive))
                    s.knowledgeDomains << domain;
            }
    s.description = QString::fromStdString(answer.value("description", std::string())).trimmed();
}

QCoro::Task<SpecializationSuggestion> CloneSpecializer::suggest(AgentVersion source,
                                                                SpecializationRequest request)
{
    SpecializationSuggestion s;
    s.source = std::move(source);
    s.request = std::move(request);
    s.error = checkRequest(s.source, s.request);
    if (!s.ok())
        co_return s;

    json ctx = AgentPromptRenderer::context(s.source.definition);
    for (json &t : ctx["traits"]) {
        const auto *def =
            TraitCatalogue::builtIn().find(QString::fromStdString(t.value("trait", std::string())));
        t["summary"] = def ? def->summary.toStdString() : std::string("user-defined trait");
    }
    ctx["target"] = s.request.specialization.trimmed().toStdString();
    ctx["context"] = s.request.context.trimmed().toStdString();
    const RenderedPrompt prompt = m_templates.render(kTemplateId, ctx);
    if (!prompt.ok()) {
        s.error = prompt.error;
        co_return s;
    }

    StructuredCallSpec spec;
    spec.call.providerId = s.request.providerId;
    spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    spec.call.request.model = s.request.model;
    spec.call.jobId = s.request.jobId;
    spec.call.request.temperature = s.request.temperature;
    spec.call.request.maxTokens = s.request.maxTokens;
    spec.call.templateId = prompt.id;
    spec.call.templateVersion = prompt.version;
    spec.schema = schemaFor(s.source.definition);
    spec.schemaName = QStringLiteral("agent_specialization");
    StructuredCaller caller(m_client, m_templates);
    StructuredOutcome outcome = co_await caller.call(std::move(spec));
    s.callIds = outcome.callIds;
    s.costUsd = outcome.costUsd;
    if (!outcome.ok()) {
        s.error = QStringLiteral("The model's suggestion for specialising %1 (%2) could not be "
                                 "used: %3. Nothing was written; try again, pick another model, "
                                 "or set the traits yourself.")
                      .arg(s.source.name(), s.source.id, outcome.error.describe());
        co_return s;
    }
    interpret(s, *outcome.value);
    co_return s;
}

AgentVersion CloneSpecializer::apply(AgentRepository &repo, const SpecializationSuggestion &s)
{
    if (!s.ok())
        throw ValidationError(QStringLiteral("suggestion"), s.source.id, s.error);
    QStringList changes;
    for (const TraitAdjustment &adj : s.adjustments)
        if (adj.accepted && !s.request.overrides.count(adj.trait))
            changes << adj.trait % u' ' % signedNumber(adj.delta);
    for (const auto &[trait, o] : s.request.overrides)
        changes << trait % u'=' % (o.relative ? signedNumber(o.value) : QString::number(o.value));
    QString note = QStringLiteral("cloned from %1 v%2 for %3")
                       .arg(s.source.name(), QString::number(s.source.version),
                            s.request.specialization.trimmed());
    if (!changes.isEmpty())
        note += QStringLiteral(": ") % changes.join(QStringLiteral(", "));
    return repo.clone(s.source.id, s.proposed(), note);
}

} // namespace crucible
