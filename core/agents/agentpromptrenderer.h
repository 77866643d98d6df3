#pragma once
// Renders an agent's system prompt from its definition with the mustache template
// agent.system (built in, overridable like every prompt template). Deterministic: the same
// definition and template give the same text. Stateless apart from the templates it reads.

#include "core/agents/traitcatalogue.h"
#include "core/llm/prompttemplates.h"

namespace crucible {

struct AgentPrompt
{
    QString text;
    QString promptTemplate; // "agent.system@<version>"
    QString error;          // a template problem (file:line); text is empty then

    bool ok() const { return error.isEmpty(); }
};

class AgentPromptRenderer final
{
public:
    static inline const QString kTemplateId = QStringLiteral("agent.system");

    explicit AgentPromptRenderer(const PromptTemplates &templates);

    AgentPrompt render(const Agent &agent) const;

    // What the template sees: name, role, role_title, role_article, role_duty, specialization,
    // description, traits [{trait, label, value, band, band_name, phrase, behaviour}],
    // knowledge_domains, knowledge_domains_text, communication_style, instructions (the
    // lessons, trimmed, empty ones left out).
    static nlohmann::json context(const Agent &agent);
    // One sentence on what the role does ("You propose complete, workable solutions …").
    static QString roleDuty(const QString &role);

private:
    const PromptTemplates &m_templates;
};

} // namespace crucible
