#include "core/llm/simulated/rng.h"

#include <xxhash.h>

namespace crucible::simulated {

std::uint64_t hashText(std::string_view text, std::uint64_t seed)
{
    return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}

} // namespace crucible::simulated
