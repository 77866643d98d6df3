#pragma once
// EvaluationEngine: runs EngineJobs of any registered kind (solve, evaluate, tournament; see
// enginejobkinds.h) on the engine thread, next to the LlmEngine whose client makes the calls,
// the way GenerationEngine runs generation. Each job gets its own workspace connection while it
// runs; switching workspaces cancels running jobs (they stay resumable). Talk to it through
// queued calls with typed values; its signals arrive queued on the GUI thread. The coroutines
// its slots start are owned by it: await shutdown() before destroying it.

#include "core/engine/enginejob.h"
#include "core/engine/enginejobrequest.h"
#include "core/engine/joboutcome.h"
#include "core/engine/taskgroup.h"
#include "core/llm/prompttemplates.h"

#include <QCoro/QCoroTask>
#include <QObject>

#include <map>

namespace crucible {

class LlmEngine;

class EvaluationEngine final : public QObject
{
    Q_OBJECT

public:
    explicit EvaluationEngine(LlmEngine *llm, QObject *parent = nullptr);
    ~EvaluationEngine() override;

    bool isRunning(const QString &jobId) const { return m_running.count(jobId) != 0; }
    // Refuses new work, cancels the jobs running and completes when every coroutine it started
    // has ended (jobs stay resumable). Engine thread.
    QCoro::Task<> shutdown();

public slots:
    void setWorkspacePath(const QString &path);
    void start(const crucible::EngineJobRequest &request);
    void resume(const QString &jobId);
    void cancel(const QString &jobId);
    void cancelAll();

signals:
    void jobStarted(const QString &jobId, const QString &kind);
    void jobProgress(const crucible::JobProgress &progress);
    void jobFinished(const crucible::JobOutcome &outcome);
    // kind: "solution", "critique", "verdict", "comparison", ...
    void entitiesAdded(const QString &kind, const QStringList &ids);
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> startTask(EngineJobRequest request);
    QCoro::Task<> runJob(QString jobId);

    LlmEngine *m_llm;
    QString m_path;
    PromptTemplates m_templates;
    std::map<QString, EngineJob *> m_running; // job id -> job (owned by its task)
    TaskGroup m_tasks;                        // startTask and runJob coroutines
    bool m_shuttingDown = false;
};

} // namespace crucible
