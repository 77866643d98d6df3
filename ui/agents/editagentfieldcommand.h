#pragma once
// Undoable edit of one text field of the agent being edited (name, specialization, description,
// communication style, knowledge domains). Consecutive edits of the same field merge into one
// step. GUI thread only; the draft is borrowed from the Agents panel.

#include "ui/agents/agentdraft.h"

#include <QUndoCommand>

namespace crucible {

class EditAgentFieldCommand final : public QUndoCommand
{
public:
    EditAgentFieldCommand(AgentDraft *draft, AgentDraft::Field field, QString from, QString to);

    void redo() override;
    void undo() override;
    int id() const override { return 0x41474631; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    AgentDraft *m_draft;
    AgentDraft::Field m_field;
    QString m_from;
    QString m_to;
};

} // namespace crucible
