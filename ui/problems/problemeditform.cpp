#include "ui/problems/problemeditform.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace crucible {

namespace {

// One item per non-empty line.
QStringList lines(const QPlainTextEdit *edit)
{
    QStringList out;
    for (const QString &line : edit->toPlainText().split(u'\n'))
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    return out;
}

QStringList tagList(const QString &text)
{
    QStringList out;
    for (const QString &tag : text.split(u','))
        if (const QString t = tag.trimmed(); !t.isEmpty() && !out.contains(t))
            out << t;
    return out;
}

QPlainTextEdit *textEdit(QWidget *parent, const QString &name, const QString &placeholder)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMinimumHeight(edit->fontMetrics().height() * 3 + 12);
    return edit;
}

} // namespace

ProblemEditForm::ProblemEditForm(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("problemEditForm"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 4);
    auto *title = new QLabel(tr("<b>Edit problem</b>  <small>(Ctrl+Return saves, Esc "
                                "cancels)</small>"),
                             this);
    layout->addWidget(title);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_statement = textEdit(this, QStringLiteral("editStatement"),
                           tr("What the problem asks (Markdown); required"));
    m_constraints = textEdit(this, QStringLiteral("editConstraints"), tr("One constraint a line"));
    m_criteria = textEdit(this, QStringLiteral("editCriteria"), tr("One success criterion a line"));
    m_complexity = new QComboBox(this);
    m_complexity->setObjectName(QStringLiteral("editComplexity"));
    for (const QString &name : complexityNames())
        m_complexity->addItem(name, name);
    m_domain = new QLineEdit(this);
    m_domain->setObjectName(QStringLiteral("editDomain"));
    m_domain->setMaxLength(200);
    m_tags = new QLineEdit(this);
    m_tags->setObjectName(QStringLiteral("editTags"));
    m_tags->setPlaceholderText(tr("Comma-separated, e.g. hard, reviewed"));
    form->addRow(tr("&Statement"), m_statement);
    form->addRow(tr("C&onstraints"), m_constraints);
    form->addRow(tr("Success c&riteria"), m_criteria);
    auto *row = new QHBoxLayout;
    row->addWidget(m_complexity);
    row->addWidget(new QLabel(tr("&Domain"), this));
    row->addWidget(m_domain, 1);
    qobject_cast<QLabel *>(row->itemAt(1)->widget())->setBuddy(m_domain);
    form->addRow(tr("Co&mplexity"), row);
    form->addRow(tr("&Tags"), m_tags);
    layout->addLayout(form, 1);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("editErrors"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProblemEditForm::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProblemEditForm::cancelRequested);

    for (const QKeySequence &key :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter),
          QKeySequence(QKeySequence::Save)}) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &ProblemEditForm::save);
    }
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &ProblemEditForm::cancelRequested);
}

void ProblemEditForm::setProblem(const Problem &p)
{
    m_original = p;
    m_statement->setPlainText(p.statement);
    m_constraints->setPlainText(p.constraints.join(u'\n'));
    m_criteria->setPlainText(p.successCriteria.join(u'\n'));
    m_complexity->setCurrentIndex(m_complexity->findData(toString(p.complexity)));
    m_domain->setText(p.domain);
    m_tags->setText(p.tags.join(QStringLiteral(", ")));
    m_error->hide();
}

Problem ProblemEditForm::edited() const
{
    Problem p = m_original;
    p.statement = m_statement->toPlainText().trimmed();
    p.constraints = lines(m_constraints);
    p.successCriteria = lines(m_criteria);
    p.complexity =
        complexityFromString(m_complexity->currentData().toString()).value_or(p.complexity);
    p.domain = m_domain->text().trimmed();
    p.tags = tagList(m_tags->text());
    return p;
}

QString ProblemEditForm::validationMessage() const
{
    const Problem p = edited();
    QStringList messages;
    if (p.statement.isEmpty())
        messages << tr("The statement is empty: write what the problem asks.");
    for (const ValidationIssue &issue : p.validate())
        if (issue.field != QLatin1String("statement"))
            messages << tr("%1 %2.").arg(issue.field, issue.rule);
    return messages.join(u'\n');
}

void ProblemEditForm::save()
{
    const QString message = validationMessage();
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        return;
    emit saveRequested(m_original, edited());
}

} // namespace crucible
