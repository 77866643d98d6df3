#pragma once
// GenerationEngine: runs generation jobs on the engine thread, next to the LlmEngine whose
// client makes the calls. Each job gets its own workspace connection for as long as it runs, so
// switching workspaces never pulls one from under a job (running jobs are cancelled, and stay
// resumable). Talk to it through queued calls; its signals arrive queued on the GUI thread.

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

public slots:
    // Where new jobs are created; cancels the jobs of the previous workspace.
    void setWorkspacePath(const QString &path);
    // `params` is a GenerationSpec's JSON; an empty provider means the first enabled one.
    // A matrix is planned (covering array) on the thread pool first, unless the params carry
    // the plan under "matrix_plan" (GenerationJob::matrixPlan).
    void start(const QString &params);
    void resume(const QString &jobId);
    void cancel(const QString &jobId);
    void cancelAll();

signals:
    void jobStarted(const QString &jobId, const QString &kind);
    void jobProgress(const crucible::JobProgress &progress);
    // status is a JobStatus; summary the job's summary JSON.
    void jobFinished(const QString &jobId, int status, const QString &error,
                     const QString &summary);
    void problemsAdded(const QStringList &ids);
    void interactionsAdded(const QStringList &ids);
    // A job could not be created or started: what and what to do.
    void errorOccurred(const QString &message);

private:
    QCoro::Task<> startTask(QString params);
    QCoro::Task<> runJob(QString jobId);

    LlmEngine *m_llm;
    QString m_path;
    PromptTemplates m_templates;
    std::map<QString, GenerationJob *> m_running; // job id -> job (owned by its task)
};

} // namespace crucible
