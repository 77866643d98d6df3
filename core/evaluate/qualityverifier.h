#pragma once
// QualityVerifier: the verdict on one solution by one judge. Beside the LLM judge (an evaluator
// agent version scoring each aspect 0–1 with a rationale against a rubric compiled from the
// problem) it runs the deterministic checks and measures novelty against the earlier solutions
// of the same problem. A judge answer that stays invalid after repair gives a failed verdict
// with the error, never scores. Several judges' verdicts on a solution are compared by
// agreement(). Same thread as its Workspace and LlmClient.

#include "core/engine/jobsupport.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solutionchecks.h"
#include "core/evaluate/solvepipeline.h"
#include "core/evaluate/solveragent.h"
#include "core/model/verdict.h"

#include <QCoro/QCoroTask>

namespace crucible {

struct JudgeAgreement
{
    int judges = 0;         // ok verdicts compared
    double agreement = 1.0; // 1 − mean over aspects of (max − min) score
    double maxSpread = 0.0; // the largest spread of one aspect
    QString widestAspect;
    bool disagree() const { return judges >= 2 && maxSpread >= kDisagreeSpread; }
    static constexpr double kDisagreeSpread = 0.3;
};

struct VerifyOutcome
{
    Verdict verdict; // stored (ok or failed)
    bool stored = false;
    LlmError llmError;
    jobsupport::CallTally tally;
};

class QualityVerifier final
{
public:
    QualityVerifier(Workspace &ws, LlmClient &client, const PromptTemplates &templates);

    // Up to `n` human ratings (JudgeCalibration::examples) go into each judge prompt as
    // calibration examples (scale anchors, or the ones the judge got most wrong first); the
    // verdict names them. 0: none.
    void setCalibrationExamples(int n, bool largestGapFirst = false)
    {
        m_calibrationExamples = n;
        m_largestGapFirst = largestGapFirst;
    }

    // The verdict's deterministic part (checks, measured novelty, rubric version), no LLM.
    Verdict deterministicVerdict(const Solution &solution, const Problem &problem,
                                 const Rubric &rubric, const CheckOptions &options) const;

    // Judges `solution` with `judgeId` (empty: checks only), stores the verdict under
    // `verdictId` (or returns the one already stored there) and returns it. Never throws:
    // workspace errors end in the outcome's verdict error with stored = false.
    QCoro::Task<VerifyOutcome> verify(Solution solution, Problem problem, QStringList aspects,
                                      CheckOptions options, QString judgeId, QString verdictId,
                                      QString jobId, SolvePipeline::CallSpecFactory makeSpec);

    // The judge's answer schema for these aspects (each a required {score, rationale}).
    static nlohmann::json judgeSchema(const QStringList &aspects);
    // Overall score: the mean of the aspect scores.
    static double overallOf(const QualityScores &scores);
    // How far the ok verdicts of several judges on one solution agree.
    static JudgeAgreement agreement(const std::vector<Verdict> &verdicts);

private:
    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    int m_calibrationExamples = 0;
    bool m_largestGapFirst = false; // JudgeCalibration::Choice::LargestGap, else Anchors
};

} // namespace crucible
