#include "app/cli/tournamentrun.h"

#include "app/cli/clierror.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmcontext.h"
#include "app/cli/progressbar.h"
#include "core/evaluate/tournamentjob.h"
#include "core/llm/moneyformat.h"

namespace crucible::cli {

std::shared_ptr<TournamentSolver> makeCliTournamentSolver(Workspace &, LlmClient &,
                                                          const PromptTemplates &)
{
    return nullptr; // the solving pipeline arrives with the solve branch
}

int runTournamentJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId)
{
    const PromptTemplates templates;
    TournamentJob job(ws, client, templates, makeCliTournamentSolver(ws, client, templates));
    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                         QStringLiteral("tournament"));
    QObject::connect(
        &job, &TournamentJob::progressChanged, &job,
        [&progress](const JobProgress &p) { progress.update(p.accepted + p.rejected, p.target); });
    const EngineJobResult r = runTask(job.run(jobId));
    progress.finish();

    if (console.json()) {
        nlohmann::json j = r.summary;
        j["job_id"] = r.jobId.toStdString();
        j["status"] = toString(r.status).toStdString();
        if (!r.error.isEmpty())
            j["error"] = r.error.toStdString();
        console.printJson(j);
        return r.status == JobStatus::Completed ? 0 : 1;
    }
    if (r.status != JobStatus::Completed)
        throw CliError(
            QStringLiteral("job %1 %2: %3").arg(r.jobId, toString(r.status), r.error),
            QStringLiteral("continue it with `crucible-cli resume %1 %2`").arg(ws.path(), r.jobId));
    QTextStream &out = console.out();
    const nlohmann::json &s = r.summary;
    QString money = QStringLiteral("unpriced");
    if (s.contains("cost_usd") && s["cost_usd"].is_number())
        money = formatUsd(s["cost_usd"].get<double>());
    QString perComparison;
    if (s.contains("usd_per_comparison") && s["usd_per_comparison"].is_number())
        perComparison = QStringLiteral(" (%1 per comparison)")
                            .arg(formatUsd(s["usd_per_comparison"].get<double>()));
    out << QStringLiteral("tournament %1 completed: %2 comparisons (%3 ties, %4 failed), %5 "
                          "tokens, %6%7\n")
               .arg(QString::fromStdString(s.value("tournament_id", std::string())))
               .arg(s.value("comparisons", 0))
               .arg(s.value("ties", 0))
               .arg(s.value("failed_comparisons", 0))
               .arg(s.value("tokens", 0LL))
               .arg(money, perComparison);
    int rank = 0;
    for (const nlohmann::json &row : s.value("ratings", nlohmann::json::array()))
        out << QStringLiteral("%1  %2 %3  %4–%5  %6-%7-%8\n")
                   .arg(QString::number(++rank).rightJustified(2),
                        cell(QString::fromStdString(row.value("name", std::string())), 30))
                   .arg(row.value("rating", 1000.0), 6, 'f', 0)
                   .arg(row.value("ci_low", 1000.0), 0, 'f', 0)
                   .arg(row.value("ci_high", 1000.0), 0, 'f', 0)
                   .arg(row.value("wins", 0))
                   .arg(row.value("losses", 0))
                   .arg(row.value("ties", 0));
    out << QStringLiteral("ratings with 95% intervals: crucible-cli ratings %1 --tournament %2\n")
               .arg(ws.path(), QString::fromStdString(s.value("tournament_id", std::string())));
    return 0;
}

} // namespace crucible::cli
