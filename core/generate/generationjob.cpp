#include "core/generate/generationjob.h"

#include "core/engine/jobsupport.h"
#include "core/generate/coveringarray.h"
#include "core/generate/diversity.h"
#include "core/generate/minhash.h"
#include "core/generate/pictmodel.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"

#include <QCoro/QCoroFuture>
#include <QFile>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kAvoidListSize = 8;
constexpr int kMaxConsecutiveErrors = 5;

QStringList jlist(const json &j, const char *key)
{
    QStringList out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto &v : *it)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>()).trimmed();
    out.removeAll(QString());
    return out;
}

using jobsupport::isFatal;
using jobsupport::sampleIndexFor;
using jobsupport::schema;

QString excerpt(const QString &text, int n = 160)
{
    QString s = text.simplified();
    return s.size() > n ? s.left(n - 1) + QChar(0x2026) : s;
}

} // namespace

struct GenerationJob::Candidate
{
    std::optional<Problem> problem;
    std::optional<Interaction> interaction;
};

struct GenerationJob::UnitOutput
{
    std::vector<Candidate> candidates;
    json rejects = json::array(); // rejected before becoming a candidate (invalid output)
    LlmError error;
    QStringList callIds;
    std::optional<double> cost = 0.0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    int cacheHits = 0;

    void add(const StructuredOutcome &o)
    {
        callIds << o.callIds;
        tokensIn += o.tokensIn;
        tokensOut += o.tokensOut;
        if (!o.costUsd)
            cost.reset();
        else if (cost)
            *cost += *o.costUsd;
        if (o.cacheHit)
            ++cacheHits;
    }
};

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
    const PictModel model = PictModel::parse(
        spec.pictModel.toStdString(),
        spec.datasetName.isEmpty() ? std::string("model") : spec.datasetName.toStdString());
    CoveringArrayOptions options;
    options.strength = std::min<int>(spec.strength, static_cast<int>(model.parameters.size()));
    options.seed = spec.seed;
    const CoveringArrayResult ca = CoveringArrayGenerator::generate(model, options);
    if (!ca.satisfiable)
        throw std::invalid_argument("the model's constraints allow no row at all");
    return matrixPlan(model, ca, options.strength, spec.seed);
}

json GenerationJob::matrixPlan(const PictModel &model, const CoveringArrayResult &array,
                               int strength, quint64 seed)
{
    json dims = json::array();
    for (const auto &p : model.parameters)
        dims.push_back({{"name", p.name}, {"values", p.values}});
    json rows = json::array();
    for (const auto &row : array.rows) {
        json r = json::array();
        for (std::size_t i = 0; i < row.size(); ++i)
            r.push_back(model.parameters[i].values[static_cast<std::size_t>(row[i])]);
        rows.push_back(std::move(r));
    }
    return {{"dimensions", dims},
            {"rows", rows},
            {"coverage",
             {{"strength", strength},
              {"seed", seed},
              {"rows", array.rows.size()},
              {"required_tuples", array.requiredTuples},
              {"excluded_tuples", array.excludedTuples},
              {"lower_bound", array.lowerBound},
              {"greedy_rows", array.greedyRows},
              {"seconds", array.seconds}}}};
}

