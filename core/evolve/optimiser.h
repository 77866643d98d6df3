#pragma once
// Optimiser: the base of the self-training optimisers, a steppable state machine with no I/O.
// Whoever runs it (EvolveDriver, a training run) loops: next() gives one unit of work
// (EvolveTask: evaluate a candidate on a problem, or reflect), the runner does it through the
// LLM client and hands the result to complete(), and checkpoints toJson() after each
// complete(). The whole state (candidates, scores, budget, random generator, the iteration in
// progress) is in toJson(), so fromJson() resumes exactly: a task that was running when the
// process died is planned again and its calls are answered by the LLM cache; nothing is counted
// twice because the budget is only charged in complete(). The budget is checked before a task
// is handed out: next() never returns a task the remaining calls cannot pay for. Not
// thread-safe; one owner.

#include "core/evolve/evolvetypes.h"
#include "core/llm/simulated/rng.h"

#include <memory>
#include <optional>
#include <vector>

namespace crucible::evolve {

// A solution "succeeds" when its judge score reaches this (the success rate over cycles).
inline constexpr double kSuccessScore = 0.6;

struct OptimiserSettings
{
    int maxCalls = 600;  // LLM calls in all (CallBudget); 0: unbounded (then set maxCycles)
    int maxCycles = 0;   // iterations (one child tried each); 0: until the budget is spent
    int minibatch = 3;   // train problems per acceptance test
    int maxLessons = 20; // longest instruction section a child may have
    // Reflective optimiser: the share of the call budget for reflection cycles (they come
    // first; without a call budget every third cycle reflects), and the trait strategy.
    double reflectShare = 0.35;
    double traitStep = 15.0; // the strategy's initial σ (trait points)
    int esLambda = 6;        // offspring per generation, each scored on one train problem
    int esMu = 2;            // the best offspring recombined into the new centre
    int esValidateEvery = 3; // generations between validations of the centre
    std::uint64_t seed = 1;  // the optimiser's own randomness (parents, minibatches, mutations)
    // Personality evolution: metric → target ("success" 0.9, "novelty" 0.8, "tokens" 600;
    // success is the judge's overall score, tokens the solution's length, any other name a
    // rubric aspect).
    std::map<QString, double> targets;

    nlohmann::json toJson() const;
    nlohmann::json targetsJson() const;
    static OptimiserSettings fromJson(const nlohmann::json &j);
};

class Optimiser
{
public:
    virtual ~Optimiser() = default;

    // "reflective" (GEPA-style, the default), "random" (random search, the baseline) or
    // "personality" (traits toward target metrics).
    static QStringList kinds();
    // A new optimiser of `kind` starting from `seed` (candidate 0). Throws std::invalid_argument
    // for an unknown kind or an empty split.
    static std::unique_ptr<Optimiser> make(const QString &kind, const Agent &seed, DataSplit split,
                                           OptimiserSettings settings);
    // The optimiser a checkpoint describes. Throws std::invalid_argument / ValidationError.
    static std::unique_ptr<Optimiser> fromJson(const nlohmann::json &j);
    nlohmann::json toJson() const;

    virtual QString kind() const = 0;

    // The next unit of work (the same one again until it is completed), or a Finished task
    // once the budget cannot pay for more or the cycles are done.
    EvolveTask next();
    // Applies the result of the task next() gave. A failed result (ok false) changes nothing:
    // the same task comes again (the caller decides whether to retry or stop).
    void complete(const EvolveTask &task, const TaskResult &result);
    // Stops planning (e.g. the token budget ran out): next() returns Finished with `reason`.
    void finish(const QString &reason);

    bool finished() const { return !m_finishReason.isEmpty(); }
    const QString &finishReason() const { return m_finishReason; }
    const CallBudget &budget() const { return m_budget; }
    const DataSplit &split() const { return m_split; }
    const OptimiserSettings &settings() const { return m_settings; }
    const std::vector<Candidate> &candidates() const { return m_candidates; }
    int cycles() const { return m_cycles; }
    // The accepted candidate with the best mean validation score (the seed until one beats it);
    // personality evolution: the one closest to its targets.
    virtual int best() const;
    // Accepted candidates fully scored on validation (the pool parents come from).
    std::vector<int> pool() const;
    // New problems for the train split only (variations of problems the agents fail); ids
    // already in a split are ignored. Returns the ones added.
    QStringList addTrainProblems(const QStringList &ids);
    // Calls made outside the optimiser's own tasks (generating variations) count against its
    // call budget.
    void chargeCalls(int calls) { m_budget.used += std::max(0, calls); }
    // The train problems the pool does worst on (mean score over the accepted versions scored
    // on them, lowest first; untried ones are left out), at most `n`, with their means.
    std::vector<std::pair<QString, double>> hardestTrainProblems(int n) const;
    // Records that candidate `id` was stored as agent version `versionId`.
    void setVersionId(int id, const QString &versionId);
    // Another starting point before the first cycle (a specialisation of the seed): accepted
    // as it is, scored on validation right after the seed, and from then on a parent and a
    // best like any other, so validation decides whether it is better than the seed. Returns
    // its id. Throws std::logic_error once a cycle has run.
    int addStart(Candidate c);
    static bool isStart(const Candidate &c)
    {
        return c.parent < 0 || c.op == QLatin1String(kOpStart);
    }
    static constexpr const char *kOpStart = "specialize";
    // One entry per finished cycle: {cycle, op, parent, child, accepted, calls_used,
    // best_validation, and over what the cycle tried: child_score, child_success (share of
    // scores ≥ kSuccessScore), child_novelty}.
    const nlohmann::json &history() const { return m_history; }

protected:
    Optimiser(const Agent &seed, DataSplit split, OptimiserSettings settings);
    Optimiser() = default;

    // Plans the next task (only called when none is pending and the run is not finished);
    // may draw random numbers and start an iteration. Returns Finished to end the run.
    virtual EvolveTask plan() = 0;
    // Applies a successful result of a planned task.
    virtual void apply(const EvolveTask &task, const TaskResult &result) = 0;
    virtual void writeState(nlohmann::json &j) const = 0;
    virtual void readState(const nlohmann::json &j) = 0;

    // Shared steps.
    EvolveTask evaluate(int candidate, const QString &problemId) const;
    // The first of `problems` candidate `id` has no score on, if any.
    std::optional<QString> firstUnscored(int id, const QStringList &problems) const;
    // The starting points' validation scores come first (the seed's, then any added with
    // addStart): the next unscored validation problem of the first of them not fully scored.
    std::optional<EvolveTask> seedValidation() const;
    int addCandidate(Candidate c);
    // Records the finished cycle; `tried` are the candidates it ran (default: the child), whose
    // scores the history summarises.
    void endCycle(const QString &op, int parent, int child, bool accepted,
                  const std::vector<int> &tried = {});
    QStringList drawMinibatch();
    EvolveTask finishedTask(const QString &reason);

    std::vector<Candidate> m_candidates;
    DataSplit m_split;
    OptimiserSettings m_settings;
    CallBudget m_budget;
    simulated::Rng m_rng{1};
    int m_cycles = 0;
    QString m_finishReason;
    nlohmann::json m_history = nlohmann::json::array();

private:
    std::optional<EvolveTask> m_pending;
};

// The task's JSON (checkpoints keep the pending task).
nlohmann::json taskToJson(const EvolveTask &task);
EvolveTask taskFromJson(const nlohmann::json &j);

} // namespace crucible::evolve
