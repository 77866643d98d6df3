#pragma once
// An event-loop latency probe: a precise timer on the calling thread that fires every few
// milliseconds and records how late each firing was. The longest lateness is the longest time
// the thread's event loop did not get to run (a stall). It also records the thread's own CPU
// time between two firings: a stall with little CPU is the thread waiting for a core (a loaded
// machine), one with as much CPU as wall time is work done on the thread. Lives on the thread it
// measures.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <vector>

namespace crucible::bench {

class EventLoopProbe final : public QObject
{
public:
    struct Result
    {
        qint64 ticks = 0;
        double longestStallMs = 0;    // longest gap between two firings, minus the interval
        double longestStallCpuMs = 0; // the thread's CPU time during that gap
        double longestBusyMs = 0;     // most CPU time the thread spent between two firings
        qint64 stallsOver50Ms = 0;
        double p99StallMs = 0;
        double elapsedMs = 0;
    };

    explicit EventLoopProbe(int intervalMs = 5, QObject *parent = nullptr)
        : QObject(parent)
        , m_intervalNs(static_cast<qint64>(intervalMs) * 1'000'000)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, &EventLoopProbe::onTick);
    }

    // Starts a new measurement (and the timer when it is not running).
    void begin()
    {
        m_lateness.clear();
        m_cpu.clear();
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuNs();
        if (!m_timer.isActive())
            m_timer.start();
    }

    // The figures since begin(); the timer keeps running.
    Result result() const
    {
        Result r;
        r.ticks = static_cast<qint64>(m_lateness.size());
        r.elapsedMs = static_cast<double>(m_clock.nsecsElapsed()) / 1e6;
        // The time since the last firing counts too: a stall that has not ended yet.
        const qint64 open = m_clock.nsecsElapsed() - m_last - m_intervalNs;
        std::vector<qint64> all = m_lateness;
        all.push_back(std::max<qint64>(open, 0));
        std::vector<qint64> cpu = m_cpu;
        cpu.push_back(threadCpuNs() - m_lastCpu);
        const auto longest = std::max_element(all.begin(), all.end()) - all.begin();
        r.longestStallCpuMs = static_cast<double>(cpu[static_cast<size_t>(longest)]) / 1e6;
        r.longestBusyMs = static_cast<double>(*std::max_element(cpu.begin(), cpu.end())) / 1e6;
        std::sort(all.begin(), all.end());
        r.longestStallMs = static_cast<double>(all.back()) / 1e6;
        r.p99StallMs = static_cast<double>(all[all.size() * 99 / 100]) / 1e6;
        r.stallsOver50Ms =
            std::count_if(all.begin(), all.end(), [](qint64 ns) { return ns > 50'000'000; });
        return r;
    }

    void stop() { m_timer.stop(); }

private:
    static qint64 threadCpuNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<qint64>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }

    void onTick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        m_lateness.push_back(std::max<qint64>(now - m_last - m_intervalNs, 0));
        m_cpu.push_back(cpu - m_lastCpu);
        m_last = now;
        m_lastCpu = cpu;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_intervalNs;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    std::vector<qint64> m_lateness; // ns late, per firing
    std::vector<qint64> m_cpu;      // ns of this thread's CPU time since the firing before
};

} // namespace crucible::bench
