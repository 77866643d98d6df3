#include "core/generate/diversity.h"

#include "core/generate/minhash.h"

#include <xxhash.h>

#include <algorithm>
#include <stdexcept>

namespace crucible {

namespace {

std::uint64_t splitMix(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string utf8(const QString &s)
{
    return s.toStdString();
}

} // namespace

int DimensionCoverage::covered() const
{
    if (!hasExpected)
        return static_cast<int>(counts.size());
    return static_cast<int>(std::count_if(expected.begin(), expected.end(),
                                          [&](const QString &v) { return counts.count(v) > 0; }));
}

std::vector<QString> DimensionCoverage::missing() const
{
    std::vector<QString> result;
    for (const QString &v : expected) {
        if (!counts.count(v))
            result.push_back(v);
    }
    return result;
}

nlohmann::json DiversityReport::toJson() const
{
    nlohmann::json coverage = nlohmann::json::object();
    for (const auto &[name, dimension] : dimensions) {
        nlohmann::json values = nlohmann::json::object();
        for (const auto &[value, count] : dimension.counts)
            values[utf8(value)] = count;
        nlohmann::json entry = {{"values", values}, {"covered", dimension.covered()}};
        if (dimension.hasExpected) {
            entry["expected"] = dimension.expected.size();
            nlohmann::json missing = nlohmann::json::array();
            for (const QString &v : dimension.missing())
                missing.push_back(utf8(v));
            entry["missing"] = missing;
        } else {
            entry["expected"] = nullptr;
        }
        coverage[utf8(name)] = entry;
    }
    return {{"items", items},
            {"distinct_1", distinct1},
            {"distinct_2", distinct2},
            {"mean_pairwise_jaccard", meanPairwiseJaccard},
            {"pairs_compared", pairsCompared},
            {"sampled", sampled},
            {"dimension_coverage", coverage}};
}

DiversityReport Diversity::measure(const std::vector<QString> &texts,
                                   const std::vector<std::map<QString, QString>> &dimensions,
                                   const DiversityOptions &options)
{
    if (!dimensions.empty() && dimensions.size() != texts.size())
        throw std::invalid_argument("dimension maps must be given for every text or for none");
    DiversityReport report;
    report.items = static_cast<std::int64_t>(texts.size());

    // distinct-n over word hashes; a 64-bit collision among a dataset's words is negligible.
    std::vector<std::vector<std::uint64_t>> words;
    words.reserve(texts.size());
    std::vector<std::uint64_t> unigrams;
    std::vector<std::uint64_t> bigrams;
    for (const QString &text : texts) {
        words.push_back(wordHashes(text));
        const std::vector<std::uint64_t> &w = words.back();
        unigrams.insert(unigrams.end(), w.begin(), w.end());
        for (std::size_t i = 0; i + 1 < w.size(); ++i)
            bigrams.push_back(XXH3_64bits(&w[i], 2 * sizeof(std::uint64_t)));
    }
    // Sorting beats hash sets by far at millions of n-grams.
    auto distinctRatio = [](std::vector<std::uint64_t> &grams) {
        if (grams.empty())
            return 0.0;
        const auto total = static_cast<double>(grams.size());
        std::sort(grams.begin(), grams.end());
        const auto unique = std::unique(grams.begin(), grams.end()) - grams.begin();
        return static_cast<double>(unique) / total;
    };
    report.distinct1 = distinctRatio(unigrams);
    report.distinct2 = distinctRatio(bigrams);

    const std::size_t n = texts.size();
    if (n >= 2 && n <= options.exactPairLimit) {
        std::vector<std::vector<std::uint64_t>> sets;
        sets.reserve(n);
        for (const auto &w : words)
            sets.push_back(shingleSet(w, options.shingleSize));
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = i + 1; j < n; ++j)
                sum += jaccard(sets[i], sets[j]);
        }
        report.pairsCompared = static_cast<std::int64_t>(n * (n - 1) / 2);
        report.meanPairwiseJaccard = sum / static_cast<double>(report.pairsCompared);
    } else if (n >= 2 && options.samplePairs > 0) {
        NearDuplicateIndex::Options indexOptions;
        indexOptions.shingleSize = options.shingleSize;
        indexOptions.numHashes = options.numHashes;
        indexOptions.seed = options.seed;
        NearDuplicateIndex hasher(indexOptions);
        std::vector<NearDuplicateIndex::Signature> signatures = hasher.signatures(texts);
        std::uint64_t state = options.seed ^ 0xD1B54A32D192ED03ULL;
        double sum = 0;
        for (std::size_t k = 0; k < options.samplePairs; ++k) {
            // A uniform ordered pair i != j is a uniform unordered pair.
            std::size_t i = static_cast<std::size_t>(splitMix(state) % n);
            std::size_t j = static_cast<std::size_t>(splitMix(state) % (n - 1));
            if (j >= i)
                ++j;
            sum += hasher.similarity(signatures[i], signatures[j]);
        }
        report.pairsCompared = static_cast<std::int64_t>(options.samplePairs);
        report.meanPairwiseJaccard = sum / static_cast<double>(options.samplePairs);
        report.sampled = true;
    }

    for (const auto &[name, values] : options.expectedValues) {
        DimensionCoverage &dimension = report.dimensions[name];
        dimension.expected = values;
        dimension.hasExpected = true;
    }
    for (const auto &item : dimensions) {
        for (const auto &[name, value] : item)
            ++report.dimensions[name].counts[value];
    }
    return report;
}

} // namespace crucible
