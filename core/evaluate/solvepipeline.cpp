#include "core/evaluate/solvepipeline.h"

#include "core/model/critique.h"
#include "core/model/jsonsupport.h"
#include "core/model/solution.h"
#include "core/store/solutionrepository.h"
#include "core/store/workspace.h"

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kSaltSolve = 1;
constexpr int kSaltCritique = 2;
constexpr int kSaltRefine = 3;

SolutionBody bodyFrom(const json &v)
{
    SolutionBody b;
    b.approach = jsonio::stringOr(v, "approach").trimmed();
    b.steps = jsonio::stringsAt(v, "steps");
    b.finalAnswer = jsonio::stringOr(v, "final_answer").trimmed();
    b.assumptions = jsonio::stringsAt(v, "assumptions");
    return b;
}

void addStored(jobsupport::CallTally &tally, const QStringList &callIds,
               const std::optional<double> &cost, qint64 tokens)
{
    jobsupport::CallTally t;
    t.callIds = callIds;
    t.calls = static_cast<int>(callIds.size());
    t.cost = cost;
    t.tokensIn = tokens; // stored rows keep the total only
    tally.add(t);
}

QString stageError(const char *stage, const SolverAgent &agent, const StructuredOutcome &o)
{
    QString why = o.error.message;
    if (why.isEmpty() && !o.lastErrors.isEmpty())
        why = o.lastErrors.join(QStringLiteral("; "));
    return QStringLiteral("%1 stage (%2, %3) failed: %4")
        .arg(QString::fromLatin1(stage), agent.name, agent.versionId, why);
}

} // namespace

QString SolveTeam::key() const
{
    if (critic.isEmpty() && refiner.isEmpty())
        return generator;
    return generator + u'+' + critic + u'+' + refiner;
}

json SolveTeam::toJson() const
{
    return {{"generator", generator.toStdString()},
            {"critic", critic.toStdString()},
            {"refiner", refiner.toStdString()}};
}

SolveTeam SolveTeam::fromJson(const json &j)
{
    return {jsonio::stringOr(j, "generator"), jsonio::stringOr(j, "critic"),
            jsonio::stringOr(j, "refiner")};
}

SolvePipeline::SolvePipeline(Workspace &ws, LlmClient &client, const PromptTemplates &templates)
    : m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
}

void SolvePipeline::validateTeam(Workspace &ws, const SolveTeam &team)
{
    auto check = [&ws](const QString &id, const QString &slot, const QString &option) {
        const auto agent = findSolverAgent(ws, id);
        if (!agent)
            throw ValidationError(option, id,
                                  QStringLiteral("no agent or agent version with this id; list "
                                                 "them with `crucible-cli agents WS list`"));
        requireRole(*agent, slot, option);
    };
    if (team.generator.isEmpty())
        throw ValidationError(QStringLiteral("--agent"), {},
                              QStringLiteral("a team needs a generator agent"));
    check(team.generator, QStringLiteral("generator"), QStringLiteral("--agent"));
    if (!team.critic.isEmpty())
        check(team.critic, QStringLiteral("critic"), QStringLiteral("--critic"));
    if (!team.refiner.isEmpty()) {
        if (team.critic.isEmpty())
            throw ValidationError(QStringLiteral("--refiner"), team.refiner,
                                  QStringLiteral("a refiner answers a critique: pass --critic "
                                                 "too"));
        check(team.refiner, QStringLiteral("refiner"), QStringLiteral("--refiner"));
    }
}

json SolvePipeline::problemContext(const Problem &problem)
{
    json ctx = {{"domain",
                 problem.domain.isEmpty() ? std::string("general") : problem.domain.toStdString()},
                {"problem", problem.statement.toStdString()},
                {"constraints", problem.constraints},
                {"success_criteria", problem.successCriteria}};
    if (problem.sampleData.is_string())
        ctx["sample_data"] = problem.sampleData;
    else if (!problem.sampleData.is_null())
        ctx["sample_data"] = problem.sampleData.dump(2);
    else
        ctx["sample_data"] = "";
    return ctx;
}