QString GenerationJob::create(Workspace &ws, const GenerationSpec &spec, json matrixPlan)
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
    job.id = jsonio::newId("job");
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
    m_jobId = job.id;
    m_params = job.params;
    m_spec = GenerationSpec::fromJson(job.params);
    m_base.reset();
    if (!m_spec.baseProblemId.isEmpty()) {
        m_base = ProblemRepository(m_ws).get(m_spec.baseProblemId);
        if (!m_base)
            throw ValidationError(QStringLiteral("base_problem_id"), m_spec.baseProblemId,
                                  QStringLiteral("the base problem no longer exists"));
        if (m_spec.domain.isEmpty())
            m_spec.domain = m_base->domain;
    }

    // Groups and their targets.
    m_groups.clear();
    const int count = m_spec.effectiveCount();
    switch (m_spec.kind) {
    case GenerationKind::Dataset:
        for (const auto &[level, n] : allocateByMix(m_spec.effectiveMix(), count))
            if (n > 0)
                m_groups.push_back({toString(level), n});
        break;
    case GenerationKind::Variations:
        for (Complexity level : m_spec.levels)
            m_groups.push_back({toString(level), m_spec.perLevel});
        break;
    case GenerationKind::Adversarial: {
        const QStringList strategies = m_spec.effectiveStrategies();
        for (int i = 0; i < strategies.size(); ++i) {
            const int n = count / static_cast<int>(strategies.size()) +
                          (i < count % static_cast<int>(strategies.size()) ? 1 : 0);
            if (n > 0)
                m_groups.push_back({strategies[i], n});
        }
        break;
    }
    case GenerationKind::Matrix: {
        const auto &rows = m_params["matrix"]["rows"];
        for (std::size_t i = 0; i < rows.size(); ++i)
            m_groups.push_back({QStringLiteral("row %1").arg(i), 1});
        break;
    }
    default:
        m_groups.push_back({toString(m_spec.kind), count});
    }
    m_target = 0;
    for (const auto &g : m_groups)
        m_target += g.target;
    m_budget = m_spec.usesLlm() ? m_spec.effectiveBudget(m_target) : m_target;

    // What earlier runs did.
    m_reruns.clear();
    m_nextUnit = 0;
    m_unitsStarted = 0;
    m_rejected = 0;
    m_cost = 0;
    m_unpriced = false;
    m_tokens = 0;
    m_recentStatements.clear();
    for (const JobUnit &u : JobRepository(m_ws).units(m_jobId)) {
        m_nextUnit = std::max(m_nextUnit, u.unit + 1);
        ++m_unitsStarted;
        if (!u.finished) {
            m_reruns.push_back(u);
            continue;
        }
        const auto group = std::find_if(m_groups.begin(), m_groups.end(),
                                        [&](const Group &g) { return g.name == u.group; });
        const auto &accepted = u.result.value("accepted", json::array());
        if (group != m_groups.end())
            group->accepted += static_cast<int>(accepted.size());
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
    m_usdBudget.reset();
    if (m_spec.budgetUsd > 0) {
        // The ceiling is the job's: what earlier runs spent counts.
        m_usdBudget = std::make_shared<LlmBudget>();
        m_usdBudget->maxUsd = std::max(0.0, m_spec.budgetUsd - m_cost);
    }
    m_fatal.clear();
    m_nextGroup = 0;
}

std::vector<std::pair<QString, QString>> GenerationJob::dedupCorpus() const
{
    std::vector<std::pair<QString, QString>> corpus;
    if (!m_spec.dedup || m_spec.kind == GenerationKind::Interactions ||
        m_spec.kind == GenerationKind::Matrix)
        return corpus;
    // The workspace's problems of this domain (the job's own accepted ones included).
    ProblemFilter filter;
    filter.domain = m_spec.domain;
    ProblemRepository(m_ws).forEachPage(filter, [&corpus](const std::vector<Problem> &page) {
        for (const Problem &p : page)
            corpus.emplace_back(p.id, p.statement);
    });
    return corpus;
}

std::optional<JobUnit> GenerationJob::takeNextUnit()
{
    if (m_cancel.isCancelled() || !m_fatal.isEmpty())
        return std::nullopt;
    auto needs = [](const Group &g) { return g.accepted + g.inFlight < g.target; };
    while (!m_reruns.empty()) {
        JobUnit u = m_reruns.front();
        m_reruns.pop_front();
        auto g = std::find_if(m_groups.begin(), m_groups.end(),
                              [&](const Group &x) { return x.name == u.group; });
        if (g == m_groups.end() || !needs(*g)) {
            // Its group filled up meanwhile: close the unit without output.
            JobRepository(m_ws).finishUnit(m_jobId, u.unit, json{{"unused", true}});
            continue;
        }
        ++g->inFlight;
        ++m_inFlight;
        return u;
    }
    if (m_unitsStarted >= m_budget)
        return std::nullopt;
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        Group &g = m_groups[(m_nextGroup + i) % m_groups.size()];
        if (!needs(g))
            continue;
        m_nextGroup = (m_nextGroup + i + 1) % m_groups.size();
        JobUnit u;
        u.unit = m_nextUnit++;
        u.group = g.name;
        json avoid = json::array();
        for (const QString &s : m_recentStatements)
            avoid.push_back(excerpt(s, 240).toStdString());
        u.input = {{"group", g.name.toStdString()}, {"avoid", avoid}};
        JobRepository(m_ws).startUnit(m_jobId, u);
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
        std::optional<JobUnit> unit;
        try {
            unit = takeNextUnit();
        } catch (const std::exception &e) {
            m_fatal = QString::fromUtf8(e.what());
        }
        if (!unit)
            co_return;
        UnitOutput output = co_await runUnit(*unit);
        try {
            finishUnit(*unit, std::move(output));
        } catch (const std::exception &e) {
            m_fatal = QStringLiteral("could not save unit %1: %2")
                          .arg(unit->unit)
                          .arg(QString::fromUtf8(e.what()));
        }
    }
}

