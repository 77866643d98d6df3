#include "core/model/validationerror.h"

namespace crucible {

namespace {
std::string joinIssues(const std::vector<ValidationIssue> &issues)
{
    QStringList parts;
    for (const auto &issue : issues)
        parts << issue.toString();
    return parts.join(QStringLiteral("; ")).toStdString();
}
} // namespace

QString ValidationIssue::toString() const
{
    if (value.isEmpty())
        return QStringLiteral("%1: %2").arg(field, rule);
    return QStringLiteral("%1 = %2: %3").arg(field, value, rule);
}

ValidationError::ValidationError(std::vector<ValidationIssue> issues)
    : std::runtime_error(joinIssues(issues))
    , m_issues(std::move(issues))
{
}

ValidationError::ValidationError(const QString &field, const QString &value, const QString &rule)
    : ValidationError(std::vector<ValidationIssue>{{field, value, rule}})
{
}

QString ValidationError::message() const
{
    return QString::fromStdString(what());
}

void throwIfInvalid(std::vector<ValidationIssue> issues)
{
    if (!issues.empty())
        throw ValidationError(std::move(issues));
}

} // namespace crucible
