#include "ui/generate/generatedialog.h"

#include "core/generate/generationestimate.h"
#include "core/generate/pictmodel.h"
#include "ui/llm/providerbox.h"
#include "ui/settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace crucible {

namespace {
const GenerationKind kKinds[] = {GenerationKind::Seeds,   GenerationKind::Variations,
                                 GenerationKind::Dataset, GenerationKind::Adversarial,
                                 GenerationKind::Expand,  GenerationKind::Interactions,
                                 GenerationKind::Matrix};

QString kindLabel(GenerationKind k)
{
    switch (k) {
    case GenerationKind::Seeds:
        return GenerateDialog::tr("Seed problems");
    case GenerationKind::Variations:
        return GenerateDialog::tr("Variations of a problem");
    case GenerationKind::Dataset:
        return GenerateDialog::tr("Dataset with a complexity mix");
    case GenerationKind::Adversarial:
        return GenerateDialog::tr("Adversarial examples");
    case GenerationKind::Expand:
        return GenerateDialog::tr("Expanded scenario");
    case GenerationKind::Interactions:
        return GenerateDialog::tr("Training interactions");
    case GenerationKind::Matrix:
        return GenerateDialog::tr("Problems from the matrix rows");
    }
    return {};
}

// The last settings of each kind, as JSON under "generate/<kind>" (no secrets: provider ids,
// domains, sizes).
Setting<QString> kindSetting(GenerationKind k, QByteArray &key)
{
    key = QByteArrayLiteral("generate/") + toString(k).toLatin1();
    return Setting<QString>{key.constData(), {}};
}

QSpinBox *spin(int min, int max, int value, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(min, max);
    s->setValue(value);
    return s;
}
} // namespace

