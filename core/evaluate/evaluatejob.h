#pragma once
// EvaluateJob (jobs.kind "evaluate"): the QualityVerifier over solutions, one unit per
// (solution, judge); each stores one verdict (ok or failed) under an id derived from the unit,
// so a resumed job never judges twice. The summary reports the judges' agreement per solution
// when there are several, and their calibration-weighted consensus. Lives on the engine thread with
// its Workspace and LlmClient.

#include "core/engine/unitjob.h"
#include "core/generate/generationestimate.h"

namespace crucible {

class PriceTable;
struct ProviderConfig;

class EvaluateJob final : public UnitJob
{
    Q_OBJECT

public:
    using UnitJob::UnitJob;
    static constexpr const char *kKind = "evaluate";
    // Human ratings each judge prompt carries as calibration examples unless the params say.
    static constexpr int kCalibrationExamples = 3;

    // params: {"solutions": [ids] and/or "dataset_id" (every solution of its problems),
    // "judges": [agent or version ids] (none: the evaluator best calibrated against the human
    // ratings of these aspects, else the newest evaluator agent (chooseJudge), recorded as
    // "judge_choice"; "checks_only": true for none),
    // "aspects": [names], "length_budget": chars, "provider", "model", "temperature",
    // "max_tokens", "concurrency", "budget_usd", "calibration_examples": 0..20,
    // "calibration_choice": "anchors" or "largest_gap"}. Throws
    // ValidationError (nothing written).
    static QString create(Workspace &ws, nlohmann::json params);
    static nlohmann::json normalize(Workspace &ws, nlohmann::json params);
    static GenerationEstimate estimate(Workspace &ws, const nlohmann::json &params,
                                       const PromptTemplates &templates, const PriceTable &prices,
                                       const ProviderConfig &provider, const QString &model);
    // Per solution with two or more judges: {"solution_id", "judges", "agreement",
    // "max_spread", "aspect", "disagree"}.
    static nlohmann::json agreementReport(Workspace &ws, const QString &jobId);
    // Per judged solution, its judges' scores combined by their calibration (JudgeConsensus,
    // Consensus::toJson plus "solution_id").
    static nlohmann::json consensusReport(Workspace &ws, const QString &jobId);

protected:
    std::vector<PlannedUnit> plan(const JobRecord &job) override;
    QCoro::Task<UnitOutcome> runUnit(JobUnit unit) override;
};

} // namespace crucible
