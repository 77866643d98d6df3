#pragma once
// A dataset's complexity mix: parsing "simple=0.3,medium=0.5,complex=0.2" and turning fractions
// into whole counts that sum to exactly N (largest-remainder rounding). Pure functions.

#include "core/model/problem.h"

#include <map>

namespace crucible {

using ComplexityMix = std::map<Complexity, double>;

// simple 0.3, medium 0.5, complex 0.2
ComplexityMix defaultComplexityMix();

// Parses "simple=0.3,medium=0.5,complex=0.2" (weights need not sum to 1; they are normalised;
// levels left out get 0). Throws ValidationError naming the bad part.
ComplexityMix parseComplexityMix(const QString &text);
QString formatComplexityMix(const ComplexityMix &mix);

// Counts per level that sum to exactly `total`: each level gets floor(total · share) and the
// remaining units go to the largest fractional remainders (ties: simple before complex).
// Levels with share 0 get 0. Throws ValidationError when the mix has no positive share.
std::map<Complexity, int> allocateByMix(const ComplexityMix &mix, int total);

} // namespace crucible
