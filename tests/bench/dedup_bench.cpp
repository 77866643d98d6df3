// Near-duplicate benchmark: (a) recall and precision of the MinHash/LSH index against exact
// Jaccard on a corpus with planted near-duplicates, (b) time to deduplicate 100,000 problems.
// Usage: dedup_bench [problems=100000] [sections=abd: a recall/precision, b dedup time,
// d diversity time]
#include "core/generate/diversity.h"
#include "core/generate/minhash.h"

#include <QThreadPool>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace crucible;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the whole process (all threads): on a shared machine wall time also measures
// the neighbours.
double cpuSeconds()
{
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// Random words with Zipf-distributed frequencies, so that common 3-word phrases recur across
// unrelated texts as they do in real prose.
class Corpus
{
public:
    Corpus(std::uint64_t seed, int vocabulary)
        : m_random(seed)
    {
        std::uniform_int_distribution<int> length(2, 9);
        std::uniform_int_distribution<int> letter(0, 25);
        double sum = 0;
        for (int i = 0; i < vocabulary; ++i) {
            QString word;
            for (int k = length(m_random); k > 0; --k)
                word.append(QChar(u'a' + letter(m_random)));
            m_words.push_back(word);
            sum += 1.0 / (i + 1);
            m_cdf.push_back(sum);
        }
        for (double &c : m_cdf)
            c /= sum;
    }

    int randomWord()
    {
        double u = std::uniform_real_distribution<double>(0, 1)(m_random);
        auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u);
        return static_cast<int>(
            std::min<std::ptrdiff_t>(it - m_cdf.begin(), static_cast<int>(m_cdf.size()) - 1));
    }

    std::vector<int> randomText(int minWords, int maxWords)
    {
        int n = std::uniform_int_distribution<int>(minWords, maxWords)(m_random);
        std::vector<int> text;
        for (int i = 0; i < n; ++i)
            text.push_back(randomWord());
        return text;
    }

    // `edits` random replacements, insertions or deletions.
    std::vector<int> edited(std::vector<int> text, int edits)
    {
        for (int e = 0; e < edits; ++e) {
            int kind = std::uniform_int_distribution<int>(0, 5)(m_random);
            auto at = static_cast<std::ptrdiff_t>(
                std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(m_random));
            if (kind == 0 && text.size() > 10)
                text.erase(text.begin() + at);
            else if (kind == 1)
                text.insert(text.begin() + at, randomWord());
            else
                text[static_cast<std::size_t>(at)] = randomWord();
        }
        return text;
    }

    QString render(const std::vector<int> &text) const
    {
        QString s;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (i)
                s += (i % 13 == 0) ? QStringLiteral(". ") : QStringLiteral(" ");
            s += m_words[static_cast<std::size_t>(text[i])];
        }
        return s + QLatin1Char('.');
    }

    std::mt19937_64 &random() { return m_random; }

private:
    std::mt19937_64 m_random;
    std::vector<QString> m_words;
    std::vector<double> m_cdf;
};

// For every text, the largest exact Jaccard with an earlier text (0 if none shares a shingle):
// only pairs sharing a shingle are compared, found through an inverted index.
std::vector<double> bestEarlierJaccard(const std::vector<std::vector<std::uint64_t>> &sets,
                                       std::vector<int> *bestIndex)
{
    std::unordered_map<std::uint64_t, std::vector<int>> postings;
    std::vector<double> best(sets.size(), 0.0);
    bestIndex->assign(sets.size(), -1);
    std::vector<int> seen(sets.size(), -1);
    for (std::size_t i = 0; i < sets.size(); ++i) {
        for (std::uint64_t h : sets[i]) {
            auto &list = postings[h];
            for (int j : list) {
                if (seen[static_cast<std::size_t>(j)] == static_cast<int>(i))
                    continue;
                seen[static_cast<std::size_t>(j)] = static_cast<int>(i);
                double s = jaccard(sets[i], sets[static_cast<std::size_t>(j)]);
                if (s > best[i]) {
                    best[i] = s;
                    (*bestIndex)[i] = j;
                }
            }
            list.push_back(static_cast<int>(i));
        }
    }
    return best;
}

