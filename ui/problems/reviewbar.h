#pragma once
// The review verdict of the problem in the detail view: a coloured status chip, the note,
// Accept / Reject buttons, an inline note editor and the hint of the review keys. It only asks;
// the Problems panel writes through undo commands. GUI thread.

#include "core/model/problem.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace crucible {

class ReviewBar final : public QWidget
{
    Q_OBJECT
public:
    static QString keyHint();

    explicit ReviewBar(QWidget *parent = nullptr);

    void setReview(ReviewStatus status, const QString &note);
    // Shows the note editor with the current note, focused.
    void beginNote();
    bool isEditingNote() const;
    // Closes the note editor without saving or signalling (another problem is shown).
    void cancelNote();

    QLabel *statusLabel() const { return m_status; }
    QLineEdit *noteEdit() const { return m_noteEdit; }

signals:
    void verdictRequested(crucible::ReviewStatus status);
    void noteRequested(const QString &note);
    // The note editor closed (saved or cancelled): focus can go back to the table.
    void noteFinished();

private:
    void endNote();

    QString m_note;
    QLabel *m_status = nullptr;
    QLabel *m_noteLabel = nullptr;
    QLineEdit *m_noteEdit = nullptr;
};

} // namespace crucible