GenerateDialog::GenerateDialog(const PromptTemplates &templates, const PriceTable &prices,
                               QWidget *parent)
    : QDialog(parent)
    , m_templates(templates)
    , m_prices(prices)
{
    setWindowTitle(tr("Generate"));
    setObjectName(QStringLiteral("generateDialog"));
    auto *layout = new QVBoxLayout(this);

    auto *common = new QFormLayout;
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kind"));
    for (GenerationKind k : kKinds)
        m_kind->addItem(kindLabel(k), static_cast<int>(k));
    common->addRow(tr("&Make:"), m_kind);
    m_provider = new QComboBox(this);
    m_provider->setObjectName(QStringLiteral("provider"));
    common->addRow(tr("&Provider:"), m_provider);
    m_base = new QLabel(tr("No problem selected: select one in the Problems table first."), this);
    m_base->setObjectName(QStringLiteral("baseProblem"));
    m_base->setWordWrap(true);
    common->addRow(tr("Base problem:"), m_base);
    m_domain = new QLineEdit(this);
    m_domain->setObjectName(QStringLiteral("domain"));
    m_domain->setPlaceholderText(tr("e.g. hospital logistics"));
    common->addRow(tr("&Domain:"), m_domain);
    m_context = new QPlainTextEdit(this);
    m_context->setPlaceholderText(tr("Optional background the generator should know: setting, "
                                     "vocabulary, what matters to you"));
    m_context->setMaximumHeight(64);
    common->addRow(tr("Conte&xt:"), m_context);
    layout->addLayout(common);

    m_pages = new QStackedWidget(this);
    for (GenerationKind k : kKinds)
        m_pages->addWidget(buildSpecificPage(k));
    auto *specific = new QGroupBox(tr("Parameters"), this);
    auto *specificLayout = new QVBoxLayout(specific);
    specificLayout->addWidget(m_pages);
    layout->addWidget(specific);

    auto *advanced = new QGroupBox(tr("Sampling and quality"), this);
    auto *adv = new QFormLayout(advanced);
    m_temperature = new QDoubleSpinBox(advanced);
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.9);
    adv->addRow(tr("Temperature:"), m_temperature);
    m_concurrency = spin(1, 64, 8, advanced);
    adv->addRow(tr("Calls in parallel:"), m_concurrency);
    m_budget = spin(0, 1'000'000, 0, advanced);
    m_budget->setSpecialValueText(tr("automatic (2 × target + 10)"));
    m_budget->setToolTip(tr("Candidates allowed in all, rejected ones included"));
    adv->addRow(tr("Candidate budget:"), m_budget);
    m_budgetUsd = new QDoubleSpinBox(advanced);
    m_budgetUsd->setObjectName(QStringLiteral("budgetUsd"));
    m_budgetUsd->setRange(0, 100'000);
    m_budgetUsd->setDecimals(2);
    m_budgetUsd->setSingleStep(0.5);
    m_budgetUsd->setPrefix(QStringLiteral("$"));
    m_budgetUsd->setSpecialValueText(tr("no limit"));
    m_budgetUsd->setToolTip(tr("US dollars the job may spend in all, resumed runs included "
                               "(CLI: --budget-usd). The job stops before a call that would "
                               "pass it; needs a priced model."));
    adv->addRow(tr("Spend at most:"), m_budgetUsd);
    m_threshold = new QDoubleSpinBox(advanced);
    m_threshold->setRange(0.05, 1.0);
    m_threshold->setSingleStep(0.05);
    m_threshold->setValue(0.8);
    m_threshold->setToolTip(tr("A candidate whose word-shingle Jaccard similarity to an existing "
                               "problem of the domain reaches this is rejected as a near "
                               "duplicate"));
    adv->addRow(tr("Near-duplicate at Jaccard ≥"), m_threshold);
    layout->addWidget(advanced);

    m_estimate = new QLabel(this);
    m_estimate->setObjectName(QStringLiteral("estimate"));
    layout->addWidget(m_estimate);
    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problem"));
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_problemLabel->setWordWrap(true);
    layout->addWidget(m_problemLabel);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Generate"));
    m_ok->setToolTip(tr("Start the job (Ctrl+Enter)"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(this, &QDialog::accepted, this, &GenerateDialog::saveSettings);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    auto *go = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(go, &QShortcut::activated, this, [this] {
        if (m_ok->isEnabled())
            accept();
    });

    connect(m_kind, &QComboBox::currentIndexChanged, this, &GenerateDialog::onKindChanged);
    for (QSpinBox *s : findChildren<QSpinBox *>())
        connect(s, &QSpinBox::valueChanged, this, &GenerateDialog::updateState);
    for (QDoubleSpinBox *s : findChildren<QDoubleSpinBox *>())
        connect(s, &QDoubleSpinBox::valueChanged, this, &GenerateDialog::updateState);
    for (QLineEdit *e : findChildren<QLineEdit *>())
        connect(e, &QLineEdit::textChanged, this, &GenerateDialog::updateState);
    for (QCheckBox *c : findChildren<QCheckBox *>())
        connect(c, &QCheckBox::toggled, this, &GenerateDialog::updateState);
    for (QComboBox *c : findChildren<QComboBox *>())
        if (c != m_kind)
            connect(c, &QComboBox::currentIndexChanged, this, &GenerateDialog::updateState);
    connect(m_strategies, &QListWidget::itemChanged, this, &GenerateDialog::updateState);
    connect(m_roles, &QPlainTextEdit::textChanged, this, &GenerateDialog::updateState);
    resize(560, 680);
    onKindChanged();
}

QWidget *GenerateDialog::buildSpecificPage(GenerationKind kind)
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    switch (kind) {
    case GenerationKind::Seeds:
        m_count = spin(1, 200, 5, page);
        m_count->setObjectName(QStringLiteral("seedCount"));
        form->addRow(tr("Seed problems:"), m_count);
        form->addRow(new QLabel(tr("Diverse problems for the domain, each with constraints and "
                                   "success criteria, marked as seeds."),
                                page));
        break;
    case GenerationKind::Dataset: {
        m_size = spin(1, 100'000, 100, page);
        m_size->setObjectName(QStringLiteral("datasetSize"));
        form->addRow(tr("Accepted problems (N):"), m_size);
        auto *mix = new QHBoxLayout;
        m_simple = spin(0, 100, 30, page);
        m_medium = spin(0, 100, 50, page);
        m_complex = spin(0, 100, 20, page);
        for (QSpinBox *s : {m_simple, m_medium, m_complex})
            s->setSuffix(QStringLiteral(" %"));
        mix->addWidget(new QLabel(tr("simple"), page));
        mix->addWidget(m_simple);
        mix->addWidget(new QLabel(tr("medium"), page));
        mix->addWidget(m_medium);
        mix->addWidget(new QLabel(tr("complex"), page));
        mix->addWidget(m_complex);
        form->addRow(tr("Complexity mix:"), mix);
        m_datasetName = new QLineEdit(page);
        m_datasetName->setPlaceholderText(tr("default: domain and size"));
        form->addRow(tr("Dataset name:"), m_datasetName);
        break;
    }
    case GenerationKind::Variations: {
        auto *levels = new QHBoxLayout;
        m_levelSimple = new QCheckBox(tr("simple"), page);
        m_levelMedium = new QCheckBox(tr("medium"), page);
        m_levelComplex = new QCheckBox(tr("complex"), page);
        for (QCheckBox *c : {m_levelSimple, m_levelMedium, m_levelComplex}) {
            c->setChecked(true);
            levels->addWidget(c);
        }
        form->addRow(tr("Levels:"), levels);
        m_perLevel = spin(1, 100, 3, page);
        form->addRow(tr("Per level:"), m_perLevel);
        break;
    }
    case GenerationKind::Adversarial:
        m_capability = new QLineEdit(page);
        m_capability->setText(tr("careful reasoning about the problem's assumptions"));
        form->addRow(tr("Capability to challenge:"), m_capability);
        m_difficulty = new QComboBox(page);
        m_difficulty->addItems(
            {QStringLiteral("easy"), QStringLiteral("medium"), QStringLiteral("hard")});
        m_difficulty->setCurrentIndex(1);
        form->addRow(tr("Difficulty:"), m_difficulty);
        m_strategies = new QListWidget(page);
        m_strategies->setMaximumHeight(120);
        for (const auto &s : adversarialStrategies()) {
            auto *item =
                new QListWidgetItem(strategyLabel(QString::fromLatin1(s.id)), m_strategies);
            item->setData(Qt::UserRole, QString::fromLatin1(s.id));
            item->setToolTip(QString::fromLatin1(s.description));
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Checked);
        }
        form->addRow(tr("Strategies:"), m_strategies);
        m_advCount = spin(1, 500, 6, page);
        form->addRow(tr("Examples:"), m_advCount);
        break;
    case GenerationKind::Expand:
        m_factors = new QLineEdit(page);
        m_factors->setText(QStringLiteral("time, resources, stakeholders, constraints"));
        m_factors->setToolTip(tr("Comma-separated; add your own factors"));
        form->addRow(tr("Factors:"), m_factors);
        m_detail = new QComboBox(page);
        m_detail->addItems(
            {QStringLiteral("brief"), QStringLiteral("moderate"), QStringLiteral("extensive")});
        m_detail->setCurrentIndex(1);
        form->addRow(tr("Detail:"), m_detail);
        m_expandCount = spin(1, 100, 1, page);
        form->addRow(tr("Expanded scenarios:"), m_expandCount);
        break;
    case GenerationKind::Interactions:
        m_interactionCount = spin(1, 500, 3, page);
        form->addRow(tr("Conversations:"), m_interactionCount);
        m_turns = spin(2, 50, 6, page);
        form->addRow(tr("Turn limit:"), m_turns);
        m_roles = new QPlainTextEdit(page);
        m_roles->setMaximumHeight(80);
        m_roles->setPlaceholderText(
            tr("One participant per line, in speaking order: role=Name: description\n"
               "empty: a user persona and an agent"));
        form->addRow(tr("Participants:"), m_roles);
        form->addRow(new QLabel(tr("Stops at the turn limit, when the goal is reached "
                                   "(a summary or agreement), or on repetition."),
                                page));
        break;
    case GenerationKind::Matrix:
        m_matrixSummary =
            new QLabel(tr("Open View → Problem Matrix and press Generate there."), page);
        m_matrixSummary->setWordWrap(true);
        form->addRow(tr("Matrix:"), m_matrixSummary);
        m_template = new QLineEdit(page);
        m_template->setObjectName(QStringLiteral("statementTemplate"));
        m_template->setPlaceholderText(tr("e.g. A {Customer tier} customer writes by {Channel} "
                                          "about {Issue}"));
        m_template->setToolTip(tr("{Dimension} is replaced by the row's value; empty: a plain "
                                  "listing of the values"));
        form->addRow(tr("Statement template:"), m_template);
        m_matrixLlm = new QCheckBox(tr("Let the LLM write each problem from the base problem "
                                       "and the row's values"),
                                    page);
        form->addRow(QString(), m_matrixLlm);
        m_matrixWarning = new QLabel(page);
        m_matrixWarning->setObjectName(QStringLiteral("matrixWarning"));
        m_matrixWarning->setWordWrap(true);
        m_matrixWarning->setStyleSheet(QStringLiteral("color: #8a5a00;"));
        m_matrixWarning->setText(
            tr("Without a statement template each problem is a bare list of the row's values "
               "(\"Ward: ICU; Resource: Nurses\"), not a problem a model can work on. Write a "
               "template above, or <a href=\"llm\">let the LLM write each problem</a> from a "
               "base problem."));
        m_matrixWarning->setTextInteractionFlags(Qt::TextBrowserInteraction);
        connect(m_matrixWarning, &QLabel::linkActivated, this,
                [this] { m_matrixLlm->setChecked(true); });
        form->addRow(QString(), m_matrixWarning);
        break;
    }
    return page;
}

void GenerateDialog::setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId)
{
    m_providerInfos = providers;
    fillProviderBox(m_provider, providers, defaultId);
    // The provider last used for this kind, when it is still there.
    QByteArray key;
    const auto state =
        nlohmann::json::parse(kindSetting(kind(), key).get().toStdString(), nullptr, false);
    if (state.is_object())
        if (const int i = m_provider->findData(
                QString::fromStdString(state.value("provider", std::string())));
            i >= 0)
            m_provider->setCurrentIndex(i);
    updateState();
}

