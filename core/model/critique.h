#pragma once
// A Critic's structured critique of one solution, by one exact agent version: a summary, the
// issues found (each with its severity and the constraint or criterion it concerns) and a
// verdict. Value type.

#include "core/model/jsonsupport.h"

#include <QDateTime>

#include <optional>

namespace crucible {

struct CritiqueIssue
{
    QString severity; // critical | major | minor
    QString criterion;
    QString description;
    QString suggestion;
    bool operator==(const CritiqueIssue &) const = default;
};

struct Critique
{
    QString id; // crt_…
    QString solutionId;
    QString agentVersionId;
    QString jobId;
    QString summary;
    std::vector<CritiqueIssue> issues;
    QString verdict = QStringLiteral("revise"); // accept | revise | reject
    QStringList callIds;
    std::optional<double> costUsd;
    qint64 tokens = 0;
    QDateTime createdAt;

    // The doc column: {"summary", "issues": [...], "verdict"}.
    nlohmann::json docJson() const;
    void setDoc(const nlohmann::json &doc); // throws ValidationError
    // Plain text for prompts (the Refiner reads it) and exports.
    QString toText() const;

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Critique fromJson(const nlohmann::json &j);
    bool operator==(const Critique &) const = default;
};

} // namespace crucible
