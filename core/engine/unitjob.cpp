#include "core/engine/unitjob.h"

#include "core/model/jsonsupport.h"
#include "core/store/jobrepository.h"

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

QString excerpt(const QString &text, int n = 300)
{
    QString s = text.simplified();
    return s.size() > n ? s.left(n - 1) + QChar(0x2026) : s;
}

} // namespace

UnitJob::UnitJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                 QObject *parent)
    : EngineJob(parent)
    , m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
    qRegisterMetaType<crucible::JobProgress>();
}

UnitJob::~UnitJob() = default;

void UnitJob::cancel()
{
    m_cancel.cancel();
}

StructuredCallSpec UnitJob::callSpec(const RenderedPrompt &prompt, const QString &system,
                                     const json &schema, const QString &schemaName,
                                     const JobUnit &unit, int salt) const
{
    StructuredCallSpec spec;
    spec.call.providerId = QString::fromStdString(m_params.value("provider", std::string()));
    spec.call.request.system = system;
    spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    spec.call.request.model = QString::fromStdString(m_params.value("model", std::string()));
    if (const auto it = m_params.find("temperature"); it != m_params.end() && it->is_number())
        spec.call.request.temperature = it->get<double>();
    spec.call.request.maxTokens = m_params.value("max_tokens", 1500);
    spec.call.request.sampleIndex = jobsupport::sampleIndexFor(m_jobId, unit.unit, salt);
    spec.call.jobId = m_jobId;
    spec.call.templateId = prompt.id;
    spec.call.templateVersion = prompt.version;
    spec.call.cancel = m_cancel.token();
    spec.call.budget = m_usdBudget;
    spec.schema = schema;
    spec.schemaName = schemaName;
    return spec;
}

std::optional<JobUnit> UnitJob::takeNextUnit()
{
    if (m_cancel.isCancelled() || !m_fatal.isEmpty() || m_todo.empty())
        return std::nullopt;
    const int n = m_todo.front();
    m_todo.pop_front();
    JobUnit u;
    u.unit = n;
    u.group = m_plan[static_cast<std::size_t>(n)].group;
    u.input = m_plan[static_cast<std::size_t>(n)].input;
    JobRepository(m_ws).startUnit(m_jobId, u); // no-op for a unit started before
    ++m_unitsStarted;
    ++m_inFlight;
    return u;
}

QCoro::Task<> UnitJob::worker()
{
    for (;;) {
        std::optional<JobUnit> unit;
        try {
            unit = takeNextUnit();
        } catch (const std::exception &e) {
            m_fatal = QString::fromUtf8(e.what());
        }
        if (!unit)
            co_return;
        UnitOutcome outcome = co_await runUnit(*unit);
        try {
            finishUnit(*unit, std::move(outcome));
        } catch (const std::exception &e) {
            m_fatal = QStringLiteral("could not save unit %1: %2")
                          .arg(unit->unit)
                          .arg(QString::fromUtf8(e.what()));
        }
    }
}

void UnitJob::finishUnit(const JobUnit &unit, UnitOutcome outcome)
{
    --m_inFlight;
    if (!outcome.ok && outcome.llmError.kind == LlmError::Kind::Cancelled &&
        m_cancel.isCancelled()) {
        // Stopped by cancel: the unit stays unfinished and runs again on resume.
        m_tally.add(outcome.tally);
        emitProgress();
        return;
    }
    json result = outcome.tally.toJson();
    result["ok"] = outcome.ok;
    json entities = json::object();
    for (const auto &[kind, ids] : outcome.entities)
        entities[kind.toStdString()] = ids;
    result["entities"] = entities;
    if (!outcome.ok)
        result["error"] = outcome.error.toStdString();
    for (const auto &[k, v] : outcome.extra.items())
        result[k] = v;
    JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
    m_tally.add(outcome.tally);
    if (outcome.ok) {
        ++m_done;
        m_anyDoneThisRun = true;
        m_failedInARow = 0;
    } else {
        ++m_failed;
        ++m_failedInARow;
        if (jobsupport::isFatal(outcome.llmError)) {
            m_fatal = outcome.error;
            m_cancel.cancel();
        } else if (!m_anyDoneThisRun && m_failedInARow >= kFailFastUnits && m_fatal.isEmpty()) {
            m_fatal = QStringLiteral("Stopped early: the first %1 units all failed. The last "
                                     "error: %2. Check the provider (Settings → LLM Providers, "
                                     "or the CLI's provider options) and the agents, then "
                                     "resume the job")
                          .arg(kFailFastUnits)
                          .arg(excerpt(outcome.error));
            m_cancel.cancel();
        }
    }
    for (const auto &[kind, ids] : outcome.entities)
        if (!ids.isEmpty())
            emit entitiesAdded(kind, ids);
    emitProgress();
}

