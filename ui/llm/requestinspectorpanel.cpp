#include "ui/llm/requestinspectorpanel.h"

#include "core/engine/llmengine.h"
#include "core/llm/moneyformat.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/models/llmcalltablemodel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace crucible {

namespace {

enum StatusChoice { AllCalls, OkOnly, ErrorsOnly, InvalidOnly, CacheHits, CancelledOnly };

// Calls of `filter` that have `status`, without a second query when the filter already decides.
qint64 countWithStatus(const LlmCallRepository &repo, const LlmCallFilter &filter,
                       const LlmUsageTotals &totals, const QString &status)
{
    if (!filter.status.isEmpty())
        return filter.status == status ? totals.calls : 0;
    LlmCallFilter narrowed = filter;
    narrowed.status = status;
    return repo.count(narrowed);
}

// Runs on the thread pool: its own read-only connection, pages of 500, one file write at the end.
QString exportCalls(const QString &workspacePath, LlmCallFilter filter, const QString &outPath,
                    qint64 &rows)
{
    try {
        auto ws = Workspace::open(workspacePath, Workspace::Mode::ReadOnly);
        LlmCallRepository repo(*ws);
        QSaveFile file(outPath);
        if (!file.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write %1: %2").arg(outPath, file.errorString());
        for (;;) {
            const auto page = repo.page(filter, 500);
            if (page.empty())
                break;
            for (const auto &s : page) {
                const auto call = repo.get(s.id);
                if (!call)
                    continue;
                file.write(QByteArray::fromStdString(call->toJson().dump()));
                file.write("\n");
                ++rows;
            }
            filter.beforeSeq = page.back().seq;
        }
        if (!file.commit())
            return QStringLiteral("cannot write %1: %2").arg(outPath, file.errorString());
        return {};
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
}

} // namespace

RequestInspectorPanel::RequestInspectorPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LlmCallTableModel(this))
{
    m_provider = new QComboBox(this);
    m_provider->setToolTip(tr("Show calls to one provider"));
    m_provider->setMinimumContentsLength(12);
    m_status = new QComboBox(this);
    m_status->addItems({tr("All calls"), tr("Succeeded"), tr("Failed"), tr("Invalid answers"),
                        tr("Cache hits"), tr("Cancelled")});
    m_status->setItemData(ErrorsOnly, tr("Calls that failed (cancelled calls are not failures)"),
                          Qt::ToolTipRole);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Filter by id, model, template, error or request id"));
    m_search->setClearButtonEnabled(true);
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setToolTip(tr("Save the calls matching the filter as JSONL (keys are never part "
                            "of a recorded request)"));

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_provider);
    filters->addWidget(m_status);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_export);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const std::pair<int, int> widths[] = {
        {LlmCallTableModel::Time, 13},       {LlmCallTableModel::Status, 11},
        {LlmCallTableModel::Provider, 12},   {LlmCallTableModel::Model, 16},
        {LlmCallTableModel::Attempt, 4},     {LlmCallTableModel::TokensIn, 7},
        {LlmCallTableModel::TokensOut, 7},   {LlmCallTableModel::Cost, 11},
        {LlmCallTableModel::Latency, 9},     {LlmCallTableModel::Cache, 6},
        {LlmCallTableModel::Structured, 10}, {LlmCallTableModel::Job, 10}};
    for (const auto &[column, chars] : widths)
        m_table->setColumnWidth(column, digit * chars + 12);

    m_tabs = new QTabWidget(this);
    auto makeText = [this](const QString &title) {
        auto *edit = new QPlainTextEdit(this);
        edit->setReadOnly(true);
        edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::TypeWriter);
        edit->setFont(mono);
        m_tabs->addTab(edit, title);
        return edit;
    };
    m_response = makeText(tr("Response"));
    m_request = makeText(tr("Request"));
    m_details = makeText(tr("Details"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({220, 120});

    m_totals = new QLabel(this);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    layout->addWidget(m_totals);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(250);
    connect(m_refreshTimer, &QTimer::timeout, this, &RequestInspectorPanel::refreshNow);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &RequestInspectorPanel::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &RequestInspectorPanel::applyFilter);
    auto *searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, &RequestInspectorPanel::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestInspectorPanel::showSelected);
    connect(m_export, &QPushButton::clicked, this, &RequestInspectorPanel::chooseExportFile);
    // A provider new to the ledger can only arrive with new rows: add it to the filter without
    // disturbing the current choice (no query over the whole ledger).
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row) {
                    const LlmCallSummary *s = m_model->summaryAt(row);
                    if (s && m_provider->findData(s->provider) < 0)
                        m_provider->addItem(m_model->providerName(s->provider), s->provider);
                }
            });
    connect(&m_exportWatcher, &QFutureWatcher<ExportResult>::finished, this, [this] {
        m_export->setEnabled(true);
        const ExportResult r = m_exportWatcher.result();
        emit exportFinished(m_exportPath, r.rows, r.error);
    });
    updateTotals();
}

RequestInspectorPanel::~RequestInspectorPanel()
{
    m_exportWatcher.waitForFinished();
}

