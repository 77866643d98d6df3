#pragma once
// Errors raised when a model value or an input record breaks a rule. Each issue names the field,
// the offending value and the rule, so that a person can fix the input.

#include <QString>
#include <QStringList>
#include <stdexcept>
#include <vector>

namespace crucible {

struct ValidationIssue
{
    QString field; // JSON path, e.g. "constraints[2]" or "personality.curiosity"
    QString value; // printable form of the offending value
    QString rule;  // what was expected, e.g. "must be one of simple|medium|complex"

    QString toString() const;
};

class ValidationError final : public std::runtime_error
{
public:
    explicit ValidationError(std::vector<ValidationIssue> issues);
    ValidationError(const QString &field, const QString &value, const QString &rule);

    const std::vector<ValidationIssue> &issues() const { return m_issues; }
    QString message() const;

private:
    std::vector<ValidationIssue> m_issues;
};

// Throws ValidationError when issues is not empty.
void throwIfInvalid(std::vector<ValidationIssue> issues);

} // namespace crucible
