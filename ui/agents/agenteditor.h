#pragma once
// The editable part of the Agents panel: name, specialization, description, communication
// style, knowledge domains and one slider per trait, bound to an AgentDraft. Every edit goes
// through the undo stack (a slider drag is one step; typing in one field merges into one step).
// Read-only for template agents. GUI thread only; draft and stack are borrowed.

#include "ui/agents/agentdraft.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QUndoStack;

namespace crucible {

class TraitSliders;

class AgentEditor final : public QWidget
{
    Q_OBJECT
public:
    AgentEditor(AgentDraft *draft, QUndoStack *undo, QWidget *parent = nullptr);

    TraitSliders *sliders() const { return m_sliders; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *specializationEdit() const { return m_specialization; }
    QPlainTextEdit *descriptionEdit() const { return m_description; }
    QPlainTextEdit *styleEdit() const { return m_style; }
    QPlainTextEdit *domainsEdit() const { return m_domains; }

private:
    void onLoaded();
    void onChanged();
    void bindLine(QLineEdit *edit, AgentDraft::Field field);
    void bindText(QPlainTextEdit *edit, AgentDraft::Field field);
    void setText(QPlainTextEdit *edit, const QString &text);

    AgentDraft *m_draft;
    QUndoStack *m_undo;
    QLabel *m_role;
    QLineEdit *m_name;
    QLineEdit *m_specialization;
    QPlainTextEdit *m_description;
    QPlainTextEdit *m_style;
    QPlainTextEdit *m_domains;
    TraitSliders *m_sliders;
    bool m_syncing = false;
};

} // namespace crucible
