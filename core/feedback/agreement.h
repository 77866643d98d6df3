#pragma once
// Agreement between two raters of the same items (a judge and a person): quadratic-weighted
// Cohen's κ for ordinal ratings and Spearman's ρ with average ranks for ties, each with a
// percentile-bootstrap interval (resampling the rated items) and the number of items behind
// it. Degenerate inputs never give NaN: see AgreementEstimate. Pure functions.

#include <cstdint>
#include <utility>
#include <vector>

namespace crucible::agreement {

struct AgreementEstimate
{
    double value = 0; // κ or ρ
    double low = 0;   // bootstrap interval (equal to value when none could be drawn)
    double high = 0;
    int n = 0;              // rated items
    int resamples = 0;      // 0 when no interval was drawn (n < 2)
    bool degenerate = true; // value is a convention, not an estimate (see the functions)
};

// Quadratic-weighted Cohen's κ of paired integer ratings in [lo, hi]:
//   κ = 1 − Σ wᵢⱼ Oᵢⱼ / Σ wᵢⱼ Eᵢⱼ,  wᵢⱼ = (i − j)², E = outer product of the marginals / n.
// Ratings outside [lo, hi] are clamped. Conventions: fewer than two pairs → 0 (degenerate);
// no expected disagreement (both raters gave one and the same rating to every item) → 1
// (degenerate: they agree, but chance agreement cannot be separated from it).
double weightedKappa(const std::vector<std::pair<int, int>> &pairs, int lo = 1, int hi = 5,
                     bool *degenerate = nullptr);

// Ranks 1..n with ties given the average of the ranks they span.
std::vector<double> averageRanks(const std::vector<double> &values);

// Spearman's ρ: Pearson's correlation of the average ranks. Conventions: fewer than two pairs,
// or one side constant (its ranks have no variance) → 0 (degenerate).
double spearman(const std::vector<std::pair<double, double>> &pairs, bool *degenerate = nullptr);

// κ (ratings 1..5 unless given) and ρ with a `level` percentile-bootstrap interval over
// `resamples` resamples of the pairs. Deterministic for a seed.
AgreementEstimate kappaEstimate(const std::vector<std::pair<int, int>> &pairs, int resamples = 1000,
                                std::uint64_t seed = 1, int lo = 1, int hi = 5,
                                double level = 0.95);
AgreementEstimate spearmanEstimate(const std::vector<std::pair<double, double>> &pairs,
                                   int resamples = 1000, std::uint64_t seed = 1,
                                   double level = 0.95);

// A judge's 0..1 score on the 1..5 rating scale people use: 1 + round(4 · score).
int scoreToRating(double score);
// A 1..5 rating on the judge's 0..1 scale: (rating − 1) / 4.
double ratingToScore(int rating);

} // namespace crucible::agreement
