#include "ui/settings/providereditor.h"

#include "core/llm/providers/anthropicprovider.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/providerpresets.h"
#include "core/llm/providers/simulatedprovider.h"
#include "ui/settings/connectiontestpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace crucible {

namespace {

const QString kRed = QStringLiteral("#c62828");
const QString kGrey = QStringLiteral("#666666");
constexpr int kFetchTimeoutMs = 15'000;

// "Fetch models" builds the provider itself: makeProvider() has no definition in core yet.
std::unique_ptr<LlmProvider> providerFor(const ProviderConfig &config, const QString &apiKey)
{
    switch (config.type) {
    case ProviderType::Anthropic:
        return std::make_unique<AnthropicProvider>(config, apiKey);
    case ProviderType::Simulated:
        return std::make_unique<SimulatedProvider>(config);
    case ProviderType::OpenAiCompatible:
        break;
    }
    return std::make_unique<OpenAiProvider>(config, apiKey);
}

QSpinBox *makeSpin(QWidget *parent, int min, int max, int step, const QString &suffix = {},
                   const QString &special = {})
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(min, max);
    spin->setSingleStep(step);
    spin->setSuffix(suffix);
    spin->setSpecialValueText(special);
    spin->setGroupSeparatorShown(true);
    spin->setAlignment(Qt::AlignRight);
    spin->setMinimumWidth(140);
    return spin;
}

QLabel *hintLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    return label;
}

// "" → unset (unpriced); "0.15" or "0,15" → 0.15; anything else → NaN, which validate() reports.
std::optional<double> parsePrice(const QString &text)
{
    QString t = text.trimmed();
    t.remove(u'$');
    t.replace(u',', u'.');
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double value = t.toDouble(&ok);
    return ok ? value : std::numeric_limits<double>::quiet_NaN();
}

QString priceText(const std::optional<double> &price)
{
    return price ? QString::number(*price, 'g', 10) : QString();
}

QString sentence(const QString &subject, const QString &rule)
{
    if (!rule.isEmpty() && rule.at(0).isLower())
        return subject + u' ' + rule;
    return rule;
}

} // namespace

