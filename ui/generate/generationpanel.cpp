#include "ui/generate/generationpanel.h"
#include "core/llm/moneyformat.h"

#include "core/engine/enginejobkinds.h"
#include "core/store/datasetexporter.h"
#include "core/store/datasetrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/generate/generatedialog.h"
#include "ui/llm/llmenginehost.h"
#include "ui/models/jobtablemodel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace crucible {

namespace {

// Draws the Accepted column as a progress bar with "accepted / target" on it.
class ProgressDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = index.data(JobTableModel::ProgressRole).toInt();
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

const std::pair<GenerationKind, const char *> kMenu[] = {
    {GenerationKind::Seeds, QT_TRANSLATE_NOOP("GenerationPanel", "&Seed Problems…")},
    {GenerationKind::Variations, QT_TRANSLATE_NOOP("GenerationPanel", "&Variations…")},
    {GenerationKind::Dataset, QT_TRANSLATE_NOOP("GenerationPanel", "&Dataset…")},
    {GenerationKind::Adversarial, QT_TRANSLATE_NOOP("GenerationPanel", "&Adversarial Examples…")},
    {GenerationKind::Expand, QT_TRANSLATE_NOOP("GenerationPanel", "&Expanded Scenario…")},
    {GenerationKind::Interactions, QT_TRANSLATE_NOOP("GenerationPanel", "&Interactions…")},
};

} // namespace

