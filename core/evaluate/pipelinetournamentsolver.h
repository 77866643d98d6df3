#pragma once
// PipelineTournamentSolver: makes a tournament entrant's missing solution with the solving
// pipeline (Generator → Critic → Refiner for a team, the Generator alone otherwise), stored under
// ids derived from the tournament job, entrant and problem, so a resumed tournament finds what
// it already stored. Engine thread, with its Workspace and LlmClient.

#include "core/evaluate/tournamentsolver.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmbudget.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <memory>

namespace crucible {

class PipelineTournamentSolver final : public TournamentSolver
{
public:
    struct Options
    {
        QString providerId;
        QString model;
        std::optional<double> temperature;
        int maxTokens = 1500;
        std::shared_ptr<LlmBudget> budget;
    };

    PipelineTournamentSolver(Workspace &ws, LlmClient &client, const PromptTemplates &templates);

    void setOptions(Options options) { m_options = std::move(options); }
    // The job's provider and model; solving answers get their own limit (1500 tokens).
    void prepare(const TournamentSpec &spec, std::shared_ptr<LlmBudget> budget) override;

    QCoro::Task<TournamentSolveOutcome> solve(TournamentEntrant entrant, QString problemId,
                                              QString jobId) override;
    void cancel() override;

private:
    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    Options m_options;
    CancelSource m_cancel;
};

} // namespace crucible