QCoro::Task<SolveOutcome> SolvePipeline::run(Problem problem, SolveTeam team, QString key,
                                             QString jobId, CallSpecFactory makeSpec)
{
    SolveOutcome out;
    try {
        SolutionRepository repo(m_ws);
        StructuredCaller caller(m_client, m_templates);
        const json ctx = problemContext(problem);

        auto resolve = [this](const QString &id) -> SolverAgent {
            auto a = findSolverAgent(m_ws, id);
            if (!a)
                throw ValidationError(QStringLiteral("agent"), id,
                                      QStringLiteral("no agent version with this id any more"));
            return *a;
        };

        // Stage 1: the Generator's answer.
        const SolverAgent generator = resolve(team.generator);
        out.solutionId = jobsupport::derivedId("sol", key + QStringLiteral("/solve"));
        std::optional<Solution> first = repo.get(out.solutionId);
        if (first) {
            addStored(out.tally, first->callIds, first->costUsd, first->tokens);
        } else {
            const RenderedPrompt prompt = m_templates.render(QStringLiteral("solve.generate"), ctx);
            if (!prompt.ok())
                throw ValidationError(QStringLiteral("template"), prompt.id, prompt.error);
            StructuredCallSpec spec =
                makeSpec(prompt, generator.systemPrompt, jobsupport::schema("solution"),
                         QStringLiteral("solution"), kSaltSolve);
            spec.call.request.agent = generator.context;
            const StructuredOutcome o = co_await caller.call(std::move(spec));
            out.tally.add(o);
            if (!o.ok()) {
                out.error = stageError("solve", generator, o);
                out.llmError = o.error;
                co_return out;
            }
            Solution s;
            s.id = out.solutionId;
            s.problemId = problem.id;
            s.agentVersionId = generator.versionId;
            s.stage = SolutionStage::Solve;
            s.jobId = jobId;
            s.body = bodyFrom(*o.value);
            s.callIds = o.callIds;
            s.costUsd = o.costUsd;
            s.tokens = o.tokensIn + o.tokensOut;
            s.createdAt = jsonio::nowUtc();
            repo.insert(s);
            out.newSolutions << s.id;
            first = std::move(s);
        }
        if (team.critic.isEmpty()) {
            out.ok = true;
            co_return out;
        }

        // Stage 2: the Critic's critique of it.
        const SolverAgent critic = resolve(team.critic);
        out.critiqueId = jobsupport::derivedId("crt", key + QStringLiteral("/critique"));
        std::optional<Critique> critique = repo.critique(out.critiqueId);
        if (critique) {
            addStored(out.tally, critique->callIds, critique->costUsd, critique->tokens);
        } else {
            json c = ctx;
            c["solution"] = first->toText().toStdString();
            const RenderedPrompt prompt = m_templates.render(QStringLiteral("solve.critique"), c);
            if (!prompt.ok())
                throw ValidationError(QStringLiteral("template"), prompt.id, prompt.error);
            StructuredCallSpec spec =
                makeSpec(prompt, critic.systemPrompt, jobsupport::schema("critique"),
                         QStringLiteral("critique"), kSaltCritique);
            spec.call.request.agent = critic.context;
            const StructuredOutcome o = co_await caller.call(std::move(spec));
            out.tally.add(o);
            if (!o.ok()) {
                out.error = stageError("critique", critic, o);
                out.llmError = o.error;
                out.critiqueId.clear();
                co_return out;
            }
            Critique k;
            k.id = out.critiqueId;
            k.solutionId = first->id;
            k.agentVersionId = critic.versionId;
            k.jobId = jobId;
            k.setDoc(*o.value);
            k.callIds = o.callIds;
            k.costUsd = o.costUsd;
            k.tokens = o.tokensIn + o.tokensOut;
            k.createdAt = jsonio::nowUtc();
            repo.insertCritique(k);
            out.newCritiques << k.id;
            critique = std::move(k);
        }
        if (team.refiner.isEmpty()) {
            out.ok = true;
            co_return out;
        }

        // Stage 3: the Refiner's answer to the critique.
        const SolverAgent refiner = resolve(team.refiner);
        out.refinedId = jobsupport::derivedId("sol", key + QStringLiteral("/refine"));
        if (const auto stored = repo.get(out.refinedId)) {
            addStored(out.tally, stored->callIds, stored->costUsd, stored->tokens);
            out.ok = true;
            co_return out;
        }
        json c = ctx;
        c["solution"] = first->toText().toStdString();
        c["critique"] = critique->toText().toStdString();
        const RenderedPrompt prompt = m_templates.render(QStringLiteral("solve.refine"), c);
        if (!prompt.ok())
            throw ValidationError(QStringLiteral("template"), prompt.id, prompt.error);
        StructuredCallSpec spec =
            makeSpec(prompt, refiner.systemPrompt, jobsupport::schema("solution"),
                     QStringLiteral("solution"), kSaltRefine);
        spec.call.request.agent = refiner.context;
        const StructuredOutcome o = co_await caller.call(std::move(spec));
        out.tally.add(o);
        if (!o.ok()) {
            out.error = stageError("refine", refiner, o);
            out.llmError = o.error;
            out.refinedId.clear();
            co_return out;
        }
        Solution r;
        r.id = out.refinedId;
        r.problemId = problem.id;
        r.agentVersionId = refiner.versionId;
        r.stage = SolutionStage::Refine;
        r.refinedFrom = first->id;
        r.critiqueId = critique->id;
        r.jobId = jobId;
        r.body = bodyFrom(*o.value);
        r.callIds = o.callIds;
        r.costUsd = o.costUsd;
        r.tokens = o.tokensIn + o.tokensOut;
        r.createdAt = jsonio::nowUtc();
        repo.insert(r);
        out.newSolutions << r.id;
        out.ok = true;
    } catch (const ValidationError &e) {
        out.ok = false;
        out.error = e.message();
    } catch (const std::exception &e) {
        out.ok = false;
        out.error = QString::fromUtf8(e.what());
    }
    co_return out;
}

} // namespace crucible
