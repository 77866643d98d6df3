#include "app/cli/trainingrun.h"

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/llmcontext.h"
#include "core/evolve/trainjob.h"
#include "core/llm/llmclient.h"
#include "core/llm/moneyformat.h"
#include "core/model/durationformat.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"

#include <QElapsedTimer>

#include <atomic>
#include <csignal>

namespace crucible::cli {

using nlohmann::json;

namespace {

// Ctrl+C: the first asks the run to stop after the calls in flight (it then checkpoints and
// writes its report); the handler gives SIGINT back to the default, so a second one aborts at
// once (the run keeps its last checkpoint).
std::atomic<int> g_interrupts{0};

extern "C" void onTrainInterrupt(int)
{
    g_interrupts.fetch_add(1);
    std::signal(SIGINT, SIG_DFL);
}

// Installs the handler for the lifetime of the object and restores the previous one.
class InterruptScope
{
public:
    InterruptScope()
    {
        g_interrupts = 0;
        m_previous = std::signal(SIGINT, onTrainInterrupt);
    }
    ~InterruptScope() { std::signal(SIGINT, m_previous == SIG_ERR ? SIG_DFL : m_previous); }
    InterruptScope(const InterruptScope &) = delete;
    InterruptScope &operator=(const InterruptScope &) = delete;
    static bool interrupted() { return g_interrupts.load() > 0; }

private:
    void (*m_previous)(int) = SIG_DFL;
};

// One line: cycle, best validation quality, calls, spend, ETA. Redrawn in place on a terminal
// (at most 5 times a second); a line every 10 seconds otherwise (logs).
class TrainingProgress
{
public:
    TrainingProgress(Console &console, double spentBefore)
        : m_console(console)
        , m_terminal(console.terminal().stderrIsTerminal)
        , m_spentBefore(spentBefore)
    {
        m_clock.start();
    }

