#include "core/model/qualityscores.h"

namespace crucible {

using nlohmann::json;

double QualityScores::mean() const
{
    if (aspects.empty())
        return 0.0;
    double sum = 0;
    for (const auto &[name, s] : aspects)
        sum += s.score;
    return sum / static_cast<double>(aspects.size());
}

std::vector<ValidationIssue> QualityScores::validate(const QString &path) const
{
    std::vector<ValidationIssue> issues;
    for (const auto &[name, s] : aspects)
        if (!(s.score >= 0.0 && s.score <= 1.0))
            issues.push_back({path + u'.' + name, QString::number(s.score),
                              QStringLiteral("must be between 0 and 1")});
    return issues;
}

json QualityScores::toJson() const
{
    json j = json::object();
    for (const auto &[name, s] : aspects)
        j[name.toStdString()] = {{"score", s.score}, {"rationale", s.rationale.toStdString()}};
    return j;
}

QualityScores QualityScores::fromJson(const json &j, const QString &path)
{
    jsonio::requireObject(j, path);
    QualityScores q;
    for (const auto &[name, v] : j.items()) {
        const QString field = path + u'.' + QString::fromStdString(name);
        AspectScore s;
        if (v.is_number()) {
            s.score = v.get<double>();
        } else {
            jsonio::requireObject(v, field);
            s.score = jsonio::optionalDouble(v, "score", field, -1.0);
            s.rationale = jsonio::optionalString(v, "rationale", field);
        }
        q.aspects[QString::fromStdString(name)] = s;
    }
    throwIfInvalid(q.validate(path));
    return q;
}

} // namespace crucible
