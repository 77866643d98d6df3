#include "core/feedback/agreement.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace crucible::agreement;

namespace {

std::vector<std::pair<int, int>> zipInts(const std::vector<int> &a, const std::vector<int> &b)
{
    std::vector<std::pair<int, int>> out;
    for (size_t i = 0; i < a.size(); ++i)
        out.emplace_back(a[i], b[i]);
    return out;
}

std::vector<std::pair<double, double>> zipReals(const std::vector<double> &a,
                                                const std::vector<double> &b)
{
    std::vector<std::pair<double, double>> out;
    for (size_t i = 0; i < a.size(); ++i)
        out.emplace_back(a[i], b[i]);
    return out;
}

} // namespace

// Maple's EssayTools[QuadraticWeightedKappa] help page, examples 1 and 2 (scores on 1..10):
// 0.758620689655172 and 0.438095238095238.
TEST(FeedbackAgreement, QuadraticKappaMatchesMapleWorkedExamples)
{
    const std::vector<int> a = {9, 7, 8, 7, 6, 8, 3, 5, 10};
    EXPECT_NEAR(weightedKappa(zipInts(a, {8, 8, 6, 6, 7, 6, 1, 4, 8}), 1, 10), 0.758620689655172,
                1e-12);
    EXPECT_NEAR(weightedKappa(zipInts(a, {3, 5, 6, 6, 7, 6, 1, 4, 8}), 1, 10), 0.438095238095238,
                1e-12);
    // Quadratic weights scale with the range, so an unused wider range changes nothing.
    EXPECT_NEAR(weightedKappa(zipInts(a, {8, 8, 6, 6, 7, 6, 1, 4, 8}), 0, 12), 0.758620689655172,
                1e-12);
}

// Wikipedia, "Spearman's rank correlation coefficient", worked example (IQ against hours of
// TV per week, no ties): ρ = −29/165.
TEST(FeedbackAgreement, SpearmanMatchesWikipediaExample)
{
    const double rho = spearman(zipReals({106, 100, 86, 101, 99, 103, 97, 113, 112, 110},
                                         {7, 27, 2, 50, 28, 29, 20, 12, 6, 17}));
    EXPECT_NEAR(rho, -29.0 / 165.0, 1e-12);
}

// SciPy's scipy.stats.spearmanr documentation example with a tie (7 twice, average rank 3.5):
// spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic == 0.8207826816681233 (= 8/√95).
TEST(FeedbackAgreement, SpearmanAveragesTiedRanksLikeSciPy)
{
    EXPECT_NEAR(spearman(zipReals({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7})), 0.8207826816681233, 1e-12);
    EXPECT_EQ(averageRanks({5, 6, 7, 8, 7}), (std::vector<double>{1, 2, 3.5, 5, 3.5}));
    EXPECT_EQ(averageRanks({2, 2, 2}), (std::vector<double>{2, 2, 2}));
}

TEST(FeedbackAgreement, PerfectAndReversedRatings)
{
    EXPECT_DOUBLE_EQ(weightedKappa(zipInts({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5})), 1.0);
    EXPECT_DOUBLE_EQ(weightedKappa(zipInts({1, 2, 3, 4, 5}, {5, 4, 3, 2, 1})), -1.0);
    EXPECT_DOUBLE_EQ(spearman(zipReals({1, 2, 3}, {30, 20, 10})), -1.0);
    // Out-of-range ratings are clamped to the scale, not read past the table.
    EXPECT_DOUBLE_EQ(weightedKappa(zipInts({0, 2, 3, 4, 9}, {1, 2, 3, 4, 5})), 1.0);
}

TEST(FeedbackAgreement, DegenerateInputsHaveDocumentedValues)
{
    bool degenerate = false;
    EXPECT_EQ(weightedKappa({}, 1, 5, &degenerate), 0.0);
    EXPECT_TRUE(degenerate);
    EXPECT_EQ(weightedKappa({{3, 4}}, 1, 5, &degenerate), 0.0);
    EXPECT_TRUE(degenerate);
    // Both constant and equal: complete agreement by convention.
    EXPECT_EQ(weightedKappa(zipInts({4, 4, 4}, {4, 4, 4}), 1, 5, &degenerate), 1.0);
    EXPECT_TRUE(degenerate);
    // Both constant and different: no better than chance.
    EXPECT_EQ(weightedKappa(zipInts({4, 4, 4}, {2, 2, 2}), 1, 5, &degenerate), 0.0);
    EXPECT_FALSE(degenerate);
    EXPECT_EQ(spearman(zipReals({1, 2, 3}, {2, 2, 2}), &degenerate), 0.0);
    EXPECT_TRUE(degenerate);
    EXPECT_EQ(spearman({{1, 1}}, &degenerate), 0.0);
    EXPECT_TRUE(degenerate);

    const AgreementEstimate none = kappaEstimate({});
    EXPECT_EQ(none.n, 0);
    EXPECT_EQ(none.resamples, 0);
    EXPECT_TRUE(std::isfinite(none.low) && std::isfinite(none.high));
    const AgreementEstimate flat = spearmanEstimate(zipReals({1, 1, 1, 1}, {1, 2, 3, 4}), 200);
    EXPECT_EQ(flat.value, 0.0);
    EXPECT_TRUE(std::isfinite(flat.low) && std::isfinite(flat.high));
}

TEST(FeedbackAgreement, BootstrapIntervalContainsEstimateAndNarrowsWithMoreRatings)
{
    std::vector<std::pair<int, int>> small, large;
    for (int i = 0; i < 200; ++i) {
        const int truth = 1 + (i * 7) % 5;
        const int judged = std::clamp(truth + ((i % 3 == 0) ? 1 : 0), 1, 5);
        large.emplace_back(truth, judged);
        if (i < 15)
            small.emplace_back(truth, judged);
    }
    const AgreementEstimate s = kappaEstimate(small, 1000, 7);
    const AgreementEstimate l = kappaEstimate(large, 1000, 7);
    EXPECT_EQ(s.n, 15);
    EXPECT_EQ(l.n, 200);
    EXPECT_FALSE(l.degenerate);
    EXPECT_LE(l.low, l.value);
    EXPECT_GE(l.high, l.value);
    EXPECT_LT(l.high - l.low, s.high - s.low);
    // Same seed, same interval.
    const AgreementEstimate again = kappaEstimate(large, 1000, 7);
    EXPECT_EQ(again.low, l.low);
    EXPECT_EQ(again.high, l.high);
}

TEST(FeedbackAgreement, ScoreAndRatingScalesRoundTrip)
{
    EXPECT_EQ(scoreToRating(0.0), 1);
    EXPECT_EQ(scoreToRating(0.49), 3);
    EXPECT_EQ(scoreToRating(1.0), 5);
    EXPECT_EQ(scoreToRating(-2), 1);
    EXPECT_EQ(scoreToRating(std::nan("")), 3);
    for (int r = 1; r <= 5; ++r)
        EXPECT_EQ(scoreToRating(ratingToScore(r)), r);
}
