#include "ui/agents/settraitcommand.h"

#include "ui/agents/agentdraft.h"

#include <QCoreApplication>

namespace crucible {

SetTraitCommand::SetTraitCommand(AgentDraft *draft, QString trait, int from, int to)
    : m_draft(draft)
    , m_trait(std::move(trait))
    , m_from(from)
    , m_to(to)
{
    setText(QCoreApplication::translate("SetTraitCommand", "Set %1 to %2").arg(m_trait).arg(m_to));
}

void SetTraitCommand::redo()
{
    m_draft->setTrait(m_trait, m_to);
}

void SetTraitCommand::undo()
{
    m_draft->setTrait(m_trait, m_from);
}

} // namespace crucible
