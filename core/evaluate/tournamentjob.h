#pragma once
// TournamentJob: runs a tournament (job kind "tournament") resumably. Entrants (agent versions or
// Generator + Critic + Refiner teams) first get their solutions to every problem (existing ones
// are reused, missing ones made by the TournamentSolver), then meet in rounds: round-robin (the
// circle method's rounds) or Swiss (paired by score, no rematch where avoidable). Every pairing
// is compared on every problem by every judge, in both orders (PairwiseJudge). Each solve and each
// comparison is a checkpointed job unit, finished in the same transaction as its output; a round's
// pairings are written before its comparisons start, so a killed tournament resumes the same
// round with no comparison lost or counted twice. Ratings are recomputed and stored after every
// round and, pooled over the whole workspace, at the end. Engine thread only.

#include "core/engine/enginejob.h"
#include "core/evaluate/tournamentsolver.h"
#include "core/evaluate/tournamentspec.h"
#include "core/generate/generationestimate.h"
#include "core/llm/cancellation.h"
#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <QElapsedTimer>

#include <deque>
#include <map>
#include <memory>
#include <set>

namespace crucible {

class TournamentJob final : public EngineJob
{
    Q_OBJECT

public:
    static constexpr const char *kKind = "tournament";

    TournamentJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                  std::shared_ptr<TournamentSolver> solver, QObject *parent = nullptr);
    // The engine's constructor (EngineJobKind::of): missing solutions are made by the solving
    // pipeline (PipelineTournamentSolver).
    TournamentJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                  QObject *parent = nullptr);
    ~TournamentJob() override;

    // Checks the spec against the workspace (at least two entrants with distinct keys, problems
    // and agent versions that exist, a judge, a known format), fills entrant names from the
    // agents, writes the tournament and its job and returns the job id. Throws ValidationError
    // or WorkspaceError.
    static QString create(Workspace &ws, TournamentSpec spec, QString *tournamentId = nullptr);
    // The engine's create: specFromParams, then create.
    static QString create(Workspace &ws, const nlohmann::json &params);
    // A spec from the engine's (or the GUI's) parameters: TournamentSpec::toJson's keys, plus
    // "dataset_id" instead of "problems", agent ids instead of version ids (their head version)
    // and, without "judges", the judge chooseJudge picks (best calibrated against the human
    // ratings, else the newest evaluator agent), recorded in judgeChoice. Throws ValidationError.
    static TournamentSpec specFromParams(Workspace &ws, const nlohmann::json &params);
    // What the tournament will roughly cost: solves still missing and judge calls (two per
    // comparison), priced like the client prices them.
    static GenerationEstimate estimate(Workspace &ws, const TournamentSpec &spec,
                                       const PromptTemplates &templates, const PriceTable &prices,
                                       const ProviderConfig &provider);
    // Rounds the tournament plays and comparisons it plans (pairings × problems × judges).
    static int roundCount(const TournamentSpec &spec);
    static int plannedComparisons(const TournamentSpec &spec);
    // The tournament a job runs ("" when the job is not a tournament).
    static QString tournamentOf(Workspace &ws, const QString &jobId);

    QCoro::Task<EngineJobResult> run(QString jobId) override;
    void cancel() override;

    // After this many comparisons in a row could not reach the judge (network, budget,
    // configuration), the run stops (Failed, resumable) instead of trying every comparison.
    static constexpr int kFailFastComparisons = 5;

private:
    struct Work
    {
        JobUnit unit;
        bool solve = false;
    };

    void loadState();
    QCoro::Task<> solvePhase();
    QCoro::Task<> roundPhase(int round);
    QCoro::Task<> worker();
    QCoro::Task<> runSolve(JobUnit unit);
    QCoro::Task<> runComparison(JobUnit unit);
    std::vector<JobUnit> planRound(int round);
    QCoro::Task<> saveRatings(const QString &label, bool pooled);
    void recordUnit(const nlohmann::json &result);
    void emitProgress();

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    std::shared_ptr<TournamentSolver> m_solver;
    CancelSource m_cancel;
    std::shared_ptr<LlmBudget> m_budget;

    QString m_jobId;
    QString m_tournamentId;
    TournamentSpec m_spec;
    std::vector<JobUnit> m_units;                               // as loaded at the start of the run
    std::map<std::pair<QString, QString>, QString> m_solutions; // (entrant, problem) → solution
    std::map<QString, QString> m_judgePrompts;                  // judge version → system prompt
    std::map<QString, AgentContext> m_judgeAgents;              // judge version → request context
    std::deque<Work> m_queue;
    int m_nextUnit = 0;
    int m_accepted = 0;
    int m_failed = 0;
    int m_inFlight = 0;
    int m_unitsStarted = 0;
    int m_consecutiveUnreachable = 0;
    double m_cost = 0;
    bool m_unpriced = false;
    qint64 m_tokens = 0;
    int m_calls = 0;
    QString m_fatal;
    QElapsedTimer m_clock;
    bool m_running = false;
};

} // namespace crucible
