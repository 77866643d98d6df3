#pragma once
// RandomSearch: the baseline the reflective optimiser must beat at the same budget. Each cycle
// asks the LLM for lessons without any feedback (the reflection prompt with no traces), draws
// every trait uniformly from 0..100, scores that candidate on the validation split and keeps
// the best. Same protocol and budget accounting as every Optimiser.

#include "core/evolve/optimiser.h"

namespace crucible::evolve {

class RandomSearch final : public Optimiser
{
public:
    static inline const QString kKind = QStringLiteral("random");

    RandomSearch(const Agent &seed, DataSplit split, OptimiserSettings settings);
    QString kind() const override { return kKind; }

protected:
    EvolveTask plan() override;
    void apply(const EvolveTask &task, const TaskResult &result) override;
    void writeState(nlohmann::json &j) const override;
    void readState(const nlohmann::json &j) override;

private:
    friend class Optimiser;
    RandomSearch() = default;

    int m_child = -1; // the candidate being scored on validation, -1 between cycles
    bool m_proposing = false;
};

} // namespace crucible::evolve
