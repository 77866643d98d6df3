#pragma once
// PersonalityEvolution: traits evolved toward target metrics (settings.targets, e.g. success
// 0.9, novelty 0.8, tokens 600) by the TraitStrategy's (μ/μ, λ)-ES with cumulative step-size
// adaptation. Each generation's offspring are scored on the same minibatch of train problems
// and ranked by their distance to the targets (Σ |metric − target| / scale, scale 1 for
// scores and the target itself for tokens); every esValidateEvery generations the centre is
// scored on validation and joins the pool as an accepted step. With several targets the pool's
// Pareto set over the per-target distances (paretoSet()) is the choice shown to the user. The
// lessons stay those of the seed. See Optimiser for the protocol.

#include "core/evolve/optimiser.h"
#include "core/evolve/traitstrategy.h"

namespace crucible::evolve {

class PersonalityEvolution final : public Optimiser
{
public:
    static inline const QString kKind = QStringLiteral("personality");
    static inline const QString kOp = QStringLiteral("personality");

    // Throws std::invalid_argument when settings.targets is empty.
    PersonalityEvolution(const Agent &seed, DataSplit split, OptimiserSettings settings);
    QString kind() const override { return kKind; }
    int best() const override;

    // A candidate's mean of `metric` over `problems` (nullopt when a score is missing).
    static std::optional<double> metric(const Candidate &c, const QString &metric,
                                        const QStringList &problems);
    // Σ over the targets of |metric − target| / scale; nullopt when a metric is missing.
    std::optional<double> distance(const Candidate &c, const QStringList &problems) const;
    // Pooled candidates no other pooled candidate is at least as close to every target and
    // closer to one, on validation; by id.
    std::vector<int> paretoSet() const;

protected:
    EvolveTask plan() override;
    void apply(const EvolveTask &task, const TaskResult &result) override;
    void writeState(nlohmann::json &j) const override;
    void readState(const nlohmann::json &j) override;

private:
    friend class Optimiser;
    PersonalityEvolution() = default;

    void startGeneration();
    void endGeneration();
    void validateCentre();

    TraitStrategy m_strategy;
    QStringList m_minibatch;
    std::vector<int> m_offspring;
    std::vector<std::vector<double>> m_directions;
    int m_validating = -1; // the centre being scored on validation
    bool m_inGeneration = false;
    int m_generationsSinceValidation = 0;
    bool m_lastValidation = false;
};

} // namespace crucible::evolve