QCoro::Task<GenerationJob::UnitOutput> GenerationJob::runUnit(JobUnit unit)
{
    if (m_spec.kind == GenerationKind::Matrix && !m_spec.usesLlm())
        co_return matrixRowUnit(unit);
    if (m_spec.kind == GenerationKind::Interactions) {
        UnitOutput out = co_await runInteractionUnit(unit);
        co_return out;
    }
    UnitOutput out = co_await runProblemUnit(unit);
    co_return out;
}

json GenerationJob::provenance(const JobUnit &unit, const QString &templateId, int version,
                               const QStringList &callIds, std::optional<double> cost) const
{
    json params = {{"kind", toString(m_spec.kind).toStdString()},
                   {"group", unit.group.toStdString()}};
    if (m_spec.usesLlm()) {
        params["provider"] = m_spec.providerId.toStdString();
        params["model"] = m_spec.model.toStdString();
        params["temperature"] = m_spec.temperature;
        params["sample_index"] = sampleIndexFor(m_jobId, unit.unit);
    }
    json meta = {{"generator", toString(m_spec.kind).toStdString()},
                 {"job_id", m_jobId.toStdString()},
                 {"unit", unit.unit},
                 {"parameters", params},
                 {"call_ids", callIds}};
    if (!templateId.isEmpty())
        meta["template"] = {{"id", templateId.toStdString()}, {"version", version}};
    if (cost)
        meta["cost_usd"] = *cost;
    else if (m_spec.usesLlm())
        meta["cost_usd"] = nullptr;
    return meta;
}

StructuredCallSpec GenerationJob::callSpec(const RenderedPrompt &prompt, const char *schemaName,
                                           const JobUnit &unit) const
{
    StructuredCallSpec spec;
    spec.call.providerId = m_spec.providerId;
    spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    spec.call.request.model = m_spec.model;
    spec.call.request.temperature = m_spec.temperature;
    spec.call.request.maxTokens = m_spec.maxTokens;
    spec.call.request.sampleIndex = sampleIndexFor(m_jobId, unit.unit);
    spec.call.jobId = m_jobId;
    spec.call.templateId = prompt.id;
    spec.call.templateVersion = prompt.version;
    spec.call.cancel = m_cancel.token();
    spec.call.budget = m_usdBudget;
    spec.schema = schema(schemaName);
    spec.schemaName = QString::fromLatin1(schemaName);
    return spec;
}

