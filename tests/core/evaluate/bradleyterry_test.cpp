#include "core/evaluate/bradleyterry.h"

#include <QtConcurrent/QtConcurrentRun>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace crucible;

namespace {

// Outcomes of `games` random pairings drawn from known ratings.
std::vector<PairOutcome> draw(const std::vector<double> &truth, int games, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<int> pick(0, static_cast<int>(truth.size()) - 1);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<PairOutcome> out;
    while (static_cast<int>(out.size()) < games) {
        const int a = pick(random);
        const int b = pick(random);
        if (a == b)
            continue;
        const double p = BradleyTerry::winProbability(truth[static_cast<size_t>(a)],
                                                      truth[static_cast<size_t>(b)]);
        out.push_back({a, b, u(random) < p ? 1.0 : 0.0});
    }
    return out;
}

} // namespace

TEST(BradleyTerry, RecoversKnownStrengthsFromManyComparisons)
{
    const std::vector<double> truth = {850, 925, 1000, 1075, 1150};
    const auto outcomes = draw(truth, 20'000, 7);
    BradleyTerryOptions options;
    options.bootstrapRounds = 0;
    const std::vector<double> fitted = BradleyTerry::fit(5, outcomes, options);
    ASSERT_EQ(fitted.size(), 5u);
    double mean = 0;
    for (size_t i = 0; i < fitted.size(); ++i) {
        EXPECT_NEAR(fitted[i], truth[i], 20.0) << "entrant " << i;
        mean += fitted[i];
    }
    EXPECT_NEAR(mean / 5, 1000.0, 1e-6);
}

TEST(BradleyTerry, TwoEntrantsMatchTheClosedForm)
{
    // 30 wins to 10 with one virtual game against the reference each: strengths solve the MM
    // fixed point; without the prior the difference is exactly 400·log10(3).
    std::vector<PairOutcome> outcomes;
    for (int i = 0; i < 30; ++i)
        outcomes.push_back({0, 1, 1.0});
    for (int i = 0; i < 10; ++i)
        outcomes.push_back({0, 1, 0.0});
    BradleyTerryOptions noPrior;
    noPrior.priorGames = 0;
    const auto r = BradleyTerry::fit(2, outcomes, noPrior);
    EXPECT_NEAR(r[0] - r[1], 400 * std::log10(3.0), 1e-6);
    EXPECT_NEAR(r[0] + r[1], 2000, 1e-9);
    const auto withPrior = BradleyTerry::fit(2, outcomes);
    EXPECT_GT(withPrior[0] - withPrior[1], 0);
    EXPECT_LT(withPrior[0] - withPrior[1], 400 * std::log10(3.0)); // shrunk toward each other
}

TEST(BradleyTerry, TiesCountAsHalfAWinEach)
{
    // Two ties carry the same information as one win each way.
    const auto tied = BradleyTerry::fit(3, {{0, 1, 0.5}, {0, 1, 0.5}, {1, 2, 1.0}});
    const auto split = BradleyTerry::fit(3, {{0, 1, 1.0}, {0, 1, 0.0}, {1, 2, 1.0}});
    for (size_t i = 0; i < 3; ++i)
        EXPECT_NEAR(tied[i], split[i], 1e-6);
    EXPECT_GT(tied[1], tied[2]);
    const auto onlyTies = BradleyTerry::fit(2, {{0, 1, 0.5}, {1, 0, 0.5}, {0, 1, 0.5}});
    EXPECT_NEAR(onlyTies[0], onlyTies[1], 1e-6);
}

TEST(BradleyTerry, AnUndefeatedEntrantGetsAFiniteRatingThatGrowsWithItsWins)
{
    std::vector<PairOutcome> few;
    std::vector<PairOutcome> many;
    for (int i = 0; i < 3; ++i)
        few.push_back({0, 1, 1.0});
    for (int i = 0; i < 30; ++i)
        many.push_back({0, 1, 1.0});
    BradleyTerryResult r1 = BradleyTerry::rate(2, few);
    BradleyTerryResult r2 = BradleyTerry::rate(2, many);
    ASSERT_TRUE(r1.converged);
    ASSERT_TRUE(r2.converged);
    EXPECT_TRUE(std::isfinite(r1.ratings[0].rating));
    EXPECT_TRUE(std::isfinite(r2.ratings[0].rating));
    EXPECT_GT(r1.ratings[0].rating, r1.ratings[1].rating);
    EXPECT_GT(r2.ratings[0].rating - r2.ratings[1].rating,
              r1.ratings[0].rating - r1.ratings[1].rating);
    EXPECT_LT(r2.ratings[0].rating, 2000);
    EXPECT_EQ(r2.ratings[0].wins, 30);
    EXPECT_EQ(r2.ratings[1].losses, 30);
}

TEST(BradleyTerry, DisconnectedGroupsAndUnseenEntrantsStayFinite)
{
    // {0,1} and {2,3} never meet; 4 has no comparisons at all.
    const std::vector<PairOutcome> outcomes = {{0, 1, 1.0}, {0, 1, 1.0}, {0, 1, 0.0},
                                               {2, 3, 1.0}, {2, 3, 1.0}, {2, 3, 0.0}};
    const BradleyTerryResult r = BradleyTerry::rate(5, outcomes);
    ASSERT_TRUE(r.converged);
    for (const auto &x : r.ratings) {
        EXPECT_TRUE(std::isfinite(x.rating));
        EXPECT_TRUE(std::isfinite(x.ciLow));
        EXPECT_TRUE(std::isfinite(x.ciHigh));
    }
    // Same records in both groups: the same ratings, both anchored to the reference.
    EXPECT_NEAR(r.ratings[0].rating, r.ratings[2].rating, 1e-6);
    EXPECT_NEAR(r.ratings[1].rating, r.ratings[3].rating, 1e-6);
    EXPECT_GT(r.ratings[0].rating, r.ratings[4].rating);
    EXPECT_GT(r.ratings[4].rating, r.ratings[1].rating);
    EXPECT_EQ(r.ratings[4].comparisons, 0);
}

TEST(BradleyTerry, BootstrapIntervalsAreDeterministicContainTheFitAndNarrowWithData)
{
    const std::vector<double> truth = {900, 1000, 1100};
    const auto small = draw(truth, 60, 3);
    const auto large = draw(truth, 2000, 3);
    BradleyTerryOptions options;
    options.bootstrapRounds = 300;
    options.seed = 42;
    const auto a = BradleyTerry::rate(3, small, options);
    const auto b = BradleyTerry::rate(3, small, options);
    const auto big = BradleyTerry::rate(3, large, options);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(a.ratings[i].ciLow, b.ratings[i].ciLow);
        EXPECT_EQ(a.ratings[i].ciHigh, b.ratings[i].ciHigh);
        EXPECT_LE(a.ratings[i].ciLow, a.ratings[i].rating);
        EXPECT_GE(a.ratings[i].ciHigh, a.ratings[i].rating);
        EXPECT_LT(big.ratings[i].ciHigh - big.ratings[i].ciLow,
                  a.ratings[i].ciHigh - a.ratings[i].ciLow);
    }
    options.seed = 43;
    const auto other = BradleyTerry::rate(3, small, options);
    EXPECT_NE(other.ratings[0].ciLow, a.ratings[0].ciLow);
}

TEST(BradleyTerry, IgnoresOutcomesNamingUnknownEntrants)
{
    const auto r = BradleyTerry::rate(2, {{0, 1, 1.0}, {0, 5, 1.0}, {-1, 1, 0.0}, {1, 1, 1.0}});
    EXPECT_EQ(r.ratings[0].comparisons, 1);
    EXPECT_EQ(r.ratings[1].comparisons, 1);
}

TEST(BradleyTerry, RunsOnTheThreadPool)
{
    const auto outcomes = draw({950, 1050}, 200, 5);
    QFuture<BradleyTerryResult> future = BradleyTerry::rateAsync(2, outcomes);
    future.waitForFinished();
    const BradleyTerryResult r = future.result();
    ASSERT_EQ(r.ratings.size(), 2u);
    EXPECT_EQ(r.ratings[0].rating, BradleyTerry::rate(2, outcomes).ratings[0].rating);
}

TEST(BradleyTerry, WinProbabilityIsTheEloCurve)
{
    EXPECT_NEAR(BradleyTerry::winProbability(1400, 1000), 10.0 / 11.0, 1e-12);
    EXPECT_NEAR(BradleyTerry::winProbability(1000, 1000), 0.5, 1e-12);
}
