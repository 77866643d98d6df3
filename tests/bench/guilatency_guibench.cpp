// Longest GUI-thread stall of the main window on a large workspace, measured by an event-loop
// latency probe (a 5 ms timer on the GUI thread; a stall is how late it fired) while the
// Problems panel is browsed (jumps and page-downs through the table), filtered (every domain,
// then every domain + complexity), searched (words with hundreds of thousands of hits), and
// while a 1,000-problem dataset job runs on the Simulated provider with the table scrolling.
// Every action is driven from the event loop, one after another: an action that changes the
// filter waits until the panel reports its count (filteredCountChanged).
// Run: QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) build/tests/bench/guilatency_guibench WORKSPACE
// (WORKSPACE from store_bench: /tmp/crucible-bench/problems-1000000.crucible). The workspace is
// copied next to itself first (the job writes to the copy), so every run starts the same.

#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/workspace.h"
#include "tests/bench/eventloopprobe.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/mainwindow.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problems/problemfilterbar.h"
#include "ui/problemspanel.h"
#include "ui/workspacecontroller.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <deque>
#include <functional>
#include <optional>

using namespace crucible;

namespace {

// One user action, and when the next one may start.
struct Step
{
    std::function<void()> act;
    std::function<bool()> done = [] { return true; };
    int minMs = 25; // at least this long after the action
};

struct Phase
{
    const char *name;
    std::function<std::deque<Step>()> steps; // built when the phase starts
    std::function<bool()> until = nullptr;   // ends the phase early when true
};

class Driver final : public QObject
{
public:
    Driver(std::vector<Phase> phases, bench::EventLoopProbe *probe)
        : m_phases(std::move(phases))
        , m_probe(probe)
    {
        m_poll.setInterval(2);
        connect(&m_poll, &QTimer::timeout, this, &Driver::poll);
    }
    void start()
    {
        m_phase = -1;
        nextPhase();
        m_poll.start();
    }

private:
    void nextPhase()
    {
        if (m_phase >= 0) {
            const auto r = m_probe->result();
            std::printf("%-34s %7.1f ms (CPU %6.1f)  busy %6.1f ms  p99 %5.1f ms  >50 ms: %3lld  "
                        "(%lld ticks, %.1f s, %d actions)\n",
                        m_phases[static_cast<size_t>(m_phase)].name, r.longestStallMs,
                        r.longestStallCpuMs, r.longestBusyMs, r.p99StallMs,
                        static_cast<long long>(r.stallsOver50Ms), static_cast<long long>(r.ticks),
                        r.elapsedMs / 1000, m_actions);
            std::fflush(stdout);
        }
        if (++m_phase >= static_cast<int>(m_phases.size())) {
            m_poll.stop();
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
            return;
        }
        m_steps = m_phases[static_cast<size_t>(m_phase)].steps();
        m_actions = 0;
        m_current.reset();
        m_probe->begin();
    }
    void poll()
    {
        if (m_current) {
            if (m_since.elapsed() < m_current->minMs || !m_current->done())
                return;
            m_current.reset();
        }
        const auto &until = m_phases[static_cast<size_t>(m_phase)].until;
        if (m_steps.empty() || (until && until())) {
            nextPhase();
            return;
        }
        m_current = std::move(m_steps.front());
        m_steps.pop_front();
        m_since.start();
        ++m_actions;
        m_current->act();
    }

    std::vector<Phase> m_phases;
    bench::EventLoopProbe *m_probe;
    QTimer m_poll;
    int m_phase = -1;
    int m_actions = 0;
    std::deque<Step> m_steps;
    std::optional<Step> m_current;
    QElapsedTimer m_since;
};

// With CRUCIBLE_LATENCY_TRACE=MS set, prints every event on the GUI thread whose delivery took
// more than MS of the GUI thread's CPU time or of wall time, with its receiver: where the
// remaining work (or waiting) on the GUI thread is. Events of other threads are not traced.
class TracingApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_traceNs <= 0 || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        ++m_depth;
        timespec t0{}, t1{};
        QElapsedTimer wall;
        wall.start();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        const int type = event->type();
        const QByteArray cls = receiver->metaObject()->className();
        const QString name = receiver->objectName();
        const bool done = QApplication::notify(receiver, event);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        const qint64 wallNs = wall.nsecsElapsed();
        --m_depth;
        const qint64 ns = (t1.tv_sec - t0.tv_sec) * 1'000'000'000LL + (t1.tv_nsec - t0.tv_nsec);
        if (ns > m_traceNs || wallNs > m_traceNs)
            std::printf("  trace: %.1f ms CPU, %.1f ms wall in event %d to %s \"%s\"\n",
                        static_cast<double>(ns) / 1e6, static_cast<double>(wallNs) / 1e6, type,
                        cls.constData(), qPrintable(name));
        return done;
    }
    void setTrace(double ms) { m_traceNs = static_cast<qint64>(ms * 1e6); }

