#include "core/generate/diversity.h"
#include "core/generate/minhash.h"

#include <gtest/gtest.h>

using namespace crucible;

namespace {

QString numbered(int first, int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list.append(QStringLiteral("w%1").arg(first + i));
    return list.join(QLatin1Char(' '));
}

} // namespace

TEST(Diversity, DistinctNOnHandComputedCorpus)
{
    // Words: the cat sat | the cat ran | a dog  → 8 words, unique {the, cat, sat, ran, a, dog} = 6
    // Bigrams: the-cat, cat-sat | the-cat, cat-ran | a-dog → 5, unique 4
    const std::vector<QString> texts = {QStringLiteral("The cat sat."),
                                        QStringLiteral("the CAT, ran"), QStringLiteral("a dog")};
    DiversityReport report = Diversity::measure(texts);
    EXPECT_DOUBLE_EQ(report.distinct1, 6.0 / 8.0);
    EXPECT_DOUBLE_EQ(report.distinct2, 4.0 / 5.0);
    EXPECT_EQ(report.items, 3);
    // Bigrams never cross texts: "sat the" is not counted.
    report = Diversity::measure({QStringLiteral("x"), QStringLiteral("y")});
    EXPECT_DOUBLE_EQ(report.distinct1, 1.0);
    EXPECT_DOUBLE_EQ(report.distinct2, 0.0);
}

TEST(Diversity, EmptyDataset)
{
    DiversityReport report = Diversity::measure({});
    EXPECT_EQ(report.pairsCompared, 0);
    EXPECT_DOUBLE_EQ(report.distinct1, 0.0);
    EXPECT_FALSE(report.sampled);
    EXPECT_EQ(report.toJson()["dimension_coverage"], nlohmann::json::object());
}

TEST(Diversity, MeanPairwiseJaccardExactOnSmallCorpus)
{
    // 1-word shingles make the sets the word sets: {a,b,c,d}, {a,b,c,e}, {x,y}
    // pairs: 3/5, 0, 0 → mean 0.2.
    DiversityOptions options;
    options.shingleSize = 1;
    DiversityReport report = Diversity::measure(
        {QStringLiteral("a b c d"), QStringLiteral("a b c e"), QStringLiteral("x y")}, {}, options);
    EXPECT_FALSE(report.sampled);
    EXPECT_EQ(report.pairsCompared, 3);
    EXPECT_DOUBLE_EQ(report.meanPairwiseJaccard, 0.2);

    // Default 3-word shingles: 10 words → 8 shingles; the second shares its first 8 words
    // (6 shingles): 6 / 10; the third is disjoint.
    report = Diversity::measure(
        {numbered(0, 10), numbered(0, 8) + QStringLiteral(" q r"), numbered(100, 10)});
    EXPECT_DOUBLE_EQ(report.meanPairwiseJaccard, (6.0 / 10.0) / 3.0);
}

TEST(Diversity, SampledEstimateAboveExactLimit)
{
    // 60 texts in 3 clusters of identical texts: 3 · C(20,2) = 570 of C(60,2) = 1770 pairs have
    // similarity 1, the rest 0.
    std::vector<QString> texts;
    for (int i = 0; i < 60; ++i)
        texts.push_back(numbered((i % 3) * 100, 40));
    DiversityOptions options;
    DiversityReport exact = Diversity::measure(texts, {}, options);
    EXPECT_FALSE(exact.sampled);
    EXPECT_NEAR(exact.meanPairwiseJaccard, 570.0 / 1770.0, 1e-12);

    options.exactPairLimit = 50;
    options.samplePairs = 20'000;
    DiversityReport sampled = Diversity::measure(texts, {}, options);
    EXPECT_TRUE(sampled.sampled);
    EXPECT_EQ(sampled.pairsCompared, 20'000);
    // Sampling error: sd ≈ sqrt(0.32 · 0.68 / 20000) ≈ 0.0033.
    EXPECT_NEAR(sampled.meanPairwiseJaccard, exact.meanPairwiseJaccard, 0.02);
    EXPECT_DOUBLE_EQ(Diversity::measure(texts, {}, options).meanPairwiseJaccard,
                     sampled.meanPairwiseJaccard);
    EXPECT_TRUE(sampled.toJson()["sampled"].get<bool>());
}

TEST(Diversity, DimensionCoverageCounts)
{
    const std::vector<QString> texts = {QStringLiteral("one"), QStringLiteral("two"),
                                        QStringLiteral("three"), QStringLiteral("four")};
    const std::vector<std::map<QString, QString>> dims = {
        {{QStringLiteral("difficulty"), QStringLiteral("easy")},
         {QStringLiteral("domain"), QStringLiteral("logistics")}},
        {{QStringLiteral("difficulty"), QStringLiteral("hard")}},
        {{QStringLiteral("difficulty"), QStringLiteral("easy")},
         {QStringLiteral("domain"), QStringLiteral("health")}},
        {{QStringLiteral("difficulty"), QStringLiteral("extreme")}},
    };
    DiversityOptions options;
    options.expectedValues[QStringLiteral("difficulty")] = {
        QStringLiteral("easy"), QStringLiteral("medium"), QStringLiteral("hard")};
    DiversityReport report = Diversity::measure(texts, dims, options);

    const DimensionCoverage &difficulty = report.dimensions.at(QStringLiteral("difficulty"));
    EXPECT_EQ(difficulty.counts.at(QStringLiteral("easy")), 2);
    EXPECT_EQ(difficulty.counts.at(QStringLiteral("hard")), 1);
    EXPECT_EQ(difficulty.counts.at(QStringLiteral("extreme")), 1); // seen though not expected
    EXPECT_EQ(difficulty.covered(), 2);
    EXPECT_EQ(difficulty.missing(), std::vector<QString>{QStringLiteral("medium")});
    const DimensionCoverage &domain = report.dimensions.at(QStringLiteral("domain"));
    EXPECT_EQ(domain.covered(), 2);
    EXPECT_FALSE(domain.hasExpected);

    nlohmann::json json = report.toJson();
    EXPECT_EQ(json["dimension_coverage"]["difficulty"]["values"]["easy"], 2);
    EXPECT_EQ(json["dimension_coverage"]["difficulty"]["covered"], 2);
    EXPECT_EQ(json["dimension_coverage"]["difficulty"]["expected"], 3);
    EXPECT_EQ(json["dimension_coverage"]["difficulty"]["missing"], nlohmann::json({"medium"}));
    EXPECT_EQ(json["dimension_coverage"]["domain"]["values"]["health"], 1);
    EXPECT_TRUE(json["dimension_coverage"]["domain"]["expected"].is_null());
    for (const char *key : {"distinct_1", "distinct_2", "mean_pairwise_jaccard", "pairs_compared",
                            "sampled", "dimension_coverage"})
        EXPECT_TRUE(json.contains(key)) << key;

    EXPECT_THROW(Diversity::measure(texts, {dims[0]}), std::invalid_argument);
}
