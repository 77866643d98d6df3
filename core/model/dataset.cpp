#include "core/model/dataset.h"

#include <cmath>

namespace crucible {

using nlohmann::json;

std::vector<ValidationIssue> Dataset::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (name.trimmed().isEmpty())
        issues.push_back({QStringLiteral("name"), name, QStringLiteral("must not be empty")});
    double sum = 0;
    for (const auto &[level, fraction] : complexityMix) {
        if (!(fraction >= 0.0 && fraction <= 1.0))
            issues.push_back({QStringLiteral("complexity_mix.") + toString(level),
                              QString::number(fraction),
                              QStringLiteral("must be a fraction between 0 and 1")});
        sum += fraction;
    }
    if (!complexityMix.empty() && std::abs(sum - 1.0) > 1e-6)
        issues.push_back({QStringLiteral("complexity_mix"), QString::number(sum),
                          QStringLiteral("fractions must sum to 1")});
    return issues;
}

json Dataset::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["name"] = name;
    j["domain"] = domain;
    json mix = json::object();
    for (const auto &[level, fraction] : complexityMix)
        mix[toString(level).toStdString()] = fraction;
    j["complexity_mix"] = mix;
    j["problem_ids"] = problemIds;
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    if (!metadata.empty())
        j["metadata"] = metadata;
    return j;
}

Dataset Dataset::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Dataset d;
    d.id = jsonio::requiredString(j, "id", {});
    d.name = jsonio::requiredString(j, "name", {});
    d.domain = jsonio::optionalString(j, "domain", {});
    if (const auto it = j.find("complexity_mix"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throw ValidationError(QStringLiteral("complexity_mix"), jsonio::describe(*it),
                                  QStringLiteral("must be an object of level -> fraction"));
        for (const auto &[k, v] : it->items()) {
            const auto level = complexityFromString(QString::fromStdString(k));
            if (!level)
                throw ValidationError(QStringLiteral("complexity_mix"), QString::fromStdString(k),
                                      QStringLiteral("level must be one of ") +
                                          complexityNames().join(u'|'));
            if (!v.is_number())
                throw ValidationError(QStringLiteral("complexity_mix.") + QString::fromStdString(k),
                                      jsonio::describe(v), QStringLiteral("must be a number"));
            d.complexityMix[*level] = v.get<double>();
        }
    }
    d.problemIds = jsonio::optionalStringList(j, "problem_ids", {});
    d.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    if (const auto it = j.find("metadata"); it != j.end() && !it->is_null())
        d.metadata = *it;
    throwIfInvalid(d.validate());
    return d;
}

} // namespace crucible
