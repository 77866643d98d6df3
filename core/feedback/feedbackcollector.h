#pragma once
// FeedbackCollector: the feedback inbox's rules. Digests of at most N open questions by
// expected value on a cadence; answers that are reused (ratings become human judgments and so
// calibration examples, a rubric-gap answer adds a success criterion to the problem, i.e. a new
// rubric version, an A or B answer to a contradicted comparison becomes a human preference pair)
// and that settle other open questions automatically (same solution and aspect, same rubric item,
// or a near-duplicate solution of the same problem); snooze, dismiss, history and undo. Every
// change is one transaction that checks the question's state first, so two writers answering at
// once cannot both count. Lives on the Workspace's thread.

#include "core/feedback/feedbackstore.h"

#include <stdexcept>

namespace crucible {

class FeedbackError final : public std::runtime_error
{
public:
    enum class Kind { NotFound, NotOpen, InvalidAnswer };
    FeedbackError(Kind kind, const QString &message)
        : std::runtime_error(message.toStdString())
        , m_kind(kind)
    {
    }
    Kind kind() const { return m_kind; }
    QString message() const { return QString::fromStdString(what()); }

private:
    Kind m_kind;
};

struct DigestView
{
    std::vector<FeedbackQuestion> questions; // still open, highest expected value first
    QDateTime createdAt;
    QDateTime nextAt;   // when the next digest is due
    int open = 0;       // open questions in all
    bool fresh = false; // this call made a new digest
};

class FeedbackCollector final
{
public:
    static constexpr int kDefaultDigestSize = 7;
    static constexpr int kDefaultCadenceMinutes = 24 * 60;
    // Jaccard similarity (word 3-shingles) above which two solutions of one problem count as
    // near-duplicates, so that a rating of one settles the other's open questions.
    static constexpr double kNearDuplicate = 0.8;

    explicit FeedbackCollector(Workspace &ws);

    int digestSize() const;
    int cadenceMinutes() const;
    void setDigestSize(int n);           // 1..100, else FeedbackError
    void setCadenceMinutes(int minutes); // 0 (every call) .. 30 days
    // The current digest: a new one of the top digestSize() open questions when none was made
    // or the cadence has passed since the last (or `forceNew`), else the last one's questions
    // that are still open.
    DigestView digest(const QDateTime &now, bool forceNew = false);

    std::vector<FeedbackQuestion> open(const QDateTime &now) const; // by expected value
    // Answered, resolved and dismissed questions, newest change first.
    std::vector<FeedbackQuestion> history() const;
    FeedbackQuestion question(const QString &id) const; // FeedbackError NotFound
    std::vector<FeedbackAnswer> answers() const;        // newest first

    // Answers an open question; returns the stored answer with its effects. FeedbackError:
    // NotFound, NotOpen (answered, resolved, dismissed, snoozed; also when another writer
    // answered it first), InvalidAnswer (wrong kind of answer, rating outside 1–5, unknown
    // aspect, empty text).
    FeedbackAnswer answer(const QString &questionId, const AnswerValue &value,
                          const QString &rater = {}, const QDateTime &now = {});
    // Until a time in the future; a time not after `now` wakes the question (pending again).
    void snooze(const QString &questionId, const QDateTime &until, const QDateTime &now = {});
    void dismiss(const QString &questionId);
    // Reverts an answer (by its id or its question's): restores or removes the human judgments it
    // wrote, removes the rubric criterion or the preference pair it added, reopens the questions it
    // resolved and the question itself. Returns the answer as it was.
    FeedbackAnswer undo(const QString &id);

private:
    void requireOpen(const FeedbackQuestion &q, const QDateTime &now) const;
    void validate(const FeedbackQuestion &q, const AnswerValue &value) const;
    nlohmann::json applyEffects(const FeedbackQuestion &q, const AnswerValue &value,
                                const QString &rater, const QString &answerId);
    nlohmann::json resolveSettled(const FeedbackQuestion &q, const AnswerValue &value,
                                  const QString &answerId, const QDateTime &now);

    Workspace &m_ws;
    FeedbackStore m_store;
};

} // namespace crucible
