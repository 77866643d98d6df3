#include "ui/problems/reviewbar.h"

#include "ui/models/problemtablemodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace crucible {

QString ReviewBar::keyHint()
{
    return tr("a accept · r reject · u unreviewed · n note · e edit · j/k next/previous · "
              "Del delete · Ctrl+Z undo");
}

ReviewBar::ReviewBar(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_noteLabel(new QLabel(this))
    , m_noteEdit(new QLineEdit(this))
{
    setObjectName(QStringLiteral("reviewBar"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setTextFormat(Qt::RichText);
    row->addWidget(m_status);
    m_noteLabel->setObjectName(QStringLiteral("reviewNote"));
    m_noteLabel->setWordWrap(false);
    m_noteLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_noteLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    row->addWidget(m_noteLabel, 1);
    m_noteEdit->setObjectName(QStringLiteral("reviewNoteEdit"));
    m_noteEdit->setPlaceholderText(tr("Why? (Enter saves, Esc cancels)"));
    m_noteEdit->setClearButtonEnabled(true);
    m_noteEdit->hide();
    row->addWidget(m_noteEdit, 1);
    const auto button = [this, row](const QString &text, const QString &tip, const QString &name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus); // the keys belong to the table
        row->addWidget(b);
        return b;
    };
    auto *accept = button(tr("Accept"), tr("Accept this problem (a)"), QStringLiteral("accept"));
    auto *reject = button(tr("Reject"), tr("Reject this problem (r)"), QStringLiteral("reject"));
    auto *note = button(tr("Note…"), tr("Write why (n)"), QStringLiteral("note"));
    layout->addLayout(row);
    auto *hint = new QLabel(keyHint(), this);
    hint->setObjectName(QStringLiteral("reviewKeyHint"));
    hint->setForegroundRole(QPalette::PlaceholderText);
    QFont small = hint->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    hint->setFont(small);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    connect(accept, &QPushButton::clicked, this,
            [this] { emit verdictRequested(ReviewStatus::Accepted); });
    connect(reject, &QPushButton::clicked, this,
            [this] { emit verdictRequested(ReviewStatus::Rejected); });
    connect(note, &QPushButton::clicked, this, &ReviewBar::beginNote);
    connect(m_noteEdit, &QLineEdit::returnPressed, this, [this] {
        const QString text = m_noteEdit->text().trimmed();
        endNote();
        if (text != m_note)
            emit noteRequested(text);
    });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_noteEdit);
    escape->setContext(Qt::WidgetShortcut);
    connect(escape, &QShortcut::activated, this, &ReviewBar::endNote);
    setReview(ReviewStatus::Unreviewed, {});
}

void ReviewBar::setReview(ReviewStatus status, const QString &note)
{
    m_note = note;
    const QColor color = ProblemTableModel::reviewColor(status);
    m_status->setText(QStringLiteral("<span style=\"color:%1\">●</span> <b>%2</b>")
                          .arg(color.name(), toString(status).toHtmlEscaped()));
    m_noteLabel->setText(note.isEmpty() ? QString() : QStringLiteral("— ") + note);
    m_noteLabel->setToolTip(note);
}

void ReviewBar::beginNote()
{
    m_noteEdit->setText(m_note);
    m_noteLabel->hide();
    m_noteEdit->show();
    m_noteEdit->setFocus(Qt::ShortcutFocusReason);
    m_noteEdit->selectAll();
}

bool ReviewBar::isEditingNote() const
{
    return m_noteEdit->isVisible();
}

void ReviewBar::cancelNote()
{
    m_noteEdit->hide();
    m_noteLabel->show();
}

void ReviewBar::endNote()
{
    m_noteEdit->hide();
    m_noteLabel->show();
    emit noteFinished();
}

} // namespace crucible
