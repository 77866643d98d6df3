#pragma once
// The Training dashboard (View → Training): the workspace's self-training runs, newest first,
// and the live training charts of the selected one — best quality on the validation split so far,
// LLM calls spent, and the share of candidate versions accepted (over the last 10 cycles) — drawn
// from the per-cycle metrics the run checkpoints after every unit of work. While a run is
// running (here or from `crucible-cli train`) the dashboard re-reads it every second and appends
// only the new cycles to the charts; otherwise it looks for new runs every 5 s while visible. Reads
// go through a read-only connection on the workspace pool, never on the GUI thread. GUI thread
// only.

#include "core/model/trainingrun.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;
class QTextBrowser;

namespace crucible {

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

    QTableWidget *runsTable() const { return m_runs; }
    LiveChart *qualityChart() const { return m_quality; }
    LiveChart *spendChart() const { return m_spend; }
    LiveChart *acceptanceChart() const { return m_acceptance; }
    QString selectedRunId() const;
    int chartedCycles() const { return m_charted; }
    QString summaryText() const;

signals:
    void errorOccurred(const QString &message);
    void loaded(); // a reload finished and the view shows it

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
    void chartFrom(const TrainingRun &run, bool fromStart);

    QString m_path;
    std::vector<TrainingRun> m_list;
    QFutureWatcher<Loaded> m_watcher;
    bool m_pending = false;
    QTimer m_poll; // every second while a run is running, else every 5 s (while visible)
    QTableWidget *m_runs = nullptr;
    QLabel *m_empty = nullptr;
    QTextBrowser *m_summary = nullptr;
    LiveChart *m_quality = nullptr;
    LiveChart *m_spend = nullptr;
    LiveChart *m_acceptance = nullptr;
    int m_bestSeries = -1, m_callsSeries = -1, m_acceptSeries = -1;
    QString m_shownRun;
    int m_charted = 0; // metric entries of m_shownRun already on the charts
};

} // namespace crucible