    void update(const TrainingRun &run, const evolve::Optimiser &o, const LlmClient &client)
    {
        const qint64 now = m_clock.elapsed();
        if (m_usedAtStart < 0)
            m_usedAtStart = o.budget().used;
        if (m_lastMs >= 0 && now - m_lastMs < (m_terminal ? 200 : 10'000))
            return;
        m_lastMs = now;
        double best = 0;
        for (const json &h : run.metrics)
            if (const auto it = h.find("best_validation"); it != h.end() && it->is_number())
                best = std::max(best, it->get<double>());
        const evolve::CallBudget &budget = o.budget();
        const int thisRun = budget.used - m_usedAtStart;
        qint64 eta = -1;
        if (thisRun > 0 && budget.maxCalls > 0)
            eta = static_cast<qint64>(static_cast<double>(now) / thisRun *
                                      std::max(0, budget.maxCalls - budget.used));
        const QString line =
            QStringLiteral("cycle %1 · best %2 · calls %3/%4 · %5 · ETA %6")
                .arg(o.cycles())
                .arg(best, 0, 'f', 3)
                .arg(budget.used)
                .arg(budget.maxCalls > 0 ? QString::number(budget.maxCalls) : QStringLiteral("∞"))
                .arg(formatUsd(m_spentBefore + client.sessionStats().costUsd))
                .arg(eta < 0 ? QStringLiteral("?") : formatDuration(eta));
        QTextStream &err = m_console.err();
        if (m_terminal)
            err << '\r' << line.leftJustified(m_width) << Qt::flush;
        else
            err << line << '\n' << Qt::flush;
        m_width = std::max<int>(m_width, static_cast<int>(line.size()));
        m_drawn = m_terminal;
    }

    void finish()
    {
        if (m_drawn)
            m_console.err() << '\r' << QString(m_width, u' ') << '\r' << Qt::flush;
        m_drawn = false;
    }

private:
    Console &m_console;
    bool m_terminal;
    double m_spentBefore;
    QElapsedTimer m_clock;
    qint64 m_lastMs = -1;
    int m_usedAtStart = -1;
    int m_width = 0;
    bool m_drawn = false;
};

void printReport(Console &console, const json &r)
{
    auto &out = console.out();
    if (!r.value("ok", false))
        console.error(QString::fromStdString(r.value("error", std::string("training failed"))));
    const json &best = r.value("best", json::object());
    const json &start = r.value("start", json::object());
    out << QStringLiteral("run %1 (%2): %3 cycles, %4 of %5 calls, %6 versions accepted (%7)\n")
               .arg(QString::fromStdString(r.value("run_id", std::string())),
                    QString::fromStdString(r.value("optimizer", std::string())))
               .arg(r.value("cycles", 0))
               .arg(r.value("calls_used", 0))
               .arg(r.value("budget_calls", 0))
               .arg(r.value("accepted", 0))
               .arg(QString::fromStdString(r.value("finish_reason", std::string())));
    if (const json &sp = r.value("specialization", json::object()); !sp.empty()) {
        QStringList changes;
        for (const json &a : sp.value("adjustments", json::array()))
            if (a.value("delta", 0) != 0)
                changes << QStringLiteral("%1 %2%3")
                               .arg(QString::fromStdString(a.value("trait", std::string())))
                               .arg(a.value("delta", 0) > 0 ? QStringLiteral("+") : QString())
                               .arg(a.value("delta", 0));
        if (sp.contains("error"))
            out << QStringLiteral("specialisation for the domain failed (%1); trained the "
                                  "template as it is\n")
                       .arg(QString::fromStdString(sp.value("error", std::string())));
        else {
            out << QStringLiteral("specialised for the domain first (version %1): %2\n")
                       .arg(QString::fromStdString(sp.value("version", std::string())),
                            changes.isEmpty() ? QStringLiteral("no trait changed")
                                              : changes.join(QStringLiteral(", ")));
            if (sp.contains("validation_mean"))
                out << QStringLiteral("  a second start beside the clone: validation %1 against "
                                      "the clone's %2, so training went on from %3\n")
                           .arg(sp.value("validation_mean", 0.0), 0, 'f', 3)
                           .arg(start.value("validation_mean", 0.0), 0, 'f', 3)
                           .arg(sp.value("better_than_clone", false)
                                    ? QStringLiteral("the specialised version")
                                    : QStringLiteral("the clone"));
        }
    }
    if (!r.contains("test"))
        return;
    out << QStringLiteral("validation: start %1, best %2 (version %3, %4 lessons)\n")
               .arg(start.value("validation_mean", 0.0), 0, 'f', 3)
               .arg(best.value("validation_mean", 0.0), 0, 'f', 3)
               .arg(QString::fromStdString(best.value("version_id", std::string())))
               .arg(best.value("instructions", json::array()).size());
    const json &test = r.value("test", json::object());
    const json ci = test.value("ci95", json::array({0.0, 0.0}));
    out << QStringLiteral("held-out test (%1 problems): start %2, best %3, improvement %4 "
                          "(95 % CI %5 to %6)\n")
               .arg(test.value("problems", 0))
               .arg(test.value("start_mean", 0.0), 0, 'f', 3)
               .arg(test.value("best_mean", 0.0), 0, 'f', 3)
               .arg(test.value("improvement", 0.0), 0, 'f', 3)
               .arg(ci[0].get<double>(), 0, 'f', 3)
               .arg(ci[1].get<double>(), 0, 'f', 3);
    for (const json &p : r.value("pareto", json::array()))
        out << QStringLiteral("pareto choice: version %1 %2\n")
                   .arg(QString::fromStdString(p.value("version_id", std::string())),
                        QString::fromStdString(p.value("metrics", json::object()).dump()));
    if (r.contains("landscape_quality"))
        out << QStringLiteral("hidden landscape quality: start %1, best %2\n")
                   .arg(start.value("landscape_quality", 0.0), 0, 'f', 3)
                   .arg(r["landscape_quality"].get<double>(), 0, 'f', 3);
}

} // namespace

int runTrainingJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId,
                   json *reportOut, bool print)
{
    const InterruptScope interrupts;
    bool told = false;
    LlmCallFilter filter;
    filter.jobId = jobId;
    TrainingProgress progress(console, LlmCallRepository(ws).totals(filter).costUsd);
    const PromptTemplates templates;
    evolve::TrainJob job(ws, client, templates);
    job.setStopRequested([&console, &told, &progress]() -> QString {
        if (!InterruptScope::interrupted())
            return {};
        if (!told) {
            told = true;
            progress.finish();
            console.err() << "stopping: the calls in flight finish, then the checkpoint and the "
                             "report (Ctrl+C again aborts at once; the run stays resumable)\n";
            console.err().flush();
        }
        return QStringLiteral("stop");
    });
    if (!console.json())
        job.setCheckpointed(
            [&progress, &client](const TrainingRun &run, const evolve::Optimiser &o) {
                progress.update(run, o, client);
            });
    const EngineJobResult result = runTask(job.run(jobId));
    progress.finish();
    client.flushLedger();
    const json &report = job.report();
    if (reportOut)
        *reportOut = report;
    if (print && console.json()) {
        console.printJson(report);
    } else if (print || !console.json()) {
        printReport(console, report);
        if (result.status != JobStatus::Completed && !result.error.isEmpty())
            console.hint(result.error);
    }
    return report.value("ok", false) ? ExitOk : ExitFailure;
}

} // namespace crucible::cli