void recallPrecision()
{
    constexpr int Bases = 5000;
    constexpr double Threshold = 0.8;
    Corpus corpus(2024, 20000);
    std::vector<std::vector<int>> docs;
    for (int i = 0; i < Bases; ++i)
        docs.push_back(corpus.randomText(60, 120));
    // Plant near-duplicates of 2,500 bases (and some of earlier plants) with 0–16 edits, so
    // the true similarity spreads over about 0.4–1.0.
    for (int i = 0; i < Bases / 2; ++i) {
        std::size_t source =
            std::uniform_int_distribution<std::size_t>(0, docs.size() - 1)(corpus.random());
        int edits = std::uniform_int_distribution<int>(0, 16)(corpus.random());
        docs.push_back(corpus.edited(docs[source], edits));
    }
    std::shuffle(docs.begin(), docs.end(), corpus.random());
    std::vector<QString> texts;
    std::vector<std::vector<std::uint64_t>> sets;
    for (const auto &d : docs) {
        texts.push_back(corpus.render(d));
        sets.push_back(shingleSet(texts.back(), 3));
    }
    std::vector<int> truthIndex;
    std::vector<double> truth = bestEarlierJaccard(sets, &truthIndex);
    int bins[6] = {};
    for (double s : truth) {
        if (s > 0.4)
            ++bins[std::min(5, static_cast<int>((s - 0.4) / 0.1))];
    }
    std::printf("(a) corpus: %zu texts (%d random, %d planted edits); best earlier true Jaccard "
                "0.4-0.5:%d 0.5-0.6:%d 0.6-0.7:%d 0.7-0.8:%d 0.8-0.9:%d 0.9-1.0:%d\n",
                texts.size(), Bases, Bases / 2, bins[0], bins[1], bins[2], bins[3], bins[4],
                bins[5]);
    std::printf("    query each text in order (findNear, then add), threshold %.2f\n", Threshold);
    // A text is a duplicate when some earlier text has a true Jaccard >= threshold with it. A
    // report is correct when the earlier text it names is such a text; recall counts only
    // duplicates reported with a correct match (one matched to the wrong original is a miss).
    std::printf("    %-22s %6s %6s %10s %8s %8s %10s %9s %10s %11s\n", "verification", "bands",
                "rows", "duplicates", "reported", "correct", "wrongMatch", "recall", "precision",
                "estErr(mean)");
    for (bool keep : {false, true}) {
        NearDuplicateIndex::Options options;
        options.threshold = Threshold;
        options.keepShingles = keep;
        NearDuplicateIndex index(options);
        std::vector<NearDuplicateIndex::Signature> signatures = index.signatures(texts);
        int positives = 0;
        int reported = 0;
        int correct = 0;
        int found = 0;      // duplicates reported with a correct match
        int wrongMatch = 0; // duplicates reported, but matched to a text that is not near
        double errorSum = 0;
        int errorCount = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            bool positive = truth[i] >= Threshold;
            positives += positive;
            if (auto match = index.findNear(signatures[i])) {
                ++reported;
                const bool right = jaccard(sets[i], sets[match->index]) >= Threshold;
                correct += right;
                found += positive && right;
                wrongMatch += positive && !right;
            }
            if (truthIndex[i] >= 0 && truth[i] >= 0.5) {
                errorSum +=
                    std::abs(index.similarity(signatures[i],
                                              signatures[static_cast<std::size_t>(truthIndex[i])]) -
                             truth[i]);
                ++errorCount;
            }
            index.add(QString::number(i), signatures[i]);
        }
        std::printf("    %-22s %6d %6d %10d %8d %8d %10d %9.4f %10.4f %11.4f\n",
                    keep ? "exact (keepShingles)" : "MinHash estimate", index.bands(),
                    index.rowsPerBand(), positives, reported, correct, wrongMatch,
                    positives ? static_cast<double>(found) / positives : 1.0,
                    reported ? static_cast<double>(correct) / reported : 1.0,
                    errorCount ? errorSum / errorCount : 0.0);
    }
}

