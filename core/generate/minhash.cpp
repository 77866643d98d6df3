#include "core/generate/minhash.h"

#include <QtConcurrent/QtConcurrentMap>

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace crucible {

namespace {

constexpr std::uint32_t NoEntry = std::numeric_limits<std::uint32_t>::max();

std::uint64_t splitMix(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

bool isWordCharacter(char32_t c)
{
    if (QChar::isLetterOrNumber(c))
        return true;
    // Combining marks belong to the word they decorate (decomposed accents, Indic vowel signs).
    QChar::Category category = QChar::category(c);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining ||
           category == QChar::Mark_Enclosing;
}

QString foldText(const QString &text)
{
    bool ascii =
        std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    // Compatibility forms (ligatures, full-width letters) fold to their plain letters first.
    if (ascii)
        return text.toCaseFolded();
    return text.normalized(QString::NormalizationForm_KC).toCaseFolded();
}

// Calls `word(start, length)` for every word of the folded text, in order.
template <typename Fn> void forEachWord(const QString &folded, Fn word)
{
    const QChar *data = folded.constData();
    const qsizetype size = folded.size();
    qsizetype start = -1;
    for (qsizetype i = 0; i < size;) {
        char32_t c = data[i].unicode();
        qsizetype width = 1;
        if (data[i].isHighSurrogate() && i + 1 < size && data[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(data[i], data[i + 1]);
            width = 2;
        }
        if (isWordCharacter(c)) {
            if (start < 0)
                start = i;
        } else if (start >= 0) {
            word(start, i - start);
            start = -1;
        }
        i += width;
    }
    if (start >= 0)
        word(start, size - start);
}

} // namespace

QStringList normalizedWords(const QString &text)
{
    QString folded = foldText(text);
    QStringList words;
    forEachWord(folded, [&](qsizetype start, qsizetype length) {
        words.append(folded.mid(start, length));
    });
    return words;
}

std::vector<std::uint64_t> wordHashes(const QString &text)
{
    QString folded = foldText(text);
    std::vector<std::uint64_t> hashes;
    hashes.reserve(static_cast<std::size_t>(folded.size() / 5 + 1));
    forEachWord(folded, [&](qsizetype start, qsizetype length) {
        hashes.push_back(XXH3_64bits(folded.constData() + start,
                                     static_cast<std::size_t>(length) * sizeof(QChar)));
    });
    return hashes;
}

std::vector<std::uint64_t> shingleSet(const std::vector<std::uint64_t> &words, int shingleSize)
{
    if (shingleSize < 1)
        throw std::invalid_argument("shingle size must be at least 1");
    std::vector<std::uint64_t> shingles;
    if (words.empty())
        return shingles;
    const std::size_t k = std::min(static_cast<std::size_t>(shingleSize), words.size());
    shingles.reserve(words.size() - k + 1);
    for (std::size_t i = 0; i + k <= words.size(); ++i)
        shingles.push_back(XXH3_64bits(&words[i], k * sizeof(std::uint64_t)));
    std::sort(shingles.begin(), shingles.end());
    shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
    return shingles;
}

std::vector<std::uint64_t> shingleSet(const QString &text, int shingleSize)
{
    return shingleSet(wordHashes(text), shingleSize);
}

double jaccard(const std::vector<std::uint64_t> &a, const std::vector<std::uint64_t> &b)
{
    if (a.empty() && b.empty())
        return 1.0;
    std::size_t common = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i < *j) {
            ++i;
        } else if (*j < *i) {
            ++j;
        } else {
            ++common;
            ++i;
            ++j;
        }
    }
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// ---- NearDuplicateIndex ---------------------------------------------------------------------

std::pair<int, int> NearDuplicateIndex::chooseBands(double threshold, int numHashes, double recall)
{
    for (int rows = numHashes; rows > 1; --rows) {
        int bands = numHashes / rows;
        double p = 1.0 - std::pow(1.0 - std::pow(threshold, rows), bands);
        if (p >= recall)
            return {bands, rows};
    }
    return {numHashes, 1};
}

NearDuplicateIndex::NearDuplicateIndex(const Options &options)
    : m_options(options)
{
    if (!(options.threshold > 0.0 && options.threshold <= 1.0))
        throw std::invalid_argument("near-duplicate threshold must be in (0, 1]");
    if (options.numHashes < 1)
        throw std::invalid_argument("a MinHash signature needs at least one hash");
    if (options.shingleSize < 1)
        throw std::invalid_argument("shingle size must be at least 1");
    std::tie(m_bands, m_rows) =
        chooseBands(options.threshold, options.numHashes, options.recallAtThreshold);
    std::uint64_t state = options.seed;
    for (int i = 0; i < options.numHashes; ++i) {
        m_xor.push_back(splitMix(state));
        m_mul.push_back(splitMix(state) | 1); // odd: multiplication is a bijection mod 2^64
    }
    m_keys.assign(1024, 0);
    m_heads.assign(1024, NoEntry);
}

NearDuplicateIndex::Signature
NearDuplicateIndex::signatureOfShingles(std::vector<std::uint64_t> shingles) const
{
    Signature signature;
    const std::size_t n = m_xor.size();
    signature.minHashes.assign(n, std::numeric_limits<std::uint32_t>::max());
    // Shingle hashes are already uniform, so one xor-multiply per hash function is a good
    // enough permutation; its high half is the best-mixed part of the product. Four functions
    // per pass over the shingles keep their minima in registers.
    const std::uint64_t *h = shingles.data();
    const std::size_t count = shingles.size();
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const std::uint64_t x0 = m_xor[i], x1 = m_xor[i + 1], x2 = m_xor[i + 2], x3 = m_xor[i + 3];
        const std::uint64_t m0 = m_mul[i], m1 = m_mul[i + 1], m2 = m_mul[i + 2], m3 = m_mul[i + 3];
        std::uint64_t min0 = ~0ULL, min1 = ~0ULL, min2 = ~0ULL, min3 = ~0ULL;
        for (std::size_t j = 0; j < count; ++j) {
            const std::uint64_t v = h[j];
            min0 = std::min(min0, ((v ^ x0) * m0) >> 32);
            min1 = std::min(min1, ((v ^ x1) * m1) >> 32);
            min2 = std::min(min2, ((v ^ x2) * m2) >> 32);
            min3 = std::min(min3, ((v ^ x3) * m3) >> 32);
        }
        if (count) {
            signature.minHashes[i] = static_cast<std::uint32_t>(min0);
            signature.minHashes[i + 1] = static_cast<std::uint32_t>(min1);
            signature.minHashes[i + 2] = static_cast<std::uint32_t>(min2);
            signature.minHashes[i + 3] = static_cast<std::uint32_t>(min3);
        }
    }
    for (; i < n; ++i) {
        std::uint64_t least = ~0ULL;
        for (std::size_t j = 0; j < count; ++j)
            least = std::min(least, ((h[j] ^ m_xor[i]) * m_mul[i]) >> 32);
        if (count)
            signature.minHashes[i] = static_cast<std::uint32_t>(least);
    }
    if (m_options.keepShingles)
        signature.shingles = std::move(shingles);
    return signature;
}

NearDuplicateIndex::Signature NearDuplicateIndex::signature(const QString &text) const
{
    return signatureOfShingles(shingleSet(text, m_options.shingleSize));
}

std::vector<NearDuplicateIndex::Signature>
NearDuplicateIndex::signatures(const std::vector<QString> &texts) const
{
    std::vector<Signature> result(texts.size());
    std::vector<std::size_t> indices(texts.size());
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    QtConcurrent::blockingMap(indices, [&](std::size_t i) { result[i] = signature(texts[i]); });
    return result;
}

std::uint64_t NearDuplicateIndex::bandKey(const std::uint32_t *minHashes, int band) const
{
    std::uint64_t key = XXH3_64bits_withSeed(
        minHashes + static_cast<std::ptrdiff_t>(band) * m_rows,
        static_cast<std::size_t>(m_rows) * sizeof(std::uint32_t), static_cast<std::uint64_t>(band));
    return key == 0 ? 1 : key; // 0 marks an empty slot
}

void NearDuplicateIndex::grow()
{
    std::vector<std::uint64_t> keys = std::move(m_keys);
    std::vector<std::uint32_t> heads = std::move(m_heads);
    m_keys.assign(keys.size() * 2, 0);
    m_heads.assign(keys.size() * 2, NoEntry);
    const std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] == 0)
            continue;
        std::size_t slot = keys[i] & mask;
        while (m_keys[slot] != 0)
            slot = (slot + 1) & mask;
        m_keys[slot] = keys[i];
        m_heads[slot] = heads[i];
    }
}