GenerationPanel::GenerationPanel(LlmEngineHost *host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_prices(PriceTable::withUserOverrides())
    , m_model(new JobTableModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_new = new QPushButton(tr("&New Job"), this);
    m_new->setObjectName(QStringLiteral("newJob"));
    auto *menu = new QMenu(m_new);
    for (const auto &[kind, label] : kMenu) {
        const GenerationKind k = kind;
        menu->addAction(tr(label), this, [this, k] { openDialog(k); });
    }
    m_new->setMenu(menu);
    m_cancel = new QPushButton(tr("&Cancel Job"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    m_resume = new QPushButton(tr("&Resume Job"), this);
    m_resume->setObjectName(QStringLiteral("resumeJob"));
    m_resume->setToolTip(tr("Continue an interrupted, cancelled or failed job: what was "
                            "accepted stays, nothing is made twice"));
    bar->addWidget(m_new);
    bar->addWidget(m_cancel);
    bar->addWidget(m_resume);
    m_export = new QPushButton(tr("E&xport Dataset…"), this);
    m_export->setObjectName(QStringLiteral("exportDataset"));
    m_export->setToolTip(tr("The job's dataset as Hugging Face JSONL, with its dataset card "
                            "(Markdown) next to it"));
    bar->addWidget(m_export);
    m_delete = new QPushButton(tr("&Delete Job…"), this);
    m_delete->setObjectName(QStringLiteral("deleteJob"));
    m_delete->setToolTip(tr("Delete a finished, failed, cancelled or interrupted job; you choose "
                            "whether its problems stay"));
    bar->addWidget(m_delete);
    bar->addStretch();
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("jobsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setItemDelegateForColumn(JobTableModel::ProgressColumn, new ProgressDelegate(m_table));
    m_table->horizontalHeader()->setSectionResizeMode(JobTableModel::ProgressColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->resizeSection(JobTableModel::JobColumn, 170);
    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("jobDetails"));
    m_details->setPlaceholderText(tr("Select a job to see its counts, rejects and cost."));
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("generationStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Generate → Dataset… (or another kind) starts a job. Jobs are "
                         "checkpointed: an interrupted one resumes where it stopped."));
    layout->addWidget(m_status);

    connect(m_cancel, &QPushButton::clicked, this, &GenerationPanel::cancelSelected);
    connect(m_resume, &QPushButton::clicked, this, &GenerationPanel::resumeSelected);
    connect(m_delete, &QPushButton::clicked, this, &GenerationPanel::requestDeleteSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        showDetails();
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        auto *dialog =
            new QFileDialog(window(), tr("Export Dataset"), QString(), tr("JSON Lines (*.jsonl)"));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(QStringLiteral("jsonl"));
        dialog->selectFile(selectedDatasetId() + QStringLiteral(".jsonl"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &GenerationPanel::exportSelectedDataset);
        dialog->open(); // no nested event loop
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { updateButtons(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { updateButtons(); });

    if (m_host) {
        connect(m_host->engine(), &LlmEngine::providersChanged, this,
                [this](const QList<LlmProviderInfo> &providers, const QString &defaultId,
                       const QStringList &) {
                    m_providers = providers;
                    m_defaultProvider = defaultId;
                    if (m_dialog)
                        m_dialog->setProviders(providers, defaultId);
                });
        GenerationEngine *g = m_host->generation();
        connect(g, &GenerationEngine::jobStarted, m_model, &JobTableModel::onStarted);
        connect(g, &GenerationEngine::jobProgress, m_model, &JobTableModel::onProgress);
        // The selected job's details follow it while it runs.
        connect(g, &GenerationEngine::jobProgress, this, [this](const JobProgress &p) {
            if (p.jobId == selectedJobId())
                showDetails();
        });
        connect(g, &GenerationEngine::jobFinished, this, &GenerationPanel::onFinished);
        connect(g, &GenerationEngine::jobStarted, this,
                [this](const QString &id, const QString &kind) {
                    m_status->setText(tr("Job %1 (%2) is running.").arg(id, kind));
                    const int row = m_model->rowOf(id);
                    if (row >= 0)
                        m_table->selectRow(row);
                    if (id == selectedJobId()) {
                        showDetails();
                        updateButtons();
                    }
                    emit jobStarted(id);
                });
        connect(g, &GenerationEngine::problemsAdded, this, &GenerationPanel::problemsAdded);
        connect(g, &GenerationEngine::interactionsAdded, this, &GenerationPanel::interactionsAdded);
        connect(g, &GenerationEngine::errorOccurred, this,
                [this](const QString &message) { m_status->setText(message); });
        // Solve, evaluate and tournament jobs show here too.
        EvaluationEngine *v = m_host->evaluation();
        connect(v, &EvaluationEngine::jobStarted, m_model, &JobTableModel::onStarted);
        connect(v, &EvaluationEngine::jobProgress, m_model, &JobTableModel::onProgress);
        connect(v, &EvaluationEngine::jobProgress, this, [this](const JobProgress &p) {
            if (p.jobId == selectedJobId())
                showDetails();
        });
        connect(v, &EvaluationEngine::jobFinished, this, &GenerationPanel::onFinished);
        connect(v, &EvaluationEngine::jobStarted, this,
                [this](const QString &id, const QString &kind) {
                    const int row = m_model->rowOf(id);
                    if (row >= 0)
                        m_table->selectRow(row);
                    // A training run (and its summary) is watched on the Training dashboard.
                    if (kind != u"train" && kind != u"run_summary")
                        emit jobStarted(id);
                });
        connect(v, &EvaluationEngine::errorOccurred, this,
                [this](const QString &message) { m_status->setText(message); });
    } else {
        m_new->setEnabled(false);
        m_status->setText(tr("Generation needs the LLM engine, which is not running."));
    }
    updateButtons();
}

void GenerationPanel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    m_model->setWorkspace(ws);
    m_currentProblem.clear();
}

QString GenerationPanel::statusText() const
{
    return m_status->text();
}

void GenerationPanel::setCurrentProblem(const QString &id)
{
    m_currentProblem = id;
}

void GenerationPanel::showDialog(GenerateDialog *dialog)
{
    m_dialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProviders(m_providers, m_defaultProvider);
    if (m_ws && !m_currentProblem.isEmpty()) {
        try {
            if (const auto p = ProblemRepository(*m_ws).get(m_currentProblem))
                dialog->setBaseProblem(p->id, p->statement, p->domain);
        } catch (const std::exception &) {
            // The problem vanished or the file is busy: the dialog asks for a base problem.
        }
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const GenerationSpec spec = dialog->spec();
        nlohmann::json plan;
        if (spec.kind == GenerationKind::Matrix)
            plan = nlohmann::json::parse(dialog->property("matrixPlan").toString().toStdString(),
                                         nullptr, false);
        start(spec, plan.is_object() ? plan : nlohmann::json());
    });
    connect(dialog, &QObject::destroyed, this, [this, dialog] {
        if (m_dialog == dialog)
            m_dialog = nullptr;
    });
    dialog->open(); // window-modal, no nested event loop
}

void GenerationPanel::openDialog(GenerationKind kind)
{
    if (!m_host)
        return;
    auto *dialog = new GenerateDialog(m_templates, m_prices, window());
    dialog->setKind(kind);
    showDialog(dialog);
}

void GenerationPanel::openMatrixDialog(const QString &pictText, int strength, quint64 seed,
                                       const nlohmann::json &plan)
{
    if (!m_host)
        return;
    auto *dialog = new GenerateDialog(m_templates, m_prices, window());
    const int rows =
        plan.is_object() ? static_cast<int>(plan.value("rows", nlohmann::json::array()).size()) : 0;
    dialog->setMatrix(pictText, strength, seed, rows);
    dialog->setProperty("matrixPlan", QString::fromStdString(plan.dump()));
    showDialog(dialog);
}

void GenerationPanel::start(const GenerationSpec &spec, const nlohmann::json &matrixPlan)
{
    if (!m_host)
        return;
    if (!m_ws || m_ws->isReadOnly()) {
        m_status->setText(tr("Open a workspace that is not read-only to generate into it."));
        return;
    }
    m_status->setText(tr("Starting %1…").arg(toString(spec.kind)));
    GenerationRequest request;
    request.spec = spec;
    if (spec.kind == GenerationKind::Matrix && matrixPlan.is_object())
        request.matrixPlan = matrixPlan;
    m_host->startGeneration(request);
}

void GenerationPanel::cancelSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_host)
        return;
    const QString jobId = current.data(JobTableModel::JobIdRole).toString();
    m_host->cancelGeneration(jobId);
    m_host->cancelEngineJob(jobId); // whichever engine runs it
    m_status->setText(tr("Cancelling… calls in flight are stopped; the job can be resumed."));
}

void GenerationPanel::resumeSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_host)
        return;
    const QString jobId = current.data(JobTableModel::JobIdRole).toString();
    const QString kind = m_model->index(current.row(), JobTableModel::KindColumn).data().toString();
    if (enginejobkinds::find(kind))
        m_host->resumeEngineJob(jobId);
    else
        m_host->resumeGeneration(jobId);
}

