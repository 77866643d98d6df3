#include "ui/training/trainingdashboard.h"

#include "core/evolve/evolutionmonitor.h"
#include "core/evolve/optimiser.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/training/lineageview.h"
#include "ui/training/livechart.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace crucible {

using nlohmann::json;

namespace {

QString emptyText()
{
    return TrainingDashboard::tr("No training runs in this workspace yet. Start one with New run… "
                                 "(Evaluate → New Training Run…, Ctrl+Alt+R) or from the command "
                                 "line: crucible-cli train WORKSPACE --domain D.");
}

enum Column { IdColumn, NameColumn, StateColumn, CyclesColumn, BestColumn, CallsColumn, Columns };

} // namespace

TrainingDashboard::TrainingDashboard(QWidget *parent)
    : QWidget(parent)
{
    m_runs = new QTableWidget(0, Columns, this);
    m_runs->setObjectName(QStringLiteral("trainingRuns"));
    m_runs->setHorizontalHeaderLabels(
        {tr("Run"), tr("Name"), tr("State"), tr("Cycles"), tr("Best (validation)"), tr("Calls")});
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->verticalHeader()->hide();
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_empty = new QLabel(emptyText(), this);
    m_empty->setWordWrap(true);
    m_summary = new QTextBrowser(this);
    m_summary->setObjectName(QStringLiteral("trainingSummary"));
    m_newRun = new QPushButton(tr("&New run…"), this);
    m_newRun->setToolTip(tr("Start a self-training run: domain, agents, optimiser, budgets, with "
                            "the cost estimate first"));
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setToolTip(tr("Pause after the calls in flight; Resume continues where it stopped"));
    m_resume = new QPushButton(tr("&Resume"), this);
    m_resume->setToolTip(tr("Continue a paused, stopped or interrupted run from its last "
                            "checkpoint: nothing is lost or counted twice"));
    m_stop = new QPushButton(tr("S&top"), this);
    m_stop->setToolTip(tr("Stop after the calls in flight and write the report (scored on the "
                          "held-out test problems)"));
    m_summarize = new QPushButton(tr("Su&mmarise"), this);
    m_summarize->setToolTip(tr("Have the default LLM provider write a summary of the selected "
                               "run from its measurements (one call); reports then include it, "
                               "labelled as the model's"));
    m_report = new QPushButton(tr("Save re&port…"), this);
    m_report->setToolTip(tr("Save the selected run's report as a self-contained HTML page, "
                            "Markdown or JSON"));
    auto *buttons = new QHBoxLayout();
    for (QPushButton *b : {m_newRun, m_pause, m_resume, m_stop, m_summarize, m_report})
        buttons->addWidget(b);
    buttons->addStretch();
    connect(m_newRun, &QPushButton::clicked, this, &TrainingDashboard::newRunRequested);
    connect(m_pause, &QPushButton::clicked, this,
            [this] { requestControl(QStringLiteral("pause")); });
    connect(m_stop, &QPushButton::clicked, this,
            [this] { requestControl(QStringLiteral("stop")); });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedRunId(); !id.isEmpty()) {
            emit resumeRequested(id);
            // Until a read shows it running (the engine takes a moment to claim the run).
            m_resumeAsked = id;
            m_resumeClock.start();
            m_resume->setEnabled(false);
        }
    });
    connect(m_report, &QPushButton::clicked, this, &TrainingDashboard::saveReport);
    connect(m_summarize, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedRunId(); !id.isEmpty()) {
            m_summarize->setEnabled(false); // until the job ends and the run is read again
            emit summaryRequested(id);
        }
    });

    m_quality = new LiveChart(tr("Best quality so far (validation)"), this);
    m_quality->setAxisTitles(tr("cycle"), {}); // the titles say what the y axes are
    m_quality->setYRange(0, 1);
    m_bestSeries = m_quality->addSeries(tr("best version"));
    m_childSeries = m_quality->addSeries(tr("tried this cycle"));
    // The other agents of a --agents group, drawn beside this one (hidden otherwise).
    for (int i = 1; i < kMaxGroupAgents; ++i) {
        m_agentSeries.push_back(m_quality->addSeries(QString()));
        m_quality->setSeriesVisible(m_agentSeries.back(), false);
    }
    m_spend = new LiveChart(tr("Spend and throughput"), this);
    m_spend->setYTickCount(3);
    m_callsSeries = m_spend->addSeries(tr("calls spent"));
    m_throughputSeries = m_spend->addRightSeries(tr("calls/min (right axis)"));
    m_acceptance = new LiveChart(tr("Accepted (last %1 cycles), novelty, success (score ≥ %2)")
                                     .arg(evolve::kRecentCycles)
                                     .arg(evolve::kSuccessScore, 0, 'f', 1),
                                 this);
    m_acceptance->setYRange(0, 1);
    m_acceptance->setYTickCount(3);
    m_acceptSeries = m_acceptance->addSeries(tr("accepted"));
    m_noveltySeries = m_acceptance->addSeries(tr("novelty"));
    m_successSeries = m_acceptance->addSeries(tr("success"));

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_empty);
    leftLayout->addWidget(m_runs, 3);
    leftLayout->addWidget(m_summary, 2);
    // Quality across the top, spend and acceptance side by side below: two chart rows keep the
    // dock usable on a 1024×700 screen.
    auto *charts = new QWidget(this);
    auto *grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    grid->addWidget(m_quality, 0, 0, 1, 2);
    grid->addWidget(m_spend, 1, 0);
    grid->addWidget(m_acceptance, 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    // Below these heights a chart has no room for its axis labels ("…"): a short dock (a
    // 1024×700 screen) scrolls the charts instead of squeezing them unreadable.
    m_quality->setMinimumHeight(210);
    m_spend->setMinimumHeight(170);
    m_acceptance->setMinimumHeight(170);
    auto *chartScroll = new QScrollArea(this);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setWidget(charts);
    m_lineage = new LineageView(this);
    m_rightTabs = new QTabWidget(this);
    m_rightTabs->setObjectName(QStringLiteral("trainingTabs"));
    m_rightTabs->addTab(chartScroll, tr("Charts"));
    m_rightTabs->addTab(m_lineage, tr("Versions && ratings"));
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_rightTabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_runs, &QTableWidget::itemSelectionChanged, this, &TrainingDashboard::showSelected);
    connect(&m_watcher, &QFutureWatcher<Loaded>::finished, this, &TrainingDashboard::onLoaded);
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (isVisible())
            reload();
    });
    setWorkspace(nullptr);
}

