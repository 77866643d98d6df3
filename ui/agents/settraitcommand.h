#pragma once
// Undoable change of one trait of the agent being edited (one slider drag, or one key press on a
// slider). GUI thread only; the draft is borrowed from the Agents panel, which clears its undo
// stack before loading another agent.

#include <QUndoCommand>

namespace crucible {

class AgentDraft;

class SetTraitCommand final : public QUndoCommand
{
public:
    SetTraitCommand(AgentDraft *draft, QString trait, int from, int to);

    void redo() override;
    void undo() override;

    const QString &trait() const { return m_trait; }

private:
    AgentDraft *m_draft;
    QString m_trait;
    int m_from;
    int m_to;
};

} // namespace crucible
