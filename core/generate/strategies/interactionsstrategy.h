#pragma once
// InteractionsStrategy: simulated conversations about the base problem between the spec's
// roles, one structured call per turn; a conversation stops at its turn limit, when it repeats
// itself or when the speakers agree. One group; makes interactions, not problems.

#include "core/generate/strategies/generationstrategy.h"

namespace crucible {

class InteractionsStrategy final : public GenerationStrategy
{
public:
    using GenerationStrategy::GenerationStrategy;

    std::vector<GenerationGroup> planUnits() const override;
    QCoro::Task<GenerationUnitOutput> runUnit(JobUnit unit, GenerationUnitKey key) override;
    bool dedups() const override { return false; }
    bool makesInteractions() const override { return true; }
};

} // namespace crucible