ProviderEditor::ProviderEditor(QWidget *parent)
    : QWidget(parent)
{
    m_issues = new QLabel(this);
    m_issues->setObjectName(QStringLiteral("providerIssues"));
    m_issues->setWordWrap(true);
    m_issues->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_issues->setStyleSheet(QStringLiteral("color: %1;").arg(kRed));
    m_issues->hide();

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("providerTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildConnectionTab(), tr("Connection"));
    m_tabs->addTab(buildLimitsTab(), tr("Limits && defaults"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_issues);
    layout->addWidget(m_tabs, 1);

    m_fieldWidgets = {
        {QStringLiteral("id"), m_id},
        {QStringLiteral("display_name"), m_name},
        {QStringLiteral("type"), m_type},
        {QStringLiteral("base_url"), m_baseUrl},
        {QStringLiteral("azure_deployment"), m_azureDeployment},
        {QStringLiteral("azure_api_version"), m_azureApiVersion},
        {QStringLiteral("key_env_var"), m_keyEnvVar},
        {QStringLiteral("default_model"), m_model},
        {QStringLiteral("concurrency"), m_concurrency},
        {QStringLiteral("requests_per_minute"), m_rpm},
        {QStringLiteral("tokens_per_minute"), m_tpm},
        {QStringLiteral("connect_timeout_ms"), m_connectTimeout},
        {QStringLiteral("stream_idle_timeout_ms"), m_idleTimeout},
        {QStringLiteral("total_timeout_ms"), m_totalTimeout},
        {QStringLiteral("max_retries"), m_retries},
        {QStringLiteral("temperature"), m_temperature},
        {QStringLiteral("max_tokens"), m_maxTokens},
        {QStringLiteral("structured_output"), m_structured},
        {QStringLiteral("input_usd_per_million"), m_inputPrice},
        {QStringLiteral("output_usd_per_million"), m_outputPrice},
    };
    connectEdits();
    setConfig(ProviderConfig::fromPreset(ProviderPreset::Custom), true);
}

ProviderEditor::~ProviderEditor()
{
    if (m_fetchCancel)
        m_fetchCancel->cancel();
}

QWidget *ProviderEditor::buildConnectionTab()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_connectionForm = form;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_name = new QLineEdit(page);
    m_name->setObjectName(QStringLiteral("displayNameEdit"));
    m_name->setPlaceholderText(tr("Shown in menus and reports"));
    form->addRow(tr("&Name:"), m_name);

    m_id = new QLineEdit(page);
    m_id->setObjectName(QStringLiteral("providerIdEdit"));
    m_id->setToolTip(tr("Stable id: jobs and the keychain entry refer to it. It cannot be "
                        "changed once saved."));
    form->addRow(tr("I&d:"), m_id);

    m_preset = new QComboBox(page);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const ProviderPresetInfo &info : ProviderPresets::all())
        m_preset->addItem(info.label, info.key);
    m_preset->setToolTip(tr("Fills in the usual URL, key variable and model for a service"));
    form->addRow(tr("&Preset:"), m_preset);

    m_type = new QComboBox(page);
    m_type->setObjectName(QStringLiteral("typeCombo"));
    m_type->addItem(tr("OpenAI-compatible (Chat Completions)"),
                    static_cast<int>(ProviderType::OpenAiCompatible));
    m_type->addItem(tr("Anthropic (Messages API)"), static_cast<int>(ProviderType::Anthropic));
    m_type->addItem(tr("Simulated (offline, no network)"),
                    static_cast<int>(ProviderType::Simulated));
    m_type->setToolTip(tr("The wire format the server speaks; choose it for the Custom preset"));
    form->addRow(tr("&Type:"), m_type);

    m_simulatedNote = hintLabel(
        tr("Simulated (offline, no network): answers are generated on this computer, "
           "deterministic and schema-valid. Nothing is sent anywhere and no key is needed. Use it "
           "to try a workflow or in tests."),
        page);
    m_simulatedNote->setObjectName(QStringLiteral("simulatedNote"));
    form->addRow(QString(), m_simulatedNote);

    m_baseUrl = new QLineEdit(page);
    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setToolTip(tr("Host only, with or without http(s):// and /v1, or a pasted "
                             "…/chat/completions URL. End with # to use the path exactly as "
                             "typed."));
    form->addRow(tr("&Base URL:"), m_baseUrl);

    // Direct form rows (not a nested layout) so that the wrapped lines get their full height.
    m_resolvedUrl = new QLabel(page);
    m_resolvedUrl->setObjectName(QStringLiteral("resolvedUrlLabel"));
    m_resolvedUrl->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resolvedUrl->setWordWrap(true);
    m_resolvedUrl->setToolTip(tr("Where chat requests will go"));
    form->addRow(tr("Request URL:"), m_resolvedUrl);
    m_urlNotes = new QLabel(page);
    m_urlNotes->setObjectName(QStringLiteral("urlNotesLabel"));
    m_urlNotes->setWordWrap(true);
    form->addRow(QString(), m_urlNotes);
    // QFormLayout only widens fields whose policy is Expanding; a wrapped label would otherwise
    // keep its narrow size hint and break the URL after "http://".
    for (QLabel *label : {m_simulatedNote, m_resolvedUrl, m_urlNotes})
        label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_azureDeployment = new QLineEdit(page);
    m_azureDeployment->setObjectName(QStringLiteral("azureDeploymentEdit"));
    m_azureDeployment->setPlaceholderText(tr("Deployment name (Azure portal → Deployments)"));
    form->addRow(tr("&Deployment:"), m_azureDeployment);

    m_azureApiVersion = new QLineEdit(page);
    m_azureApiVersion->setObjectName(QStringLiteral("azureApiVersionEdit"));
    m_azureApiVersion->setPlaceholderText(defaultAzureApiVersion());
    form->addRow(tr("API &version:"), m_azureApiVersion);

    m_key = new ApiKeyField(page);
    m_key->setObjectName(QStringLiteral("apiKeyField"));
    form->addRow(tr("API &key:"), m_key);

    m_keyEnvVar = new QLineEdit(page);
    m_keyEnvVar->setObjectName(QStringLiteral("keyEnvVarEdit"));
    m_keyEnvVar->setToolTip(tr("The NAME of an environment variable that holds the key, used "
                               "when the keychain has none (never the key itself)"));
    form->addRow(tr("Key &variable:"), m_keyEnvVar);

    m_modelBox = new QWidget(page);
    m_model = new QComboBox(m_modelBox);
    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(16);
    m_model->setToolTip(tr("Used when a step does not name a model; type one or fetch the list"));
    m_fetchButton = new QPushButton(tr("Fetch models"), m_modelBox);
    m_fetchButton->setObjectName(QStringLiteral("fetchModelsButton"));
    m_fetchButton->setToolTip(tr("Ask the server which models it offers"));
    m_fetchStatus = new QLabel(m_modelBox);
    m_fetchStatus->setObjectName(QStringLiteral("fetchStatusLabel"));
    m_fetchStatus->setWordWrap(true);
    m_fetchStatus->hide();
    auto *modelRow = new QHBoxLayout;
    modelRow->setContentsMargins(0, 0, 0, 0);
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_fetchButton);
    auto *modelLayout = new QVBoxLayout(m_modelBox);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    modelLayout->setSpacing(2);
    modelLayout->addLayout(modelRow);
    modelLayout->addWidget(m_fetchStatus);
    form->addRow(tr("Default &model:"), m_modelBox);

    // Local and custom servers carry their own price; cloud presets use the price table.
    m_priceBox = new QWidget(page);
    m_inputPrice = new QLineEdit(m_priceBox);
    m_inputPrice->setObjectName(QStringLiteral("inputPriceEdit"));
    m_outputPrice = new QLineEdit(m_priceBox);
    m_outputPrice->setObjectName(QStringLiteral("outputPriceEdit"));
    for (QLineEdit *edit : {m_inputPrice, m_outputPrice}) {
        edit->setPlaceholderText(tr("unpriced"));
        edit->setMaximumWidth(110);
        edit->setAlignment(Qt::AlignRight);
    }
    m_inputPrice->setToolTip(tr("USD per 1 million input (prompt) tokens; empty = unpriced, "
                                "0 = free"));
    m_outputPrice->setToolTip(tr("USD per 1 million output (completion) tokens; empty = "
                                 "unpriced, 0 = free"));
    m_priceNote = new QLabel(m_priceBox);
    m_priceNote->setObjectName(QStringLiteral("priceNoteLabel"));
    m_priceNote->setWordWrap(true);
    m_priceNote->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    auto *priceRow = new QHBoxLayout;
    priceRow->setContentsMargins(0, 0, 0, 0);
    priceRow->addWidget(new QLabel(tr("in $"), m_priceBox));
    priceRow->addWidget(m_inputPrice);
    priceRow->addWidget(new QLabel(tr("out $"), m_priceBox));
    priceRow->addWidget(m_outputPrice);
    priceRow->addWidget(new QLabel(tr("per 1M tokens"), m_priceBox));
    priceRow->addStretch(1);
    auto *priceLayout = new QVBoxLayout(m_priceBox);
    priceLayout->setContentsMargins(0, 0, 0, 0);
    priceLayout->setSpacing(2);
    priceLayout->addLayout(priceRow);
    priceLayout->addWidget(m_priceNote);
    form->addRow(tr("P&rice:"), m_priceBox);

    m_test = new ConnectionTestPanel(page);
    m_test->setObjectName(QStringLiteral("connectionTestPanel"));
    form->addRow(QString(), m_test);

    connect(m_fetchButton, &QPushButton::clicked, this, &ProviderEditor::fetchModels);
    connect(m_test, &ConnectionTestPanel::testRequested, this, &ProviderEditor::testConnection);
    connect(m_test, &ConnectionTestPanel::finished, this,
            [this](const ConnectionTestResult &result) {
                if (result.ok() && !result.models.isEmpty()) {
                    setKnownModels(result.models);
                    emit modelsFetched(result.models);
                }
            });
    return page;
}