void RequestInspectorPanel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    const QSignalBlocker block(m_provider);
    m_provider->clear();
    m_provider->addItem(tr("All providers"));
    if (ws) {
        try {
            for (const QString &id : LlmCallRepository(*ws).providers())
                m_provider->addItem(m_model->providerName(id), id);
        } catch (const std::exception &) {
            // The table shows the error below.
        }
    }
    m_model->setWorkspace(ws);
    applyFilter();
}

void RequestInspectorPanel::applyFilter()
{
    LlmCallFilter f;
    if (m_provider->currentIndex() > 0)
        f.provider = m_provider->currentData().toString();
    switch (m_status->currentIndex()) {
    case OkOnly:
        f.status = QStringLiteral("ok");
        break;
    case ErrorsOnly:
        f.status = QStringLiteral("error");
        break;
    case CancelledOnly:
        f.status = QStringLiteral("cancelled");
        break;
    case InvalidOnly:
        f.status = QStringLiteral("invalid");
        break;
    case CacheHits:
        f.cacheHitsOnly = true;
        break;
    default:
        break;
    }
    f.text = m_search->text().trimmed();
    m_model->setFilter(f);
    updateTotals();
    showSelected();
}

void RequestInspectorPanel::setProviders(const QList<LlmProviderInfo> &providers)
{
    QHash<QString, QString> names;
    for (const LlmProviderInfo &p : providers)
        names.insert(p.id, p.label);
    m_model->setProviderNames(names);
    for (int i = 1; i < m_provider->count(); ++i)
        m_provider->setItemText(i, m_model->providerName(m_provider->itemData(i).toString()));
}

void RequestInspectorPanel::noteCallRecorded()
{
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void RequestInspectorPanel::refreshNow()
{
    if (!m_ws)
        return;
    m_model->refresh();
    updateTotals();
}

void RequestInspectorPanel::updateTotals()
{
    if (!m_ws) {
        m_totals->setText(tr("No workspace open."));
        return;
    }
    try {
        const LlmCallRepository repo(*m_ws);
        const LlmCallFilter &filter = m_model->filter();
        const LlmUsageTotals t = repo.totals(filter);
        const qint64 failed = countWithStatus(repo, filter, t, QStringLiteral("error"));
        const qint64 cancelled = countWithStatus(repo, filter, t, QStringLiteral("cancelled"));
        const QLocale locale;
        QString text =
            tr("%1 calls · %2 failed").arg(locale.toString(t.calls), locale.toString(failed));
        if (cancelled > 0)
            text += tr(" · %1 cancelled").arg(locale.toString(cancelled));
        text += tr(" · %1 from cache · %2 in / %3 out tokens · %4")
                    .arg(locale.toString(t.cacheHits), locale.toString(t.tokensIn),
                         locale.toString(t.tokensOut), formatCostTotal(t.costUsd, t.unpricedCalls));
        if (!m_model->lastError().isEmpty())
            text += QStringLiteral(" — ") + m_model->lastError();
        m_totals->setText(text);
    } catch (const std::exception &e) {
        m_totals->setText(tr("Cannot read the call ledger: %1").arg(QString::fromUtf8(e.what())));
    }
}

QString RequestInspectorPanel::totalsText() const
{
    return m_totals->text();
}

QString RequestInspectorPanel::detailText() const
{
    if (auto *edit = qobject_cast<QPlainTextEdit *>(m_tabs->currentWidget()))
        return edit->toPlainText();
    return {};
}

void RequestInspectorPanel::showSelected()
{
    const LlmCallSummary *s = m_model->summaryAt(m_table->currentIndex().row());
    if (!s || !m_ws) {
        m_request->clear();
        m_response->clear();
        m_details->setPlainText(tr("Select a call to see its request and response."));
        return;
    }
    try {
        const auto call = LlmCallRepository(*m_ws).get(s->id);
        if (!call)
            return;
        m_request->setPlainText(QString::fromStdString(call->request.dump(2)));
        QString response = call->response;
        // A JSON answer is easier to read indented.
        const auto parsed = nlohmann::json::parse(response.toStdString(), nullptr, false);
        if (!parsed.is_discarded() && (parsed.is_object() || parsed.is_array()))
            response = QString::fromStdString(parsed.dump(2));
        m_response->setPlainText(response.isEmpty() ? tr("(no answer)") : response);
        nlohmann::json meta = call->toJson();
        meta.erase("request");
        meta.erase("response");
        m_details->setPlainText(QString::fromStdString(meta.dump(2)));
    } catch (const std::exception &e) {
        m_details->setPlainText(
            tr("Cannot read call %1: %2").arg(s->id, QString::fromUtf8(e.what())));
    }
}

void RequestInspectorPanel::chooseExportFile()
{
    if (!m_ws)
        return;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export LLM Calls"),
                                     QStringLiteral("llm-calls.jsonl"), tr("JSON Lines (*.jsonl)"));
    if (!path.isEmpty())
        exportTo(path);
}

void RequestInspectorPanel::exportTo(const QString &path)
{
    if (!m_ws || m_exportWatcher.isRunning())
        return;
    m_export->setEnabled(false);
    m_exportPath = path;
    const QString wsPath = m_ws->path();
    const LlmCallFilter filter = m_model->filter();
    m_exportWatcher.setFuture(QtConcurrent::run(workspacePool(), [wsPath, filter, path] {
        ExportResult r;
        r.error = exportCalls(wsPath, filter, path, r.rows);
        return r;
    }));
}

} // namespace crucible
