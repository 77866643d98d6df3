#pragma once
// Generation jobs and their units of work, the checkpoints that make a job resumable: a unit is
// written when it starts (with its exact input) and when it ends (with what it produced), in
// the same transaction as its output. Lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QDateTime>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

enum class JobStatus { Running, Completed, Failed, Cancelled };
QString toString(JobStatus s);
std::optional<JobStatus> jobStatusFromString(const QString &s);

struct JobRecord
{
    QString id;
    QString kind; // seeds, variations, dataset, matrix, adversarial, expand, interactions
    nlohmann::json params = nlohmann::json::object();
    JobStatus status = JobStatus::Running;
    qint64 done = 0;
    qint64 total = 0;
    nlohmann::json summary = nlohmann::json::object();
    QString error;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct JobUnit
{
    int unit = 0;
    QString group; // what the unit aims at: a complexity level, a strategy, a matrix row
    bool finished = false;
    nlohmann::json input = nlohmann::json::object();  // what the unit was asked
    nlohmann::json result = nlohmann::json::object(); // what it produced (finished units)
};

// What JobRepository::remove deleted.
struct JobRemoval
{
    bool removed = false; // the job existed
    int problems = 0;     // accepted problems deleted with it
    int interactions = 0; // accepted interactions deleted with it
    bool dataset = false; // its dataset deleted with it
    int keptProblems = 0; // accepted problems (or interactions) left in the workspace
};

class JobRepository final
{
public:
    explicit JobRepository(Workspace &ws);

    void create(const JobRecord &job);
    std::optional<JobRecord> get(const QString &id) const;
    std::vector<JobRecord> list(int limit = 100) const; // newest first
    void setStatus(const QString &id, JobStatus status, const QString &error = {});
    void setProgress(const QString &id, qint64 done, qint64 total);
    void setSummary(const QString &id, const nlohmann::json &summary);
    // A request to a running job from another window or process ("pause", "stop"; empty
    // clears it), kept in its parameters as "control". Long jobs that honour it read it between
    // units of work. Returns false when there is no such job.
    bool setControl(const QString &id, const QString &request);
    QString control(const QString &id) const;

    void startUnit(const QString &jobId, const JobUnit &unit);
    void finishUnit(const QString &jobId, int unit, const nlohmann::json &result);
    std::vector<JobUnit> units(const QString &jobId) const; // in unit order

    // Deletes a job that is not running and its units, in one transaction. With
    // `withOutputs`, the problems and interactions it accepted and its dataset go too;
    // otherwise they stay (their provenance still names the job id).
    JobRemoval remove(const QString &jobId, bool withOutputs);

private:
    Workspace &m_ws;
};

} // namespace crucible
