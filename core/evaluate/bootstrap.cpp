#include "core/evaluate/bootstrap.h"

#include "core/llm/simulated/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace crucible {

double percentile(std::vector<double> &values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const auto hi = std::min(values.size() - 1, lo + 1);
    const double frac = pos - static_cast<double>(lo);
    return values[lo] * (1 - frac) + values[hi] * frac;
}

std::pair<double, double> percentileInterval(std::vector<double> &draws, double level)
{
    const double tail = (1.0 - level) / 2.0;
    const double low = percentile(draws, tail);
    return {low, percentile(draws, 1.0 - tail)};
}

BootstrapInterval bootstrapMean(const std::vector<double> &values, int resamples,
                                std::uint64_t seed, double level)
{
    BootstrapInterval out;
    out.n = static_cast<int>(values.size());
    if (values.empty())
        return out;
    out.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(out.n);
    out.low = out.high = out.mean;
    if (values.size() < 2 || resamples <= 0)
        return out;
    simulated::Rng rng(seed);
    std::vector<double> means;
    means.reserve(static_cast<size_t>(resamples));
    for (int r = 0; r < resamples; ++r) {
        double sum = 0;
        for (size_t i = 0; i < values.size(); ++i)
            sum += values[rng.below(values.size())];
        means.push_back(sum / static_cast<double>(values.size()));
    }
    std::tie(out.low, out.high) = percentileInterval(means, level);
    out.resamples = resamples;
    return out;
}

} // namespace crucible
