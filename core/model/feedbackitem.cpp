#include "core/model/feedbackitem.h"

namespace crucible {

using nlohmann::json;

namespace {
const QStringList &statusNames()
{
    static const QStringList names{QStringLiteral("pending"), QStringLiteral("answered"),
                                   QStringLiteral("dismissed")};
    return names;
}
} // namespace

QString FeedbackItem::toString(Status s)
{
    return statusNames().at(static_cast<int>(s));
}

std::optional<FeedbackItem::Status> FeedbackItem::statusFromString(const QString &s)
{
    const qsizetype i = statusNames().indexOf(s.trimmed().toLower());
    if (i < 0)
        return std::nullopt;
    return static_cast<Status>(i);
}

std::vector<ValidationIssue> FeedbackItem::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (question.trimmed().isEmpty())
        issues.push_back({QStringLiteral("question"), {}, QStringLiteral("must not be empty")});
    if (!(priority >= 0.0 && priority <= 1.0))
        issues.push_back({QStringLiteral("priority"), QString::number(priority),
                          QStringLiteral("must be between 0 and 1")});
    if (status == Status::Answered && answer.isEmpty())
        issues.push_back(
            {QStringLiteral("answer"), {}, QStringLiteral("must be set when status is answered")});
    if (!options.isEmpty() && status == Status::Answered && !options.contains(answer))
        issues.push_back({QStringLiteral("answer"), answer,
                          QStringLiteral("must be one of ") + options.join(u'|')});
    return issues;
}

json FeedbackItem::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["subject_id"] = subjectId;
    j["question"] = question;
    j["options"] = options;
    j["answer"] = answer;
    j["status"] = toString(status);
    j["priority"] = priority;
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    j["answered_at"] = jsonio::formatTimestamp(answeredAt);
    return j;
}

FeedbackItem FeedbackItem::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    FeedbackItem f;
    f.id = jsonio::requiredString(j, "id", {});
    f.subjectId = jsonio::optionalString(j, "subject_id", {});
    f.question = jsonio::requiredString(j, "question", {});
    f.options = jsonio::optionalStringList(j, "options", {});
    f.answer = jsonio::optionalString(j, "answer", {});
    const QString status = jsonio::optionalString(j, "status", {}, QStringLiteral("pending"));
    if (const auto s = statusFromString(status))
        f.status = *s;
    else
        throw ValidationError(QStringLiteral("status"), status,
                              QStringLiteral("must be one of ") + statusNames().join(u'|'));
    f.priority = jsonio::optionalDouble(j, "priority", {}, 0.5);
    f.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    f.answeredAt = jsonio::optionalTimestamp(j, "answered_at", {});
    throwIfInvalid(f.validate());
    return f;
}

} // namespace crucible
