#pragma once
// The QualityVerifier's verdict on one solution by one judge (an evaluator agent version):
// per-aspect scores with rationales, deterministic checks, measured novelty, confidence, and
// what produced it (rubric, prompt template, calls). A failed verdict carries the error and no
// scores. Value type.

#include "core/model/qualityscores.h"

#include <QDateTime>

#include <optional>

namespace crucible {

struct CheckResult
{
    bool passed = false;
    QString detail;
    bool operator==(const CheckResult &) const = default;
};

struct Verdict
{
    enum class Status { Ok, Failed };

    QString id; // vrd_…
    QString solutionId;
    QString judgeVersionId; // empty: checks only, no LLM judge
    Status status = Status::Ok;
    std::optional<double> overall;
    std::optional<double> confidence;
    std::optional<double> novelty; // measured (MinHash) against earlier solutions
    QualityScores scores;
    std::map<QString, CheckResult> checks;
    QString rubricVersion;
    QString promptTemplate; // "evaluate.solution@2"
    QString error;          // failed verdicts: what happened
    QString jobId;
    QStringList callIds;
    // Human-rated solutions whose ratings the judge prompt carried as calibration examples.
    QStringList calibrationIds;
    std::optional<double> costUsd;
    qint64 tokens = 0;
    QDateTime createdAt;

    bool ok() const { return status == Status::Ok; }
    int checksFailed() const;

    nlohmann::json checksJson() const;
    static std::map<QString, CheckResult> checksFromJson(const nlohmann::json &j);

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Verdict fromJson(const nlohmann::json &j);
    bool operator==(const Verdict &) const = default;
};

QString toString(Verdict::Status s);

} // namespace crucible
