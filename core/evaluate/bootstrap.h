#pragma once
// Percentiles and percentile-bootstrap confidence intervals: the mean of a sample (e.g. paired
// score differences on held-out problems) with the interval from resampling it with
// replacement. Deterministic for a seed. Pure functions.

#include <cstdint>
#include <utility>
#include <vector>

namespace crucible {

// The q-quantile (0..1) of `values` by linear interpolation; sorts them; 0 when empty.
double percentile(std::vector<double> &values, double q);

// The `level` (e.g. 0.95) percentile interval of bootstrap draws; sorts them.
std::pair<double, double> percentileInterval(std::vector<double> &draws, double level);

struct BootstrapInterval
{
    double mean = 0;
    double low = 0; // the interval's bounds (equal to mean for fewer than two values)
    double high = 0;
    int n = 0;         // values
    int resamples = 0; // 0 when no interval could be drawn
};

// The mean of `values` with a `level` (e.g. 0.95) percentile bootstrap interval.
BootstrapInterval bootstrapMean(const std::vector<double> &values, int resamples = 2000,
                                std::uint64_t seed = 1, double level = 0.95);

} // namespace crucible