QString GenerationPanel::selectedJobId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(JobTableModel::JobIdRole).toString() : QString();
}

void GenerationPanel::requestDeleteSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !current.data(JobTableModel::DeletableRole).toBool())
        return;
    const QString jobId = selectedJobId();
    const int accepted = current.data(JobTableModel::AcceptedRole).toInt();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete Job"),
                                tr("Delete job %1?").arg(jobId), QMessageBox::NoButton, window());
    box->setObjectName(QStringLiteral("deleteJobBox"));
    box->setInformativeText(
        tr("It made %n accepted item(s). Keep them in the workspace (their provenance still "
           "names the job), or delete them and the job's dataset with it?",
           nullptr, accepted));
    QPushButton *keep = box->addButton(tr("Delete Job, &Keep Problems"), QMessageBox::AcceptRole);
    QPushButton *both =
        box->addButton(tr("Delete Job &and Its Problems"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, jobId, keep, both](QAbstractButton *button) {
                if (selectedJobId() != jobId)
                    return; // the selection moved meanwhile: delete nothing unasked
                if (button == keep)
                    deleteSelected(false);
                else if (button == both)
                    deleteSelected(true);
            });
    box->open(); // no nested event loop
}

bool GenerationPanel::deleteSelected(bool withProblems)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_ws)
        return false;
    const QString jobId = selectedJobId();
    if (!current.data(JobTableModel::DeletableRole).toBool()) {
        m_status->setText(tr("Job %1 is running: cancel it first, then delete it.").arg(jobId));
        return false;
    }
    if (m_ws->isReadOnly()) {
        m_status->setText(tr("The workspace is open read-only: nothing can be deleted."));
        return false;
    }
    QStringList problemIds;
    JobRemoval removed;
    try {
        if (withProblems)
            problemIds = GenerationJob::collect(*m_ws, jobId).problemIds;
        removed = JobRepository(*m_ws).remove(jobId, withProblems);
    } catch (const std::exception &e) {
        m_status->setText(tr("Could not delete job %1: %2. Nothing was deleted.")
                              .arg(jobId, QString::fromUtf8(e.what())));
        return false;
    }
    m_model->removeJob(jobId);
    if (!withProblems)
        m_status->setText(tr("Deleted job %1; its %n accepted item(s) stay in the workspace.",
                             nullptr, removed.keptProblems)
                              .arg(jobId));
    else
        m_status->setText(tr("Deleted job %1 with %n problem(s)%2%3.", nullptr, removed.problems)
                              .arg(jobId,
                                   removed.interactions > 0
                                       ? tr(" and %n interaction(s)", nullptr, removed.interactions)
                                       : QString(),
                                   removed.dataset ? tr(" and its dataset") : QString()));
    if (!problemIds.isEmpty())
        emit problemsRemoved(problemIds);
    showDetails();
    updateButtons();
    return true;
}

