#pragma once
// QuestionRaiser: turns stored evaluation results into inbox questions, only where a person's
// answer is worth it: judges disagree on an aspect (spread ≥ disagreeSpread), a judge is unsure
// (confidence < lowConfidence), the judges' weighted overall score sits within boundaryMargin of
// the accept threshold, the rubric cannot score an aspect (a judge says so, or the problem gives
// nothing to check it against), a pairwise judge contradicted itself across the two orders, or a
// job stopped at its budget with work left.
//
// Expected value = uncertainty × impact, where
//   uncertainty ∈ [0, 1]: disagreement: the aspect's score spread; low confidence: 1 − the lowest
//     confidence; boundary: 1 − |score − threshold| / margin; rubric gap: 0.5 + 0.5 × the share
//     of the problem's verdicts that flagged it (0.6 when the problem has no criteria at all);
//     contradicting comparison: 1 (opposite winners) or 0.5 (a win against a tie); budget: 1;
//   impact ≥ 1: what the answer settles: 1 for the solution's own scores, + 1 per comparison and
//     per preference pair the solution is in, + 1 when its accept/reject decision is at stake
//     (the score is within the boundary margin, or the judges fall on both sides of the
//     threshold); a rubric gap: the problem's judged solutions (all are re-scored by the
//     new rubric); a comparison: 1 + the other comparisons of its two solutions; budget: the
//     units left.
// Raising is idempotent (one question per dedup key; a pending one is refreshed). Lives on the
// Workspace's thread.

#include "core/feedback/feedbackquestion.h"
#include "core/feedback/judgeconsensus.h"
#include "core/model/verdict.h"
#include "core/store/workspace.h"

#include <map>

namespace crucible {

class FeedbackStore;

struct RaiseOptions
{
    double disagreeSpread = 0.3;
    double lowConfidence = 0.5;
    double acceptThreshold = 0.6;
    double boundaryMargin = 0.05;
    // How the judges' overall scores combine for the boundary (JudgeConsensus); the default
    // weighs every judge alike.
    JudgeConsensus consensus;

    // Thresholds stored in the inbox settings (defaults above when unset).
    static RaiseOptions load(const FeedbackStore &store);
    void save(FeedbackStore &store) const;
};

struct RaiseReport
{
    int solutions = 0;  // solutions whose verdicts were scanned
    int candidates = 0; // questions the scan found worth asking
    int raised = 0;     // new questions
    int refreshed = 0;  // already in the inbox (pending ones were refreshed)
    QStringList questionIds;
    std::map<QString, int> byKind; // new questions by kind
    nlohmann::json toJson() const;
};

class QuestionRaiser final
{
public:
    explicit QuestionRaiser(Workspace &ws, RaiseOptions options = {});

    // Questions from an evaluate job's verdicts, a tournament job's comparisons, and a budget
    // question if the job stopped at its budget. Throws ValidationError for an unknown job.
    RaiseReport fromJob(const QString &jobId);
    // Questions from every verdict and comparison of a problem's solutions.
    RaiseReport fromProblem(const QString &problemId);
    // Questions from every verdict in the workspace.
    RaiseReport fromWorkspace();

    // What a scan of these verdicts would raise (nothing stored), best first.
    std::vector<FeedbackQuestion> candidates(const std::vector<Verdict> &verdicts,
                                             const QString &jobId = {}) const;
    // Inconsistent pairwise verdicts (A-first and B-first disagree) among `comparisonIds`.
    std::vector<FeedbackQuestion> comparisonCandidates(const QStringList &comparisonIds,
                                                       const QString &jobId) const;
    // The budget decision: spend about `moreUsd` to finish `unitsLeft` units of `jobId`?
    static FeedbackQuestion budgetQuestion(const QString &jobId, double spentUsd, double budgetUsd,
                                           double moreUsd, int unitsLeft);

    // What evaluation and tournament jobs call when they finish (CLI and engine): fromJob with
    // the thresholds in the inbox settings and the judges weighted by their calibration.
    static RaiseReport afterJob(Workspace &ws, const QString &jobId);

    // Stores candidates; the report counts them.
    RaiseReport store(std::vector<FeedbackQuestion> questions, int solutions);

private:
    Workspace &m_ws;
    RaiseOptions m_options;
};

} // namespace crucible