QWidget *ProviderEditor::buildLimitsTab()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_limitsForm = form;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_concurrency = makeSpin(page, 1, 256, 1);
    m_concurrency->setObjectName(QStringLiteral("concurrencySpin"));
    m_concurrency->setToolTip(tr("Requests in flight at once"));
    form->addRow(tr("&Concurrency:"), m_concurrency);
    m_rpm = makeSpin(page, 0, 1'000'000, 10, tr(" /min"), tr("no limit"));
    m_rpm->setObjectName(QStringLiteral("requestsPerMinuteSpin"));
    form->addRow(tr("&Requests per minute:"), m_rpm);
    m_tpm = makeSpin(page, 0, 1'000'000'000, 1000, tr(" /min"), tr("no limit"));
    m_tpm->setObjectName(QStringLiteral("tokensPerMinuteSpin"));
    form->addRow(tr("&Tokens per minute:"), m_tpm);
    m_connectTimeout = makeSpin(page, 1, 600'000, 500, tr(" ms"));
    m_connectTimeout->setObjectName(QStringLiteral("connectTimeoutSpin"));
    form->addRow(tr("C&onnect timeout:"), m_connectTimeout);
    m_idleTimeout = makeSpin(page, 0, 3'600'000, 1000, tr(" ms"), tr("off"));
    m_idleTimeout->setObjectName(QStringLiteral("idleTimeoutSpin"));
    m_idleTimeout->setToolTip(tr("Give up when a streamed answer pauses this long (0 = off)"));
    form->addRow(tr("Stream &idle timeout:"), m_idleTimeout);
    m_totalTimeout = makeSpin(page, 0, 7'200'000, 1000, tr(" ms"), tr("off"));
    m_totalTimeout->setObjectName(QStringLiteral("totalTimeoutSpin"));
    m_totalTimeout->setToolTip(tr("Longest time one request may take (0 = off)"));
    form->addRow(tr("Tot&al timeout:"), m_totalTimeout);
    m_retries = makeSpin(page, 0, 10, 1);
    m_retries->setObjectName(QStringLiteral("maxRetriesSpin"));
    m_retries->setToolTip(tr("Retries after 408/409/429/5xx, timeouts and dropped connections"));
    form->addRow(tr("Max r&etries:"), m_retries);

    m_temperatureSet = new QCheckBox(tr("Send"), page);
    m_temperatureSet->setObjectName(QStringLiteral("temperatureSetCheck"));
    m_temperature = new QDoubleSpinBox(page);
    m_temperature->setObjectName(QStringLiteral("temperatureSpin"));
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setMinimumWidth(140);
    auto *temperatureRow = new QHBoxLayout;
    temperatureRow->addWidget(m_temperatureSet);
    temperatureRow->addWidget(m_temperature);
    temperatureRow->addStretch(1);
    form->addRow(tr("Default temperature:"), temperatureRow);

    m_maxTokensSet = new QCheckBox(tr("Send"), page);
    m_maxTokensSet->setObjectName(QStringLiteral("maxTokensSetCheck"));
    m_maxTokens = makeSpin(page, 1, 10'000'000, 256);
    m_maxTokens->setObjectName(QStringLiteral("maxTokensSpin"));
    auto *maxTokensRow = new QHBoxLayout;
    maxTokensRow->addWidget(m_maxTokensSet);
    maxTokensRow->addWidget(m_maxTokens);
    maxTokensRow->addStretch(1);
    form->addRow(tr("Default max tokens:"), maxTokensRow);

    m_structured = new QComboBox(page);
    m_structured->setObjectName(QStringLiteral("structuredOutputCombo"));
    m_structured->setToolTip(
        tr("How a JSON answer with a schema is asked for. Auto uses the strongest mode the "
           "server accepts and falls back by itself (for the session) when the server rejects "
           "it. Every answer is validated either way."));
    form->addRow(tr("&Structured output:"), m_structured);

    form->addRow(QString(), hintLabel(tr("Unset parameters are not sent: some servers reject "
                                         "fields they do not know."),
                                      page));
    connect(m_temperatureSet, &QCheckBox::toggled, m_temperature, &QWidget::setEnabled);
    connect(m_maxTokensSet, &QCheckBox::toggled, m_maxTokens, &QWidget::setEnabled);
    return page;
}

void ProviderEditor::connectEdits()
{
    for (QLineEdit *edit : {m_name, m_id, m_baseUrl, m_azureDeployment, m_azureApiVersion,
                            m_keyEnvVar, m_inputPrice, m_outputPrice})
        connect(edit, &QLineEdit::textChanged, this, &ProviderEditor::onUserEdit);
    connect(m_model, &QComboBox::currentTextChanged, this, &ProviderEditor::onUserEdit);
    for (QSpinBox *spin : {m_concurrency, m_rpm, m_tpm, m_connectTimeout, m_idleTimeout,
                           m_totalTimeout, m_retries, m_maxTokens})
        connect(spin, &QSpinBox::valueChanged, this, &ProviderEditor::onUserEdit);
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, &ProviderEditor::onUserEdit);
    connect(m_temperatureSet, &QCheckBox::toggled, this, &ProviderEditor::onUserEdit);
    connect(m_maxTokensSet, &QCheckBox::toggled, this, &ProviderEditor::onUserEdit);
    connect(m_structured, &QComboBox::currentIndexChanged, this, &ProviderEditor::onUserEdit);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ProviderEditor::onPresetChosen);
    connect(m_type, &QComboBox::currentIndexChanged, this, &ProviderEditor::onTypeChosen);
    connect(m_key, &ApiKeyField::keyEdited, this, &ProviderEditor::keyEdited);
    connect(m_keyEnvVar, &QLineEdit::textChanged, this, [this] { updateKeyHints(); });
    connect(m_keyEnvVar, &QLineEdit::editingFinished, this, [this] {
        if (!m_loading)
            emit keyLookupChanged();
    });
}

