#include "core/evolve/evolverunner.h"

#include "core/agents/agentpromptrenderer.h"
#include "core/engine/jobsupport.h"
#include "core/evaluate/qualityverifier.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solvepipeline.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/solution.h"

#include <QStringBuilder>

#include <algorithm>
#include <ctime>

namespace crucible::evolve {

using nlohmann::json;

namespace {

constexpr int kSolutionExcerpt = 700;

// Cuts repairs and truncation retries so that the call makes at most `allowed` calls.
void fitRetries(StructuredCallSpec &spec, int allowed)
{
    const int extra = std::max(0, allowed - 1);
    spec.maxRepairs = std::min(spec.maxRepairs, extra);
    spec.maxTruncationRetries = std::min(spec.maxTruncationRetries, extra - spec.maxRepairs);
}

QString describeFailure(const char *what, const StructuredOutcome &o)
{
    QString why = o.error.describe();
    if (!o.lastErrors.isEmpty())
        why += QStringLiteral(" (last answer: %1)").arg(o.lastErrors.join(QStringLiteral("; ")));
    return QString::fromLatin1(what) % QStringLiteral(" failed: ") % why;
}

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

EvolveRunner::EvolveRunner(LlmClient &client, const PromptTemplates &templates,
                           std::map<QString, Problem> problems, EvolveRunnerSetup setup)
    : m_client(client)
    , m_templates(templates)
    , m_problems(std::move(problems))
    , m_setup(std::move(setup))
{
    if (m_setup.aspects.isEmpty())
        m_setup.aspects = Rubric::defaultAspects();
}

QString EvolveRunner::candidateKey(const QString &runId, int candidate)
{
    return runId % QStringLiteral("/c") % QString::number(candidate);
}

QCoro::Task<TaskResult> EvolveRunner::run(EvolveTask task, int callsAllowed)
{
    TaskResult r;
    if (task.calls > callsAllowed) {
        r.error = QStringLiteral("the %1 task needs %2 call(s) but the budget has %3 left")
                      .arg(EvolveTask::kindName(task.kind))
                      .arg(task.calls)
                      .arg(callsAllowed);
        co_return r;
    }
    try {
        if (task.kind == EvolveTask::Kind::Evaluate) {
            TaskResult e = co_await evaluate(std::move(task), callsAllowed);
            co_return e;
        }
        if (task.kind == EvolveTask::Kind::Reflect) {
            TaskResult f = co_await reflect(std::move(task), callsAllowed);
            co_return f;
        }
    } catch (const std::exception &e) {
        r.error = QString::fromUtf8(e.what());
        co_return r;
    }
    r.error = QStringLiteral("a finished task has no work to run");
    co_return r;
}

QCoro::Task<TaskResult> EvolveRunner::evaluate(EvolveTask task, int callsAllowed)
{
    TaskResult r;
    const auto problemIt = m_problems.find(task.problemId);
    if (problemIt == m_problems.end()) {
        r.error =
            QStringLiteral("problem %1 is not in this run's dataset any more").arg(task.problemId);
        co_return r;
    }
    const Problem &problem = problemIt->second;
    const AgentPrompt system = AgentPromptRenderer(m_templates).render(task.definition);
    if (!system.ok()) {
        r.error = QStringLiteral("rendering the candidate's system prompt failed: ") % system.error;
        co_return r;
    }
    AgentContext agent;
    agent.versionId = candidateKey(m_setup.runId, task.candidate);
    agent.role = task.definition.role;
    agent.traits = task.definition.traits;
    agent.instructions = task.definition.instructions;

    auto makeSpec = [this](const RenderedPrompt &prompt, const QString &systemPrompt) {
        StructuredCallSpec spec;
        spec.call.providerId = m_setup.providerId;
        spec.call.request.model = m_setup.model;
        spec.call.request.system = systemPrompt;
        spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
        spec.call.request.temperature = m_setup.temperature;
        spec.call.request.maxTokens = m_setup.maxTokens;
        spec.call.jobId = m_setup.jobId;
        spec.call.templateId = prompt.id;
        spec.call.templateVersion = prompt.version;
        spec.call.budget = m_setup.budget;
        spec.call.cancel = m_setup.cancel;
        return spec;
    };

    // The candidate solves.
    const json ctx = SolvePipeline::problemContext(problem);
    const RenderedPrompt solvePrompt = m_templates.render(QStringLiteral("solve.generate"), ctx);
    if (!solvePrompt.ok()) {
        r.error = solvePrompt.error;
        co_return r;
    }
    StructuredCallSpec solve = makeSpec(solvePrompt, system.text);
    solve.call.request.agent = agent;
    solve.schema = jobsupport::schema("solution");
    solve.schemaName = QStringLiteral("solution");
    fitRetries(solve, callsAllowed - 1); // one call stays for the judge
    StructuredCaller caller(m_client, m_templates);
    const StructuredOutcome solved = co_await caller.call(std::move(solve));
    r.calls += static_cast<int>(solved.callIds.size());
    r.tokens += solved.tokensIn + solved.tokensOut;
    if (!solved.ok()) {
        r.error = describeFailure("solving", solved);
        r.errorKind = solved.error.kind;
        co_return r;
    }
    Solution solution;
    solution.body = SolutionBody::fromJson(*solved.value);
    const QString text = solution.toText();

    // The judge scores it against the problem's rubric.
    const Rubric rubric = Rubric::compile(problem, m_setup.aspects);
    json judgeCtx = ctx;
    judgeCtx["rubric"] = rubric.text.toStdString();
    judgeCtx["rubric_version"] = rubric.version.toStdString();
    judgeCtx["solution"] = text.toStdString();
    judgeCtx["aspect_list"] = m_setup.aspects.join(QStringLiteral(", ")).toStdString();
    if (m_setup.calibration.is_object())
        judgeCtx.update(m_setup.calibration);
    const RenderedPrompt judgePrompt =
        m_templates.render(QStringLiteral("evaluate.solution"), judgeCtx);
    if (!judgePrompt.ok()) {
        r.error = judgePrompt.error;
        co_return r;
    }
    StructuredCallSpec judge = makeSpec(judgePrompt, m_setup.judge.systemPrompt);
    judge.call.request.agent = m_setup.judge.context;
    judge.schema = QualityVerifier::judgeSchema(m_setup.aspects);
    judge.schemaName = QStringLiteral("verdict");
    judge.call.request.temperature = 0.0;
    fitRetries(judge, callsAllowed - r.calls);
    const StructuredOutcome judged = co_await caller.call(std::move(judge));
    r.calls += static_cast<int>(judged.callIds.size());
    r.tokens += judged.tokensIn + judged.tokensOut;
    if (!judged.ok()) {
        r.error = describeFailure("judging", judged);
        r.errorKind = judged.error.kind;
        co_return r;
    }
    QualityScores scores;
    QStringList feedback;
    feedback << QString::fromStdString(judged.value->value("summary", std::string()));
    const json aspects = judged.value->value("scores", json::object());
    for (const QString &a : m_setup.aspects) {
        const json s = aspects.value(a.toStdString(), json::object());
        AspectScore score;
        score.score = std::clamp(s.value("score", 0.0), 0.0, 1.0);
        score.rationale = QString::fromStdString(s.value("rationale", std::string()));
        scores.aspects[a] = score;
        r.score.aspects[a] = score.score;
        feedback << a % QStringLiteral(": ") % score.rationale;
    }
    r.score.score = QualityVerifier::overallOf(scores);
    r.score.feedback = feedback.join(u'\n');
    r.score.solution = text.left(kSolutionExcerpt);
    r.score.tokens = r.tokens;
    r.score.solutionTokens = solved.tokensOut;
    r.ok = true;
    co_return r;
}

QCoro::Task<TaskResult> EvolveRunner::reflect(EvolveTask task, int callsAllowed)
{
    TaskResult r;
    QString title = task.definition.role;
    title.replace(u'_', u' ').replace(u'-', u' ');
    json traces = json::array();
    int n = 0;
    QString domain;
    for (const json &t : task.traces) {
        const QString id = QString::fromStdString(t.value("problem_id", std::string()));
        const auto it = m_problems.find(id);
        const QString statement = it == m_problems.end() ? id : it->second.statement;
        if (it != m_problems.end() && domain.isEmpty())
            domain = it->second.domain;
        traces.push_back({{"n", ++n},
                          {"problem", statement.left(400).toStdString()},
                          {"solution", t.value("solution", std::string())},
                          {"score", QString::number(t.value("score", 0.0), 'f', 2).toStdString()},
                          {"feedback", t.value("feedback", std::string())}});
    }
    if (domain.isEmpty() && !m_problems.empty())
        domain = m_problems.begin()->second.domain;
    const json ctx = {{"role_title", title.toStdString()},
                      {"role_article", !title.isEmpty() && QStringLiteral("aeiou").contains(
                                                               title.at(0), Qt::CaseInsensitive)
                                           ? "an"
                                           : "a"},
                      {"domain", domain.isEmpty() ? std::string("general") : domain.toStdString()},
                      {"lessons", task.definition.instructions},
                      {"traces", traces},
                      {"trace_count", n},
                      {"max_lessons", Agent::kMaxInstructions}};
    const RenderedPrompt prompt = m_templates.render(QStringLiteral("evolve.reflect"), ctx);
    if (!prompt.ok()) {
        r.error = prompt.error;
        co_return r;
    }
    StructuredCallSpec spec;
    spec.call.providerId = m_setup.providerId;
    spec.call.request.model = m_setup.model;
    spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    spec.call.request.temperature = m_setup.temperature;
    spec.call.request.maxTokens = m_setup.maxTokens;
    // Two reflections on the same traces are two samples, not one cached answer.
    spec.call.request.sampleIndex = task.sample;
    spec.call.request.agent.versionId = candidateKey(m_setup.runId, task.candidate);
    spec.call.jobId = m_setup.jobId;
    spec.call.templateId = prompt.id;
    spec.call.templateVersion = prompt.version;
    spec.call.budget = m_setup.budget;
    spec.call.cancel = m_setup.cancel;
    spec.schema = jobsupport::schema("reflection");
    spec.schemaName = QStringLiteral("reflection");
    fitRetries(spec, callsAllowed);
    StructuredCaller caller(m_client, m_templates);
    const StructuredOutcome o = co_await caller.call(std::move(spec));
    r.calls = static_cast<int>(o.callIds.size());
    r.tokens = o.tokensIn + o.tokensOut;
    if (!o.ok()) {
        r.error = describeFailure("reflecting", o);
        r.errorKind = o.error.kind;
        co_return r;
    }
    r.analysis = QString::fromStdString(o.value->value("analysis", std::string()));
    for (const json &l : o.value->value("lessons", json::array()))
        if (l.is_string())
            r.lessons << QString::fromStdString(l.get<std::string>());
    r.ok = true;
    co_return r;
}

QCoro::Task<DriveOutcome> drive(Optimiser &optimiser, EvolveRunner &runner, DriveOptions options)
{
    DriveOutcome out;
    while (!options.cancel.isCancelled()) {
        qint64 started = threadCpuNs();
        const EvolveTask task = optimiser.next();
        out.engineCpuNs += threadCpuNs() - started;
        if (task.kind == EvolveTask::Kind::Finished)
            break;
        // A cycle starts only when the call budget pays for all of it, but schema repairs may
        // have used calls it counted on: then the run ends here at its budget, normally.
        if (optimiser.budget().maxCalls > 0 && task.calls > optimiser.budget().remaining()) {
            optimiser.finish(QStringLiteral("budget"));
            break;
        }
        const TaskResult result = co_await runner.run(task, optimiser.budget().remaining());
        if (!result.ok && result.errorKind == LlmError::Kind::Budget) {
            // The token or USD budget refused the next call: the run ends here, normally.
            optimiser.finish(QStringLiteral("budget (tokens or USD): ") % result.error);
            break;
        }
        if (!result.ok && result.errorKind == LlmError::Kind::Cancelled)
            break;
        if (!result.ok) {
            out.ok = false;
            out.error = QStringLiteral("%1 of candidate %2%3: %4")
                            .arg(EvolveTask::kindName(task.kind))
                            .arg(task.candidate)
                            .arg(task.problemId.isEmpty()
                                     ? QString()
                                     : QString(QStringLiteral(" on problem ") % task.problemId),
                                 result.error);
            break;
        }
        started = threadCpuNs();
        optimiser.complete(task, result);
        ++out.tasks;
        if (options.checkpoint)
            options.checkpoint(optimiser);
        out.engineCpuNs += threadCpuNs() - started;
    }
    co_return out;
}

} // namespace crucible::evolve
