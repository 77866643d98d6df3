#pragma once
// Undoable bulk change of curation fields (tags, complexity, review verdict and note) of many
// problems: holds each problem's values before and after and writes one or the other in one
// transaction. The factories read the current values. GUI thread.

#include "core/store/problemrepository.h"

#include <QUndoCommand>
#include <memory>

namespace crucible {

class CurationContext;

class CurationStatesCommand final : public QUndoCommand
{
public:
    CurationStatesCommand(CurationContext *context, const QString &text,
                          std::vector<CurationState> before, std::vector<CurationState> after,
                          int fields);

    // Each returns null when no selected problem would change.
    static std::unique_ptr<CurationStatesCommand>
    addTag(CurationContext *context, const QStringList &ids, const QString &tag);
    static std::unique_ptr<CurationStatesCommand>
    removeTag(CurationContext *context, const QStringList &ids, const QString &tag);
    static std::unique_ptr<CurationStatesCommand>
    setComplexity(CurationContext *context, const QStringList &ids, Complexity complexity);
    // A verdict keeps the note unless one is given; note == nullopt keeps each problem's note.
    static std::unique_ptr<CurationStatesCommand>
    setReview(CurationContext *context, const QStringList &ids, ReviewStatus status,
              const std::optional<QString> &note = std::nullopt);
    // Changes the note only.
    static std::unique_ptr<CurationStatesCommand> setNote(CurationContext *context,
                                                          const QString &id, const QString &note);

    void redo() override;
    void undo() override;
    qsizetype size() const { return static_cast<qsizetype>(m_after.size()); }

private:
    void write(const std::vector<CurationState> &states);

    CurationContext *m_context;
    std::vector<CurationState> m_before;
    std::vector<CurationState> m_after;
    int m_fields;
};

} // namespace crucible
