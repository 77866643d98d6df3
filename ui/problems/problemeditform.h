#pragma once
// Form to edit one problem's statement, constraints, success criteria, complexity, domain and
// tags, with validation messages. It only emits what was asked for; the Problems panel saves
// through an undo command. GUI thread.

#include "core/model/problem.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace crucible {

class ProblemEditForm final : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemEditForm(QWidget *parent = nullptr);

    void setProblem(const Problem &p);
    const Problem &original() const { return m_original; }
    // The problem with the form's values; fields the form does not show are kept.
    Problem edited() const;
    // Every reason the edited problem cannot be saved, one per line; empty when it can.
    QString validationMessage() const;
    // Validates, shows the messages or emits saveRequested.
    void save();

    QPlainTextEdit *statementEdit() const { return m_statement; }
    QPlainTextEdit *constraintsEdit() const { return m_constraints; }
    QPlainTextEdit *criteriaEdit() const { return m_criteria; }
    QComboBox *complexityBox() const { return m_complexity; }
    QLineEdit *domainEdit() const { return m_domain; }
    QLineEdit *tagsEdit() const { return m_tags; }
    QLabel *errorLabel() const { return m_error; }

signals:
    void saveRequested(const crucible::Problem &before, const crucible::Problem &after);
    void cancelRequested();

private:
    Problem m_original;
    QPlainTextEdit *m_statement = nullptr;
    QPlainTextEdit *m_constraints = nullptr;
    QPlainTextEdit *m_criteria = nullptr;
    QComboBox *m_complexity = nullptr;
    QLineEdit *m_domain = nullptr;
    QLineEdit *m_tags = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace crucible
