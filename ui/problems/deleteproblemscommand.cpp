#include "ui/problems/deleteproblemscommand.h"

#include "ui/problems/curationcontext.h"

#include <QCoreApplication>

namespace crucible {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DeleteProblemsCommand", text);
}
} // namespace

DeleteProblemsCommand::DeleteProblemsCommand(CurationContext *context, QStringList ids)
    : m_context(context)
    , m_ids(std::move(ids))
{
    setText(m_ids.size() == 1 ? tr("Delete %1").arg(m_ids.front())
                              : tr("Delete %1 problems").arg(m_ids.size()));
}

void DeleteProblemsCommand::redo()
{
    Workspace *ws = m_context->workspace();
    if (!ws)
        return;
    try {
        ProblemRepository repo(*ws);
        Workspace::Transaction tx(*ws);
        if (!m_taken) {
            m_snapshot = repo.snapshot(m_ids);
            m_taken = true;
        }
        repo.removeMany(m_ids);
        tx.commit();
        m_context->notifyChanged(m_ids, true);
    } catch (const std::exception &e) {
        setObsolete(true);
        m_context->fail(tr("Could not delete the problems from %1: %2")
                            .arg(ws->path(), QString::fromUtf8(e.what())));
    }
}

void DeleteProblemsCommand::undo()
{
    Workspace *ws = m_context->workspace();
    if (!ws)
        return;
    try {
        ProblemRepository(*ws).restore(m_snapshot);
        m_context->notifyChanged(m_ids, true);
    } catch (const std::exception &e) {
        setObsolete(true);
        m_context->fail(tr("Could not restore the deleted problems in %1: %2")
                            .arg(ws->path(), QString::fromUtf8(e.what())));
    }
}

} // namespace crucible
