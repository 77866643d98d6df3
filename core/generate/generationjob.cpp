#include "core/generate/generationjob.h"

#include "core/engine/jobsupport.h"
#include "core/generate/diversity.h"
#include "core/generate/minhash.h"
#include "core/generate/strategies/matrixstrategy.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"

#include <QCoro/QCoroFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kAvoidListSize = 8;
constexpr int kMaxConsecutiveErrors = 5;

using jobsupport::isFatal;

QString excerpt(const QString &text, int n = 160)
{
    QString s = text.simplified();
    return s.size() > n ? s.left(n - 1) + QChar(0x2026) : s;
}

} // namespace

GenerationJob::GenerationJob(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                             QObject *parent)
    : QObject(parent)
    , m_ws(ws)
    , m_client(client)
    , m_templates(templates)
{
    qRegisterMetaType<crucible::JobProgress>();
}

GenerationJob::~GenerationJob() = default;

json GenerationJob::planMatrix(const GenerationSpec &spec)
{
    return MatrixStrategy::planMatrix(spec);
}

json GenerationJob::matrixPlan(const PictModel &model, const CoveringArrayResult &array,
                               int strength, quint64 seed)
{
    return MatrixStrategy::matrixPlan(model, array, strength, seed);
}

QString GenerationJob::create(Workspace &ws, const GenerationSpec &spec, json matrixPlan,
                              const QString &jobId)
{
    throwIfInvalid(spec.validate());
    if (!spec.baseProblemId.isEmpty() && !ProblemRepository(ws).contains(spec.baseProblemId))
        throw ValidationError(QStringLiteral("base_problem_id"), spec.baseProblemId,
                              QStringLiteral("no problem with this id in the workspace"));
    json params = spec.toJson();
    if (spec.kind == GenerationKind::Matrix) {
        if (matrixPlan.is_null())
            matrixPlan = planMatrix(spec);
        params["matrix"] = matrixPlan;
    }
    if (spec.kind == GenerationKind::Dataset || spec.kind == GenerationKind::Matrix) {
        params["dataset_id"] = jsonio::newId("ds").toStdString();
        // The dataset made at the end must be valid too: checked now, before any call.
        Dataset d;
        d.id = QString::fromStdString(params["dataset_id"].get<std::string>());
        d.name = spec.datasetName.isEmpty() ? QStringLiteral("dataset") : spec.datasetName;
        if (spec.kind == GenerationKind::Dataset)
            d.complexityMix = spec.effectiveMix();
        throwIfInvalid(d.validate());
    }
    JobRecord job;
    job.id = jobId.isEmpty() ? jsonio::newId("job") : jobId;
    job.kind = toString(spec.kind);
    job.params = params;
    job.status = JobStatus::Running;
    JobRepository(ws).create(job);
    return job.id;
}

void GenerationJob::cancel()
{
    m_cancel.cancel();
}

