#pragma once
// A question batched for the human, and the answer once given (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>

namespace crucible {

struct FeedbackItem
{
    enum class Status { Pending, Answered, Dismissed };

    QString id;
    QString subjectId; // problem, solution or agent the question is about
    QString question;
    QStringList options; // empty for free-text answers
    QString answer;
    Status status = Status::Pending;
    double priority = 0.5; // 0..1, higher is asked first
    QDateTime createdAt;
    QDateTime answeredAt;

    static QString toString(Status s);
    static std::optional<Status> statusFromString(const QString &s);

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static FeedbackItem fromJson(const nlohmann::json &j);

    bool operator==(const FeedbackItem &) const = default;
};

} // namespace crucible
