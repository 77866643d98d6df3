#pragma once
// Verdicts of the QualityVerifier and human judgments (schema v7). A human judgment is one row
// per (solution, aspect, rater), updated in place; a skipped aspect has a NULL rating. Every
// multi-row write is one transaction. Lives on the Workspace's thread.

#include "core/model/humanjudgment.h"
#include "core/model/verdict.h"
#include "core/store/workspace.h"

#include <optional>
#include <vector>

namespace crucible {

class VerdictRepository final
{
public:
    explicit VerdictRepository(Workspace &ws);

    void insert(const Verdict &v);                     // throws ValidationError or WorkspaceError
    void insert(const std::vector<Verdict> &verdicts); // one transaction
    std::optional<Verdict> get(const QString &id) const;
    bool contains(const QString &id) const;
    std::vector<Verdict> forSolution(const QString &solutionId) const; // oldest first
    // Verdicts of every solution of a problem, oldest first.
    std::vector<Verdict> forProblem(const QString &problemId) const;
    std::vector<Verdict> byJob(const QString &jobId) const;
    std::vector<Verdict> byJudge(const QString &judgeVersionId) const;

    // Sets (or replaces) the rating of `aspect` of a solution by `rater`; an unset rating
    // records a skip. Returns the stored judgment. Throws ValidationError for a rating outside
    // 1–5 or an empty aspect, WorkspaceError for an unknown solution.
    HumanJudgment setJudgment(const QString &solutionId, const QString &aspect,
                              std::optional<int> rating, const QString &note,
                              const QString &rater = {});
    // Removes the judgment of `aspect` of a solution by `rater` (undoing a first rating); no-op
    // when there is none.
    void removeJudgment(const QString &solutionId, const QString &aspect,
                        const QString &rater = {});
    // Several at once, in one transaction.
    std::vector<HumanJudgment> setJudgments(const std::vector<HumanJudgment> &judgments);
    std::optional<HumanJudgment> judgment(const QString &solutionId, const QString &aspect,
                                          const QString &rater = {}) const;
    std::vector<HumanJudgment> judgmentsOf(const QString &solutionId) const; // by aspect
    std::vector<HumanJudgment> allJudgments() const;                         // oldest first

private:
    std::vector<Verdict> select(const QString &where, const QVariantList &binds,
                                const QString &what) const;
    std::vector<HumanJudgment> selectJudgments(const QString &where, const QVariantList &binds,
                                               const QString &what) const;

    Workspace &m_ws;
};

} // namespace crucible
