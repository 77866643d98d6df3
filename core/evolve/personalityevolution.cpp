#include "core/evolve/personalityevolution.h"

#include "core/evolve/reflectiveoptimiser.h"
#include "core/model/jsonsupport.h"

#include <QStringBuilder>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace crucible::evolve {

using nlohmann::json;

namespace {

const QString kSuccess = QStringLiteral("success");
const QString kTokens = QStringLiteral("tokens");

} // namespace

PersonalityEvolution::PersonalityEvolution(const Agent &seed, DataSplit split,
                                           OptimiserSettings settings)
    : Optimiser(seed, std::move(split), settings)
    , m_strategy(seed.traits, settings.traitStep, settings.esLambda, settings.esMu)
{
    if (settings.targets.empty())
        throw std::invalid_argument("personality evolution needs at least one target metric "
                                    "(e.g. success=0.9)");
}

std::optional<double> PersonalityEvolution::metric(const Candidate &c, const QString &metric,
                                                   const QStringList &problems)
{
    if (problems.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (const QString &p : problems) {
        const auto it = c.scores.find(p);
        if (it == c.scores.end())
            return std::nullopt;
        if (metric == kSuccess) {
            sum += it->second.score;
        } else if (metric == kTokens) {
            sum += static_cast<double>(it->second.solutionTokens);
        } else {
            const auto a = it->second.aspects.find(metric);
            if (a == it->second.aspects.end())
                return std::nullopt;
            sum += a->second;
        }
    }
    return sum / static_cast<double>(problems.size());
}

std::optional<double> PersonalityEvolution::distance(const Candidate &c,
                                                     const QStringList &problems) const
{
    double d = 0;
    for (const auto &[name, target] : m_settings.targets) {
        const auto m = metric(c, name, problems);
        if (!m)
            return std::nullopt;
        const double scale = name == kTokens ? std::max(1.0, std::abs(target)) : 1.0;
        d += std::abs(*m - target) / scale;
    }
    return d;
}

int PersonalityEvolution::best() const
{
    int best = 0;
    double closest = 0;
    bool any = false;
    for (const int id : pool()) {
        const auto d = distance(m_candidates[static_cast<size_t>(id)], m_split.validation);
        if (d && (!any || *d < closest)) {
            closest = *d;
            best = id;
            any = true;
        }
    }
    return best;
}

std::vector<int> PersonalityEvolution::paretoSet() const
{
    const std::vector<int> ids = pool();
    std::vector<std::vector<double>> gaps;
    for (const int id : ids) {
        std::vector<double> g;
        for (const auto &[name, target] : m_settings.targets)
            g.push_back(
                std::abs(metric(m_candidates[static_cast<size_t>(id)], name, m_split.validation)
                             .value_or(1e18) -
                         target));
        gaps.push_back(std::move(g));
    }
    std::vector<int> out;
    for (size_t i = 0; i < ids.size(); ++i) {
        bool dominated = false;
        for (size_t j = 0; j < ids.size() && !dominated; ++j) {
            if (i == j)
                continue;
            bool allAsGood = true;
            bool oneBetter = false;
            for (size_t k = 0; k < gaps[i].size(); ++k) {
                allAsGood = allAsGood && gaps[j][k] <= gaps[i][k];
                oneBetter = oneBetter || gaps[j][k] < gaps[i][k];
            }
            dominated = allAsGood && oneBetter;
        }
        if (!dominated)
            out.push_back(ids[i]);
    }
    return out;
}

void PersonalityEvolution::startGeneration()
{
    ++m_cycles;
    m_inGeneration = true;
    m_minibatch = drawMinibatch();
    const Agent base = m_candidates.front().definition; // the seed's lessons and identity
    m_offspring.clear();
    m_directions.clear();
    for (int i = 0; i < m_strategy.lambda(); ++i) {
        std::vector<double> z = m_strategy.sample(m_rng);
        Candidate c;
        c.parent = best();
        c.op = kOp;
        c.definition = base;
        c.definition.traits = m_strategy.traitsOf(z);
        c.change = ReflectiveOptimiser::traitChange(base.traits, c.definition.traits);
        c.why = QStringLiteral("offspring %1 of generation %2 toward the targets (σ = %3)")
                    .arg(i + 1)
                    .arg(m_strategy.generation() + 1)
                    .arg(m_strategy.step(), 0, 'f', 1);
        m_offspring.push_back(addCandidate(std::move(c)));
        m_directions.push_back(std::move(z));
    }
}

void PersonalityEvolution::endGeneration()
{
    std::vector<double> gaps;
    for (const int id : m_offspring)
        gaps.push_back(distance(m_candidates[static_cast<size_t>(id)], m_minibatch).value_or(1e18));
    m_strategy.updateRanked(m_directions, gaps);
    m_inGeneration = false;
    ++m_generationsSinceValidation;
    if (m_strategy.generation() % std::max(1, m_settings.esValidateEvery) == 0)
        validateCentre();
    else
        endCycle(kOp, best(), -1, false, m_offspring);
}

void PersonalityEvolution::validateCentre()
{
    const Agent base = m_candidates.front().definition;
    Candidate c;
    c.parent = best();
    c.op = kOp;
    c.definition = base;
    c.definition.traits = m_strategy.centre();
    c.change = ReflectiveOptimiser::traitChange(
        m_candidates[static_cast<size_t>(c.parent)].definition.traits, c.definition.traits);
    c.why = QStringLiteral("the strategy's centre after %1 generation(s) toward %2")
                .arg(m_strategy.generation())
                .arg(QString::fromStdString(m_settings.targetsJson().dump()));
    c.accepted = true;
    m_validating = addCandidate(std::move(c));
    m_generationsSinceValidation = 0;
}

EvolveTask PersonalityEvolution::plan()
{
    if (auto t = seedValidation())
        return *t;
    for (;;) {
        if (m_validating >= 0) {
            if (const auto p = firstUnscored(m_validating, m_split.validation))
                return evaluate(m_validating, *p);
            const int parent = m_candidates[static_cast<size_t>(m_validating)].parent;
            const int child = m_validating;
            m_validating = -1;
            endCycle(kOp, parent, child, true);
            continue;
        }
        if (m_inGeneration) {
            for (const int id : m_offspring)
                if (const auto p = firstUnscored(id, m_minibatch))
                    return evaluate(id, *p);
            endGeneration();
            continue;
        }
        if (m_lastValidation)
            return finishedTask(QStringLiteral("budget"));
        if (m_settings.maxCycles > 0 && m_cycles >= m_settings.maxCycles)
            return finishedTask(QStringLiteral("cycles"));
        const int validation = 2 * static_cast<int>(m_split.validation.size());
        const int k = static_cast<int>(
            std::min<qsizetype>(m_split.train.size(), std::max(1, m_settings.minibatch)));
        const bool validateNext =
            (m_strategy.generation() + 1) % std::max(1, m_settings.esValidateEvery) == 0;
        if (m_budget.allows(2 * k * m_strategy.lambda() + (validateNext ? validation : 0))) {
            startGeneration();
            continue;
        }
        if (m_generationsSinceValidation > 0 && m_budget.allows(validation)) {
            ++m_cycles;
            m_lastValidation = true;
            validateCentre();
            continue;
        }
        return finishedTask(QStringLiteral("budget"));
    }
}

void PersonalityEvolution::apply(const EvolveTask &task, const TaskResult &result)
{
    if (task.kind != EvolveTask::Kind::Evaluate)
        return;
    ProblemScore score = result.score;
    score.feedback.clear(); // nothing reads the texts here
    score.solution.clear();
    m_candidates[static_cast<size_t>(task.candidate)].scores[task.problemId] = std::move(score);
}

void PersonalityEvolution::writeState(json &j) const
{
    j["strategy"] = m_strategy.toJson();
    j["minibatch"] = m_minibatch;
    j["offspring"] = m_offspring;
    j["directions"] = m_directions;
    j["validating"] = m_validating;
    j["in_generation"] = m_inGeneration;
    j["generations_since_validation"] = m_generationsSinceValidation;
    j["last_validation"] = m_lastValidation;
}

void PersonalityEvolution::readState(const json &j)
{
    m_strategy = TraitStrategy::fromJson(j.value("strategy", json::object()));
    m_minibatch = jsonio::stringsAt(j, "minibatch");
    m_offspring = j.value("offspring", std::vector<int>());
    m_directions = j.value("directions", std::vector<std::vector<double>>());
    m_validating = j.value("validating", -1);
    m_inGeneration = j.value("in_generation", false);
    m_generationsSinceValidation = j.value("generations_since_validation", 0);
    m_lastValidation = j.value("last_validation", false);
}

} // namespace crucible::evolve
