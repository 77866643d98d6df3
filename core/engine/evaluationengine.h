#pragma once
// EvaluationEngine: runs EngineJobs of any registered kind (solve, evaluate, tournament; see
// enginejobkinds.h) on the engine thread, next to the LlmEngine whose client makes the calls,
// the way GenerationEngine runs generation. Each job gets its own workspace connection while it
// runs; switching workspaces cancels running jobs (they stay resumable). Talk to it through
// queued calls; its signals arrive queued on the GUI thread.

#include "core/engine/enginejob.h"
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

public slots:
    void setWorkspacePath(const QString &path);
    // `params` is the kind's parameter JSON; an empty "provider" means the first one ready,
    // an empty "model" the provider's default.
    void start(const QString &kind, const QString &params);
    void resume(const QString &jobId);
    void cancel(const QString &jobId);
    void cancelAll();

signals:
    void jobStarted(const QString &jobId, const QString &kind);
    void jobProgress(const crucible::JobProgress &progress);
    // status is a JobStatus; summary the job's summary JSON.
    void jobFinished(const QString &jobId, int status, const QString &error,
                     const QString &summary);
    // kind: "solution", "critique", "verdict", "comparison", ...
    void entitiesAdded(const QString &kind, const QStringList &ids);
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> startTask(QString kind, QString params);
    QCoro::Task<> runJob(QString jobId);

    LlmEngine *m_llm;
    QString m_path;
    PromptTemplates m_templates;
    std::map<QString, EngineJob *> m_running; // job id -> job (owned by its task)
};

} // namespace crucible
