#pragma once
// Undoable deletion of problems. The first redo keeps a snapshot (rows with their insertion keys,
// dataset memberships with positions) so undo puts everything back exactly. GUI thread.

#include "core/store/problemrepository.h"

#include <QUndoCommand>

namespace crucible {

class CurationContext;

class DeleteProblemsCommand final : public QUndoCommand
{
public:
    DeleteProblemsCommand(CurationContext *context, QStringList ids);
    void redo() override;
    void undo() override;

    qint64 deletedCount() const { return static_cast<qint64>(m_snapshot.problems.size()); }

private:
    CurationContext *m_context;
    QStringList m_ids;
    ProblemSnapshot m_snapshot;
    bool m_taken = false;
};

} // namespace crucible
