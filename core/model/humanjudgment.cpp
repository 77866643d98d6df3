#include "core/model/humanjudgment.h"

namespace crucible {

using nlohmann::json;

std::vector<ValidationIssue> HumanJudgment::validate() const
{
    std::vector<ValidationIssue> out;
    if (!id.startsWith(QLatin1String("hjd_")))
        out.push_back({QStringLiteral("id"), id, QStringLiteral("must start with hjd_")});
    if (solutionId.isEmpty())
        out.push_back({QStringLiteral("solution_id"), {}, QStringLiteral("must not be empty")});
    if (aspect.trimmed().isEmpty())
        out.push_back({QStringLiteral("aspect"), {}, QStringLiteral("must not be empty")});
    if (rating && (*rating < 1 || *rating > 5))
        out.push_back({QStringLiteral("rating"), QString::number(*rating),
                       QStringLiteral("must be 1 to 5 (or none when skipped)")});
    return out;
}

json HumanJudgment::toJson() const
{
    return {{"id", id.toStdString()},
            {"solution_id", solutionId.toStdString()},
            {"aspect", aspect.toStdString()},
            {"rating", rating ? json(*rating) : json(nullptr)},
            {"note", note.toStdString()},
            {"rater", rater.toStdString()},
            {"created_at", jsonio::formatTimestamp(createdAt).toStdString()},
            {"updated_at", jsonio::formatTimestamp(updatedAt).toStdString()}};
}

HumanJudgment HumanJudgment::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    HumanJudgment h;
    h.id = jsonio::requiredString(j, "id", {});
    h.solutionId = jsonio::requiredString(j, "solution_id", {});
    h.aspect = jsonio::requiredString(j, "aspect", {});
    if (const auto it = j.find("rating"); it != j.end() && !it->is_null()) {
        if (!it->is_number_integer())
            throw ValidationError(QStringLiteral("rating"), jsonio::describe(*it),
                                  QStringLiteral("must be an integer 1 to 5 or null"));
        h.rating = it->get<int>();
    }
    h.note = jsonio::optionalString(j, "note", {});
    h.rater = jsonio::optionalString(j, "rater", {});
    h.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    h.updatedAt = jsonio::optionalTimestamp(j, "updated_at", {});
    throwIfInvalid(h.validate());
    return h;
}

} // namespace crucible
