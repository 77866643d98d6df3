#include "core/llm/simulated/numbersampler.h"

#include "core/llm/simulated/propertyhints.h"
#include "core/llm/simulated/schemamerging.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace crucible::simulated {

using nlohmann::json;

namespace {

int decimalsOf(double d)
{
    for (int p = 0; p <= 12; ++p) {
        const double scaled = d * std::pow(10.0, p);
        if (std::fabs(scaled - std::round(scaled)) < 1e-9 * std::max(1.0, std::fabs(scaled))) {
            return p;
        }
    }
    return 12;
}

double roundTo(double v, int decimals)
{
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    return std::isfinite(r) ? r : v;
}

json numberJson(double v, bool integer)
{
    if ((integer || std::floor(v) == v) && std::fabs(v) < 9.0e15) {
        return json(static_cast<std::int64_t>(v));
    }
    return json(v);
}

} // namespace

std::optional<json> sampleNumber(const json &m, bool integer, const std::string &hint, Rng &rng,
                                 std::string &why)
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    double lo = -inf;
    double hi = inf;
    bool loEx = false;
    bool hiEx = false;
    if (const auto v = numberKeyword(m, "minimum")) {
        lo = *v;
    }
    if (const auto v = numberKeyword(m, "exclusiveMinimum"); v && *v >= lo) {
        lo = *v;
        loEx = true;
    }
    if (const auto v = numberKeyword(m, "maximum")) {
        hi = *v;
    }
    if (const auto v = numberKeyword(m, "exclusiveMaximum"); v && *v <= hi) {
        hi = *v;
        hiEx = true;
    }
    if (lo > hi || (lo == hi && (loEx || hiEx))) {
        why = ("the lower bound " + json(lo).dump() + " is not below the upper bound " +
               json(hi).dump());
        return std::nullopt;
    }
    const NumericHint h = numericHint(hint, integer);
    // A window inside the bounds, near the hint's range.
    double wlo = std::max(lo, h.lo);
    double whi = std::min(hi, h.hi);
    if (wlo > whi) {
        const double span = std::max(10.0, h.hi - h.lo);
        if (lo > h.hi) {
            wlo = lo;
            whi = std::min(hi, lo + span);
        } else {
            whi = hi;
            wlo = std::max(lo, hi - span);
        }
    }
    auto inside = [&](double v) {
        return std::isfinite(v) && (loEx ? v > lo : v >= lo) && (hiEx ? v < hi : v <= hi);
    };
    const auto multiple = numberKeyword(m, "multipleOf");
    if (multiple && *multiple > 0) {
        const double d = *multiple;
        const int dec = decimalsOf(d);
        for (const auto &[a, b] : {std::pair{wlo, whi}, std::pair{lo, hi}}) {
            double kLo = std::ceil(std::max(a, -1e300) / d);
            double kHi = std::floor(std::min(b, 1e300) / d);
            if (!inside(kLo * d)) {
                kLo += 1;
            }
            if (!inside(kHi * d)) {
                kHi -= 1;
            }
            if (kLo > kHi) {
                continue;
            }
            for (int t = 0; t < 64; ++t) {
                const double k = t == 63
                                     ? (kLo <= 0 && kHi >= 0 ? 0 : kLo)
                                     : kLo + std::floor(rng.unit() * std::min(kHi - kLo + 1, 1e15));
                const double v = roundTo(k * d, dec);
                if (inside(v) && (!integer || std::floor(v) == v)) {
                    return numberJson(v, integer);
                }
            }
        }
        why = ("no " + std::string(integer ? "integer" : "number") + " multiple of " +
               json(d).dump() + " lies within the bounds");
        return std::nullopt;
    }
    if (integer) {
        for (const auto &[a, b] : {std::pair{wlo, whi}, std::pair{lo, hi}}) {
            double ia = std::ceil(std::max(a, -9.0e15));
            double ib = std::floor(std::min(b, 9.0e15));
            if (!inside(ia)) {
                ia += 1;
            }
            if (!inside(ib)) {
                ib -= 1;
            }
            if (ia <= ib) {
                const double v = ia + std::floor(rng.unit() * (ib - ia + 1));
                return numberJson(std::min(v, ib), true);
            }
        }
        why = ("no integer lies within the bounds");
        return std::nullopt;
    }
    const double raw = wlo + rng.unit() * (whi - wlo);
    double v = roundTo(raw, h.decimals);
    if (!inside(v)) {
        v = raw;
    }
    if (!inside(v)) {
        v = wlo + (whi - wlo) / 2;
    }
    if (!inside(v) && std::isfinite(lo) && std::isfinite(hi)) {
        v = lo + (hi - lo) / 2;
    }
    if (!inside(v)) {
        why = ("no number lies within the bounds");
        return std::nullopt;
    }
    return numberJson(v, false);
}

} // namespace crucible::simulated
