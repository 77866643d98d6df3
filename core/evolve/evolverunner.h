#pragma once
// EvolveRunner does the optimisers' units of work through the real LLM plumbing
// (StructuredCaller → LlmClient → provider, with cache, ledger and budgets): Evaluate renders
// the candidate's system prompt, has it solve the problem (solve.generate) and a judge score
// the solution against the problem's rubric (evaluate.solution); Reflect asks for a revised
// lesson list (evolve.reflect). Every request carries the candidate's AgentContext, keyed
// "<run id>/c<candidate>", so a resumed run asks the same questions and hits the cache.
// drive() is the loop next() → run → complete() → checkpoint. Same thread as its LlmClient.

#include "core/evaluate/solveragent.h"
#include "core/evolve/optimiser.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/model/problem.h"

#include <QCoro/QCoroTask>

#include <functional>
#include <map>
#include <memory>

namespace crucible::evolve {

struct EvolveRunnerSetup
{
    QString providerId;
    QString model; // empty: the provider's default
    std::optional<double> temperature = 0.7;
    int maxTokens = 1500;
    QString runId;                     // candidate keys in requests
    QString jobId;                     // recorded with every call (may be empty)
    SolverAgent judge;                 // an evaluator agent version
    QStringList aspects;               // empty: Rubric::defaultAspects()
    std::shared_ptr<LlmBudget> budget; // tokens / USD, checked by LlmClient before each call
    CancelToken cancel;
    // The person's ratings shown to the judge as calibration examples
    // (JudgeCalibration::examplesContext; null or empty: none, the prompt as without them).
    nlohmann::json calibration;
};

class EvolveRunner final
{
public:
    EvolveRunner(LlmClient &client, const PromptTemplates &templates,
                 std::map<QString, Problem> problems, EvolveRunnerSetup setup);

    // Does `task` making at most `callsAllowed` calls (schema repairs are cut to fit). Never
    // throws; failures are in the result (ok false, error says which call and why).
    QCoro::Task<TaskResult> run(EvolveTask task, int callsAllowed);

    // "<runId>/c<candidate>": the version id requests carry for a candidate.
    static QString candidateKey(const QString &runId, int candidate);
    const EvolveRunnerSetup &setup() const { return m_setup; }
    // The token / USD budget the next tasks' calls are checked against (null: none).
    void setBudget(std::shared_ptr<LlmBudget> budget) { m_setup.budget = std::move(budget); }
    // A problem added to the run (a variation in the train split).
    void addProblem(const Problem &problem) { m_problems.insert_or_assign(problem.id, problem); }
    // The calibration examples the next judge calls show (ratings that arrived meanwhile).
    void setCalibration(nlohmann::json context) { m_setup.calibration = std::move(context); }

private:
    QCoro::Task<TaskResult> evaluate(EvolveTask task, int callsAllowed);
    QCoro::Task<TaskResult> reflect(EvolveTask task, int callsAllowed);

    LlmClient &m_client;
    const PromptTemplates &m_templates;
    std::map<QString, Problem> m_problems;
    EvolveRunnerSetup m_setup;
};

struct DriveOptions
{
    // Called after every completed task with the optimiser's new state (write it somewhere
    // durable: it is the checkpoint a resumed run starts from).
    std::function<void(const Optimiser &)> checkpoint;
    CancelToken cancel;
};

struct DriveOutcome
{
    bool ok = true;
    QString error; // the task that failed and why; the optimiser is unchanged by it
    int tasks = 0; // completed in this drive
    // Thread CPU time spent in the optimiser (next, complete) and in checkpoints: the engine's
    // own overhead, apart from the LLM calls.
    qint64 engineCpuNs = 0;
};

// Runs `optimiser` until it is finished, a task fails, or `cancel` is set. A failed task is
// not retried here (its calls are in the LLM cache for the next attempt).
QCoro::Task<DriveOutcome> drive(Optimiser &optimiser, EvolveRunner &runner, DriveOptions options);

} // namespace crucible::evolve
