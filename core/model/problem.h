#pragma once
// A problem statement with its constraints, success criteria and derivation (value type).

#include "core/model/jsonsupport.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <vector>

namespace crucible {

enum class Complexity { Simple, Medium, Complex };
// New values go at the end: the names are stored in workspaces.
enum class ProblemOrigin {
    Manual,
    Import,
    Seed,
    Variation,
    Matrix,
    Adversarial,
    Expansion,
    Dataset
};
// A person's verdict on a problem (curation); generated problems start unreviewed.
enum class ReviewStatus { Unreviewed, Accepted, Rejected };

QString toString(Complexity c);
QString toString(ProblemOrigin o);
std::optional<Complexity> complexityFromString(const QString &s);
std::optional<ProblemOrigin> originFromString(const QString &s);
const QStringList &complexityNames();
const QStringList &originNames();
QString toString(ReviewStatus s);
std::optional<ReviewStatus> reviewStatusFromString(const QString &s);
const QStringList &reviewStatusNames(); // "unreviewed", "accepted", "rejected"

struct Problem
{
    QString id;
    QString domain;
    QString statement;
    QStringList constraints;
    QStringList successCriteria;
    nlohmann::json sampleData; // null when absent; any JSON value otherwise
    Complexity complexity = Complexity::Medium;
    ProblemOrigin origin = ProblemOrigin::Manual;
    QString baseProblemId;                 // empty when the problem is not derived
    std::map<QString, QString> matrixCell; // dimension -> value, for matrix rows
    QStringList tags;
    QDateTime createdAt;
    nlohmann::json metadata = nlohmann::json::object(); // provenance: generator, template, calls
    ReviewStatus reviewStatus = ReviewStatus::Unreviewed;
    QString reviewNote; // why it was accepted or rejected; may be empty

    // The generation job that made this problem (metadata "job_id"), empty otherwise.
    QString jobId() const;

    // Returns every broken rule; empty when the problem is valid.
    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    // Throws ValidationError naming the field, value and rule.
    static Problem fromJson(const nlohmann::json &j);

    bool operator==(const Problem &) const = default;
};

} // namespace crucible
