#include "core/evaluate/tournamentjob.h"

#include "core/evaluate/pairwisejudge.h"
#include "core/evaluate/pipelinetournamentsolver.h"
#include "core/evaluate/ratingcalculator.h"
#include "core/evaluate/solveragent.h"
#include "core/evaluate/tournamentpairing.h"
#include "core/feedback/judgechoice.h"
#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"

#include <QCoro/QCoroFuture>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

const QString kSolveGroup = QStringLiteral("solve");
const QString kPairingGroup = QStringLiteral("pairing");
const QString kCompareGroup = QStringLiteral("compare");

std::string s(const QString &text)
{
    return text.toStdString();
}

// Name of an agent version: "<agent name> v<version>", or "" when it does not exist.
QString versionName(Workspace &ws, const QString &versionId)
{
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT a.name, v.version FROM agent_versions v "
                                            "JOIN agents a ON a.id = v.agent_id WHERE v.id = ?"));
    q.addBindValue(versionId);
    Workspace::execPrepared(q, QStringLiteral("Reading agent version %1").arg(versionId));
    if (!q.next())
        return {};
    return QStringLiteral("%1 v%2").arg(q.value(0).toString()).arg(q.value(1).toInt());
}

QString problemPrompt(const Problem &p)
{
    QString text = p.statement;
    if (!p.constraints.isEmpty())
        text += QStringLiteral("\n\nConstraints:\n- ") + p.constraints.join(QStringLiteral("\n- "));
    if (!p.successCriteria.isEmpty())
        text += QStringLiteral("\n\nSuccess criteria:\n- ") +
                p.successCriteria.join(QStringLiteral("\n- "));
    return text;
}

QString joinDistinct(const QStringList &parts)
{
    QStringList out;
    for (const QString &p : parts)
        if (!p.isEmpty() && !out.contains(p))
            out << p;
    return out.join(QStringLiteral("\n"));
}

} // namespace

TournamentJob::TournamentJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                             std::shared_ptr<TournamentSolver> solver, QObject *parent)
    : EngineJob(parent)
    , m_ws(ws)
    , m_client(client)
    , m_templates(templates)
    , m_solver(std::move(solver))
{
}

TournamentJob::TournamentJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                             QObject *parent)
    : TournamentJob(ws, client, templates,
                    std::make_shared<PipelineTournamentSolver>(ws, client, templates), parent)
{
}

TournamentJob::~TournamentJob() = default;

QString TournamentJob::create(Workspace &ws, const json &params)
{
    return create(ws, specFromParams(ws, params));
}

TournamentSpec TournamentJob::specFromParams(Workspace &ws, const json &params)
{
    TournamentSpec spec = TournamentSpec::fromJson(params);
    const QString datasetId = jsonio::stringOr(params, "dataset_id");
    if (!datasetId.isEmpty()) {
        const auto dataset = DatasetRepository(ws).get(datasetId);
        if (!dataset)
            throw ValidationError(QStringLiteral("dataset_id"), datasetId,
                                  QStringLiteral("no such dataset in this workspace"));
        spec.problems = dataset->problemIds;
    }
    const auto version = [&ws](const QString &id, const char *field) {
        if (id.isEmpty())
            return id;
        const auto agent = findSolverAgent(ws, id);
        if (!agent)
            throw ValidationError(QString::fromLatin1(field), id,
                                  QStringLiteral("no such agent or agent version in this "
                                                 "workspace"));
        return agent->versionId;
    };
    for (TournamentEntrant &e : spec.entrants) {
        e.generator = version(e.generator, "entrants.generator");
        e.critic = version(e.critic, "entrants.critic");
        e.refiner = version(e.refiner, "entrants.refiner");
        e.key = TournamentEntrant::teamKey(e.generator, e.critic, e.refiner);
    }
    for (QString &j : spec.judges)
        j = version(j, "judges");
    if (spec.judges.isEmpty()) {
        // None named: the evaluator that agrees best with people, else the newest.
        const auto judge = chooseJudge(ws);
        if (!judge)
            throw ValidationError(QStringLiteral("judges"), QStringLiteral("none"),
                                  QStringLiteral("no evaluator agent: create one (Agents panel "
                                                 "or crucible-cli agents WS create --role "
                                                 "evaluator) or name a judge"));
        spec.judges << judge->versionId;
        spec.judgeChoice = judge->toJson();
    } else if (spec.judgeChoice.is_object() &&
               spec.judges != QStringList{jsonio::stringOr(spec.judgeChoice, "judge_version_id")}) {
        spec.judgeChoice = nullptr; // the judges were named
    }
    return spec;
}

