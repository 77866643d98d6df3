#pragma once
// ReflectiveOptimiser: the default optimiser, GEPA-style reflective evolution of an agent's
// lessons plus an evolution strategy over its traits.
//  * A reflection cycle draws a parent from the Pareto frontier over validation problems (in
//    proportion to the problems it is best on) and a minibatch of train problems, scores the
//    parent there, has an LLM read the parent's solutions, judge scores and rationales and
//    write the revised lesson list, scores that child on the same minibatch and accepts it only
//    if it beats the parent there; an accepted child is scored on validation and joins the pool.
//  * A trait generation samples λ offspring of the TraitStrategy's centre (with the lessons of
//    the best candidate), scores each on one train problem and recombines the μ best; every
//    esValidateEvery generations the centre is scored on validation and joins the pool.
// Reflection cycles come first, until they have used reflectShare of the call budget. See
// Optimiser for the protocol.

#include "core/evolve/optimiser.h"
#include "core/evolve/traitstrategy.h"

namespace crucible::evolve {

class ReflectiveOptimiser final : public Optimiser
{
public:
    static inline const QString kKind = QStringLiteral("reflective");
    static inline const QString kOpReflect = QStringLiteral("reflect");
    static inline const QString kOpTraits = QStringLiteral("traits");

    ReflectiveOptimiser(const Agent &seed, DataSplit split, OptimiserSettings settings);
    QString kind() const override { return kKind; }
    const TraitStrategy &traitStrategy() const { return m_strategy; }

    // The lessons a reflection answer gives a child: trimmed, without repeats, at most `max`.
    static QStringList normalizedLessons(const QStringList &lessons, int max);
    // The reflection traces of candidate `c` on `problems` ([{problem_id, score, solution,
    // feedback}], the problems it has scores on).
    static nlohmann::json traces(const Candidate &c, const QStringList &problems);
    // {"added": […], "removed": […]} between two lesson lists.
    static nlohmann::json lessonChange(const QStringList &before, const QStringList &after);
    // {"traits": {name: [before, after]}} for the traits that differ.
    static nlohmann::json traitChange(const std::map<QString, int> &before,
                                      const std::map<QString, int> &after);

protected:
    EvolveTask plan() override;
    void apply(const EvolveTask &task, const TaskResult &result) override;
    void writeState(nlohmann::json &j) const override;
    void readState(const nlohmann::json &j) override;

private:
    friend class Optimiser;
    ReflectiveOptimiser() = default;

    enum class Stage {
        Idle,
        ParentMinibatch,
        Propose,
        ChildMinibatch,
        ChildValidation,
        Offspring,
    };
    // Starts the next cycle (or returns the reason to finish).
    std::optional<QString> startCycle();
    void startReflection();
    void startGeneration();
    void endGeneration();
    // A candidate with the strategy's centre and the best candidate's lessons, to validate.
    void validateCentre();
    void endCycleWith(bool accepted);

    Stage m_stage = Stage::Idle;
    QString m_op;
    int m_parent = -1;
    int m_child = -1;
    QStringList m_minibatch;
    int m_reflectCalls = 0; // calls spent in reflection cycles
    TraitStrategy m_strategy;
    std::vector<int> m_offspring;                  // this generation's candidates
    std::vector<std::vector<double>> m_directions; // their z
    int m_generationsSinceValidation = 0;
    bool m_lastValidation = false; // the budget's last centre validation: finish after it
};

} // namespace crucible::evolve