void ProviderEditor::setConfig(const ProviderConfig &config, bool idEditable)
{
    cancelRunning();
    m_test->clear();
    m_fetchStatus->hide();
    clearIssues();
    m_base = config;
    m_shownPreset = config.preset;
    m_loading = true;
    {
        const QSignalBlocker b1(m_preset), b2(m_type), b3(m_model);
        m_name->setText(config.displayName);
        m_id->setText(config.id);
        setIdEditable(idEditable);
        m_preset->setCurrentIndex(m_preset->findData(ProviderPresets::key(config.preset)));
        m_type->setCurrentIndex(m_type->findData(static_cast<int>(config.type)));
        m_baseUrl->setText(config.baseUrl);
        m_azureDeployment->setText(config.azureDeployment);
        m_azureApiVersion->setText(config.azureApiVersion);
        m_keyEnvVar->setText(config.keyEnvVar);
        m_inputPrice->setText(priceText(config.inputUsdPerMillion));
        m_outputPrice->setText(priceText(config.outputUsdPerMillion));
        m_model->clear();
        m_model->setEditText(config.defaultModel);
        m_concurrency->setValue(config.concurrency);
        m_rpm->setValue(config.requestsPerMinute);
        m_tpm->setValue(config.tokensPerMinute);
        m_connectTimeout->setValue(config.connectTimeoutMs);
        m_idleTimeout->setValue(config.streamIdleTimeoutMs);
        m_totalTimeout->setValue(config.totalTimeoutMs);
        m_retries->setValue(config.maxRetries);
        m_temperatureSet->setChecked(config.temperature.has_value());
        m_temperature->setValue(config.temperature.value_or(0.7));
        m_temperature->setEnabled(config.temperature.has_value());
        m_maxTokensSet->setChecked(config.maxTokens.has_value());
        m_maxTokens->setValue(config.maxTokens.value_or(1024));
        m_maxTokens->setEnabled(config.maxTokens.has_value());
    }
    m_loading = false;
    updateVisibility();
    {
        const QSignalBlocker blocker(m_structured);
        const int index = m_structured->findData(structuredOutputKey(config.structuredOutput));
        m_structured->setCurrentIndex(std::max(0, index));
    }
    updateKeyHints();
    updateResolvedUrl();
}

