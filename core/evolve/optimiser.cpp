#include "core/evolve/optimiser.h"

#include "core/evolve/personalityevolution.h"
#include "core/evolve/randomsearch.h"
#include "core/evolve/reflectiveoptimiser.h"
#include "core/model/jsonsupport.h"

#include <algorithm>
#include <stdexcept>

namespace crucible::evolve {

using nlohmann::json;

json OptimiserSettings::targetsJson() const
{
    json t = json::object();
    for (const auto &[name, value] : targets)
        t[name.toStdString()] = value;
    return t;
}

json OptimiserSettings::toJson() const
{
    return {{"max_calls", maxCalls},
            {"max_cycles", maxCycles},
            {"minibatch", minibatch},
            {"max_lessons", maxLessons},
            {"reflect_share", reflectShare},
            {"trait_step", traitStep},
            {"es_lambda", esLambda},
            {"es_mu", esMu},
            {"es_validate_every", esValidateEvery},
            {"seed", seed},
            {"targets", targetsJson()}};
}

OptimiserSettings OptimiserSettings::fromJson(const json &j)
{
    OptimiserSettings s;
    s.maxCalls = j.value("max_calls", s.maxCalls);
    s.maxCycles = j.value("max_cycles", s.maxCycles);
    s.minibatch = j.value("minibatch", s.minibatch);
    s.maxLessons = j.value("max_lessons", s.maxLessons);
    s.reflectShare = j.value("reflect_share", s.reflectShare);
    s.traitStep = j.value("trait_step", s.traitStep);
    s.esLambda = j.value("es_lambda", s.esLambda);
    s.esMu = j.value("es_mu", s.esMu);
    s.esValidateEvery = j.value("es_validate_every", s.esValidateEvery);
    s.seed = j.value("seed", s.seed);
    if (const auto it = j.find("targets"); it != j.end() && it->is_object())
        for (const auto &[name, value] : it->items())
            if (value.is_number())
                s.targets[QString::fromStdString(name)] = value.get<double>();
    return s;
}

json taskToJson(const EvolveTask &task)
{
    return {{"kind", EvolveTask::kindName(task.kind).toStdString()},
            {"candidate", task.candidate},
            {"definition", task.definition.toJson()},
            {"problem_id", task.problemId.toStdString()},
            {"traces", task.traces},
            {"calls", task.calls},
            {"sample", task.sample},
            {"reason", task.reason.toStdString()}};
}

EvolveTask taskFromJson(const json &j)
{
    EvolveTask t;
    const QString kind = jsonio::stringOr(j, "kind");
    for (const auto k :
         {EvolveTask::Kind::Evaluate, EvolveTask::Kind::Reflect, EvolveTask::Kind::Finished})
        if (EvolveTask::kindName(k) == kind)
            t.kind = k;
    t.candidate = j.value("candidate", -1);
    t.definition = Agent::fromJson(j.at("definition"));
    t.problemId = jsonio::stringOr(j, "problem_id");
    t.traces = j.value("traces", json::array());
    t.calls = j.value("calls", 0);
    t.sample = j.value("sample", 0);
    t.reason = jsonio::stringOr(j, "reason");
    return t;
}

QStringList Optimiser::kinds()
{
    return {ReflectiveOptimiser::kKind, RandomSearch::kKind, PersonalityEvolution::kKind};
}

Optimiser::Optimiser(const Agent &seed, DataSplit split, OptimiserSettings settings)
    : m_split(std::move(split))
    , m_settings(settings)
    , m_rng(settings.seed)
{
    if (m_split.train.isEmpty() || m_split.validation.isEmpty())
        throw std::invalid_argument("an optimiser needs train and validation problems");
    m_budget.maxCalls = settings.maxCalls;
    Candidate c;
    c.op = QStringLiteral("seed");
    c.definition = seed;
    c.accepted = true;
    c.why = QStringLiteral("the agent training started from");
    addCandidate(std::move(c));
}

std::unique_ptr<Optimiser> Optimiser::make(const QString &kind, const Agent &seed, DataSplit split,
                                           OptimiserSettings settings)
{
    if (kind == ReflectiveOptimiser::kKind)
        return std::make_unique<ReflectiveOptimiser>(seed, std::move(split), settings);
    if (kind == RandomSearch::kKind)
        return std::make_unique<RandomSearch>(seed, std::move(split), settings);
    if (kind == PersonalityEvolution::kKind)
        return std::make_unique<PersonalityEvolution>(seed, std::move(split), settings);
    throw std::invalid_argument("unknown optimiser '" + kind.toStdString() +
                                "'; use reflective, random or personality");
}

json Optimiser::toJson() const
{
    json candidates = json::array();
    for (const Candidate &c : m_candidates)
        candidates.push_back(c.toJson());
    json state = json::object();
    writeState(state);
    json j = {{"kind", kind().toStdString()},
              {"settings", m_settings.toJson()},
              {"split", m_split.toJson()},
              {"budget", {{"max_calls", m_budget.maxCalls}, {"used", m_budget.used}}},
              {"rng", m_rng.state()},
              {"cycles", m_cycles},
              {"finish_reason", m_finishReason.toStdString()},
              {"history", m_history},
              {"candidates", candidates},
              {"state", state}};
    if (m_pending)
        j["pending"] = taskToJson(*m_pending);
    return j;
}

std::unique_ptr<Optimiser> Optimiser::fromJson(const json &j)
{
    const QString kind = jsonio::stringOr(j, "kind");
    std::unique_ptr<Optimiser> o;
    if (kind == ReflectiveOptimiser::kKind)
        o.reset(new ReflectiveOptimiser());
    else if (kind == RandomSearch::kKind)
        o.reset(new RandomSearch());
    else if (kind == PersonalityEvolution::kKind)
        o.reset(new PersonalityEvolution());
    else
        throw std::invalid_argument("the checkpoint names no known optimiser ('" +
                                    kind.toStdString() + "')");
    o->m_settings = OptimiserSettings::fromJson(j.value("settings", json::object()));
    o->m_split = DataSplit::fromJson(j.value("split", json::object()));
    const json budget = j.value("budget", json::object());
    o->m_budget.maxCalls = budget.value("max_calls", 0);
    o->m_budget.used = budget.value("used", 0);
    o->m_rng = simulated::Rng(j.value("rng", std::uint64_t(0)));
    o->m_cycles = j.value("cycles", 0);
    o->m_finishReason = jsonio::stringOr(j, "finish_reason");
    o->m_history = j.value("history", json::array());
    for (const json &c : j.value("candidates", json::array()))
        o->m_candidates.push_back(Candidate::fromJson(c));
    if (o->m_candidates.empty())
        throw std::invalid_argument("the checkpoint has no candidates (not even the seed)");
    if (const auto it = j.find("pending"); it != j.end() && it->is_object())
        o->m_pending = taskFromJson(*it);
    o->readState(j.value("state", json::object()));
    return o;
}

EvolveTask Optimiser::next()
{
    if (finished())
        return finishedTask(m_finishReason);
    if (!m_pending) {
        EvolveTask t = plan();
        if (t.kind == EvolveTask::Kind::Finished) {
            m_finishReason = t.reason;
            return t;
        }
        m_pending = std::move(t);
    }
    return *m_pending;
}

void Optimiser::complete(const EvolveTask &task, const TaskResult &result)
{
    if (!m_pending || task.kind != m_pending->kind || task.candidate != m_pending->candidate ||
        task.problemId != m_pending->problemId)
        throw std::logic_error("complete() for a task next() did not give");
    if (!result.ok)
        return;
    m_budget.used += result.calls;
    m_pending.reset();
    apply(task, result);
}

void Optimiser::finish(const QString &reason)
{
    if (m_finishReason.isEmpty())
        m_finishReason = reason;
}

int Optimiser::best() const
{
    int best = 0;
    double bestMean = -1;
    for (const int id : pool()) {
        const double mean = *m_candidates[static_cast<size_t>(id)].meanOver(m_split.validation);
        if (mean > bestMean) {
            bestMean = mean;
            best = id;
        }
    }
    return best;
}

std::vector<int> Optimiser::pool() const
{
    std::vector<int> out;
    for (const Candidate &c : m_candidates)
        if (c.accepted && c.scoredOn(m_split.validation))
            out.push_back(c.id);
    return out;
}

void Optimiser::setVersionId(int id, const QString &versionId)
{
    m_candidates.at(static_cast<size_t>(id)).versionId = versionId;
}

EvolveTask Optimiser::evaluate(int candidate, const QString &problemId) const
{
    EvolveTask t;
    t.kind = EvolveTask::Kind::Evaluate;
    t.candidate = candidate;
    t.definition = m_candidates[static_cast<size_t>(candidate)].definition;
    t.problemId = problemId;
    t.calls = 2;
    return t;
}

std::optional<QString> Optimiser::firstUnscored(int id, const QStringList &problems) const
{
    const Candidate &c = m_candidates[static_cast<size_t>(id)];
    for (const QString &p : problems)
        if (!c.scores.count(p))
            return p;
    return std::nullopt;
}

std::optional<EvolveTask> Optimiser::seedValidation() const
{
    for (const Candidate &c : m_candidates)
        if (isStart(c))
            if (const auto p = firstUnscored(c.id, m_split.validation))
                return evaluate(c.id, *p);
    return std::nullopt;
}

int Optimiser::addStart(Candidate c)
{
    if (m_cycles > 0)
        throw std::logic_error("Optimiser::addStart after the first cycle");
    c.parent = 0;
    c.op = QString::fromLatin1(kOpStart);
    c.accepted = true;
    return addCandidate(std::move(c));
}

int Optimiser::addCandidate(Candidate c)
{
    c.id = static_cast<int>(m_candidates.size());
    m_candidates.push_back(std::move(c));
    return m_candidates.back().id;
}

void Optimiser::endCycle(const QString &op, int parent, int child, bool accepted,
                         const std::vector<int> &tried)
{
    const int best = this->best();
    // How the cycle's children did on what they were run on: their mean score and their mean
    // novelty (the judge's "novelty" aspect, when the rubric has it), for the charts.
    double scoreSum = 0, noveltySum = 0;
    int scored = 0, novel = 0, succeeded = 0;
    const std::vector<int> ran = tried.empty() ? std::vector<int>{child} : tried;
    for (const int id : ran) {
        if (id < 0 || id >= static_cast<int>(m_candidates.size()))
            continue;
        for (const auto &[problem, ps] : m_candidates[static_cast<size_t>(id)].scores) {
            scoreSum += ps.score;
            ++scored;
            succeeded += ps.score >= kSuccessScore ? 1 : 0;
            if (const auto it = ps.aspects.find(QStringLiteral("novelty"));
                it != ps.aspects.end()) {
                noveltySum += it->second;
                ++novel;
            }
        }
    }
    m_history.push_back(
        {{"cycle", m_cycles},
         {"op", op.toStdString()},
         {"parent", parent},
         {"child", child},
         {"accepted", accepted},
         {"calls_used", m_budget.used},
         {"best", best},
         {"best_validation",
          m_candidates[static_cast<size_t>(best)].meanOver(m_split.validation).value_or(0.0)}});
    if (scored > 0) {
        m_history.back()["child_score"] = scoreSum / scored;
        m_history.back()["child_success"] = double(succeeded) / scored;
    }
    if (novel > 0)
        m_history.back()["child_novelty"] = noveltySum / novel;
}

QStringList Optimiser::addTrainProblems(const QStringList &ids)
{
    QStringList added;
    for (const QString &id : ids)
        if (!m_split.train.contains(id) && !m_split.validation.contains(id) &&
            !m_split.test.contains(id)) {
            m_split.train << id;
            added << id;
        }
    return added;
}

std::vector<std::pair<QString, double>> Optimiser::hardestTrainProblems(int n) const
{
    std::vector<std::pair<QString, double>> out;
    const std::vector<int> pooled = pool();
    for (const QString &problem : m_split.train) {
        double sum = 0;
        int count = 0;
        for (const int id : pooled)
            if (const auto it = m_candidates[static_cast<size_t>(id)].scores.find(problem);
                it != m_candidates[static_cast<size_t>(id)].scores.end()) {
                sum += it->second.score;
                ++count;
            }
        if (count > 0)
            out.emplace_back(problem, sum / count);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &b) { return a.second < b.second; });
    if (static_cast<int>(out.size()) > n)
        out.resize(static_cast<size_t>(std::max(0, n)));
    return out;
}

