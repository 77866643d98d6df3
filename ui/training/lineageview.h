#pragma once
// LineageView: the selected training run's agent versions as a graph you can click — one node
// per candidate (left to right in the order they were made, height = mean validation score with
// its 95 % interval as a whisker; filled = accepted, hollow = rejected, ringed = the best), an
// edge from each parent to its child — with the clicked version's traits, lessons and learning
// record beside it; a ratings table (Bradley–Terry with intervals from the run's parent-vs-child
// matches, also as a chart with the intervals as a band); and the live match (the unit in flight
// and the latest minibatch test). The lineage is computed on the workspace pool at idle priority
// (bootstraps), newest request wins. GUI thread.

#include "core/evolve/lineage.h"

#include <QFutureWatcher>
#include <QWidget>

class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QTableWidget;
class QTabWidget;
class QTextBrowser;

namespace crucible {

class LiveChart;

class LineageView final : public QWidget
{
    Q_OBJECT

public:
    explicit LineageView(QWidget *parent = nullptr);
    ~LineageView() override;

    // Recomputes when the run or its number of cycles changed; a null id clears.
    void setRun(const TrainingRun &run);
    void clear();

    const evolve::Lineage &lineage() const { return m_lineage; }
    QGraphicsScene *scene() const { return m_scene; }
    QTableWidget *ratingsTable() const { return m_ratings; }
    LiveChart *ratingChart() const { return m_ratingChart; }
    QString detailsText() const;
    QString matchText() const;
    // Shows candidate `id`'s details (what a click on its node does).
    void selectNode(int id);

signals:
    void computed(); // a new lineage is on show

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onComputed();
    void draw();
    void fillRatings();

    QTabWidget *m_tabs = nullptr;
    QGraphicsScene *m_scene = nullptr;
    QGraphicsView *m_view = nullptr;
    QTextBrowser *m_details = nullptr;
    QTableWidget *m_ratings = nullptr;
    QLabel *m_match = nullptr;
    LiveChart *m_ratingChart = nullptr;
    int m_ratingSeries = -1, m_ratingBand = -1;
    QFutureWatcher<evolve::Lineage> m_watcher;
    std::optional<TrainingRun> m_queued; // asked while a computation ran
    evolve::Lineage m_lineage;
    QString m_runId;
    int m_cycles = -1;
    int m_selected = -1;
};

} // namespace crucible
