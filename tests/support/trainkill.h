#pragma once
// Kills a `crucible-cli train` process with SIGKILL at random points and resumes it each time
// (`crucible-cli resume`), for the kill-and-resume test and its benchmark: after each kill the
// workspace must pass `PRAGMA integrity_check`, and the final report must equal that of the same
// run left alone (nothing lost, nothing counted twice).

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <vector>

namespace crucible::test {

struct TrainKillPlan
{
    QString cliPath;
    QString workspace;
    QString runId;
    QStringList trainArgs;    // after "train WS" (domain, budget, --run-id, ...)
    QStringList providerArgs; // given to train and to every resume
    int kills = 1;
    quint64 seed = 1;
    int maxCallsBetweenKills = 30; // a kill comes 1..this many calls after the last one
    int timeoutMs = 300'000;
};

struct TrainKillOutcome
{
    bool ok = false;
    QString error;             // what went wrong (a resume failed, a timeout, ...)
    int kills = 0;             // done (the run may end before all planned kills)
    std::vector<int> killedAt; // calls used by the run's checkpoint at each kill
    bool integrityOk = true;   // PRAGMA integrity_check after every kill
    nlohmann::json report;     // the last process's --json report
    nlohmann::json history;    // the stored run's metrics (one entry per cycle)
};

// The loopback server's answers for a training run: solutions, verdicts (scores drawn from the
// request's hash, so candidates differ) and reflections (a few lessons drawn the same way).
// Deterministic: the same request always gets the same answer.
QByteArray trainingAnswer(const nlohmann::json &request);

// The calls the stored run's checkpoint has used (-1: no run yet or unreadable right now).
int trainingCallsUsed(const QString &workspace, const QString &runId);
// "ok" or SQLite's complaint.
QString integrityCheck(const QString &workspace);
// The stored run's metrics.
nlohmann::json trainingHistory(const QString &workspace, const QString &runId);

TrainKillOutcome trainWithKills(const TrainKillPlan &plan);

// The fields of two reports that must agree when one run was killed and resumed and the other
// was not (ids of stored versions differ; everything the run measured must not). Empty when
// equal, else the first difference.
QString compareTrainingReports(const nlohmann::json &killed, const nlohmann::json &reference);

} // namespace crucible::test
