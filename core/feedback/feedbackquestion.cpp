#include "core/feedback/feedbackquestion.h"

#include "core/model/jsonsupport.h"

#include <array>
#include <utility>

namespace crucible {

using nlohmann::json;

namespace {

constexpr std::array kKinds = {std::pair{QuestionKind::Disagreement, "disagreement"},
                               std::pair{QuestionKind::LowConfidence, "low_confidence"},
                               std::pair{QuestionKind::Boundary, "boundary"},
                               std::pair{QuestionKind::RubricGap, "rubric_gap"},
                               std::pair{QuestionKind::Budget, "budget"},
                               std::pair{QuestionKind::Comparison, "comparison"}};
constexpr std::array kStatuses = {std::pair{QuestionStatus::Pending, "pending"},
                                  std::pair{QuestionStatus::Snoozed, "snoozed"},
                                  std::pair{QuestionStatus::Answered, "answered"},
                                  std::pair{QuestionStatus::Resolved, "resolved"},
                                  std::pair{QuestionStatus::Dismissed, "dismissed"}};
constexpr std::array kTypes = {
    std::pair{AnswerType::Rating, "rating"}, std::pair{AnswerType::Choice, "choice"},
    std::pair{AnswerType::YesNo, "yes_no"}, std::pair{AnswerType::Text, "text"}};

template <typename E, size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &t, E e)
{
    for (const auto &[value, name] : t)
        if (value == e)
            return QString::fromLatin1(name);
    return {};
}

template <typename E, size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &t, const QString &s)
{
    for (const auto &[value, name] : t)
        if (s == QLatin1String(name))
            return value;
    return std::nullopt;
}

std::string timestamp(const QDateTime &t)
{
    return t.isValid() ? jsonio::formatTimestamp(t).toStdString() : std::string();
}

} // namespace

QString toString(QuestionKind k)
{
    return nameOf(kKinds, k);
}
QString toString(QuestionStatus s)
{
    return nameOf(kStatuses, s);
}
QString toString(AnswerType t)
{
    return nameOf(kTypes, t);
}
std::optional<QuestionKind> questionKindFromString(const QString &s)
{
    return valueOf(kKinds, s);
}
std::optional<QuestionStatus> questionStatusFromString(const QString &s)
{
    return valueOf(kStatuses, s);
}
std::optional<AnswerType> answerTypeFromString(const QString &s)
{
    return valueOf(kTypes, s);
}

QStringList FeedbackQuestion::ratedAspects() const
{
    QStringList out;
    for (const auto &a : context.value("aspects", json::array()))
        if (a.is_string())
            out << QString::fromStdString(a.get<std::string>());
    if (out.isEmpty() && !aspect.isEmpty())
        out << aspect;
    return out;
}

bool FeedbackQuestion::isOpen(const QDateTime &now) const
{
    return status == QuestionStatus::Pending ||
           (status == QuestionStatus::Snoozed && snoozedUntil.isValid() && snoozedUntil <= now);
}

json FeedbackQuestion::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"kind", toString(kind).toStdString()},
              {"status", toString(status).toStdString()},
              {"answer_type", toString(answerType).toStdString()},
              {"problem_id", problemId.toStdString()},
              {"solution_id", solutionId.toStdString()},
              {"aspect", aspect.toStdString()},
              {"job_id", jobId.toStdString()},
              {"question", question.toStdString()},
              {"context", context},
              {"uncertainty", uncertainty},
              {"impact", impact},
              {"expected_value", expectedValue},
              {"created_at", timestamp(createdAt)},
              {"updated_at", timestamp(updatedAt)}};
    if (snoozedUntil.isValid())
        j["snoozed_until"] = timestamp(snoozedUntil);
    if (!answerId.isEmpty())
        j["answer_id"] = answerId.toStdString();
    if (!resolvedBy.isEmpty())
        j["resolved_by"] = resolvedBy.toStdString();
    return j;
}

json AnswerValue::toJson() const
{
    json j = {{"type", toString(type).toStdString()}};
    if (!ratings.empty()) {
        json r = json::object();
        for (const auto &[aspect, rating] : ratings)
            r[aspect.toStdString()] = rating;
        j["ratings"] = r;
    }
    if (!choice.isEmpty())
        j["choice"] = choice.toStdString();
    if (yes)
        j["yes"] = *yes;
    if (!text.isEmpty())
        j["text"] = text.toStdString();
    return j;
}

AnswerValue AnswerValue::fromJson(const json &j)
{
    AnswerValue v;
    if (!j.is_object())
        return v;
    v.type = answerTypeFromString(QString::fromStdString(j.value("type", std::string("rating"))))
                 .value_or(AnswerType::Rating);
    const auto it = j.find("ratings");
    if (it != j.end() && it->is_object())
        for (const auto &[aspect, rating] : it->items())
            if (rating.is_number_integer())
                v.ratings[QString::fromStdString(aspect)] = rating.get<int>();
    v.choice = QString::fromStdString(j.value("choice", std::string()));
    if (const auto yes = j.find("yes"); yes != j.end() && yes->is_boolean())
        v.yes = yes->get<bool>();
    v.text = QString::fromStdString(j.value("text", std::string()));
    return v;
}

QString AnswerValue::describe() const
{
    switch (type) {
    case AnswerType::Rating: {
        QStringList parts;
        for (const auto &[aspect, rating] : ratings)
            parts << QStringLiteral("%1=%2").arg(aspect).arg(rating);
        return parts.join(QStringLiteral(", "));
    }
    case AnswerType::Choice:
        return choice == QLatin1String("tie") ? QStringLiteral("tie") : choice.toUpper();
    case AnswerType::YesNo:
        return yes.value_or(false) ? QStringLiteral("yes") : QStringLiteral("no");
    case AnswerType::Text:
        return text;
    }
    return {};
}

json FeedbackAnswer::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"question_id", questionId.toStdString()},
              {"value", value.toJson()},
              {"effects", effects},
              {"rater", rater.toStdString()},
              {"undone", undone},
              {"created_at", timestamp(createdAt)}};
    if (undoneAt.isValid())
        j["undone_at"] = timestamp(undoneAt);
    return j;
}

} // namespace crucible
