#pragma once
// TrainingSession: one self-training run of an agent on a workspace's problems (TrainJob runs it
// for the engine and the CLI). create() picks the problems (a domain, optionally one dataset),
// splits them into train / validation / test once (stored with the run, never mixed), clones the
// starting agent into the agent that receives the learnt versions, and records a TrainingRun
// (and its job, with the same id). load() restores a stored run from its last checkpoint, so a
// run killed at any moment continues with nothing lost or counted twice. run()
// drives the optimiser, stores every accepted candidate as a new agent version with its
// learning record (what changed, why, the evidence), checkpoints the optimiser into the
// TrainingRun after every unit of work, and finally scores the starting and the best version on
// the held-out test split: the improvement is reported with a bootstrap 95 % interval. Same
// thread as its Workspace and LlmClient.

#include "core/evaluate/bootstrap.h"
#include "core/evolve/evolverunner.h"
#include "core/evolve/optimiser.h"
#include "core/generate/generationestimate.h"
#include "core/model/trainingrun.h"

#include <QCoro/QCoroTask>
#include <QElapsedTimer>

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
    QString judge; // an evaluator agent; default: chosenJudgeAgent (best calibrated, else newest)
    QString optimizer = QStringLiteral("reflective");
    OptimiserSettings settings;
    std::optional<qint64> budgetTokens;
    std::optional<double> budgetUsd;
    std::optional<double> budgetHours; // wall time of the run, over all its resumes
    QString providerId;
    QString model;
    double temperature = 0.7;
    int maxProblems = 200; // the first this many matching problems
    QString runId;         // empty: a new trn_ id (benchmarks fix it to be reproducible)
    // The Simulated provider's landscape seed, when it runs in landscape mode: the report then
    // gives the hidden true quality of the versions (never used for training decisions).
    std::optional<quint64> landscapeSeed;
    int landscapeLatencyMs = 0; // the landscape's answer latency (a window's run: watchable)
    // Every this many cycles, variations of the train problem the agents fail most (mean score
    // below 0.5) are generated and join the train split only; 0: never.
    int variationEvery = 10;
    int variationsPerRound = 2;
    // A run that starts from a role template first specialises its clone for the domain (the
    // model suggests bounded trait adjustments and knowledge domains, CloneSpecializer), as one
    // unit of work before the first cycle; the specialised version is the optimiser's start.
    // An agent you chose is trained as it is.
    bool specialize = true;
    // One of several agents trained side by side (`train --agents N`): the group's id, this
    // run's place in it and its size. The group shares one split (splitSeed) so that the agents
    // are compared on the same held-out problems; each specialises in its own direction.
    QString group;
    int groupIndex = 0;
    int groupSize = 1;
    std::optional<std::uint64_t> splitSeed; // default: settings.seed
    // Asked after every unit of work: "stop" ends the run gracefully (calls in flight finish,
    // checkpoint, held-out report, state Cancelled), "pause" ends it without the report (state
    // Paused, resumable), anything else goes on. For a flag a signal handler sets (the CLI's
    // Ctrl+C), which the event loop may not get to while answers arrive without waiting, and for
    // the control a window writes into the run's job.
    std::function<QString()> stopRequested;
    // Called after every checkpoint with the run as stored (progress for a window or a
    // terminal).
    std::function<void(const TrainingRun &, const Optimiser &)> checkpointed;

    // The job parameters these options are stored as (and read back from).
    nlohmann::json toParams() const;
    static TrainingOptions fromParams(const nlohmann::json &params);
    // Agent `index` of `size` trained side by side as `group`: the group's split (this seed),
    // its own optimiser seed (seed + index) and an equal share of every budget; a given run id
    // gets "_<index + 1>". Unchanged when size is 1.
    TrainingOptions agentOf(const QString &group, int index, int size) const;
    // Parameters with "agents": N (a window's new-run request) as the N runs' parameters of one
    // new group; [params] without it.
    static std::vector<nlohmann::json> expandAgents(const nlohmann::json &params);
};

