#include "core/model/verdict.h"

namespace crucible {

using nlohmann::json;

QString toString(Verdict::Status s)
{
    return s == Verdict::Status::Ok ? QStringLiteral("ok") : QStringLiteral("failed");
}

int Verdict::checksFailed() const
{
    int n = 0;
    for (const auto &[name, c] : checks)
        n += c.passed ? 0 : 1;
    return n;
}

json Verdict::checksJson() const
{
    json j = json::object();
    for (const auto &[name, c] : checks)
        j[name.toStdString()] = {{"passed", c.passed}, {"detail", c.detail.toStdString()}};
    return j;
}

std::map<QString, CheckResult> Verdict::checksFromJson(const json &j)
{
    std::map<QString, CheckResult> out;
    if (!j.is_object())
        return out;
    for (const auto &[name, v] : j.items()) {
        const QString path = QStringLiteral("checks.") + QString::fromStdString(name);
        jsonio::requireObject(v, path);
        out[QString::fromStdString(name)] = {jsonio::optionalBool(v, "passed", path, false),
                                             jsonio::optionalString(v, "detail", path)};
    }
    return out;
}

std::vector<ValidationIssue> Verdict::validate() const
{
    std::vector<ValidationIssue> out = scores.validate();
    if (!id.startsWith(QLatin1String("vrd_")))
        out.push_back({QStringLiteral("id"), id, QStringLiteral("must start with vrd_")});
    if (solutionId.isEmpty())
        out.push_back({QStringLiteral("solution_id"), {}, QStringLiteral("must not be empty")});
    auto unit = [&out](const char *field, const std::optional<double> &v) {
        if (v && !(*v >= 0.0 && *v <= 1.0))
            out.push_back({QString::fromLatin1(field), QString::number(*v),
                           QStringLiteral("must be between 0 and 1")});
    };
    unit("overall", overall);
    unit("confidence", confidence);
    unit("novelty", novelty);
    if (status == Status::Failed) {
        if (error.trimmed().isEmpty())
            out.push_back({QStringLiteral("error"),
                           {},
                           QStringLiteral("a failed verdict says what went wrong")});
        if (!scores.aspects.empty() || overall)
            out.push_back({QStringLiteral("scores"),
                           {},
                           QStringLiteral("a failed verdict carries no scores")});
    }
    return out;
}

json Verdict::toJson() const
{
    auto opt = [](const std::optional<double> &v) { return v ? json(*v) : json(nullptr); };
    json j = {{"id", id.toStdString()},
              {"solution_id", solutionId.toStdString()},
              {"judge_version_id", judgeVersionId.toStdString()},
              {"status", toString(status).toStdString()},
              {"overall", opt(overall)},
              {"confidence", opt(confidence)},
              {"novelty", opt(novelty)},
              {"scores", scores.toJson()},
              {"checks", checksJson()},
              {"rubric_version", rubricVersion.toStdString()},
              {"prompt_template", promptTemplate.toStdString()},
              {"call_ids", callIds},
              {"cost_usd", opt(costUsd)},
              {"tokens", tokens},
              {"created_at", jsonio::formatTimestamp(createdAt).toStdString()}};
    if (!error.isEmpty())
        j["error"] = error.toStdString();
    if (!jobId.isEmpty())
        j["job_id"] = jobId.toStdString();
    if (!calibrationIds.isEmpty())
        j["calibration"] = calibrationIds;
    return j;
}

Verdict Verdict::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    auto opt = [&j](const char *field) -> std::optional<double> {
        const auto it = j.find(field);
        if (it != j.end() && it->is_number())
            return it->get<double>();
        return std::nullopt;
    };
    Verdict v;
    v.id = jsonio::requiredString(j, "id", {});
    v.solutionId = jsonio::requiredString(j, "solution_id", {});
    v.judgeVersionId = jsonio::optionalString(j, "judge_version_id", {});
    const QString status = jsonio::optionalString(j, "status", {}, QStringLiteral("ok"));
    if (status != QLatin1String("ok") && status != QLatin1String("failed"))
        throw ValidationError(QStringLiteral("status"), status,
                              QStringLiteral("must be ok or failed"));
    v.status = status == QLatin1String("ok") ? Status::Ok : Status::Failed;
    v.overall = opt("overall");
    v.confidence = opt("confidence");
    v.novelty = opt("novelty");
    if (const auto it = j.find("scores"); it != j.end() && !it->is_null())
        v.scores = QualityScores::fromJson(*it);
    if (const auto it = j.find("checks"); it != j.end())
        v.checks = checksFromJson(*it);
    v.rubricVersion = jsonio::optionalString(j, "rubric_version", {});
    v.promptTemplate = jsonio::optionalString(j, "prompt_template", {});
    v.error = jsonio::optionalString(j, "error", {});
    v.jobId = jsonio::optionalString(j, "job_id", {});
    v.callIds = jsonio::optionalStringList(j, "call_ids", {});
    v.calibrationIds = jsonio::optionalStringList(j, "calibration", {});
    v.costUsd = opt("cost_usd");
    v.tokens = static_cast<qint64>(jsonio::optionalDouble(j, "tokens", {}, 0));
    v.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    throwIfInvalid(v.validate());
    return v;
}

} // namespace crucible
