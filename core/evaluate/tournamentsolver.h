#pragma once
// TournamentSolver: how a tournament gets an entrant's solution to a problem. The job first looks
// for an existing solution of the same entrant (a single agent version's first answer, or a team's
// refined answer: that generator's solution, critiqued by that critic, refined by that refiner)
// and only asks the solver when there is none. Implementations run on the engine thread.

#include "core/evaluate/tournamentspec.h"
#include "core/llm/llmbudget.h"
#include "core/store/tournamentrepository.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <optional>

namespace crucible {

class CancelToken;

struct TournamentSolveOutcome
{
    QString solutionId; // set on success
    QString error;      // what happened and what to do
    bool cancelled = false;
    std::optional<double> costUsd; // unset when unpriced
    qint64 tokens = 0;
    int calls = 0;
};

// A stored solution as the judge sees it.
struct SolutionText
{
    QString id;
    QString text;
    int length = 0;
};

class TournamentSolver
{
public:
    virtual ~TournamentSolver() = default;
    // Makes (and stores) the entrant's solution to the problem. Never throws.
    virtual QCoro::Task<TournamentSolveOutcome> solve(TournamentEntrant entrant, QString problemId,
                                                      QString jobId) = 0;
    virtual void cancel() = 0;
    // Called by the job before it runs: its spec (provider, model) and its budget.
    virtual void prepare(const TournamentSpec &spec, std::shared_ptr<LlmBudget> budget)
    {
        Q_UNUSED(spec);
        Q_UNUSED(budget);
    }

    // The newest existing solution of `entrant` for `problemId` ("" when none).
    static QString existingSolution(Workspace &ws, const TournamentEntrant &entrant,
                                    const QString &problemId);
    // A solution's text: the doc rendered as plain text (approach, steps, final answer,
    // assumptions); its length is the stored text_length (the text's length when that is 0).
    static std::optional<SolutionText> solutionText(Workspace &ws, const QString &solutionId);
    // The plain-text form of a solutions.doc.
    static QString renderSolution(const nlohmann::json &doc);
};

} // namespace crucible
