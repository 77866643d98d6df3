#pragma once
// AdversarialCaseStrategy: problems built to break a solver's assumptions; one group per
// adversarial strategy, the count shared out evenly.

#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class AdversarialCaseStrategy final : public ProblemStrategy
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
