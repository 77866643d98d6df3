#include "ui/training/newtrainingrundialog.h"

#include "core/evaluate/solveragent.h"
#include "core/evolve/trainingsession.h"
#include "core/evolve/trainjob.h"
#include "core/generate/generationestimate.h"
#include "core/llm/pricetable.h"
#include "core/model/validationerror.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "ui/feedback/judgebox.h"
#include "ui/llm/providerbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kMinProblems = 6;
constexpr const char *kGenerate = "__generate__"; // the dataset box's "generate one first" item

QSpinBox *spin(QWidget *parent, int lo, int hi, int value, const QString &special = {})
{
    auto *box = new QSpinBox(parent);
    box->setRange(lo, hi);
    box->setValue(value);
    if (!special.isEmpty())
        box->setSpecialValueText(special);
    return box;
}

constexpr int kAgentIdRole = Qt::UserRole + 1;

} // namespace

NewTrainingRunDialog::NewTrainingRunDialog(Workspace *ws, QWidget *parent)
    : QDialog(parent)
    , m_ws(ws)
{
    setWindowTitle(tr("New training run"));
    setObjectName(QStringLiteral("newTrainingRunDialog"));
    auto *layout = new QVBoxLayout(this);

    auto *what = new QGroupBox(tr("What to train"), this);
    auto *whatForm = new QFormLayout(what);
    m_domain = new QComboBox(what);
    // Editable: a new domain can be typed when the run generates its dataset first.
    m_domain->setEditable(true);
    m_domain->setInsertPolicy(QComboBox::NoInsert);
    m_domain->setToolTip(tr("The domain whose problems the run trains on (split once into "
                            "train, validation and held-out test)"));
    whatForm->addRow(tr("&Domain:"), m_domain);
    m_dataset = new QComboBox(what);
    m_dataset->setToolTip(tr("Only this dataset's problems, or every problem of the domain"));
    whatForm->addRow(tr("D&ataset:"), m_dataset);
    m_generateSize = spin(what, 12, 2000, 30);
    m_generateSize->setSuffix(tr(" problems"));
    m_generateSize->setToolTip(tr("A dataset job with the default complexity mix makes this many "
                                  "problems of the domain first; the run starts on them when it "
                                  "completes (Jobs shows its progress)"));
    m_generateLabel = new QLabel(tr("&Generate:"), what);
    m_generateLabel->setBuddy(m_generateSize);
    whatForm->addRow(m_generateLabel, m_generateSize);
    m_agent = new QComboBox(what);
    m_agent->setToolTip(tr("The agent to start from; it is cloned, and the clone receives the "
                           "learnt versions"));
    whatForm->addRow(tr("&Start from:"), m_agent);
    m_specialize = new QCheckBox(tr("S&pecialise the role template for the domain first"), what);
    m_specialize->setChecked(true);
    m_specialize->setToolTip(tr("Before the first cycle the model suggests bounded trait "
                                "adjustments and knowledge domains for this domain (one call); "
                                "an agent you made yourself is trained as it is"));
    whatForm->addRow(QString(), m_specialize);
    m_judge = new QComboBox(what);
    whatForm->addRow(tr("&Judge:"), m_judge);
    m_agents = spin(what, 1, 8, 1);
    m_agents->setToolTip(tr("Train this many agents side by side (one run each, on the same "
                            "split, the budgets shared out equally) and compare them on the same "
                            "held-out problems; the quality chart draws them together"));
    whatForm->addRow(tr("A&gents:"), m_agents);
    layout->addWidget(what);

    auto *how = new QGroupBox(tr("How"), this);
    auto *howForm = new QFormLayout(how);
    m_optimizer = new QComboBox(how);
    m_optimizer->addItem(tr("Reflective (lessons and traits, GEPA-style)"),
                         QStringLiteral("reflective"));
    m_optimizer->addItem(tr("Random search (baseline)"), QStringLiteral("random"));
    m_optimizer->addItem(tr("Personality evolution toward targets"), QStringLiteral("personality"));
    howForm->addRow(tr("&Optimiser:"), m_optimizer);
    m_targets = new QLineEdit(QStringLiteral("success=0.9, tokens=600"), how);
    m_targets->setToolTip(tr("Personality evolution: METRIC=VALUE, comma-separated (success, "
                             "novelty, tokens, or a rubric aspect)"));
    howForm->addRow(tr("&Targets:"), m_targets);
    m_minibatch = spin(how, 1, 50, 3);
    m_minibatch->setToolTip(tr("Train problems per acceptance test of a child version"));
    howForm->addRow(tr("&Minibatch:"), m_minibatch);
    m_variationEvery = spin(how, 0, 1000, 10, tr("never"));
    m_variationEvery->setToolTip(tr("Every this many cycles, variations of the train problem the "
                                    "agent fails most join the train split (never the validation "
                                    "or test split)"));
    howForm->addRow(tr("&Variations every:"), m_variationEvery);
    m_seed = spin(how, 1, 1'000'000, 1);
    m_seed->setToolTip(tr("Seed of the split and of the optimiser's choices (reproducible)"));
    howForm->addRow(tr("S&eed:"), m_seed);
    layout->addWidget(how);

    auto *budgets = new QGroupBox(tr("Budgets (the first one reached ends the run)"), this);
    auto *budgetForm = new QFormLayout(budgets);
    m_calls = spin(budgets, 0, 1'000'000, 600, tr("no limit"));
    m_calls->setSingleStep(50);
    budgetForm->addRow(tr("LLM &calls:"), m_calls);
    m_cycles = spin(budgets, 0, 100'000, 0, tr("until another budget"));
    budgetForm->addRow(tr("C&ycles:"), m_cycles);
    m_hours = new QDoubleSpinBox(budgets);
    m_hours->setRange(0, 1000);
    m_hours->setDecimals(2);
    m_hours->setSingleStep(0.25);
    m_hours->setSpecialValueText(tr("no limit"));
    m_hours->setSuffix(tr(" h"));
    budgetForm->addRow(tr("&Wall time:"), m_hours);
    m_tokens = spin(budgets, 0, 2'000'000'000, 0, tr("no limit"));
    m_tokens->setSingleStep(100'000);
    budgetForm->addRow(tr("To&kens:"), m_tokens);
    m_usd = new QDoubleSpinBox(budgets);
    m_usd->setRange(0, 100'000);
    m_usd->setDecimals(2);
    m_usd->setPrefix(QStringLiteral("$"));
    m_usd->setSpecialValueText(tr("no limit"));
    budgetForm->addRow(tr("&USD:"), m_usd);
    layout->addWidget(budgets);

    auto *where = new QFormLayout();
    m_provider = new QComboBox(this);
    where->addRow(tr("&Provider:"), m_provider);
    auto *landscapeRow = new QHBoxLayout();
    m_landscape = new QCheckBox(tr("Answer from a hidden fitness &landscape, seed"), this);
    m_landscape->setToolTip(tr("Simulated provider only: agents are scored by a hidden optimum "
                               "the optimiser must find, so you can watch it learn offline"));
    m_landscapeSeed = spin(this, 1, 1'000'000, 1);
    landscapeRow->addWidget(m_landscape);
    landscapeRow->addWidget(m_landscapeSeed);
    landscapeRow->addStretch();
    where->addRow(QString(), landscapeRow);
    layout->addLayout(where);

    m_estimate = new QLabel(this);
    m_estimate->setObjectName(QStringLiteral("estimate"));
    m_estimate->setWordWrap(true);
    layout->addWidget(m_estimate);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!problemText().isEmpty())
            return;
        EngineJobRequest request;
        request.kind = QString::fromLatin1(evolve::TrainJob::kKind);
        request.params = params();
        request.providerId = m_provider->currentData().toString();
        if (generating()) {
            emit generateThenStartRequested(generationRequest(), request);
        } else {
            // Several agents: one run each, as one group.
            for (nlohmann::json &p : evolve::TrainingOptions::expandAgents(request.params)) {
                EngineJobRequest one = request;
                one.params = std::move(p);
                emit startRequested(one);
            }
        }
        accept();
    });
    fill();
    connect(m_domain, &QComboBox::currentTextChanged, this, [this] {
        fillDatasets();
        update();
    });
    connect(m_generateSize, &QSpinBox::valueChanged, this, &NewTrainingRunDialog::update);
    for (QComboBox *box : {m_dataset, m_agent, m_judge, m_optimizer, m_provider})
        connect(box, &QComboBox::currentIndexChanged, this, &NewTrainingRunDialog::update);
    for (QSpinBox *box : {m_calls, m_cycles, m_tokens, m_minibatch, m_seed, m_landscapeSeed,
                          m_variationEvery, m_agents})
        connect(box, &QSpinBox::valueChanged, this, &NewTrainingRunDialog::update);
    for (QDoubleSpinBox *box : {m_hours, m_usd})
        connect(box, &QDoubleSpinBox::valueChanged, this, &NewTrainingRunDialog::update);
    connect(m_targets, &QLineEdit::textChanged, this, &NewTrainingRunDialog::update);
    connect(m_landscape, &QCheckBox::toggled, this, &NewTrainingRunDialog::update);
    connect(m_specialize, &QCheckBox::toggled, this, &NewTrainingRunDialog::update);
    update();
}

void NewTrainingRunDialog::fill()
{
    if (!m_ws)
        return;
    try {
        for (const DomainCount &d : ProblemRepository(*m_ws).domains())
            m_domain->addItem(QStringLiteral("%1 (%2 problems)").arg(d.domain).arg(d.count),
                              d.domain);
        for (const auto &[box, role] :
             {std::pair{m_agent, "generator"}, std::pair{m_judge, "evaluator"}})
            for (const SolverAgent &a : agentsWithRole(*m_ws, QString::fromLatin1(role))) {
                box->addItem(QStringLiteral("%1 (v%2)").arg(a.name).arg(a.version), a.versionId);
                box->setItemData(box->count() - 1, a.agentId, kAgentIdRole);
            }
        selectCalibratedJudge(m_judge, *m_ws);
    } catch (const std::exception &) {
        // An older workspace without agents: update() says what to do.
    }
    fillDatasets();
}

void NewTrainingRunDialog::fillDatasets()
{
    const QSignalBlocker block(m_dataset);
    m_dataset->clear();
    m_dataset->addItem(tr("every problem of the domain"), QString());
    if (!m_ws)
        return;
    const QString domain = domainName();
    try {
        for (const Dataset &d : DatasetRepository(*m_ws).list())
            if (d.domain == domain)
                m_dataset->addItem(d.name.isEmpty() ? d.id : d.name, d.id);
    } catch (const std::exception &) {
        // no datasets table yet: every problem of the domain
    }
    m_dataset->addItem(tr("generate a new dataset first…"), QString::fromLatin1(kGenerate));
    // A new domain (or a fresh workspace) has nothing to choose: its dataset is generated first.
    if (m_domain->findText(m_domain->currentText()) < 0)
        m_dataset->setCurrentIndex(m_dataset->count() - 1);
}

void NewTrainingRunDialog::setProviders(const QList<LlmProviderInfo> &providers,
                                        const QString &defaultId)
{
    m_providers = providers;
    fillProviderBox(m_provider, providers, defaultId);
    update();
}

bool NewTrainingRunDialog::simulatedProvider() const
{
    return providerById(m_providers, m_provider->currentData().toString()).simulated;
}

json NewTrainingRunDialog::params() const
{
    evolve::TrainingOptions o;
    o.domain = domainName();
    o.datasetId = generating() ? QString() : m_dataset->currentData().toString();
    o.agent = m_agent->currentData().toString();
    o.judge = m_judge->currentData().toString();
    o.optimizer = m_optimizer->currentData().toString();
    o.settings.maxCalls = m_calls->value();
    o.settings.maxCycles = m_cycles->value();
    o.settings.minibatch = m_minibatch->value();
    o.settings.seed = static_cast<std::uint64_t>(m_seed->value());
    o.variationEvery = m_variationEvery->value();
    o.specialize = m_specialize->isChecked();
    if (o.optimizer == u"personality")
        for (const QString &part : m_targets->text().split(u',', Qt::SkipEmptyParts)) {
            const qsizetype eq = part.indexOf(u'=');
            bool ok = false;
            const double value = eq > 0 ? part.mid(eq + 1).trimmed().toDouble(&ok) : 0.0;
            if (ok)
                o.settings.targets[part.left(eq).trimmed()] = value;
        }
    if (m_hours->value() > 0)
        o.budgetHours = m_hours->value();
    if (m_tokens->value() > 0)
        o.budgetTokens = m_tokens->value();
    if (m_usd->value() > 0)
        o.budgetUsd = m_usd->value();
    const LlmProviderInfo provider =
        providerById(m_providers, m_provider->currentData().toString());
    o.providerId = provider.id;
    o.model = provider.model;
    if (m_landscape->isChecked() && provider.simulated) {
        o.landscapeSeed = static_cast<quint64>(m_landscapeSeed->value());
        o.landscapeLatencyMs = 40; // a watchable pace, and the engine thread gets its turns
    }
    json p = o.toParams();
    if (m_agents->value() > 1)
        p["agents"] = m_agents->value(); // expanded into one run per agent on Start
    return p;
}

bool NewTrainingRunDialog::generating() const
{
    return m_dataset->currentData().toString() == QLatin1String(kGenerate);
}

QString NewTrainingRunDialog::domainName() const
{
    // The chosen item's domain, or the text typed for a new one.
    const int i = m_domain->findText(m_domain->currentText());
    return i >= 0 ? m_domain->itemData(i).toString() : m_domain->currentText().trimmed();
}

GenerationRequest NewTrainingRunDialog::generationRequest() const
{
    GenerationRequest r;
    r.spec.kind = GenerationKind::Dataset;
    r.spec.domain = domainName();
    r.spec.count = m_generateSize->value();
    // Unique, so the window knows the dataset this run waits for.
    r.spec.datasetName =
        tr("%1 for training (%2)")
            .arg(r.spec.domain,
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz")));
    // The dataset comes from the chosen provider; a landscape run's answers are for training.
    r.spec.providerId = m_provider->currentData().toString();
    r.spec.model = providerById(m_providers, r.spec.providerId).model;
    return r;
}

QString NewTrainingRunDialog::estimateText() const
{
    return m_estimate->text();
}

QString NewTrainingRunDialog::problemText() const
{
    return m_problem->text();
}

void NewTrainingRunDialog::update()
{
    const bool simulated = simulatedProvider();
    m_landscape->setEnabled(simulated);
    m_landscapeSeed->setEnabled(simulated && m_landscape->isChecked());
    m_targets->setEnabled(m_optimizer->currentData().toString() == u"personality");
    m_generateSize->setVisible(generating());
    m_generateLabel->setVisible(generating());
    // Only a role template is specialised (TrainingSession::create).
    m_specialize->setEnabled(
        m_agent->currentData(kAgentIdRole).toString().startsWith(QStringLiteral("agt_tpl_")));
    QString problem;
    const json p = params();
    if (!m_ws)
        problem = tr("Open a workspace first.");
    else if (m_ws->isReadOnly())
        problem = tr("The workspace is open read-only.");
    else if (domainName().isEmpty())
        problem = tr("Name a domain: choose one, or type a new one and generate its dataset.");
    else if (m_judge->count() == 0)
        problem = tr("No judge: create an evaluator agent in the Agents panel first.");
    else if (m_provider->count() == 0)
        problem = tr("No LLM provider is ready: add one in Settings → LLM Providers.");
    else if (m_calls->value() == 0 && m_cycles->value() == 0 && m_hours->value() == 0 &&
             m_tokens->value() == 0 && m_usd->value() == 0)
        problem = tr("Set at least one budget: calls, cycles, wall time, tokens or USD.");
    else if (p.value("optimizer", std::string()) == "personality" &&
             p["settings"].value("targets", json::object()).empty())
        problem = tr("Personality evolution needs targets, e.g. success=0.9, tokens=600.");
    QString estimate;
    if (problem.isEmpty()) {
        try {
            const evolve::TrainingOptions o = evolve::TrainingOptions::fromParams(p);
            // The workspace is read when the domain or dataset changes, not on every key.
            const QString key = o.domain + u'\n' + o.datasetId;
            if (key != m_statsKey) {
                m_stats = evolve::TrainingSession::problemStats(*m_ws, o);
                m_statsKey = key;
            }
            if (generating()) {
                // The run's problems do not exist yet: the dataset's size stands for them.
                m_stats.total = m_stats.used = m_generateSize->value();
                m_statsKey.clear();
            }
            const qint64 n = m_stats.total;
            if (n < kMinProblems)
                problem = tr("%1 has %2 problem(s); training needs at least %3 (train, "
                             "validation and held-out test). Generate more first.")
                              .arg(o.domain)
                              .arg(n)
                              .arg(kMinProblems);
            else {
                const LlmProviderInfo provider = providerById(m_providers, o.providerId);
                // Each agent's share of the budgets and its own held-out measurement.
                const int agents = m_agents->value();
                GenerationEstimate e = evolve::TrainingSession::forAgents(
                    evolve::TrainingSession::estimate(m_stats, o.agentOf(QString(), 0, agents),
                                                      m_prices, provider.config),
                    agents);
                if (generating()) {
                    const GenerationRequest g = generationRequest();
                    const LlmProviderInfo gp = providerById(m_providers, g.spec.providerId);
                    const GenerationEstimate ge =
                        estimateGeneration(g.spec, m_templates, m_prices, gp.config, gp.model);
                    e.calls += ge.calls;
                    e.tokensIn += ge.tokensIn;
                    e.tokensOut += ge.tokensOut;
                    if (e.costUsd && ge.costUsd)
                        e.costUsd = *e.costUsd + *ge.costUsd;
                    else
                        e.costUsd.reset();
                }
                estimate = estimateLine(
                    generating() ? tr("generate %1 problems, then train; ").arg(m_stats.used)
                                 : tr("%1 problems; ").arg(m_stats.used),
                    e, provider.simulated);
            }
        } catch (const ValidationError &e) {
            problem = e.message();
        } catch (const std::exception &e) {
            problem = QString::fromUtf8(e.what());
        }
    }
    m_estimate->setText(estimate);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace crucible
