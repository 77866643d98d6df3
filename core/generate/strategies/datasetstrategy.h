#pragma once
// DatasetStrategy: a dataset of problems whose complexity follows the mix; one group per level,
// sized by largest remainder.

#include "core/generate/strategies/problemstrategy.h"

namespace crucible {

class DatasetStrategy final : public ProblemStrategy
{
public:
    using ProblemStrategy::ProblemStrategy;

    std::vector<GenerationGroup> planUnits() const override;
    void describeDataset(Dataset &dataset,
                         std::map<QString, std::vector<QString>> &expectedValues) const override;

protected:
    Prompt buildPrompt(const JobUnit &unit, const GenerationUnitKey &key) const override;
    void acceptResult(Problem &problem, const nlohmann::json &item,
                      const GenerationUnitKey &key) const override;
};

} // namespace crucible
