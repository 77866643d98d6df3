#include "ui/agents/agenteditor.h"

#include "ui/agents/editagentfieldcommand.h"
#include "ui/agents/settraitcommand.h"
#include "ui/agents/traitsliders.h"
#include "ui/models/agentlistmodel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QUndoStack>
#include <QVBoxLayout>

namespace crucible {

AgentEditor::AgentEditor(AgentDraft *draft, QUndoStack *undo, QWidget *parent)
    : QWidget(parent)
    , m_draft(draft)
    , m_undo(undo)
    , m_role(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_specialization(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_style(new QPlainTextEdit(this))
    , m_domains(new QPlainTextEdit(this))
    , m_sliders(new TraitSliders(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *identity = new QFormLayout;
    identity->addRow(tr("Role:"), m_role);
    m_name->setObjectName(QStringLiteral("agentName"));
    identity->addRow(tr("&Name:"), m_name);
    m_specialization->setPlaceholderText(tr("what the agent specialises in"));
    identity->addRow(tr("&Specialization:"), m_specialization);
    m_description->setPlaceholderText(tr("one or two sentences about the agent"));
    identity->addRow(tr("&Description:"), m_description);
    layout->addLayout(identity);

    auto *traits = new QGroupBox(tr("Personality"), this);
    auto *traitsLayout = new QVBoxLayout(traits);
    traitsLayout->addWidget(m_sliders);
    layout->addWidget(traits);

    auto *more = new QFormLayout;
    m_style->setPlaceholderText(tr("how the agent writes, e.g. \"Direct; one issue at a time\""));
    more->addRow(tr("Communication s&tyle:"), m_style);
    m_domains->setPlaceholderText(tr("one knowledge domain per line"));
    more->addRow(tr("&Knowledge domains:"), m_domains);
    layout->addLayout(more);
    for (QPlainTextEdit *e : {m_description, m_style, m_domains}) {
        e->setTabChangesFocus(true);
        e->setFixedHeight(QFontMetrics(e->font()).lineSpacing() * 3 + 12);
    }

    bindLine(m_name, AgentDraft::Field::Name);
    bindLine(m_specialization, AgentDraft::Field::Specialization);
    bindText(m_description, AgentDraft::Field::Description);
    bindText(m_style, AgentDraft::Field::Style);
    bindText(m_domains, AgentDraft::Field::Domains);
    connect(m_sliders, &TraitSliders::traitPreviewed, m_draft, &AgentDraft::setTrait);
    connect(m_sliders, &TraitSliders::traitChanged, this,
            [this](const QString &trait, int from, int to) {
                m_undo->push(new SetTraitCommand(m_draft, trait, from, to));
            });
    connect(m_draft, &AgentDraft::loaded, this, &AgentEditor::onLoaded);
    connect(m_draft, &AgentDraft::changed, this, &AgentEditor::onChanged);
    onLoaded();
}

void AgentEditor::bindLine(QLineEdit *edit, AgentDraft::Field field)
{
    connect(edit, &QLineEdit::textEdited, this, [this, field](const QString &text) {
        if (!m_syncing && m_draft->isLoaded())
            m_undo->push(new EditAgentFieldCommand(m_draft, field, m_draft->field(field), text));
    });
}

void AgentEditor::bindText(QPlainTextEdit *edit, AgentDraft::Field field)
{
    connect(edit, &QPlainTextEdit::textChanged, this, [this, edit, field] {
        if (m_syncing || !m_draft->isLoaded())
            return;
        const QString text = edit->toPlainText();
        // Domains are compared as the draft normalises them (one per line, trimmed).
        if (text == m_draft->field(field))
            return;
        m_undo->push(new EditAgentFieldCommand(m_draft, field, m_draft->field(field), text));
    });
}

void AgentEditor::setText(QPlainTextEdit *edit, const QString &text)
{
    if (edit->toPlainText() == text)
        return;
    // Keep typing smooth: the domains field may hold blank lines the draft drops.
    if (edit == m_domains && edit->hasFocus())
        return;
    edit->setPlainText(text);
}

void AgentEditor::onLoaded()
{
    m_syncing = true;
    const bool loaded = m_draft->isLoaded();
    const bool readOnly = !loaded || m_draft->isTemplate();
    m_sliders->setAgent(m_draft->definition());
    m_sliders->setReadOnly(readOnly);
    for (QLineEdit *e : {m_name, m_specialization})
        e->setReadOnly(readOnly);
    for (QPlainTextEdit *e : {m_description, m_style, m_domains})
        e->setReadOnly(readOnly);
    m_role->setText(loaded ? AgentListModel::roleTitle(m_draft->definition().role) : QString());
    m_syncing = false;
    onChanged();
}

void AgentEditor::onChanged()
{
    m_syncing = true;
    const auto line = [this](QLineEdit *e, AgentDraft::Field f) {
        if (e->text() != m_draft->field(f))
            e->setText(m_draft->field(f));
    };
    line(m_name, AgentDraft::Field::Name);
    line(m_specialization, AgentDraft::Field::Specialization);
    setText(m_description, m_draft->field(AgentDraft::Field::Description));
    setText(m_style, m_draft->field(AgentDraft::Field::Style));
    setText(m_domains, m_draft->field(AgentDraft::Field::Domains));
    m_sliders->updateValues(m_draft->definition());
    m_syncing = false;
}

} // namespace crucible
