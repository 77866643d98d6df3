#include "ui/datasets/renamedatasetcommand.h"

#include "core/store/datasetrepository.h"
#include "ui/models/datasetlistmodel.h"

#include <QCoreApplication>

namespace crucible {

RenameDatasetCommand::RenameDatasetCommand(Workspace &ws, DatasetListModel *model,
                                           QString datasetId, QString oldName, QString newName)
    : m_ws(ws)
    , m_model(model)
    , m_id(std::move(datasetId))
    , m_old(std::move(oldName))
    , m_new(std::move(newName))
{
    setText(
        QCoreApplication::translate("RenameDatasetCommand", "Rename dataset to \"%1\"").arg(m_new));
}

void RenameDatasetCommand::redo()
{
    apply(m_new);
}

void RenameDatasetCommand::undo()
{
    apply(m_old);
}

void RenameDatasetCommand::apply(const QString &name)
{
    m_error.clear();
    try {
        if (!DatasetRepository(m_ws).rename(m_id, name)) {
            m_error = QCoreApplication::translate("RenameDatasetCommand",
                                                  "Dataset %1 no longer exists; reload the list")
                          .arg(m_id);
            return;
        }
        m_model->setName(m_id, name.simplified());
    } catch (const std::exception &e) {
        m_error =
            QCoreApplication::translate("RenameDatasetCommand", "Cannot rename dataset %1: %2")
                .arg(m_id, QString::fromUtf8(e.what()));
    }
}

} // namespace crucible
