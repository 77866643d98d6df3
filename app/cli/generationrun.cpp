#include "app/cli/generationrun.h"
#include "core/llm/moneyformat.h"

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/llmcontext.h"
#include "app/cli/progressbar.h"
#include "core/generate/generationjob.h"
#include "core/llm/prompttemplates.h"

namespace crucible::cli {

int refuseInvalidSpec(Console &console, const GenerationSpec &spec)
{
    const auto issues = spec.validate();
    if (issues.empty())
        return ExitOk;
    for (const ValidationIssue &issue : issues)
        console.error(QStringLiteral("invalid %1").arg(issue.toString()));
    console.hint(QStringLiteral("nothing was started or written; fix the options above and run "
                                "the command again (`--help` lists them)"));
    return ExitUsage;
}

int runGenerationJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId)
{
    const PromptTemplates templates;
    GenerationJob job(ws, client, templates);
    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                         QStringLiteral("generating"));
    QObject::connect(&job, &GenerationJob::progressChanged, &job,
                     [&progress](const JobProgress &p) { progress.update(p.accepted, p.target); });
    const GenerationResult r = runTask(job.run(jobId));
    progress.finish();

    const nlohmann::json &cost = r.summary.value("cost", nlohmann::json::object());
    if (console.json()) {
        nlohmann::json j = {{"job_id", r.jobId.toStdString()},
                            {"status", toString(r.status).toStdString()},
                            {"problem_ids", r.problemIds},
                            {"interaction_ids", r.interactionIds},
                            {"accepted", r.problemIds.size() + r.interactionIds.size()},
                            {"rejected", r.rejected},
                            {"counts", r.summary.value("counts", nlohmann::json::object())},
                            {"cost", cost}};
        j["dataset_id"] = r.datasetId.isEmpty() || r.status != JobStatus::Completed
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(r.datasetId.toStdString());
        if (!r.error.isEmpty())
            j["error"] = r.error.toStdString();
        console.printJson(j);
        return r.status == JobStatus::Completed ? 0 : 1;
    }
    if (r.status != JobStatus::Completed)
        throw CliError(
            QStringLiteral("job %1 %2: %3").arg(r.jobId, toString(r.status), r.error),
            QStringLiteral("continue it with `crucible-cli resume %1 %2`").arg(ws.path(), r.jobId));
    const int accepted = static_cast<int>(r.problemIds.size() + r.interactionIds.size());
    QString money = QStringLiteral("unpriced");
    if (cost.contains("usd") && cost["usd"].is_number())
        money = formatUsd(cost["usd"].get<double>());
    QTextStream &out = console.out();
    out << QStringLiteral("job %1 completed: %2 %3 accepted, %4 rejected; %5 calls (%6 from "
                          "the cache), %7\n")
               .arg(r.jobId)
               .arg(accepted)
               .arg(r.interactionIds.isEmpty() ? QStringLiteral("problems")
                                               : QStringLiteral("interactions"))
               .arg(r.rejected)
               .arg(cost.value("calls", 0))
               .arg(cost.value("cache_hits", 0))
               .arg(money);
    if (!r.datasetId.isEmpty())
        out << QStringLiteral("dataset %1\n").arg(r.datasetId);
    for (const QString &id : r.problemIds.mid(0, 20))
        out << id << '\n';
    for (const QString &id : r.interactionIds.mid(0, 20))
        out << id << '\n';
    if (accepted > 20)
        out << QStringLiteral("… and %1 more (use --json for all ids)\n").arg(accepted - 20);
    return 0;
}

} // namespace crucible::cli
