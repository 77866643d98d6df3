#pragma once
// GenerationEngine: runs generation jobs on the engine thread, next to the LlmEngine whose
// client makes the calls. Each job gets its own workspace connection for as long as it runs, so
// switching workspaces never pulls one from under a job (running jobs are cancelled, and stay
// resumable). Talk to it through queued calls with typed values; its signals arrive queued on
// the GUI thread. The coroutines its slots start are owned by it: shutdown() cancels them and
// completes once they have all ended, so it must be awaited before the engine is destroyed.

#include "core/engine/generationrequest.h"
#include "core/engine/joboutcome.h"
#include "core/engine/taskgroup.h"
#include "core/generate/generationjob.h"

#include <QObject>

#include <map>
#include <memory>

namespace crucible {

class LlmEngine;

class GenerationEngine final : public QObject
{
    Q_OBJECT

public:
    explicit GenerationEngine(LlmEngine *llm, QObject *parent = nullptr);
    ~GenerationEngine() override;

    bool isRunning(const QString &jobId) const { return m_running.count(jobId) != 0; }
    // Refuses new work, cancels the jobs running and completes when every coroutine it started
    // has ended (jobs stay resumable). Engine thread.
    QCoro::Task<> shutdown();

public slots:
    // Where new jobs are created; cancels the jobs of the previous workspace.
    void setWorkspacePath(const QString &path);
    // A matrix is planned (covering array) on the thread pool first, unless the request carries
    // the plan.
    void start(const crucible::GenerationRequest &request);
    void resume(const QString &jobId);
    void cancel(const QString &jobId);
    void cancelAll();

signals:
    void jobStarted(const QString &jobId, const QString &kind);
    void jobProgress(const crucible::JobProgress &progress);
    void jobFinished(const crucible::JobOutcome &outcome);
    void problemsAdded(const QStringList &ids);
    void interactionsAdded(const QStringList &ids);
    // A job could not be created or started: what and what to do.
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> startTask(GenerationRequest request);
    QCoro::Task<> runJob(QString jobId);

    LlmEngine *m_llm;
    QString m_path;
    PromptTemplates m_templates;
    std::map<QString, GenerationJob *> m_running; // job id -> job (owned by its task)
    TaskGroup m_tasks;                            // startTask and runJob coroutines
    bool m_shuttingDown = false;
};

} // namespace crucible