QString TournamentJob::create(Workspace &ws, TournamentSpec spec, QString *tournamentId)
{
    std::vector<ValidationIssue> issues;
    if (spec.format != u"round-robin" && spec.format != u"swiss")
        issues.push_back({QStringLiteral("format"), spec.format,
                          QStringLiteral("must be round-robin or swiss")});
    if (spec.entrants.size() < 2)
        issues.push_back({QStringLiteral("entrants"), QString::number(spec.entrants.size()),
                          QStringLiteral("a tournament needs at least two entrants")});
    if (spec.problems.isEmpty())
        issues.push_back({QStringLiteral("problems"), QStringLiteral("none"),
                          QStringLiteral("name at least one problem (or a dataset)")});
    if (spec.judges.isEmpty())
        issues.push_back({QStringLiteral("judges"), QStringLiteral("none"),
                          QStringLiteral("name the judge agent version (--judge)")});
    if (spec.concurrency < 1)
        issues.push_back({QStringLiteral("concurrency"), QString::number(spec.concurrency),
                          QStringLiteral("must be at least 1")});
    QStringList keys;
    for (TournamentEntrant &e : spec.entrants) {
        const QString field = QStringLiteral("entrants[%1]").arg(keys.size());
        if (e.critic.isEmpty() != e.refiner.isEmpty())
            issues.push_back(
                {field, e.key, QStringLiteral("a team needs both a critic and a refiner")});
        e.key = TournamentEntrant::teamKey(e.generator, e.critic, e.refiner);
        if (keys.contains(e.key))
            issues.push_back({field, e.key, QStringLiteral("entrants must differ")});
        keys << e.key;
        QStringList names;
        for (const QString &v : {e.generator, e.critic, e.refiner}) {
            if (v.isEmpty())
                continue;
            const QString name = versionName(ws, v);
            if (name.isEmpty())
                issues.push_back({field, v,
                                  QStringLiteral("no such agent version in this workspace "
                                                 "(list them with: crucible-cli agents WS list)")});
            names << name;
        }
        if (e.name.isEmpty())
            e.name = names.join(QStringLiteral(" + "));
    }
    for (const QString &j : spec.judges)
        if (versionName(ws, j).isEmpty())
            issues.push_back({QStringLiteral("judges"), j,
                              QStringLiteral("no such agent version in this workspace")});
    spec.problems.removeDuplicates();
    ProblemRepository problems(ws);
    for (const QString &p : spec.problems)
        if (!problems.get(p))
            issues.push_back({QStringLiteral("problems"), p,
                              QStringLiteral("no such problem in this workspace")});
    throwIfInvalid(std::move(issues));

    TournamentRecord t;
    t.id = jsonio::newId("trn");
    t.name = spec.name;
    t.format = spec.format;
    json entrants = json::array();
    for (const TournamentEntrant &e : spec.entrants)
        entrants.push_back(e.toJson());
    t.params = {{"entrants", entrants},
                {"problems", json(spec.problems)},
                {"judges", json(spec.judges)},
                {"rounds", spec.rounds},
                {"concurrency", spec.concurrency}};
    JobRecord job;
    job.id = jsonio::newId("job");
    job.kind = QString::fromLatin1(kKind);
    // "provider" at the top level like every job's: `resume` points it at the provider given then.
    job.params = {
        {"tournament_id", s(t.id)}, {"provider", s(spec.providerId)}, {"spec", spec.toJson()}};
    t.jobId = job.id;
    Workspace::Transaction tx(ws);
    TournamentRepository(ws).createTournament(t);
    JobRepository(ws).create(job);
    tx.commit();
    if (tournamentId)
        *tournamentId = t.id;
    return job.id;
}

QString TournamentJob::tournamentOf(Workspace &ws, const QString &jobId)
{
    const auto job = JobRepository(ws).get(jobId);
    if (!job || job->kind != QLatin1String(kKind))
        return {};
    return jsonio::stringOr(job->params, "tournament_id");
}

int TournamentJob::roundCount(const TournamentSpec &spec)
{
    const int n = static_cast<int>(spec.entrants.size());
    if (n < 2)
        return 0;
    const int roundRobin = n % 2 == 0 ? n - 1 : n;
    if (spec.format != u"swiss")
        return roundRobin;
    const int wanted = spec.rounds > 0 ? spec.rounds : TournamentPairing::swissRounds(n);
    return std::min(wanted, roundRobin);
}

