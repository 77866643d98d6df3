#pragma once
// SolvePipeline: Generator → Critic → Refiner for one problem and one team. Each stage is
// stored as soon as it finishes (solution, critique, refined solution) with its agent version,
// call ids, tokens and cost, under an id derived from the caller's key, so a repeated run
// finds what is stored and skips it (no duplicates; the LLM cache answers anything repeated).
// Same thread as its Workspace and LlmClient.

#include "core/engine/jobsupport.h"
#include "core/evaluate/solveragent.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/problem.h"

#include <QCoro/QCoroTask>

#include <functional>
#include <optional>

namespace crucible {

class Workspace;

// Agent version ids; critic and refiner may be empty (a refiner needs a critic).
struct SolveTeam
{
    QString generator;
    QString critic;
    QString refiner;

    // The tournament's entrant key: the generator id, or gen+crit+ref joined by '+'.
    QString key() const;
    nlohmann::json toJson() const;
    static SolveTeam fromJson(const nlohmann::json &j);
    bool operator==(const SolveTeam &) const = default;
};

struct SolveOutcome
{
    bool ok = false;
    QString error; // which stage failed and why
    LlmError llmError;
    QString solutionId; // stage solve
    QString critiqueId; // empty without a critic
    QString refinedId;  // empty without a refiner
    // The final answer of the team: the refined solution when there is one.
    QString finalSolutionId() const { return refinedId.isEmpty() ? solutionId : refinedId; }
    QStringList newSolutions; // stored by this run (not found already stored)
    QStringList newCritiques;
    jobsupport::CallTally tally; // of every stage, stored ones included
};

class SolvePipeline final
{
public:
    // Builds the structured call of one stage: prompt, system prompt, schema, schema name and a
    // salt that tells the stages apart in the cache (UnitJob::callSpec fits).
    using CallSpecFactory = std::function<StructuredCallSpec(
        const RenderedPrompt &, const QString &system, const nlohmann::json &schema,
        const QString &schemaName, int salt)>;

    SolvePipeline(Workspace &ws, LlmClient &client, const PromptTemplates &templates);

    // Checks that the team's agents exist and fit their slots; throws ValidationError naming
    // the option (--agent, --critic, --refiner) and what to do.
    static void validateTeam(Workspace &ws, const SolveTeam &team);

    // Runs (or completes) the team's stages for `problem`. `key` identifies this attempt (e.g.
    // "<job>/<unit>"); `jobId` is stored with the results. Never throws.
    QCoro::Task<SolveOutcome> run(Problem problem, SolveTeam team, QString key, QString jobId,
                                  CallSpecFactory makeSpec);

    // The prompt context of a problem: domain, problem, constraints, success_criteria,
    // sample_data.
    static nlohmann::json problemContext(const Problem &problem);

private:
    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
};

} // namespace crucible
