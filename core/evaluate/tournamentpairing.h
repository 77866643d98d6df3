#pragma once
// TournamentPairing: who meets whom. Round-robin (the circle method: every pair exactly once,
// one bye per round when the number of entrants is odd) and Swiss rounds (entrants sorted by
// score, paired top-down with the nearest opponent they have not met, the bye to the
// lowest-ranked entrant without one). Deterministic for a seed. Pure functions.

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace crucible {

struct Pairing
{
    int a = 0;
    int b = -1; // -1: a has a bye this round

    bool isBye() const { return b < 0; }
    bool operator==(const Pairing &) const = default;
};

using PairingRound = std::vector<Pairing>;

class TournamentPairing final
{
public:
    // All rounds of a round-robin among `entrants`: n-1 rounds (n rounds when n is odd), every
    // pair once. The seed shuffles who sits where, so the order of meetings varies by seed.
    static std::vector<PairingRound> roundRobin(int entrants, std::uint64_t seed = 0);

    // The number of Swiss rounds that separates `entrants` (ceil(log2 n), at least 1).
    static int swissRounds(int entrants);

    // One Swiss round. `scores[i]` is entrant i's score so far (ties broken by the seed),
    // `played` the pairs (min, max) that already met, `byes` the entrants that already had a bye.
    // Rematches happen only when no pairing without one exists (the search is bounded; past the
    // bound the fewest rematches found are taken).
    static PairingRound swissRound(const std::vector<double> &scores,
                                   const std::set<std::pair<int, int>> &played,
                                   const std::set<int> &byes, std::uint64_t seed = 0);

    static std::pair<int, int> key(int a, int b)
    {
        return a < b ? std::pair{a, b} : std::pair{b, a};
    }
};

} // namespace crucible