void GenerationJob::prepare(const JobRecord &job)
{
    m_ctx = GenerationContext();
    m_ctx.jobId = job.id;
    m_ctx.params = job.params;
    m_ctx.spec = GenerationSpec::fromJson(job.params);
    m_ctx.client = &m_client;
    m_ctx.templates = &m_templates;
    m_ctx.cancel = m_cancel.token();
    if (!m_ctx.spec.baseProblemId.isEmpty()) {
        m_ctx.base = ProblemRepository(m_ws).get(m_ctx.spec.baseProblemId);
        if (!m_ctx.base)
            throw ValidationError(QStringLiteral("base_problem_id"), m_ctx.spec.baseProblemId,
                                  QStringLiteral("the base problem no longer exists"));
        if (m_ctx.spec.domain.isEmpty())
            m_ctx.spec.domain = m_ctx.base->domain;
    }
    m_strategy = GenerationStrategy::make(m_ctx);
    m_groups = m_strategy->planUnits();
    m_target = 0;
    for (const auto &g : m_groups)
        m_target += g.target;
    m_budget = m_ctx.spec.usesLlm() ? m_ctx.spec.effectiveBudget(m_target) : m_target;

    // What earlier runs did.
    m_reruns.clear();
    m_nextUnit = 0;
    m_unitsStarted = 0;
    m_rejected = 0;
    m_cost = 0;
    m_unpriced = false;
    m_tokens = 0;
    m_recentStatements.clear();
    for (const JobUnit &u : JobRepository(m_ws).units(m_ctx.jobId)) {
        m_nextUnit = std::max(m_nextUnit, u.unit + 1);
        ++m_unitsStarted;
        const auto key = GenerationUnitKey::readFrom(m_ctx.spec.kind, u);
        if (!u.finished) {
            m_reruns.push_back({u, key});
            continue;
        }
        const auto &accepted = u.result.value("accepted", json::array());
        if (GenerationGroup *g = group(key))
            g->accepted += static_cast<int>(accepted.size());
        m_rejected += static_cast<int>(u.result.value("rejects", json::array()).size());
        if (u.result.contains("cost_usd") && u.result["cost_usd"].is_number())
            m_cost += u.result["cost_usd"].get<double>();
        else if (u.result.value("calls", 0) > 0)
            m_unpriced = true;
        m_tokens += u.result.value("tokens_in", 0LL) + u.result.value("tokens_out", 0LL);
        for (const auto &s : u.result.value("statements", json::array()))
            if (s.is_string())
                m_recentStatements << QString::fromStdString(s.get<std::string>());
    }
    while (m_recentStatements.size() > kAvoidListSize)
        m_recentStatements.removeFirst();
    m_acceptedAtStart = 0;
    for (const auto &g : m_groups)
        m_acceptedAtStart += g.accepted;
    m_inFlight = 0;
    m_consecutiveErrors = 0;
    m_earlyFailures.clear();
    m_anyAcceptedThisRun = false;
    if (m_ctx.spec.budgetUsd > 0) {
        // The ceiling is the job's: what earlier runs spent counts.
        m_ctx.budget = std::make_shared<LlmBudget>();
        m_ctx.budget->maxUsd = std::max(0.0, m_ctx.spec.budgetUsd - m_cost);
    }
    m_fatal.clear();
    m_nextGroup = 0;
}

GenerationGroup *GenerationJob::group(const std::optional<GenerationUnitKey> &key)
{
    if (!key)
        return nullptr;
    const auto it = std::find_if(m_groups.begin(), m_groups.end(),
                                 [&](const GenerationGroup &g) { return g.key == *key; });
    return it == m_groups.end() ? nullptr : &*it;
}

std::vector<std::pair<QString, QString>> GenerationJob::dedupCorpus() const
{
    std::vector<std::pair<QString, QString>> corpus;
    if (!m_strategy->dedups())
        return corpus;
    // The workspace's problems of this domain (the job's own accepted ones included).
    ProblemFilter filter;
    filter.domain = m_ctx.spec.domain;
    ProblemRepository(m_ws).forEachPage(filter, [&corpus](const std::vector<Problem> &page) {
        for (const Problem &p : page)
            corpus.emplace_back(p.id, p.statement);
    });
    return corpus;
}

std::optional<GenerationJob::PendingUnit> GenerationJob::takeNextUnit()
{
    if (m_cancel.isCancelled() || !m_fatal.isEmpty())
        return std::nullopt;
    auto needs = [](const GenerationGroup &g) { return g.accepted + g.inFlight < g.target; };
    while (!m_reruns.empty()) {
        PendingUnit u = m_reruns.front();
        m_reruns.pop_front();
        GenerationGroup *g = group(u.key);
        if (!g || !needs(*g)) {
            // Its group filled up meanwhile (or is no longer planned): close the unit without
            // output.
            JobRepository(m_ws).finishUnit(m_ctx.jobId, u.unit.unit, json{{"unused", true}});
            continue;
        }
        ++g->inFlight;
        ++m_inFlight;
        return u;
    }
    if (m_unitsStarted >= m_budget)
        return std::nullopt;
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        GenerationGroup &g = m_groups[(m_nextGroup + i) % m_groups.size()];
        if (!needs(g))
            continue;
        m_nextGroup = (m_nextGroup + i + 1) % m_groups.size();
        PendingUnit u;
        u.key = g.key;
        u.unit.unit = m_nextUnit++;
        json avoid = json::array();
        for (const QString &s : m_recentStatements)
            avoid.push_back(excerpt(s, 240).toStdString());
        u.unit.input = {{"avoid", avoid}};
        g.key.writeTo(u.unit);
        JobRepository(m_ws).startUnit(m_ctx.jobId, u.unit);
        ++m_unitsStarted;
        ++g.inFlight;
        ++m_inFlight;
        return u;
    }
    return std::nullopt;
}

