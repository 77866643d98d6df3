#pragma once
// ProviderEditor: the form for one provider in Settings → Providers (connection, key, model,
// limits), with the resolved request URL shown live, "Fetch models" and "Test connection".
// GUI thread only; network calls are coroutines on its event loop, cancelled on destruction.

#include "core/llm/cancellation.h"
#include "core/llm/providers/providerconfig.h"
#include "core/model/validationerror.h"
#include "ui/settings/apikeyfield.h"

#include <QCoro/QCoroTask>
#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace crucible {

class ConnectionTestPanel;

class ProviderEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit ProviderEditor(QWidget *parent = nullptr);
    ~ProviderEditor() override;

    // Shows `config`; cancels running tests and fetches, clears field errors. The id can only
    // be edited before the provider was first saved (it names the keychain entry).
    void setConfig(const ProviderConfig &config, bool idEditable);
    // The shown config with the fields' values (fields the form has no widget for are kept).
    ProviderConfig config() const;
    void setIdEditable(bool editable);

    void setKeyState(const ApiKeyState &state);
    ApiKeyState keyState() const;
    void setKnownModels(const QStringList &models); // offered in the model combo

    // Marks the fields named by the issues (ValidationIssue::field) and lists the problems.
    void showIssues(const std::vector<ValidationIssue> &issues);
    void clearIssues();

    void testConnection();
    void fetchModels();
    void cancelRunning();
    bool isBusy() const;

    // Human name of a config field ("base_url" → "Base URL").
    static QString fieldLabel(const QString &field);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *idEdit() const { return m_id; }
    QComboBox *presetCombo() const { return m_preset; }
    QComboBox *typeCombo() const { return m_type; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QLabel *resolvedUrlLabel() const { return m_resolvedUrl; }
    QLabel *urlNotesLabel() const { return m_urlNotes; }
    QLineEdit *azureDeploymentEdit() const { return m_azureDeployment; }
    QLineEdit *azureApiVersionEdit() const { return m_azureApiVersion; }
    ApiKeyField *keyField() const { return m_key; }
    QLineEdit *keyEnvVarEdit() const { return m_keyEnvVar; }
    QComboBox *modelCombo() const { return m_model; }
    QPushButton *fetchModelsButton() const { return m_fetchButton; }
    QLineEdit *inputPriceEdit() const { return m_inputPrice; }   // USD per 1M tokens, empty =
    QLineEdit *outputPriceEdit() const { return m_outputPrice; } // unpriced
    QLabel *priceNoteLabel() const { return m_priceNote; }
    QLabel *fetchStatusLabel() const { return m_fetchStatus; }
    ConnectionTestPanel *testPanel() const { return m_test; }
    QLabel *issuesLabel() const { return m_issues; }
    QComboBox *structuredOutputCombo() const { return m_structured; }
    QTabWidget *tabs() const { return m_tabs; }
    bool isRowVisible(QWidget *field) const;

signals:
    void edited();           // the user changed a config field
    void keyEdited();        // the user typed or cleared the API key
    void keyLookupChanged(); // the key's environment variable changed: read the key again
    void modelsFetched(const QStringList &models);

private:
    QWidget *buildConnectionTab();
    QWidget *buildLimitsTab();
    void connectEdits();
    void onUserEdit();
    void onPresetChosen();
    void onTypeChosen();
    void updateVisibility();
    void updateResolvedUrl();
    void updateKeyHints();
    void updatePriceRow();
    void updateStructuredChoices(ProviderType type);
    void setFieldError(QWidget *field, const QString &message);
    QCoro::Task<> runFetch(ProviderConfig config, QString apiKey, quint64 generation);
    void finishFetch(const QStringList &models, const QString &error, const QUrl &url);

    QTabWidget *m_tabs = nullptr;
    QFormLayout *m_connectionForm = nullptr;
    QFormLayout *m_limitsForm = nullptr;
    QLabel *m_issues = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_id = nullptr;
    QComboBox *m_preset = nullptr;
    QComboBox *m_type = nullptr;
    QLabel *m_simulatedNote = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_resolvedUrl = nullptr;
    QLabel *m_urlNotes = nullptr;
    QLineEdit *m_azureDeployment = nullptr;
    QLineEdit *m_azureApiVersion = nullptr;
    ApiKeyField *m_key = nullptr;
    QLineEdit *m_keyEnvVar = nullptr;
    QWidget *m_modelBox = nullptr;
    QComboBox *m_model = nullptr;
    QPushButton *m_fetchButton = nullptr;
    QLabel *m_fetchStatus = nullptr;
    QWidget *m_priceBox = nullptr;
    QLineEdit *m_inputPrice = nullptr;
    QLineEdit *m_outputPrice = nullptr;
    QLabel *m_priceNote = nullptr;
    ConnectionTestPanel *m_test = nullptr;
    QComboBox *m_structured = nullptr; // data: "auto" or a structured mode name
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_rpm = nullptr;
    QSpinBox *m_tpm = nullptr;
    QSpinBox *m_connectTimeout = nullptr;
    QSpinBox *m_idleTimeout = nullptr;
    QSpinBox *m_totalTimeout = nullptr;
    QSpinBox *m_retries = nullptr;
    QCheckBox *m_temperatureSet = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QCheckBox *m_maxTokensSet = nullptr;
    QSpinBox *m_maxTokens = nullptr;

    ProviderConfig m_base; // the config shown; fields overlay it
    ProviderPreset m_shownPreset = ProviderPreset::Custom;
    QHash<QString, QWidget *> m_fieldWidgets; // config field name → widget
    bool m_loading = false;                   // setConfig is filling the widgets
    quint64 m_fetchGeneration = 0;
    bool m_fetching = false;
    std::optional<CancelSource> m_fetchCancel;
};

} // namespace crucible