private:
    qint64 m_traceNs = 0;
    int m_depth = 0;
};

int indexOfData(QComboBox *combo, const QString &data)
{
    return combo->findData(data);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TracingApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("CRUCIBLE_LATENCY_TRACE"))
        app.setTrace(qEnvironmentVariable("CRUCIBLE_LATENCY_TRACE").toDouble());
    QStandardPaths::setTestModeEnabled(true);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s WORKSPACE\n", argv[0]);
        return 2;
    }
    const QString source = QString::fromLocal8Bit(argv[1]);
    const QString path = source + QStringLiteral(".latency.crucible");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QString::fromUtf8(suffix));
    if (!QFile::copy(source, path)) {
        std::fprintf(stderr, "cannot copy %s to %s\n", qPrintable(source), qPrintable(path));
        return 1;
    }

    QTemporaryDir dir;
    WorkspaceController controller;
    LlmEngine::Options options;
    options.providersFile = dir.filePath(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    LlmEngineHost host(options);
    auto window = std::make_unique<MainWindow>(&controller, &host);
    window->resize(1600, 1000);
    window->show();

    QElapsedTimer openTimer;
    openTimer.start();
    if (!controller.open(path)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    std::printf("open (GUI thread, not probed)      %7.1f ms\n",
                static_cast<double>(openTimer.nsecsElapsed()) / 1e6);

    ProblemsPanel *panel = window->problemsPanel();
    QTableView *table = panel->table();
    ProblemFilterBar *bar = panel->filterBar();
    QComboBox *domain = bar->combos().at(0);
    QComboBox *complexity = bar->combos().at(1);
    int counted = 0; // filteredCountChanged so far
    QObject::connect(panel, &ProblemsPanel::filteredCountChanged, panel, [&] { ++counted; });
    const auto countArrives = [&counted] {
        // The step's action records the count it waits for in `want`.
        auto want = std::make_shared<int>(0);
        Step s;
        s.done = [&counted, want] { return counted >= *want; };
        return std::make_pair(s, want);
    };
    const auto filterStep = [&](std::function<void()> change) {
        auto [s, want] = countArrives();
        s.act = [&counted, want, change] {
            *want = counted + 1;
            change();
        };
        s.minMs = 50;
        return s;
    };

    QRandomGenerator rng(7);
    bool jobFinished = false;
    QObject::connect(window->generationPanel(), &GenerationPanel::jobFinished, panel,
                     [&](const QString &, int status, const QString &error) {
                         jobFinished = true;
                         std::printf("job finished: status %d %s\n", status, qPrintable(error));
                     });

    QElapsedTimer sinceJob;
    std::vector<Phase> phases;
    phases.push_back({"settle (stats, choices; not a goal)", [&] {
                          std::deque<Step> steps;
                          Step wait;
                          wait.act = [] {};
                          wait.done = [&] { return domain->count() > 1; };
                          wait.minMs = 2000;
                          steps.push_back(wait);
                          return steps;
                      }});
    phases.push_back({"browse (200 jumps, 200 page-downs)", [&] {
                          std::deque<Step> steps;
                          QScrollBar *sb = table->verticalScrollBar();
                          for (int i = 0; i < 200; ++i)
                              steps.push_back({[sb, &rng] {
                                                   sb->setValue(static_cast<int>(
                                                       rng.bounded(std::max(1, sb->maximum()))));
                                               },
                                               [] { return true; }, 25});
                          steps.push_back({[sb] { sb->setValue(0); }, [] { return true; }, 25});
                          for (int i = 0; i < 200; ++i)
                              steps.push_back({[sb] { sb->setValue(sb->value() + sb->pageStep()); },
                                               [] { return true; }, 25});
                          return steps;
                      }});
    phases.push_back({"filter (domain, domain+complexity)", [&] {
                          std::deque<Step> steps;
                          for (int d = 1; d < 7; ++d) {
                              steps.push_back(filterStep([domain, complexity, d] {
                                  const QSignalBlocker b(complexity);
                                  complexity->setCurrentIndex(0);
                                  domain->setCurrentIndex(std::min(d, domain->count() - 1));
                              }));
                              for (int c = 1; c < 4; ++c)
                                  steps.push_back(filterStep(
                                      [complexity, c] { complexity->setCurrentIndex(c); }));
                          }
                          steps.push_back(filterStep([bar] { bar->clear(); }));
                          return steps;
                      }});
    phases.push_back(
        {"search (6 queries, typed)", [&] {
             std::deque<Step> steps;
             for (const char *query : {"warehouse", "warehouse outage", "refund", "sensor latency",
                                       "pricing contr", "inventory ledger schedule"}) {
                 const QString text = QString::fromUtf8(query);
                 steps.push_back(filterStep([panel, text] { panel->searchBox()->setText(text); }));
             }
             steps.push_back(filterStep([bar] { bar->clear(); }));
             return steps;
         }});
    phases.push_back(
        {"browse a search, domain+complexity", [&] {
             // 100 jumps through the hits of a one-word search, then through a
             // domain + complexity filter (the filter waits for its count first).
             std::deque<Step> steps;
             QScrollBar *sb = table->verticalScrollBar();
             const auto jumps = [&steps, sb, &rng] {
                 for (int i = 0; i < 100; ++i)
                     steps.push_back({[sb, &rng] {
                                          sb->setValue(static_cast<int>(
                                              rng.bounded(std::max(1, sb->maximum()))));
                                      },
                                      [] { return true; }, 25});
             };
             steps.push_back(
                 filterStep([panel] { panel->searchBox()->setText(QStringLiteral("warehouse")); }));
             jumps();
             steps.push_back(filterStep([bar, domain, complexity] {
                 {
                     // One filter change: the first domain (finance) + simple.
                     const QSignalBlocker b(bar);
                     bar->clear();
                     domain->setCurrentIndex(std::min(1, domain->count() - 1));
                 }
                 complexity->setCurrentIndex(indexOfData(complexity, QStringLiteral("simple")));
             }));
             jumps();
             steps.push_back(filterStep([bar] { bar->clear(); }));
             return steps;
         }});
    phases.push_back(
        {"1,000-problem job (Simulated)",
         [&] {
             std::deque<Step> steps;
             Step startJob;
             startJob.act = [&] {
                 GenerationSpec spec;
                 spec.kind = GenerationKind::Dataset;
                 spec.providerId = QStringLiteral("simulated");
                 spec.domain = QStringLiteral("latency bench");
                 spec.count = 1000;
                 window->generationPanel()->start(spec);
             };
             steps.push_back(startJob);
             // Read while it runs: a page down every 100 ms, back to the top at the
             // end of the table, until the job ends and the last refresh is done.
             QScrollBar *sb = table->verticalScrollBar();
             for (int i = 0; i < 3000; ++i) {
                 Step read;
                 read.act = [sb, &jobFinished] {
                     if (jobFinished)
                         return;
                     sb->setValue(sb->value() >= sb->maximum() ? 0 : sb->value() + sb->pageStep());
                 };
                 read.minMs = 100;
                 steps.push_back(read);
             }
             return steps;
         },
         // 2 s after the job ends (the table's last refresh comes 700 ms after it).
         [&jobFinished, &sinceJob] {
             if (!jobFinished)
                 return false;
             if (!sinceJob.isValid())
                 sinceJob.start();
             return sinceJob.elapsed() > 2000;
         }});
    bench::EventLoopProbe probe;
    // CRUCIBLE_LATENCY_PHASES=job,search runs only the phases whose names contain one of the
    // words (to look at one phase while changing it).
    if (const QString only = qEnvironmentVariable("CRUCIBLE_LATENCY_PHASES"); !only.isEmpty()) {
        const QStringList words = only.split(QLatin1Char(','), Qt::SkipEmptyParts);
        std::erase_if(phases, [&words](const auto &phase) {
            const QString name = QString::fromUtf8(phase.name);
            return std::none_of(words.begin(), words.end(), [&name](const QString &w) {
                return name.contains(w, Qt::CaseInsensitive);
            });
        });
    }
    Driver driver(std::move(phases), &probe);
    std::printf("%-34s %s\n", "phase",
                "longest GUI-thread stall (GUI-thread CPU in it), most GUI-thread CPU between "
                "two firings (busy), 99th percentile, stalls over 50 ms");
    driver.start();
    const int rc = app.exec();
    std::printf("rows shown at the end: %d\n", panel->model()->rowCount());
    window.reset();
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QString::fromUtf8(suffix));
    return rc;
}
