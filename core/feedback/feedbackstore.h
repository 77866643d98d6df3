#pragma once
// The feedback inbox's tables (schema v8): questions, answers, digests and settings. Plain
// reads and writes; the rules (what an answer does, what undo reverts) are in
// FeedbackCollector. Lives on the Workspace's thread.

#include "core/feedback/feedbackquestion.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

struct QuestionFilter
{
    std::vector<QuestionStatus> statuses; // empty: any
    QString problemId;
    QString solutionId;
    QString jobId;
    std::optional<QuestionKind> kind;
};

class FeedbackStore final
{
public:
    explicit FeedbackStore(Workspace &ws);

    // Stores a new question (id derived from its dedup key) and returns true; a question with
    // the same dedup key is kept: while it is pending or snoozed its context, uncertainty,
    // impact and expected value are refreshed; returns false.
    bool raise(FeedbackQuestion &q);
    std::optional<FeedbackQuestion> question(const QString &id) const;
    // Highest expected value first.
    std::vector<FeedbackQuestion> questions(const QuestionFilter &filter = {}) const;
    int count(QuestionStatus status) const;

    // Sets the status (and the answer/resolver/snooze fields) of question `id` only if its
    // status is one of `from`; returns whether it did (the state check of concurrent writers).
    bool transition(const QString &id, const std::vector<QuestionStatus> &from, QuestionStatus to,
                    const QString &answerId = {}, const QString &resolvedBy = {},
                    const QDateTime &snoozedUntil = {});

    void insertAnswer(const FeedbackAnswer &a);
    std::optional<FeedbackAnswer> answer(const QString &id) const;
    std::vector<FeedbackAnswer> answers() const; // newest first
    // Marks an answer undone unless it already is; returns whether it did.
    bool markUndone(const QString &answerId);

    QString setting(const QString &key, const QString &fallback) const;
    void setSetting(const QString &key, const QString &value);

    struct Digest
    {
        qint64 seq = 0;
        QStringList questionIds;
        QDateTime createdAt;
    };
    std::optional<Digest> lastDigest() const;
    Digest addDigest(const QStringList &questionIds, const QDateTime &at);

private:
    Workspace &m_ws;
};

} // namespace crucible
