#pragma once
// TournamentDialog: starts a tournament on the selected dataset: the entrants (generator agents,
// each alone or as a team with the chosen critic and refiner), the judge, the format and rounds,
// the provider and concurrency, with the estimate of comparisons, calls and cost before anything
// is spent. Opened with open() (window-modal, no nested event loop); Start emits startRequested
// with the job's parameters. GUI thread; reads the workspace through the GUI's connection.

#include "core/engine/enginejobrequest.h"
#include "core/engine/llmengine.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"

#include <QDialog>
#include <nlohmann/json.hpp>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QSpinBox;

namespace crucible {

class Workspace;

class TournamentDialog final : public QDialog
{
    Q_OBJECT

public:
    TournamentDialog(Workspace *ws, const QString &datasetId, QWidget *parent = nullptr);

    void setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId);
    // The job's parameters as the engine takes them (kind "tournament").
    nlohmann::json params() const;
    QString estimateText() const;
    QString problemText() const; // why Start is disabled, empty when it is enabled
    QListWidget *entrantList() const { return m_entrants; }
    QComboBox *judgeBox() const { return m_judge; }
    QComboBox *formatBox() const { return m_format; }
    QComboBox *criticBox() const { return m_critic; }
    QComboBox *refinerBox() const { return m_refiner; }
    QCheckBox *teamsBox() const { return m_teams; }

signals:
    void startRequested(const crucible::EngineJobRequest &request);

private:
    void fillAgents();
    void update();

    Workspace *m_ws;
    QString m_datasetId;
    PromptTemplates m_templates;
    PriceTable m_prices;
    QList<LlmProviderInfo> m_providers;
    QListWidget *m_entrants = nullptr; // generators, checkable
    QCheckBox *m_teams = nullptr;      // also enter each generator with the critic and refiner
    QComboBox *m_critic = nullptr;
    QComboBox *m_refiner = nullptr;
    QComboBox *m_judge = nullptr;
    QComboBox *m_format = nullptr;
    QSpinBox *m_rounds = nullptr;
    QComboBox *m_provider = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QLabel *m_target = nullptr;
    QLabel *m_estimate = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace crucible
