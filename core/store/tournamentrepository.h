#pragma once
// Tournaments, their comparisons, ratings (per tournament and pooled, with history) and the
// preference pairs of decisive comparisons (and of contradicted ones a person settled), on the
// schema v7 tables. A comparison is stored in canonical order (solution_a < solution_b) and is
// unique per (tournament, pair, judge): storing it again never counts it twice (a failed one may be
// replaced by a re-judged one). Lives on the Workspace's thread.

#include "core/store/workspace.h"

#include <QDateTime>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible {

struct TournamentEntrant
{
    QString key; // the generator version id, or gen+crit+ref version ids joined by '+'
    QString name;
    QString generator;
    QString critic; // "" for a single agent
    QString refiner;

    static QString teamKey(const QString &generator, const QString &critic, const QString &refiner);
    nlohmann::json toJson() const;
    static TournamentEntrant fromJson(const nlohmann::json &j);
};

struct TournamentRecord
{
    QString id; // trn_…
    QString name;
    QString format = QStringLiteral("round-robin");   // or "swiss"
    nlohmann::json params = nlohmann::json::object(); // the tournaments.params contract
    QString jobId;
    QDateTime createdAt;

    std::vector<TournamentEntrant> entrants() const;
    QStringList problems() const;
    QStringList judges() const;
};

struct ComparisonRecord
{
    QString id; // cmp_…
    QString tournamentId;
    QString problemId;
    QString solutionA;
    QString solutionB;
    QString entrantA;
    QString entrantB;
    QString judgeVersionId;
    QString verdictAb = QStringLiteral("failed"); // a, b, tie, failed (in terms of A/B)
    QString verdictBa = QStringLiteral("failed");
    QString winner = QStringLiteral("failed");
    nlohmann::json doc = nlohmann::json::object();
    QString jobId;
    QStringList callIds;
    std::optional<double> costUsd;
    qint64 tokens = 0;
    QDateTime createdAt;
    qint64 seq = 0;

    bool decisive() const { return winner == u"a" || winner == u"b"; }
    // The same comparison with A and B exchanged (verdicts, entrants, doc orders and lengths).
    ComparisonRecord swapped() const;
};

struct PreferencePairRecord
{
    QString id; // prf_…
    QString comparisonId;
    QString problemId;
    QString chosenSolutionId;
    QString rejectedSolutionId;
    std::optional<double> chosenScore; // 0–1
    std::optional<double> rejectedScore;
    // {"prompt", "chosen", "rejected", "chosen_rationale", "rejected_rationale", "judges"};
    // a person's pair: {"source": "human", "answer_id", "question_id", "rater", "note"}
    nlohmann::json doc = nlohmann::json::object();
    QDateTime createdAt;
};

struct RatingRecord
{
    QString tournamentId; // "" = every comparison in the workspace, pooled
    QString entrant;
    double rating = 1000;
    double ciLow = 1000;
    double ciHigh = 1000;
    int wins = 0;
    int losses = 0;
    int ties = 0;
    // {"name", "comparisons", "win_rate", "lc_win_rate", "history": [{"label", "rating",
    // "ci_low", "ci_high", "computed_at"}], ...}
    nlohmann::json doc = nlohmann::json::object();
    QDateTime computedAt;
};

// What addComparison did.
enum class ComparisonWrite { Inserted, Replaced, AlreadyThere };

class TournamentRepository final
{
public:
    explicit TournamentRepository(Workspace &ws);

    void createTournament(const TournamentRecord &t);
    std::optional<TournamentRecord> tournament(const QString &id) const;
    std::vector<TournamentRecord> tournaments() const; // newest first
    void setTournamentJob(const QString &id, const QString &jobId);

    // Stores a comparison in canonical order, with its preference pair when it is decisive, in
    // one transaction. Ids are made when empty. An existing comparison of the same
    // (tournament, pair, judge) is kept unless it failed and this one did not (then it is
    // replaced). `pair` carries the preference pair's doc and scores; its solution ids are set
    // from the comparison's winner here.
    ComparisonWrite addComparison(ComparisonRecord &c,
                                  const std::optional<PreferencePairRecord> &pair = std::nullopt);
    std::optional<ComparisonRecord> comparison(const QString &tournamentId,
                                               const QString &solutionA, const QString &solutionB,
                                               const QString &judgeVersionId) const;
    std::optional<ComparisonRecord> comparisonById(const QString &id) const;
    std::vector<ComparisonRecord> comparisons(const QString &tournamentId) const; // by seq
    std::vector<ComparisonRecord> allComparisons() const;                         // by seq
    // Comparisons between two entrants (either side), in a tournament or everywhere ("").
    std::vector<ComparisonRecord> comparisonsBetween(const QString &tournamentId,
                                                     const QString &entrantX,
                                                     const QString &entrantY) const;

    std::optional<PreferencePairRecord> preferencePair(const QString &comparisonId) const;
    std::vector<PreferencePairRecord> preferencePairs(const QString &tournamentId = {}) const;
    qint64 preferencePairCount() const;
    // A person's answer to "which of the two is better" as the preference pair of comparison
    // `comparisonId` (one its judge contradicted itself on, so it has no pair of its own):
    // `chosenSolutionId` is one of its two solutions, no scores, doc["source"] = "human" beside
    // `doc`. Throws WorkspaceError when the comparison is gone, the solution is not one of
    // its two, or it already has a pair.
    PreferencePairRecord addHumanPreference(const QString &comparisonId,
                                            const QString &chosenSolutionId, nlohmann::json doc);
    bool removePreferencePair(const QString &pairId); // false when there was none

    // Replaces the ratings of a tournament ("" = pooled) in one transaction. Each entrant's
    // doc["history"] keeps the points of earlier saves (of this tournament) plus this one,
    // labelled `label` (e.g. "round 2", "final").
    void saveRatings(const QString &tournamentId, std::vector<RatingRecord> rows,
                     const QString &label);
    std::vector<RatingRecord> ratings(const QString &tournamentId) const; // best first
    // An entrant's rows in every tournament (pooled included), oldest first.
    std::vector<RatingRecord> history(const QString &entrant) const;

private:
    Workspace &m_ws;
};

} // namespace crucible