void GenerateDialog::setKind(GenerationKind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(kind)));
}

void GenerateDialog::setBaseProblem(const QString &id, const QString &statement,
                                    const QString &domain)
{
    m_baseId = id;
    m_baseStatement = statement;
    if (id.isEmpty()) {
        m_base->setText(tr("No problem selected: select one in the Problems table first."));
    } else {
        const QString excerpt =
            statement.size() > 160 ? statement.left(159) + QChar(0x2026) : statement;
        m_base->setText(QStringLiteral("<b>%1</b> — %2").arg(id, excerpt.toHtmlEscaped()));
    }
    m_baseDomain = domain;
    // Only kinds that start from this problem take its domain: a seed or dataset job is
    // about whatever domain the person names, not the row that happens to be selected.
    if (!id.isEmpty() && spec().needsBaseProblem()) {
        m_domain->setText(domain);
        m_domainFromBase = true;
    }
    updateState();
}

void GenerateDialog::setMatrix(const QString &pictText, int strength, quint64 seed, int rows)
{
    m_matrixText = pictText;
    m_strength = strength;
    m_seed = seed;
    m_matrixRows = rows;
    QStringList names;
    try {
        for (const auto &p : PictModel::parse(pictText.toStdString()).parameters)
            names << QString::fromStdString(p.name);
    } catch (const std::exception &) {
        // The summary and problem() say what is wrong with the model.
    }
    if (!names.isEmpty()) {
        m_template->setPlaceholderText(tr("e.g. %1").arg(exampleStatementTemplate(names)));
        m_template->setToolTip(
            tr("{Dimension} is replaced by the row's value; this matrix has "
               "%1")
                .arg(QLatin1Char('{') + names.join(QStringLiteral("}, {")) + QLatin1Char('}')));
    }
    m_matrixSummary->setText(tr("%1 rows (strength %2, seed %3): one problem per row")
                                 .arg(rows)
                                 .arg(strength)
                                 .arg(seed));
    setKind(GenerationKind::Matrix);
    updateState();
}

