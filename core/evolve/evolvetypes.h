#pragma once
// The values the optimisers of core/evolve exchange with whoever runs them: a candidate agent
// version with its scores, a unit of work (EvolveTask) and its result (TaskResult), and the
// call budget. Plain values with a JSON round-trip, so that an optimiser's whole state can be
// checkpointed after every unit of work.

#include "core/llm/llmerror.h"
#include "core/model/agent.h"

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

namespace crucible::evolve {

// What one judge said about one candidate's solution to one problem.
struct ProblemScore
{
    double score = 0;                  // the judge's overall score, 0..1
    QString feedback;                  // the judge's summary and aspect rationales
    QString solution;                  // the solution, abridged, as reflection reads it
    qint64 tokens = 0;                 // of the solve and judge calls
    qint64 solutionTokens = 0;         // of the solution alone (output tokens)
    std::map<QString, double> aspects; // the judge's score per rubric aspect

    nlohmann::json toJson() const;
    static ProblemScore fromJson(const nlohmann::json &j);
};

// One agent version an optimiser made or considered.
struct Candidate
{
    int id = 0;      // its index in the optimiser's candidate list
    int parent = -1; // the candidate it was derived from (-1 for the seed)
    QString op;      // how it was made: "seed", "reflect", "traits", "random"
    Agent definition;
    QString why;                            // the proposer's reason (reflection's analysis, …)
    nlohmann::json change;                  // what differs from the parent (lessons, traits)
    std::map<QString, ProblemScore> scores; // problem id → score (every split it was run on)
    // Minibatch means of parent and child when it was tried (null for the seed and random ones).
    std::optional<double> minibatchParent;
    std::optional<double> minibatchChild;
    bool accepted = false; // passed the minibatch test (or needs none) and joined the pool
    QString versionId;     // the agent version it was stored as, once accepted and stored

    // Mean score over `problems`; nullopt when one of them has no score.
    std::optional<double> meanOver(const QStringList &problems) const;
    bool scoredOn(const QStringList &problems) const;
    nlohmann::json toJson() const;
    static Candidate fromJson(const nlohmann::json &j);
};

// The problem ids of the three splits; disjoint, fixed when a run starts and never mixed: the
// optimiser learns from train, selects on validation and never sees test.
struct DataSplit
{
    QStringList train;
    QStringList validation;
    QStringList test;

    // Shuffles `problemIds` with `seed` and cuts it: test gets `testShare`, validation
    // `validationShare` but at most `maxValidation` (every candidate in the pool is scored on
    // all of it), each at least one problem; train the rest (at least one). Throws
    // std::invalid_argument when there are fewer than three problems.
    static DataSplit make(QStringList problemIds, std::uint64_t seed, double validationShare = 0.2,
                          double testShare = 0.3, int maxValidation = 12);
    nlohmann::json toJson() const;
    static DataSplit fromJson(const nlohmann::json &j);
};

// One unit of work. Evaluate: the candidate's agent solves `problemId` and a judge scores it
// (two calls). Reflect: an LLM reads `traces` and proposes the lessons of a child of
// `candidate` (one call). Finished: nothing is left to do within the budget.
struct EvolveTask
{
    enum class Kind { Evaluate, Reflect, Finished };
    Kind kind = Kind::Finished;
    int candidate = -1;
    Agent definition;  // the agent that runs (Evaluate) or improves
    QString problemId; // Evaluate
    nlohmann::json traces =
        nlohmann::json::array(); // Reflect: [{problem_id, score, solution, feedback}]
    int calls = 0;               // LLM calls the task makes when nothing fails
    int sample = 0;              // Reflect: the cycle, so that repeated questions are new samples
    QString reason;              // Finished: why (budget, cycles)

    static QString kindName(Kind kind); // "evaluate", "reflect", "finished"
};

struct TaskResult
{
    bool ok = false;
    QString error;
    // Why the LLM call failed: Budget (a token or USD budget refused the call before it was
    // sent) and Cancelled end a run normally; anything else is an error.
    LlmError::Kind errorKind = LlmError::Kind::None;
    ProblemScore score;  // Evaluate
    QStringList lessons; // Reflect: the complete revised list
    QString analysis;    // Reflect
    int calls = 0;       // LLM calls made (cache hits included)
    qint64 tokens = 0;
};

// LLM calls an optimiser may make in all; checked before every task is started.
struct CallBudget
{
    int maxCalls = 0; // 0: no limit on calls (a token or USD budget must bound the run)
    int used = 0;

    bool allows(int calls) const { return maxCalls <= 0 || used + calls <= maxCalls; }
    int remaining() const;
};

} // namespace crucible::evolve
