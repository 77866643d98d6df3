#pragma once
// LlmEngineHost: starts the engine thread with its LlmEngine and stops it on destruction:
// cancels the work in flight and waits (on the engine thread's own loop) until every coroutine
// the engines started has ended, then stops the thread. GUI thread; the engine is reached only
// through queued calls with typed values, its signals arrive queued.

#include "core/engine/definitionengine.h"
#include "core/engine/evaluationengine.h"
#include "core/engine/generationengine.h"
#include "core/engine/llmengine.h"

#include <QObject>
#include <QThread>

namespace crucible {

class LlmEngineHost final : public QObject
{
    Q_OBJECT

public:
    explicit LlmEngineHost(LlmEngine::Options options = {}, QObject *parent = nullptr);
    ~LlmEngineHost() override;

    // For connecting to its signals; never call its members from this thread.
    LlmEngine *engine() const { return m_engine; }
    // Same rule: connect to its signals only. It runs generation jobs on the engine thread.
    GenerationEngine *generation() const { return m_generation; }
    // Same rule: it runs solve, evaluate and tournament jobs (EngineJobs) on the engine thread.
    EvaluationEngine *evaluation() const { return m_evaluation; }
    // Same rule: it runs problem definition sessions on the engine thread.
    DefinitionEngine *definition() const { return m_definition; }
    // The GUI thread's key store (keychain → environment → session keys shared with the
    // engine), for the settings dialog.
    std::shared_ptr<SecretStore> secrets() const { return m_secrets; }
    QString providersFile() const { return m_providersFile; }

    void openWorkspace(const QString &path);
    void reloadProviders();
    void submitChat(quint64 ticket, const QString &providerId, const QString &prompt,
                    const QString &system, int samples, bool useCache);
    void cancelAll();

    void startGeneration(const crucible::GenerationRequest &request);
    void resumeGeneration(const QString &jobId);
    void cancelGeneration(const QString &jobId);

    // Engine jobs of any registered kind (solve, evaluate, tournament).
    void startEngineJob(const crucible::EngineJobRequest &request);
    void resumeEngineJob(const QString &jobId);
    void cancelEngineJob(const QString &jobId);
    // Problem definition sessions (DefinitionEngine).
    void defineStart(const QString &domain, const QString &statement, const QString &providerId);
    void defineAnswer(const QString &sessionId, const QString &answersJson,
                      const QString &providerId);
    void defineAnswerOne(const QString &sessionId, const QString &answerJson,
                         const QString &providerId);
    void defineAsk(const QString &sessionId, const QString &providerId);
    void defineFinish(const QString &sessionId);

private:
    std::shared_ptr<SecretStore> m_secrets;
    QString m_providersFile;
    QThread m_thread;
    LlmEngine *m_engine = nullptr;
    GenerationEngine *m_generation = nullptr; // child of m_engine
    EvaluationEngine *m_evaluation = nullptr; // child of m_engine
    DefinitionEngine *m_definition = nullptr; // child of m_engine
};

} // namespace crucible
