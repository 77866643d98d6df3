#include "ui/training/lineageview.h"

#include "ui/backgroundrefresh.h"
#include "ui/training/livechart.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace crucible {

namespace {

constexpr double kStepX = 26;   // between consecutive candidates
constexpr double kHeight = 220; // score 0..1
constexpr double kRadius = 6;
constexpr int kIdRole = Qt::UserRole + 1;

enum RatingColumn { RCandidate, ROp, RRating, RCi, RMatches, RRecord, RValidation, RColumns };

} // namespace

LineageView::LineageView(QWidget *parent)
    : QWidget(parent)
{
    m_match = new QLabel(this);
    m_match->setObjectName(QStringLiteral("liveMatch"));
    m_match->setWordWrap(true);
    m_match->setTextFormat(Qt::RichText);
    m_scene = new QGraphicsScene(this);
    m_view = new QGraphicsView(m_scene, this);
    m_view->setObjectName(QStringLiteral("lineageGraph"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setToolTip(tr("Agent versions of the run: height = mean validation score (whisker: "
                          "95 % interval); filled = accepted, hollow = rejected, gold ring = the "
                          "best. Click one to see its traits, lessons and learning record."));
    m_view->viewport()->installEventFilter(this);
    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("lineageDetails"));
    m_details->setPlaceholderText(tr("Click a version in the graph."));
    auto *graph = new QSplitter(Qt::Horizontal, this);
    graph->addWidget(m_view);
    graph->addWidget(m_details);
    graph->setStretchFactor(0, 3);
    graph->setStretchFactor(1, 2);
    graph->setSizes({600, 400});

    m_ratings = new QTableWidget(0, RColumns, this);
    m_ratings->setObjectName(QStringLiteral("ratingsTable"));
    m_ratings->setHorizontalHeaderLabels({tr("Candidate"), tr("Made by"), tr("Rating"),
                                          tr("95 % CI"), tr("Matches"), tr("W-L-T"),
                                          tr("Validation")});
    m_ratings->setToolTip(tr("Bradley–Terry ratings from every match the run played: a child "
                             "against its parent on the same problem, the higher judge score "
                             "winning. Intervals: bootstrap over the matches."));
    m_ratings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ratings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_ratings->verticalHeader()->hide();
    m_ratings->horizontalHeader()->setStretchLastSection(true);
    connect(m_ratings, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = m_ratings->currentRow();
        if (row >= 0)
            if (const QTableWidgetItem *item = m_ratings->item(row, RCandidate))
                selectNode(item->data(kIdRole).toInt());
    });

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(graph, tr("Lineage"));
    // The ratings by candidate, with their 95 % interval as a band.
    m_ratingChart = new LiveChart(tr("Rating by candidate (95 % CI band)"), this);
    m_ratingChart->setAxisTitles(tr("candidate"), {});
    m_ratingBand = m_ratingChart->addBand(tr("95 % CI"), QColor(38, 110, 200, 60));
    m_ratingSeries = m_ratingChart->addSeries(tr("rating"));
    auto *ratingsPage = new QSplitter(Qt::Vertical, this);
    ratingsPage->addWidget(m_ratings);
    ratingsPage->addWidget(m_ratingChart);
    ratingsPage->setStretchFactor(0, 1);
    ratingsPage->setStretchFactor(1, 1);
    ratingsPage->setSizes({1000, 1000}); // half and half
    m_tabs->addTab(ratingsPage, tr("Ratings"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_match);
    layout->addWidget(m_tabs, 1);
    connect(&m_watcher, &QFutureWatcher<evolve::Lineage>::finished, this, &LineageView::onComputed);
}

LineageView::~LineageView()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void LineageView::clear()
{
    m_queued.reset();
    m_runId.clear();
    m_cycles = -1;
    m_selected = -1;
    m_lineage = {};
    m_scene->clear();
    m_ratings->setRowCount(0);
    m_ratingChart->clear();
    m_details->clear();
    m_match->clear();
}

void LineageView::setRun(const TrainingRun &run)
{
    const int cycles = run.metrics.is_array() ? static_cast<int>(run.metrics.size()) : 0;
    if (run.id == m_runId && cycles == m_cycles)
        return;
    if (run.id != m_runId)
        m_selected = -1;
    m_runId = run.id;
    m_cycles = cycles;
    if (m_watcher.isRunning()) {
        m_queued = run; // the newest request wins
        return;
    }
    m_watcher.setFuture(QtConcurrent::run(workspacePool(), [run] {
        const IdlePriorityScope idle;
        return evolve::lineageOf(run);
    }));
}

void LineageView::onComputed()
{
    evolve::Lineage result = m_watcher.result();
    if (m_queued) {
        const TrainingRun next = std::move(*m_queued);
        m_queued.reset();
        m_watcher.setFuture(QtConcurrent::run(workspacePool(), [next] {
            const IdlePriorityScope idle;
            return evolve::lineageOf(next);
        }));
        return;
    }
    if (result.runId != m_runId)
        return; // cleared or another run since
    m_lineage = std::move(result);
    draw();
    fillRatings();
    QString match;
    if (!m_lineage.error.isEmpty())
        match =
            tr("The run's checkpoint could not be read: %1").arg(m_lineage.error.toHtmlEscaped());
    if (!m_lineage.inFlight.isEmpty())
        match += tr("<b>In flight</b>: %1. ").arg(m_lineage.inFlight.toHtmlEscaped());
    if (m_lineage.matchChild >= 0) {
        double parent = 0, child = 0;
        for (const evolve::MatchRow &r : m_lineage.match) {
            parent += r.parentScore;
            child += r.childScore;
        }
        const double n = std::max<double>(1, static_cast<double>(m_lineage.match.size()));
        match += tr("<b>Latest match</b>: candidate %1 against its parent %2 on %3 train "
                    "problems: %4 vs %5.")
                     .arg(m_lineage.matchChild)
                     .arg(m_lineage.matchParent)
                     .arg(m_lineage.match.size())
                     .arg(child / n, 0, 'f', 3)
                     .arg(parent / n, 0, 'f', 3);
    }
    if (m_lineage.diversitySolutions > 0)
        match += tr(" <b>Diversity</b> of the accepted versions' %1 solutions: distinct-2 %2, "
                    "mean pairwise similarity %3.")
                     .arg(m_lineage.diversitySolutions)
                     .arg(m_lineage.distinct2, 0, 'f', 3)
                     .arg(m_lineage.meanSimilarity, 0, 'f', 3);
    m_match->setText(match);
    if (m_selected >= 0)
        selectNode(m_selected);
    emit computed();
}

void LineageView::draw()
{
    m_scene->clear();
    const auto &nodes = m_lineage.nodes;
    // As wide as the view when the versions fit, else scrolled to the newest.
    const double step =
        std::clamp((m_view->viewport()->width() - 60.0) / std::max<double>(1, double(nodes.size())),
                   8.0, kStepX);
    const auto pos = [&nodes, step](int id) {
        const evolve::LineageNode &n = nodes[static_cast<size_t>(id)];
        const double score =
            n.validationMean.value_or(n.minibatchChild.value_or(n.scoredMean.value_or(0.0)));
        return QPointF(id * step, (1.0 - score) * kHeight);
    };
    const QPen edge(QColor(150, 150, 150), 1);
    for (const evolve::LineageNode &n : nodes)
        if (n.parent >= 0 && n.parent < static_cast<int>(nodes.size()))
            m_scene->addLine(QLineF(pos(n.parent), pos(n.id)), edge);
    // The axis: 0 and 1.
    const QPen axis(QColor(200, 200, 200), 1, Qt::DotLine);
    const double right = std::max<double>(1, static_cast<double>(nodes.size())) * step;
    for (const double v : {0.0, 0.5, 1.0}) {
        m_scene->addLine(QLineF(-10, (1 - v) * kHeight, right, (1 - v) * kHeight), axis);
        auto *label = m_scene->addSimpleText(QString::number(v, 'f', 1));
        label->setPos(-32, (1 - v) * kHeight - 8);
        label->setBrush(QColor(120, 120, 120));
    }
    const QColor accepted(38, 110, 200);
    const QColor rejected(160, 160, 160);
    for (const evolve::LineageNode &n : nodes) {
        const QPointF p = pos(n.id);
        if (n.validationMean && n.validationHigh > n.validationLow)
            m_scene->addLine(QLineF(p.x(), (1 - n.validationHigh) * kHeight, p.x(),
                                    (1 - n.validationLow) * kHeight),
                             QPen(n.accepted ? accepted : rejected, 1));
        QPen pen(n.best ? QColor(212, 160, 23) : (n.accepted ? accepted : rejected),
                 n.best ? 3 : 1.5);
        // Rejected tries are many and small; the accepted versions stand out.
        const double r = n.accepted || n.best ? kRadius : kRadius * 0.55;
        auto *dot = m_scene->addEllipse(p.x() - r, p.y() - r, 2 * r, 2 * r, pen,
                                        n.accepted ? QBrush(accepted) : QBrush(Qt::white));
        dot->setData(0, n.id);
        dot->setToolTip(tr("candidate %1 (%2)%3")
                            .arg(n.id)
                            .arg(n.op)
                            .arg(n.validationMean
                                     ? tr(", validation %1").arg(*n.validationMean, 0, 'f', 3)
                                     : QString()));
        dot->setCursor(Qt::PointingHandCursor);
        if (n.id == m_selected)
            m_scene->addEllipse(p.x() - kRadius - 3, p.y() - kRadius - 3, 2 * kRadius + 6,
                                2 * kRadius + 6, QPen(Qt::black, 1, Qt::DashLine));
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-10, -10, 10, 10));
    if (!nodes.empty())
        m_view->ensureVisible(pos(static_cast<int>(nodes.size()) - 1).x(), kHeight / 2, 1, 1);
}

