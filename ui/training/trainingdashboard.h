#pragma once
// The Training dashboard (View → Training): the workspace's self-training runs, newest first,
// with New run…, Pause, Resume, Stop and Save report…, and the live training charts of the selected
// one — best quality on the validation split so far, LLM calls spent, and the share of candidate
// versions accepted (over the last 10 cycles) — drawn from the per-cycle metrics the run
// checkpoints after every unit of work. While a run is running (here or from `crucible-cli train`)
// the dashboard re-reads it every second and appends only the new cycles to the charts; otherwise
// it looks for new runs every 5 s while visible. Reads go through a read-only connection on the
// workspace pool, never on the GUI thread. GUI thread only.

#include "core/evolve/evolutionmonitor.h"
#include "core/model/trainingrun.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTextBrowser;

namespace crucible {

class LineageView;
class LiveChart;
class Workspace;

class TrainingDashboard final : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingDashboard(QWidget *parent = nullptr);
    ~TrainingDashboard() override;

    void setWorkspace(Workspace *ws);
    void reload(); // re-reads the runs in the background
    // Selects run `runId` as soon as a read shows it (a run this window just started).
    void follow(const QString &runId);

    QTableWidget *runsTable() const { return m_runs; }
    LiveChart *qualityChart() const { return m_quality; }
    LiveChart *spendChart() const { return m_spend; }
    LiveChart *acceptanceChart() const { return m_acceptance; }
    QString selectedRunId() const;
    int chartedCycles() const { return m_charted; }
    QString summaryText() const;
    LineageView *lineageView() const { return m_lineage; }
    QTabWidget *tabs() const { return m_rightTabs; }
    QPushButton *newRunButton() const { return m_newRun; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *summarizeButton() const { return m_summarize; }
    QString summaryHtml() const;
    // Asks the selected run's process (this window's engine or a crucible-cli) to pause or stop
    // after the calls in flight: written into the run's job, read between units of work.
    void requestControl(const QString &request);
    // The selected run's report as HTML, Markdown or JSON (by the file's suffix).
    bool writeReport(const QString &runId, const QString &file);

signals:
    void errorOccurred(const QString &message);
    void statusMessage(const QString &message);
    void newRunRequested();
    void resumeRequested(const QString &runId);  // the run's job id (the same id)
    void summaryRequested(const QString &runId); // an LLM summary of the run (RunSummaryJob)
    void loaded();                               // a reload finished and the view shows it
    // The first read of a workspace found a run a crash or kill interrupted (the newest such).
    void interruptedRunFound(const QString &runId);

private:
    struct Loaded
    {
        QString path;
        std::vector<TrainingRun> runs;
        QString error;
    };

    void onLoaded();
    void fillTable();
    void showSelected();
    void chartFrom(const TrainingRun &run, const evolve::RunStatus &st, bool fromStart);
    void showGroup(const TrainingRun &run); // the other agents of its --agents group
    void updateButtons();
    void saveReport();

    QString m_path;
    bool m_readOnly = false;
    std::vector<TrainingRun> m_list;
    QFutureWatcher<Loaded> m_watcher;
    bool m_pending = false;
    bool m_firstRead = false; // the next read is a newly opened workspace's first
    QTimer m_poll;            // every second while a run is running, else every 5 s (while visible)
    QTableWidget *m_runs = nullptr;
    QPushButton *m_newRun = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_report = nullptr;
    QPushButton *m_summarize = nullptr;
    QLabel *m_empty = nullptr;
    QTextBrowser *m_summary = nullptr;
    LiveChart *m_quality = nullptr;
    LiveChart *m_spend = nullptr;
    LiveChart *m_acceptance = nullptr;
    LineageView *m_lineage = nullptr;
    QTabWidget *m_rightTabs = nullptr;
    int m_bestSeries = -1, m_callsSeries = -1, m_acceptSeries = -1;
    int m_childSeries = -1, m_noveltySeries = -1, m_successSeries = -1, m_throughputSeries = -1;
    static constexpr int kMaxGroupAgents = 8; // crucible-cli train --agents allows 1 to 8
    std::vector<int> m_agentSeries;           // the other agents of a group (hidden otherwise)
    QString m_shownRun;
    QString m_follow;      // to select once it is read
    QString m_resumeAsked; // Resume was clicked for this run (it stays disabled a moment)
    QElapsedTimer m_resumeClock;
    int m_charted = 0; // metric entries of m_shownRun already on the charts
};

} // namespace crucible
