#include "core/generate/minhash.h"

#include <gtest/gtest.h>

#include <random>

using namespace crucible;

namespace {

// `count` distinct words "w<first>" … so that every 3-shingle is distinct.
QStringList words(int first, int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list.append(QStringLiteral("w%1").arg(first + i));
    return list;
}

QString text(const QStringList &list)
{
    return list.join(QLatin1Char(' '));
}

// `base` with its last `changed` words replaced by fresh ones.
QString withTailReplaced(const QStringList &base, int changed)
{
    QStringList copy = base;
    for (int i = 0; i < changed; ++i)
        copy[copy.size() - 1 - i] = QStringLiteral("x%1").arg(i);
    return text(copy);
}

const QString Paragraph = QStringLiteral(
    "The warehouse robot receives a list of orders every morning and must plan a route through "
    "twelve aisles, picking each item once while its battery lasts, avoiding closed aisles, and "
    "returning to the charging dock before the afternoon shift starts.");

NearDuplicateIndex::Options exactOptions()
{
    NearDuplicateIndex::Options options;
    options.keepShingles = true;
    return options;
}

} // namespace

TEST(Shingles, NormalisationIsUnicodeAwareAndDropsPunctuation)
{
    EXPECT_EQ(normalizedWords(QStringLiteral("  Hello, WORLD!! 42x  ÉCOLE straße\t")),
              QStringList({QStringLiteral("hello"), QStringLiteral("world"), QStringLiteral("42x"),
                           QStringLiteral("école"), QStringLiteral("straße")}));
    EXPECT_TRUE(normalizedWords(QStringLiteral(" ,.;- ")).isEmpty());
    // Full-width letters and a decomposed accent normalise to the plain word.
    EXPECT_EQ(normalizedWords(QStringLiteral("ＡＢＣ e\u0301te")),
              QStringList({QStringLiteral("abc"), QStringLiteral("éte")}));
    EXPECT_EQ(shingleSet(QStringLiteral("Alpha beta GAMMA.")),
              shingleSet(QStringLiteral("alpha, beta; gamma")));
}

TEST(Shingles, CountsAndShortTexts)
{
    EXPECT_EQ(shingleSet(text(words(0, 10)), 3).size(), 8u);
    EXPECT_EQ(shingleSet(text(words(0, 10)), 1).size(), 10u);
    EXPECT_EQ(shingleSet(QStringLiteral("one two"), 3).size(), 1u);
    EXPECT_NE(shingleSet(QStringLiteral("one two"), 3), shingleSet(QStringLiteral("two one"), 3));
    EXPECT_TRUE(shingleSet(QStringLiteral("!!"), 3).empty());
    EXPECT_THROW(shingleSet(QStringLiteral("a"), 0), std::invalid_argument);
}

TEST(Shingles, ExactJaccard)
{
    EXPECT_DOUBLE_EQ(jaccard({1, 2, 3, 4}, {3, 4, 5}), 2.0 / 5.0);
    EXPECT_DOUBLE_EQ(jaccard({}, {}), 1.0);
    EXPECT_DOUBLE_EQ(jaccard({1}, {}), 0.0);
    // 100 distinct words: 98 shingles; replacing the last 5 words leaves 93 shared.
    QStringList base = words(0, 100);
    EXPECT_DOUBLE_EQ(jaccard(shingleSet(text(base)), shingleSet(withTailReplaced(base, 5))),
                     93.0 / 103.0);
}

TEST(NearDuplicateIndex, ChoosesBandsForHighRecallAtThreshold)
{
    NearDuplicateIndex index;
    EXPECT_EQ(index.bands(), 18);
    EXPECT_EQ(index.rowsPerBand(), 7);
    for (double threshold : {0.5, 0.7, 0.8, 0.9, 0.95}) {
        auto [bands, rows] = NearDuplicateIndex::chooseBands(threshold, 128, 0.95);
        EXPECT_LE(bands * rows, 128);
        double recall = 1 - std::pow(1 - std::pow(threshold, rows), bands);
        EXPECT_GE(recall, 0.95) << threshold;
        // One more row per band would fall below the wanted recall.
        int fewerBands = 128 / (rows + 1);
        EXPECT_LT(1 - std::pow(1 - std::pow(threshold, rows + 1), fewerBands), 0.95) << threshold;
    }
    NearDuplicateIndex::Options bad;
    bad.threshold = 0;
    EXPECT_THROW(NearDuplicateIndex{bad}, std::invalid_argument);
    bad.threshold = 0.8;
    bad.numHashes = 0;
    EXPECT_THROW(NearDuplicateIndex{bad}, std::invalid_argument);
}