QCoro::Task<GenerationJob::UnitOutput> GenerationJob::runProblemUnit(const JobUnit &unit)
{
    UnitOutput out;
    const QString domain = m_spec.domain;
    json ctx = {{"domain", domain.toStdString()},
                {"context", m_spec.context.toStdString()},
                {"avoid", unit.input.value("avoid", json::array())}};
    QString templateId;
    const char *schemaName = "problem";
    Complexity complexity = m_base ? m_base->complexity : Complexity::Medium;
    ProblemOrigin origin = ProblemOrigin::Seed;
    std::map<QString, QString> cell;
    json extra = json::object();

    switch (m_spec.kind) {
    case GenerationKind::Seeds:
        templateId = QStringLiteral("generate.seeds");
        schemaName = "seeds";
        ctx["count"] = 1;
        break;
    case GenerationKind::Dataset:
        templateId = QStringLiteral("generate.problem");
        complexity = complexityFromString(unit.group).value_or(Complexity::Medium);
        ctx["complexity"] = unit.group.toStdString();
        origin = ProblemOrigin::Dataset;
        break;
    case GenerationKind::Variations:
    case GenerationKind::Matrix: {
        templateId = QStringLiteral("generate.variations");
        origin = m_spec.kind == GenerationKind::Matrix ? ProblemOrigin::Matrix
                                                       : ProblemOrigin::Variation;
        if (m_spec.kind == GenerationKind::Variations)
            complexity = complexityFromString(unit.group).value_or(Complexity::Medium);
        ctx["complexity"] = toString(complexity).toStdString();
        ctx["base_problem"] = m_base->statement.toStdString();
        ctx["base_constraints"] = m_base->constraints;
        if (m_spec.kind == GenerationKind::Matrix) {
            const int row = unit.group.mid(4).toInt();
            const auto &dims = m_params["matrix"]["dimensions"];
            const auto &values = m_params["matrix"]["rows"][static_cast<std::size_t>(row)];
            json d = json::array();
            for (std::size_t i = 0; i < dims.size(); ++i) {
                d.push_back({{"name", dims[i]["name"]}, {"value", values[i]}});
                cell[QString::fromStdString(dims[i]["name"].get<std::string>())] =
                    QString::fromStdString(values[i].get<std::string>());
            }
            ctx["dimensions"] = d;
            ctx["avoid"] = json::array();
        }
        break;
    }
    case GenerationKind::Adversarial: {
        templateId = QStringLiteral("generate.adversarial");
        schemaName = "adversarial";
        origin = ProblemOrigin::Adversarial;
        QString description;
        for (const auto &s : adversarialStrategies())
            if (unit.group == QLatin1String(s.id))
                description = QString::fromLatin1(s.description);
        ctx["strategy"] = unit.group.toStdString();
        ctx["strategy_description"] = description.toStdString();
        ctx["target_capability"] = m_spec.targetCapability.toStdString();
        ctx["difficulty"] = m_spec.difficulty.toStdString();
        ctx["base_problem"] = m_base->statement.toStdString();
        break;
    }
    case GenerationKind::Expand:
        templateId = QStringLiteral("generate.expand");
        schemaName = "expansion";
        origin = ProblemOrigin::Expansion;
        ctx["base_scenario"] = m_base->statement.toStdString();
        ctx["expansion_factors"] = m_spec.effectiveFactors();
        ctx["detail_level"] = m_spec.detailLevel.toStdString();
        break;
    case GenerationKind::Interactions:
        co_return out;
    }

    const RenderedPrompt prompt = m_templates.render(templateId, ctx);
    if (!prompt.ok()) {
        out.error = LlmError::configuration(m_spec.providerId, prompt.error);
        co_return out;
    }
    StructuredCaller caller(m_client, m_templates);
    StructuredCallSpec spec = callSpec(prompt, schemaName, unit);
    const StructuredOutcome outcome = co_await caller.call(std::move(spec));
    out.add(outcome);
    if (!outcome.ok()) {
        out.error = outcome.error;
        co_return out;
    }

    std::vector<json> items;
    if (m_spec.kind == GenerationKind::Seeds)
        for (const auto &item : (*outcome.value)["problems"])
            items.push_back(item);
    else
        items.push_back(*outcome.value);

    for (const json &item : items) {
        Problem p;
        p.id = jsonio::newId("prb");
        p.domain = domain;
        p.statement = jsonio::stringOr(item, "problem_statement").trimmed();
        p.constraints = jlist(item, "constraints");
        p.successCriteria = jlist(item, "success_criteria");
        if (const auto it = item.find("sample_data"); it != item.end() && it->is_string())
            p.sampleData = *it;
        p.complexity = complexity;
        p.origin = origin;
        p.baseProblemId = m_base ? m_base->id : QString();
        p.matrixCell = cell;
        p.createdAt = jsonio::nowUtc();
        p.metadata = provenance(unit, prompt.id, prompt.version, outcome.callIds,
                                items.size() == 1 ? outcome.costUsd : std::nullopt);
        if (m_spec.kind == GenerationKind::Adversarial) {
            p.tags << QStringLiteral("adversarial") << unit.group;
            p.metadata["adversarial"] = {
                {"strategy", unit.group.toStdString()},
                {"attack", jsonio::stringOr(item, "attacked_assumption").toStdString()},
                {"attacked_assumption",
                 jsonio::stringOr(item, "attacked_assumption").toStdString()},
                {"must_notice", jsonio::stringOr(item, "must_notice").toStdString()},
                {"expected_failure", jsonio::stringOr(item, "expected_failure").toStdString()},
                {"target_capability", m_spec.targetCapability.toStdString()},
                {"difficulty", m_spec.difficulty.toStdString()}};
        } else if (m_spec.kind == GenerationKind::Expand) {
            json details = json::object();
            for (const auto &fd : item.value("factor_details", json::array()))
                details[fd.value("factor", std::string())] = fd.value("detail", std::string());
            p.metadata["expansion"] = {
                {"factors", m_spec.effectiveFactors()},
                {"details", details},
                {"stakeholders", item.value("stakeholders", json::array())},
                {"complications", item.value("complications", json::array())}};
            p.tags << QStringLiteral("expanded");
        } else if (m_spec.kind == GenerationKind::Seeds) {
            p.tags << QStringLiteral("seed");
        } else if (m_spec.kind == GenerationKind::Dataset) {
            p.tags << QStringLiteral("dataset");
        }
        Candidate c;
        c.problem = std::move(p);
        out.candidates.push_back(std::move(c));
    }
    co_return out;
}

