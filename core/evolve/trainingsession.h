#pragma once
// TrainingSession: one self-training run of an agent on a workspace's problems, as the CLI's
// `train` runs it. prepare() picks the problems (a domain, optionally one dataset), splits them
// into train / validation / test once (stored with the run, never mixed), clones the starting
// agent into the agent that receives the learnt versions, and records a TrainingRun. run()
// drives the optimiser, stores every accepted candidate as a new agent version with its
// learning record (what changed, why, the evidence), checkpoints the optimiser into the
// TrainingRun after every unit of work, and finally scores the starting and the best version on
// the held-out test split: the improvement is reported with a bootstrap 95 % interval. Same
// thread as its Workspace and LlmClient.

#include "core/evaluate/bootstrap.h"
#include "core/evolve/evolverunner.h"
#include "core/evolve/optimiser.h"
#include "core/model/trainingrun.h"

#include <QCoro/QCoroTask>

#include <functional>
#include <memory>
#include <optional>

namespace crucible {
class Workspace;
}

namespace crucible::evolve {

struct TrainingOptions
{
    QString domain;    // problems of this domain (required)
    QString datasetId; // only this dataset's members when set
    QString
        agent; // the agent to start from (id, version id, name); default: the generator template
    QString judge; // an evaluator agent; default: the newest evaluator
    QString optimizer = QStringLiteral("reflective");
    OptimiserSettings settings;
    std::optional<qint64> budgetTokens;
    std::optional<double> budgetUsd;
    QString providerId;
    QString model;
    double temperature = 0.7;
    int maxProblems = 200; // the first this many matching problems
    QString runId;         // empty: a new trn_ id (benchmarks fix it to be reproducible)
    // The Simulated provider's landscape seed, when it runs in landscape mode: the report then
    // gives the hidden true quality of the versions (never used for training decisions).
    std::optional<quint64> landscapeSeed;
    // Asked after every unit of work: true stops the run as a cancel would (calls in flight
    // finish, checkpoint, report). For a flag a signal handler sets (the CLI's Ctrl+C), which
    // the event loop may not get to while answers arrive without waiting.
    std::function<bool()> stopRequested;
};

struct TrainingTimings
{
    qint64 engineCpuNs = 0; // thread CPU in the optimiser and checkpoints
    int tasks = 0;
};

class TrainingSession final
{
public:
    TrainingSession(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                    TrainingOptions options);
    ~TrainingSession();

    // Checks the options against the workspace and sets the run up (clone, split, record).
    // Throws ValidationError naming the option and what to do; nothing is written then.
    void prepare();
    // Trains and returns the report (see README, "Training from the CLI"). Never throws: a
    // failure ends the run with state Failed and the error in the report.
    QCoro::Task<nlohmann::json> run(CancelToken cancel = {});

    const TrainingRun &record() const { return m_run; }
    const Optimiser *optimiser() const { return m_optimiser.get(); }
    const TrainingTimings &timings() const { return m_timings; }

private:
    void checkpoint(const Optimiser &optimiser);
    void storeAcceptedVersions();
    nlohmann::json learningRecord(const Candidate &c) const;
    QCoro::Task<nlohmann::json> testReport(CancelToken cancel);

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    TrainingOptions m_options;
    TrainingRun m_run;
    QString m_agentId; // the clone that receives the versions
    std::unique_ptr<Optimiser> m_optimiser;
    std::unique_ptr<EvolveRunner> m_runner;
    TrainingTimings m_timings;
};

} // namespace crucible::evolve
