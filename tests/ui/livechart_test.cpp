// LiveChart and min/max decimation: what the training dashboard's charts promise (coalesced
// appends, bounded drawn points, the extremes of a long series kept).

#include "ui/training/livechart.h"
#include "ui/training/seriesdecimation.h"

#include <QSignalSpy>
#include <QTest>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <gtest/gtest.h>

#include <cmath>

namespace crucible {
namespace {

std::vector<QPointF> wave(int n)
{
    std::vector<QPointF> points;
    points.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i)
        points.emplace_back(i, std::sin(i * 0.01) + (i % 997 == 0 ? 5.0 : 0.0));
    return points;
}

TEST(SeriesDecimation, ShortSeriesPassUnchanged)
{
    const std::vector<QPointF> points = wave(300);
    EXPECT_EQ(decimateMinMax(points, 0, 299, 100), points);
}

TEST(SeriesDecimation, LongSeriesKeepAtMostFourPointsPerColumnAndEveryExtreme)
{
    const std::vector<QPointF> points = wave(100'000);
    const std::vector<QPointF> drawn = decimateMinMax(points, 0, 99'999, 800);
    EXPECT_LE(drawn.size(), 3200u);
    EXPECT_GE(drawn.size(), 1600u);
    EXPECT_TRUE(std::is_sorted(drawn.begin(), drawn.end(),
                               [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); }));
    EXPECT_EQ(drawn.front(), points.front());
    EXPECT_EQ(drawn.back(), points.back());
    // Every planted spike (y > 4) is still there, and so are the global minimum and maximum.
    int spikes = 0, kept = 0;
    for (const QPointF &p : points)
        spikes += p.y() > 4;
    for (const QPointF &p : drawn)
        kept += p.y() > 4;
    EXPECT_EQ(kept, spikes);
    const auto byY = [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); };
    EXPECT_EQ(std::min_element(drawn.begin(), drawn.end(), byY)->y(),
              std::min_element(points.begin(), points.end(), byY)->y());
}

TEST(LiveChart, AppendsAreCoalescedAndLongSeriesDecimated)
{
    LiveChart chart(QStringLiteral("quality"));
    chart.resize(800, 400);
    chart.show();
    const int a = chart.addSeries(QStringLiteral("best"));
    const int b = chart.addSeries(QStringLiteral("mean"));
    chart.setPoints(a, wave(100'000));
    // b spans the same x range as a, with fewer points than the plot has pixels.
    for (int i = 0; i < 300; ++i)
        chart.append(b, QPointF(i * 300.0, i * 0.001));
    EXPECT_EQ(chart.drawnPointCount(a), 0) << "nothing is drawn before the coalescing timer";
    QTRY_COMPARE(chart.flushCount(), 1);
    EXPECT_EQ(chart.pointCount(a), 100'000u);
    EXPECT_GT(chart.drawnPointCount(a), 0);
    EXPECT_LE(chart.drawnPointCount(a), 4 * std::max(800, 100));
    EXPECT_EQ(chart.drawnPointCount(b), 300) << "a short series is drawn whole";

    for (int i = 300; i < 330; ++i)
        chart.append(b, QPointF(i * 300.0, i * 0.001));
    QTRY_COMPARE(chart.flushCount(), 2);
    EXPECT_EQ(chart.drawnPointCount(b), 330);

    chart.clear();
    chart.flushNow();
    EXPECT_EQ(chart.pointCount(a), 0u);
    EXPECT_EQ(chart.drawnPointCount(a), 0);
}

TEST(LiveChart, BandsFollowTheirPoints)
{
    LiveChart chart;
    chart.resize(600, 300);
    const int band = chart.addBand(QStringLiteral("95 % interval"), Qt::blue);
    for (int i = 0; i < 10; ++i)
        chart.appendBand(band, i, i - 1.0, i + 1.0);
    chart.flushNow();
    EXPECT_EQ(chart.flushCount(), 1);
    EXPECT_EQ(chart.drawnBandPointCount(band), 10);
    chart.clear();
    chart.flushNow();
    EXPECT_EQ(chart.drawnBandPointCount(band), 0);
}

TEST(LiveChart, ARightAxisSeriesKeepsItsOwnScale)
{
    LiveChart chart;
    chart.resize(600, 300);
    const int calls = chart.addSeries(QStringLiteral("calls spent"));
    const int rate = chart.addRightSeries(QStringLiteral("calls/min"));
    for (int i = 0; i < 10; ++i) {
        chart.append(rate, QPointF(i, 1000 + 50.0 * i)); // the right one arrives first
        chart.append(calls, QPointF(i, 10.0 * i));
    }
    chart.flushNow();
    QValueAxis *left = nullptr, *right = nullptr;
    for (QAbstractAxis *axis : chart.chart()->axes(Qt::Vertical))
        (axis->alignment() == Qt::AlignLeft ? left : right) = qobject_cast<QValueAxis *>(axis);
    ASSERT_TRUE(left && right);
    // The left axis follows calls spent (0–90), not the rate; the right one the rate.
    EXPECT_LT(left->max(), 200);
    EXPECT_GE(left->max(), 90);
    EXPECT_GE(right->max(), 1450);
    EXPECT_GE(right->min(), 0);
    EXPECT_EQ(chart.drawnPointCount(rate), 10);
}

} // namespace
} // namespace crucible