void ProviderEditor::setIdEditable(bool editable)
{
    m_id->setReadOnly(!editable);
    m_id->setToolTip(editable ? tr("Stable id: jobs and the keychain entry refer to it. It "
                                   "cannot be changed once saved.")
                              : tr("The id cannot be changed once saved: duplicate the provider "
                                   "to get another id."));
}

ProviderConfig ProviderEditor::config() const
{
    ProviderConfig c = m_base;
    c.displayName = m_name->text();
    c.id = m_id->text().trimmed();
    if (const auto preset = ProviderPresets::fromKey(m_preset->currentData().toString()))
        c.preset = *preset;
    c.type = static_cast<ProviderType>(m_type->currentData().toInt());
    c.baseUrl = m_baseUrl->text().trimmed();
    c.azureDeployment = m_azureDeployment->text().trimmed();
    c.azureApiVersion = m_azureApiVersion->text().trimmed();
    c.keyEnvVar = m_keyEnvVar->text().trimmed();
    c.defaultModel = m_model->currentText().trimmed();
    c.inputUsdPerMillion.reset();
    c.outputUsdPerMillion.reset();
    if (c.pricedByConfig()) {
        c.inputUsdPerMillion = parsePrice(m_inputPrice->text());
        c.outputUsdPerMillion = parsePrice(m_outputPrice->text());
    }
    c.concurrency = m_concurrency->value();
    c.requestsPerMinute = m_rpm->value();
    c.tokensPerMinute = m_tpm->value();
    c.connectTimeoutMs = m_connectTimeout->value();
    c.streamIdleTimeoutMs = m_idleTimeout->value();
    c.totalTimeoutMs = m_totalTimeout->value();
    c.maxRetries = m_retries->value();
    c.temperature.reset();
    if (m_temperatureSet->isChecked())
        c.temperature = m_temperature->value();
    c.maxTokens.reset();
    if (m_maxTokensSet->isChecked())
        c.maxTokens = m_maxTokens->value();
    // Items follow the type (see updateStructuredChoices); the first one is Auto.
    c.structuredOutput = m_structured->count() > 0
                             ? structuredModeFromName(m_structured->currentData().toString())
                             : m_base.structuredOutput;
    return c;
}

void ProviderEditor::setKeyState(const ApiKeyState &state)
{
    m_key->setState(state);
}

ApiKeyState ProviderEditor::keyState() const
{
    return m_key->state();
}

void ProviderEditor::setKnownModels(const QStringList &models)
{
    const QSignalBlocker blocker(m_model);
    const QString current = m_model->currentText();
    m_model->clear();
    m_model->addItems(models);
    m_model->setEditText(current);
}

void ProviderEditor::onUserEdit()
{
    if (m_loading)
        return;
    updateResolvedUrl();
    updatePriceRow();
    emit edited();
}