QCoro::Task<> GenerationJob::worker()
{
    for (;;) {
        std::optional<PendingUnit> next;
        try {
            next = takeNextUnit();
        } catch (const std::exception &e) {
            m_fatal = QString::fromUtf8(e.what());
        }
        if (!next)
            co_return;
        GenerationUnitOutput output = co_await m_strategy->runUnit(next->unit, *next->key);
        try {
            finishUnit(*next, std::move(output));
        } catch (const std::exception &e) {
            m_fatal = QStringLiteral("could not save unit %1: %2")
                          .arg(next->unit.unit)
                          .arg(QString::fromUtf8(e.what()));
        }
    }
}

void GenerationJob::finishUnit(const PendingUnit &pending, GenerationUnitOutput output)
{
    const JobUnit &unit = pending.unit;
    GenerationGroup *group = this->group(pending.key);
    Q_ASSERT(group);
    --group->inFlight;
    --m_inFlight;

    json result = {{"calls", output.callIds.size()},
                   {"call_ids", output.callIds},
                   {"tokens_in", output.tokensIn},
                   {"tokens_out", output.tokensOut},
                   {"cache_hits", output.cacheHits}};
    if (output.cost)
        result["cost_usd"] = *output.cost;
    json accepted = json::array();
    json rejects = output.rejects;
    json statements = json::array();
    QStringList problemIds;
    QStringList interactionIds;

    if (output.error.isError()) {
        if (output.error.kind != LlmError::Kind::Cancelled)
            rejects.push_back(
                {{"reason",
                  output.error.kind == LlmError::Kind::InvalidOutput ? "invalid" : "llm_error"},
                 {"detail", output.error.describe().toStdString()},
                 {"complexity", pending.key->groupName().toStdString()},
                 {"statement", ""},
                 {"call_ids", output.callIds}});
        if (output.error.kind == LlmError::Kind::Cancelled) {
            // Not a reject: the unit runs again on resume with the same input.
            result["cancelled"] = true;
        } else if (isFatal(output.error)) {
            m_fatal = output.error.describe();
        } else if (output.error.kind != LlmError::Kind::InvalidOutput &&
                   ++m_consecutiveErrors >= kMaxConsecutiveErrors) {
            m_fatal = QStringLiteral("%1 units in a row failed; the last error: %2. Check the "
                                     "provider in Settings → LLM Providers (key, base URL, "
                                     "model) and that it is reachable; then resume the job.")
                          .arg(kMaxConsecutiveErrors)
                          .arg(output.error.describe());
        }
    } else {
        m_consecutiveErrors = 0;
    }

    Workspace::Transaction tx(m_ws);
    ProblemRepository problems(m_ws);
    EntityStore entities(m_ws);
    std::vector<std::pair<QString, NearDuplicateIndex::Signature>> added;
    for (GenerationCandidate &c : output.candidates) {
        if (group->accepted >= group->target) {
            result["unused"] = result.value("unused", 0) + 1;
            continue;
        }
        if (c.interaction) {
            const auto issues = c.interaction->validate();
            if (!issues.empty()) {
                rejects.push_back({{"reason", "invalid"},
                                   {"detail", issues.front().toString().toStdString()},
                                   {"call_ids", output.callIds}});
                continue;
            }
            entities.put(*c.interaction);
            accepted.push_back(c.interaction->id.toStdString());
            interactionIds << c.interaction->id;
            ++group->accepted;
            continue;
        }
        Problem &p = *c.problem;
        const auto issues = p.validate();
        if (!issues.empty()) {
            rejects.push_back({{"reason", "invalid"},
                               {"detail", issues.front().toString().toStdString()},
                               {"complexity", toString(p.complexity).toStdString()},
                               {"statement", excerpt(p.statement, 400).toStdString()},
                               {"call_ids", output.callIds}});
            continue;
        }
        auto sig = m_dedup->signature(p.statement);
        if (m_strategy->dedups()) {
            if (const auto near = m_dedup->findNear(sig)) {
                rejects.push_back({{"reason", "near_duplicate"},
                                   {"detail", QStringLiteral("Jaccard %1 with %2")
                                                  .arg(near->similarity, 0, 'f', 2)
                                                  .arg(near->id)
                                                  .toStdString()},
                                   {"duplicate_of", near->id.toStdString()},
                                   {"complexity", toString(p.complexity).toStdString()},
                                   {"statement", excerpt(p.statement, 400).toStdString()},
                                   {"call_ids", output.callIds}});
                continue;
            }
            // Within the batch too: later candidates of this unit see this one.
            m_dedup->add(p.id, sig);
        }
        problems.insert(p);
        accepted.push_back(p.id.toStdString());
        statements.push_back(excerpt(p.statement, 240).toStdString());
        problemIds << p.id;
        m_recentStatements << p.statement;
        ++group->accepted;
    }
    while (m_recentStatements.size() > kAvoidListSize)
        m_recentStatements.removeFirst();
    result["accepted"] = accepted;
    result["rejects"] = rejects;
    result["statements"] = statements;
    JobRepository jobs(m_ws);
    if (result.value("cancelled", false) && accepted.empty()) {
        // Leave the unit "started": resume repeats it with the same input.
    } else {
        jobs.finishUnit(m_ctx.jobId, unit.unit, result);
    }
    int acceptedTotal = 0;
    for (const auto &g : m_groups)
        acceptedTotal += g.accepted;
    jobs.setProgress(m_ctx.jobId, acceptedTotal, m_target);
    tx.commit();

    m_rejected += static_cast<int>(rejects.size());
    if (output.cost)
        m_cost += *output.cost;
    else if (!output.callIds.isEmpty())
        m_unpriced = true;
    m_tokens += output.tokensIn + output.tokensOut;
    if (!accepted.empty())
        watchEarlyOutcome({}, {}, true);
    else if (!rejects.empty()) {
        const json &first = rejects.front();
        QString category = QString::fromStdString(first.value("reason", std::string("unknown")));
        if (output.error.isError() && output.error.kind != LlmError::Kind::InvalidOutput)
            category += QLatin1Char(':') + QString::number(static_cast<int>(output.error.kind));
        watchEarlyOutcome(category, QString::fromStdString(first.value("detail", std::string())),
                          false);
    }
    if (!problemIds.isEmpty())
        emit problemsAdded(problemIds);
    if (!interactionIds.isEmpty())
        emit interactionsAdded(interactionIds);
    emitProgress();
}

