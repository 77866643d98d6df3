#include "ui/problems/datasetmemberscommand.h"

#include "core/store/datasetrepository.h"
#include "ui/problems/curationcontext.h"

#include <QCoreApplication>

namespace crucible {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetMembersCommand", text);
}
} // namespace

DatasetMembersCommand::DatasetMembersCommand(CurationContext *context, Kind kind, QString datasetId,
                                             QStringList ids, QString name)
    : m_context(context)
    , m_kind(kind)
    , m_datasetId(std::move(datasetId))
    , m_ids(std::move(ids))
    , m_name(std::move(name))
{
    const QString n = QString::number(m_ids.size());
    switch (m_kind) {
    case Kind::Add:
        setText(tr("Add %1 problems to dataset %2").arg(n, m_datasetId));
        break;
    case Kind::AddToNew:
        setText(tr("New dataset “%1” with %2 problems").arg(m_name, n));
        break;
    case Kind::Remove:
        setText(tr("Remove %1 problems from dataset %2").arg(n, m_datasetId));
        break;
    }
}

void DatasetMembersCommand::redo()
{
    run(true);
}

void DatasetMembersCommand::undo()
{
    run(false);
}

void DatasetMembersCommand::run(bool forward)
{
    Workspace *ws = m_context->workspace();
    if (!ws)
        return;
    try {
        ProblemRepository problems(*ws);
        Workspace::Transaction tx(*ws);
        switch (m_kind) {
        case Kind::Add:
            if (!forward)
                problems.removeMemberships(m_changed);
            else if (m_done)
                problems.restoreMemberships(m_changed);
            else
                m_changed =
                    problems.memberships(problems.addToDataset(m_datasetId, m_ids), m_datasetId);
            break;
        case Kind::AddToNew:
            if (forward) {
                Dataset d;
                d.id = m_datasetId;
                d.name = m_name;
                d.metadata = {{"created_by", "curation"}};
                DatasetRepository(*ws).insert(d);
                const QStringList added = problems.addToDataset(m_datasetId, m_ids);
                m_changed = problems.memberships(added, m_datasetId);
            } else {
                DatasetRepository(*ws).remove(m_datasetId); // members go with it
            }
            break;
        case Kind::Remove:
            if (forward) {
                if (!m_done)
                    m_changed = problems.memberships(m_ids, m_datasetId);
                problems.removeMemberships(m_changed);
            } else {
                problems.restoreMemberships(m_changed);
            }
            break;
        }
        tx.commit();
        m_done = true;
        m_context->notifyChanged(m_ids, true);
    } catch (const std::exception &e) {
        setObsolete(true);
        m_context->fail(tr("Could not change the members of dataset %1 in %2: %3")
                            .arg(m_datasetId, ws->path(), QString::fromUtf8(e.what())));
    }
}

} // namespace crucible