QStringList Optimiser::drawMinibatch()
{
    // Curriculum: problems near the agents' success boundary teach the most, so each train
    // problem is drawn with weight kExplore + s·(1 − s)·4, where s is the mean score the pool's
    // versions got on it (a problem none has tried counts as s = 0.5, the most informative); the
    // floor keeps solved and hopeless problems in play now and then (exploration). Weighted
    // sampling without replacement, from the optimiser's own seeded generator.
    constexpr double kExplore = 0.15;
    std::vector<QString> train(m_split.train.begin(), m_split.train.end());
    std::vector<double> weights;
    weights.reserve(train.size());
    const std::vector<int> pooled = pool();
    for (const QString &problem : train) {
        double sum = 0;
        int n = 0;
        for (const int id : pooled) {
            const Candidate &c = m_candidates[static_cast<size_t>(id)];
            if (const auto it = c.scores.find(problem); it != c.scores.end()) {
                sum += it->second.score;
                ++n;
            }
        }
        const double s = n > 0 ? std::clamp(sum / n, 0.0, 1.0) : 0.5;
        weights.push_back(kExplore + 4.0 * s * (1.0 - s));
    }
    const auto want =
        std::min<size_t>(train.size(), static_cast<size_t>(std::max(1, m_settings.minibatch)));
    QStringList out;
    while (static_cast<size_t>(out.size()) < want) {
        double total = 0;
        for (const double w : weights)
            total += w;
        double pick = m_rng.unit() * total;
        size_t i = 0;
        for (; i + 1 < weights.size(); ++i) {
            if (pick < weights[i])
                break;
            pick -= weights[i];
        }
        out << train[i];
        train.erase(train.begin() + static_cast<std::ptrdiff_t>(i));
        weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return out;
}

EvolveTask Optimiser::finishedTask(const QString &reason)
{
    EvolveTask t;
    t.kind = EvolveTask::Kind::Finished;
    t.reason = reason;
    return t;
}

} // namespace crucible::evolve
