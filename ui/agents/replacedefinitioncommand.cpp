#include "ui/agents/replacedefinitioncommand.h"

namespace crucible {

ReplaceDefinitionCommand::ReplaceDefinitionCommand(AgentDraft *draft, Agent from, Agent to,
                                                   const QString &text)
    : m_draft(draft)
    , m_from(std::move(from))
    , m_to(std::move(to))
{
    setText(text);
}

void ReplaceDefinitionCommand::redo()
{
    m_draft->setDefinition(m_to);
}

void ReplaceDefinitionCommand::undo()
{
    m_draft->setDefinition(m_from);
}

} // namespace crucible
