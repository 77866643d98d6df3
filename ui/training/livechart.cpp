#include "ui/training/livechart.h"

#include "ui/training/seriesdecimation.h"

#include <QElapsedTimer>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <limits>

namespace crucible {

LiveChart::LiveChart(const QString &title, QWidget *parent)
    : QChartView(parent)
{
    auto *chart = new QChart();
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setVisible(false); // shown once there is more than one series to tell apart
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.9);
    chart->setTitleFont(titleFont);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis(chart);
    m_y = new QValueAxis(chart);
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, false); // thousands of segments: plain lines paint fast
    setMinimumSize(200, 100);

    m_timer.setSingleShot(true);
    m_timer.setInterval(m_coalesceMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveChart::flush);
}

int LiveChart::addSeries(const QString &name, const QColor &color)
{
    Line line;
    line.series = new QLineSeries(chart());
    line.series->setName(name);
    chart()->addSeries(line.series);
    line.series->attachAxis(m_x);
    line.series->attachAxis(m_y);
    if (color.isValid())
        line.series->setColor(color);
    m_series.push_back(std::move(line));
    updateLegend();
    return int(m_series.size()) - 1;
}

int LiveChart::addRightSeries(const QString &name, const QColor &color)
{
    if (!m_yRight) {
        m_yRight = new QValueAxis(chart());
        m_yRight->setLabelFormat(QStringLiteral("%.0f")); // rates: whole numbers, narrow labels
        m_yRight->setTickCount(m_y->tickCount());
        chart()->addAxis(m_yRight, Qt::AlignRight);
    }
    const int index = addSeries(name, color);
    Line &line = m_series[std::size_t(index)];
    line.series->detachAxis(m_y);
    line.series->attachAxis(m_yRight);
    line.right = true;
    return index;
}

void LiveChart::setSeriesName(int series, const QString &name)
{
    if (series >= 0 && series < seriesCount())
        m_series[std::size_t(series)].series->setName(name);
}

void LiveChart::setSeriesVisible(int series, bool visible)
{
    if (series < 0 || series >= seriesCount())
        return;
    QLineSeries *line = m_series[std::size_t(series)].series;
    line->setVisible(visible);
    for (QLegendMarker *marker : chart()->legend()->markers(line))
        marker->setVisible(visible);
    updateLegend();
}

void LiveChart::updateLegend()
{
    // Shown once there is more than one visible line or band to tell apart.
    const auto lines = std::count_if(m_series.begin(), m_series.end(),
                                     [](const Line &l) { return l.series->isVisible(); });
    chart()->legend()->setVisible(std::size_t(lines) + m_bands.size() > 1);
}

int LiveChart::addBand(const QString &name, const QColor &color)
{
    Band band;
    band.low = new QLineSeries(chart());
    band.high = new QLineSeries(chart());
    band.area = new QAreaSeries(band.high, band.low);
    band.area->setName(name);
    QColor fill = color;
    fill.setAlpha(60);
    band.area->setBrush(fill);
    band.area->setPen(Qt::NoPen);
    chart()->addSeries(band.area);
    band.area->attachAxis(m_x);
    band.area->attachAxis(m_y);
    m_bands.push_back(std::move(band));
    updateLegend();
    return int(m_bands.size()) - 1;
}

void LiveChart::append(int series, QPointF point)
{
    append(series, std::span<const QPointF>(&point, 1));
}

void LiveChart::append(int series, std::span<const QPointF> points)
{
    if (series < 0 || series >= int(m_series.size()) || points.empty())
        return;
    Line &line = m_series[std::size_t(series)];
    line.points.insert(line.points.end(), points.begin(), points.end());
    line.dirty = true;
    for (const QPointF &p : points) {
        if (!line.right) {
            extendRange(p.x(), p.y(), p.y());
            continue;
        }
        // The right axis has its own range; the x range is shared.
        if (m_empty) {
            m_x0 = m_x1 = p.x();
            m_empty = false;
            m_leftEmpty = true;
        }
        m_x0 = std::min(m_x0, p.x());
        m_x1 = std::max(m_x1, p.x());
        if (m_rightEmpty) {
            m_r0 = m_r1 = p.y();
            m_rightEmpty = false;
        }
        m_r0 = std::min(m_r0, p.y());
        m_r1 = std::max(m_r1, p.y());
    }
    schedule();
}

void LiveChart::appendBand(int band, double x, double low, double high)
{
    if (band < 0 || band >= int(m_bands.size()))
        return;
    Band &b = m_bands[std::size_t(band)];
    b.lows.emplace_back(x, low);
    b.highs.emplace_back(x, high);
    b.dirty = true;
    extendRange(x, low, high);
    schedule();
}

void LiveChart::extendRange(double x, double low, double high)
{
    if (m_empty) {
        m_x0 = m_x1 = x;
        m_empty = false;
        m_leftEmpty = true;
    }
    if (m_leftEmpty) {
        m_y0 = low;
        m_y1 = high;
        m_leftEmpty = false;
    }
    m_x0 = std::min(m_x0, x);
    m_x1 = std::max(m_x1, x);
    m_y0 = std::min(m_y0, low);
    m_y1 = std::max(m_y1, high);
}