int TournamentJob::plannedComparisons(const TournamentSpec &spec)
{
    const int n = static_cast<int>(spec.entrants.size());
    return roundCount(spec) * (n / 2) * static_cast<int>(spec.problems.size()) *
           static_cast<int>(spec.judges.size());
}

void TournamentJob::cancel()
{
    m_cancel.cancel();
    if (m_solver)
        m_solver->cancel();
}

void TournamentJob::loadState()
{
    const auto job = JobRepository(m_ws).get(m_jobId);
    if (!job)
        throw ValidationError(QStringLiteral("job"), m_jobId,
                              QStringLiteral("no such job in this workspace"));
    if (job->kind != QLatin1String(kKind))
        throw ValidationError(QStringLiteral("job"), m_jobId,
                              QStringLiteral("is a %1 job, not a tournament").arg(job->kind));
    m_spec = TournamentSpec::fromJson(job->params.value("spec", json::object()));
    if (!jsonio::stringOr(job->params, "provider").isEmpty())
        m_spec.providerId = jsonio::stringOr(job->params, "provider");
    if (job->params.contains("model"))
        m_spec.model = jsonio::stringOr(job->params, "model");
    m_tournamentId = jsonio::stringOr(job->params, "tournament_id");
    m_units = JobRepository(m_ws).units(m_jobId);
    m_solutions.clear();
    m_accepted = m_failed = m_inFlight = m_unitsStarted = 0;
    m_consecutiveUnreachable = 0;
    m_cost = 0;
    m_unpriced = false;
    m_tokens = 0;
    m_calls = 0;
    m_fatal.clear();
    m_nextUnit = 0;
    for (const JobUnit &u : m_units) {
        m_nextUnit = std::max(m_nextUnit, u.unit + 1);
        if (!u.finished || u.group == kPairingGroup)
            continue;
        recordUnit(u.result);
        if (u.group == kSolveGroup && u.result.contains("solution_id"))
            m_solutions[{jsonio::stringOr(u.input, "entrant"),
                         jsonio::stringOr(u.input, "problem")}] =
                jsonio::stringOr(u.result, "solution_id");
    }
    m_judgePrompts.clear();
    m_judgeAgents.clear();
    for (const QString &judge : m_spec.judges) {
        QSqlQuery q =
            m_ws.prepare(QStringLiteral("SELECT system_prompt FROM agent_versions WHERE id = ?"));
        q.addBindValue(judge);
        Workspace::execPrepared(q, QStringLiteral("Reading judge %1").arg(judge));
        if (!q.next())
            throw ValidationError(QStringLiteral("judges"), judge,
                                  QStringLiteral("the judge agent version no longer exists"));
        m_judgePrompts[judge] = q.value(0).toString();
        m_judgeAgents[judge].versionId = judge;
        try {
            if (const auto agent = findSolverAgent(m_ws, judge))
                m_judgeAgents[judge] = agent->context;
        } catch (const WorkspaceError &) {
            // A definition this version of Crucible cannot read: the id alone identifies it.
        }
    }
    m_budget.reset();
    if (m_spec.budgetUsd > 0) {
        m_budget = std::make_shared<LlmBudget>();
        m_budget->maxUsd = std::max(0.0, m_spec.budgetUsd - m_cost);
    }
}

void TournamentJob::recordUnit(const json &result)
{
    if (result.contains("skipped") || result.contains("error") ||
        result.value("winner", std::string()) == "failed")
        ++m_failed;
    else
        ++m_accepted;
    if (result.contains("cost_usd") && result["cost_usd"].is_number())
        m_cost += result["cost_usd"].get<double>();
    else if (result.value("calls", 0) > 0)
        m_unpriced = true;
    m_tokens += result.value("tokens", qint64{0});
    m_calls += result.value("calls", 0);
}

void TournamentJob::emitProgress()
{
    JobProgress p;
    p.jobId = m_jobId;
    p.kind = QString::fromLatin1(kKind);
    p.accepted = m_accepted;
    p.rejected = m_failed;
    p.target = static_cast<int>(m_spec.entrants.size() * m_spec.problems.size()) +
               plannedComparisons(m_spec);
    p.budget = p.target;
    p.unitsStarted = m_unitsStarted;
    p.inFlight = m_inFlight;
    p.costUsd = m_cost;
    p.unpriced = m_unpriced;
    p.tokens = m_tokens;
    p.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    const int done = m_accepted + m_failed;
    if (m_unitsStarted > 0 && done > 0 && p.target > done)
        p.etaMs = p.elapsedMs * (p.target - done) / std::max(1, m_unitsStarted);
    JobRepository(m_ws).setProgress(m_jobId, done, p.target);
    emit progressChanged(p);
}