void ProviderEditor::onPresetChosen()
{
    if (m_loading)
        return;
    const auto chosen = ProviderPresets::fromKey(m_preset->currentData().toString());
    if (!chosen)
        return;
    const ProviderPresetInfo &from = ProviderPresets::info(m_shownPreset);
    const ProviderPresetInfo &to = ProviderPresets::info(*chosen);
    m_shownPreset = *chosen;
    m_loading = true;
    {
        // Replace what still holds the old preset's defaults; keep what the user typed.
        const QSignalBlocker blocker(m_type);
        if (*chosen != ProviderPreset::Custom ||
            static_cast<ProviderType>(m_type->currentData().toInt()) == ProviderType::Simulated)
            m_type->setCurrentIndex(m_type->findData(static_cast<int>(to.type)));
        if (m_baseUrl->text().trimmed().isEmpty() ||
            m_baseUrl->text().trimmed() == from.defaultBaseUrl)
            m_baseUrl->setText(to.defaultBaseUrl);
        if (m_model->currentText().trimmed().isEmpty() ||
            m_model->currentText().trimmed() == from.defaultModel)
            m_model->setEditText(to.defaultModel);
        if (m_name->text().trimmed().isEmpty() || m_name->text().trimmed() == from.label)
            m_name->setText(to.label);
        if (m_concurrency->value() == from.concurrency)
            m_concurrency->setValue(to.concurrency);
        if (*chosen == ProviderPreset::AzureOpenAi && m_azureApiVersion->text().isEmpty())
            m_azureApiVersion->setText(defaultAzureApiVersion());
    }
    m_loading = false;
    updateVisibility();
    updateKeyHints();
    onUserEdit();
    emit keyLookupChanged(); // the preset's key variable may differ
}

void ProviderEditor::onTypeChosen()
{
    if (m_loading)
        return;
    const auto type = static_cast<ProviderType>(m_type->currentData().toInt());
    if (type == ProviderType::Simulated) {
        m_preset->setCurrentIndex(
            m_preset->findData(ProviderPresets::key(ProviderPreset::Simulated)));
        return; // onPresetChosen updated everything
    }
    updateVisibility();
    onUserEdit();
}

bool ProviderEditor::isRowVisible(QWidget *field) const
{
    for (QFormLayout *form : {m_connectionForm, m_limitsForm}) {
        int row = -1;
        QFormLayout::ItemRole role;
        form->getWidgetPosition(field, &row, &role);
        if (row >= 0)
            return form->isRowVisible(row);
    }
    return false;
}

void ProviderEditor::updateVisibility()
{
    const ProviderConfig c = config();
    const bool simulated = c.type == ProviderType::Simulated;
    const bool azure = c.preset == ProviderPreset::AzureOpenAi;
    m_type->setEnabled(c.preset == ProviderPreset::Custom);
    m_connectionForm->setRowVisible(m_simulatedNote, simulated);
    for (QWidget *network :
         std::initializer_list<QWidget *>{m_baseUrl, m_resolvedUrl, m_key, m_keyEnvVar, m_test})
        m_connectionForm->setRowVisible(network, !simulated);
    m_connectionForm->setRowVisible(m_urlNotes, !simulated && !m_urlNotes->text().isEmpty());
    m_connectionForm->setRowVisible(m_azureDeployment, azure);
    m_connectionForm->setRowVisible(m_azureApiVersion, azure);
    m_baseUrl->setPlaceholderText(azure ? tr("https://NAME.openai.azure.com or just NAME")
                                        : tr("e.g. localhost:11434 or https://api.example.com/v1"));
    m_connectionForm->setRowVisible(m_priceBox, !simulated);
    m_limitsForm->setRowVisible(m_structured, !simulated);
    updateStructuredChoices(c.type);
    updatePriceRow();
}

void ProviderEditor::updateStructuredChoices(ProviderType type)
{
    std::vector<std::pair<QString, QString>> items{
        {QStringLiteral("auto"), tr("Auto (strongest the server accepts)")}};
    if (type == ProviderType::Anthropic)
        items.emplace_back(QStringLiteral("tool"), tr("Forced tool (tool_use)"));
    if (type == ProviderType::OpenAiCompatible) {
        items.emplace_back(QStringLiteral("json_schema"), tr("response_format json_schema"));
        items.emplace_back(QStringLiteral("json_object"), tr("response_format json_object"));
    }
    items.emplace_back(QStringLiteral("prompt"), tr("Schema in the prompt only"));
    bool same = int(items.size()) == m_structured->count();
    for (int i = 0; same && i < m_structured->count(); ++i)
        same = m_structured->itemData(i).toString() == items[std::size_t(i)].first;
    if (same)
        return;
    const QSignalBlocker blocker(m_structured);
    const QString current = m_structured->currentData().toString();
    m_structured->clear();
    for (const auto &[key, label] : items)
        m_structured->addItem(label, key);
    // A mode the new type does not have becomes Auto.
    m_structured->setCurrentIndex(std::max(0, m_structured->findData(current)));
}

