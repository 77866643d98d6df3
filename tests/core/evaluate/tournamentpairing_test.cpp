#include "core/evaluate/tournamentpairing.h"

#include <gtest/gtest.h>

#include <map>

using namespace crucible;

namespace {

void expectEveryPairOnce(int n, const std::vector<PairingRound> &rounds)
{
    std::map<std::pair<int, int>, int> met;
    std::map<int, int> byes;
    for (const auto &round : rounds) {
        std::set<int> seen;
        for (const Pairing &p : round) {
            EXPECT_TRUE(seen.insert(p.a).second) << "entrant " << p.a << " twice in a round";
            if (p.isBye()) {
                ++byes[p.a];
                continue;
            }
            EXPECT_TRUE(seen.insert(p.b).second) << "entrant " << p.b << " twice in a round";
            ++met[TournamentPairing::key(p.a, p.b)];
        }
        EXPECT_EQ(static_cast<int>(seen.size()), n);
    }
    EXPECT_EQ(static_cast<int>(met.size()), n * (n - 1) / 2);
    for (const auto &[pair, count] : met)
        EXPECT_EQ(count, 1) << pair.first << "-" << pair.second;
    if (n % 2 == 1) {
        EXPECT_EQ(static_cast<int>(byes.size()), n);
        for (const auto &[e, count] : byes)
            EXPECT_EQ(count, 1);
    } else {
        EXPECT_TRUE(byes.empty());
    }
}

} // namespace

TEST(TournamentPairing, RoundRobinMeetsEveryPairExactlyOnce)
{
    for (int n = 2; n <= 9; ++n) {
        const auto rounds = TournamentPairing::roundRobin(n, static_cast<std::uint64_t>(n));
        EXPECT_EQ(static_cast<int>(rounds.size()), n % 2 == 0 ? n - 1 : n);
        expectEveryPairOnce(n, rounds);
    }
    EXPECT_TRUE(TournamentPairing::roundRobin(1).empty());
}

TEST(TournamentPairing, RoundRobinIsDeterministicBySeed)
{
    EXPECT_EQ(TournamentPairing::roundRobin(6, 11), TournamentPairing::roundRobin(6, 11));
    EXPECT_NE(TournamentPairing::roundRobin(6, 11), TournamentPairing::roundRobin(6, 12));
}

TEST(TournamentPairing, SwissRoundsSeparateTheField)
{
    EXPECT_EQ(TournamentPairing::swissRounds(2), 1);
    EXPECT_EQ(TournamentPairing::swissRounds(8), 3);
    EXPECT_EQ(TournamentPairing::swissRounds(9), 4);
}

TEST(TournamentPairing, SwissPairsNeighboursInTheStandings)
{
    const std::vector<double> scores = {0, 3, 1, 2};
    const auto round = TournamentPairing::swissRound(scores, {}, {}, 1);
    ASSERT_EQ(round.size(), 2u);
    EXPECT_EQ(TournamentPairing::key(round[0].a, round[0].b), (std::pair{1, 3}));
    EXPECT_EQ(TournamentPairing::key(round[1].a, round[1].b), (std::pair{0, 2}));
}

TEST(TournamentPairing, SwissAvoidsRematchesAndGivesByesToDifferentEntrants)
{
    const int n = 7;
    std::vector<double> scores(n, 0);
    std::set<std::pair<int, int>> played;
    std::set<int> byes;
    for (int r = 0; r < 5; ++r) {
        const auto round =
            TournamentPairing::swissRound(scores, played, byes, static_cast<std::uint64_t>(r));
        std::set<int> seen;
        for (const Pairing &p : round) {
            EXPECT_TRUE(seen.insert(p.a).second);
            if (p.isBye()) {
                EXPECT_EQ(byes.count(p.a), 0u) << "second bye for " << p.a << " in round " << r;
                byes.insert(p.a);
                scores[static_cast<size_t>(p.a)] += 1;
                continue;
            }
            EXPECT_TRUE(seen.insert(p.b).second);
            EXPECT_EQ(played.count(TournamentPairing::key(p.a, p.b)), 0u)
                << "rematch " << p.a << "-" << p.b << " in round " << r;
            played.insert(TournamentPairing::key(p.a, p.b));
            // The lower index always wins: a fixed strength order.
            scores[static_cast<size_t>(std::min(p.a, p.b))] += 1;
        }
        EXPECT_EQ(static_cast<int>(seen.size()), n);
    }
}

TEST(TournamentPairing, SwissAllowsARematchOnlyWhenNoneFreeExists)
{
    // Two entrants that already met must meet again; the result still pairs everyone.
    const std::set<std::pair<int, int>> played = {{0, 1}};
    const auto round = TournamentPairing::swissRound({1, 0}, played, {}, 0);
    ASSERT_EQ(round.size(), 1u);
    EXPECT_EQ(TournamentPairing::key(round[0].a, round[0].b), (std::pair{0, 1}));
    // With four, the rematch is avoided by pairing across.
    const auto four = TournamentPairing::swissRound({3, 2, 1, 0}, {{0, 1}, {2, 3}}, {}, 0);
    for (const Pairing &p : four) {
        EXPECT_NE(TournamentPairing::key(p.a, p.b), (std::pair{0, 1}));
        EXPECT_NE(TournamentPairing::key(p.a, p.b), (std::pair{2, 3}));
    }
}

TEST(TournamentPairing, SwissIsDeterministicBySeed)
{
    const std::vector<double> scores(8, 0);
    EXPECT_EQ(TournamentPairing::swissRound(scores, {}, {}, 5),
              TournamentPairing::swissRound(scores, {}, {}, 5));
    EXPECT_NE(TournamentPairing::swissRound(scores, {}, {}, 5),
              TournamentPairing::swissRound(scores, {}, {}, 6));
}
