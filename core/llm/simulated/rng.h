#pragma once
// The Simulated provider's randomness: SplitMix64, so that output is identical on every platform
// and standard library, and a text hash (XXH3) to seed it from schemas and topics.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace crucible::simulated {

class Rng
{
public:
    explicit Rng(std::uint64_t seed)
        : m_state(seed)
    {
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    // Uniform in [0, n); 0 when n == 0.
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    // Uniform in [lo, hi] (lo <= hi).
    std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
    double unit() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    // Standard normal (Box–Muller on two draws).
    double normal();
    // The whole state: Rng(state()) continues the same sequence (checkpoints store it).
    std::uint64_t state() const { return m_state; }
    template <typename T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }
    template <typename T, std::size_t N> const T &pick(const std::array<T, N> &v)
    {
        return v[below(N)];
    }
    template <typename T> void shuffle(std::vector<T> &v)
    {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::swap(v[i - 1], v[below(i)]);
        }
    }

private:
    std::uint64_t m_state;
};

std::uint64_t hashText(std::string_view text, std::uint64_t seed = 0);

} // namespace crucible::simulated
