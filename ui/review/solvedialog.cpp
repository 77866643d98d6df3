#include "ui/review/solvedialog.h"

#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solvejob.h"
#include "core/evaluate/solveragent.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/workspace.h"
#include "ui/llm/providerbox.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace crucible {

using nlohmann::json;

SolveDialog::SolveDialog(Mode mode, Workspace *ws, const QString &problemId,
                         const QString &datasetId, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_ws(ws)
    , m_problemId(problemId)
    , m_datasetId(datasetId)
    , m_templates(QString())
    , m_prices(PriceTable::withUserOverrides())
{
    setObjectName(mode == Mode::Solve ? QStringLiteral("solveDialog")
                                      : QStringLiteral("evaluateDialog"));
    setWindowTitle(mode == Mode::Solve ? tr("Solve") : tr("Evaluate solutions"));
    setWindowModality(Qt::WindowModal);
    auto *layout = new QVBoxLayout(this);
    m_target = new QLabel(this);
    m_target->setWordWrap(true);
    layout->addWidget(m_target);
    auto *form = new QFormLayout;
    m_agents = new QListWidget(this);
    m_agents->setObjectName(QStringLiteral("agents"));
    m_agents->setMinimumHeight(110);
    form->addRow(mode == Mode::Solve ? tr("Generators:") : tr("Judges:"), m_agents);
    if (mode == Mode::Solve) {
        m_critic = new QComboBox(this);
        m_critic->setObjectName(QStringLiteral("critic"));
        m_refiner = new QComboBox(this);
        m_refiner->setObjectName(QStringLiteral("refiner"));
        form->addRow(tr("Critic:"), m_critic);
        form->addRow(tr("Refiner:"), m_refiner);
    } else {
        m_aspects = new QLineEdit(Rubric::defaultAspects().join(u','), this);
        m_aspects->setObjectName(QStringLiteral("aspects"));
        m_aspects->setToolTip(tr("Comma-separated aspects, each scored 0–1 with a rationale"));
        form->addRow(tr("Aspects:"), m_aspects);
    }
    m_provider = new QComboBox(this);
    m_provider->setObjectName(QStringLiteral("provider"));
    form->addRow(tr("Provider:"), m_provider);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(8);
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
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(mode == Mode::Solve ? tr("Solve") : tr("Evaluate"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!problemText().isEmpty())
            return;
        EngineJobRequest request;
        request.kind = kind();
        request.params = params();
        request.providerId = m_provider->currentData().toString();
        emit startRequested(request);
        accept();
    });
    fillAgents();
    connect(m_agents, &QListWidget::itemChanged, this, &SolveDialog::update);
    if (m_critic)
        connect(m_critic, &QComboBox::currentIndexChanged, this, &SolveDialog::update);
    if (m_refiner)
        connect(m_refiner, &QComboBox::currentIndexChanged, this, &SolveDialog::update);
    if (m_aspects)
        connect(m_aspects, &QLineEdit::textChanged, this, &SolveDialog::update);
    connect(m_provider, &QComboBox::currentIndexChanged, this, &SolveDialog::update);
    update();
}

void SolveDialog::fillAgents()
{
    if (!m_ws)
        return;
    auto add = [this](QComboBox *box, const QString &role) {
        box->addItem(tr("— none —"), QString());
        for (const SolverAgent &a : agentsWithRole(*m_ws, role))
            box->addItem(QStringLiteral("%1 (v%2)").arg(a.name).arg(a.version), a.versionId);
    };
    try {
        const QString role =
            m_mode == Mode::Solve ? QStringLiteral("generator") : QStringLiteral("evaluator");
        bool first = true;
        for (const SolverAgent &a : agentsWithRole(*m_ws, role)) {
            auto *item = new QListWidgetItem(QStringLiteral("%1 (v%2)").arg(a.name).arg(a.version),
                                             m_agents);
            item->setData(Qt::UserRole, a.versionId);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(first ? Qt::Checked : Qt::Unchecked);
            first = false;
        }
        if (m_critic) {
            add(m_critic, QStringLiteral("critic"));
            add(m_refiner, QStringLiteral("refiner"));
            if (m_critic->count() > 1)
                m_critic->setCurrentIndex(1);
            if (m_refiner->count() > 1)
                m_refiner->setCurrentIndex(1);
        }
    } catch (const std::exception &) {
        // An older workspace has no agents: update() says what to do.
    }
}

