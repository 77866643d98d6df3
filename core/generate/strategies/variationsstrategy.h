#pragma once
// VariationsStrategy: variations of the base problem; one group per asked complexity level,
// perLevel each.

#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class VariationsStrategy final : public ProblemStrategy
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
