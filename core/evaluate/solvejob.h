#pragma once
// SolveJob (jobs.kind "solve"): every problem of the job solved by every team, one unit per
// (problem, team), each running the SolvePipeline (Generator → Critic → Refiner). A resumed unit
// skips the stages already stored. Lives on the engine thread with its Workspace and LlmClient.

#include "core/engine/unitjob.h"
#include "core/evaluate/solvepipeline.h"
#include "core/generate/generationestimate.h"

namespace crucible {

class PriceTable;
struct ProviderConfig;

class SolveJob final : public UnitJob
{
    Q_OBJECT

public:
    using UnitJob::UnitJob;
    static constexpr const char *kKind = "solve";

    // params: {"problems": [ids] and/or "dataset_id", "teams": [{"generator", "critic",
    // "refiner"}], "provider", "model", "temperature", "max_tokens", "concurrency",
    // "budget_usd"}. Resolves the dataset to its problems, checks every id and role, writes
    // the job and returns its id. Throws ValidationError (nothing written).
    static QString create(Workspace &ws, nlohmann::json params);
    // The same checks and resolution without writing: the params create() would store.
    static nlohmann::json normalize(Workspace &ws, nlohmann::json params);
    // Calls, tokens and USD of the job before it runs (from normalize()d params).
    static GenerationEstimate estimate(Workspace &ws, const nlohmann::json &params,
                                       const PromptTemplates &templates, const PriceTable &prices,
                                       const ProviderConfig &provider, const QString &model);

protected:
    std::vector<PlannedUnit> plan(const JobRecord &job) override;
    QCoro::Task<UnitOutcome> runUnit(JobUnit unit) override;
};

} // namespace crucible