void UnitJob::emitProgress()
{
    JobProgress p;
    p.jobId = m_jobId;
    p.kind = m_kind;
    p.accepted = m_done;
    p.target = static_cast<int>(m_plan.size());
    p.rejected = m_failed;
    p.unitsStarted = m_unitsStarted;
    p.budget = p.target;
    p.inFlight = m_inFlight;
    p.costUsd = m_tally.cost.value_or(0.0);
    p.unpriced = !m_tally.cost.has_value();
    if (!m_tally.cost) {
        // The sum of what was priced is still worth showing.
        p.costUsd = 0;
    }
    p.tokens = m_tally.tokens();
    p.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    const int madeNow = m_done + m_failed - m_doneAtStart;
    const int left = p.target - m_done - m_failed;
    if (left <= 0)
        p.etaMs = 0;
    else if (madeNow > 0)
        p.etaMs = static_cast<qint64>(static_cast<double>(p.elapsedMs) / madeNow * left);
    emit progressChanged(p);
}

QCoro::Task<EngineJobResult> UnitJob::run(QString jobId)
{
    EngineJobResult result;
    result.jobId = jobId;
    if (m_running) {
        result.error = QStringLiteral("this job object is already running a job");
        co_return result;
    }
    m_running = true;
    m_cancel = CancelSource();
    m_clock.start();
    m_jobId = jobId;
    m_fatal.clear();
    m_plan.clear();
    m_todo.clear();
    m_tally = {};
    m_done = m_failed = m_inFlight = m_unitsStarted = m_failedInARow = 0;
    m_anyDoneThisRun = false;
    try {
        JobRepository jobs(m_ws);
        const auto job = jobs.get(jobId);
        if (!job)
            throw ValidationError(QStringLiteral("job"), jobId,
                                  QStringLiteral("no job with this id in the workspace"));
        m_kind = job->kind;
        m_params = job->params;
        const QString provider = QString::fromStdString(m_params.value("provider", std::string()));
        if (!provider.isEmpty() && !m_client.provider(provider))
            throw ValidationError(QStringLiteral("provider"), provider,
                                  QStringLiteral("is not configured here; pass the provider "
                                                 "options the job was started with"));
        m_plan = plan(*job);
        std::vector<bool> finishedOk(m_plan.size(), false);
        for (const JobUnit &u : jobs.units(jobId)) {
            if (u.unit < 0 || u.unit >= static_cast<int>(m_plan.size()) || !u.finished)
                continue;
            ++m_unitsStarted;
            if (u.result.value("ok", false)) {
                finishedOk[static_cast<std::size_t>(u.unit)] = true;
                ++m_done;
                m_tally.add(jobsupport::CallTally::fromJson(u.result));
            }
        }
        for (std::size_t i = 0; i < m_plan.size(); ++i)
            if (!finishedOk[i])
                m_todo.push_back(static_cast<int>(i));
        m_doneAtStart = m_done;
        if (const double usd = m_params.value("budget_usd", 0.0); usd > 0) {
            // The ceiling is the job's: what earlier runs spent counts.
            m_usdBudget = std::make_shared<LlmBudget>();
            m_usdBudget->maxUsd = std::max(0.0, usd - m_tally.cost.value_or(0.0));
        }
        jobs.setStatus(jobId, JobStatus::Running);
        jobs.setProgress(jobId, m_done, static_cast<qint64>(m_plan.size()));
        emitProgress();
        const int workers = std::clamp(m_params.value("concurrency", 8), 1, 256);
        std::vector<QCoro::Task<>> tasks;
        for (int i = 0; i < workers; ++i)
            tasks.push_back(worker());
        for (auto &t : tasks)
            co_await std::move(t);
    } catch (const ValidationError &e) {
        m_fatal = e.message();
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
    finishJob(result);
    m_running = false;
    co_return result;
}

void UnitJob::finishJob(EngineJobResult &result)
{
    m_client.flushLedger();
    JobStatus status = JobStatus::Completed;
    QString error;
    const int total = static_cast<int>(m_plan.size());
    if (!m_fatal.isEmpty()) {
        status = JobStatus::Failed;
        error = m_fatal;
        if (!error.endsWith(QLatin1Char('.')))
            error += QLatin1Char('.');
        error += QStringLiteral(" %1 of %2 units are done and kept; resume the job to continue.")
                     .arg(m_done)
                     .arg(total);
    } else if (m_cancel.isCancelled()) {
        status = JobStatus::Cancelled;
        error = QStringLiteral("cancelled with %1 of %2 units done; resume to continue")
                    .arg(m_done)
                    .arg(total);
    } else if (m_done < total) {
        status = JobStatus::Failed;
        error = QStringLiteral("%1 of %2 units failed (see the job's summary for why); resume "
                               "the job to retry them")
                    .arg(total - m_done)
                    .arg(total);
    }
    try {
        JobRepository jobs(m_ws);
        result.summary = collectSummary(m_ws, m_jobId);
        jobs.setSummary(m_jobId, result.summary);
        jobs.setProgress(m_jobId, m_done, total);
        jobs.setStatus(m_jobId, status, error);
    } catch (const std::exception &e) {
        status = JobStatus::Failed;
        error = QStringLiteral("Could not finish the job: %1").arg(QString::fromUtf8(e.what()));
        try {
            JobRepository(m_ws).setStatus(m_jobId, status, error);
        } catch (const std::exception &) {
            // The workspace itself is failing; the result still says why.
        }
    }
    result.jobId = m_jobId;
    result.status = status;
    result.error = error;
    emitProgress();
}

json UnitJob::collectSummary(Workspace &ws, const QString &jobId)
{
    JobRepository jobs(ws);
    const auto job = jobs.get(jobId);
    if (!job)
        return json::object();
    jobsupport::CallTally tally;
    int done = 0;
    int failed = 0;
    int units = 0;
    json entities = json::object();
    json failures = json::array();
    for (const JobUnit &u : jobs.units(jobId)) {
        ++units;
        if (!u.finished)
            continue;
        tally.add(jobsupport::CallTally::fromJson(u.result));
        if (u.result.value("ok", false))
            ++done;
        else {
            ++failed;
            failures.push_back({{"unit", u.unit},
                                {"group", u.group.toStdString()},
                                {"error", u.result.value("error", std::string())}});
        }
        // A named copy: items() of a temporary would dangle in the range-for.
        const json unitEntities = u.result.value("entities", json::object());
        for (const auto &[kind, ids] : unitEntities.items())
            for (const auto &id : ids)
                entities[kind].push_back(id);
    }
    json cost = tally.toJson();
    cost["usd"] = cost["cost_usd"];
    cost.erase("cost_usd");
    json summary = {{"job_id", jobId.toStdString()},
                    {"kind", job->kind.toStdString()},
                    {"counts",
                     {{"done", done},
                      {"failed", failed},
                      {"units", job->total > 0 ? job->total : units},
                      {"started", units},
                      // The jobs dock's vocabulary (shared with generation).
                      {"accepted", done},
                      {"rejected", failed},
                      {"candidates", units}}},
                    {"entities", entities},
                    {"failures", failures},
                    {"cost", cost}};
    // The judge the job chose itself (none was named), and why (chooseJudge).
    if (job->params.contains("judge_choice"))
        summary["judge_choice"] = job->params["judge_choice"];
    return summary;
}

} // namespace crucible