QCoro::Task<EngineJobResult> TournamentJob::run(QString jobId)
{
    EngineJobResult result;
    result.jobId = jobId;
    if (m_running) {
        result.error = QStringLiteral("this tournament job object is already running");
        co_return result;
    }
    m_running = true;
    m_jobId = jobId;
    m_clock.start();
    try {
        loadState();
        if (!m_client.provider(m_spec.providerId))
            throw ValidationError(QStringLiteral("provider"), m_spec.providerId,
                                  QStringLiteral("is not configured here; pass the provider "
                                                 "options the tournament was started with"));
        JobRepository(m_ws).setStatus(jobId, JobStatus::Running);
        if (m_solver)
            m_solver->prepare(m_spec, m_budget);
        emitProgress();
        co_await solvePhase();
        for (int round = 1; round <= roundCount(m_spec); ++round) {
            if (!m_fatal.isEmpty() || m_cancel.isCancelled())
                break;
            co_await roundPhase(round);
        }
        if (m_fatal.isEmpty() && !m_cancel.isCancelled())
            co_await saveRatings(QString(), true);
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
    m_client.flushLedger();
    if (m_cancel.isCancelled())
        result.status = JobStatus::Cancelled;
    else if (!m_fatal.isEmpty())
        result.status = JobStatus::Failed;
    else
        result.status = JobStatus::Completed;
    if (result.status == JobStatus::Failed)
        result.error =
            QStringLiteral("Tournament job %1 stopped: %2. Fix the cause, then resume it "
                           "(crucible-cli resume WS %1); finished comparisons are kept.")
                .arg(jobId, m_fatal);
    else if (result.status == JobStatus::Cancelled)
        result.error = QStringLiteral("Tournament job %1 was cancelled; resume it with "
                                      "crucible-cli resume WS %1.")
                           .arg(jobId);
    try {
        int ties = 0;
        int failed = 0;
        const auto comparisons = TournamentRepository(m_ws).comparisons(m_tournamentId);
        for (const ComparisonRecord &c : comparisons) {
            ties += c.winner == u"tie" ? 1 : 0;
            failed += c.winner == u"failed" ? 1 : 0;
        }
        json ratings = json::array();
        for (const RatingRecord &r : TournamentRepository(m_ws).ratings(m_tournamentId))
            ratings.push_back({{"entrant", s(r.entrant)},
                               {"name", r.doc.value("name", std::string())},
                               {"rating", r.rating},
                               {"ci_low", r.ciLow},
                               {"ci_high", r.ciHigh},
                               {"wins", r.wins},
                               {"losses", r.losses},
                               {"ties", r.ties}});
        result.summary = {{"tournament_id", s(m_tournamentId)},
                          {"comparisons", comparisons.size()},
                          {"ties", ties},
                          {"failed_comparisons", failed},
                          {"tokens", m_tokens},
                          {"ratings", ratings}};
        result.summary["cost_usd"] = m_unpriced ? json(nullptr) : json(m_cost);
        if (m_spec.judgeChoice.is_object())
            result.summary["judge_choice"] = m_spec.judgeChoice;
        // The keys every engine job's summary has (the jobs dock, `crucible-cli resume`).
        const int target = static_cast<int>(m_spec.entrants.size() * m_spec.problems.size()) +
                           plannedComparisons(m_spec);
        result.summary["counts"] = {
            {"done", m_accepted + m_failed}, {"units", target}, {"failed", m_failed}};
        json cost = {{"calls", m_calls}, {"tokens", m_tokens}};
        if (!m_unpriced)
            cost["usd"] = m_cost;
        result.summary["cost"] = cost;
        if (!comparisons.empty())
            result.summary["usd_per_comparison"] =
                m_unpriced ? json(nullptr) : json(m_cost / static_cast<double>(comparisons.size()));
        JobRepository jobs(m_ws);
        jobs.setSummary(jobId, result.summary);
        jobs.setStatus(jobId, result.status, result.error);
        emitProgress();
    } catch (const std::exception &e) {
        result.status = JobStatus::Failed;
        result.error = QStringLiteral("Tournament job %1 could not be saved: %2")
                           .arg(jobId, QString::fromUtf8(e.what()));
    }
    m_running = false;
    co_return result;
}

QCoro::Task<> TournamentJob::worker()
{
    while (!m_queue.empty() && m_fatal.isEmpty() && !m_cancel.isCancelled()) {
        Work work = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_inFlight;
        ++m_unitsStarted;
        emitProgress();
        if (work.solve)
            co_await runSolve(std::move(work.unit));
        else
            co_await runComparison(std::move(work.unit));
        --m_inFlight;
        emitProgress();
    }
}

QCoro::Task<> TournamentJob::solvePhase()
{
    std::set<std::pair<QString, QString>> planned;
    for (const JobUnit &u : m_units)
        if (u.group == kSolveGroup) {
            planned.insert(
                {jsonio::stringOr(u.input, "entrant"), jsonio::stringOr(u.input, "problem")});
            if (!u.finished)
                m_queue.push_back({u, true});
        }
    {
        Workspace::Transaction tx(m_ws);
        for (const TournamentEntrant &e : m_spec.entrants)
            for (const QString &p : m_spec.problems) {
                if (planned.count({e.key, p}))
                    continue;
                JobUnit u;
                u.unit = m_nextUnit++;
                u.group = kSolveGroup;
                u.input = {{"entrant", s(e.key)}, {"problem", s(p)}};
                JobRepository(m_ws).startUnit(m_jobId, u);
                m_queue.push_back({u, true});
            }
        tx.commit();
    }
    std::vector<QCoro::Task<>> workers;
    const int count = std::max(1, m_spec.concurrency);
    for (int i = 0; i < count; ++i)
        workers.push_back(worker());
    for (auto &w : workers)
        co_await std::move(w);
}

QCoro::Task<> TournamentJob::runSolve(JobUnit unit)
{
    const QString key = jsonio::stringOr(unit.input, "entrant");
    const QString problem = jsonio::stringOr(unit.input, "problem");
    const auto entrant = std::find_if(m_spec.entrants.begin(), m_spec.entrants.end(),
                                      [&](const TournamentEntrant &e) { return e.key == key; });
    try {
        if (entrant == m_spec.entrants.end())
            throw ValidationError(QStringLiteral("entrant"), key,
                                  QStringLiteral("is not in this tournament"));
        const QString existing = TournamentSolver::existingSolution(m_ws, *entrant, problem);
        if (!existing.isEmpty()) {
            const json result = {{"solution_id", s(existing)}, {"reused", true}};
            JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
            m_solutions[{key, problem}] = existing;
            recordUnit(result);
            co_return;
        }
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
        co_return;
    }
    if (!m_solver) {
        m_fatal = QStringLiteral("%1 has no solution to problem %2 and this tournament cannot "
                                 "solve problems here; solve them first (crucible-cli solve)")
                      .arg(entrant->name, problem);
        co_return;
    }
    TournamentSolveOutcome outcome = co_await m_solver->solve(*entrant, problem, m_jobId);
    if (outcome.cancelled || m_cancel.isCancelled())
        co_return; // unfinished: the resumed job solves it again (the cache makes it free)
    try {
        if (outcome.solutionId.isEmpty()) {
            ++m_failed;
            if (++m_consecutiveUnreachable >= kFailFastComparisons)
                m_fatal = QStringLiteral("%1 could not solve problem %2: %3")
                              .arg(entrant->name, problem, outcome.error);
            co_return; // left unfinished: retried on resume; its comparisons are skipped now
        }
        m_consecutiveUnreachable = 0;
        json result = {{"solution_id", s(outcome.solutionId)},
                       {"tokens", outcome.tokens},
                       {"calls", outcome.calls}};
        if (outcome.costUsd)
            result["cost_usd"] = *outcome.costUsd;
        JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
        m_solutions[{key, problem}] = outcome.solutionId;
        recordUnit(result);
        emit entitiesAdded(QStringLiteral("solution"), {outcome.solutionId});
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
}

std::vector<JobUnit> TournamentJob::planRound(int round)
{
    std::vector<JobUnit> todo;
    const auto planned = std::find_if(m_units.begin(), m_units.end(), [&](const JobUnit &u) {
        return u.group == kPairingGroup && u.input.value("round", 0) == round;
    });
    if (planned != m_units.end()) {
        if (planned->finished)
            return todo; // played and rated before the job was resumed
        for (const JobUnit &u : m_units)
            if (u.group == kCompareGroup && u.input.value("round", 0) == round && !u.finished)
                todo.push_back(u);
        todo.push_back(*planned); // last: marks the round rated
        return todo;
    }

    const int n = static_cast<int>(m_spec.entrants.size());
    PairingRound pairs;
    if (m_spec.format == u"swiss") {
        std::map<QString, int> index;
        for (int i = 0; i < n; ++i)
            index[m_spec.entrants[static_cast<size_t>(i)].key] = i;
        std::vector<double> scores(static_cast<size_t>(n), 0.0);
        for (const ComparisonRecord &c : TournamentRepository(m_ws).comparisons(m_tournamentId)) {
            if (!index.count(c.entrantA) || !index.count(c.entrantB))
                continue;
            const auto sa = scoreOfA(pairVerdictFromString(c.winner).value_or(PairVerdict::Failed));
            if (!sa)
                continue;
            scores[static_cast<size_t>(index[c.entrantA])] += *sa;
            scores[static_cast<size_t>(index[c.entrantB])] += 1.0 - *sa;
        }
        std::set<std::pair<int, int>> played;
        std::set<int> byes;
        for (const JobUnit &u : m_units) {
            if (u.group != kPairingGroup)
                continue;
            for (const json &p : u.input.value("pairings", json::array()))
                played.insert(TournamentPairing::key(p[0].get<int>(), p[1].get<int>()));
            if (u.input.value("bye", -1) >= 0)
                byes.insert(u.input.value("bye", -1));
        }
        // A bye is worth a tie on every comparison the round would have had.
        for (int b : byes)
            scores[static_cast<size_t>(b)] +=
                0.5 * static_cast<double>(m_spec.problems.size() * m_spec.judges.size());
        pairs = TournamentPairing::swissRound(scores, played, byes, m_spec.seed + round);
    } else {
        const auto rounds = TournamentPairing::roundRobin(n, m_spec.seed);
        if (round >= 1 && round <= static_cast<int>(rounds.size()))
            pairs = rounds[static_cast<size_t>(round - 1)];
    }

    JobUnit pairing;
    pairing.unit = m_nextUnit++;
    pairing.group = kPairingGroup;
    json list = json::array();
    int bye = -1;
    for (const Pairing &p : pairs) {
        if (p.isBye())
            bye = p.a;
        else
            list.push_back({p.a, p.b});
    }
    pairing.input = {{"round", round}, {"pairings", list}, {"bye", bye}};
    Workspace::Transaction tx(m_ws);
    JobRepository jobs(m_ws);
    jobs.startUnit(m_jobId, pairing);
    for (const Pairing &p : pairs) {
        if (p.isBye())
            continue;
        for (const QString &problem : m_spec.problems)
            for (const QString &judge : m_spec.judges) {
                JobUnit u;
                u.unit = m_nextUnit++;
                u.group = kCompareGroup;
                u.input = {{"round", round},
                           {"problem", s(problem)},
                           {"entrant_a", s(m_spec.entrants[static_cast<size_t>(p.a)].key)},
                           {"entrant_b", s(m_spec.entrants[static_cast<size_t>(p.b)].key)},
                           {"judge", s(judge)}};
                jobs.startUnit(m_jobId, u);
                todo.push_back(u);
            }
    }
    tx.commit();
    m_units.push_back(pairing);
    for (const JobUnit &u : todo)
        m_units.push_back(u);
    todo.push_back(pairing);
    return todo;
}

QCoro::Task<> TournamentJob::roundPhase(int round)
{
    std::vector<JobUnit> todo;
    try {
        todo = planRound(round);
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
        co_return;
    }
    if (todo.empty())
        co_return;
    const JobUnit pairing = todo.back();
    todo.pop_back();
    for (JobUnit &u : todo)
        m_queue.push_back({std::move(u), false});
    std::vector<QCoro::Task<>> workers;
    const int count = std::max(1, m_spec.concurrency);
    for (int i = 0; i < count; ++i)
        workers.push_back(worker());
    for (auto &w : workers)
        co_await std::move(w);
    m_queue.clear();
    if (!m_fatal.isEmpty() || m_cancel.isCancelled())
        co_return;
    co_await saveRatings(QStringLiteral("round %1").arg(round), false);
    try {
        if (m_fatal.isEmpty())
            JobRepository(m_ws).finishUnit(m_jobId, pairing.unit, json{{"rated", true}});
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
}

QCoro::Task<> TournamentJob::runComparison(JobUnit unit)
{
    const QString problemId = jsonio::stringOr(unit.input, "problem");
    const QString entrantA = jsonio::stringOr(unit.input, "entrant_a");
    const QString entrantB = jsonio::stringOr(unit.input, "entrant_b");
    const QString judgeId = jsonio::stringOr(unit.input, "judge");
    const auto solA = m_solutions.find({entrantA, problemId});
    const auto solB = m_solutions.find({entrantB, problemId});
    PairwiseJudgeSpec spec;
    std::optional<Problem> problem;
    TournamentRepository repo(m_ws);
    try {
        if (solA == m_solutions.end() || solB == m_solutions.end()) {
            const json result = {
                {"skipped",
                 s(QStringLiteral("no solution of %1 to problem %2")
                       .arg(solA == m_solutions.end() ? entrantA : entrantB, problemId))}};
            JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
            recordUnit(result);
            co_return;
        }
        if (const auto existing =
                repo.comparison(m_tournamentId, solA->second, solB->second, judgeId);
            existing && existing->winner != u"failed") {
            const json result = {{"comparison_id", s(existing->id)},
                                 {"winner", s(existing->winner)},
                                 {"reused", true}};
            JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
            recordUnit(result);
            co_return;
        }
        problem = ProblemRepository(m_ws).get(problemId);
        const auto textA = TournamentSolver::solutionText(m_ws, solA->second);
        const auto textB = TournamentSolver::solutionText(m_ws, solB->second);
        if (!problem || !textA || !textB)
            throw ValidationError(QStringLiteral("comparison"), problemId,
                                  QStringLiteral("its problem or a solution was deleted while "
                                                 "the tournament ran"));
        spec.problem = {problem->domain, problem->statement, problem->constraints,
                        problem->successCriteria};
        spec.a = {textA->id, textA->text, textA->length};
        spec.b = {textB->id, textB->text, textB->length};
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
        co_return;
    }
    spec.judgeVersionId = judgeId;
    spec.judgeSystemPrompt = m_judgePrompts[judgeId];
    spec.judgeAgent = m_judgeAgents[judgeId];
    spec.providerId = m_spec.providerId;
    spec.model = m_spec.model;
    spec.temperature = m_spec.temperature.value_or(0.0);
    spec.maxTokens = m_spec.maxTokens;
    spec.jobId = m_jobId;
    spec.budget = m_budget;
    spec.cancel = m_cancel.token();

    PairwiseJudge judge(m_client, m_templates);
    PairwiseJudgement j = co_await judge.judge(spec);
    if (j.cancelled() || m_cancel.isCancelled())
        co_return; // unfinished: judged again on resume
    if (j.failed() && !j.judgeAnswerInvalid()) {
        // The judge was not reached: not a judgement, so nothing is stored; resume retries it.
        ++m_failed;
        if (++m_consecutiveUnreachable >= kFailFastComparisons)
            m_fatal = QStringLiteral("the judge could not be reached for %1 comparisons in a row "
                                     "(%2)")
                          .arg(kFailFastComparisons)
                          .arg(j.error());
        co_return;
    }
    m_consecutiveUnreachable = 0;

    ComparisonRecord c;
    c.tournamentId = m_tournamentId;
    c.problemId = problemId;
    c.solutionA = spec.a.solutionId;
    c.solutionB = spec.b.solutionId;
    c.entrantA = entrantA;
    c.entrantB = entrantB;
    c.judgeVersionId = judgeId;
    c.verdictAb = toString(j.ab.verdict);
    c.verdictBa = toString(j.ba.verdict);
    c.winner = toString(j.winner);
    c.doc = j.doc();
    c.jobId = m_jobId;
    c.callIds = j.callIds();
    c.costUsd = j.costUsd();
    c.tokens = j.tokens();
    std::optional<PreferencePairRecord> pair;
    if (j.winner == PairVerdict::A || j.winner == PairVerdict::B) {
        const bool aWon = j.winner == PairVerdict::A;
        PreferencePairRecord p;
        p.chosenScore = aWon ? j.meanScoreA() : j.meanScoreB();
        p.rejectedScore = aWon ? j.meanScoreB() : j.meanScoreA();
        const auto assessments = [&](bool ofA) {
            return joinDistinct(ofA ? QStringList{j.ab.assessmentA, j.ba.assessmentA}
                                    : QStringList{j.ab.assessmentB, j.ba.assessmentB});
        };
        p.doc = {{"prompt", s(problemPrompt(*problem))},
                 {"chosen", s(aWon ? spec.a.text : spec.b.text)},
                 {"rejected", s(aWon ? spec.b.text : spec.a.text)},
                 {"chosen_rationale", s(assessments(aWon))},
                 {"rejected_rationale", s(assessments(!aWon))},
                 {"rationale", s(joinDistinct({j.ab.rationale, j.ba.rationale}))},
                 {"judges", {s(judgeId)}}};
        pair = std::move(p);
    }
    try {
        json result = {{"winner", s(c.winner)},
                       {"tokens", c.tokens},
                       {"calls", static_cast<int>(c.callIds.size())}};
        if (c.costUsd)
            result["cost_usd"] = *c.costUsd;
        Workspace::Transaction tx(m_ws);
        repo.addComparison(c, pair);
        result["comparison_id"] = s(c.id);
        JobRepository(m_ws).finishUnit(m_jobId, unit.unit, result);
        tx.commit();
        recordUnit(result);
        emit entitiesAdded(QStringLiteral("comparison"), {c.id});
    } catch (const std::exception &e) {
        m_fatal = QStringLiteral("could not save the comparison of %1 and %2 on problem %3: %4")
                      .arg(entrantA, entrantB, problemId, QString::fromUtf8(e.what()));
    }
}

QCoro::Task<> TournamentJob::saveRatings(const QString &label, bool pooled)
{
    std::vector<ComparisonRecord> comparisons;
    std::map<QString, QString> names;
    try {
        TournamentRepository repo(m_ws);
        comparisons = pooled ? repo.allComparisons() : repo.comparisons(m_tournamentId);
        if (pooled) {
            for (const TournamentRecord &t : repo.tournaments())
                for (const TournamentEntrant &e : t.entrants())
                    names.emplace(e.key, e.name);
        } else {
            for (const TournamentEntrant &e : m_spec.entrants)
                names[e.key] = e.name;
        }
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
        co_return;
    }
    BradleyTerryOptions options;
    options.bootstrapRounds = m_spec.bootstrapRounds;
    options.seed = m_spec.seed;
    // The bootstrap refits a thousand times: off the engine thread.
    QFuture<RatingComputation> future =
        QtConcurrent::run([comparisons = std::move(comparisons), names, options] {
            return RatingCalculator::compute(comparisons, names, options);
        });
    co_await qCoro(future).waitForFinished();
    RatingComputation computed = future.result();
    if (pooled) {
        // Entrants named only because some tournament listed them, with no comparison: skip.
        computed.rows.erase(std::remove_if(computed.rows.begin(), computed.rows.end(),
                                           [](const RatingRecord &r) {
                                               return r.doc.value("comparisons", 0) == 0;
                                           }),
                            computed.rows.end());
    }
    try {
        TournamentRepository(m_ws).saveRatings(
            pooled ? QString() : m_tournamentId, std::move(computed.rows),
            pooled ? QStringLiteral("after %1").arg(m_tournamentId) : label);
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
}

GenerationEstimate TournamentJob::estimate(Workspace &ws, const TournamentSpec &spec,
                                           const PromptTemplates &templates,
                                           const PriceTable &prices, const ProviderConfig &provider)
{
    constexpr qint64 kSolveTokensIn = 900; // a solve, critique or refine prompt
    constexpr qint64 kSolveTokensOut = 700;
    constexpr qint64 kJudgeTokensOut = 350;
    constexpr int kTypicalSolutionChars = 2400;
    GenerationEstimate e;
    qint64 solutionChars = 0;
    int known = 0;
    int missingCalls = 0;
    for (const TournamentEntrant &entrant : spec.entrants)
        for (const QString &p : spec.problems) {
            const QString id = TournamentSolver::existingSolution(ws, entrant, p);
            if (id.isEmpty()) {
                missingCalls += entrant.critic.isEmpty() ? 1 : 3;
                continue;
            }
            if (const auto text = TournamentSolver::solutionText(ws, id)) {
                solutionChars += text->text.size();
                ++known;
            }
        }
    const int comparisons = plannedComparisons(spec);
    const int solution =
        known > 0 ? static_cast<int>(solutionChars / known) : kTypicalSolutionChars;
    json ctx = {{"domain", "general"},
                {"problem", std::string(600, 'x')},
                {"constraints", json::array()},
                {"success_criteria", json::array()},
                {"first", std::string(static_cast<size_t>(solution), 'x')},
                {"second", std::string(static_cast<size_t>(solution), 'x')}};
    const RenderedPrompt prompt =
        templates.render(QString::fromLatin1(PairwiseJudge::kTemplateId), ctx);
    const qint64 judgeIn = estimateTokens(prompt.text) + 150 + 300; // + schema, system prompt
    e.calls = missingCalls + 2 * comparisons;
    e.tokensIn = missingCalls * kSolveTokensIn + 2 * comparisons * judgeIn;
    e.tokensOut = missingCalls * kSolveTokensOut + 2 * comparisons * kJudgeTokensOut;
    e.costUsd = prices.costFor(provider, spec.model, e.tokensIn, e.tokensOut);
    return e;
}

} // namespace crucible
