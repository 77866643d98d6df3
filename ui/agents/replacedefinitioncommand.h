#pragma once
// Undoable replacement of the whole definition of the agent being edited ("Revert to saved").
// GUI thread only; the draft is borrowed from the Agents panel.

#include "ui/agents/agentdraft.h"

#include <QUndoCommand>

namespace crucible {

class ReplaceDefinitionCommand final : public QUndoCommand
{
public:
    ReplaceDefinitionCommand(AgentDraft *draft, Agent from, Agent to, const QString &text);

    void redo() override;
    void undo() override;

private:
    AgentDraft *m_draft;
    Agent m_from;
    Agent m_to;
};

} // namespace crucible
