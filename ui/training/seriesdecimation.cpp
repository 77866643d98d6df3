#include "ui/training/seriesdecimation.h"

#include <algorithm>
#include <cmath>

namespace crucible {

std::vector<QPointF> decimateMinMax(std::span<const QPointF> points, double x0, double x1,
                                    int buckets)
{
    buckets = std::max(1, buckets);
    const std::size_t limit = static_cast<std::size_t>(buckets) * 4;
    if (points.size() <= limit)
        return {points.begin(), points.end()};

    std::vector<QPointF> out;
    out.reserve(limit);
    const double span = x1 > x0 ? x1 - x0 : 1.0;
    const auto columnOf = [&](double x) {
        const double c = std::floor((x - x0) / span * buckets);
        return static_cast<int>(std::clamp(c, 0.0, static_cast<double>(buckets - 1)));
    };

    std::size_t i = 0;
    while (i < points.size()) {
        const int column = columnOf(points[i].x());
        const std::size_t first = i;
        std::size_t lo = i, hi = i;
        while (i < points.size() && columnOf(points[i].x()) == column) {
            if (points[i].y() < points[lo].y())
                lo = i;
            if (points[i].y() > points[hi].y())
                hi = i;
            ++i;
        }
        const std::size_t last = i - 1;
        // First, the two extremes in x order, last; each index once.
        std::size_t keep[4] = {first, std::min(lo, hi), std::max(lo, hi), last};
        std::size_t previous = points.size();
        for (std::size_t k : keep) {
            if (k != previous)
                out.push_back(points[k]);
            previous = k;
        }
    }
    return out;
}

} // namespace crucible
