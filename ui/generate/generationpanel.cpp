#include "ui/generate/generationpanel.h"

#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "ui/generate/generatedialog.h"
#include "ui/llm/llmenginehost.h"
#include "ui/models/jobtablemodel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

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
    layout->addWidget(m_table, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("generationStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Generate → Dataset… (or another kind) starts a job. Jobs are "
                         "checkpointed: an interrupted one resumes where it stopped."));
    layout->addWidget(m_status);

    connect(m_cancel, &QPushButton::clicked, this, &GenerationPanel::cancelSelected);
    connect(m_resume, &QPushButton::clicked, this, &GenerationPanel::resumeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { updateButtons(); });
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
        connect(g, &GenerationEngine::jobFinished, this, &GenerationPanel::onFinished);
        connect(g, &GenerationEngine::jobStarted, this,
                [this](const QString &id, const QString &kind) {
                    m_status->setText(tr("Job %1 (%2) is running.").arg(id, kind));
                    const int row = m_model->rowOf(id);
                    if (row >= 0)
                        m_table->selectRow(row);
                });
        connect(g, &GenerationEngine::problemsAdded, this, &GenerationPanel::problemsAdded);
        connect(g, &GenerationEngine::interactionsAdded, this, &GenerationPanel::interactionsAdded);
        connect(g, &GenerationEngine::errorOccurred, this,
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
    connect(dialog, &QDialog::accepted, this, [this, dialog] { start(dialog->spec()); });
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
                                       int rows)
{
    if (!m_host)
        return;
    auto *dialog = new GenerateDialog(m_templates, m_prices, window());
    dialog->setMatrix(pictText, strength, seed, rows);
    showDialog(dialog);
}

void GenerationPanel::start(const GenerationSpec &spec)
{
    if (!m_host)
        return;
    if (!m_ws || m_ws->isReadOnly()) {
        m_status->setText(tr("Open a workspace that is not read-only to generate into it."));
        return;
    }
    m_status->setText(tr("Starting %1…").arg(toString(spec.kind)));
    m_host->startGeneration(QString::fromStdString(spec.toJson().dump()));
}

void GenerationPanel::cancelSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_host)
        return;
    m_host->cancelGeneration(current.data(JobTableModel::JobIdRole).toString());
    m_status->setText(tr("Cancelling… calls in flight are stopped; the job can be resumed."));
}

void GenerationPanel::resumeSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_host)
        return;
    m_host->resumeGeneration(current.data(JobTableModel::JobIdRole).toString());
}

void GenerationPanel::updateButtons()
{
    const QModelIndex current = m_table->currentIndex();
    m_cancel->setEnabled(current.isValid() && current.data(JobTableModel::ActiveRole).toBool());
    m_resume->setEnabled(current.isValid() && m_ws && !m_ws->isReadOnly() &&
                         current.data(JobTableModel::ResumableRole).toBool());
}

void GenerationPanel::onFinished(const QString &jobId, int status, const QString &error,
                                 const QString &summary)
{
    m_model->onFinished(jobId, status, error, summary);
    const auto s = static_cast<JobStatus>(status);
    if (s == JobStatus::Completed)
        m_status->setText(tr("Job %1 completed.").arg(jobId));
    else
        m_status->setText(tr("Job %1 %2: %3").arg(jobId, toString(s), error));
    emit jobFinished(jobId, status, error);
}

} // namespace crucible
