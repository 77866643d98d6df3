#include "ui/agents/agentdraft.h"

#include "core/agents/agentpromptrenderer.h"

#include <QStringBuilder>

#include <algorithm>

namespace crucible {

AgentDraft::AgentDraft(const PromptTemplates &templates, QObject *parent)
    : QObject(parent)
    , m_templates(templates)
{
}

void AgentDraft::load(const AgentVersion &head, std::optional<AgentVersion> previous,
                      bool isTemplate)
{
    m_loaded = true;
    m_template = isTemplate;
    m_head = head;
    m_previous = std::move(previous);
    m_draft = head.definition;
    rerender();
    emit loaded();
    emit changed();
}

void AgentDraft::clear()
{
    m_loaded = false;
    m_template = false;
    m_head = {};
    m_previous.reset();
    m_draft = {};
    m_prompt.clear();
    m_renderError.clear();
    emit loaded();
    emit changed();
}

int AgentDraft::trait(const QString &name) const
{
    const auto it = m_draft.traits.find(name);
    return it == m_draft.traits.end() ? 50 : it->second;
}

void AgentDraft::setTrait(const QString &name, int value)
{
    if (!m_loaded || trait(name) == value)
        return;
    m_draft.traits[name] = std::clamp(value, 0, 100);
    rerender();
    emit changed();
}

QString AgentDraft::field(Field f) const
{
    switch (f) {
    case Field::Name:
        return m_draft.identity.name;
    case Field::Specialization:
        return m_draft.identity.specialization;
    case Field::Description:
        return m_draft.identity.description;
    case Field::Style:
        return m_draft.communicationStyle;
    case Field::Domains:
        return m_draft.knowledgeDomains.join(u'\n');
    }
    return {};
}

void AgentDraft::setField(Field f, const QString &text)
{
    if (!m_loaded || field(f) == text)
        return;
    switch (f) {
    case Field::Name:
        m_draft.identity.name = text;
        break;
    case Field::Specialization:
        m_draft.identity.specialization = text;
        break;
    case Field::Description:
        m_draft.identity.description = text;
        break;
    case Field::Style:
        m_draft.communicationStyle = text;
        break;
    case Field::Domains: {
        QStringList domains;
        for (const QString &line : text.split(u'\n'))
            if (!line.trimmed().isEmpty())
                domains << line.trimmed();
        m_draft.knowledgeDomains = domains;
        break;
    }
    }
    rerender();
    emit changed();
}

void AgentDraft::setDefinition(const Agent &definition)
{
    if (!m_loaded || definition == m_draft)
        return;
    m_draft = definition;
    rerender();
    emit changed();
}

const Agent *AgentDraft::baseline() const
{
    if (!m_loaded)
        return nullptr;
    if (isModified())
        return &m_head.definition;
    return m_previous ? &m_previous->definition : nullptr;
}

QString AgentDraft::baselinePrompt() const
{
    if (!m_loaded)
        return {};
    if (isModified())
        return m_head.systemPrompt;
    return m_previous ? m_previous->systemPrompt : QString();
}

QString AgentDraft::baselineLabel() const
{
    if (!m_loaded)
        return {};
    if (isModified())
        return tr("unsaved changes against v%1 (saved)").arg(m_head.version);
    if (m_previous)
        return tr("v%1 against v%2").arg(m_head.version).arg(m_previous->version);
    return tr("v%1, the first version").arg(m_head.version);
}

QString AgentDraft::renderedPrompt() const
{
    return m_prompt;
}

void AgentDraft::rerender()
{
    if (!m_loaded) {
        m_prompt.clear();
        return;
    }
    if (!isModified()) {
        m_prompt = m_head.systemPrompt; // exactly what the version stores
        m_renderError.clear();
        return;
    }
    const AgentPrompt p = AgentPromptRenderer(m_templates).render(m_draft);
    m_prompt = p.text;
    m_renderError = p.error;
}

} // namespace crucible