void largeDedup(int count, bool diversity)
{
    Corpus corpus(77, 30000);
    std::vector<std::vector<int>> docs;
    docs.reserve(static_cast<std::size_t>(count));
    // 90% fresh problems, 10% edited copies of earlier ones (0–6 edits).
    for (int i = 0; i < count; ++i) {
        if (i > 0 && std::uniform_int_distribution<int>(0, 9)(corpus.random()) == 0) {
            std::size_t source =
                std::uniform_int_distribution<std::size_t>(0, docs.size() - 1)(corpus.random());
            docs.push_back(corpus.edited(
                docs[source], std::uniform_int_distribution<int>(0, 6)(corpus.random())));
        } else {
            docs.push_back(corpus.randomText(60, 120));
        }
    }
    std::vector<QString> texts;
    texts.reserve(docs.size());
    double words = 0;
    for (const auto &d : docs) {
        texts.push_back(corpus.render(d));
        words += static_cast<double>(d.size());
    }
    std::printf("(b) %d generated problems, %.1f words on average, threshold 0.8, 128 hashes\n",
                count, words / count);
    std::printf("    %-8s %12s %11s %9s %9s %9s %10s\n", "threads", "signatures", "index+query",
                "total[s]", "CPU[s]", "kept", "duplicates");
    const int ideal = QThreadPool::globalInstance()->maxThreadCount();
    for (int threads : {1, ideal}) {
        QThreadPool::globalInstance()->setMaxThreadCount(threads);
        auto start = Clock::now();
        double cpuStart = cpuSeconds();
        NearDuplicateIndex index;
        std::vector<NearDuplicateIndex::Signature> signatures = index.signatures(texts);
        double signatureSeconds = secondsSince(start);
        auto indexStart = Clock::now();
        int duplicates = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (index.findNear(signatures[i]))
                ++duplicates;
            else
                index.add(QString::number(i), std::move(signatures[i]));
        }
        double indexSeconds = secondsSince(indexStart);
        std::printf("    %-8d %12.3f %11.3f %9.3f %9.3f %9zu %10d\n", threads, signatureSeconds,
                    indexSeconds, secondsSince(start), cpuSeconds() - cpuStart, index.size(),
                    duplicates);
        if (threads == ideal)
            break;
    }
    QThreadPool::globalInstance()->setMaxThreadCount(ideal);
    if (!diversity)
        return;

    auto start = Clock::now();
    DiversityReport report = Diversity::measure(texts);
    std::printf("    diversity of all %d: distinct-1 %.4f, distinct-2 %.4f, mean pairwise "
                "Jaccard %.5f over %lld sampled pairs: %.3f s\n",
                count, report.distinct1, report.distinct2, report.meanPairwiseJaccard,
                static_cast<long long>(report.pairsCompared), secondsSince(start));
    std::vector<QString> small(texts.begin(),
                               texts.begin() + std::min<std::ptrdiff_t>(2000, count));
    start = Clock::now();
    report = Diversity::measure(small);
    std::printf("    diversity of 2,000 (exact, %lld pairs): mean pairwise Jaccard %.5f: %.3f s\n",
                static_cast<long long>(report.pairsCompared), report.meanPairwiseJaccard,
                secondsSince(start));
}

} // namespace

int main(int argc, char **argv)
{
    int count = argc > 1 ? std::atoi(argv[1]) : 100'000;
    std::string sections = argc > 2 ? argv[2] : "abd";
    std::printf("dedup_bench %d %s (threads available: %d)\n", count, sections.c_str(),
                QThreadPool::globalInstance()->maxThreadCount());
    if (sections.find('a') != std::string::npos)
        recallPrecision();
    if (sections.find_first_of("bd") != std::string::npos)
        largeDedup(count, sections.find('d') != std::string::npos);
    return 0;
}