void SolveDialog::setProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId)
{
    m_providers = providers;
    fillProviderBox(m_provider, providers, defaultId);
    update();
}

QString SolveDialog::kind() const
{
    return QString::fromLatin1(m_mode == Mode::Solve ? SolveJob::kKind : EvaluateJob::kKind);
}

json SolveDialog::params() const
{
    json p = json::object();
    QStringList checked;
    for (int i = 0; i < m_agents->count(); ++i)
        if (m_agents->item(i)->checkState() == Qt::Checked)
            checked << m_agents->item(i)->data(Qt::UserRole).toString();
    if (m_mode == Mode::Solve) {
        if (!m_datasetId.isEmpty())
            p["dataset_id"] = m_datasetId.toStdString();
        else if (!m_problemId.isEmpty())
            p["problems"] = json::array({m_problemId.toStdString()});
        json teams = json::array();
        for (const QString &g : checked)
            teams.push_back({{"generator", g.toStdString()},
                             {"critic", m_critic->currentData().toString().toStdString()},
                             {"refiner", m_refiner->currentData().toString().toStdString()}});
        p["teams"] = teams;
        p["temperature"] = 0.7;
    } else {
        if (!m_datasetId.isEmpty()) {
            p["dataset_id"] = m_datasetId.toStdString();
        } else if (m_ws && !m_problemId.isEmpty()) {
            json ids = json::array();
            try {
                for (const Solution &s : SolutionRepository(*m_ws).byProblem(m_problemId))
                    ids.push_back(s.id.toStdString());
            } catch (const std::exception &) {
                // normalize() reports the missing solutions
            }
            p["solutions"] = ids;
        }
        p["judges"] = checked;
        p["checks_only"] = checked.isEmpty();
        QStringList aspects;
        Rubric::parseAspects(m_aspects->text(), aspects);
        p["aspects"] = aspects;
        p["temperature"] = 0.0;
    }
    p["provider"] = m_provider->currentData().toString().toStdString();
    p["concurrency"] = m_concurrency->value();
    return p;
}

QString SolveDialog::estimateText() const
{
    return m_estimate->text();
}

QString SolveDialog::problemText() const
{
    return m_problem->text();
}

void SolveDialog::update()
{
    QString target;
    if (m_ws) {
        try {
            if (!m_datasetId.isEmpty()) {
                const auto d = DatasetRepository(*m_ws).get(m_datasetId);
                target = d ? tr("Dataset <b>%1</b> (%2 problems)")
                                 .arg(d->name.toHtmlEscaped())
                                 .arg(d->problemIds.size())
                           : tr("Dataset %1").arg(m_datasetId);
            } else if (!m_problemId.isEmpty()) {
                const auto p = ProblemRepository(*m_ws).get(m_problemId);
                const QString statement = p ? p->statement.simplified() : m_problemId;
                target = tr("Problem <b>%1</b>: %2")
                             .arg(m_problemId, statement.left(160).toHtmlEscaped());
            }
        } catch (const std::exception &) {
        }
    }
    m_target->setText(target.isEmpty() ? tr("Select a problem or a dataset first.") : target);

    QString problem;
    if (!m_ws)
        problem = tr("Open a workspace first.");
    else if (m_ws->isReadOnly())
        problem = tr("The workspace is open read-only.");
    else if (m_agents->count() == 0)
        problem = m_mode == Mode::Solve
                      ? tr("No generator agent yet: create one in the Agents panel first.")
                      : QString();
    if (problem.isEmpty() && m_aspects) {
        QStringList aspects;
        if (const auto error = Rubric::parseAspects(m_aspects->text(), aspects))
            problem = *error;
    }
    json normalized;
    if (problem.isEmpty() && m_ws) {
        try {
            normalized = m_mode == Mode::Solve ? SolveJob::normalize(*m_ws, params())
                                               : EvaluateJob::normalize(*m_ws, params());
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
    const GenerationEstimate e =
        m_mode == Mode::Solve ? SolveJob::estimate(*m_ws, normalized, m_templates, m_prices,
                                                   provider.config, provider.model)
                              : EvaluateJob::estimate(*m_ws, normalized, m_templates, m_prices,
                                                      provider.config, provider.model);
    const int units =
        m_mode == Mode::Solve
            ? static_cast<int>(normalized["problems"].size() * normalized["teams"].size())
            : static_cast<int>(normalized["solutions"].size());
    m_estimate->setText(estimateLine(tr("%1 units; ").arg(units), e, provider.simulated));
}

} // namespace crucible
