#pragma once
// Undoable edit of one problem: writes the edited fields, and the original ones back on undo.
// GUI thread; writes through the context's workspace.

#include "core/model/problem.h"

#include <QUndoCommand>

namespace crucible {

class CurationContext;

class EditProblemCommand final : public QUndoCommand
{
public:
    EditProblemCommand(CurationContext *context, Problem before, Problem after);
    void redo() override;
    void undo() override;

private:
    void write(const Problem &p);

    CurationContext *m_context;
    Problem m_before;
    Problem m_after;
};

} // namespace crucible