QString GenerationPanel::selectedDatasetId() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_ws)
        return {};
    try {
        const auto job =
            JobRepository(*m_ws).get(current.data(JobTableModel::JobIdRole).toString());
        if (!job || job->status != JobStatus::Completed)
            return {};
        const QString id = QString::fromStdString(job->params.value("dataset_id", std::string()));
        return !id.isEmpty() && DatasetRepository(*m_ws).get(id) ? id : QString();
    } catch (const std::exception &) {
        return {};
    }
}

void GenerationPanel::exportSelectedDataset(const QString &path)
{
    const QString datasetId = selectedDatasetId();
    if (datasetId.isEmpty() || !m_ws)
        return;
    m_status->setText(tr("Exporting %1…").arg(datasetId));
    m_export->setEnabled(false);
    const QString wsPath = m_ws->path();
    struct Outcome
    {
        qint64 problems = 0;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, path] {
        const Outcome o = watcher->result();
        watcher->deleteLater();
        updateButtons();
        if (o.error.isEmpty())
            m_status->setText(
                tr("Exported %1 problems to %2 and the dataset card to %3")
                    .arg(o.problems)
                    .arg(QDir::toNativeSeparators(path),
                         QDir::toNativeSeparators(DatasetExporter::defaultCardPath(path))));
        else
            m_status->setText(tr("Export failed: %1").arg(o.error));
        emit exportFinished(path, o.problems, o.error);
    });
    watcher->setFuture(QtConcurrent::run(workspacePool(), [wsPath, datasetId, path]() -> Outcome {
        Outcome o;
        try {
            auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
            DatasetExporter exporter(*ws);
            DatasetJsonlOptions options;
            options.filter.datasetId = datasetId;
            o.problems = exporter.exportJsonl(path, options);
            DatasetCardOptions card;
            card.dataFile = QFileInfo(path).fileName();
            exporter.writeCard(datasetId, DatasetExporter::defaultCardPath(path), card);
        } catch (const std::exception &e) {
            o.error = QString::fromUtf8(e.what());
        }
        return o;
    }));
}

QString GenerationPanel::detailsText() const
{
    return m_details->toPlainText();
}

