#pragma once
// A question of the feedback inbox and an answer to it (value types, schema v8). A question is
// raised once per dedup key; its expected value is uncertainty × impact (see QuestionRaiser).
// An answer records its effects so that undo reverts exactly them.

#include <QDateTime>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

namespace crucible {

enum class QuestionKind { Disagreement, LowConfidence, Boundary, RubricGap, Budget, Comparison };
enum class QuestionStatus { Pending, Snoozed, Answered, Resolved, Dismissed };
enum class AnswerType { Rating, Choice, YesNo, Text };

QString toString(QuestionKind k);
QString toString(QuestionStatus s);
QString toString(AnswerType t);
std::optional<QuestionKind> questionKindFromString(const QString &s);
std::optional<QuestionStatus> questionStatusFromString(const QString &s);
std::optional<AnswerType> answerTypeFromString(const QString &s);

struct FeedbackQuestion
{
    QString id; // fbq_…
    QuestionKind kind = QuestionKind::Disagreement;
    QuestionStatus status = QuestionStatus::Pending;
    AnswerType answerType = AnswerType::Rating;
    QString dedupKey;
    QString problemId;
    QString solutionId; // empty for problem-, job- and comparison-level questions
    QString aspect;     // the rubric item the question is about; empty: the whole solution
    QString jobId;
    QString question;
    // What a person needs to answer: problem, solutions (id, excerpt), judges (id, scores,
    // rationales, confidence), rubric item, aspects to rate, options. Free-form JSON object.
    nlohmann::json context = nlohmann::json::object();
    double uncertainty = 0; // 0..1
    double impact = 1;      // ≥ 1: items, comparisons and decisions the answer settles
    double expectedValue = 0;
    QDateTime snoozedUntil;
    QString answerId;   // the answer that answered it (status Answered)
    QString resolvedBy; // the answer that settled it automatically (status Resolved)
    QDateTime createdAt;
    QDateTime updatedAt;

    // Aspects a rating answer rates (context "aspects"; the question's aspect when absent).
    QStringList ratedAspects() const;
    // Pending, or snoozed until a time that has passed.
    bool isOpen(const QDateTime &now) const;
    nlohmann::json toJson() const;
};

struct AnswerValue
{
    AnswerType type = AnswerType::Rating;
    std::map<QString, int> ratings; // aspect → 1..5
    QString choice;                 // "a", "b" or "tie"
    std::optional<bool> yes;
    QString text; // the answer for Text; an optional note for the others

    nlohmann::json toJson() const;
    static AnswerValue fromJson(const nlohmann::json &j);
    QString describe() const; // "correctness=4, completeness=3", "A", "yes", the text
};

struct FeedbackAnswer
{
    QString id; // fba_…
    QString questionId;
    AnswerValue value;
    // {"judgments": [{solution_id, aspect, rating, previous: {rating, note} | null}],
    //  "resolved": [question ids], "rubric": {problem_id, criterion, from_version, to_version},
    //  "preference": {comparison_id, choice, pair_id, chosen_solution_id, rejected_solution_id}}
    nlohmann::json effects = nlohmann::json::object();
    QString rater;
    bool undone = false;
    QDateTime createdAt;
    QDateTime undoneAt;

    nlohmann::json toJson() const;
};

} // namespace crucible
