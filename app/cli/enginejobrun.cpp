#include "app/cli/enginejobrun.h"

#include "app/cli/clierror.h"
#include "app/cli/llmcontext.h"
#include "app/cli/progressbar.h"
#include "core/engine/enginejobkinds.h"
#include "core/generate/generationestimate.h"
#include "core/llm/moneyformat.h"
#include "core/store/jobrepository.h"

#include <map>

namespace crucible::cli {

using nlohmann::json;

namespace {

std::map<QString, EngineJobDetails> &detailsByKind()
{
    static std::map<QString, EngineJobDetails> map;
    return map;
}

QString moneyOf(const json &cost)
{
    if (cost.contains("usd") && cost["usd"].is_number())
        return formatUsd(cost["usd"].get<double>());
    return cost.value("calls", 0) > 0 ? QStringLiteral("unpriced") : formatUsd(0);
}

} // namespace

void registerEngineJobDetails(const QString &kind, EngineJobDetails details)
{
    detailsByKind()[kind] = std::move(details);
}

void printEstimate(Console &console, const GenerationEstimate &estimate)
{
    if (console.json()) {
        json j = {{"calls", estimate.calls},
                  {"tokens_in", estimate.tokensIn},
                  {"tokens_out", estimate.tokensOut}};
        j["cost_usd"] = estimate.costUsd ? json(*estimate.costUsd) : json(nullptr);
        console.printJson(j);
    } else {
        console.out() << QStringLiteral("estimate: %1\n").arg(estimate.summary());
    }
}

int runEngineJob(Console &console, Workspace &ws, LlmClient &client, const QString &jobId)
{
    const auto record = JobRepository(ws).get(jobId);
    if (!record)
        throw CliError(QStringLiteral("no job with id %1 in %2").arg(jobId, ws.path()),
                       QStringLiteral("list jobs with `crucible-cli jobs %1`").arg(ws.path()));
    const EngineJobKind *kind = enginejobkinds::find(record->kind);
    if (!kind)
        throw CliError(
            QStringLiteral("job %1 is a %2 job, not one this runner knows")
                .arg(jobId, record->kind),
            QStringLiteral("resume it with `crucible-cli resume %1 %2`").arg(ws.path(), jobId));
    const PromptTemplates templates;
    std::unique_ptr<EngineJob> job = kind->make(ws, client, templates);
    ProgressBar progress(console.err(), console.terminal().stderrIsTerminal, kind->label.toLower());
    QObject::connect(
        job.get(), &EngineJob::progressChanged, job.get(),
        [&progress](const JobProgress &p) { progress.update(p.accepted + p.rejected, p.target); });
    const EngineJobResult r = runTask(job->run(jobId));
    progress.finish();

    const json counts = r.summary.value("counts", json::object());
    const json cost = r.summary.value("cost", json::object());
    json details = json::object();
    if (const auto it = detailsByKind().find(record->kind); it != detailsByKind().end())
        details = it->second(ws, jobId);

    if (console.json()) {
        json j = {{"job_id", jobId.toStdString()},
                  {"kind", record->kind.toStdString()},
                  {"status", toString(r.status).toStdString()},
                  {"counts", counts},
                  {"entities", r.summary.value("entities", json::object())},
                  {"failures", r.summary.value("failures", json::array())},
                  {"cost", cost}};
        for (const auto &[k, v] : details.items())
            j[k] = v;
        if (!r.error.isEmpty())
            j["error"] = r.error.toStdString();
        console.printJson(j);
        return r.status == JobStatus::Completed ? 0 : 1;
    }
    if (r.status != JobStatus::Completed)
        throw CliError(
            QStringLiteral("job %1 %2: %3").arg(jobId, toString(r.status), r.error),
            QStringLiteral("continue it with `crucible-cli resume %1 %2`").arg(ws.path(), jobId));
    QTextStream &out = console.out();
    out << QStringLiteral("job %1 (%2) completed: %3 of %4 units; %5 calls (%6 from the cache), "
                          "%7\n")
               .arg(jobId, record->kind)
               .arg(counts.value("done", 0))
               .arg(counts.value("units", 0))
               .arg(cost.value("calls", 0))
               .arg(cost.value("cache_hits", 0))
               .arg(moneyOf(cost));
    const json entities = r.summary.value("entities", json::object()); // items() must not dangle
    for (const auto &[k, ids] : entities.items()) {
        out << QStringLiteral("%1s: %2\n").arg(QString::fromStdString(k)).arg(ids.size());
        int shown = 0;
        for (const auto &id : ids) {
            if (++shown > 20) {
                out << QStringLiteral("  … and %1 more (use --json for all ids)\n")
                           .arg(ids.size() - 20);
                break;
            }
            out << QStringLiteral("  ") << QString::fromStdString(id.get<std::string>()) << '\n';
        }
    }
    if (const auto it = details.find("text"); it != details.end() && it->is_string())
        out << QString::fromStdString(it->get<std::string>());
    return 0;
}

} // namespace crucible::cli
