#pragma once
// The agent being edited in the Agents panel: the saved head version, the unsaved definition
// (the draft) and the baseline the radar ghost and the prompt diff compare with (the head when
// the draft differs from it, else the version before the head). Undo commands change the draft
// through it; widgets observe changed(). GUI thread only.

#include "core/llm/prompttemplates.h"
#include "core/model/agentversion.h"

#include <QObject>

#include <optional>

namespace crucible {

class AgentDraft final : public QObject
{
    Q_OBJECT
public:
    enum class Field { Name, Specialization, Description, Style, Domains };

    explicit AgentDraft(const PromptTemplates &templates, QObject *parent = nullptr);

    // Starts editing `head` (clears the draft); `previous` is the version before it, if any.
    void load(const AgentVersion &head, std::optional<AgentVersion> previous, bool isTemplate);
    void clear();

    bool isLoaded() const { return m_loaded; }
    bool isTemplate() const { return m_template; }
    bool isModified() const { return m_loaded && m_draft != m_head.definition; }
    const AgentVersion &head() const { return m_head; }
    const Agent &definition() const { return m_draft; }

    int trait(const QString &name) const;
    void setTrait(const QString &name, int value);
    QString field(Field f) const; // Domains: one per line
    void setField(Field f, const QString &text);
    void setDefinition(const Agent &definition);

    // What the radar ghost and the diff compare with, and its label ("v3 (saved)").
    const Agent *baseline() const;
    QString baselinePrompt() const;
    QString baselineLabel() const;
    // The draft's system prompt, rendered with the same template a save would use.
    QString renderedPrompt() const;
    QString renderError() const { return m_renderError; }

signals:
    void changed();
    void loaded();

private:
    void rerender();

    const PromptTemplates &m_templates;
    bool m_loaded = false;
    bool m_template = false;
    AgentVersion m_head;
    std::optional<AgentVersion> m_previous;
    Agent m_draft;
    QString m_prompt;
    QString m_renderError;
};

} // namespace crucible
