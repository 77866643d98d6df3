#include "ui/problems/editproblemcommand.h"

#include "core/store/problemrepository.h"
#include "ui/problems/curationcontext.h"

#include <QCoreApplication>

namespace crucible {

EditProblemCommand::EditProblemCommand(CurationContext *context, Problem before, Problem after)
    : m_context(context)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    setText(QCoreApplication::translate("EditProblemCommand", "Edit %1").arg(m_after.id));
}

void EditProblemCommand::redo()
{
    write(m_after);
}

void EditProblemCommand::undo()
{
    write(m_before);
}

void EditProblemCommand::write(const Problem &p)
{
    Workspace *ws = m_context->workspace();
    if (!ws)
        return;
    try {
        ProblemRepository(*ws).update(p);
        m_context->notifyChanged({p.id}, false);
    } catch (const std::exception &e) {
        setObsolete(true);
        m_context->fail(
            QCoreApplication::translate("EditProblemCommand", "Could not save problem %1 in %2: %3")
                .arg(p.id, ws->path(), QString::fromUtf8(e.what())));
    }
}

} // namespace crucible