GenerationKind GenerateDialog::kind() const
{
    return static_cast<GenerationKind>(m_kind->currentData().toInt());
}

GenerationSpec GenerateDialog::spec() const
{
    GenerationSpec s;
    s.kind = kind();
    s.providerId = m_provider->currentData().toString();
    s.domain = m_domain->text().trimmed();
    s.context = m_context->toPlainText().trimmed();
    s.temperature = m_temperature->value();
    s.concurrency = m_concurrency->value();
    s.candidateBudget = m_budget->value();
    s.dedupThreshold = m_threshold->value();
    s.budgetUsd = m_budgetUsd->isEnabled() ? m_budgetUsd->value() : 0.0;
    const bool needsBase =
        s.needsBaseProblem() || (s.kind == GenerationKind::Matrix && m_matrixLlm->isChecked());
    if (needsBase)
        s.baseProblemId = m_baseId;
    switch (s.kind) {
    case GenerationKind::Seeds:
        s.count = m_count->value();
        break;
    case GenerationKind::Dataset:
        s.count = m_size->value();
        s.mix = {{Complexity::Simple, m_simple->value() / 100.0},
                 {Complexity::Medium, m_medium->value() / 100.0},
                 {Complexity::Complex, m_complex->value() / 100.0}};
        s.datasetName = m_datasetName->text().trimmed();
        break;
    case GenerationKind::Variations:
        s.levels.clear();
        if (m_levelSimple->isChecked())
            s.levels.push_back(Complexity::Simple);
        if (m_levelMedium->isChecked())
            s.levels.push_back(Complexity::Medium);
        if (m_levelComplex->isChecked())
            s.levels.push_back(Complexity::Complex);
        s.perLevel = m_perLevel->value();
        break;
    case GenerationKind::Adversarial:
        s.targetCapability = m_capability->text().trimmed();
        s.difficulty = m_difficulty->currentText();
        for (int i = 0; i < m_strategies->count(); ++i)
            if (m_strategies->item(i)->checkState() == Qt::Checked)
                s.strategies << m_strategies->item(i)->data(Qt::UserRole).toString();
        s.count = m_advCount->value();
        break;
    case GenerationKind::Expand:
        for (const QString &f : m_factors->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            s.factors << f.trimmed();
        s.detailLevel = m_detail->currentText();
        s.count = m_expandCount->value();
        break;
    case GenerationKind::Interactions:
        s.count = m_interactionCount->value();
        s.turnLimit = m_turns->value();
        for (const QString &line :
             m_roles->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            const qsizetype colon = line.indexOf(QLatin1Char(':'), eq + 1);
            if (eq > 0 && colon > eq + 1)
                s.roles.push_back({line.left(eq).trimmed(),
                                   line.mid(eq + 1, colon - eq - 1).trimmed(),
                                   line.mid(colon + 1).trimmed()});
            else
                s.roles.push_back({}); // reported by problem()
        }
        break;
    case GenerationKind::Matrix:
        s.pictModel = m_matrixText;
        s.strength = m_strength;
        s.seed = m_seed;
        s.statementTemplate = m_template->text().trimmed();
        break;
    }
    return s;
}

QStringList GenerateDialog::problems() const
{
    QStringList out;
    const GenerationSpec s = spec();
    if (s.usesLlm() && m_provider->count() == 0)
        out << tr("No LLM provider is loaded yet (Settings → LLM Providers).");
    const bool needsBase =
        s.needsBaseProblem() || (s.kind == GenerationKind::Matrix && m_matrixLlm->isChecked());
    if (needsBase && m_baseId.isEmpty())
        out << tr("Select a base problem in the Problems table first.");
    if (s.kind == GenerationKind::Matrix && m_matrixText.isEmpty())
        out << tr("Build a matrix in View → Problem Matrix and press Generate there.");
    if (s.kind == GenerationKind::Adversarial && s.strategies.isEmpty())
        out << tr("Choose at least one strategy.");
    if (s.usesLlm() && s.budgetUsd > 0) {
        for (const auto &p : m_providerInfos)
            if (p.id == s.providerId && !p.simulated && !m_prices.lookup(p.model))
                out << tr("Spend at most: %1 has no price, so a dollar limit cannot be kept; "
                          "set it to \"no limit\" or add a price in Settings.")
                           .arg(p.model);
    }
    bool rolesExplained = false;
    for (const ValidationIssue &issue : s.validate()) {
        // Already said above in the dialog's own words.
        if (issue.field == QLatin1String("base_problem_id") && needsBase && m_baseId.isEmpty())
            continue;
        if (issue.field == QLatin1String("pict_model") && m_matrixText.isEmpty())
            continue;
        if (issue.field.startsWith(QLatin1String("roles"))) {
            if (rolesExplained)
                continue;
            rolesExplained = true;
        }
        out << issue.toString();
    }
    return out;
}

QString GenerateDialog::problem() const
{
    return problems().join(QLatin1Char('\n'));
}

QString GenerateDialog::matrixWarningText() const
{
    return m_matrixWarning && m_matrixWarning->isVisibleTo(this) ? m_matrixWarning->text()
                                                                 : QString();
}

QString GenerateDialog::estimateText() const
{
    return m_estimate->text();
}

void GenerateDialog::updateState()
{
    if (!m_problemLabel)
        return; // still building
    const bool needsBase =
        kind() == GenerationKind::Matrix ? m_matrixLlm->isChecked() : spec().needsBaseProblem();
    m_base->setEnabled(needsBase);
    const QString why = problem();
    m_problemLabel->setText(why);
    m_problemLabel->setVisible(!why.isEmpty());
    m_ok->setEnabled(why.isEmpty());

    const GenerationSpec s = spec();
    m_matrixWarning->setVisible(s.kind == GenerationKind::Matrix && !s.usesLlm() &&
                                s.statementTemplate.isEmpty());
    const LlmProviderInfo provider = providerById(m_providerInfos, s.providerId);
    const GenerationEstimate e = estimateGeneration(s, m_templates, m_prices, provider.config,
                                                    provider.model, m_baseStatement, m_matrixRows);
    m_budgetUsd->setEnabled(s.usesLlm() && !provider.simulated);
    if (!s.usesLlm())
        m_estimate->setText(
            tr("Estimate: no LLM calls; %1 problems from the matrix rows, $0 (free).")
                .arg(m_matrixRows));
    else
        m_estimate->setText(estimateLine(QString(), e, provider.simulated));
}

void GenerateDialog::onKindChanged()
{
    m_pages->setCurrentIndex(m_kind->currentIndex());
    // The base problem's domain does not follow into a kind that has no base problem.
    if (!spec().needsBaseProblem() && m_domainFromBase && m_domain->text() == m_baseDomain)
        m_domain->clear();
    m_domainFromBase = false;
    QByteArray key;
    const QString saved = kindSetting(kind(), key).get();
    if (!saved.isEmpty()) {
        const auto state = nlohmann::json::parse(saved.toStdString(), nullptr, false);
        if (state.is_object())
            applyFormState(state);
    }
    if (spec().needsBaseProblem() && !m_baseId.isEmpty()) {
        m_domain->setText(m_baseDomain);
        m_domainFromBase = true;
    }
    updateState();
}

void GenerateDialog::saveSettings() const
{
    QByteArray key;
    kindSetting(kind(), key).set(QString::fromStdString(formState().dump()));
}

void GenerateDialog::forgetSettings()
{
    for (GenerationKind k : kKinds) {
        QByteArray key;
        kindSetting(k, key).reset();
    }
}

nlohmann::json GenerateDialog::formState() const
{
    const GenerationSpec s = spec();
    nlohmann::json j = {
        {"provider", s.providerId.toStdString()}, {"context", s.context.toStdString()},
        {"temperature", s.temperature},           {"concurrency", s.concurrency},
        {"candidate_budget", s.candidateBudget},  {"budget_usd", m_budgetUsd->value()},
        {"dedup_threshold", s.dedupThreshold}};
    if (!s.needsBaseProblem())
        j["domain"] = s.domain.toStdString();
    switch (s.kind) {
    case GenerationKind::Seeds:
        j["count"] = m_count->value();
        break;
    case GenerationKind::Dataset:
        j["count"] = m_size->value();
        j["mix"] = {m_simple->value(), m_medium->value(), m_complex->value()};
        break;
    case GenerationKind::Variations:
        j["levels"] = {m_levelSimple->isChecked(), m_levelMedium->isChecked(),
                       m_levelComplex->isChecked()};
        j["per_level"] = m_perLevel->value();
        break;
    case GenerationKind::Adversarial:
        j["target_capability"] = s.targetCapability.toStdString();
        j["difficulty"] = s.difficulty.toStdString();
        j["strategies"] = s.strategies;
        j["count"] = m_advCount->value();
        break;
    case GenerationKind::Expand:
        j["factors"] = m_factors->text().toStdString();
        j["detail_level"] = s.detailLevel.toStdString();
        j["count"] = m_expandCount->value();
        break;
    case GenerationKind::Interactions:
        j["count"] = m_interactionCount->value();
        j["turn_limit"] = m_turns->value();
        j["roles"] = m_roles->toPlainText().toStdString();
        break;
    case GenerationKind::Matrix:
        j["llm"] = m_matrixLlm->isChecked();
        break;
    }
    return j;
}

void GenerateDialog::applyFormState(const nlohmann::json &j)
{
    auto str = [&j](const char *key) {
        return QString::fromStdString(j.value(key, std::string()));
    };
    auto setInt = [&j](QSpinBox *box, const char *key) {
        if (box && j.contains(key) && j[key].is_number_integer())
            box->setValue(j[key].get<int>());
    };
    auto setDouble = [&j](QDoubleSpinBox *box, const char *key) {
        if (box && j.contains(key) && j[key].is_number())
            box->setValue(j[key].get<double>());
    };
    if (const int i = m_provider->findData(str("provider")); i >= 0)
        m_provider->setCurrentIndex(i);
    if (j.contains("domain"))
        m_domain->setText(str("domain"));
    if (j.contains("context"))
        m_context->setPlainText(str("context"));
    setDouble(m_temperature, "temperature");
    setInt(m_concurrency, "concurrency");
    setInt(m_budget, "candidate_budget");
    setDouble(m_budgetUsd, "budget_usd");
    setDouble(m_threshold, "dedup_threshold");
    switch (kind()) {
    case GenerationKind::Seeds:
        setInt(m_count, "count");
        break;
    case GenerationKind::Dataset:
        setInt(m_size, "count");
        if (const auto it = j.find("mix"); it != j.end() && it->is_array() && it->size() == 3) {
            m_simple->setValue((*it)[0].get<int>());
            m_medium->setValue((*it)[1].get<int>());
            m_complex->setValue((*it)[2].get<int>());
        }
        break;
    case GenerationKind::Variations:
        if (const auto it = j.find("levels"); it != j.end() && it->is_array() && it->size() == 3) {
            m_levelSimple->setChecked((*it)[0].get<bool>());
            m_levelMedium->setChecked((*it)[1].get<bool>());
            m_levelComplex->setChecked((*it)[2].get<bool>());
        }
        setInt(m_perLevel, "per_level");
        break;
    case GenerationKind::Adversarial: {
        if (j.contains("target_capability"))
            m_capability->setText(str("target_capability"));
        if (const int i = m_difficulty->findText(str("difficulty")); i >= 0)
            m_difficulty->setCurrentIndex(i);
        if (const auto it = j.find("strategies"); it != j.end() && it->is_array()) {
            QStringList ids;
            for (const auto &v : *it)
                if (v.is_string())
                    ids << QString::fromStdString(v.get<std::string>());
            for (int i = 0; i < m_strategies->count(); ++i)
                m_strategies->item(i)->setCheckState(
                    ids.contains(m_strategies->item(i)->data(Qt::UserRole).toString())
                        ? Qt::Checked
                        : Qt::Unchecked);
        }
        setInt(m_advCount, "count");
        break;
    }
    case GenerationKind::Expand:
        if (j.contains("factors"))
            m_factors->setText(str("factors"));
        if (const int i = m_detail->findText(str("detail_level")); i >= 0)
            m_detail->setCurrentIndex(i);
        setInt(m_expandCount, "count");
        break;
    case GenerationKind::Interactions:
        setInt(m_interactionCount, "count");
        setInt(m_turns, "turn_limit");
        if (j.contains("roles"))
            m_roles->setPlainText(str("roles"));
        break;
    case GenerationKind::Matrix:
        m_matrixLlm->setChecked(j.value("llm", false));
        break;
    }
}

} // namespace crucible
