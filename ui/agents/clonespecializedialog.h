#pragma once
// Clone & specialize: asks the model (on the engine thread, never blocking this one) for trait
// adjustments for a specialization, shows each with its reason and from → to, lets the user
// turn suggestions off, then writes the clone through the panel's Workspace. Without an engine
// it clones with the name and specialization only. Non-modal; GUI thread only.

#include "core/agents/clonespecializer.h"
#include "core/engine/llmengine.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace crucible {

class LlmEngine;
class SpecializationRunner;
class Workspace;

class CloneSpecializeDialog final : public QDialog
{
    Q_OBJECT
public:
    // `engine` may be null. The workspace must outlive the dialog (the panel closes it first).
    CloneSpecializeDialog(Workspace *ws, AgentVersion source, LlmEngine *engine,
                          const QList<LlmProviderInfo> &providers, const QString &defaultProvider,
                          QWidget *parent = nullptr);
    ~CloneSpecializeDialog() override;

    QLineEdit *specializationEdit() const { return m_specialization; }
    QLineEdit *nameEdit() const { return m_name; }
    QPushButton *suggestButton() const { return m_suggest; }
    QPushButton *cloneButton() const { return m_clone; }
    QTableWidget *adjustmentsTable() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    const SpecializationSuggestion &suggestion() const { return m_suggestion; }
    bool hasSuggestion() const { return m_hasSuggestion; }

    // Asks the model (Suggest); suggested() follows.
    void requestSuggestion();
    // Writes the clone (Clone); cloned() or failed() follows.
    void applyClone();
    // Shows a suggestion as if it had come from the model (tests, replays).
    void showSuggestion(const SpecializationSuggestion &s);

signals:
    void suggested(bool ok);
    void cloned(const QString &agentId, const QString &versionId);
    void failed(const QString &message);

private:
    SpecializationRequest request() const;
    void onFinished(quint64 ticket, const SpecializationSuggestion &s);
    void updateButtons();

    Workspace *m_ws;
    AgentVersion m_source;
    QPointer<SpecializationRunner> m_runner;
    quint64 m_ticket = 0;
    bool m_busy = false;
    bool m_hasSuggestion = false;
    SpecializationSuggestion m_suggestion;

    QLineEdit *m_specialization;
    QLineEdit *m_name;
    QPlainTextEdit *m_context;
    QComboBox *m_provider;
    QPushButton *m_suggest;
    QPushButton *m_clone;
    QTableWidget *m_table;
    QLabel *m_notes;
    QLabel *m_domains;
    QLabel *m_status;
};

} // namespace crucible