void GenerationJob::emitProgress()
{
    JobProgress p;
    p.jobId = m_ctx.jobId;
    p.kind = toString(m_ctx.spec.kind);
    for (const auto &g : m_groups)
        p.accepted += g.accepted;
    p.target = m_target;
    p.rejected = m_rejected;
    p.unitsStarted = m_unitsStarted;
    p.budget = m_budget;
    p.inFlight = m_inFlight;
    p.costUsd = m_cost;
    p.unpriced = m_unpriced;
    p.tokens = m_tokens;
    p.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    const int madeNow = p.accepted - m_acceptedAtStart;
    if (madeNow > 0 && p.accepted < p.target)
        p.etaMs = static_cast<qint64>(static_cast<double>(p.elapsedMs) / madeNow *
                                      (p.target - p.accepted));
    else if (p.accepted >= p.target)
        p.etaMs = 0;
    emit progressChanged(p);
}

void GenerationJob::watchEarlyOutcome(const QString &category, const QString &detail, bool accepted)
{
    if (m_anyAcceptedThisRun || !m_fatal.isEmpty())
        return;
    if (accepted) {
        m_anyAcceptedThisRun = true;
        m_earlyFailures.clear();
        return;
    }
    m_earlyFailures.emplace_back(category, detail);
    if (static_cast<int>(m_earlyFailures.size()) < kFailFastUnits)
        return;
    for (const auto &f : m_earlyFailures)
        if (f.first != m_earlyFailures.front().first)
            return; // mixed reasons: not one systematic fault
    const QString reason = category.section(QLatin1Char(':'), 0, 0);
    QString what;
    QString todo;
    if (reason == QLatin1String("invalid")) {
        what = QStringLiteral("the model's answers did not fit the expected JSON");
        todo = QStringLiteral("Use a model that follows JSON instructions (a larger or "
                              "instruction-tuned one), lower the temperature, or raise the "
                              "answer limit if answers are cut off; then resume the job");
    } else if (reason == QLatin1String("near_duplicate")) {
        what = QStringLiteral("every answer repeated a problem the workspace already has");
        todo = QStringLiteral("Add context or a narrower domain so the model has something new "
                              "to say, raise the temperature, or raise the near-duplicate "
                              "threshold; then resume the job");
    } else {
        what = QStringLiteral("the calls failed");
        todo = QStringLiteral("Check the provider in Settings → LLM Providers (key, base URL, "
                              "model) and that it is reachable; then resume the job");
    }
    m_fatal = QStringLiteral("Stopped early: the first %1 candidates were all rejected for the "
                             "same reason (%2) — %3. A typical rejection: %4. %5.")
                  .arg(kFailFastUnits)
                  .arg(reason, what, excerpt(detail, 400), todo);
    m_cancel.cancel(); // the calls in flight would most likely fail the same way
}

