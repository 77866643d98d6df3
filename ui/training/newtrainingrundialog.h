#pragma once
// NewTrainingRunDialog: starts a self-training run (engine job kind "train"): the domain and,
// optionally, one of its datasets; the agent to start from and the judge; the optimiser
// (reflective, random search, personality evolution toward target metrics); the budgets (calls,
// cycles, wall time, tokens, USD; the first one reached ends the run); the provider, with the
// Simulated provider's fitness landscape as a test bed; and the estimate of calls, tokens and
// cost before anything is spent. Opened with open() (window-modal, no nested event loop); Start
// emits startRequested with the job's parameters. GUI thread; reads the workspace through the
// GUI's connection (agents, datasets, domain counts: small reads).

#include "core/engine/enginejobrequest.h"
#include "core/engine/generationrequest.h"
#include "core/engine/llmengine.h"
#include "core/evolve/trainingsession.h"
#include "core/llm/pricetable.h"

#include <QDialog>
#include <nlohmann/json.hpp>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace crucible {

class Workspace;

class NewTrainingRunDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewTrainingRunDialog(Workspace *ws, QWidget *parent = nullptr);

    void setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId);
    // The job's parameters as the engine takes them (TrainingOptions::toParams's keys).
    nlohmann::json params() const;
    QString estimateText() const;
    QString problemText() const; // why Start is disabled, empty when it is enabled

    QComboBox *domainBox() const { return m_domain; }
    QComboBox *datasetBox() const { return m_dataset; }
    QSpinBox *generateSizeBox() const { return m_generateSize; }
    QComboBox *optimizerBox() const { return m_optimizer; }
    QComboBox *providerBox() const { return m_provider; }
    QSpinBox *callsBox() const { return m_calls; }
    QSpinBox *agentsBox() const { return m_agents; }
    QCheckBox *landscapeBox() const { return m_landscape; }
    QCheckBox *specializeBox() const { return m_specialize; }

signals:
    void startRequested(const crucible::EngineJobRequest &request);
    // "Generate a new dataset first": the dataset job to start, and the run to start on the
    // dataset when the job completes (its params get "dataset_id" then).
    void generateThenStartRequested(const crucible::GenerationRequest &dataset,
                                    const crucible::EngineJobRequest &run);

private:
    void fill();
    void fillDatasets();
    void update();
    bool simulatedProvider() const;
    bool generating() const;    // the dataset box says "generate a new dataset first"
    QString domainName() const; // chosen or typed
    GenerationRequest generationRequest() const;

    Workspace *m_ws;
    QList<LlmProviderInfo> m_providers;
    QComboBox *m_domain = nullptr;
    QComboBox *m_dataset = nullptr;
    QSpinBox *m_generateSize = nullptr;
    QLabel *m_generateLabel = nullptr;
    PromptTemplates m_templates; // for the dataset job's estimate
    QComboBox *m_agent = nullptr;
    QComboBox *m_judge = nullptr;
    QComboBox *m_optimizer = nullptr;
    QLineEdit *m_targets = nullptr;
    QSpinBox *m_calls = nullptr;
    QSpinBox *m_cycles = nullptr;
    QDoubleSpinBox *m_hours = nullptr;
    QSpinBox *m_tokens = nullptr;
    QDoubleSpinBox *m_usd = nullptr;
    QSpinBox *m_minibatch = nullptr;
    QSpinBox *m_seed = nullptr;
    QSpinBox *m_variationEvery = nullptr;
    QSpinBox *m_agents = nullptr;
    QComboBox *m_provider = nullptr;
    QCheckBox *m_landscape = nullptr;
    QCheckBox *m_specialize = nullptr;
    QSpinBox *m_landscapeSeed = nullptr;
    QLabel *m_estimate = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    PriceTable m_prices = PriceTable::withUserOverrides(); // read once, not on every key
    evolve::TrainingProblemStats m_stats;                  // of m_statsKey's problems
    QString m_statsKey;                                    // "domain\ndataset"
};

} // namespace crucible