TEST(NearDuplicateIndex, IdenticalTextsAreDuplicates)
{
    NearDuplicateIndex index;
    EXPECT_FALSE(index.findNear(index.signature(Paragraph)));
    index.add(QStringLiteral("p1"), index.signature(Paragraph));
    auto match = index.findNear(index.signature(Paragraph.toUpper() + QStringLiteral("  !")));
    ASSERT_TRUE(match);
    EXPECT_EQ(match->id, QStringLiteral("p1"));
    EXPECT_EQ(match->index, 0u);
    EXPECT_DOUBLE_EQ(match->similarity, 1.0);
    EXPECT_EQ(index.size(), 1u);
}

TEST(NearDuplicateIndex, OneWordChangedInFortyWordParagraphIsFound)
{
    const QStringList base = normalizedWords(Paragraph);
    ASSERT_EQ(base.size(), 40);
    QStringList changed = base;
    changed[20] = QStringLiteral("zebra");
    const double truth = jaccard(shingleSet(text(base)), shingleSet(text(changed)));
    EXPECT_GT(truth, 0.8);
    EXPECT_LT(truth, 0.95);

    // Exact verification: only the LSH step can miss, and at this similarity it does not.
    NearDuplicateIndex exact(exactOptions());
    exact.add(QStringLiteral("base"), exact.signature(Paragraph));
    auto match = exact.findNear(exact.signature(text(changed)));
    ASSERT_TRUE(match);
    EXPECT_DOUBLE_EQ(match->similarity, truth);

    // Estimated verification: the estimate has a standard deviation of about 0.03 here, so
    // a few seeds may fall just under 0.8; nearly all must find it.
    int found = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        NearDuplicateIndex::Options options;
        options.seed = seed;
        NearDuplicateIndex index(options);
        index.add(QStringLiteral("base"), index.signature(Paragraph));
        found += index.findNear(index.signature(text(changed))).has_value();
    }
    EXPECT_GE(found, 17);
}

TEST(NearDuplicateIndex, UnrelatedTextsAreNotDuplicates)
{
    NearDuplicateIndex index;
    index.add(QStringLiteral("a"), index.signature(Paragraph));
    index.add(QStringLiteral("b"), index.signature(text(words(0, 60))));
    EXPECT_FALSE(index.findNear(index.signature(text(words(1000, 60)))));
    EXPECT_FALSE(index.findNear(index.signature(QStringLiteral(
        "A hospital scheduler assigns nurses to night shifts so that nobody works more than "
        "three nights in a row and every ward keeps two qualified staff on duty."))));
    // Same words in another order share almost no shingles.
    QStringList shuffled = normalizedWords(Paragraph);
    std::mt19937 random(7);
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    EXPECT_FALSE(index.findNear(index.signature(text(shuffled))));
}

TEST(NearDuplicateIndex, ThresholdRespectedInBothDirections)
{
    const QStringList base = words(0, 100);
    const QString high = withTailReplaced(base, 5);  // Jaccard 93/103 ≈ 0.90
    const QString low = withTailReplaced(base, 25);  // Jaccard 73/123 ≈ 0.59
    const QString near = withTailReplaced(base, 12); // Jaccard 86/110 ≈ 0.78
    ASSERT_NEAR(jaccard(shingleSet(text(base)), shingleSet(high)), 0.90, 0.01);
    ASSERT_NEAR(jaccard(shingleSet(text(base)), shingleSet(low)), 0.59, 0.01);
    ASSERT_NEAR(jaccard(shingleSet(text(base)), shingleSet(near)), 0.78, 0.01);
    for (bool keep : {false, true}) {
        NearDuplicateIndex::Options options;
        options.keepShingles = keep;
        NearDuplicateIndex index(options);
        index.add(QStringLiteral("base"), index.signature(text(base)));
        auto match = index.findNear(index.signature(high));
        ASSERT_TRUE(match) << keep;
        EXPECT_GE(match->similarity, 0.8);
        EXPECT_NEAR(match->similarity, 0.90, 0.08);
        EXPECT_FALSE(index.findNear(index.signature(low))) << keep;
        if (keep) {
            EXPECT_FALSE(index.findNear(index.signature(near)));
        }

        // A lower threshold accepts the 0.6 pair.
        options.threshold = 0.5;
        NearDuplicateIndex loose(options);
        loose.add(QStringLiteral("base"), loose.signature(text(base)));
        EXPECT_TRUE(loose.findNear(loose.signature(low))) << keep;
    }
}

