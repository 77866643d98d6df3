#include "core/evaluate/tournamentpairing.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace crucible {

namespace {

// Depth-first pairing of `order` (best first): the first unpaired entrant takes the nearest
// later one it may meet. Counts rematches so that, when none-free pairings do not exist, the
// search keeps the one with the fewest.
class SwissSearch
{
public:
    SwissSearch(const std::vector<int> &order, const std::set<std::pair<int, int>> &played)
        : m_order(order)
        , m_played(played)
        , m_used(order.size(), false)
    {
    }

    PairingRound run()
    {
        for (int allowed = 0; allowed <= static_cast<int>(m_order.size()) / 2; ++allowed) {
            m_steps = 0;
            m_current.clear();
            if (search(allowed))
                return m_current;
        }
        return greedy();
    }

private:
    static constexpr long kMaxSteps = 200'000;

    bool search(int rematchesLeft)
    {
        if (++m_steps > kMaxSteps)
            return false;
        size_t first = 0;
        while (first < m_order.size() && m_used[first])
            ++first;
        if (first == m_order.size())
            return true;
        m_used[first] = true;
        for (size_t k = first + 1; k < m_order.size(); ++k) {
            if (m_used[k])
                continue;
            const bool rematch =
                m_played.count(TournamentPairing::key(m_order[first], m_order[k])) != 0;
            if (rematch && rematchesLeft == 0)
                continue;
            m_used[k] = true;
            m_current.push_back({m_order[first], m_order[k]});
            if (search(rematchesLeft - (rematch ? 1 : 0)))
                return true;
            m_current.pop_back();
            m_used[k] = false;
        }
        m_used[first] = false;
        return false;
    }

    // Fallback past the search bound: neighbours in the standings, rematches or not.
    PairingRound greedy() const
    {
        PairingRound out;
        for (size_t k = 0; k + 1 < m_order.size(); k += 2)
            out.push_back({m_order[k], m_order[k + 1]});
        return out;
    }

    const std::vector<int> &m_order;
    const std::set<std::pair<int, int>> &m_played;
    std::vector<bool> m_used;
    PairingRound m_current;
    long m_steps = 0;
};

} // namespace

std::vector<PairingRound> TournamentPairing::roundRobin(int entrants, std::uint64_t seed)
{
    std::vector<PairingRound> rounds;
    if (entrants < 2)
        return rounds;
    std::vector<int> seats(static_cast<size_t>(entrants));
    std::iota(seats.begin(), seats.end(), 0);
    std::mt19937_64 random(seed);
    std::shuffle(seats.begin(), seats.end(), random);
    if (entrants % 2 != 0)
        seats.push_back(-1); // the bye seat
    const int n = static_cast<int>(seats.size());
    for (int r = 0; r < n - 1; ++r) {
        PairingRound round;
        for (int k = 0; k < n / 2; ++k) {
            int x = seats[static_cast<size_t>(k)];
            int y = seats[static_cast<size_t>(n - 1 - k)];
            if (x < 0)
                std::swap(x, y);
            // Alternate sides so nobody is always entrant a.
            if (y >= 0 && (r + k) % 2 == 1)
                std::swap(x, y);
            round.push_back({x, y});
        }
        rounds.push_back(std::move(round));
        // Seat 0 stays, the others rotate by one.
        std::rotate(seats.begin() + 1, seats.end() - 1, seats.end());
    }
    return rounds;
}

int TournamentPairing::swissRounds(int entrants)
{
    int rounds = 0;
    while ((1 << rounds) < entrants)
        ++rounds;
    return std::max(1, rounds);
}

PairingRound TournamentPairing::swissRound(const std::vector<double> &scores,
                                           const std::set<std::pair<int, int>> &played,
                                           const std::set<int> &byes, std::uint64_t seed)
{
    const int n = static_cast<int>(scores.size());
    PairingRound round;
    if (n < 2) {
        if (n == 1)
            round.push_back({0, -1});
        return round;
    }
    // Standings: score descending, ties in a seeded random order.
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 random(seed);
    std::shuffle(order.begin(), order.end(), random);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        return scores[static_cast<size_t>(x)] > scores[static_cast<size_t>(y)];
    });

    int bye = -1;
    if (n % 2 != 0) {
        // The lowest-ranked entrant that has not had a bye (everyone has: the lowest).
        bye = order.back();
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            if (byes.count(*it) == 0) {
                bye = *it;
                break;
            }
        }
        order.erase(std::find(order.begin(), order.end(), bye));
    }
    round = SwissSearch(order, played).run();
    if (bye >= 0)
        round.push_back({bye, -1});
    return round;
}

} // namespace crucible
