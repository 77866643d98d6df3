#pragma once
// EngineJob: the interface of a resumable job the engine runs besides generation (solving,
// evaluation, tournaments). A job's state lives in the workspace (jobs and job_units), so run()
// on a fresh object resumes a job that was killed. Lives on the engine thread with its Workspace
// and LlmClient; one run at a time per object.

#include "core/engine/jobprogress.h"
#include "core/store/jobrepository.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <nlohmann/json.hpp>

namespace crucible {

struct EngineJobResult
{
    QString jobId;
    JobStatus status = JobStatus::Failed;
    QString error; // what happened and what to do, when not Completed
    nlohmann::json summary = nlohmann::json::object();
};

class EngineJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Runs (or resumes) the job to its end. Never throws: failures are in the result and in the
    // job's status.
    virtual QCoro::Task<EngineJobResult> run(QString jobId) = 0;
    // Stops launching units and cancels the calls in flight; run() then ends as Cancelled
    // (resumable).
    virtual void cancel() = 0;

signals:
    void progressChanged(const crucible::JobProgress &progress);
    // Entities written by the job (kind: "solution", "critique", "verdict", "comparison"), so
    // open panels can refresh.
    void entitiesAdded(const QString &kind, const QStringList &ids);
};

} // namespace crucible