TEST(NearDuplicateIndex, ReturnsMostSimilarItem)
{
    const QStringList base = words(0, 100);
    NearDuplicateIndex index(exactOptions());
    index.add(QStringLiteral("far"), index.signature(withTailReplaced(base, 8)));
    index.add(QStringLiteral("close"), index.signature(withTailReplaced(base, 2)));
    index.add(QStringLiteral("other"), index.signature(text(words(500, 100))));
    auto match = index.findNear(index.signature(text(base)));
    ASSERT_TRUE(match);
    EXPECT_EQ(match->id, QStringLiteral("close"));
    EXPECT_EQ(match->index, 1u);
}

TEST(NearDuplicateIndex, DeterministicForASeed)
{
    NearDuplicateIndex::Options options;
    options.seed = 42;
    NearDuplicateIndex a(options);
    NearDuplicateIndex b(options);
    EXPECT_EQ(a.signature(Paragraph).minHashes, b.signature(Paragraph).minHashes);
    EXPECT_EQ(a.signature(Paragraph).minHashes.size(), 128u);
    options.seed = 43;
    NearDuplicateIndex c(options);
    EXPECT_NE(a.signature(Paragraph).minHashes, c.signature(Paragraph).minHashes);
    // The parallel helper gives the same signatures as one at a time.
    std::vector<QString> texts;
    for (int i = 0; i < 200; ++i)
        texts.push_back(text(words(i * 3, 30)));
    auto parallel = a.signatures(texts);
    ASSERT_EQ(parallel.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        EXPECT_EQ(parallel[i].minHashes, a.signature(texts[i]).minHashes) << i;
}

TEST(NearDuplicateIndex, RejectsSignatureOfAnotherLength)
{
    NearDuplicateIndex::Options options;
    options.numHashes = 64;
    NearDuplicateIndex small(options);
    NearDuplicateIndex index;
    EXPECT_THROW(index.add(QStringLiteral("x"), small.signature(Paragraph)), std::invalid_argument);
    EXPECT_THROW((void)index.findNear(small.signature(Paragraph)), std::invalid_argument);
}

TEST(DedupBatch, AgainstExistingIndexAndWithinBatch)
{
    const QStringList a = words(0, 80);
    const QStringList b = words(1000, 80);
    NearDuplicateIndex existing(exactOptions());
    existing.add(QStringLiteral("problem-a"), existing.signature(text(a)));
    existing.add(QStringLiteral("problem-b"), existing.signature(text(b)));

    const std::vector<QString> batch = {
        withTailReplaced(a, 1),               // 0: duplicate of problem-a
        text(words(2000, 80)),                // 1: new
        text(words(3000, 80)),                // 2: new
        withTailReplaced(words(2000, 80), 2), // 3: duplicate of batch item 1
        text(b),                              // 4: duplicate of problem-b, identical
        text(words(2000, 80)),                // 5: duplicate of batch item 1, identical
        withTailReplaced(a, 30),              // 6: too different from problem-a: new
    };
    std::vector<DedupDecision> decisions = dedupBatch(batch, &existing);
    ASSERT_EQ(decisions.size(), batch.size());
    EXPECT_TRUE(decisions[0].duplicate);
    EXPECT_EQ(decisions[0].existingId, QStringLiteral("problem-a"));
    EXPECT_FALSE(decisions[0].batchIndex);
    EXPECT_FALSE(decisions[1].duplicate);
    EXPECT_FALSE(decisions[2].duplicate);
    EXPECT_TRUE(decisions[3].duplicate);
    EXPECT_EQ(decisions[3].batchIndex, std::optional<std::size_t>(1));
    EXPECT_TRUE(decisions[3].existingId.isEmpty());
    EXPECT_TRUE(decisions[4].duplicate);
    EXPECT_EQ(decisions[4].existingId, QStringLiteral("problem-b"));
    EXPECT_DOUBLE_EQ(decisions[4].similarity, 1.0);
    EXPECT_TRUE(decisions[5].duplicate);
    EXPECT_EQ(decisions[5].batchIndex, std::optional<std::size_t>(1));
    EXPECT_FALSE(decisions[6].duplicate);
    EXPECT_EQ(existing.size(), 2u); // not modified

    // Without an index only the batch itself counts.
    decisions = dedupBatch(batch);
    EXPECT_FALSE(decisions[0].duplicate);
    EXPECT_FALSE(decisions[4].duplicate);
    EXPECT_EQ(decisions[5].batchIndex, std::optional<std::size_t>(1));
}