void ProviderEditor::updatePriceRow()
{
    const ProviderConfig c = config();
    const bool own = c.pricedByConfig();
    for (QWidget *w : m_priceBox->findChildren<QWidget *>())
        if (w != m_priceNote)
            w->setVisible(own);
    if (!own) {
        m_priceNote->setText(tr("From the bundled price table by model name (Crucible's list "
                                "prices; a model it does not know is unpriced)."));
    } else if (!c.inputUsdPerMillion || !c.outputUsdPerMillion) {
        m_priceNote->setText(tr("Unpriced: calls show \u201Cunpriced\u201D and a USD budget "
                                "refuses them. Enter 0 for a free local server, or what you pay "
                                "per 1M tokens."));
    } else if (*c.inputUsdPerMillion == 0 && *c.outputUsdPerMillion == 0) {
        m_priceNote->setText(tr("Free: calls show $0."));
    } else {
        m_priceNote->setText(tr("Your price, not a cloud vendor's (even for a model with the "
                                "same name)."));
    }
}

void ProviderEditor::updateKeyHints()
{
    const ProviderConfig c = config();
    const ProviderPresetInfo &info = ProviderPresets::info(c.preset);
    m_keyEnvVar->setPlaceholderText(info.keyEnvVar.isEmpty() ? tr("none (optional)")
                                                             : info.keyEnvVar);
    m_key->setKeyRequired(c.keyRequired());
    m_key->setEnvVarName(c.effectiveKeyEnvVar());
    m_key->setKeyPageUrl(info.keyPageUrl);
}

void ProviderEditor::updateResolvedUrl()
{
    const ProviderConfig c = config();
    if (c.type == ProviderType::Simulated) {
        m_resolvedUrl->setText(tr("none: the simulated provider makes no network requests"));
        m_urlNotes->clear();
        m_connectionForm->setRowVisible(m_urlNotes, false);
        return;
    }
    const NormalizedUrl url = resolveUrl(c, Endpoint::Chat);
    if (url.ok()) {
        m_resolvedUrl->setText(url.url.toString());
        m_resolvedUrl->setStyleSheet(QString());
        m_urlNotes->setText(
            url.notes.isEmpty() ? QString() : tr("(%1)").arg(url.notes.join(QStringLiteral("; "))));
        m_urlNotes->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    } else {
        m_resolvedUrl->setText(tr("none"));
        m_resolvedUrl->setStyleSheet(QStringLiteral("color: %1;").arg(kRed));
        m_urlNotes->setText(sentence(tr("The base URL"), url.error) + u'.');
        m_urlNotes->setStyleSheet(QStringLiteral("color: %1;").arg(kRed));
    }
    m_connectionForm->setRowVisible(m_urlNotes, !m_urlNotes->text().isEmpty());
}

QString ProviderEditor::fieldLabel(const QString &field)
{
    static const QHash<QString, QString> labels = {
        {QStringLiteral("id"), tr("Id")},
        {QStringLiteral("display_name"), tr("Name")},
        {QStringLiteral("type"), tr("Type")},
        {QStringLiteral("base_url"), tr("Base URL")},
        {QStringLiteral("azure_deployment"), tr("Deployment")},
        {QStringLiteral("azure_api_version"), tr("API version")},
        {QStringLiteral("key_env_var"), tr("Key variable")},
        {QStringLiteral("default_model"), tr("Default model")},
        {QStringLiteral("concurrency"), tr("Concurrency")},
        {QStringLiteral("requests_per_minute"), tr("Requests per minute")},
        {QStringLiteral("tokens_per_minute"), tr("Tokens per minute")},
        {QStringLiteral("connect_timeout_ms"), tr("Connect timeout")},
        {QStringLiteral("stream_idle_timeout_ms"), tr("Stream idle timeout")},
        {QStringLiteral("total_timeout_ms"), tr("Total timeout")},
        {QStringLiteral("max_retries"), tr("Max retries")},
        {QStringLiteral("temperature"), tr("Default temperature")},
        {QStringLiteral("max_tokens"), tr("Default max tokens")},
        {QStringLiteral("input_usd_per_million"), tr("Input price")},
        {QStringLiteral("output_usd_per_million"), tr("Output price")},
    };
    return labels.value(field, field);
}

void ProviderEditor::setFieldError(QWidget *field, const QString &message)
{
    field->setStyleSheet(message.isEmpty() ? QString()
                                           : QStringLiteral("border: 1px solid %1;").arg(kRed));
    field->setToolTip(message.isEmpty() ? field->property("plainToolTip").toString() : message);
}

void ProviderEditor::showIssues(const std::vector<ValidationIssue> &issues)
{
    clearIssues();
    if (issues.empty())
        return;
    QStringList lines;
    QWidget *first = nullptr;
    for (const ValidationIssue &issue : issues) {
        const QString text = sentence(fieldLabel(issue.field), issue.rule);
        lines << QStringLiteral("• ") + text;
        QWidget *field = m_fieldWidgets.value(issue.field.section(u'.', 0, 0));
        if (!field)
            continue;
        if (!field->property("plainToolTip").isValid())
            field->setProperty("plainToolTip", field->toolTip());
        setFieldError(field, text);
        if (!first)
            first = field;
    }
    m_issues->setText(tr("This provider cannot be saved yet:") + u'\n' + lines.join(u'\n'));
    m_issues->show();
    if (first) {
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (m_tabs->widget(i)->isAncestorOf(first))
                m_tabs->setCurrentIndex(i);
        }
        first->setFocus();
    }
}

