#pragma once
// GenerateDialog: the parameters of one generation job (seeds, variations, dataset,
// adversarial, expand, interactions or matrix rows), with the provider, the base problem and a
// live token and cost estimate. GUI thread; produces a GenerationSpec and runs nothing itself.

#include "core/engine/llmengine.h"
#include "core/generate/generationspec.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;

namespace crucible {

class GenerateDialog final : public QDialog
{
    Q_OBJECT

public:
    GenerateDialog(const PromptTemplates &templates, const PriceTable &prices,
                   QWidget *parent = nullptr);

    void setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId);
    void setKind(GenerationKind kind);
    // The problem variations, adversarial examples, expansions and interactions start from.
    void setBaseProblem(const QString &id, const QString &statement, const QString &domain);
    // A matrix job: the model (PICT text) and its options from the matrix editor.
    void setMatrix(const QString &pictText, int strength, quint64 seed, int rows);

    GenerationKind kind() const;
    GenerationSpec spec() const;
    // Everything that keeps the spec from running, one problem per entry (empty when it can).
    QStringList problems() const;
    // The same, one per line ("" when it can run).
    QString problem() const;
    QString estimateText() const;
    QString matrixWarningText() const; // the matrix page's note on a missing template

    // Remembers the current kind's settings (provider, domain, sizes, mix, …) for the next
    // dialog of that kind; done on Generate.
    void saveSettings() const;
    static void forgetSettings(); // tests

private:
    QWidget *buildSpecificPage(GenerationKind kind);
    void updateState();
    nlohmann::json formState() const;
    void applyFormState(const nlohmann::json &state);
    void onKindChanged();

    const PromptTemplates &m_templates;
    PriceTable m_prices;
    QList<LlmProviderInfo> m_providerInfos;
    QString m_baseId;
    QString m_baseStatement;
    QString m_baseDomain;
    bool m_domainFromBase = false; // the domain field holds the base problem's domain
    QString m_matrixText;
    int m_matrixRows = 0;

    QComboBox *m_kind = nullptr;
    QComboBox *m_provider = nullptr;
    QLabel *m_base = nullptr;
    QLineEdit *m_domain = nullptr;
    QPlainTextEdit *m_context = nullptr;
    QStackedWidget *m_pages = nullptr;
    QSpinBox *m_count = nullptr;
    // dataset
    QSpinBox *m_size = nullptr;
    QSpinBox *m_simple = nullptr;
    QSpinBox *m_medium = nullptr;
    QSpinBox *m_complex = nullptr;
    QLineEdit *m_datasetName = nullptr;
    // variations
    QCheckBox *m_levelSimple = nullptr;
    QCheckBox *m_levelMedium = nullptr;
    QCheckBox *m_levelComplex = nullptr;
    QSpinBox *m_perLevel = nullptr;
    // adversarial
    QLineEdit *m_capability = nullptr;
    QComboBox *m_difficulty = nullptr;
    QListWidget *m_strategies = nullptr;
    QSpinBox *m_advCount = nullptr;
    // expand
    QLineEdit *m_factors = nullptr;
    QComboBox *m_detail = nullptr;
    QSpinBox *m_expandCount = nullptr;
    // interactions
    QSpinBox *m_turns = nullptr;
    QSpinBox *m_interactionCount = nullptr;
    QPlainTextEdit *m_roles = nullptr;
    // matrix
    QLabel *m_matrixSummary = nullptr;
    QLineEdit *m_template = nullptr;
    QCheckBox *m_matrixLlm = nullptr;
    QLabel *m_matrixWarning = nullptr;
    int m_strength = 2;
    quint64 m_seed = 1;
    // advanced
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_budget = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QDoubleSpinBox *m_budgetUsd = nullptr;

    QLabel *m_estimate = nullptr;
    QLabel *m_problemLabel = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace crucible
