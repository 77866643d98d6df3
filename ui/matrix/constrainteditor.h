#pragma once
// Monospace editor for PICT constraints: highlights keywords, [Dimension] names and "strings",
// and underlines the position of a parse error. Its document keeps no undo history of its own:
// the panel's QUndoStack owns undo, so Ctrl+Z / Ctrl+Shift+Z here are forwarded as requests.

#include <QPlainTextEdit>

namespace crucible {

class ConstraintEditor final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ConstraintEditor(QWidget *parent = nullptr);

    // Marks the 1-based line:column (to the end of the word there); 0 clears the mark.
    void setErrorPosition(int line, int column, const QString &message = {});
    QList<QTextEdit::ExtraSelection> errorSelections() const { return extraSelections(); }
    // Replaces the text without emitting an edit (used by undo/redo); keeps the cursor at `cursor`.
    void replaceText(const QString &text, int cursor);

signals:
    void undoRequested();
    void redoRequested();
    // The user changed the text: `position` is where, `removed`/`added` how many characters.
    void edited(int position, int removed, int added);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;

private:
    bool m_replacing = false;
    QString m_errorMessage;
};

} // namespace crucible