void LiveChart::setPoints(int series, std::vector<QPointF> points)
{
    if (series < 0 || series >= int(m_series.size()))
        return;
    Line &line = m_series[std::size_t(series)];
    line.points.clear();
    line.dirty = true;
    append(series, std::span<const QPointF>(points));
    if (points.empty())
        schedule();
}

void LiveChart::clear()
{
    for (Line &line : m_series) {
        line.points.clear();
        line.dirty = true;
    }
    for (Band &band : m_bands) {
        band.lows.clear();
        band.highs.clear();
        band.dirty = true;
    }
    m_empty = true;
    m_leftEmpty = true;
    m_rightEmpty = true;
    schedule();
}

void LiveChart::setAxisTitles(const QString &x, const QString &y)
{
    m_x->setTitleText(x);
    m_y->setTitleText(y);
}

void LiveChart::setYRange(double low, double high)
{
    m_fixedY = true;
    m_y->setRange(low, high);
}

void LiveChart::setYTickCount(int count)
{
    m_y->setTickCount(std::max(2, count));
    if (m_yRight)
        m_yRight->setTickCount(std::max(2, count));
}

void LiveChart::setCoalesceMs(int ms)
{
    m_coalesceMs = std::max(0, ms);
    m_timer.setInterval(m_coalesceMs);
}

std::size_t LiveChart::pointCount(int series) const
{
    return series >= 0 && series < int(m_series.size())
               ? m_series[std::size_t(series)].points.size()
               : 0;
}

int LiveChart::drawnPointCount(int series) const
{
    return series >= 0 && series < int(m_series.size())
               ? int(m_series[std::size_t(series)].series->count())
               : 0;
}

int LiveChart::drawnBandPointCount(int band) const
{
    return band >= 0 && band < int(m_bands.size()) ? int(m_bands[std::size_t(band)].low->count())
                                                   : 0;
}

void LiveChart::flushNow()
{
    m_timer.stop();
    flush();
}

void LiveChart::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

int LiveChart::columns() const
{
    // One column per 4 pixels, up to 4 points in each: about a point per pixel. Qt Charts
    // strokes the whole line again for its hit-testing shape on every change, and that stroke
    // (atan2 per joint) is most of a redraw's cost: 4 points per pixel took ~47 ms a redraw for
    // 8 series, a point per pixel a quarter of that.
    const int width = int(chart()->plotArea().width());
    return std::max(50, (width > 0 ? width : viewport()->width()) / 4);
}

void LiveChart::flush()
{
    QElapsedTimer cost;
    cost.start();
    ++m_flushes;
    const int cols = columns();
    // A wider plot or a longer x range changes every column: every series is drawn again.
    const bool all = cols != m_lastColumns;
    m_lastColumns = cols;
    updateRanges();
    for (Line &line : m_series) {
        if (!line.dirty && !all)
            continue;
        const std::vector<QPointF> drawn = decimateMinMax(line.points, m_x0, m_x1, cols);
        line.series->replace(QList<QPointF>(drawn.begin(), drawn.end()));
        line.dirty = false;
    }
    for (Band &band : m_bands) {
        if (!band.dirty && !all)
            continue;
        const std::vector<QPointF> lows = decimateMinMax(band.lows, m_x0, m_x1, cols);
        const std::vector<QPointF> highs = decimateMinMax(band.highs, m_x0, m_x1, cols);
        band.low->replace(QList<QPointF>(lows.begin(), lows.end()));
        band.high->replace(QList<QPointF>(highs.begin(), highs.end()));
        band.dirty = false;
    }
    // Redraws take at most about a third of the GUI thread: a slow one spaces the next ones out.
    m_timer.setInterval(std::max(m_coalesceMs, int(cost.elapsed()) * 3));
}

void LiveChart::updateRanges()
{
    if (m_empty) {
        m_x->setRange(0, 1);
        if (!m_fixedY)
            m_y->setRange(0, 1);
        return;
    }
    m_x->setRange(m_x0, m_x1 > m_x0 ? m_x1 : m_x0 + 1);
    m_x->applyNiceNumbers(); // ticks at 0, 20, 40… rather than 19.5, 39…
    if (m_yRight) {
        if (m_rightEmpty) {
            m_yRight->setRange(0, 1);
        } else {
            const double pad = m_r1 > m_r0 ? (m_r1 - m_r0) * 0.05 : 0.5;
            m_yRight->setRange(m_r0 >= 0 ? std::max(0.0, m_r0 - pad) : m_r0 - pad, m_r1 + pad);
            m_yRight->applyNiceNumbers();
        }
    }
    if (!m_fixedY) {
        const double pad = m_y1 > m_y0 ? (m_y1 - m_y0) * 0.05 : 0.5;
        // Counts and costs never go below zero: no padding under a non-negative series.
        const double low = m_y0 >= 0 ? std::max(0.0, m_y0 - pad) : m_y0 - pad;
        m_y->setRange(low, m_y1 + pad);
        m_y->applyNiceNumbers();
    }
}

} // namespace crucible
