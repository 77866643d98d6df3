// The training dashboard's chart load: 8 series of 100,000 points each, with 200 new points a
// second per series while the run goes on (a point every 5 ms to each), measured with the
// event-loop latency probe on the GUI thread, and the process's resident memory. Two phases in
// the same run:
//  - LiveChart (ui/training/livechart.h): coalesced appends, one replace per series, min/max
//    decimation to the plot's width;
//  - the baseline: plain QLineSeries with every point, one append per new point.
// Usage: QT_QPA_PLATFORM=offscreen livechart_guibench [SECONDS per phase, default 15]

#include "tests/bench/eventloopprobe.h"
#include "ui/training/livechart.h"

#include <QApplication>
#include <QFile>
#include <QTimer>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

using namespace crucible;

namespace {

constexpr int kSeries = 8;
constexpr int kPreload = 100'000;

double value(int series, qint64 i)
{
    return std::sin(double(i) * 0.001 * (series + 1)) + series * 0.5;
}

double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// One phase: a widget showing 8 series, preloaded, then fed a point per series every 5 ms.
struct Phase
{
    const char *name;
    std::function<QWidget *()> make;
    std::function<void(qint64 index)> feed; // appends point `index` to every series
};

class Runner final : public QObject
{
public:
    Runner(std::vector<Phase> phases, int seconds)
        : m_phases(std::move(phases))
        , m_ms(seconds * 1000)
    {
        m_feed.setTimerType(Qt::PreciseTimer);
        m_feed.setInterval(5);
        connect(&m_feed, &QTimer::timeout, this, [this] {
            // Catch up with the clock (200 points a second per series whatever the stalls), but
            // at most 40 points per series at once: the baseline appends point by point, and a
            // backlog of thousands would never end.
            const qint64 due = std::min(kPreload + m_clock.elapsed() / 5, m_next + 40);
            while (m_next < due)
                m_phases[std::size_t(m_index)].feed(m_next++);
        });
    }
    void start() { next(); }

private:
    void next()
    {
        if (m_index >= 0) {
            m_feed.stop();
            const auto r = m_probe.result();
            std::printf("%-28s longest stall %8.1f ms  p99 %7.1f ms  >50 ms: %4lld  busy %7.1f ms  "
                        "points fed %lld  RSS %.0f MiB (preloaded %.0f MiB, before %.0f MiB)\n",
                        m_phases[std::size_t(m_index)].name, r.longestStallMs, r.p99StallMs,
                        static_cast<long long>(r.stallsOver50Ms), r.longestBusyMs,
                        static_cast<long long>((m_next - kPreload) * kSeries), residentMiB(),
                        m_preloadedMiB, m_beforeMiB);
            std::fflush(stdout);
            m_widget.reset();
        }
        if (++m_index >= int(m_phases.size())) {
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
            return;
        }
        m_beforeMiB = residentMiB();
        m_widget.reset(m_phases[std::size_t(m_index)].make());
        m_widget->resize(1000, 500);
        m_widget->show();
        m_preloadedMiB = residentMiB();
        m_next = kPreload;
        // Let the first paint happen before measuring.
        QTimer::singleShot(500, this, [this] {
            m_probe.begin();
            m_clock.start();
            m_feed.start();
            QTimer::singleShot(m_ms, this, [this] { next(); });
        });
    }

    std::vector<Phase> m_phases;
    int m_ms;
    int m_index = -1;
    qint64 m_next = 0;
    double m_beforeMiB = 0, m_preloadedMiB = 0;
    QElapsedTimer m_clock;
    QTimer m_feed;
    bench::EventLoopProbe m_probe;
    std::unique_ptr<QWidget> m_widget;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 15;

    LiveChart *live = nullptr;
    std::vector<int> liveIds;
    QList<QLineSeries *> plain;
    QValueAxis *plainX = nullptr;

    std::vector<Phase> phases;
    phases.push_back({"LiveChart (decimated)",
                      [&]() -> QWidget * {
                          live = new LiveChart(QStringLiteral("quality"));
                          liveIds.clear();
                          for (int s = 0; s < kSeries; ++s) {
                              const int id = live->addSeries(QStringLiteral("agent %1").arg(s));
                              std::vector<QPointF> points;
                              points.reserve(kPreload);
                              for (int i = 0; i < kPreload; ++i)
                                  points.emplace_back(i, value(s, i));
                              live->setPoints(id, std::move(points));
                              liveIds.push_back(id);
                          }
                          return live;
                      },
                      [&](qint64 i) {
                          for (int s = 0; s < kSeries; ++s)
                              live->append(liveIds[std::size_t(s)],
                                           QPointF(double(i), value(s, i)));
                      }});
    phases.push_back({"QLineSeries, every point",
                      [&]() -> QWidget * {
                          auto *chart = new QChart();
                          plain.clear();
                          plainX = new QValueAxis(chart);
                          auto *y = new QValueAxis(chart);
                          chart->addAxis(plainX, Qt::AlignBottom);
                          chart->addAxis(y, Qt::AlignLeft);
                          y->setRange(-1.5, kSeries * 0.5 + 1.5);
                          for (int s = 0; s < kSeries; ++s) {
                              auto *series = new QLineSeries(chart);
                              QList<QPointF> points;
                              points.reserve(kPreload);
                              for (int i = 0; i < kPreload; ++i)
                                  points.append(QPointF(i, value(s, i)));
                              series->replace(points);
                              chart->addSeries(series);
                              series->attachAxis(plainX);
                              series->attachAxis(y);
                              plain.append(series);
                          }
                          plainX->setRange(0, kPreload);
                          auto *view = new QChartView(chart);
                          return view;
                      },
                      [&](qint64 i) {
                          for (int s = 0; s < kSeries; ++s)
                              plain[s]->append(double(i), value(s, i));
                          plainX->setMax(double(i));
                      }});

    Runner runner(std::move(phases), seconds);
    std::printf("%d series x %d points, then 200 points a second per series for %d s\n", kSeries,
                kPreload, seconds);
    runner.start();
    return app.exec();
}
