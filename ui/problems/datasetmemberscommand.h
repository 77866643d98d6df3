#pragma once
// Undoable change of dataset membership for many problems: add to an existing dataset (appended,
// members already there are skipped), add to a new dataset (created by the command), or remove
// from a dataset (undo puts them back at their positions). GUI thread.

#include "core/store/problemrepository.h"

#include <QUndoCommand>

namespace crucible {

class CurationContext;

class DatasetMembersCommand final : public QUndoCommand
{
public:
    enum class Kind { Add, AddToNew, Remove };

    // For AddToNew, datasetId is the new dataset's id and name its name.
    DatasetMembersCommand(CurationContext *context, Kind kind, QString datasetId, QStringList ids,
                          QString name = {});
    void redo() override;
    void undo() override;

    // Problems the last redo added or removed.
    qsizetype changedCount() const { return static_cast<qsizetype>(m_changed.size()); }

private:
    void run(bool forward);

    CurationContext *m_context;
    Kind m_kind;
    QString m_datasetId;
    QStringList m_ids;
    QString m_name;
    std::vector<DatasetMembership> m_changed; // what redo did, for undo and the next redo
    bool m_done = false;
};

} // namespace crucible