struct TrainingTimings
{
    qint64 engineCpuNs = 0; // thread CPU in the optimiser and checkpoints
    int tasks = 0;
};

// The problems a run would train on, as an estimate needs them.
struct TrainingProblemStats
{
    qint64 total = 0;        // matching problems in the workspace
    qint64 used = 0;         // of those, the ones a run takes (at most maxProblems)
    qint64 meanTokens = 250; // of a statement (a sample of 50; a typical one when none)
};

class TrainingSession final
{
public:
    TrainingSession(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                    TrainingOptions options);
    ~TrainingSession();

    // Checks `options` against the workspace and writes a new run (clone, split, record) and
    // its "train" job, both with the returned id. Throws ValidationError naming the option and
    // what to do; nothing is written then.
    static QString create(Workspace &ws, const PromptTemplates &templates, TrainingOptions options);
    // Restores run `runId` from its last checkpoint (options from the run; the provider, model
    // and stop callback of the options given to the constructor win when set). Throws
    // ValidationError when there is no such run or it cannot continue.
    void load(const QString &runId);
    // create() then load().
    void prepare();
    // What a run with `options` will roughly cost: its call budget (or the calls its cycles
    // need) plus the held-out measurement, priced like the client prices them; capped by the
    // token and USD budgets.
    static GenerationEstimate estimate(Workspace &ws, const TrainingOptions &options,
                                       const PriceTable &prices, const ProviderConfig &provider);
    // The same from problem statistics read once (a dialog re-estimates on every keystroke
    // without reading the workspace again).
    static TrainingProblemStats problemStats(Workspace &ws, const TrainingOptions &options);
    static GenerationEstimate estimate(const TrainingProblemStats &stats,
                                       const TrainingOptions &options, const PriceTable &prices,
                                       const ProviderConfig &provider);
    // `agents` runs like the one `perAgent` estimates (a group trained side by side).
    static GenerationEstimate forAgents(GenerationEstimate perAgent, int agents);
    // Trains and returns the report (see README, "Training from the CLI"). Never throws: a
    // failure ends the run with state Failed and the error in the report.
    QCoro::Task<nlohmann::json> run(CancelToken cancel = {});

    const TrainingRun &record() const { return m_run; }
    const Optimiser *optimiser() const { return m_optimiser.get(); }
    const TrainingTimings &timings() const { return m_timings; }

private:
    void checkpoint(const Optimiser &optimiser);
    std::shared_ptr<LlmBudget> remainingBudget() const;
    void storeAcceptedVersions();
    nlohmann::json learningRecord(const Candidate &c) const;
    QCoro::Task<nlohmann::json> testReport(CancelToken cancel);
    // One round of variations (or the end of one a kill interrupted); true when it ran.
    QCoro::Task<bool> variationRound(CancelToken cancel);
    int lastVariationCycle() const;
    // The person's ratings as calibration examples for the judge (null: none yet).
    nlohmann::json calibrationContext();
    // Specialises the clone for the domain (config "specialize"), once, before the first cycle.
    QCoro::Task<void> specializeStart(CancelToken cancel);

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    TrainingOptions m_options;
    TrainingRun m_run;
    QString m_agentId; // the clone that receives the versions
    std::map<QString, Problem> m_problems;
    std::optional<SolverAgent> m_judge;
    std::unique_ptr<Optimiser> m_optimiser;
    std::unique_ptr<EvolveRunner> m_runner;
    TrainingTimings m_timings;
    QElapsedTimer m_wall;         // this attempt
    qint64 m_wallBefore = 0;      // earlier attempts (config "wall_ms")
    QElapsedTimer m_spendClock;   // the spend is read from the ledger every 5 s
    QStringList m_calibrationIds; // the rated solutions the judge is shown now
};

} // namespace crucible::evolve
