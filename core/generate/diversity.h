#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <vector>

namespace crucible {

// Values seen for one dimension of a dataset, against the values the caller expected.
struct DimensionCoverage
{
    std::map<QString, std::int64_t> counts; // value → number of items with it
    std::vector<QString> expected;          // empty: no expectation given
    bool hasExpected = false;

    // Expected values that occur (or distinct values seen when nothing was expected).
    int covered() const;
    std::vector<QString> missing() const; // expected values that never occur
};

struct DiversityReport
{
    std::int64_t items = 0;
    double distinct1 = 0; // unique words / words over all texts
    double distinct2 = 0; // unique word bigrams / bigrams (bigrams do not cross texts)
    double meanPairwiseJaccard = 0;
    std::int64_t pairsCompared = 0;
    bool sampled = false; // true: mean estimated from MinHash over a random sample of pairs
    std::map<QString, DimensionCoverage> dimensions;

    // snake_case keys: distinct_1, distinct_2, mean_pairwise_jaccard, pairs_compared, sampled,
    // dimension_coverage {dim: {values: {v: count}, covered, expected, missing}}.
    nlohmann::json toJson() const;
};

struct DiversityOptions
{
    int shingleSize = 3;
    // Up to this many texts every pair is compared exactly; beyond, `samplePairs` random pairs
    // are estimated from MinHash signatures of `numHashes` values.
    std::size_t exactPairLimit = 2000;
    std::size_t samplePairs = 200'000;
    int numHashes = 128;
    std::uint64_t seed = 1;
    std::map<QString, std::vector<QString>> expectedValues; // dimension → expected values
};

// Diversity metrics of a dataset: lexical (distinct-n), pairwise shingle similarity and
// per-dimension coverage. Stateless and reentrant; runs on the caller's thread except for the
// MinHash signatures of large datasets (global QThreadPool).
class Diversity final
{
public:
    // `dimensions` is empty or holds one map (dimension → value) per text.
    // Throws std::invalid_argument when `dimensions` has another size than `texts`.
    static DiversityReport measure(const std::vector<QString> &texts,
                                   const std::vector<std::map<QString, QString>> &dimensions = {},
                                   const DiversityOptions &options = {});
};

} // namespace crucible
