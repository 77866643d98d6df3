#include "core/evolve/reflectiveoptimiser.h"

#include "core/evolve/paretofrontier.h"
#include "core/model/jsonsupport.h"

#include <QStringBuilder>

#include <algorithm>
#include <numeric>

namespace crucible::evolve {

using nlohmann::json;

namespace {

const char *const kStageNames[] = {
    "idle", "parent_minibatch", "propose", "child_minibatch", "child_validation", "offspring"};

} // namespace

ReflectiveOptimiser::ReflectiveOptimiser(const Agent &seed, DataSplit split,
                                         OptimiserSettings settings)
    : Optimiser(seed, std::move(split), settings)
    , m_strategy(seed.traits, settings.traitStep, settings.esLambda, settings.esMu)
{
}

QStringList ReflectiveOptimiser::normalizedLessons(const QStringList &lessons, int max)
{
    QStringList out;
    for (const QString &l : lessons) {
        const QString t = l.simplified();
        if (t.isEmpty() || t.size() > Agent::kMaxInstructionLength ||
            out.contains(t, Qt::CaseInsensitive))
            continue;
        out << t;
        if (out.size() >= max)
            break;
    }
    return out;
}

json ReflectiveOptimiser::traces(const Candidate &c, const QStringList &problems)
{
    json out = json::array();
    for (const QString &p : problems) {
        const auto it = c.scores.find(p);
        if (it == c.scores.end())
            continue;
        out.push_back({{"problem_id", p.toStdString()},
                       {"score", it->second.score},
                       {"solution", it->second.solution.toStdString()},
                       {"feedback", it->second.feedback.toStdString()}});
    }
    return out;
}

json ReflectiveOptimiser::lessonChange(const QStringList &before, const QStringList &after)
{
    json added = json::array();
    json removed = json::array();
    for (const QString &l : after)
        if (!before.contains(l))
            added.push_back(l.toStdString());
    for (const QString &l : before)
        if (!after.contains(l))
            removed.push_back(l.toStdString());
    return {{"added", added}, {"removed", removed}};
}

json ReflectiveOptimiser::traitChange(const std::map<QString, int> &before,
                                      const std::map<QString, int> &after)
{
    json change = json::object();
    for (const auto &[name, value] : after) {
        const auto it = before.find(name);
        if (it == before.end() || it->second != value)
            change[name.toStdString()] = {it == before.end() ? json() : json(it->second), value};
    }
    return {{"traits", change}};
}

std::optional<QString> ReflectiveOptimiser::startCycle()
{
    if (m_lastValidation)
        return QStringLiteral("budget");
    if (m_settings.maxCycles > 0 && m_cycles >= m_settings.maxCycles)
        return QStringLiteral("cycles");
    const int validation = 2 * static_cast<int>(m_split.validation.size());
    const int mb = static_cast<int>(
        std::min<qsizetype>(m_split.train.size(), std::max(1, m_settings.minibatch)));
    // A cycle starts only when the budget pays for all of it, so that no candidate is left
    // half-scored on validation.
    const int reflectWorst = 2 * mb + 1 + 2 * mb + validation;
    const bool validateNext =
        (m_strategy.generation() + 1) % std::max(1, m_settings.esValidateEvery) == 0;
    const int generationWorst = 2 * m_strategy.lambda() + (validateNext ? validation : 0);
    const bool reflectTurn =
        m_settings.maxCalls > 0
            ? m_reflectCalls < static_cast<int>(m_settings.reflectShare * m_settings.maxCalls)
            : m_cycles % 3 == 0;
    if (reflectTurn && m_budget.allows(reflectWorst)) {
        startReflection();
        return std::nullopt;
    }
    if (!m_strategy.empty() && m_budget.allows(generationWorst)) {
        startGeneration();
        return std::nullopt;
    }
    if (m_generationsSinceValidation > 0 && m_budget.allows(validation)) {
        ++m_cycles;
        m_op = kOpTraits;
        m_lastValidation = true;
        validateCentre();
        return std::nullopt;
    }
    return QStringLiteral("budget");
}

void ReflectiveOptimiser::startReflection()
{
    ++m_cycles;
    m_op = kOpReflect;
    m_parent = sampleParent(paretoFrontier(m_candidates, pool(), m_split.validation), m_rng);
    if (m_parent < 0)
        m_parent = 0;
    m_minibatch = drawMinibatch();
    m_child = -1;
    m_stage = Stage::ParentMinibatch;
}

void ReflectiveOptimiser::startGeneration()
{
    ++m_cycles;
    m_op = kOpTraits;
    m_parent = best();
    m_child = -1;
    // The first generation searches around the best version so far: with more than one
    // starting point (a specialisation beside the seed) that may not be the seed the strategy
    // was made with.
    if (const auto &traits = m_candidates[static_cast<size_t>(m_parent)].definition.traits;
        m_strategy.generation() == 0 && m_strategy.centre() != traits)
        m_strategy =
            TraitStrategy(traits, m_settings.traitStep, m_settings.esLambda, m_settings.esMu);
    // Every offspring of a generation is scored on the same train problem.
    m_minibatch = {
        m_split
            .train[static_cast<qsizetype>(m_rng.below(static_cast<size_t>(m_split.train.size())))]};
    // A copy: adding candidates below may move the list.
    const Agent base = m_candidates[static_cast<size_t>(m_parent)].definition;
    m_offspring.clear();
    m_directions.clear();
    for (int i = 0; i < m_strategy.lambda(); ++i) {
        std::vector<double> z = m_strategy.sample(m_rng);
        Candidate c;
        c.parent = m_parent;
        c.op = kOpTraits;
        c.definition = base;
        c.definition.traits = m_strategy.traitsOf(z);
        c.change = traitChange(base.traits, c.definition.traits);
        c.why = QStringLiteral("offspring %1 of trait generation %2 (σ = %3)")
                    .arg(i + 1)
                    .arg(m_strategy.generation() + 1)
                    .arg(m_strategy.step(), 0, 'f', 1);
        m_offspring.push_back(addCandidate(std::move(c)));
        m_directions.push_back(std::move(z));
    }
    m_stage = Stage::Offspring;
}

void ReflectiveOptimiser::endGeneration()
{
    std::vector<double> costs;
    for (const int id : m_offspring)
        costs.push_back(
            -m_candidates[static_cast<size_t>(id)].scores.at(m_minibatch.front()).score);
    m_strategy.updateRanked(m_directions, costs);
    ++m_generationsSinceValidation;
    if (m_strategy.generation() % std::max(1, m_settings.esValidateEvery) == 0) {
        validateCentre();
        return;
    }
    endCycleWith(false);
}

void ReflectiveOptimiser::validateCentre()
{
    const Candidate &base = m_candidates[static_cast<size_t>(best())];
    Candidate c;
    c.parent = base.id;
    c.op = kOpTraits;
    c.definition = base.definition;
    c.definition.traits = m_strategy.centre();
    c.change = traitChange(base.definition.traits, c.definition.traits);
    c.why = QStringLiteral("the trait strategy's centre after %1 generation(s) (σ = %2), with the "
                           "lessons of the best version so far")
                .arg(m_strategy.generation())
                .arg(m_strategy.step(), 0, 'f', 1);
    c.accepted = true;
    m_parent = base.id;
    m_child = addCandidate(std::move(c));
    m_generationsSinceValidation = 0;
    m_stage = Stage::ChildValidation;
}

void ReflectiveOptimiser::endCycleWith(bool accepted)
{
    // A trait generation without validation has no child: its offspring are what it tried.
    endCycle(m_op, m_parent, m_child, accepted, m_child < 0 ? m_offspring : std::vector<int>{});
    m_stage = Stage::Idle;
}

EvolveTask ReflectiveOptimiser::plan()
{
    if (auto t = seedValidation())
        return *t;
    for (;;) {
        switch (m_stage) {
        case Stage::Idle:
            if (const auto reason = startCycle())
                return finishedTask(*reason);
            break;
        case Stage::ParentMinibatch:
            if (const auto p = firstUnscored(m_parent, m_minibatch))
                return evaluate(m_parent, *p);
            m_stage = Stage::Propose;
            break;
        case Stage::Propose: {
            const Candidate &parent = m_candidates[static_cast<size_t>(m_parent)];
            EvolveTask t;
            t.kind = EvolveTask::Kind::Reflect;
            t.candidate = m_parent;
            t.definition = parent.definition;
            t.traces = traces(parent, m_minibatch);
            t.calls = 1;
            t.sample = m_cycles;
            return t;
        }
        case Stage::ChildMinibatch: {
            if (const auto p = firstUnscored(m_child, m_minibatch))
                return evaluate(m_child, *p);
            Candidate &child = m_candidates[static_cast<size_t>(m_child)];
            const Candidate &parent = m_candidates[static_cast<size_t>(m_parent)];
            child.minibatchParent = parent.meanOver(m_minibatch);
            child.minibatchChild = child.meanOver(m_minibatch);
            if (*child.minibatchChild <= *child.minibatchParent) {
                endCycleWith(false);
                break;
            }
            child.accepted = true;
            m_stage = Stage::ChildValidation;
            break;
        }
        case Stage::ChildValidation:
            if (const auto p = firstUnscored(m_child, m_split.validation))
                return evaluate(m_child, *p);
            endCycleWith(true);
            break;
        case Stage::Offspring:
            for (const int id : m_offspring)
                if (const auto p = firstUnscored(id, m_minibatch))
                    return evaluate(id, *p);
            endGeneration();
            break;
        }
    }
}

void ReflectiveOptimiser::apply(const EvolveTask &task, const TaskResult &result)
{
    if (m_op == kOpReflect && m_stage != Stage::Idle)
        m_reflectCalls += result.calls;
    if (task.kind == EvolveTask::Kind::Evaluate) {
        Candidate &c = m_candidates[static_cast<size_t>(task.candidate)];
        ProblemScore score = result.score;
        // Reflection reads the texts of pooled candidates on train problems only; the rest
        // would only make every checkpoint bigger.
        if (m_split.validation.contains(task.problemId) || (c.op == kOpTraits && !c.accepted)) {
            score.feedback.clear();
            score.solution.clear();
        }
        c.scores[task.problemId] = std::move(score);
        return;
    }
    if (task.kind != EvolveTask::Kind::Reflect)
        return;
    const Candidate &parent = m_candidates[static_cast<size_t>(m_parent)];
    const QStringList lessons = normalizedLessons(result.lessons, m_settings.maxLessons);
    if (lessons == parent.definition.instructions) {
        endCycleWith(false); // nothing new to try
        return;
    }
    Candidate child;
    child.parent = m_parent;
    child.op = kOpReflect;
    child.definition = parent.definition;
    child.definition.instructions = lessons;
    child.why = result.analysis;
    child.change = {{"lessons", lessonChange(parent.definition.instructions, lessons)}};
    m_child = addCandidate(std::move(child));
    m_stage = Stage::ChildMinibatch;
}

void ReflectiveOptimiser::writeState(json &j) const
{
    j["stage"] = kStageNames[static_cast<int>(m_stage)];
    j["op"] = m_op.toStdString();
    j["parent"] = m_parent;
    j["child"] = m_child;
    j["minibatch"] = m_minibatch;
    j["reflect_calls"] = m_reflectCalls;
    j["strategy"] = m_strategy.toJson();
    j["offspring"] = m_offspring;
    j["directions"] = m_directions;
    j["generations_since_validation"] = m_generationsSinceValidation;
    j["last_validation"] = m_lastValidation;
}

void ReflectiveOptimiser::readState(const json &j)
{
    const std::string stage = j.value("stage", std::string("idle"));
    for (int s = 0; s <= static_cast<int>(Stage::Offspring); ++s)
        if (stage == kStageNames[s])
            m_stage = static_cast<Stage>(s);
    m_op = jsonio::stringOr(j, "op");
    m_parent = j.value("parent", -1);
    m_child = j.value("child", -1);
    m_minibatch = jsonio::stringsAt(j, "minibatch");
    m_reflectCalls = j.value("reflect_calls", 0);
    m_strategy = TraitStrategy::fromJson(j.value("strategy", json::object()));
    m_offspring = j.value("offspring", std::vector<int>());
    m_directions = j.value("directions", std::vector<std::vector<double>>());
    m_generationsSinceValidation = j.value("generations_since_validation", 0);
    m_lastValidation = j.value("last_validation", false);
}

} // namespace crucible::evolve
