#include "ui/llm/llmenginehost.h"

#include "core/llm/providers/providerregistry.h"
#include "core/llm/secrets/chainedsecretstore.h"
#include "core/llm/secrets/memorysecretstore.h"

#include <QDeadlineTimer>

namespace crucible {

LlmEngineHost::LlmEngineHost(LlmEngine::Options options, QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("engine"));
    if (options.providersFile.isEmpty())
        options.providersFile = ProviderRegistry::defaultFilePath();
    m_providersFile = options.providersFile;
    if (options.secrets) {
        m_secrets = options.secrets; // tests: one thread-safe store for both sides
    } else {
        if (!options.sessionKeys)
            options.sessionKeys = std::make_shared<MemorySecretStore>();
        m_secrets =
            std::shared_ptr<SecretStore>(ChainedSecretStore::createDefault(options.sessionKeys));
    }
    // Created here, then handed over: its children (client, scheduler) move with it, and the
    // network managers are created lazily by the providers on the engine thread.
    m_engine = new LlmEngine(std::move(options));
    m_generation = new GenerationEngine(m_engine, m_engine);
    m_evaluation = new EvaluationEngine(m_engine, m_engine);
    m_definition = new DefinitionEngine(m_engine, m_engine);
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

LlmEngineHost::~LlmEngineHost()
{
    // Closing the app leaves running jobs as they are in the workspace (shown as interrupted,
    // resumable): the engines stop launching work and the thread stops. Awaiting their shutdown()
    // here marked the jobs cancelled and could wait the whole timeout for calls in flight.
    QMetaObject::invokeMethod(m_engine, &LlmEngine::cancelAll, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_generation, &GenerationEngine::cancelAll, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_evaluation, &EvaluationEngine::cancelAll, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void LlmEngineHost::openWorkspace(const QString &path)
{
    QMetaObject::invokeMethod(
        m_engine,
        [e = m_engine, g = m_generation, v = m_evaluation, d = m_definition, path] {
            e->openWorkspace(path);
            g->setWorkspacePath(path);
            v->setWorkspacePath(path);
            d->setWorkspacePath(path);
        },
        Qt::QueuedConnection);
}

void LlmEngineHost::reloadProviders()
{
    QMetaObject::invokeMethod(m_engine, &LlmEngine::reloadProviders, Qt::QueuedConnection);
}

void LlmEngineHost::submitChat(quint64 ticket, const QString &providerId, const QString &prompt,
                               const QString &system, int samples, bool useCache)
{
    QMetaObject::invokeMethod(
        m_engine,
        [e = m_engine, ticket, providerId, prompt, system, samples, useCache] {
            e->submitChat(ticket, providerId, prompt, system, samples, useCache);
        },
        Qt::QueuedConnection);
}

void LlmEngineHost::cancelAll()
{
    QMetaObject::invokeMethod(m_engine, &LlmEngine::cancelAll, Qt::QueuedConnection);
}

void LlmEngineHost::startGeneration(const crucible::GenerationRequest &request)
{
    QMetaObject::invokeMethod(
        m_generation, [g = m_generation, request] { g->start(request); }, Qt::QueuedConnection);
}

void LlmEngineHost::resumeGeneration(const QString &jobId)
{
    QMetaObject::invokeMethod(
        m_generation, [g = m_generation, jobId] { g->resume(jobId); }, Qt::QueuedConnection);
}

void LlmEngineHost::cancelGeneration(const QString &jobId)
{
    QMetaObject::invokeMethod(
        m_generation, [g = m_generation, jobId] { g->cancel(jobId); }, Qt::QueuedConnection);
}

void LlmEngineHost::startEngineJob(const crucible::EngineJobRequest &request)
{
    QMetaObject::invokeMethod(
        m_evaluation, [v = m_evaluation, request] { v->start(request); }, Qt::QueuedConnection);
}

void LlmEngineHost::resumeEngineJob(const QString &jobId)
{
    QMetaObject::invokeMethod(
        m_evaluation, [v = m_evaluation, jobId] { v->resume(jobId); }, Qt::QueuedConnection);
}

void LlmEngineHost::cancelEngineJob(const QString &jobId)
{
    QMetaObject::invokeMethod(
        m_evaluation, [v = m_evaluation, jobId] { v->cancel(jobId); }, Qt::QueuedConnection);
}

} // namespace crucible

namespace crucible {

void LlmEngineHost::defineStart(const QString &domain, const QString &statement,
                                const QString &providerId)
{
    QMetaObject::invokeMethod(
        m_definition,
        [d = m_definition, domain, statement, providerId] {
            d->start(domain, statement, providerId);
        },
        Qt::QueuedConnection);
}

void LlmEngineHost::defineAnswer(const QString &sessionId, const QString &answersJson,
                                 const QString &providerId)
{
    QMetaObject::invokeMethod(
        m_definition,
        [d = m_definition, sessionId, answersJson, providerId] {
            d->answer(sessionId, answersJson, providerId);
        },
        Qt::QueuedConnection);
}

void LlmEngineHost::defineAnswerOne(const QString &sessionId, const QString &answerJson,
                                    const QString &providerId)
{
    QMetaObject::invokeMethod(
        m_definition,
        [d = m_definition, sessionId, answerJson, providerId] {
            d->answerOne(sessionId, answerJson, providerId);
        },
        Qt::QueuedConnection);
}

void LlmEngineHost::defineAsk(const QString &sessionId, const QString &providerId)
{
    QMetaObject::invokeMethod(
        m_definition, [d = m_definition, sessionId, providerId] { d->ask(sessionId, providerId); },
        Qt::QueuedConnection);
}

void LlmEngineHost::defineFinish(const QString &sessionId)
{
    QMetaObject::invokeMethod(
        m_definition, [d = m_definition, sessionId] { d->finish(sessionId); },
        Qt::QueuedConnection);
}

} // namespace crucible
