#include "ui/tournament/tournamentdialog.h"

#include "core/evaluate/solveragent.h"
#include "core/evaluate/tournamentjob.h"
#include "core/model/validationerror.h"
#include "core/store/datasetrepository.h"
#include "ui/feedback/judgebox.h"
#include "ui/llm/providerbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace crucible {

using nlohmann::json;

TournamentDialog::TournamentDialog(Workspace *ws, const QString &datasetId, QWidget *parent)
    : QDialog(parent)
    , m_ws(ws)
    , m_datasetId(datasetId)
    , m_templates(QString())
    , m_prices(PriceTable::withUserOverrides())
{
    setObjectName(QStringLiteral("tournamentDialog"));
    setWindowTitle(tr("Run Tournament"));
    setWindowModality(Qt::WindowModal);
    auto *layout = new QVBoxLayout(this);
    m_target = new QLabel(this);
    m_target->setWordWrap(true);
    layout->addWidget(m_target);
    auto *form = new QFormLayout;
    m_entrants = new QListWidget(this);
    m_entrants->setObjectName(QStringLiteral("entrants"));
    m_entrants->setMinimumHeight(110);
    m_entrants->setToolTip(tr("Each checked generator agent enters (at least two entrants)"));
    form->addRow(tr("Entrants:"), m_entrants);
    m_teams = new QCheckBox(tr("Also enter each as a team with this critic and refiner"), this);
    m_teams->setObjectName(QStringLiteral("teams"));
    form->addRow(QString(), m_teams);
    m_critic = new QComboBox(this);
    m_refiner = new QComboBox(this);
    form->addRow(tr("Critic:"), m_critic);
    form->addRow(tr("Refiner:"), m_refiner);
    m_judge = new QComboBox(this);
    m_judge->setObjectName(QStringLiteral("judge"));
    m_judge->setToolTip(tr("Compares two solutions at a time, in both orders"));
    form->addRow(tr("Judge:"), m_judge);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    m_format->addItem(tr("Round-robin (every pairing)"), QStringLiteral("round-robin"));
    m_format->addItem(tr("Swiss (paired by score)"), QStringLiteral("swiss"));
    form->addRow(tr("Format:"), m_format);
    m_rounds = new QSpinBox(this);
    m_rounds->setRange(0, 64);
    m_rounds->setSpecialValueText(tr("automatic"));
    m_rounds->setToolTip(tr("Swiss rounds; automatic: enough to separate the field"));
    form->addRow(tr("Rounds:"), m_rounds);
    m_provider = new QComboBox(this);
    form->addRow(tr("Provider:"), m_provider);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 128);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Comparisons in flight (two judge calls each)"));
    form->addRow(tr("Concurrency:"), m_concurrency);
    layout->addLayout(form);
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
        request.kind = QString::fromLatin1(TournamentJob::kKind);
        request.params = params();
        request.providerId = m_provider->currentData().toString();
        emit startRequested(request);
        accept();
    });
    fillAgents();
    connect(m_entrants, &QListWidget::itemChanged, this, &TournamentDialog::update);
    for (QComboBox *box : {m_critic, m_refiner, m_judge, m_format, m_provider})
        connect(box, &QComboBox::currentIndexChanged, this, &TournamentDialog::update);
    connect(m_teams, &QCheckBox::toggled, this, &TournamentDialog::update);
    connect(m_rounds, &QSpinBox::valueChanged, this, &TournamentDialog::update);
    update();
}

void TournamentDialog::fillAgents()
{
    if (!m_ws)
        return;
    try {
        int n = 0;
        for (const SolverAgent &a : agentsWithRole(*m_ws, QStringLiteral("generator"))) {
            auto *item = new QListWidgetItem(QStringLiteral("%1 (v%2)").arg(a.name).arg(a.version),
                                             m_entrants);
            item->setData(Qt::UserRole, a.versionId);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(n++ < 4 ? Qt::Checked : Qt::Unchecked);
        }
        for (const auto &[box, role] :
             {std::pair{m_critic, "critic"}, std::pair{m_refiner, "refiner"},
              std::pair{m_judge, "evaluator"}}) {
            for (const SolverAgent &a : agentsWithRole(*m_ws, QString::fromLatin1(role)))
                box->addItem(QStringLiteral("%1 (v%2)").arg(a.name).arg(a.version), a.versionId);
        }
        selectCalibratedJudge(m_judge, *m_ws);
    } catch (const std::exception &) {
        // An older workspace without agents: update() says what to do.
    }
}