void GenerationPanel::showDetails()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_ws) {
        m_details->clear();
        return;
    }
    const QString jobId = current.data(JobTableModel::JobIdRole).toString();
    std::optional<JobRecord> job;
    try {
        job = JobRepository(*m_ws).get(jobId);
    } catch (const std::exception &e) {
        m_details->setPlainText(
            tr("Cannot read job %1: %2").arg(jobId, QString::fromUtf8(e.what())));
        return;
    }
    if (!job) {
        m_details->setPlainText(tr("Job %1 is being created…").arg(jobId));
        return;
    }
    // The state is the table's (the engine's, live): a job running here is "running" even if
    // its record still carries the last run's outcome, and a stale "running" is "interrupted".
    const bool active = current.data(JobTableModel::ActiveRole).toBool();
    const QString state =
        m_model->index(current.row(), JobTableModel::StatusColumn).data().toString();
    const nlohmann::json &sum = job->summary;
    const nlohmann::json &params = job->params;
    auto text = [](const nlohmann::json &j, const char *key) {
        return QString::fromStdString(j.value(key, std::string())).toHtmlEscaped();
    };
    QString html = QStringLiteral("<h3>%1 · %2</h3>").arg(job->kind, state.toHtmlEscaped());
    if (active) {
        const QVariant cost = current.data(JobTableModel::CostRole);
        html += tr("<p><b>Running</b>: accepted %1 of %2 · rejected %3 · cost %4</p>")
                    .arg(current.data(JobTableModel::AcceptedRole).toInt())
                    .arg(current.data(JobTableModel::TargetRole).toInt())
                    .arg(current.data(JobTableModel::RejectedRole).toInt())
                    .arg(cost.isValid() ? formatUsd(cost.toDouble()) : unpricedLabel());
    } else if (!job->error.isEmpty()) {
        html += QStringLiteral("<p style='color:#b00020'>%1</p>").arg(job->error.toHtmlEscaped());
    }
    html += QStringLiteral("<p>");
    if (!text(params, "domain").isEmpty())
        html += tr("Domain: <b>%1</b><br>").arg(text(params, "domain"));
    if (!text(params, "provider").isEmpty())
        html += tr("Provider: %1 %2<br>").arg(text(params, "provider"), text(params, "model"));
    if (!text(params, "base_problem_id").isEmpty())
        html += tr("Base problem: %1<br>").arg(text(params, "base_problem_id"));
    // A running job's summary is the previous run's: its live numbers are above.
    const auto &counts =
        active ? nlohmann::json::object() : sum.value("counts", nlohmann::json::object());
    if (!counts.empty())
        html += tr("Accepted %1 · rejected %2 · candidates %3<br>")
                    .arg(counts.value("accepted", 0))
                    .arg(counts.value("rejected", 0))
                    .arg(counts.value("candidates", 0));
    const auto &cost =
        active ? nlohmann::json::object() : sum.value("cost", nlohmann::json::object());
    if (!cost.empty()) {
        const QString usd = cost.contains("usd") && cost["usd"].is_number()
                                ? formatUsd(cost["usd"].get<double>())
                                : unpricedLabel();
        html += tr("Cost %1 · %2 calls (%3 from the cache) · %4 tokens in, %5 out<br>")
                    .arg(usd)
                    .arg(cost.value("calls", 0))
                    .arg(cost.value("cache_hits", 0))
                    .arg(cost.value("tokens_in", 0LL))
                    .arg(cost.value("tokens_out", 0LL));
    }
    const QString datasetId = text(sum, "dataset_id");
    if (!datasetId.isEmpty())
        html += tr("Dataset: %1<br>").arg(datasetId);
    html += QStringLiteral("</p>");
    if (!datasetId.isEmpty()) {
        try {
            if (const auto ds = DatasetRepository(*m_ws).get(datasetId)) {
                const auto &d = ds->metadata.value("diversity", nlohmann::json::object());
                if (!d.empty())
                    html += tr("<p>Diversity: distinct-1 %1 · distinct-2 %2 · mean pairwise "
                               "Jaccard %3</p>")
                                .arg(d.value("distinct_1", 0.0), 0, 'f', 3)
                                .arg(d.value("distinct_2", 0.0), 0, 'f', 3)
                                .arg(d.value("mean_pairwise_jaccard", 0.0), 0, 'f', 3);
            }
        } catch (const std::exception &) {
            // The dataset line above still says which one it is.
        }
    }
    const auto &reasons = counts.value("rejects_by_reason", nlohmann::json::object());
    if (!reasons.empty()) {
        html += tr("<p><b>Rejects</b>: ");
        QStringList parts;
        for (const auto &[reason, n] : reasons.items())
            parts << QStringLiteral("%1 %2").arg(QString::fromStdString(reason)).arg(n.get<int>());
        html += parts.join(QStringLiteral(" · ")) + QStringLiteral("</p><ul>");
        int shown = 0;
        for (const auto &r : sum.value("rejects", nlohmann::json::array())) {
            if (++shown > 15)
                break;
            QString statement = text(r, "statement");
            if (statement.size() > 120)
                statement = statement.left(119) + QChar(0x2026);
            html += QStringLiteral("<li><b>%1</b>: %2%3</li>")
                        .arg(text(r, "reason"), text(r, "detail"),
                             statement.isEmpty() ? QString()
                                                 : QStringLiteral("<br><i>%1</i>").arg(statement));
        }
        html += QStringLiteral("</ul>");
    }
    m_details->setHtml(html);
}

void GenerationPanel::updateButtons()
{
    const QModelIndex current = m_table->currentIndex();
    m_cancel->setEnabled(current.isValid() && current.data(JobTableModel::ActiveRole).toBool());
    m_resume->setEnabled(current.isValid() && m_ws && !m_ws->isReadOnly() &&
                         current.data(JobTableModel::ResumableRole).toBool());
    m_export->setEnabled(!selectedDatasetId().isEmpty());
    m_delete->setEnabled(current.isValid() && m_ws && !m_ws->isReadOnly() &&
                         current.data(JobTableModel::DeletableRole).toBool());
}

void GenerationPanel::onFinished(const JobOutcome &outcome)
{
    const QString &jobId = outcome.jobId;
    const QString &error = outcome.error;
    const int status = static_cast<int>(outcome.status);
    m_model->onFinished(outcome);
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid() && current.data(JobTableModel::JobIdRole).toString() == jobId) {
        showDetails();
        updateButtons();
    }
    const auto s = static_cast<JobStatus>(status);
    if (s == JobStatus::Completed)
        m_status->setText(tr("Job %1 completed.").arg(jobId));
    else
        m_status->setText(tr("Job %1 %2: %3").arg(jobId, toString(s), error));
    emit jobFinished(jobId, status, error);
}

} // namespace crucible
