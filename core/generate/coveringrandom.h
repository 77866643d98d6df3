#pragma once
// The covering-array generator's randomness: a xoshiro-style generator of our own, so that a
// seed gives the same rows on every platform and standard library.

#include <cstdint>

namespace crucible::covering {

// xoshiro-style generator of our own so that a seed gives the same rows on every platform.
class CoveringRandom
{
public:
    explicit CoveringRandom(std::uint64_t seed)
    {
        std::uint64_t x = seed;
        for (auto &s : m_state) {
            x += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            s = z ^ (z >> 31);
        }
    }

    std::uint64_t next()
    {
        std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    int below(int n) { return static_cast<int>((next() >> 33) % static_cast<std::uint64_t>(n)); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_state[4];
};

} // namespace crucible::covering
