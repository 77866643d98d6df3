#include "core/evaluate/pipelinetournamentsolver.h"

#include "core/engine/jobsupport.h"
#include "core/evaluate/solvepipeline.h"
#include "core/store/problemrepository.h"

namespace crucible {

PipelineTournamentSolver::PipelineTournamentSolver(Workspace &ws, LlmClient &client,
                                                   const PromptTemplates &templates)
    : m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
}

void PipelineTournamentSolver::prepare(const TournamentSpec &spec,
                                       std::shared_ptr<LlmBudget> budget)
{
    m_options.providerId = spec.providerId;
    m_options.model = spec.model;
    m_options.budget = std::move(budget);
}

void PipelineTournamentSolver::cancel()
{
    m_cancel.cancel();
}

QCoro::Task<TournamentSolveOutcome>
PipelineTournamentSolver::solve(TournamentEntrant entrant, QString problemId, QString jobId)
{
    TournamentSolveOutcome out;
    std::optional<Problem> problem;
    try {
        problem = ProblemRepository(m_ws).get(problemId);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
        co_return out;
    }
    if (!problem) {
        out.error = QStringLiteral("problem %1 no longer exists").arg(problemId);
        co_return out;
    }
    SolveTeam team;
    team.generator = entrant.generator;
    team.critic = entrant.critic;
    team.refiner = entrant.refiner;
    // One key per (tournament job, entrant, problem): its stages' ids and sample indexes.
    const QString key = jobId + QLatin1Char('/') + entrant.key + QLatin1Char('/') + problemId;
    const int unit = static_cast<int>(qHash(key) & 0x7fffffff);
    const Options options = m_options;
    const CancelToken cancel = m_cancel.token();
    auto makeSpec = [options, cancel, jobId,
                     unit](const RenderedPrompt &prompt, const QString &system,
                           const nlohmann::json &schema, const QString &schemaName, int salt) {
        StructuredCallSpec spec;
        spec.call.providerId = options.providerId;
        spec.call.request.system = system;
        spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
        spec.call.request.model = options.model;
        spec.call.request.temperature = options.temperature;
        spec.call.request.maxTokens = options.maxTokens;
        spec.call.request.sampleIndex = jobsupport::sampleIndexFor(jobId, unit, salt);
        spec.call.jobId = jobId;
        spec.call.templateId = prompt.id;
        spec.call.templateVersion = prompt.version;
        spec.call.cancel = cancel;
        spec.call.budget = options.budget;
        spec.schema = schema;
        spec.schemaName = schemaName;
        return spec;
    };
    SolvePipeline pipeline(m_ws, m_client, m_templates);
    SolveOutcome solved = co_await pipeline.run(*problem, team, key, jobId, makeSpec);
    out.calls = solved.tally.calls;
    out.tokens = solved.tally.tokens();
    out.costUsd = solved.tally.cost;
    if (solved.ok) {
        out.solutionId = solved.finalSolutionId();
    } else {
        out.cancelled = solved.llmError.kind == LlmError::Kind::Cancelled;
        out.error = solved.error;
    }
    co_return out;
}

} // namespace crucible
