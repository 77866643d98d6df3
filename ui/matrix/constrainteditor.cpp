#include "ui/matrix/constrainteditor.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextBlock>
#include <QToolTip>

namespace crucible {

namespace {

class ConstraintHighlighter final : public QSyntaxHighlighter
{
public:
    explicit ConstraintHighlighter(QTextDocument *document)
        : QSyntaxHighlighter(document)
    {
        QTextCharFormat keyword;
        keyword.setForeground(QColor(0x6a, 0x1b, 0x9a));
        keyword.setFontWeight(QFont::Bold);
        QTextCharFormat parameter;
        parameter.setForeground(QColor(0x0d, 0x47, 0xa1));
        QTextCharFormat string;
        string.setForeground(QColor(0x2e, 0x7d, 0x32));
        QTextCharFormat number;
        number.setForeground(QColor(0xad, 0x5a, 0x00));
        QTextCharFormat comment;
        comment.setForeground(QColor(0x80, 0x80, 0x80));
        comment.setFontItalic(true);
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        m_rules = {
            {QRegularExpression(QStringLiteral("\\b(IF|THEN|ELSE|AND|OR|NOT|IN|LIKE)\\b"), ci),
             keyword},
            {QRegularExpression(QStringLiteral("(?<![\\w\"])-?\\d+(\\.\\d+)?\\b")), number},
            {QRegularExpression(QStringLiteral("\\[[^\\]\\n]*\\]")), parameter},
            {QRegularExpression(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"?")), string},
            {QRegularExpression(QStringLiteral("^\\s*#.*$")), comment},
        };
    }

protected:
    void highlightBlock(const QString &text) override
    {
        for (const auto &[pattern, format] : m_rules) {
            for (auto it = pattern.globalMatch(text); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()),
                          format);
            }
        }
    }

private:
    std::vector<std::pair<QRegularExpression, QTextCharFormat>> m_rules;
};

} // namespace

ConstraintEditor::ConstraintEditor(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(true);
    document()->setUndoRedoEnabled(false);
    setPlaceholderText(tr("IF [Channel] = \"Phone\" THEN [Urgency] = \"High\";\n"
                          "[Tier] <> \"Free\" OR [Issue] IN {\"Billing\", \"How-to\"};"));
    connect(document(), &QTextDocument::contentsChange, this, [this](int pos, int rem, int add) {
        if (!m_replacing && (rem || add))
            emit edited(pos, rem, add);
    });
    // After the connection above, so that edits are seen before the highlighter reformats.
    new ConstraintHighlighter(document());
}

void ConstraintEditor::replaceText(const QString &text, int cursor)
{
    m_replacing = true;
    setPlainText(text);
    m_replacing = false;
    QTextCursor c = textCursor();
    c.setPosition(std::clamp(cursor, 0, static_cast<int>(text.size())));
    setTextCursor(c);
}

void ConstraintEditor::setErrorPosition(int line, int column, const QString &message)
{
    m_errorMessage = message;
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    if (line > 0 && block.isValid()) {
        QTextCursor c(block);
        const int start = std::clamp(column - 1, 0, std::max(0, block.length() - 1));
        c.setPosition(block.position() + start);
        // Underline the token there (or one character), so the mark is visible at line end.
        c.movePosition(QTextCursor::EndOfWord, QTextCursor::KeepAnchor);
        if (!c.hasSelection() || c.selectedText().trimmed().isEmpty()) {
            c.setPosition(block.position() + start);
            if (!c.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor) ||
                c.selectedText() == QChar(QChar::ParagraphSeparator)) {
                c.setPosition(block.position() + std::max(0, start - 1));
                c.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
            }
        }
        QTextEdit::ExtraSelection band;
        band.cursor = QTextCursor(block);
        band.format.setBackground(QColor(0xfd, 0xec, 0xec));
        band.format.setProperty(QTextFormat::FullWidthSelection, true);
        QTextEdit::ExtraSelection mark;
        mark.cursor = c;
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(QColor(0xd3, 0x2f, 0x2f));
        mark.format.setBackground(QColor(0xf8, 0xc4, 0xc4));
        mark.format.setToolTip(message);
        selections << band << mark;
    }
    setExtraSelections(selections);
}

void ConstraintEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Undo)) {
        emit undoRequested();
        return;
    }
    if (event->matches(QKeySequence::Redo)) {
        emit redoRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool ConstraintEditor::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && !m_errorMessage.isEmpty()) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QTextCursor at = cursorForPosition(viewport()->mapFromGlobal(help->globalPos()));
        const QList<QTextEdit::ExtraSelection> marks = extraSelections();
        if (marks.size() == 2 && at.blockNumber() == marks[1].cursor.blockNumber()) {
            QToolTip::showText(help->globalPos(), m_errorMessage, this);
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

} // namespace crucible
