#pragma once
// ExpandStrategy: the base scenario expanded along factors (time, resources, stakeholders, ...);
// one group.

#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class ExpandStrategy final : public ProblemStrategy
{
public:
    using ProblemStrategy::ProblemStrategy;

    std::vector<GenerationGroup> planUnits() const override;

protected:
    Prompt buildPrompt(const JobUnit &unit, const GenerationUnitKey &key) const override;
    void acceptResult(Problem &problem, const nlohmann::json &item,
                      const GenerationUnitKey &key) const override;
};

} // namespace crucible