void NearDuplicateIndex::insertKey(std::uint64_t key, std::uint32_t entry)
{
    if ((m_used + 1) * 2 > m_keys.size())
        grow();
    const std::size_t mask = m_keys.size() - 1;
    std::size_t slot = key & mask;
    while (m_keys[slot] != 0 && m_keys[slot] != key)
        slot = (slot + 1) & mask;
    if (m_keys[slot] == 0) {
        m_keys[slot] = key;
        ++m_used;
    }
    m_next[entry] = m_heads[slot];
    m_heads[slot] = entry;
}

void NearDuplicateIndex::add(const QString &id, Signature signature)
{
    if (signature.minHashes.size() != m_xor.size())
        throw std::invalid_argument("signature length does not match this index");
    const std::size_t item = m_ids.size();
    if ((item + 1) * static_cast<std::size_t>(m_bands) >= NoEntry)
        throw std::length_error("near-duplicate index is full");
    m_ids.push_back(id);
    m_minHashes.insert(m_minHashes.end(), signature.minHashes.begin(), signature.minHashes.end());
    if (m_options.keepShingles)
        m_shingles.push_back(std::move(signature.shingles));
    m_next.resize(m_next.size() + static_cast<std::size_t>(m_bands), NoEntry);
    const std::uint32_t *mins = m_minHashes.data() + item * m_xor.size();
    for (int band = 0; band < m_bands; ++band)
        insertKey(bandKey(mins, band),
                  static_cast<std::uint32_t>(item * static_cast<std::size_t>(m_bands) +
                                             static_cast<std::size_t>(band)));
}