TrainingDashboard::~TrainingDashboard()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void TrainingDashboard::setWorkspace(Workspace *ws)
{
    m_path = ws ? ws->path() : QString();
    m_readOnly = ws && ws->isReadOnly();
    m_list.clear();
    m_shownRun.clear();
    m_charted = 0;
    m_runs->setRowCount(0);
    m_summary->clear();
    m_quality->clear();
    m_spend->clear();
    m_acceptance->clear();
    m_lineage->clear();
    m_poll.stop();
    setEnabled(ws != nullptr);
    m_firstRead = ws != nullptr;
    if (ws)
        reload();
    else
        m_empty->setText(tr("Open a workspace to see its training runs."));
}

void TrainingDashboard::reload()
{
    if (m_path.isEmpty())
        return;
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_pending = false;
    const QString path = m_path;
    m_watcher.setFuture(QtConcurrent::run(workspacePool(), [path] {
        Loaded out;
        out.path = path;
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
            out.runs = EntityStore(*ws).list<TrainingRun>();
        } catch (const std::exception &e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void TrainingDashboard::follow(const QString &runId)
{
    m_follow = runId;
    reload();
}

QString TrainingDashboard::selectedRunId() const
{
    const int row = m_runs->currentRow();
    const QTableWidgetItem *item = row >= 0 ? m_runs->item(row, IdColumn) : nullptr;
    return item ? item->text() : QString();
}

QString TrainingDashboard::summaryText() const
{
    return m_summary->toPlainText();
}

void TrainingDashboard::onLoaded()
{
    Loaded result = m_watcher.result();
    if (m_pending) {
        reload();
        return;
    }
    if (result.path != m_path)
        return; // another workspace since
    if (!result.error.isEmpty()) {
        emit errorOccurred(tr("Could not read the training runs of %1: %2 Reopen the workspace; "
                              "if it keeps failing, check the file with crucible-cli stats.")
                               .arg(m_path, result.error));
        return;
    }
    std::sort(result.runs.begin(), result.runs.end(),
              [](const TrainingRun &a, const TrainingRun &b) { return a.createdAt > b.createdAt; });
    m_list = std::move(result.runs);
    fillTable();
    // Each run's state once: whether one is running, and the newest interrupted one.
    bool running = false;
    QString interrupted;
    for (const TrainingRun &r : m_list) { // newest first
        const QString state = evolve::EvolutionMonitor::status(r).state;
        running = running || state == u"running";
        if (interrupted.isEmpty() && state == u"interrupted")
            interrupted = r.id;
    }
    // Every second while a run is running; every 5 s otherwise, to notice a run started from
    // the command line (reads happen only while the dashboard is visible).
    m_poll.setInterval(running ? 1000 : 5000);
    if (!m_poll.isActive())
        m_poll.start();
    const bool firstRead = std::exchange(m_firstRead, false);
    emit loaded();
    if (firstRead && !interrupted.isEmpty())
        emit interruptedRunFound(interrupted);
}

void TrainingDashboard::fillTable()
{
    const QString selected = selectedRunId();
    m_empty->setVisible(m_list.empty());
    if (m_list.empty())
        m_empty->setText(emptyText());
    {
        const QSignalBlocker block(m_runs);
        const QString target = m_follow.isEmpty() ? selected : m_follow;
        m_runs->setRowCount(int(m_list.size()));
        for (int row = 0; row < int(m_list.size()); ++row) {
            const TrainingRun &r = m_list[std::size_t(row)];
            const evolve::RunStatus st = evolve::EvolutionMonitor::status(r);
            const QStringList cells{
                r.id,
                r.name,
                st.state,
                r.cyclesPlanned > 0
                    ? QStringLiteral("%1 / %2").arg(r.cyclesDone).arg(r.cyclesPlanned)
                    : QString::number(r.metrics.size()),
                st.bestValidation ? QString::number(*st.bestValidation, 'f', 3)
                                  : QStringLiteral("–"),
                st.callsUsed ? QString::number(*st.callsUsed) : QStringLiteral("–")};
            for (int c = 0; c < Columns; ++c) {
                auto *item = new QTableWidgetItem(cells[c]);
                if (c >= CyclesColumn)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_runs->setItem(row, c, item);
            }
            if (r.id == target) {
                m_runs->selectRow(row);
                if (target == m_follow)
                    m_follow.clear();
            }
        }
    }
    m_runs->resizeColumnsToContents();
    if (m_runs->currentRow() < 0 && !m_list.empty())
        m_runs->selectRow(0); // the newest run
    else
        showSelected();
}

void TrainingDashboard::showSelected()
{
    const QString id = selectedRunId();
    const auto it = std::find_if(m_list.begin(), m_list.end(),
                                 [&id](const TrainingRun &r) { return r.id == id; });
    updateButtons();
    if (it == m_list.end()) {
        m_summary->clear();
        return;
    }
    const TrainingRun &run = *it;
    const int entries = run.metrics.is_array() ? int(run.metrics.size()) : 0;
    // Only the new cycles of the run on show; all of them for another run or a shorter history.
    const bool fromStart = run.id != m_shownRun || entries < m_charted;
    // The run's measures, computed once for the charts and the summary.
    const evolve::RunStatus st = evolve::EvolutionMonitor::status(run);
    chartFrom(run, st, fromStart);
    m_lineage->setRun(run);

    QString html =
        QStringLiteral("<h3>%1</h3>").arg((run.name.isEmpty() ? run.id : run.name).toHtmlEscaped());
    html += tr("<p><b>%1</b> · %2 cycles · created %3</p>")
                .arg(st.state)
                .arg(entries)
                .arg(QLocale().toString(run.createdAt.toLocalTime(), QLocale::ShortFormat));
    // A finished run's held-out result: the improvement of the best version over the start on
    // the test split, with its bootstrap 95 % interval (never a bare number).
    if (st.heldOutImprovement)
        html += tr("<p><b>Held-out test</b>: improvement %1 (95 % CI %2 to %3) over %4 "
                   "problems</p>")
                    .arg(*st.heldOutImprovement, 0, 'f', 3)
                    .arg(st.heldOutLow, 0, 'f', 3)
                    .arg(st.heldOutHigh, 0, 'f', 3)
                    .arg(st.heldOutProblems);
    if (st.callsPerMinute) {
        html += tr("<p>%1 calls/min").arg(*st.callsPerMinute, 0, 'f', 1);
        if (st.etaCallsMs && st.state == u"running")
            html += tr(" · ETA to the call budget %1 min").arg((*st.etaCallsMs + 59'999) / 60'000);
        if (st.wallLeftMs)
            html += tr(" · wall time left %1 min").arg(*st.wallLeftMs / 60'000);
        if (st.spentTokens)
            html += tr(" · %1 tokens, $%2")
                        .arg(*st.spentTokens)
                        .arg(st.spentUsd.value_or(0), 0, 'f', 4);
        html += QStringLiteral("</p>");
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Recommendations"));
        for (const QString &r : st.recommendations)
            html += QStringLiteral("<li>%1</li>").arg(r.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    if (const auto sp = run.config.find("specialization");
        sp != run.config.end() && sp->is_object()) {
        QStringList changes;
        for (const auto &a : sp->value("adjustments", json::array()))
            if (a.value("delta", 0) != 0)
                changes << QStringLiteral("%1 %2%3")
                               .arg(QString::fromStdString(a.value("trait", std::string())),
                                    a.value("delta", 0) > 0 ? QStringLiteral("+") : QString())
                               .arg(a.value("delta", 0));
        html += sp->contains("error")
                    ? tr("<p>Specialisation for the domain failed; the template was trained as "
                         "it is.</p>")
                    : tr("<p>Specialised for the domain first: %1 (a second start beside the "
                         "clone; validation decides which one training goes on from)</p>")
                          .arg(changes.isEmpty() ? tr("no trait changed")
                                                 : changes.join(QStringLiteral(", ")));
    }
    if (st.summary.is_object())
        html += QStringLiteral("<p><b>%1</b></p>").arg(tr("Summary")) +
                evolve::EvolutionMonitor::summaryHtml(st);
    if (!run.datasetId.isEmpty())
        html += tr("<p>Dataset: %1</p>").arg(run.datasetId.toHtmlEscaped());
    if (run.config.is_object() && !run.config.empty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Settings"));
        for (const auto &[key, value] : run.config.items()) {
            if (value.is_object() || value.is_array())
                continue; // splits, optimiser state: too long to show here
            html += QStringLiteral("<li>%1: %2</li>")
                        .arg(QString::fromStdString(key).toHtmlEscaped(),
                             QString::fromStdString(value.is_string() ? value.get<std::string>()
                                                                      : value.dump())
                                 .toHtmlEscaped());
        }
        html += QStringLiteral("</ul>");
    }
    m_summary->setHtml(html);
}

void TrainingDashboard::chartFrom(const TrainingRun &run, const evolve::RunStatus &st,
                                  bool fromStart)
{
    if (fromStart) {
        m_quality->clear();
        m_spend->clear();
        m_acceptance->clear();
        m_shownRun = run.id;
    }
    // The EvolutionMonitor's series; each chart gets the points it does not have yet.
    const auto appendNew = [](LiveChart *chart, int series,
                              const std::vector<evolve::MonitorPoint> &points) {
        std::vector<QPointF> fresh;
        for (std::size_t i = chart->pointCount(series); i < points.size(); ++i)
            fresh.emplace_back(points[i].cycle, points[i].value);
        chart->append(series, fresh);
    };
    appendNew(m_quality, m_bestSeries, st.bestSeries);
    appendNew(m_spend, m_callsSeries, st.callsSeries);
    appendNew(m_acceptance, m_acceptSeries, st.acceptSeries);
    appendNew(m_quality, m_childSeries, st.childSeries);
    showGroup(run);
    appendNew(m_acceptance, m_noveltySeries, st.noveltySeries);
    appendNew(m_acceptance, m_successSeries, st.successSeries);
    appendNew(m_spend, m_throughputSeries, st.throughputSeries);
    m_charted = run.metrics.is_array() ? int(run.metrics.size()) : 0;
}

} // namespace crucible

namespace crucible {

void TrainingDashboard::showGroup(const TrainingRun &run)
{
    // The other agents trained side by side with this one: their best quality so far.
    const json group = run.config.value("group", json::object());
    const std::string id = group.value("id", std::string());
    std::vector<const TrainingRun *> others;
    if (!id.empty())
        for (const TrainingRun &r : m_list)
            if (r.id != run.id && r.config.value("group", json::object()).value("id", "") == id)
                others.push_back(&r);
    std::sort(others.begin(), others.end(), [](const TrainingRun *a, const TrainingRun *b) {
        return a->config["group"].value("index", 0) < b->config["group"].value("index", 0);
    });
    m_quality->setSeriesName(
        m_bestSeries, others.empty() ? tr("best version")
                                     : tr("agent %1: best").arg(group.value("index", 0) + 1));
    for (std::size_t i = 0; i < m_agentSeries.size(); ++i) {
        const int series = m_agentSeries[i];
        if (i >= others.size()) {
            m_quality->setSeriesVisible(series, false);
            continue;
        }
        std::vector<QPointF> points;
        for (const evolve::MonitorPoint &p :
             evolve::EvolutionMonitor::status(*others[i]).bestSeries)
            points.emplace_back(p.cycle, p.value);
        m_quality->setSeriesName(
            series, tr("agent %1: best").arg(others[i]->config["group"].value("index", 0) + 1));
        m_quality->setPoints(series, std::move(points));
        m_quality->setSeriesVisible(series, true);
    }
}

QString TrainingDashboard::summaryHtml() const
{
    return m_summary->toHtml();
}

void TrainingDashboard::updateButtons()
{
    const QString id = selectedRunId();
    const auto it = std::find_if(m_list.begin(), m_list.end(),
                                 [&id](const TrainingRun &r) { return r.id == id; });
    const QString state =
        it == m_list.end() ? QString() : evolve::EvolutionMonitor::status(*it).state;
    const bool hasJob = it != m_list.end() && it->config.contains("job_id");
    const bool writable = !m_readOnly;
    m_newRun->setEnabled(writable);
    m_pause->setEnabled(writable && state == u"running");
    m_stop->setEnabled(writable && state == u"running");
    const bool justAsked =
        id == m_resumeAsked && m_resumeClock.isValid() && m_resumeClock.elapsed() < 10'000;
    if (state == u"running" && id == m_resumeAsked)
        m_resumeAsked.clear();
    m_resume->setEnabled(writable && hasJob && !justAsked &&
                         (state == u"interrupted" || state == u"paused" || state == u"cancelled" ||
                          state == u"failed"));
    m_report->setEnabled(it != m_list.end());
    m_summarize->setEnabled(writable && it != m_list.end() && it->metrics.is_array() &&
                            !it->metrics.empty());
}

void TrainingDashboard::requestControl(const QString &request)
{
    const QString id = selectedRunId();
    if (id.isEmpty() || m_path.isEmpty())
        return;
    m_pause->setEnabled(false);
    m_stop->setEnabled(false);
    const QString path = m_path;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, id, request] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (!error.isEmpty()) {
            emit errorOccurred(tr("Could not ask run %1 to %2: %3").arg(id, request, error));
            updateButtons();
            return;
        }
        emit statusMessage(request == u"pause"
                               ? tr("Run %1 pauses after the calls in flight.").arg(id)
                               : tr("Run %1 stops after the calls in flight and writes its "
                                    "report.")
                                     .arg(id));
        reload();
    });
    watcher->setFuture(QtConcurrent::run(workspacePool(), [path, id, request]() -> QString {
        try {
            const auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
            if (!JobRepository(*ws).setControl(id, request))
                return QStringLiteral("the run has no job (started by an older version)");
            return {};
        } catch (const std::exception &e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void TrainingDashboard::saveReport()
{
    const QString id = selectedRunId();
    if (id.isEmpty())
        return;
    // Window-modal with open(): no nested event loop while the user picks the file.
    auto *dialog = new QFileDialog(this, tr("Save training report"),
                                   QFileInfo(m_path).dir().filePath(id + QStringLiteral(".html")),
                                   tr("HTML page (*.html);;Markdown (*.md);;JSON (*.json)"));
    dialog->setObjectName(QStringLiteral("saveTrainingReport"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, id](const QString &file) { writeReport(id, file); });
    dialog->open();
}

bool TrainingDashboard::writeReport(const QString &runId, const QString &file)
{
    const auto it = std::find_if(m_list.begin(), m_list.end(),
                                 [&runId](const TrainingRun &r) { return r.id == runId; });
    if (it == m_list.end()) {
        emit errorOccurred(tr("Run %1 is not in this workspace any more.").arg(runId));
        return false;
    }
    const evolve::RunStatus st = evolve::EvolutionMonitor::status(*it);
    QByteArray bytes;
    if (file.endsWith(QStringLiteral(".md"), Qt::CaseInsensitive))
        bytes = evolve::EvolutionMonitor::toMarkdown(st).toUtf8();
    else if (file.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
        bytes = QByteArray::fromStdString(evolve::EvolutionMonitor::toJson(st).dump(2));
    else
        bytes = evolve::EvolutionMonitor::toHtml(st).toUtf8();
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        emit errorOccurred(tr("Could not save the report to %1: %2. Choose another folder.")
                               .arg(file, out.errorString()));
        return false;
    }
    emit statusMessage(tr("Saved the report of run %1 to %2.").arg(runId, file));
    return true;
}

} // namespace crucible
