#pragma once
// A solution to a problem by one exact agent version: the Generator's first answer (stage solve)
// or a Refiner's answer to an earlier solution after a critique (stage refine). Value type; the
// body is the structured answer, toText() its plain-text rendering (what judges read and what
// text_length counts).

#include "core/model/jsonsupport.h"

#include <QDateTime>

#include <optional>

namespace crucible {

enum class SolutionStage { Solve, Refine };
QString toString(SolutionStage s);
std::optional<SolutionStage> solutionStageFromString(const QString &s);

struct SolutionBody
{
    QString approach;
    QStringList steps;
    QString finalAnswer;
    QStringList assumptions;

    nlohmann::json toJson() const; // {"approach", "steps", "final_answer", "assumptions"}
    static SolutionBody fromJson(const nlohmann::json &j, const QString &path = {});
    bool operator==(const SolutionBody &) const = default;
};

struct Solution
{
    QString id; // sol_…
    QString problemId;
    QString agentVersionId;
    SolutionStage stage = SolutionStage::Solve;
    QString refinedFrom; // stage refine: the solution it improves
    QString critiqueId;  // stage refine: the critique it answers
    QString jobId;
    SolutionBody body;
    QStringList callIds;
    std::optional<double> costUsd; // unset when a call was unpriced
    qint64 tokens = 0;
    QDateTime createdAt;

    // Plain text: approach, numbered steps, final answer, assumptions.
    QString toText() const;
    // Characters of toText() (the stored text_length).
    int textLength() const { return static_cast<int>(toText().size()); }

    std::vector<ValidationIssue> validate() const;
    nlohmann::json toJson() const;
    static Solution fromJson(const nlohmann::json &j);

    bool operator==(const Solution &) const = default;
};

} // namespace crucible
