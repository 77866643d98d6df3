#include "ui/training/trainingdashboard.h"

#include "core/store/entityrepository.h"
#include "core/store/workspace.h"
#include "ui/backgroundrefresh.h"
#include "ui/training/livechart.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kAcceptanceWindow = 10;

enum Column { IdColumn, NameColumn, StateColumn, CyclesColumn, BestColumn, CallsColumn, Columns };

std::optional<double> number(const json &j, const char *key)
{
    if (const auto it = j.find(key); it != j.end() && it->is_number())
        return it->get<double>();
    return std::nullopt;
}

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
    m_empty = new QLabel(tr("No training runs in this workspace yet. Start one from the command "
                            "line: crucible-cli train WORKSPACE --domain D (see the README, "
                            "\"Training\")."),
                         this);
    m_empty->setWordWrap(true);
    m_summary = new QTextBrowser(this);
    m_summary->setObjectName(QStringLiteral("trainingSummary"));

    m_quality = new LiveChart(tr("Best quality so far (validation)"), this);
    m_quality->setAxisTitles(tr("cycle"), {}); // the titles say what the y axes are
    m_quality->setYRange(0, 1);
    m_bestSeries = m_quality->addSeries(tr("best version"));
    m_spend = new LiveChart(tr("LLM calls spent"), this);
    m_callsSeries = m_spend->addSeries(tr("calls"));
    m_acceptance =
        new LiveChart(tr("Children accepted (last %1 cycles)").arg(kAcceptanceWindow), this);
    m_acceptance->setYRange(0, 1);
    m_acceptance->setYTickCount(3);
    m_acceptSeries = m_acceptance->addSeries(tr("accepted"));

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
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
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(charts);
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
    m_list.clear();
    m_shownRun.clear();
    m_charted = 0;
    m_runs->setRowCount(0);
    m_summary->clear();
    m_quality->clear();
    m_spend->clear();
    m_acceptance->clear();
    m_poll.stop();
    setEnabled(ws != nullptr);
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
    const bool running = std::any_of(m_list.begin(), m_list.end(), [](const TrainingRun &r) {
        return r.state == TrainingRun::State::Running;
    });
    // Every second while a run is running; every 5 s otherwise, to notice a run started from
    // the command line (reads happen only while the dashboard is visible).
    m_poll.setInterval(running ? 1000 : 5000);
    if (!m_poll.isActive())
        m_poll.start();
    emit loaded();
}

void TrainingDashboard::fillTable()
{
    const QString selected = selectedRunId();
    m_empty->setVisible(m_list.empty());
    if (m_list.empty())
        m_empty->setText(tr("No training runs in this workspace yet. Start one from the command "
                            "line: crucible-cli train WORKSPACE --domain D (see the README, "
                            "\"Training\")."));
    {
        const QSignalBlocker block(m_runs);
        m_runs->setRowCount(int(m_list.size()));
        for (int row = 0; row < int(m_list.size()); ++row) {
            const TrainingRun &r = m_list[std::size_t(row)];
            const json last =
                r.metrics.is_array() && !r.metrics.empty() ? r.metrics.back() : json();
            const auto best = number(last, "best_validation");
            const auto calls = number(last, "calls_used");
            const QStringList cells{
                r.id,
                r.name,
                TrainingRun::toString(r.state),
                r.cyclesPlanned > 0
                    ? QStringLiteral("%1 / %2").arg(r.cyclesDone).arg(r.cyclesPlanned)
                    : QString::number(r.metrics.size()),
                best ? QString::number(*best, 'f', 3) : QStringLiteral("–"),
                calls ? QString::number(qint64(*calls)) : QStringLiteral("–")};
            for (int c = 0; c < Columns; ++c) {
                auto *item = new QTableWidgetItem(cells[c]);
                if (c >= CyclesColumn)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_runs->setItem(row, c, item);
            }
            if (r.id == selected)
                m_runs->selectRow(row);
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
    if (it == m_list.end()) {
        m_summary->clear();
        return;
    }
    const TrainingRun &run = *it;
    const int entries = run.metrics.is_array() ? int(run.metrics.size()) : 0;
    // Only the new cycles of the run on show; all of them for another run or a shorter history.
    const bool fromStart = run.id != m_shownRun || entries < m_charted;
    chartFrom(run, fromStart);

    QString html =
        QStringLiteral("<h3>%1</h3>").arg((run.name.isEmpty() ? run.id : run.name).toHtmlEscaped());
    html += tr("<p><b>%1</b> · %2 cycles · created %3</p>")
                .arg(TrainingRun::toString(run.state))
                .arg(entries)
                .arg(QLocale().toString(run.createdAt.toLocalTime(), QLocale::ShortFormat));
    // A finished run's held-out result: the improvement of the best version over the start on
    // the test split, with its bootstrap 95 % interval (never a bare number).
    if (const auto report = run.config.find("report");
        report != run.config.end() && report->is_object() && report->contains("test")) {
        const json &test = (*report)["test"];
        const auto gain = number(test, "improvement");
        const auto ci = test.find("ci95");
        if (gain && ci != test.end() && ci->is_array() && ci->size() == 2 && (*ci)[0].is_number() &&
            (*ci)[1].is_number())
            html += tr("<p><b>Held-out test</b>: improvement %1 (95 % CI %2 to %3) over %4 "
                       "problems</p>")
                        .arg(*gain, 0, 'f', 3)
                        .arg((*ci)[0].get<double>(), 0, 'f', 3)
                        .arg((*ci)[1].get<double>(), 0, 'f', 3)
                        .arg(test.value("problems", 0));
    }
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

void TrainingDashboard::chartFrom(const TrainingRun &run, bool fromStart)
{
    if (fromStart) {
        m_quality->clear();
        m_spend->clear();
        m_acceptance->clear();
        m_acceptedWindow.clear();
        m_charted = 0;
        m_shownRun = run.id;
    }
    if (!run.metrics.is_array())
        return;
    std::vector<QPointF> best, calls, accepted;
    for (std::size_t i = std::size_t(m_charted); i < run.metrics.size(); ++i) {
        const json &m = run.metrics[i];
        const double cycle = number(m, "cycle").value_or(double(i));
        if (const auto b = number(m, "best_validation"))
            best.emplace_back(cycle, *b);
        if (const auto c = number(m, "calls_used"))
            calls.emplace_back(cycle, *c);
        if (const auto it = m.find("accepted"); it != m.end() && it->is_boolean()) {
            m_acceptedWindow.push_back(it->get<bool>());
            const auto n = std::min<std::size_t>(m_acceptedWindow.size(), kAcceptanceWindow);
            const auto hits = std::count(m_acceptedWindow.end() - std::ptrdiff_t(n),
                                         m_acceptedWindow.end(), true);
            accepted.emplace_back(cycle, double(hits) / double(n));
        }
    }
    m_quality->append(m_bestSeries, best);
    m_spend->append(m_callsSeries, calls);
    m_acceptance->append(m_acceptSeries, accepted);
    m_charted = int(run.metrics.size());
}

} // namespace crucible