QString GenerationJob::keptMessage() const
{
    int accepted = 0;
    try {
        // From the store: right even when the run failed before it counted anything.
        const GenerationResult kept = collect(m_ws, m_ctx.jobId);
        accepted = static_cast<int>(kept.problemIds.size() + kept.interactionIds.size());
    } catch (const std::exception &) {
        for (const auto &g : m_groups)
            accepted += g.accepted;
    }
    const QString datasetId =
        QString::fromStdString(m_ctx.params.value("dataset_id", std::string()));
    const QString what = m_strategy && m_strategy->makesInteractions()
                             ? QStringLiteral("interaction(s)")
                             : QStringLiteral("problem(s)");
    if (accepted == 0)
        return QStringLiteral("Nothing was kept");
    if (datasetId.isEmpty())
        return QStringLiteral("The %1 accepted %2 are kept in the workspace (job %3)")
            .arg(accepted)
            .arg(what, m_ctx.jobId);
    return QStringLiteral("The %1 accepted %2 are kept in the workspace but not yet in a "
                          "dataset (they carry job id %3); Resume the job to finish dataset %4, "
                          "or delete the job with its problems")
        .arg(accepted)
        .arg(what, m_ctx.jobId, datasetId);
}

QString GenerationJob::budgetMessage() const
{
    int accepted = 0;
    for (const auto &g : m_groups)
        accepted += g.accepted;
    return QStringLiteral("the candidate budget of %1 units is spent with %2 of %3 accepted "
                          "(%4 rejected); resume with a larger budget (--budget) or relax the "
                          "duplicate threshold")
        .arg(m_budget)
        .arg(accepted)
        .arg(m_target)
        .arg(m_rejected);
}