GenerationJob::UnitOutput GenerationJob::matrixRowUnit(const JobUnit &unit) const
{
    UnitOutput out;
    const int row = unit.group.mid(4).toInt();
    const auto &dims = m_params["matrix"]["dimensions"];
    const auto &values = m_params["matrix"]["rows"][static_cast<std::size_t>(row)];
    Problem p;
    p.id = jsonio::newId("prb");
    p.domain = m_spec.domain;
    QStringList parts;
    QString statement = m_spec.statementTemplate;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        const QString name = QString::fromStdString(dims[i]["name"].get<std::string>());
        const QString value = QString::fromStdString(values[i].get<std::string>());
        p.matrixCell[name] = value;
        parts << name + QStringLiteral(": ") + value;
        statement.replace(QLatin1Char('{') + name + QLatin1Char('}'), value, Qt::CaseInsensitive);
    }
    if (statement.trimmed().isEmpty()) {
        const QString domain = m_spec.domain.isEmpty() ? QStringLiteral("test") : m_spec.domain;
        statement =
            QStringLiteral("A %1 case with %2.").arg(domain, parts.join(QStringLiteral("; ")));
    }
    p.statement = statement;
    p.constraints = parts;
    p.successCriteria << QStringLiteral("The solution handles this combination: %1")
                             .arg(parts.join(QStringLiteral(", ")));
    p.complexity = Complexity::Medium;
    p.origin = ProblemOrigin::Matrix;
    p.createdAt = jsonio::nowUtc();
    p.metadata = provenance(unit, {}, 0, {}, std::nullopt);
    p.metadata["matrix"] = {{"row", row},
                            {"strength", m_spec.strength},
                            {"dataset_id", m_params.value("dataset_id", std::string())}};
    Candidate c;
    c.problem = std::move(p);
    out.candidates.push_back(std::move(c));
    return out;
}

