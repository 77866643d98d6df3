#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace crucible {

// ---- text → shingle sets (shared with Diversity) ------------------------------------------

// Case-folded words: maximal runs of letters, digits and combining marks (Unicode-aware).
QStringList normalizedWords(const QString &text);
// 64-bit hashes of the normalized words, in text order.
std::vector<std::uint64_t> wordHashes(const QString &text);
// Sorted, duplicate-free hashes of every run of `shingleSize` consecutive words; a text with
// fewer words gives one shingle of all its words, a text with none gives the empty set.
// Throws std::invalid_argument for shingleSize < 1.
std::vector<std::uint64_t> shingleSet(const QString &text, int shingleSize = 3);
std::vector<std::uint64_t> shingleSet(const std::vector<std::uint64_t> &wordHashes,
                                      int shingleSize);
// Exact Jaccard similarity of two sorted, duplicate-free sets; two empty sets count as equal (1).
double jaccard(const std::vector<std::uint64_t> &a, const std::vector<std::uint64_t> &b);

// ---- MinHash + LSH index --------------------------------------------------------------------

// MinHash values of one text's shingle set, plus the set itself when the index keeps shingles.
struct MinHashSignature
{
    std::vector<std::uint32_t> minHashes;
    std::vector<std::uint64_t> shingles; // empty unless Options::keepShingles
};

// Finds near-duplicate texts (Jaccard similarity of word shingles ≥ threshold) among indexed
// ones with MinHash signatures and banded LSH. signature() and findNear() are const and
// reentrant (signatures may be computed on many threads at once); add() is not thread-safe.
class NearDuplicateIndex final
{
public:
    using Signature = MinHashSignature;

    struct Options
    {
        double threshold = 0.8; // Jaccard similarity, (0, 1]
        int shingleSize = 3;    // words per shingle
        int numHashes = 128;    // signature length
        std::uint64_t seed = 0x5EED;
        // Keep shingle sets so that candidates are verified by exact Jaccard (more memory, no
        // estimation error) instead of the signature estimate.
        bool keepShingles = false;
        double recallAtThreshold = 0.95; // LSH candidate probability wanted at the threshold
    };

    struct Match
    {
        QString id;
        std::size_t index = 0; // insertion order
        double similarity = 0; // exact Jaccard when both sets are kept, else the estimate
    };

    NearDuplicateIndex()
        : NearDuplicateIndex(Options{})
    {
    }
    // Throws std::invalid_argument for a threshold outside (0, 1], numHashes < 1 or
    // shingleSize < 1.
    explicit NearDuplicateIndex(const Options &options);

    const Options &options() const { return m_options; }
    int bands() const { return m_bands; }
    int rowsPerBand() const { return m_rows; }
    std::size_t size() const { return m_ids.size(); }
    const QString &idAt(std::size_t index) const { return m_ids[index]; }

    Signature signature(const QString &text) const;
    Signature signatureOfShingles(std::vector<std::uint64_t> shingles) const;
    // Signatures of many texts, computed on the global QThreadPool (the caller takes part).
    std::vector<Signature> signatures(const std::vector<QString> &texts) const;

    // The most similar indexed item with similarity ≥ threshold (earliest on ties), if any.
    std::optional<Match> findNear(const Signature &signature) const;
    // Throws std::invalid_argument when the signature was made with another numHashes.
    void add(const QString &id, Signature signature);

    // Similarity the index would report for two signatures (exact when both keep shingles).
    double similarity(const Signature &a, const Signature &b) const;

    // Bands × rows (bands · rows ≤ numHashes) with the most rows per band whose candidate
    // probability 1 − (1 − s^rows)^bands at s = threshold is at least `recall`.
    static std::pair<int, int> chooseBands(double threshold, int numHashes, double recall);

private:
    std::uint64_t bandKey(const std::uint32_t *minHashes, int band) const;
    void insertKey(std::uint64_t key, std::uint32_t entry);
    void grow();
    double similarityTo(const Signature &signature, std::size_t item) const;

    Options m_options;
    int m_bands = 0;
    int m_rows = 0;
    std::vector<std::uint64_t> m_xor; // per-hash permutation: ((h ^ xor) * mul) >> 32
    std::vector<std::uint64_t> m_mul;

    std::vector<QString> m_ids;
    std::vector<std::uint32_t> m_minHashes; // size() × numHashes
    std::vector<std::vector<std::uint64_t>> m_shingles;
    // Open-addressing table (band key → last entry) with entries chained per key; an entry is
    // item × bands + band.
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_heads;
    std::size_t m_used = 0;
    std::vector<std::uint32_t> m_next; // previous entry with the same key, or NoEntry
};

// Outcome of dedupBatch for one text: kept, or a near duplicate of an indexed item or of an
// earlier kept text of the same batch.
struct DedupDecision
{
    bool duplicate = false;
    QString existingId;                    // set when the match is an indexed item
    std::optional<std::size_t> batchIndex; // set when the match is an earlier text in the batch
    double similarity = 0;
};

// Near-duplicate decisions for `texts` in order: each is compared with `existing` (if any, not
// modified; its options are used) and with the texts kept before it. Signatures are computed
// in parallel.
std::vector<DedupDecision> dedupBatch(const std::vector<QString> &texts,
                                      const NearDuplicateIndex *existing = nullptr,
                                      const NearDuplicateIndex::Options &options = {});

} // namespace crucible