QCoro::Task<GenerationResult> GenerationJob::run(QString jobId)
{
    GenerationResult result;
    result.jobId = jobId;
    if (m_running) {
        result.error = QStringLiteral("this job object is already running a job");
        co_return result;
    }
    m_running = true;
    m_cancel = CancelSource();
    m_clock.start();
    try {
        const auto job = JobRepository(m_ws).get(jobId);
        if (!job)
            throw ValidationError(QStringLiteral("job"), jobId,
                                  QStringLiteral("no job with this id in the workspace"));
        prepare(*job);
        if (m_ctx.spec.usesLlm() && !m_ctx.spec.providerId.isEmpty() &&
            !m_client.provider(m_ctx.spec.providerId))
            throw ValidationError(QStringLiteral("provider"), m_ctx.spec.providerId,
                                  QStringLiteral("is not configured here; pass the provider "
                                                 "options the job was started with"));
        JobRepository(m_ws).setStatus(jobId, JobStatus::Running);
        NearDuplicateIndex::Options dedupOptions;
        dedupOptions.threshold = m_ctx.spec.dedupThreshold;
        m_dedup = std::make_unique<NearDuplicateIndex>(dedupOptions);
        const auto corpus = dedupCorpus();
        if (!corpus.empty()) {
            // Signing a large workspace takes a while: off this thread (signature() is const
            // and reentrant; the index is only written here).
            const NearDuplicateIndex *index = m_dedup.get();
            auto future = QtConcurrent::run([index, &corpus] {
                std::vector<QString> texts;
                texts.reserve(corpus.size());
                for (const auto &item : corpus)
                    texts.push_back(item.second);
                return index->signatures(texts);
            });
            co_await qCoro(future).waitForFinished();
            auto sigs = future.result();
            for (std::size_t i = 0; i < corpus.size(); ++i)
                m_dedup->add(corpus[i].first, std::move(sigs[i]));
        }
        emitProgress();
        const int workers = m_ctx.spec.usesLlm() ? std::max(1, m_ctx.spec.concurrency) : 1;
        std::vector<QCoro::Task<>> tasks;
        for (int i = 0; i < workers; ++i)
            tasks.push_back(worker());
        for (auto &t : tasks)
            co_await std::move(t);
    } catch (const std::exception &e) {
        m_fatal = QString::fromUtf8(e.what());
    }
    finishJob(result);
    m_running = false;
    co_return result;
}

Dataset GenerationJob::makeDataset(const QString &datasetId) const
{
    const GenerationSpec &spec = m_ctx.spec;
    const GenerationResult collected = collect(m_ws, m_ctx.jobId);
    Dataset d;
    d.id = datasetId;
    d.name = spec.datasetName.isEmpty()
                 ? QStringLiteral("%1 %2 (%3)")
                       .arg(spec.domain.isEmpty() ? QStringLiteral("Matrix") : spec.domain,
                            toString(spec.kind))
                       .arg(collected.problemIds.size())
                 : spec.datasetName;
    d.domain = spec.domain;
    d.problemIds = collected.problemIds;
    d.createdAt = jsonio::nowUtc();
    d.metadata = collected.summary;
    d.metadata["generator"] = toString(spec.kind).toStdString();
    DiversityOptions options;
    m_strategy->describeDataset(d, options.expectedValues);
    // Diversity of what was accepted; cells count only where the kind expects values.
    std::vector<QString> texts;
    std::vector<std::map<QString, QString>> cells;
    ProblemRepository repo(m_ws);
    for (const QString &id : d.problemIds)
        if (const auto p = repo.get(id)) {
            texts.push_back(p->statement);
            cells.push_back(p->matrixCell);
        }
    if (options.expectedValues.empty())
        cells.clear();
    d.metadata["diversity"] = Diversity::measure(texts, cells, options).toJson();
    return d;
}

void GenerationJob::finishJob(GenerationResult &result)
{
    m_client.flushLedger();
    JobStatus status = JobStatus::Completed;
    QString error;
    int accepted = 0;
    for (const auto &g : m_groups)
        accepted += g.accepted;
    if (!m_fatal.isEmpty()) {
        status = JobStatus::Failed;
        error = m_fatal;
        if (!error.endsWith(QLatin1Char('.')))
            error += QLatin1Char('.');
        error += QLatin1Char(' ') + keptMessage() + QLatin1Char('.');
    } else if (m_cancel.isCancelled()) {
        status = JobStatus::Cancelled;
        error = QStringLiteral("cancelled with %1 of %2 accepted; resume to continue")
                    .arg(accepted)
                    .arg(m_target);
    } else if (accepted < m_target) {
        status = JobStatus::Failed;
        error = budgetMessage() + QStringLiteral(". ") + keptMessage() + QLatin1Char('.');
    }
    try {
        if (status == JobStatus::Completed) {
            const QString datasetId =
                QString::fromStdString(m_ctx.params.value("dataset_id", std::string()));
            if (!datasetId.isEmpty() && !DatasetRepository(m_ws).get(datasetId))
                DatasetRepository(m_ws).insert(makeDataset(datasetId));
        }
        GenerationResult collected = collect(m_ws, m_ctx.jobId);
        JobRepository jobs(m_ws);
        jobs.setSummary(m_ctx.jobId, collected.summary);
        jobs.setStatus(m_ctx.jobId, status, error);
        result = collected;
    } catch (const std::exception &e) {
        status = JobStatus::Failed;
        error = QStringLiteral("Could not finish the job: %1. %2.")
                    .arg(QString::fromUtf8(e.what()), keptMessage());
        try {
            JobRepository(m_ws).setStatus(m_ctx.jobId, status, error);
        } catch (const std::exception &) {
            // The workspace itself is failing; the result still says why.
        }
    }
    result.jobId = m_ctx.jobId;
    result.status = status;
    result.error = error;
    emitProgress();
}

