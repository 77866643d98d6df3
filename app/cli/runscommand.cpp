// `crucible-cli runs WS`, `status WS RUN` and `report WS RUN --format md|html|json --out PATH
// [--summarize]`: the self-training runs of a workspace and the EvolutionMonitor's view of one
// (measures, recommendations, charts), read from what the run has checkpointed. Read-only, but
// for --summarize, which first has an LLM write the run's summary (RunSummaryJob, stored in the
// run).

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmcontext.h"
#include "core/evolve/evolutionmonitor.h"
#include "core/evolve/runsummaryjob.h"
#include "core/store/entityrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QSaveFile>

#include <algorithm>

namespace crucible::cli {

namespace {

using evolve::EvolutionMonitor;
using evolve::RunStatus;

TrainingRun findRun(Workspace &ws, const QString &id)
{
    if (auto run = EntityStore(ws).get<TrainingRun>(id))
        return *run;
    throw CliError(QStringLiteral("no training run %1 in %2").arg(id, ws.path()),
                   QStringLiteral("crucible-cli runs %1 lists the runs").arg(ws.path()));
}

QString optionalText(const std::optional<double> &v, int decimals)
{
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("–");
}

class RunsCommand final : public Command
{
public:
    const char *name() const override { return "runs"; }
    const char *description() const override
    {
        return "List the self-training runs of a workspace, newest first";
    }
    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
    }
    int execute(Console &console) override
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        std::vector<TrainingRun> runs = EntityStore(*ws).list<TrainingRun>();
        std::sort(runs.begin(), runs.end(), [](const TrainingRun &a, const TrainingRun &b) {
            return a.createdAt > b.createdAt;
        });
        if (console.json()) {
            nlohmann::json rows = nlohmann::json::array();
            for (const TrainingRun &r : runs) {
                nlohmann::json row = EvolutionMonitor::toJson(EvolutionMonitor::status(r));
                row.erase("series");
                row["created_at"] = r.createdAt.toString(Qt::ISODate).toStdString();
                rows.push_back(std::move(row));
            }
            console.out() << QString::fromStdString(rows.dump(2)) << '\n';
            return 0;
        }
        QTextStream &out = console.out();
        if (runs.empty()) {
            out << "no training runs; start one with crucible-cli train " << ws->path()
                << " --domain D\n";
            return 0;
        }
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(QStringLiteral("run").leftJustified(28),
                        QStringLiteral("state").leftJustified(10),
                        QStringLiteral("cycles").leftJustified(7),
                        QStringLiteral("best").leftJustified(7),
                        QStringLiteral("calls").leftJustified(7), QStringLiteral("name"));
        for (const TrainingRun &r : runs) {
            const RunStatus s = EvolutionMonitor::status(r);
            out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                       .arg(r.id.leftJustified(28), s.state.leftJustified(10),
                            QString::number(s.cycles).leftJustified(7),
                            optionalText(s.bestValidation, 3).leftJustified(7),
                            (s.callsUsed ? QString::number(*s.callsUsed) : QStringLiteral("–"))
                                .leftJustified(7),
                            r.name);
        }
        return 0;
    }

private:
    std::string m_workspace;
};

class StatusCommand final : public Command
{
public:
    const char *name() const override { return "status"; }
    const char *description() const override
    {
        return "A training run's status: quality over time, spend, acceptance, budget left and "
               "recommendations";
    }
    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("run", m_run, "Training run id (crucible-cli runs lists them)")->required();
    }
    int execute(Console &console) override
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        const TrainingRun run = findRun(*ws, fromStd(m_run));
        RunStatus s = EvolutionMonitor::status(run);
        EvolutionMonitor::addDiversity(s, run);
        if (console.json())
            console.out() << QString::fromStdString(EvolutionMonitor::toJson(s).dump(2)) << '\n';
        else
            console.out() << EvolutionMonitor::toMarkdown(s);
        return 0;
    }

private:
    std::string m_workspace;
    std::string m_run;
};

class ReportCommand final : public Command
{
public:
    const char *name() const override { return "report"; }
    const char *description() const override
    {
        return "Write a training run's report (EvolutionMonitor) as Markdown, a self-contained "
               "HTML page with charts, or JSON";
    }
    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("run", m_run, "Training run id (crucible-cli runs lists them)")->required();
        app.add_option("--format", m_format, "md, html or json")
            ->check(CLI::IsMember({"md", "html", "json"}))
            ->capture_default_str();
        app.add_option("--out,-o", m_out, "File to write (default: standard output)");
        app.add_flag("--summarize", m_summarize,
                     "First have the LLM write a summary of the run from its measurements (one "
                     "call; stored in the run, so later reports include it)");
        m_args.addTo(app, false);
    }
    int execute(Console &console) override
    {
        if (m_summarize)
            summarize(console);
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        const TrainingRun run = findRun(*ws, fromStd(m_run));
        RunStatus s = EvolutionMonitor::status(run);
        EvolutionMonitor::addDiversity(s, run);
        QString text;
        if (m_format == "html")
            text = EvolutionMonitor::toHtml(s);
        else if (m_format == "json")
            text = QString::fromStdString(EvolutionMonitor::toJson(s).dump(2)) + u'\n';
        else
            text = EvolutionMonitor::toMarkdown(s);
        if (m_out.empty()) {
            console.out() << text;
            return 0;
        }
        // Written whole or not at all: a report never replaces an older one half-written.
        QSaveFile file(fromStd(m_out));
        if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
            throw CliError(
                QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()),
                QStringLiteral("choose a folder you can write to with --out"));
        console.err() << "wrote " << file.fileName() << '\n';
        return 0;
    }

private:
    void summarize(Console &console)
    {
        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        Workspace &ws = *ctx.workspace;
        findRun(ws, fromStd(m_run));
        QString jobId;
        try {
            jobId = evolve::RunSummaryJob::create(
                ws, {{"run_id", m_run},
                     {"provider", ctx.config.id.toStdString()},
                     {"model", ctx.config.defaultModel.toStdString()}});
        } catch (const ValidationError &e) {
            throw CliError(e.message(), QStringLiteral("crucible-cli status %1 %2 shows the run")
                                            .arg(fromStd(m_workspace), fromStd(m_run)));
        }
        const PromptTemplates templates;
        evolve::RunSummaryJob job(ws, *ctx.client, templates);
        const EngineJobResult result = runTask(job.run(jobId));
        if (result.status != JobStatus::Completed)
            throw CliError(result.error,
                           QStringLiteral("the report without a summary: drop --summarize"));
        console.err() << "summary written by " << ctx.config.id << '\n';
    }

    std::string m_workspace;
    std::string m_run;
    std::string m_format = "md";
    std::string m_out;
    bool m_summarize = false;
    ProviderArgs m_args;
};

} // namespace

std::unique_ptr<Command> makeRunsCommand()
{
    return std::make_unique<RunsCommand>();
}

std::unique_ptr<Command> makeStatusCommand()
{
    return std::make_unique<StatusCommand>();
}

std::unique_ptr<Command> makeReportCommand()
{
    return std::make_unique<ReportCommand>();
}

} // namespace crucible::cli
