#include "core/feedback/agreement.h"

#include "core/evaluate/bootstrap.h"
#include "core/llm/simulated/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace crucible::agreement {

double weightedKappa(const std::vector<std::pair<int, int>> &pairs, int lo, int hi,
                     bool *degenerate)
{
    auto flag = [degenerate](bool d) {
        if (degenerate)
            *degenerate = d;
    };
    if (pairs.size() < 2 || hi <= lo) {
        flag(true);
        return 0;
    }
    const auto k = static_cast<size_t>(hi - lo + 1);
    std::vector<double> rows(k, 0.0), cols(k, 0.0);
    double observed = 0;
    for (const auto &[a, b] : pairs) {
        const int x = std::clamp(a, lo, hi) - lo;
        const int y = std::clamp(b, lo, hi) - lo;
        rows[static_cast<size_t>(x)] += 1;
        cols[static_cast<size_t>(y)] += 1;
        observed += static_cast<double>((x - y) * (x - y));
    }
    const auto n = static_cast<double>(pairs.size());
    double expected = 0;
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < k; ++j) {
            const double d = static_cast<double>(i) - static_cast<double>(j);
            expected += d * d * rows[i] * cols[j] / n;
        }
    if (expected <= 0) {
        flag(true);
        return 1; // both gave one and the same rating throughout (observed is 0 as well)
    }
    flag(false);
    return 1.0 - observed / expected;
}

std::vector<double> averageRanks(const std::vector<double> &values)
{
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&values](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (size_t i = 0; i < order.size();) {
        size_t end = i;
        while (end + 1 < order.size() && values[order[end + 1]] == values[order[i]])
            ++end;
        const double rank = (static_cast<double>(i + 1) + static_cast<double>(end + 1)) / 2.0;
        for (size_t j = i; j <= end; ++j)
            ranks[order[j]] = rank;
        i = end + 1;
    }
    return ranks;
}

double spearman(const std::vector<std::pair<double, double>> &pairs, bool *degenerate)
{
    auto flag = [degenerate](bool d) {
        if (degenerate)
            *degenerate = d;
    };
    if (pairs.size() < 2) {
        flag(true);
        return 0;
    }
    std::vector<double> x, y;
    x.reserve(pairs.size());
    y.reserve(pairs.size());
    for (const auto &[a, b] : pairs) {
        x.push_back(a);
        y.push_back(b);
    }
    const std::vector<double> rx = averageRanks(x);
    const std::vector<double> ry = averageRanks(y);
    const double mean = (static_cast<double>(pairs.size()) + 1.0) / 2.0; // of ranks 1..n
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mean) * (ry[i] - mean);
        sxx += (rx[i] - mean) * (rx[i] - mean);
        syy += (ry[i] - mean) * (ry[i] - mean);
    }
    if (sxx <= 0 || syy <= 0) {
        flag(true);
        return 0;
    }
    flag(false);
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

namespace {

template <typename Pair, typename Statistic>
AgreementEstimate estimate(const std::vector<Pair> &pairs, int resamples, std::uint64_t seed,
                           double level, Statistic statistic)
{
    AgreementEstimate out;
    out.n = static_cast<int>(pairs.size());
    out.value = statistic(pairs, &out.degenerate);
    out.low = out.high = out.value;
    if (pairs.size() < 2 || resamples <= 0)
        return out;
    simulated::Rng rng(seed);
    std::vector<double> draws;
    draws.reserve(static_cast<size_t>(resamples));
    std::vector<Pair> sample(pairs.size());
    for (int r = 0; r < resamples; ++r) {
        for (Pair &p : sample)
            p = pairs[rng.below(pairs.size())];
        draws.push_back(statistic(sample, nullptr));
    }
    std::tie(out.low, out.high) = percentileInterval(draws, level);
    out.resamples = resamples;
    return out;
}

} // namespace

AgreementEstimate kappaEstimate(const std::vector<std::pair<int, int>> &pairs, int resamples,
                                std::uint64_t seed, int lo, int hi, double level)
{
    return estimate(pairs, resamples, seed, level,
                    [lo, hi](const std::vector<std::pair<int, int>> &p, bool *d) {
                        return weightedKappa(p, lo, hi, d);
                    });
}

AgreementEstimate spearmanEstimate(const std::vector<std::pair<double, double>> &pairs,
                                   int resamples, std::uint64_t seed, double level)
{
    return estimate(
        pairs, resamples, seed, level,
        [](const std::vector<std::pair<double, double>> &p, bool *d) { return spearman(p, d); });
}

int scoreToRating(double score)
{
    if (!std::isfinite(score))
        return 3;
    return 1 + static_cast<int>(std::lround(4.0 * std::clamp(score, 0.0, 1.0)));
}

double ratingToScore(int rating)
{
    return (std::clamp(rating, 1, 5) - 1) / 4.0;
}

} // namespace crucible::agreement