GenerationResult GenerationJob::collect(Workspace &ws, const QString &jobId)
{
    GenerationResult r;
    r.jobId = jobId;
    const auto job = JobRepository(ws).get(jobId);
    if (!job) {
        r.error = QStringLiteral("no job with id %1").arg(jobId);
        return r;
    }
    r.status = job->status;
    r.error = job->error;
    const bool interactions = job->kind == QLatin1String("interactions");
    json rejects = json::array();
    std::map<std::string, int> byReason;
    std::map<std::string, int> byGroup;
    double cost = 0;
    bool unpriced = false;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    qint64 calls = 0;
    qint64 cacheHits = 0;
    int units = 0;
    for (const JobUnit &u : JobRepository(ws).units(jobId)) {
        ++units;
        for (const auto &id : u.result.value("accepted", json::array())) {
            (interactions ? r.interactionIds : r.problemIds)
                << QString::fromStdString(id.get<std::string>());
            ++byGroup[u.group.toStdString()];
        }
        for (const auto &rej : u.result.value("rejects", json::array())) {
            ++byReason[rej.value("reason", std::string("unknown"))];
            rejects.push_back(rej);
        }
        if (u.result.contains("cost_usd") && u.result["cost_usd"].is_number())
            cost += u.result["cost_usd"].get<double>();
        else if (u.result.value("calls", 0) > 0)
            unpriced = true;
        tokensIn += u.result.value("tokens_in", 0LL);
        tokensOut += u.result.value("tokens_out", 0LL);
        calls += u.result.value("calls", 0LL);
        cacheHits += u.result.value("cache_hits", 0LL);
    }
    r.rejected = static_cast<int>(rejects.size());
    r.datasetId = QString::fromStdString(job->params.value("dataset_id", std::string()));
    json params = job->params;
    params.erase("matrix");
    json byGroupJson = json::object();
    bool levels = true;
    for (const auto &[g, n] : byGroup) {
        byGroupJson[g] = n;
        levels = levels && complexityFromString(QString::fromStdString(g)).has_value();
    }
    const int accepted = static_cast<int>(r.problemIds.size() + r.interactionIds.size());
    json reasons = json::object();
    for (const auto &[k, n] : byReason)
        reasons[k] = n;
    r.summary = {{"job_id", jobId.toStdString()},
                 {"kind", job->kind.toStdString()},
                 {"parameters", params},
                 {"counts",
                  {{"accepted", accepted},
                   {"rejected", r.rejected},
                   {"candidates", units},
                   {"by_group", byGroupJson},
                   {"rejects_by_reason", reasons}}},
                 {"rejects", rejects},
                 {"cost",
                  {{"usd", unpriced ? json(nullptr) : json(cost)},
                   {"tokens_in", tokensIn},
                   {"tokens_out", tokensOut},
                   {"calls", calls},
                   {"cache_hits", cacheHits}}}};
    if (levels)
        r.summary["counts"]["by_complexity"] = byGroupJson;
    if (!r.datasetId.isEmpty())
        r.summary["dataset_id"] = r.datasetId.toStdString();
    return r;
}

} // namespace crucible