QCoro::Task<GenerationJob::UnitOutput> GenerationJob::runInteractionUnit(const JobUnit &unit)
{
    UnitOutput out;
    const std::vector<InteractionRole> roles = m_spec.effectiveRoles();
    Interaction interaction;
    interaction.id = jsonio::newId("int");
    interaction.problemId = m_base->id;
    interaction.stopReason = QStringLiteral("turn_limit");
    json history = json::array();
    json intents = json::array();
    QString lastIntent;
    NearDuplicateIndex::Options repOptions;
    repOptions.threshold = 0.8;
    NearDuplicateIndex repetition(repOptions);
    QString templateId;
    int templateVersion = 0;

    for (int turn = 0; turn < m_spec.turnLimit; ++turn) {
        const InteractionRole &speaker = roles[static_cast<std::size_t>(turn) % roles.size()];
        json ctx = {{"agent_name", speaker.name.toStdString()},
                    {"agent_role", speaker.description.toStdString()},
                    {"domain", m_spec.domain.toStdString()},
                    {"problem", m_base->statement.toStdString()},
                    {"history", history}};
        if (turn == m_spec.turnLimit - 1)
            ctx["turn_goal"] = "this is the last turn: close the conversation with a short "
                               "summary of what was agreed and what is still open";
        const RenderedPrompt prompt =
            m_templates.render(QStringLiteral("generate.interaction_turn"), ctx);
        if (!prompt.ok()) {
            out.error = LlmError::configuration(m_spec.providerId, prompt.error);
            co_return out;
        }
        templateId = prompt.id;
        templateVersion = prompt.version;
        StructuredCaller caller(m_client, m_templates);
        StructuredCallSpec spec = callSpec(prompt, "interaction_turn", unit);
        const StructuredOutcome outcome = co_await caller.call(std::move(spec));
        out.add(outcome);
        if (!outcome.ok()) {
            out.error = outcome.error;
            co_return out;
        }
        const QString content = jsonio::stringOr(*outcome.value, "content").trimmed();
        const QString intent = jsonio::stringOr(*outcome.value, "intent");
        const auto sig = repetition.signature(content);
        if (turn > 0 && repetition.findNear(sig)) {
            interaction.stopReason = QStringLiteral("repetition");
            break;
        }
        repetition.add(QString::number(turn), sig);
        interaction.turns.push_back({speaker.role, speaker.name, content});
        history.push_back(
            {{"speaker", speaker.name.toStdString()}, {"content", content.toStdString()}});
        intents.push_back(intent.toStdString());
        const bool agreed =
            intent == QLatin1String("agree") && lastIntent == QLatin1String("agree");
        if (turn >= 2 && (intent == QLatin1String("summarize") || agreed) &&
            turn < m_spec.turnLimit - 1) {
            interaction.stopReason = QStringLiteral("goal_reached");
            break;
        }
        lastIntent = intent;
    }
    interaction.createdAt = jsonio::nowUtc();
    json rolesJson = json::array();
    for (const auto &r : roles)
        rolesJson.push_back({{"role", r.role.toStdString()},
                             {"name", r.name.toStdString()},
                             {"description", r.description.toStdString()},
                             {"kind", r.role == QLatin1String("user") ? "user_persona" : "agent"}});
    interaction.metadata = provenance(unit, templateId, templateVersion, out.callIds, out.cost);
    interaction.metadata["roles"] = rolesJson;
    interaction.metadata["turn_limit"] = m_spec.turnLimit;
    interaction.metadata["intents"] = intents;
    if (interaction.turns.size() < 2) {
        out.rejects.push_back({{"reason", "invalid"},
                               {"detail", "the conversation stopped after one turn (repetition)"},
                               {"call_ids", out.callIds}});
        co_return out;
    }
    Candidate c;
    c.interaction = std::move(interaction);
    out.candidates.push_back(std::move(c));
    co_return out;
}