void ProviderEditor::clearIssues()
{
    m_issues->clear();
    m_issues->hide();
    for (QWidget *field : std::as_const(m_fieldWidgets)) {
        if (field->property("plainToolTip").isValid())
            setFieldError(field, {});
    }
}

void ProviderEditor::testConnection()
{
    m_test->start(config(), m_key->key());
}

void ProviderEditor::fetchModels()
{
    if (m_fetchCancel)
        m_fetchCancel->cancel();
    m_fetchCancel.emplace();
    ProviderConfig c = config();
    // A model list should come back in seconds; the config's own limits suit long generations.
    c.connectTimeoutMs = std::min(std::max(1, c.connectTimeoutMs), kFetchTimeoutMs);
    c.streamIdleTimeoutMs = kFetchTimeoutMs;
    c.totalTimeoutMs = kFetchTimeoutMs;
    m_fetching = true;
    m_fetchButton->setEnabled(false);
    m_fetchButton->setText(tr("Fetching…"));
    const NormalizedUrl url = resolveUrl(c, Endpoint::Models);
    m_fetchStatus->setText(url.ok() ? tr("Asking %1…").arg(url.url.toString(QUrl::RemoveUserInfo))
                                    : tr("Asking the simulated provider…"));
    m_fetchStatus->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    m_fetchStatus->show();
    auto task = runFetch(std::move(c), m_key->key(), ++m_fetchGeneration);
    Q_UNUSED(task); // runs on; the continuation checks that the editor still exists
}

QCoro::Task<> ProviderEditor::runFetch(ProviderConfig config, QString apiKey, quint64 generation)
{
    const QPointer<ProviderEditor> self(this);
    const CancelToken token = m_fetchCancel->token();
    const QUrl url = resolvedUrl(config, Endpoint::Models);
    QStringList models;
    QString error;
    try {
        // The provider lives in this frame, so it outlives the call it makes.
        const std::unique_ptr<LlmProvider> provider = providerFor(config, apiKey);
        ModelsResult result = co_await provider->listModels(token);
        models = result.models;
        if (!result.ok())
            error = result.error.message.isEmpty() ? result.error.describe() : result.error.message;
        if (!result.error.providerMessage.isEmpty() &&
            !error.contains(result.error.providerMessage))
            error += tr(" (server said: %1)").arg(result.error.providerMessage);
    } catch (const std::exception &e) {
        error = QString::fromUtf8(e.what());
    }
    if (!self || generation != m_fetchGeneration)
        co_return;
    finishFetch(models, error, url);
}

void ProviderEditor::finishFetch(const QStringList &models, const QString &error, const QUrl &url)
{
    m_fetching = false;
    m_fetchCancel.reset();
    m_fetchButton->setEnabled(true);
    m_fetchButton->setText(tr("Fetch models"));
    const QString where = url.isValid() ? url.toString(QUrl::RemoveUserInfo) : tr("the provider");
    if (!error.isEmpty()) {
        m_fetchStatus->setText(tr("Could not list the models at %1: %2. Type the model name by "
                                  "hand, or fix the URL and key and try again.")
                                   .arg(where, error));
        m_fetchStatus->setStyleSheet(QStringLiteral("color: %1;").arg(kRed));
        return;
    }
    setKnownModels(models);
    if (m_model->currentText().trimmed().isEmpty() && !models.isEmpty())
        m_model->setCurrentIndex(0); // emits edited() through currentTextChanged
    m_fetchStatus->setText(
        models.isEmpty()     ? tr("%1 lists no models: load or pull one on the server.").arg(where)
        : models.size() == 1 ? tr("1 model from %1").arg(where)
                             : tr("%1 models from %2").arg(models.size()).arg(where));
    m_fetchStatus->setStyleSheet(QStringLiteral("color: %1;").arg(kGrey));
    emit modelsFetched(models);
}

void ProviderEditor::cancelRunning()
{
    m_test->clear();
    if (m_fetchCancel)
        m_fetchCancel->cancel();
    m_fetchCancel.reset();
    ++m_fetchGeneration;
    if (m_fetching) {
        m_fetching = false;
        m_fetchButton->setEnabled(true);
        m_fetchButton->setText(tr("Fetch models"));
        m_fetchStatus->hide();
    }
}

bool ProviderEditor::isBusy() const
{
    return m_fetching || m_test->isRunning();
}

} // namespace crucible
