#include "ui/problems/curationstatescommand.h"

#include "ui/problems/curationcontext.h"

#include <QCoreApplication>
#include <functional>

namespace crucible {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CurationStatesCommand", text);
}

QString subject(const QStringList &ids)
{
    return ids.size() == 1 ? ids.front() : tr("%1 problems").arg(ids.size());
}

// Reads the problems' current values, applies change to a copy, and keeps those that changed.
std::unique_ptr<CurationStatesCommand> build(CurationContext *context, const QStringList &ids,
                                             const QString &text, int fields,
                                             const std::function<void(CurationState &)> &change)
{
    Workspace *ws = context->workspace();
    if (!ws || ids.isEmpty())
        return nullptr;
    std::vector<CurationState> before;
    try {
        before = ProblemRepository(*ws).curationStates(ids);
    } catch (const std::exception &e) {
        context->fail(tr("Could not read the selected problems from %1: %2")
                          .arg(ws->path(), QString::fromUtf8(e.what())));
        return nullptr;
    }
    std::vector<CurationState> kept;
    std::vector<CurationState> after;
    for (CurationState &b : before) {
        CurationState a = b;
        change(a);
        if (a == b)
            continue;
        kept.push_back(std::move(b));
        after.push_back(std::move(a));
    }
    if (after.empty())
        return nullptr;
    return std::make_unique<CurationStatesCommand>(context, text, std::move(kept), std::move(after),
                                                   fields);
}

} // namespace

CurationStatesCommand::CurationStatesCommand(CurationContext *context, const QString &text,
                                             std::vector<CurationState> before,
                                             std::vector<CurationState> after, int fields)
    : m_context(context)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_fields(fields)
{
    setText(text);
}

std::unique_ptr<CurationStatesCommand>
CurationStatesCommand::addTag(CurationContext *context, const QStringList &ids, const QString &tag)
{
    const QString t = tag.trimmed();
    if (t.isEmpty())
        return nullptr;
    return build(context, ids, tr("Tag %1 with “%2”").arg(subject(ids), t),
                 ProblemRepository::TagsField, [&t](CurationState &s) {
                     if (!s.tags.contains(t))
                         s.tags << t;
                 });
}

std::unique_ptr<CurationStatesCommand> CurationStatesCommand::removeTag(CurationContext *context,
                                                                        const QStringList &ids,
                                                                        const QString &tag)
{
    const QString t = tag.trimmed();
    return build(context, ids, tr("Remove tag “%1” from %2").arg(t, subject(ids)),
                 ProblemRepository::TagsField, [&t](CurationState &s) { s.tags.removeAll(t); });
}

std::unique_ptr<CurationStatesCommand>
CurationStatesCommand::setComplexity(CurationContext *context, const QStringList &ids,
                                     Complexity complexity)
{
    return build(context, ids,
                 tr("Set complexity of %1 to %2").arg(subject(ids), toString(complexity)),
                 ProblemRepository::ComplexityField,
                 [complexity](CurationState &s) { s.complexity = complexity; });
}

std::unique_ptr<CurationStatesCommand>
CurationStatesCommand::setReview(CurationContext *context, const QStringList &ids,
                                 ReviewStatus status, const std::optional<QString> &note)
{
    QString text;
    switch (status) {
    case ReviewStatus::Accepted:
        text = tr("Accept %1").arg(subject(ids));
        break;
    case ReviewStatus::Rejected:
        text = tr("Reject %1").arg(subject(ids));
        break;
    case ReviewStatus::Unreviewed:
        text = tr("Mark %1 unreviewed").arg(subject(ids));
        break;
    }
    return build(context, ids, text, ProblemRepository::ReviewField,
                 [status, &note](CurationState &s) {
                     s.reviewStatus = status;
                     if (note)
                         s.reviewNote = *note;
                 });
}

std::unique_ptr<CurationStatesCommand>
CurationStatesCommand::setNote(CurationContext *context, const QString &id, const QString &note)
{
    return build(context, {id}, tr("Review note on %1").arg(id), ProblemRepository::ReviewField,
                 [&note](CurationState &s) { s.reviewNote = note.trimmed(); });
}

void CurationStatesCommand::redo()
{
    write(m_after);
}

void CurationStatesCommand::undo()
{
    write(m_before);
}

void CurationStatesCommand::write(const std::vector<CurationState> &states)
{
    Workspace *ws = m_context->workspace();
    if (!ws)
        return;
    QStringList ids;
    ids.reserve(static_cast<qsizetype>(states.size()));
    for (const CurationState &s : states)
        ids << s.id;
    if (static_cast<qsizetype>(states.size()) >= CurationContext::kBackgroundRows) {
        const int fields = m_fields;
        m_context->runInBackground(
            tr("update %1 problems").arg(states.size()),
            [states, fields](Workspace &w) {
                ProblemRepository(w).writeCurationStates(states, fields);
            },
            ids, false);
        return;
    }
    try {
        ProblemRepository(*ws).writeCurationStates(states, m_fields);
        m_context->notifyChanged(ids, false);
    } catch (const std::exception &e) {
        setObsolete(true);
        m_context->fail(tr("Could not update the problems in %1: %2")
                            .arg(ws->path(), QString::fromUtf8(e.what())));
    }
}

} // namespace crucible
