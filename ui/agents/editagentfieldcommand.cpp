#include "ui/agents/editagentfieldcommand.h"

#include <QCoreApplication>

namespace crucible {

namespace {
QString fieldName(AgentDraft::Field f)
{
    switch (f) {
    case AgentDraft::Field::Name:
        return QCoreApplication::translate("EditAgentFieldCommand", "name");
    case AgentDraft::Field::Specialization:
        return QCoreApplication::translate("EditAgentFieldCommand", "specialization");
    case AgentDraft::Field::Description:
        return QCoreApplication::translate("EditAgentFieldCommand", "description");
    case AgentDraft::Field::Style:
        return QCoreApplication::translate("EditAgentFieldCommand", "communication style");
    case AgentDraft::Field::Domains:
        return QCoreApplication::translate("EditAgentFieldCommand", "knowledge domains");
    }
    return {};
}
} // namespace

EditAgentFieldCommand::EditAgentFieldCommand(AgentDraft *draft, AgentDraft::Field field,
                                             QString from, QString to)
    : m_draft(draft)
    , m_field(field)
    , m_from(std::move(from))
    , m_to(std::move(to))
{
    setText(QCoreApplication::translate("EditAgentFieldCommand", "Edit %1").arg(fieldName(field)));
}

void EditAgentFieldCommand::redo()
{
    m_draft->setField(m_field, m_to);
}

void EditAgentFieldCommand::undo()
{
    m_draft->setField(m_field, m_from);
}

bool EditAgentFieldCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = dynamic_cast<const EditAgentFieldCommand *>(other);
    if (!o || o->m_field != m_field || o->m_draft != m_draft)
        return false;
    m_to = o->m_to;
    return true;
}

} // namespace crucible