void GenerationJob::finishUnit(const JobUnit &unit, UnitOutput output)
{
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [&](const Group &g) { return g.name == unit.group; });
    Q_ASSERT(group != m_groups.end());
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
                 {"complexity", unit.group.toStdString()},
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
    for (Candidate &c : output.candidates) {
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
        if (m_spec.dedup && m_spec.kind != GenerationKind::Matrix) {
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
        jobs.finishUnit(m_jobId, unit.unit, result);
    }
    int acceptedTotal = 0;
    for (const auto &g : m_groups)
        acceptedTotal += g.accepted;
    jobs.setProgress(m_jobId, acceptedTotal, m_target);
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
    p.jobId = m_jobId;
    p.kind = toString(m_spec.kind);
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
        const GenerationResult kept = collect(m_ws, m_jobId);
        accepted = static_cast<int>(kept.problemIds.size() + kept.interactionIds.size());
    } catch (const std::exception &) {
        for (const auto &g : m_groups)
            accepted += g.accepted;
    }
    const QString datasetId = QString::fromStdString(m_params.value("dataset_id", std::string()));
    const QString what = m_spec.kind == GenerationKind::Interactions
                             ? QStringLiteral("interaction(s)")
                             : QStringLiteral("problem(s)");
    if (accepted == 0)
        return QStringLiteral("Nothing was kept");
    if (datasetId.isEmpty())
        return QStringLiteral("The %1 accepted %2 are kept in the workspace (job %3)")
            .arg(accepted)
            .arg(what, m_jobId);
    return QStringLiteral("The %1 accepted %2 are kept in the workspace but not yet in a "
                          "dataset (they carry job id %3); Resume the job to finish dataset %4, "
                          "or delete the job with its problems")
        .arg(accepted)
        .arg(what, m_jobId, datasetId);
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
        if (m_spec.usesLlm() && !m_spec.providerId.isEmpty() &&
            !m_client.provider(m_spec.providerId))
            throw ValidationError(QStringLiteral("provider"), m_spec.providerId,
                                  QStringLiteral("is not configured here; pass the provider "
                                                 "options the job was started with"));
        JobRepository(m_ws).setStatus(jobId, JobStatus::Running);
        NearDuplicateIndex::Options dedupOptions;
        dedupOptions.threshold = m_spec.dedupThreshold;
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
        const int workers = m_spec.usesLlm() ? std::max(1, m_spec.concurrency) : 1;
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
                QString::fromStdString(m_params.value("dataset_id", std::string()));
            if (!datasetId.isEmpty() && !DatasetRepository(m_ws).get(datasetId)) {
                GenerationResult collected = collect(m_ws, m_jobId);
                Dataset d;
                d.id = datasetId;
                d.name = m_spec.datasetName.isEmpty()
                             ? QStringLiteral("%1 %2 (%3)")
                                   .arg(m_spec.domain.isEmpty() ? QStringLiteral("Matrix")
                                                                : m_spec.domain,
                                        toString(m_spec.kind))
                                   .arg(collected.problemIds.size())
                             : m_spec.datasetName;
                d.domain = m_spec.domain;
                if (m_spec.kind == GenerationKind::Dataset)
                    d.complexityMix = m_spec.effectiveMix();
                d.problemIds = collected.problemIds;
                d.createdAt = jsonio::nowUtc();
                d.metadata = collected.summary;
                d.metadata["generator"] = toString(m_spec.kind).toStdString();
                if (m_spec.kind == GenerationKind::Matrix) {
                    d.metadata["matrix"] = {{"model", m_spec.pictModel.toStdString()},
                                            {"dimensions", m_params["matrix"]["dimensions"]},
                                            {"coverage", m_params["matrix"]["coverage"]}};
                }
                // Diversity of what was accepted.
                std::vector<QString> texts;
                std::vector<std::map<QString, QString>> cells;
                ProblemRepository repo(m_ws);
                for (const QString &id : d.problemIds)
                    if (const auto p = repo.get(id)) {
                        texts.push_back(p->statement);
                        cells.push_back(p->matrixCell);
                    }
                DiversityOptions options;
                if (m_spec.kind == GenerationKind::Matrix)
                    for (const auto &dim : m_params["matrix"]["dimensions"]) {
                        std::vector<QString> values;
                        for (const auto &v : dim["values"])
                            values.push_back(QString::fromStdString(v.get<std::string>()));
                        options.expectedValues[QString::fromStdString(
                            dim["name"].get<std::string>())] = values;
                    }
                else
                    cells.clear();
                d.metadata["diversity"] = Diversity::measure(texts, cells, options).toJson();
                DatasetRepository(m_ws).insert(d);
            }
        }
        GenerationResult collected = collect(m_ws, m_jobId);
        JobRepository jobs(m_ws);
        jobs.setSummary(m_jobId, collected.summary);
        jobs.setStatus(m_jobId, status, error);
        result = collected;
    } catch (const std::exception &e) {
        status = JobStatus::Failed;
        error = QStringLiteral("Could not finish the job: %1. %2.")
                    .arg(QString::fromUtf8(e.what()), keptMessage());
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
