#include "core/evolve/runsummaryjob.h"

#include "core/engine/jobsupport.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/entityrepository.h"
#include "core/store/jobrepository.h"
#include "core/store/workspace.h"

namespace crucible::evolve {

using nlohmann::json;

namespace {

TrainingRun requireRun(Workspace &ws, const QString &runId)
{
    std::optional<TrainingRun> run = EntityStore(ws).get<TrainingRun>(runId);
    if (!run)
        throw ValidationError(QStringLiteral("run_id"), runId,
                              QStringLiteral("no training run with this id in %1; list them with "
                                             "`crucible-cli runs WS`")
                                  .arg(ws.path()));
    return std::move(*run);
}

QString number(double v)
{
    return QString::number(v, 'f', 3);
}

} // namespace

RunSummaryJob::RunSummaryJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                             QObject *parent)
    : EngineJob(parent)
    , m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
}

QString RunSummaryJob::create(Workspace &ws, const json &params)
{
    const QString runId = jsonio::stringOr(params, "run_id");
    if (runId.isEmpty())
        throw ValidationError(QStringLiteral("run_id"), {},
                              QStringLiteral("name the training run to summarise"));
    const TrainingRun run = requireRun(ws, runId);
    if (run.metrics.empty())
        throw ValidationError(QStringLiteral("run_id"), runId,
                              QStringLiteral("has no finished cycle yet: there is nothing to "
                                             "summarise; wait for its first checkpoint"));
    JobRecord job;
    job.id = jsonio::newId("job");
    job.kind = QString::fromLatin1(kKind);
    job.params = params;
    job.total = 1;
    JobRepository(ws).create(job);
    return job.id;
}

json RunSummaryJob::promptContext(const TrainingRun &run, const RunStatus &s)
{
    json measures = json::array();
    for (const auto &[name, value] : EvolutionMonitor::measures(s))
        measures.push_back({{"name", name.toStdString()}, {"value", value.toStdString()}});
    json recommendations = json::array();
    for (const QString &r : s.recommendations)
        recommendations.push_back(r.toStdString());
    json ctx = {{"name", (run.name.isEmpty() ? run.id : run.name).toStdString()},
                {"state", s.state.toStdString()},
                {"domain", run.config.value("domain", std::string())},
                {"optimizer", run.config.value("optimizer", std::string())},
                {"measures", measures},
                {"recommendations", recommendations},
                {"has_held_out", s.heldOutImprovement.has_value()}};
    if (s.heldOutImprovement) {
        ctx["improvement"] = number(*s.heldOutImprovement).toStdString();
        ctx["low"] = number(s.heldOutLow).toStdString();
        ctx["high"] = number(s.heldOutHigh).toStdString();
        ctx["problems"] = s.heldOutProblems;
    }
    return ctx;
}

QCoro::Task<EngineJobResult> RunSummaryJob::run(QString jobId)
{
    EngineJobResult result;
    result.jobId = jobId;
    try {
        JobRepository jobs(m_ws);
        const std::optional<JobRecord> record = jobs.get(jobId);
        if (!record)
            throw ValidationError(QStringLiteral("job"), jobId,
                                  QStringLiteral("no such job in %1").arg(m_ws.path()));
        const QString runId = jsonio::stringOr(record->params, "run_id");
        const TrainingRun run = requireRun(m_ws, runId);
        RunStatus status = EvolutionMonitor::status(run);
        EvolutionMonitor::addDiversity(status, run);
        const RenderedPrompt prompt =
            m_templates.render(QStringLiteral("train.summary"), promptContext(run, status));
        if (!prompt.ok())
            throw ValidationError(QStringLiteral("train.summary"), {}, prompt.error);
        jobs.setStatus(jobId, JobStatus::Running);
        StructuredCallSpec spec;
        spec.call.providerId = jsonio::stringOr(record->params, "provider");
        spec.call.request.model = jsonio::stringOr(record->params, "model");
        spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
        spec.call.request.temperature = 0.3;
        spec.call.request.maxTokens = 1500;
        spec.call.templateId = prompt.id;
        spec.call.templateVersion = prompt.version;
        spec.call.jobId = jobId;
        spec.call.cancel = m_cancel.token();
        spec.schema = jobsupport::schema("run_summary");
        spec.schemaName = QStringLiteral("run_summary");
        StructuredCaller caller(m_client, m_templates);
        const StructuredOutcome outcome = co_await caller.call(std::move(spec));
        m_client.flushLedger();
        if (m_cancel.token().isCancelled()) {
            result.status = JobStatus::Cancelled;
            result.error = QStringLiteral("The summary of run %1 was cancelled; nothing was "
                                          "written.")
                               .arg(runId);
            jobs.setStatus(jobId, result.status, result.error);
            co_return result;
        }
        if (!outcome.ok())
            throw ValidationError(
                QStringLiteral("summary"), runId,
                QStringLiteral("the model's summary could not be used: %1. The report is "
                               "complete without it; try again or pick another model")
                    .arg(outcome.error.describe()));
        json summary = *outcome.value;
        summary["provider"] = jsonio::stringOr(record->params, "provider").toStdString();
        summary["model"] = jsonio::stringOr(record->params, "model").toStdString();
        summary["written_at"] = jsonio::nowUtc().toString(Qt::ISODate).toStdString();
        summary["cycles"] = status.cycles;
        // Read again: the run may have checkpointed meanwhile (a summary of a running run).
        TrainingRun fresh = requireRun(m_ws, runId);
        fresh.config["summary"] = summary;
        {
            Workspace::Transaction tx(m_ws);
            EntityStore(m_ws).put(fresh);
            jobs.setProgress(jobId, 1, 1);
            tx.commit();
        }
        JobProgress progress;
        progress.jobId = jobId;
        progress.kind = QString::fromLatin1(kKind);
        progress.accepted = 1;
        progress.target = 1;
        emit progressChanged(progress);
        result.status = JobStatus::Completed;
        result.summary = {{"run_id", runId.toStdString()}, {"summary", summary}};
        jobs.setSummary(jobId, result.summary);
        jobs.setStatus(jobId, result.status);
    } catch (const std::exception &e) {
        result.status = JobStatus::Failed;
        result.error =
            QStringLiteral("Summary job %1 failed: %2").arg(jobId, QString::fromUtf8(e.what()));
        try {
            JobRepository(m_ws).setStatus(jobId, JobStatus::Failed, result.error);
        } catch (const std::exception &) {
            // the result says what happened
        }
    }
    co_return result;
}

} // namespace crucible::evolve