void LineageView::fillRatings()
{
    m_ratingChart->clear();
    std::vector<QPointF> points;
    for (const evolve::LineageNode &n : m_lineage.nodes)
        if (n.rating) {
            points.emplace_back(n.id, *n.rating);
            m_ratingChart->appendBand(m_ratingBand, n.id, n.ratingLow, n.ratingHigh);
        }
    m_ratingChart->setPoints(m_ratingSeries, std::move(points));
    std::vector<const evolve::LineageNode *> rated;
    for (const evolve::LineageNode &n : m_lineage.nodes)
        if (n.rating)
            rated.push_back(&n);
    std::sort(rated.begin(), rated.end(),
              [](const auto *a, const auto *b) { return *a->rating > *b->rating; });
    const QSignalBlocker block(m_ratings);
    m_ratings->setRowCount(static_cast<int>(rated.size()));
    for (int row = 0; row < static_cast<int>(rated.size()); ++row) {
        const evolve::LineageNode &n = *rated[static_cast<size_t>(row)];
        const QStringList cells{
            QString::number(n.id) + (n.best ? tr(" (best)") : QString()),
            n.op,
            QString::number(*n.rating, 'f', 0),
            QStringLiteral("%1 – %2").arg(n.ratingLow, 0, 'f', 0).arg(n.ratingHigh, 0, 'f', 0),
            QString::number(n.matches),
            QStringLiteral("%1-%2-%3").arg(n.wins).arg(n.losses).arg(n.ties),
            n.validationMean ? QString::number(*n.validationMean, 'f', 3) : QStringLiteral("–")};
        for (int c = 0; c < RColumns; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setData(kIdRole, n.id);
            if (c >= RRating)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_ratings->setItem(row, c, item);
        }
    }
    m_ratings->resizeColumnsToContents();
}

void LineageView::selectNode(int id)
{
    if (id < 0 || id >= static_cast<int>(m_lineage.nodes.size()))
        return;
    const bool redraw = m_selected != id;
    m_selected = id;
    m_details->setHtml(evolve::describeNode(m_lineage.nodes[static_cast<size_t>(id)]));
    if (redraw)
        draw();
}

QString LineageView::detailsText() const
{
    return m_details->toPlainText();
}

QString LineageView::matchText() const
{
    return m_match->text();
}

bool LineageView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize &&
        !m_lineage.nodes.empty()) {
        draw(); // the spacing follows the width
        return false;
    }
    if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        for (QGraphicsItem *item : m_view->items(mouse->position().toPoint()))
            if (item->data(0).isValid()) {
                selectNode(item->data(0).toInt());
                return true;
            }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace crucible
