#include "core/evolve/randomsearch.h"

#include "core/evolve/reflectiveoptimiser.h"
#include "core/evolve/traitstrategy.h"

namespace crucible::evolve {

using nlohmann::json;

RandomSearch::RandomSearch(const Agent &seed, DataSplit split, OptimiserSettings settings)
    : Optimiser(seed, std::move(split), settings)
{
}

EvolveTask RandomSearch::plan()
{
    if (auto t = seedValidation())
        return *t;
    if (m_child >= 0) {
        if (const auto p = firstUnscored(m_child, m_split.validation))
            return evaluate(m_child, *p);
        endCycle(QStringLiteral("random"), 0, m_child, true);
        m_child = -1;
    }
    if (!m_proposing) {
        if (m_settings.maxCycles > 0 && m_cycles >= m_settings.maxCycles)
            return finishedTask(QStringLiteral("cycles"));
        if (!m_budget.allows(1 + 2 * static_cast<int>(m_split.validation.size())))
            return finishedTask(QStringLiteral("budget"));
        ++m_cycles;
        m_proposing = true;
    }
    EvolveTask t;
    t.kind = EvolveTask::Kind::Reflect;
    t.candidate = 0;
    t.definition = m_candidates.front().definition;
    t.calls = 1; // no traces: the proposal is uninformed
    t.sample = m_cycles;
    return t;
}

void RandomSearch::apply(const EvolveTask &task, const TaskResult &result)
{
    if (task.kind == EvolveTask::Kind::Evaluate) {
        m_candidates[static_cast<size_t>(task.candidate)].scores[task.problemId] = result.score;
        return;
    }
    const Candidate &seed = m_candidates.front();
    Candidate child;
    child.parent = 0;
    child.op = QStringLiteral("random");
    child.definition = seed.definition;
    child.definition.traits = TraitStrategy::uniform(seed.definition.traits, m_rng);
    child.definition.instructions =
        ReflectiveOptimiser::normalizedLessons(result.lessons, m_settings.maxLessons);
    child.why = QStringLiteral("random search: uniform traits, lessons proposed without feedback");
    child.change = {{"lessons", ReflectiveOptimiser::lessonChange(seed.definition.instructions,
                                                                  child.definition.instructions)}};
    child.accepted = true;
    m_child = addCandidate(std::move(child));
    m_proposing = false;
}

void RandomSearch::writeState(json &j) const
{
    j["child"] = m_child;
    j["proposing"] = m_proposing;
}

void RandomSearch::readState(const json &j)
{
    m_child = j.value("child", -1);
    m_proposing = j.value("proposing", false);
}

} // namespace crucible::evolve