double NearDuplicateIndex::similarity(const Signature &a, const Signature &b) const
{
    if (m_options.keepShingles && (!a.shingles.empty() || !b.shingles.empty()))
        return jaccard(a.shingles, b.shingles);
    const std::size_t n = std::min(a.minHashes.size(), b.minHashes.size());
    if (n == 0)
        return 0;
    std::size_t equal = 0;
    for (std::size_t i = 0; i < n; ++i)
        equal += a.minHashes[i] == b.minHashes[i];
    return static_cast<double>(equal) / static_cast<double>(n);
}

double NearDuplicateIndex::similarityTo(const Signature &signature, std::size_t item) const
{
    if (m_options.keepShingles && (!signature.shingles.empty() || !m_shingles[item].empty()))
        return jaccard(signature.shingles, m_shingles[item]);
    const std::size_t n = m_xor.size();
    const std::uint32_t *mins = m_minHashes.data() + item * n;
    std::size_t equal = 0;
    for (std::size_t i = 0; i < n; ++i)
        equal += signature.minHashes[i] == mins[i];
    return static_cast<double>(equal) / static_cast<double>(n);
}

std::optional<NearDuplicateIndex::Match>
NearDuplicateIndex::findNear(const Signature &signature) const
{
    if (signature.minHashes.size() != m_xor.size())
        throw std::invalid_argument("signature length does not match this index");
    if (m_ids.empty())
        return std::nullopt;
    std::vector<std::uint32_t> candidates;
    const std::size_t mask = m_keys.size() - 1;
    for (int band = 0; band < m_bands; ++band) {
        const std::uint64_t key = bandKey(signature.minHashes.data(), band);
        std::size_t slot = key & mask;
        while (m_keys[slot] != 0 && m_keys[slot] != key)
            slot = (slot + 1) & mask;
        if (m_keys[slot] == 0)
            continue;
        for (std::uint32_t entry = m_heads[slot]; entry != NoEntry; entry = m_next[entry]) {
            // A key of another band that happens to collide is just one more candidate.
            candidates.push_back(entry / static_cast<std::uint32_t>(m_bands));
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::optional<Match> best;
    for (std::uint32_t item : candidates) {
        double s = similarityTo(signature, item);
        // Candidates are in insertion order, so a strict > keeps the earliest on ties.
        if (s >= m_options.threshold && (!best || s > best->similarity))
            best = Match{m_ids[item], item, s};
    }
    return best;
}

// ---- batch ----------------------------------------------------------------------------------

std::vector<DedupDecision> dedupBatch(const std::vector<QString> &texts,
                                      const NearDuplicateIndex *existing,
                                      const NearDuplicateIndex::Options &options)
{
    NearDuplicateIndex batch(existing ? existing->options() : options);
    std::vector<NearDuplicateIndex::Signature> signatures = batch.signatures(texts);
    std::vector<DedupDecision> decisions(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        DedupDecision &decision = decisions[i];
        if (existing) {
            if (auto match = existing->findNear(signatures[i])) {
                decision.duplicate = true;
                decision.existingId = match->id;
                decision.similarity = match->similarity;
            }
        }
        if (auto match = batch.findNear(signatures[i])) {
            if (!decision.duplicate || match->similarity > decision.similarity) {
                decision.duplicate = true;
                decision.existingId.clear();
                decision.batchIndex = match->id.toULongLong();
                decision.similarity = match->similarity;
            }
        }
        if (!decision.duplicate)
            batch.add(QString::number(i), std::move(signatures[i]));
    }
    return decisions;
}

} // namespace crucible
