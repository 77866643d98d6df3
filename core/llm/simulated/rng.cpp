#include "core/llm/simulated/rng.h"

#include <xxhash.h>

#include <cmath>
#include <numbers>

namespace crucible::simulated {

std::uint64_t hashText(std::string_view text, std::uint64_t seed)
{
    return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}

double Rng::normal()
{
    const double u1 = 1.0 - unit(); // (0, 1]: log stays finite
    const double u2 = unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

} // namespace crucible::simulated
