#include "core/engine/evaluationengine.h"

#include "core/engine/enginejobkinds.h"
#include "core/engine/llmengine.h"
#include "core/feedback/questionraiser.h"
#include "core/store/workspace.h"

namespace crucible {

using nlohmann::json;

EvaluationEngine::EvaluationEngine(LlmEngine *llm, QObject *parent)
    : QObject(parent)
    , m_llm(llm)
{
    qRegisterMetaType<crucible::JobProgress>();
    qRegisterMetaType<crucible::JobOutcome>();
    qRegisterMetaType<crucible::EngineJobRequest>();
}

EvaluationEngine::~EvaluationEngine()
{
    // shutdown() should have drained the tasks; if not, their jobs at least stop launching.
    cancelAll();
}

QCoro::Task<> EvaluationEngine::shutdown()
{
    m_shuttingDown = true;
    cancelAll();
    co_await m_tasks.drain();
}

void EvaluationEngine::setWorkspacePath(const QString &path)
{
    if (path == m_path)
        return;
    cancelAll();
    m_path = path;
}

void EvaluationEngine::cancel(const QString &jobId)
{
    if (const auto it = m_running.find(jobId); it != m_running.end())
        it->second->cancel();
}

void EvaluationEngine::cancelAll()
{
    for (const auto &[id, job] : m_running)
        job->cancel();
}

void EvaluationEngine::start(const crucible::EngineJobRequest &request)
{
    if (m_shuttingDown) {
        emit errorOccurred(QStringLiteral("Cannot start: the engine is shutting down."));
        return;
    }
    m_tasks.start(startTask(request));
}

void EvaluationEngine::resume(const QString &jobId)
{
    if (m_shuttingDown) {
        emit errorOccurred(
            QStringLiteral("Cannot resume job %1: the engine is shutting down.").arg(jobId));
        return;
    }
    if (m_running.count(jobId)) {
        emit errorOccurred(QStringLiteral("job %1 is already running").arg(jobId));
        return;
    }
    m_tasks.start(runJob(jobId));
}

QCoro::Task<> EvaluationEngine::startTask(EngineJobRequest request)
{
    const QString &kind = request.kind;
    if (m_path.isEmpty()) {
        emit errorOccurred(QStringLiteral("Open a workspace (not read-only) first."));
        co_return;
    }
    const EngineJobKind *k = enginejobkinds::find(kind);
    if (!k) {
        emit errorOccurred(QStringLiteral("Cannot start: unknown job kind \"%1\".").arg(kind));
        co_return;
    }
    QString jobId;
    try {
        if (!request.params.is_object())
            throw ValidationError(QStringLiteral("params"), kind,
                                  QStringLiteral("the job's parameters must be a JSON object"));
        json parsed = std::move(request.params);
        LlmClient *client = m_llm->client();
        QString provider = request.providerId;
        if (provider.isEmpty() && !client->providerIds().isEmpty())
            provider = client->providerIds().front();
        const auto p = client->provider(provider);
        if (!p) {
            emit errorOccurred(QStringLiteral("Cannot start: no LLM provider \"%1\" is ready. "
                                              "Check Settings → LLM Providers.")
                                   .arg(provider));
            co_return;
        }
        parsed["provider"] = provider.toStdString();
        if (!request.model.isEmpty())
            parsed["model"] = request.model.toStdString();
        else if (parsed.value("model", std::string()).empty())
            parsed["model"] = p->config().defaultModel.toStdString();
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        jobId = k->create(*ws, parsed);
    } catch (const ValidationError &e) {
        emit errorOccurred(QStringLiteral("Cannot start: %1").arg(e.message()));
        co_return;
    } catch (const std::exception &e) {
        emit errorOccurred(QStringLiteral("Cannot start: %1").arg(QString::fromUtf8(e.what())));
        co_return;
    }
    co_await runJob(jobId);
}

QCoro::Task<> EvaluationEngine::runJob(QString jobId)
{
    std::unique_ptr<Workspace> ws;
    const EngineJobKind *k = nullptr;
    QString kind;
    try {
        ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        const auto record = JobRepository(*ws).get(jobId);
        if (record) {
            kind = record->kind;
            k = enginejobkinds::find(kind);
        }
    } catch (const std::exception &e) {
        emit errorOccurred(QStringLiteral("Cannot open the workspace for job %1: %2")
                               .arg(jobId, QString::fromUtf8(e.what())));
        co_return;
    }
    if (!k) {
        emit errorOccurred(QStringLiteral("Cannot run job %1: it is not a %2 job")
                               .arg(jobId, QStringLiteral("solve, evaluate or tournament")));
        co_return;
    }
    std::unique_ptr<EngineJob> job = k->make(*ws, *m_llm->client(), m_templates);
    connect(job.get(), &EngineJob::progressChanged, this, &EvaluationEngine::jobProgress);
    connect(job.get(), &EngineJob::entitiesAdded, this, &EvaluationEngine::entitiesAdded);
    m_running[jobId] = job.get();
    emit jobStarted(jobId, kind);
    const EngineJobResult result = co_await job->run(jobId);
    m_running.erase(jobId);
    JobOutcome outcome;
    outcome.jobId = jobId;
    outcome.kind = kind;
    outcome.status = result.status;
    outcome.error = result.error;
    outcome.summary = result.summary;
    if (kind == QLatin1String("evaluate") || kind == QLatin1String("tournament")) {
        // The questions worth a person's answer reach the inbox as soon as the results exist.
        try {
            outcome.summary["inbox"] = QuestionRaiser::afterJob(*ws, jobId).toJson();
        } catch (const std::exception &e) {
            outcome.summary["inbox"] = {{"error", e.what()}};
        }
    }
    emit jobFinished(outcome);
}

} // namespace crucible
