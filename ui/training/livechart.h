#pragma once
// LiveChart: a Qt Charts line chart for long, growing series (the training dashboard's quality,
// ratings, spend and throughput over a run). It keeps every point itself and gives Qt Charts only
// what the plot can show:
//  - appends are buffered and drawn together at most every coalesceMs (default 40 ms);
//  - each drawn series is handed over in one QXYSeries::replace, never point by point;
//  - a series longer than about a point per pixel of the plot is decimated (min/max per 4-pixel
//    column, see seriesdecimation.h), so a 100,000-point series costs about a thousand drawn
//    points;
//  - a redraw that took long spaces the next ones out (at most a third of the GUI thread).
// Optional bands (e.g. a rating's 95 % interval) are drawn as shaded areas the same way.
// GUI thread only.

#include <QColor>
#include <QPointF>
#include <QTimer>
#include <QtCharts/QChartView>

#include <span>
#include <vector>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace crucible {

class LiveChart final : public QChartView
{
    Q_OBJECT
public:
    explicit LiveChart(const QString &title = {}, QWidget *parent = nullptr);

    // A new line; returns its index. An invalid colour takes the theme's next one.
    int addSeries(const QString &name, const QColor &color = {});
    // A shaded band between a lower and an upper line (shares the x of its points).
    int addBand(const QString &name, const QColor &color);
    // A line on a second y axis at the right (a quantity of another scale, e.g. calls per minute
    // beside calls spent).
    int addRightSeries(const QString &name, const QColor &color = {});
    void setSeriesName(int series, const QString &name);
    // A hidden line keeps its points but is neither drawn nor in the legend.
    void setSeriesVisible(int series, bool visible);

    void append(int series, QPointF point); // x must not decrease within a series
    void append(int series, std::span<const QPointF> points);
    void appendBand(int band, double x, double low, double high);
    void setPoints(int series, std::vector<QPointF> points); // replaces all (sorted by x)
    void clear();                                            // every series and band emptied

    void setAxisTitles(const QString &x, const QString &y);
    void setYRange(double low, double high); // fixed; by default the y axis follows the data
    void setYTickCount(int count);           // fewer labels for a short chart
    void setCoalesceMs(int ms);

    int seriesCount() const { return int(m_series.size()); }
    std::size_t pointCount(int series) const;    // all points kept
    int drawnPointCount(int series) const;       // what Qt Charts holds after decimation
    int drawnBandPointCount(int band) const;     // the same for a band's lower line
    int flushCount() const { return m_flushes; } // redraws so far (coalesced appends)
    // Draws what is pending now (tests, and before a screenshot or export).
    void flushNow();

private:
    struct Line
    {
        QLineSeries *series = nullptr;
        std::vector<QPointF> points;
        bool dirty = false;
        bool right = false; // on the right axis
    };
    struct Band
    {
        QAreaSeries *area = nullptr;
        QLineSeries *low = nullptr;
        QLineSeries *high = nullptr;
        std::vector<QPointF> lows;
        std::vector<QPointF> highs;
        bool dirty = false;
    };

    void schedule();
    void updateLegend();
    void flush();
    int columns() const;
    void updateRanges();
    void extendRange(double x, double low, double high); // the data range covers these

    std::vector<Line> m_series;
    std::vector<Band> m_bands;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QTimer m_timer;
    bool m_fixedY = false;
    QValueAxis *m_yRight = nullptr; // created by the first addRightSeries
    double m_r0 = 0, m_r1 = 0;
    bool m_rightEmpty = true;
    bool m_leftEmpty = true; // no left-axis point yet (the x range may have some)
    double m_x0 = 0, m_x1 = 0, m_y0 = 0, m_y1 = 0;
    bool m_empty = true;
    int m_flushes = 0;
    int m_lastColumns = 0;
    int m_coalesceMs = 40;
};

} // namespace crucible
