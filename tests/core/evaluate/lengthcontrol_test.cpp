#include "core/evaluate/lengthcontrol.h"

#include <gtest/gtest.h>

#include <random>

using namespace crucible;

TEST(LengthControl, RemovesAPreferenceForLongerAnswers)
{
    // Two equally able entrants; entrant 0 usually writes more and the judge favours the longer
    // answer 80 % of the time.
    std::mt19937_64 random(9);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<LengthOutcome> outcomes;
    for (int k = 0; k < 4000; ++k) {
        const bool zeroLonger = u(random) < 0.8;
        const double l0 = zeroLonger ? 1500 + 500 * u(random) : 600 + 300 * u(random);
        const double l1 = zeroLonger ? 600 + 300 * u(random) : 1500 + 500 * u(random);
        const bool longerWins = u(random) < 0.8;
        const bool zeroWins = zeroLonger == longerWins;
        outcomes.push_back({0, 1, zeroWins ? 1.0 : 0.0, l0, l1});
    }
    const LengthControlResult r = LengthControl::compute(2, outcomes);
    ASSERT_TRUE(r.converged);
    EXPECT_NEAR(r.entrants[0].winRate, 0.68, 0.03);
    EXPECT_NEAR(r.entrants[0].lengthControlledWinRate, 0.5, 0.05);
    EXPECT_NEAR(r.entrants[1].lengthControlledWinRate, 0.5, 0.05);
    EXPECT_GT(r.lengthCoefficient, 1.0);
    EXPECT_NEAR(r.longerWinsShare, 0.8, 0.03);
    EXPECT_EQ(r.entrants[0].comparisons, 4000);
    EXPECT_GT(r.entrants[0].meanLength, r.entrants[1].meanLength);
}

TEST(LengthControl, KeepsADifferenceInAbilityThatLengthDoesNotExplain)
{
    std::mt19937_64 random(4);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<LengthOutcome> outcomes;
    for (int k = 0; k < 4000; ++k) {
        const double l0 = 500 + 1000 * u(random);
        const double l1 = 500 + 1000 * u(random);
        outcomes.push_back({0, 1, u(random) < 0.75 ? 1.0 : 0.0, l0, l1});
    }
    const LengthControlResult r = LengthControl::compute(2, outcomes);
    EXPECT_NEAR(r.entrants[0].winRate, 0.75, 0.03);
    EXPECT_NEAR(r.entrants[0].lengthControlledWinRate, r.entrants[0].winRate, 0.03);
    EXPECT_NEAR(r.lengthCoefficient, 0.0, 0.25);
}

TEST(LengthControl, TiesAndEqualLengthsAndEmptyInput)
{
    const LengthControlResult empty = LengthControl::compute(3, {});
    EXPECT_EQ(empty.comparisons, 0);
    EXPECT_EQ(empty.entrants.size(), 3u);
    EXPECT_EQ(empty.longerWinsShare, -1);

    const LengthControlResult ties =
        LengthControl::compute(2, {{0, 1, 0.5, 100, 100}, {1, 0, 0.5, 100, 100}});
    EXPECT_DOUBLE_EQ(ties.entrants[0].winRate, 0.5);
    EXPECT_NEAR(ties.entrants[0].lengthControlledWinRate, 0.5, 1e-9);
    EXPECT_EQ(ties.longerWinsShare, -1); // no decisive comparison of uneven lengths
}