void TournamentDialog::setProviders(const QList<LlmProviderInfo> &providers,
                                    const QString &defaultId)
{
    m_providers = providers;
    fillProviderBox(m_provider, providers, defaultId);
    update();
}

json TournamentDialog::params() const
{
    json entrants = json::array();
    for (int i = 0; i < m_entrants->count(); ++i) {
        if (m_entrants->item(i)->checkState() != Qt::Checked)
            continue;
        const std::string generator =
            m_entrants->item(i)->data(Qt::UserRole).toString().toStdString();
        entrants.push_back({{"generator", generator}, {"critic", ""}, {"refiner", ""}});
        if (m_teams->isChecked())
            entrants.push_back({{"generator", generator},
                                {"critic", m_critic->currentData().toString().toStdString()},
                                {"refiner", m_refiner->currentData().toString().toStdString()}});
    }
    json p = {{"entrants", entrants},
              {"format", m_format->currentData().toString().toStdString()},
              {"rounds", m_rounds->value()},
              {"provider", m_provider->currentData().toString().toStdString()},
              {"concurrency", m_concurrency->value()}};
    if (!m_datasetId.isEmpty())
        p["dataset_id"] = m_datasetId.toStdString();
    if (m_judge->count() > 0)
        p["judges"] = json::array({m_judge->currentData().toString().toStdString()});
    return p;
}

QString TournamentDialog::estimateText() const
{
    return m_estimate->text();
}

QString TournamentDialog::problemText() const
{
    return m_problem->text();
}

void TournamentDialog::update()
{
    m_rounds->setEnabled(m_format->currentData().toString() == u"swiss");
    m_critic->setEnabled(m_teams->isChecked());
    m_refiner->setEnabled(m_teams->isChecked());
    QString target;
    if (m_ws && !m_datasetId.isEmpty()) {
        try {
            const auto d = DatasetRepository(*m_ws).get(m_datasetId);
            target = d ? tr("Dataset <b>%1</b> (%2 problems)")
                             .arg(d->name.toHtmlEscaped())
                             .arg(d->problemIds.size())
                       : tr("Dataset %1").arg(m_datasetId);
        } catch (const std::exception &) {
        }
    }
    m_target->setText(target.isEmpty() ? tr("Select a dataset first (View → Datasets).") : target);

    QString problem;
    TournamentSpec spec;
    if (!m_ws)
        problem = tr("Open a workspace first.");
    else if (m_ws->isReadOnly())
        problem = tr("The workspace is open read-only.");
    else if (m_judge->count() == 0)
        problem = tr("No judge: create an evaluator agent in the Agents panel first.");
    else if (m_teams->isChecked() && (m_critic->count() == 0 || m_refiner->count() == 0))
        problem = tr("Teams need a critic and a refiner agent.");
    if (problem.isEmpty()) {
        try {
            spec = TournamentJob::specFromParams(*m_ws, params());
            if (spec.entrants.size() < 2)
                problem = tr("Check at least two entrants (or one, entered alone and as a team).");
            else if (spec.problems.isEmpty())
                problem = tr("The dataset has no problems.");
        } catch (const ValidationError &e) {
            problem = e.message();
        } catch (const std::exception &e) {
            problem = QString::fromUtf8(e.what());
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    if (!problem.isEmpty()) {
        m_estimate->setText(tr("Estimate: —"));
        return;
    }
    const LlmProviderInfo provider =
        providerById(m_providers, m_provider->currentData().toString());
    spec.model = provider.model;
    const GenerationEstimate e =
        TournamentJob::estimate(*m_ws, spec, m_templates, m_prices, provider.config);
    m_estimate->setText(estimateLine(tr("%1 comparisons in %2 rounds, each judged in both orders; ")
                                         .arg(TournamentJob::plannedComparisons(spec))
                                         .arg(TournamentJob::roundCount(spec)),
                                     e, provider.simulated));
}

} // namespace crucible
