#include "core/evolve/traitstrategy.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace crucible::evolve {

using nlohmann::json;

TraitStrategy::TraitStrategy(const std::map<QString, int> &traits, double step, int lambda, int mu)
    : m_step(std::clamp(step, kMinStep, kMaxStep))
    , m_lambda(std::max(2, lambda))
    , m_mu(std::clamp(mu, 1, std::max(1, lambda - 1)))
{
    for (const auto &[name, value] : traits) {
        m_names.push_back(name);
        m_centre.push_back(static_cast<double>(value));
    }
    m_path.assign(m_names.size(), 0.0);
}

std::vector<double> TraitStrategy::sample(simulated::Rng &rng) const
{
    std::vector<double> z(m_names.size());
    for (double &v : z)
        v = rng.normal();
    return z;
}

std::map<QString, int> TraitStrategy::traitsOf(const std::vector<double> &z) const
{
    std::map<QString, int> out;
    for (size_t i = 0; i < m_names.size(); ++i)
        out[m_names[i]] =
            std::clamp(static_cast<int>(std::lround(m_centre[i] + m_step * z.at(i))), 0, 100);
    return out;
}

std::map<QString, int> TraitStrategy::centre() const
{
    return traitsOf(std::vector<double>(m_names.size(), 0.0));
}

void TraitStrategy::update(const std::vector<std::vector<double>> &selected)
{
    const size_t n = m_names.size();
    if (n == 0 || selected.empty())
        return;
    const auto mu = static_cast<double>(selected.size());
    std::vector<double> mean(n, 0.0);
    for (const auto &z : selected)
        for (size_t i = 0; i < n; ++i)
            mean[i] += z.at(i) / mu;
    for (size_t i = 0; i < n; ++i)
        m_centre[i] = std::clamp(m_centre[i] + m_step * mean[i], 0.0, 100.0);
    // CSA with equal recombination weights (μ_eff = μ).
    const double dim = static_cast<double>(n);
    const double cs = (mu + 2.0) / (dim + mu + 5.0);
    const double ds = 1.0 + cs + 2.0 * std::max(0.0, std::sqrt((mu - 1.0) / (dim + 1.0)) - 1.0);
    const double chi = std::sqrt(dim) * (1.0 - 1.0 / (4.0 * dim) + 1.0 / (21.0 * dim * dim));
    double norm = 0;
    for (size_t i = 0; i < n; ++i) {
        m_path[i] = (1.0 - cs) * m_path[i] + std::sqrt(cs * (2.0 - cs) * mu) * mean[i];
        norm += m_path[i] * m_path[i];
    }
    m_step *= std::exp((cs / ds) * (std::sqrt(norm) / chi - 1.0));
    m_step = std::clamp(m_step, kMinStep, kMaxStep);
    ++m_generation;
}

void TraitStrategy::updateRanked(const std::vector<std::vector<double>> &directions,
                                 const std::vector<double> &costs)
{
    std::vector<size_t> order(std::min(directions.size(), costs.size()));
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&costs](size_t a, size_t b) { return costs[a] < costs[b]; });
    std::vector<std::vector<double>> selected;
    for (size_t i = 0; i < order.size() && static_cast<int>(i) < m_mu; ++i)
        selected.push_back(directions[order[i]]);
    update(selected);
}

std::map<QString, int> TraitStrategy::uniform(const std::map<QString, int> &traits,
                                              simulated::Rng &rng)
{
    std::map<QString, int> out = traits;
    for (auto &[name, value] : out)
        value = static_cast<int>(rng.below(101));
    return out;
}

json TraitStrategy::toJson() const
{
    json names = json::array();
    for (const QString &n : m_names)
        names.push_back(n.toStdString());
    return {{"names", names},
            {"centre", m_centre},
            {"path", m_path},
            {"step", m_step},
            {"lambda", m_lambda},
            {"mu", m_mu},
            {"generation", m_generation}};
}

TraitStrategy TraitStrategy::fromJson(const json &j)
{
    TraitStrategy s;
    for (const json &n : j.value("names", json::array()))
        s.m_names.push_back(QString::fromStdString(n.get<std::string>()));
    s.m_centre = j.value("centre", std::vector<double>());
    s.m_path = j.value("path", std::vector<double>());
    s.m_step = j.value("step", s.m_step);
    s.m_lambda = j.value("lambda", s.m_lambda);
    s.m_mu = j.value("mu", s.m_mu);
    s.m_generation = j.value("generation", 0);
    if (s.m_centre.size() != s.m_names.size() || s.m_path.size() != s.m_names.size())
        throw std::invalid_argument("the trait strategy's checkpoint has vectors of different "
                                    "lengths");
    return s;
}

} // namespace crucible::evolve
