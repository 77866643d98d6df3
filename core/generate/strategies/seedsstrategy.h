#pragma once
// SeedsStrategy: new problems of a domain from nothing but its description; one group, one problem
// asked per unit (the seeds schema's list holds one).

#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class SeedsStrategy final : public ProblemStrategy
{
public:
    using ProblemStrategy::ProblemStrategy;

    std::vector<GenerationGroup> planUnits() const override;

protected:
    Prompt buildPrompt(const JobUnit &unit, const GenerationUnitKey &key) const override;
    void acceptResult(Problem &problem, const nlohmann::json &item,
                      const GenerationUnitKey &key) const override;
    std::vector<nlohmann::json> answerItems(const nlohmann::json &answer) const override;
};

} // namespace crucible
