#include "core/evolve/trainjob.h"

#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/jobrepository.h"
#include "core/store/workspace.h"

#include <QElapsedTimer>
#include <QStringBuilder>

namespace crucible::evolve {

using nlohmann::json;

TrainJob::TrainJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                   QObject *parent)
    : EngineJob(parent)
    , m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
}

TrainJob::~TrainJob() = default;

QString TrainJob::create(Workspace &ws, const json &params)
{
    const PromptTemplates templates;
    TrainingOptions options = TrainingOptions::fromParams(params);
    if (options.landscapeSeed)
        options.providerId = landscapeProviderId(*options.landscapeSeed);
    return TrainingSession::create(ws, templates, std::move(options));
}

QString TrainJob::landscapeProviderId(quint64 seed)
{
    return QStringLiteral("simulated-landscape-") % QString::number(seed);
}

void TrainJob::ensureLandscapeProvider(quint64 seed, int latencyMs)
{
    const QString id = landscapeProviderId(seed);
    if (m_client.provider(id))
        return;
    ProviderConfig config = ProviderFactory::simulatedDefault();
    config.id = id;
    config.displayName = QStringLiteral("Simulated (fitness landscape %1)").arg(seed);
    SimulatedProvider::Options sim;
    // The CLI answers at once; a window's engine asks for a latency so that its thread's event
    // loop gets a turn between calls (and the charts move at a watchable pace).
    sim.latencyMs = std::max(0, latencyMs);
    sim.jitterMs = 0;
    sim.landscapeSeed = seed;
    m_client.addProvider(std::make_shared<SimulatedProvider>(config, sim));
}

QCoro::Task<EngineJobResult> TrainJob::run(QString jobId)
{
    EngineJobResult result;
    result.jobId = jobId;
    if (m_running) {
        result.error = QStringLiteral("this training job object is already running");
        co_return result;
    }
    m_running = true;
    m_cancel = CancelSource();
    QElapsedTimer clock;
    clock.start();
    try {
        JobRepository jobs(m_ws);
        const std::optional<JobRecord> record = jobs.get(jobId);
        if (!record)
            throw ValidationError(QStringLiteral("job"), jobId,
                                  QStringLiteral("no such job in %1").arg(m_ws.path()));
        const TrainingOptions stored = TrainingOptions::fromParams(record->params);
        TrainingOptions options;
        options.providerId = stored.providerId;
        options.model = stored.model;
        if (stored.landscapeSeed) {
            ensureLandscapeProvider(*stored.landscapeSeed, stored.landscapeLatencyMs);
            options.providerId = landscapeProviderId(*stored.landscapeSeed);
        }
        if (!m_client.provider(options.providerId))
            throw ValidationError(QStringLiteral("provider"), options.providerId,
                                  QStringLiteral("is not configured here; resume the run with a "
                                                 "provider that is (crucible-cli resume WS %1 "
                                                 "--provider ID)")
                                      .arg(jobId));
        options.stopRequested = [this, jobId]() -> QString {
            if (m_asked)
                if (const QString asked = m_asked(); !asked.isEmpty())
                    return asked;
            return JobRepository(m_ws).control(jobId);
        };
        int usedAtStart = -1;
        options.checkpointed = [this, jobId, &clock, &usedAtStart](const TrainingRun &run,
                                                                   const Optimiser &o) {
            const CallBudget &budget = o.budget();
            if (usedAtStart < 0)
                usedAtStart = budget.used;
            JobProgress p;
            p.jobId = jobId;
            p.kind = QString::fromLatin1(kKind);
            p.accepted = budget.used;
            p.target = budget.maxCalls;
            p.budget = budget.maxCalls;
            p.unitsStarted = run.cyclesDone;
            p.elapsedMs = clock.elapsed();
            const int thisRun = budget.used - usedAtStart;
            if (thisRun > 0 && budget.maxCalls > 0)
                p.etaMs = static_cast<qint64>(static_cast<double>(p.elapsedMs) / thisRun *
                                              std::max(0, budget.maxCalls - budget.used));
            JobRepository(m_ws).setProgress(jobId, budget.used, budget.maxCalls);
            emit progressChanged(p);
            if (m_checkpointed)
                m_checkpointed(run, o);
        };
        TrainingSession session(m_ws, m_client, m_templates, std::move(options));
        session.load(jobId);
        jobs.setControl(jobId, QString());
        jobs.setStatus(jobId, JobStatus::Running);
        m_report = co_await session.run(m_cancel.token());
        const QString reason = QString::fromStdString(m_report.value("finish_reason", ""));
        if (!m_report.value("ok", false)) {
            result.status = JobStatus::Failed;
            result.error =
                QStringLiteral("Training run %1 stopped: %2. Fix the cause, then resume it "
                               "(crucible-cli resume WS %1); every finished unit is kept.")
                    .arg(jobId, QString::fromStdString(m_report.value("error", "")));
        } else if (reason == u"paused" || reason == u"cancelled") {
            result.status = JobStatus::Cancelled;
            result.error = QStringLiteral("Training run %1 was %2 after %3 calls; resume it with "
                                          "crucible-cli resume WS %1.")
                               .arg(jobId, reason)
                               .arg(m_report.value("calls_used", 0));
        } else {
            result.status = JobStatus::Completed;
        }
        result.summary = m_report;
        jobs.setSummary(jobId, m_report);
        jobs.setStatus(jobId, result.status, result.error);
    } catch (const std::exception &e) {
        result.status = JobStatus::Failed;
        result.error = QStringLiteral("Training run %1 could not run: %2")
                           .arg(jobId, QString::fromUtf8(e.what()));
        m_report = {{"run_id", jobId.toStdString()}, {"ok", false}, {"error", e.what()}};
        try {
            JobRepository(m_ws).setStatus(jobId, JobStatus::Failed, result.error);
        } catch (const std::exception &) {
            // No such job, or the workspace failed: the result says what happened.
        }
    }
    m_client.flushLedger();
    m_running = false;
    co_return result;
}

void TrainJob::cancel()
{
    m_cancel.cancel();
}

} // namespace crucible::evolve
