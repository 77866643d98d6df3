#pragma once
// The Agents dock (the personality sliders): agents and templates grouped by role; the selected
// agent's identity, traits, style and domains (AgentEditor); a radar of the traits with the
// previous version ghosted; the rendered system prompt, live while sliders move, with a diff
// against the previous version; Save (a new version), undo/redo, version history with restore,
// and Clone & specialize. Templates are read-only. Reads and writes go through the GUI's
// Workspace connection (agents are few and small); the model's suggestion runs on the engine
// thread. GUI thread only; the Workspace and engine are borrowed.

#include "core/engine/llmengine.h"
#include "core/model/agentversion.h"

#include <QPointer>
#include <QWidget>

#include <map>

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;
class QToolButton;
class QTreeView;
class QUndoStack;

namespace crucible {

class AgentDraft;
class AgentEditor;
class AgentListModel;
class AgentVersionModel;
class CloneSpecializeDialog;
class PromptTemplates;
class TraitRadarChart;
class Workspace;

class AgentsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit AgentsPanel(QWidget *parent = nullptr);
    ~AgentsPanel() override;

    // Installs the built-in templates into a writable workspace, then lists its agents.
    void setWorkspace(Workspace *ws);
    // Where Clone & specialize asks the model; null: clones without suggestions.
    void setEngine(LlmEngine *engine);
    void reload();

    bool selectAgent(const QString &agentId);
    QString currentAgentId() const;
    // Saves the draft as a new version; false (and errorOccurred) for templates and errors.
    bool save();
    // Makes a new version copying `versionId` of the current agent.
    bool restoreVersion(const QString &versionId);
    // Creates an agent of `role` with the role's default personality and selects it.
    QString createAgent(const QString &role);
    // Opens the Clone & specialize dialog for the current agent (non-modal).
    CloneSpecializeDialog *cloneCurrent();

    AgentDraft *draft() const { return m_draft; }
    AgentEditor *editor() const { return m_editor; }
    AgentListModel *listModel() const { return m_list; }
    AgentVersionModel *historyModel() const { return m_history; }
    QTreeView *listView() const { return m_listView; }
    QTableView *historyView() const { return m_historyView; }
    TraitRadarChart *radar() const { return m_radar; }
    QTextBrowser *promptView() const { return m_prompt; }
    QLabel *promptCaption() const { return m_promptCaption; }
    QUndoStack *undoStack() const { return m_undo; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *cloneButton() const { return m_cloneButton; }
    QLabel *templateBanner() const { return m_banner; }
    QString statusText() const;
    // Providers heard from the engine (Clone & specialize offers them).
    int providerCount() const { return static_cast<int>(m_providers.size()); }

signals:
    void agentSaved(const QString &agentId, const QString &versionId);
    void errorOccurred(const QString &message);

private:
    void onSelectionChanged();
    void loadAgent(const QString &agentId);
    void onDraftChanged();
    void updateActions();
    void setStatus(const QString &text);
    void onProviders(const QList<crucible::LlmProviderInfo> &providers, const QString &defaultId);

    Workspace *m_ws = nullptr;
    QPointer<LlmEngine> m_engine;
    QList<LlmProviderInfo> m_providers;
    QString m_defaultProvider;
    std::unique_ptr<PromptTemplates> m_templates;
    AgentDraft *m_draft;
    QUndoStack *m_undo;
    std::map<QString, Agent> m_unsaved; // drafts of agents not shown right now
    QString m_current;
    bool m_selecting = false;
    QPointer<CloneSpecializeDialog> m_dialog;

    AgentListModel *m_list;
    AgentVersionModel *m_history;
    QTreeView *m_listView;
    QTableView *m_historyView;
    AgentEditor *m_editor;
    TraitRadarChart *m_radar;
    QTextBrowser *m_prompt;
    QLabel *m_promptCaption;
    QLabel *m_banner;
    QLabel *m_status;
    QToolButton *m_new;
    QPushButton *m_cloneButton;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_restore;
    QToolButton *m_undoButton;
    QToolButton *m_redoButton;
};

} // namespace crucible
