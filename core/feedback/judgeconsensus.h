#pragma once
// JudgeConsensus: the one way several judges' verdicts on a solution become one score, a mean
// weighted by how well each judge agrees with the human ratings (CalibrationReport weights: a
// judge's weight for the aspect when an aspect's scores are combined, the mean of its aspect
// weights for the overall score). A judge without human ratings weighs the prior
// (CalibrationOptions::kPriorKappa), so with no ratings at all this is the plain mean. Value
// type; fromWorkspace reads the Workspace on its thread.

#include "core/model/verdict.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace crucible {

class Workspace;
struct CalibrationReport;

struct ConsensusPart
{
    QString judgeVersionId;
    QString verdictId;
    double score = 0;
    double weight = 0;
    bool calibrated = false; // the weight comes from human ratings (else the prior)
};

struct Consensus
{
    double score = 0;     // the calibration-weighted mean
    double plainMean = 0; // the unweighted mean of the same verdicts, for comparison
    // False when every judge weighs 0 (all agree with people no better than chance): the
    // score is then the plain mean.
    bool weighted = true;
    std::vector<ConsensusPart> parts; // one per judge (its newest ok verdict)

    // {"score", "plain_mean", "weighted", "judges": [{judge_version_id, verdict_id, score,
    // weight, calibrated}]}
    nlohmann::json toJson() const;
    // "0.72 (weights agv_a 0.81, agv_b 0.35 calibrated; plain mean 0.65)"; `names` maps judge
    // version ids to display names.
    QString describe(const std::map<QString, QString> &names = {}) const;
};

class JudgeConsensus final
{
public:
    JudgeConsensus() = default; // no calibration: every judge weighs the prior
    explicit JudgeConsensus(const CalibrationReport &report);
    // The weights of the workspace's current calibration (no bootstrap intervals drawn).
    static JudgeConsensus fromWorkspace(Workspace &ws);

    // A judge's weight for an aspect, or for the overall score when `aspect` is empty.
    double weight(const QString &judgeVersionId, const QString &aspect = {}) const;
    bool calibrated(const QString &judgeVersionId, const QString &aspect = {}) const;

    // Over the newest ok verdict of each judge among `verdicts` (all of one solution); nullopt
    // when none has a score. The overall score of a verdict is its `overall`, else the mean of
    // its aspect scores.
    std::optional<Consensus> overall(const std::vector<Verdict> &verdicts) const;
    std::optional<Consensus> aspect(const std::vector<Verdict> &verdicts,
                                    const QString &aspect) const;
    // overall() per solution of `verdicts` (of any solutions).
    std::map<QString, Consensus> overallBySolution(const std::vector<Verdict> &verdicts) const;

private:
    std::optional<Consensus> combine(const std::vector<Verdict> &verdicts,
                                     const QString &aspect) const;

    std::map<QString, std::map<QString, double>> m_byAspect; // judge → aspect → weight
    std::map<QString, double> m_overall;                     // judge → mean over its aspects
};

} // namespace crucible
