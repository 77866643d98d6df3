#pragma once
// Undoable rename of a dataset: writes the name through the panel's Workspace connection and
// updates the list model. GUI thread only; the Workspace and model are borrowed from the panel,
// which clears its undo stack before either goes away.

#include <QUndoCommand>

namespace crucible {

class DatasetListModel;
class Workspace;

class RenameDatasetCommand final : public QUndoCommand
{
public:
    RenameDatasetCommand(Workspace &ws, DatasetListModel *model, QString datasetId, QString oldName,
                         QString newName);

    void redo() override;
    void undo() override;
    // Empty when the last redo/undo worked; otherwise what went wrong.
    const QString &error() const { return m_error; }

private:
    void apply(const QString &name);

    Workspace &m_ws;
    DatasetListModel *m_model;
    QString m_id;
    QString m_old;
    QString m_new;
    QString m_error;
};

} // namespace crucible
