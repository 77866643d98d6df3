#pragma once
// SolveDialog: starts a solve job (a team: generators, optional critic and refiner) or an
// evaluate job (judges, aspects) on the selected problem or dataset, with the estimate of calls,
// tokens and cost before anything is spent. Opened with open() (window-modal, no nested event
// loop); OK emits startRequested with the job's parameters. GUI thread; reads the workspace
// through the GUI's connection.

#include "core/engine/enginejobrequest.h"
#include "core/engine/llmengine.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"

#include <QDialog>
#include <nlohmann/json.hpp>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace crucible {

class Workspace;

class SolveDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Solve, Evaluate };

    // `problemId` or `datasetId` is the target (a dataset wins when both are set).
    SolveDialog(Mode mode, Workspace *ws, const QString &problemId, const QString &datasetId,
                QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    void setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId);
    // The job's parameters as the engine takes them (kind "solve" or "evaluate").
    nlohmann::json params() const;
    QString kind() const;
    QString estimateText() const;
    QString problemText() const; // why OK is disabled, empty when it is enabled
    QListWidget *agentList() const { return m_agents; }
    QComboBox *criticBox() const { return m_critic; }
    QComboBox *refinerBox() const { return m_refiner; }
    QLineEdit *aspectsEdit() const { return m_aspects; }

signals:
    void startRequested(const crucible::EngineJobRequest &request);

private:
    void update();
    void fillAgents();

    Mode m_mode;
    Workspace *m_ws;
    QString m_problemId;
    QString m_datasetId;
    PromptTemplates m_templates;
    PriceTable m_prices;
    QList<LlmProviderInfo> m_providers;
    QListWidget *m_agents = nullptr; // generators (solve) or judges (evaluate), checkable
    QComboBox *m_critic = nullptr;
    QComboBox *m_refiner = nullptr;
    QLineEdit *m_aspects = nullptr;
    QComboBox *m_provider = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QLabel *m_target = nullptr;
    QLabel *m_estimate = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace crucible
