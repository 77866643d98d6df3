#pragma once
// A named set of problems with the complexity mix it was built for (value type).

#include "core/model/problem.h"

namespace crucible {

struct Dataset
{
    QString id;
    QString name;
    QString domain;
    std::map<Complexity, double> complexityMix; // level -> fraction, sums to 1 when set
    QStringList problemIds;                     // members, in order
    QDateTime createdAt;
    nlohmann::json metadata = nlohmann::json::object(); // parameters, rejects, cost

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Dataset fromJson(const nlohmann::json &j);

    bool operator==(const Dataset &) const = default;
};

} // namespace crucible
