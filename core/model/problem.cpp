#include "core/model/problem.h"

namespace crucible {

using nlohmann::json;

const QStringList &complexityNames()
{
    static const QStringList names{QStringLiteral("simple"), QStringLiteral("medium"),
                                   QStringLiteral("complex")};
    return names;
}

const QStringList &originNames()
{
    static const QStringList names{QStringLiteral("manual"),    QStringLiteral("import"),
                                   QStringLiteral("seed"),      QStringLiteral("variation"),
                                   QStringLiteral("matrix"),    QStringLiteral("adversarial"),
                                   QStringLiteral("expansion"), QStringLiteral("dataset")};
    return names;
}

const QStringList &reviewStatusNames()
{
    static const QStringList names{QStringLiteral("unreviewed"), QStringLiteral("accepted"),
                                   QStringLiteral("rejected")};
    return names;
}

QString toString(ReviewStatus s)
{
    return reviewStatusNames().at(static_cast<int>(s));
}

std::optional<ReviewStatus> reviewStatusFromString(const QString &s)
{
    const qsizetype i = reviewStatusNames().indexOf(s.trimmed().toLower());
    if (i < 0)
        return std::nullopt;
    return static_cast<ReviewStatus>(i);
}

QString Problem::jobId() const
{
    if (!metadata.is_object())
        return {};
    const auto it = metadata.find("job_id");
    if (it == metadata.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

QString toString(Complexity c)
{
    return complexityNames().at(static_cast<int>(c));
}
QString toString(ProblemOrigin o)
{
    return originNames().at(static_cast<int>(o));
}

std::optional<Complexity> complexityFromString(const QString &s)
{
    const qsizetype i = complexityNames().indexOf(s.trimmed().toLower());
    if (i < 0)
        return std::nullopt;
    return static_cast<Complexity>(i);
}

std::optional<ProblemOrigin> originFromString(const QString &s)
{
    const qsizetype i = originNames().indexOf(s.trimmed().toLower());
    if (i < 0)
        return std::nullopt;
    return static_cast<ProblemOrigin>(i);
}

std::vector<ValidationIssue> Problem::validate() const
{
    std::vector<ValidationIssue> issues;
    if (id.trimmed().isEmpty())
        issues.push_back({QStringLiteral("id"), id, QStringLiteral("must not be empty")});
    if (statement.trimmed().isEmpty())
        issues.push_back(
            {QStringLiteral("statement"), statement, QStringLiteral("must not be empty")});
    if (domain.size() > 200)
        issues.push_back({QStringLiteral("domain"), domain.left(40) + QStringLiteral("..."),
                          QStringLiteral("must be at most 200 characters")});
    for (qsizetype i = 0; i < constraints.size(); ++i)
        if (constraints[i].trimmed().isEmpty())
            issues.push_back({QStringLiteral("constraints[%1]").arg(i),
                              {},
                              QStringLiteral("must not be empty")});
    for (qsizetype i = 0; i < successCriteria.size(); ++i)
        if (successCriteria[i].trimmed().isEmpty())
            issues.push_back({QStringLiteral("success_criteria[%1]").arg(i),
                              {},
                              QStringLiteral("must not be empty")});
    if (!baseProblemId.isEmpty() && baseProblemId == id)
        issues.push_back({QStringLiteral("base_problem_id"), baseProblemId,
                          QStringLiteral("must not be the problem's own id")});
    if (!metadata.is_object())
        issues.push_back({QStringLiteral("metadata"), jsonio::describe(metadata),
                          QStringLiteral("must be a JSON object")});
    return issues;
}

json Problem::toJson() const
{
    json j = json::object();
    j["id"] = id;
    j["domain"] = domain;
    j["statement"] = statement;
    j["constraints"] = constraints;
    j["success_criteria"] = successCriteria;
    if (!sampleData.is_null())
        j["sample_data"] = sampleData;
    j["complexity"] = toString(complexity);
    j["origin"] = toString(origin);
    if (!baseProblemId.isEmpty())
        j["base_problem_id"] = baseProblemId;
    if (!matrixCell.empty()) {
        json cell = json::object();
        for (const auto &[k, v] : matrixCell)
            cell[k.toStdString()] = v;
        j["matrix_cell"] = cell;
    }
    j["tags"] = tags;
    j["created_at"] = jsonio::formatTimestamp(createdAt);
    if (!metadata.empty())
        j["metadata"] = metadata;
    // Curation travels with the problem, but an unreviewed one looks as it always did.
    if (reviewStatus != ReviewStatus::Unreviewed)
        j["review_status"] = toString(reviewStatus);
    if (!reviewNote.isEmpty())
        j["review_note"] = reviewNote;
    return j;
}

Problem Problem::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    const QString path;
    Problem p;
    p.id = jsonio::requiredString(j, "id", path);
    p.domain = jsonio::optionalString(j, "domain", path);
    p.statement = jsonio::requiredString(j, "statement", path);
    p.constraints = jsonio::optionalStringList(j, "constraints", path);
    p.successCriteria = jsonio::optionalStringList(j, "success_criteria", path);
    if (const auto it = j.find("sample_data"); it != j.end())
        p.sampleData = *it;
    const QString complexity =
        jsonio::optionalString(j, "complexity", path, QStringLiteral("medium"));
    if (const auto c = complexityFromString(complexity))
        p.complexity = *c;
    else
        throw ValidationError(QStringLiteral("complexity"), complexity,
                              QStringLiteral("must be one of ") + complexityNames().join(u'|'));
    const QString origin = jsonio::optionalString(j, "origin", path, QStringLiteral("manual"));
    if (const auto o = originFromString(origin))
        p.origin = *o;
    else
        throw ValidationError(QStringLiteral("origin"), origin,
                              QStringLiteral("must be one of ") + originNames().join(u'|'));
    p.baseProblemId = jsonio::optionalString(j, "base_problem_id", path);
    if (const auto it = j.find("matrix_cell"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throw ValidationError(QStringLiteral("matrix_cell"), jsonio::describe(*it),
                                  QStringLiteral("must be an object of dimension -> value"));
        for (const auto &[k, v] : it->items()) {
            if (!v.is_string())
                throw ValidationError(QStringLiteral("matrix_cell.") + QString::fromStdString(k),
                                      jsonio::describe(v), QStringLiteral("must be a string"));
            p.matrixCell[QString::fromStdString(k)] = QString::fromStdString(v.get<std::string>());
        }
    }
    p.tags = jsonio::optionalStringList(j, "tags", path);
    p.createdAt = jsonio::optionalTimestamp(j, "created_at", path);
    if (const auto it = j.find("metadata"); it != j.end() && !it->is_null())
        p.metadata = *it;
    const QString review =
        jsonio::optionalString(j, "review_status", path, QStringLiteral("unreviewed"));
    if (const auto r = reviewStatusFromString(review))
        p.reviewStatus = *r;
    else
        throw ValidationError(QStringLiteral("review_status"), review,
                              QStringLiteral("must be one of ") + reviewStatusNames().join(u'|'));
    p.reviewNote = jsonio::optionalString(j, "review_note", path);
    throwIfInvalid(p.validate());
    return p;
}

} // namespace crucible
