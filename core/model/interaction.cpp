#include "core/model/interaction.h"

namespace crucible {

using nlohmann::json;

std::vector<ValidationIssue> Interaction::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    for (size_t i = 0; i < turns.size(); ++i)
        if (turns[i].role.trimmed().isEmpty())
            issues.push_back(
                {QStringLiteral("turns[%1].role").arg(i), {}, QStringLiteral("must not be empty")});
    return issues;
}

json Interaction::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["problem_id"] = problemId;
    json list = json::array();
    for (const auto &t : turns)
        list.push_back({{"role", t.role.toStdString()},
                        {"speaker", t.speaker.toStdString()},
                        {"content", t.content.toStdString()}});
    j["turns"] = list;
    j["stop_reason"] = stopReason;
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    if (!metadata.empty())
        j["metadata"] = metadata;
    return j;
}

Interaction Interaction::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Interaction in;
    in.id = jsonio::requiredString(j, "id", {});
    in.problemId = jsonio::optionalString(j, "problem_id", {});
    if (const auto it = j.find("turns"); it != j.end() && !it->is_null()) {
        if (!it->is_array())
            throw ValidationError(QStringLiteral("turns"), jsonio::describe(*it),
                                  QStringLiteral("must be an array of turns"));
        int index = 0;
        for (const auto &t : *it) {
            const QString path = QStringLiteral("turns[%1]").arg(index++);
            jsonio::requireObject(t, path);
            in.turns.push_back({jsonio::requiredString(t, "role", path),
                                jsonio::optionalString(t, "speaker", path),
                                jsonio::optionalString(t, "content", path)});
        }
    }
    in.stopReason = jsonio::optionalString(j, "stop_reason", {});
    in.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    if (const auto it = j.find("metadata"); it != j.end() && !it->is_null())
        in.metadata = *it;
    throwIfInvalid(in.validate());
    return in;
}

} // namespace crucible
