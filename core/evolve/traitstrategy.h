#pragma once
// TraitStrategy: a (μ/μ_I, λ) evolution strategy over an agent's traits with cumulative
// step-size adaptation (CSA, Hansen & Ostermeier): each generation samples λ offspring
// centre + σ·z (z ~ N(0, I), rounded and clamped to 0..100), the caller ranks them by their
// scores, and update() moves the centre to the mean of the μ best and adapts σ from the length
// of the evolution path. Intermediate recombination averages the evaluation noise away, which
// is why it beats a (1+1)-ES under noisy judges. Value type with a JSON round-trip.

#include "core/llm/simulated/rng.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <map>
#include <vector>

namespace crucible::evolve {

class TraitStrategy final
{
public:
    static constexpr double kMinStep = 1.0;
    static constexpr double kMaxStep = 40.0;

    TraitStrategy() = default;
    // Starts at `traits` (their names fix the dimensions) with step size `step` (trait points).
    TraitStrategy(const std::map<QString, int> &traits, double step, int lambda, int mu);

    int lambda() const { return m_lambda; }
    int mu() const { return m_mu; }
    int generation() const { return m_generation; }
    double step() const { return m_step; }
    bool empty() const { return m_names.empty(); }

    // One offspring's direction z ~ N(0, I).
    std::vector<double> sample(simulated::Rng &rng) const;
    // The traits of centre + σ·z, rounded and clamped to 0..100.
    std::map<QString, int> traitsOf(const std::vector<double> &z) const;
    // The centre, rounded.
    std::map<QString, int> centre() const;
    // Ends a generation: `selected` are the z of the μ best offspring, best first.
    void update(const std::vector<std::vector<double>> &selected);
    // Ends a generation from all λ offspring: their z and their costs (lower is better; ties
    // keep the order given); recombines the μ cheapest.
    void updateRanked(const std::vector<std::vector<double>> &directions,
                      const std::vector<double> &costs);

    // Every trait drawn uniformly from 0..100 (random search).
    static std::map<QString, int> uniform(const std::map<QString, int> &traits,
                                          simulated::Rng &rng);

    nlohmann::json toJson() const;
    static TraitStrategy fromJson(const nlohmann::json &j);

private:
    std::vector<QString> m_names;
    std::vector<double> m_centre;
    std::vector<double> m_path;
    double m_step = 15.0;
    int m_lambda = 6;
    int m_mu = 2;
    int m_generation = 0;
};

} // namespace crucible::evolve
