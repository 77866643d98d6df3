#include "core/engine/generationengine.h"

#include "core/engine/llmengine.h"
#include "core/generate/pictmodel.h"
#include "core/store/workspace.h"

#include <QCoro/QCoroFuture>
#include <QtConcurrent/QtConcurrentRun>

namespace crucible {

using nlohmann::json;

GenerationEngine::GenerationEngine(LlmEngine *llm, QObject *parent)
    : QObject(parent)
    , m_llm(llm)
{
    qRegisterMetaType<crucible::JobProgress>();
    qRegisterMetaType<crucible::JobOutcome>();
    qRegisterMetaType<crucible::GenerationRequest>();
}

GenerationEngine::~GenerationEngine()
{
    // shutdown() should have drained the tasks; if not, their jobs at least stop launching.
    cancelAll();
}

QCoro::Task<> GenerationEngine::shutdown()
{
    m_shuttingDown = true;
    cancelAll();
    co_await m_tasks.drain();
}

void GenerationEngine::setWorkspacePath(const QString &path)
{
    if (path == m_path)
        return;
    cancelAll();
    m_path = path;
}

void GenerationEngine::cancel(const QString &jobId)
{
    if (const auto it = m_running.find(jobId); it != m_running.end())
        it->second->cancel();
}

void GenerationEngine::cancelAll()
{
    for (const auto &[id, job] : m_running)
        job->cancel();
}

void GenerationEngine::start(const crucible::GenerationRequest &request)
{
    if (m_shuttingDown) {
        emit errorOccurred(QStringLiteral("Cannot start: the engine is shutting down."));
        return;
    }
    m_tasks.start(startTask(request));
}

void GenerationEngine::resume(const QString &jobId)
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

QCoro::Task<> GenerationEngine::startTask(GenerationRequest request)
{
    if (m_path.isEmpty()) {
        emit errorOccurred(QStringLiteral("Open a workspace (not read-only) before generating."));
        co_return;
    }
    GenerationSpec spec = std::move(request.spec);
    json plan = request.matrixPlan.value_or(json());
    LlmClient *client = m_llm->client();
    if (spec.usesLlm()) {
        if (spec.providerId.isEmpty() && !client->providerIds().isEmpty())
            spec.providerId = client->providerIds().front();
        const auto provider = client->provider(spec.providerId);
        if (!provider) {
            emit errorOccurred(QStringLiteral("Cannot start: no LLM provider \"%1\" is ready. "
                                              "Check Settings → LLM Providers.")
                                   .arg(spec.providerId));
            co_return;
        }
        if (spec.model.isEmpty())
            spec.model = provider->config().defaultModel;
    }
    if (spec.kind == GenerationKind::Matrix && plan.is_null()) {
        // The covering array can take seconds: off the engine thread.
        auto future = QtConcurrent::run([spec]() -> json {
            try {
                return GenerationJob::planMatrix(spec);
            } catch (const std::exception &e) {
                return json{{"error", e.what()}};
            }
        });
        co_await qCoro(future).waitForFinished();
        plan = future.result();
        if (m_shuttingDown)
            co_return; // planned for nothing: no job was written yet
        if (plan.contains("error")) {
            emit errorOccurred(QStringLiteral("Cannot plan the matrix: %1")
                                   .arg(QString::fromStdString(plan["error"].get<std::string>())));
            co_return;
        }
    }
    QString jobId;
    try {
        auto ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
        jobId = GenerationJob::create(*ws, spec, plan);
    } catch (const ValidationError &e) {
        emit errorOccurred(QStringLiteral("Cannot start: %1").arg(e.message()));
        co_return;
    } catch (const std::exception &e) {
        emit errorOccurred(QStringLiteral("Cannot start: %1").arg(QString::fromUtf8(e.what())));
        co_return;
    }
    co_await runJob(jobId);
}

QCoro::Task<> GenerationEngine::runJob(QString jobId)
{
    std::unique_ptr<Workspace> ws;
    try {
        ws = Workspace::open(m_path, Workspace::Mode::ReadWrite);
    } catch (const std::exception &e) {
        emit errorOccurred(QStringLiteral("Cannot open the workspace for job %1: %2")
                               .arg(jobId, QString::fromUtf8(e.what())));
        co_return;
    }
    GenerationJob job(*ws, *m_llm->client(), m_templates);
    connect(&job, &GenerationJob::progressChanged, this, &GenerationEngine::jobProgress);
    connect(&job, &GenerationJob::problemsAdded, this, &GenerationEngine::problemsAdded);
    connect(&job, &GenerationJob::interactionsAdded, this, &GenerationEngine::interactionsAdded);
    m_running[jobId] = &job;
    const auto record = JobRepository(*ws).get(jobId);
    emit jobStarted(jobId, record ? record->kind : QString());
    const GenerationResult result = co_await job.run(jobId);
    m_running.erase(jobId);
    JobOutcome outcome;
    outcome.jobId = jobId;
    outcome.kind = record ? record->kind : QString();
    outcome.status = result.status;
    outcome.error = result.error;
    outcome.summary = result.summary;
    emit jobFinished(outcome);
}

} // namespace crucible
