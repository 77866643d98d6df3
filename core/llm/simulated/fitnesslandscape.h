#pragma once
// FitnessLandscape: a world the Simulated provider can answer from in which agent versions have
// a hidden true quality, so that optimisers can be tested on a provider that "learns". For a
// seed it hides an optimum t* over the trait catalogue's traits (each uniform in [10, 90]) and
// kUsefulLessons useful lessons among a vocabulary of kVocabularySize instruction phrases. An
// agent version's quality is
//     q = 0.5 · exp(−Σᵢ ((tᵢ − t*ᵢ)/35)² / 2) + 0.5 · max(0, u − w/2) / 12
// with u the useful lessons present in its instructions and w the other vocabulary phrases
// present. Its solutions carry q + N(0, 0.05) (written into the solution), judges score that
// noisy quality and name in their rationales one useful lesson the solution lacked, and
// reflection answers propose lessons the prompt mentions plus some from the vocabulary.
// Every answer is deterministic per (seed, request hash). Immutable, thread-safe.

#include "core/llm/chattypes.h"
#include "core/llm/simulated/judgeflaw.h"

#include <QStringList>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>

namespace crucible::simulated {

struct LandscapeQuality
{
    double q = 0;
    double traitPart = 0;  // 0.5 · exp(…)
    double lessonPart = 0; // 0.5 · max(0, u − w/2) / 12
    int useful = 0;        // u
    int other = 0;         // w
};

class FitnessLandscape final
{
public:
    static constexpr int kVocabularySize = 60;
    static constexpr int kUsefulLessons = 12;
    static constexpr double kTraitScale = 35.0;
    static constexpr double kSolutionNoise = 0.05;
    static constexpr int kOptimumLow = 10;
    static constexpr int kOptimumHigh = 90;
    // Reflection answers keep each lesson the prompt mentions with this probability and add a
    // vocabulary phrase the prompt does not mention with kInventProbability (an imperfect LLM).
    static constexpr double kKeepMentioned = 0.9;
    static constexpr double kInventProbability = 0.5;
    // The schema names the landscape answers (StructuredCallSpec::schemaName).
    static inline const QString kSolutionSchema = QStringLiteral("solution");
    static inline const QString kVerdictSchema = QStringLiteral("verdict");
    static inline const QString kReflectionSchema = QStringLiteral("reflection");

    explicit FitnessLandscape(std::uint64_t seed);
    // Judges (by agent version id) that score wrongly on a planted subset (see JudgeFlaw).
    void setJudgeFlaws(JudgeFlaws flaws) { m_flaws = std::move(flaws); }
    const JudgeFlaws &judgeFlaws() const { return m_flaws; }
    // Whether judge `judgeVersionId`'s planted error applies to this solution text.
    bool flawed(const QString &judgeVersionId, const QString &solutionText) const;
    // The text a solution of true quality q carries (what qualityInText reads).
    static QString qualityText(double q);

    std::uint64_t seed() const { return m_seed; }
    // The 60 phrases, fixed for every seed; none contains another.
    static const QStringList &vocabulary();
    // The hidden optimum over the catalogue's traits (TraitCatalogue::builtIn().names()).
    const std::map<QString, int> &optimum() const { return m_optimum; }
    // The hidden useful lessons (kUsefulLessons phrases of the vocabulary).
    const QStringList &usefulLessons() const { return m_useful; }

    // The vocabulary phrases `text` contains (case-insensitive), in vocabulary order.
    static QStringList phrasesIn(const QString &text);
    // The true quality of an agent (a trait it lacks counts as 50).
    LandscapeQuality quality(const std::map<QString, int> &traits,
                             const QStringList &instructions) const;
    LandscapeQuality quality(const AgentContext &agent) const;

    // The landscape's answer to `request` (a JSON value that fits the request's schema), or
    // nullopt when the landscape does not answer this kind of request (the provider answers it
    // as usual): solutions written by an agent, verdicts and reflections. `hash` is the
    // provider's deterministic hash of the request.
    std::optional<nlohmann::json> answer(const ChatRequest &request, std::uint64_t hash) const;

    // The noisy quality a landscape solution carries, read from its text; nullopt if none.
    static std::optional<double> qualityInText(const QString &text);

private:
    nlohmann::json solution(const ChatRequest &request, std::uint64_t hash) const;
    nlohmann::json verdict(const ChatRequest &request, std::uint64_t hash) const;
    nlohmann::json reflection(const ChatRequest &request, std::uint64_t hash) const;

    std::uint64_t m_seed;
    std::map<QString, int> m_optimum;
    QStringList m_useful;
    JudgeFlaws m_flaws;
};

} // namespace crucible::simulated
