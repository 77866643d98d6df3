#include "core/generate/coveringarray.h"

#include "core/generate/coveragetable.h"
#include "core/generate/coveringrun.h"
#include "core/generate/greedyconstruction.h"
#include "core/generate/tabuoptimiser.h"
#include "core/generate/tuplefeasibility.h"
#include "core/generate/tuplespace.h"

#include <stdexcept>

namespace crucible {

namespace {

using namespace covering;

// Decides which tuples are possible, builds a complete array greedily, then shrinks it.
CoveringArrayResult build(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
                          const CoveringArrayOptions &options,
                          const std::vector<std::vector<int>> &weights)
{
    CoveringRun run(counts, constraints, options, weights);
    CoveringArrayResult result;
    const TupleSpace space(counts, options.strength);
    TupleFeasibility feasibility(run, space);
    if (!feasibility.compute()) {
        result.satisfiable = false;
        result.seconds = run.elapsed();
        return result;
    }
    for (std::int64_t i = 0; i < space.total(); ++i)
        (feasibility.feasible(static_cast<std::size_t>(i)) ? result.requiredTuples
                                                           : result.excludedTuples)++;
    result.lowerBound = feasibility.lowerBound();
    CoverageTable table(space, run.parameterCount());
    if (!GreedyConstruction(run, space, feasibility, table).build()) {
        result.cancelled = true;
        result.seconds = run.elapsed();
        return result;
    }
    result.greedyRows = table.rowCount();
    std::vector<int> best = table.rows();
    int bestCount = table.rowCount();
    if (options.optimise)
        TabuOptimiser(run, space, feasibility, table).optimise(best, bestCount);
    const int n = run.parameterCount();
    for (int r = 0; r < bestCount; ++r) {
        auto first = best.begin() + static_cast<std::ptrdiff_t>(r) * n;
        result.rows.emplace_back(first, first + n);
    }
    run.report(1.0);
    result.seconds = run.elapsed();
    return result;
}

} // namespace

CoveringArrayResult CoveringArrayGenerator::generate(const PictModel &model,
                                                     const CoveringArrayOptions &options)
{
    std::vector<int> counts;
    std::vector<std::vector<int>> weights;
    for (const MatrixParameter &parameter : model.parameters) {
        counts.push_back(static_cast<int>(parameter.values.size()));
        std::vector<int> w;
        for (std::size_t v = 0; v < parameter.values.size(); ++v)
            w.push_back(parameter.weight(v));
        weights.push_back(std::move(w));
    }
    ConstraintEvaluator constraints(model.parameters, model.constraints);
    return generate(counts, constraints, options, weights);
}

CoveringArrayResult CoveringArrayGenerator::generate(const std::vector<int> &valueCounts,
                                                     const ConstraintEvaluator &constraints,
                                                     const CoveringArrayOptions &options,
                                                     const std::vector<std::vector<int>> &weights)
{
    if (valueCounts.empty())
        throw std::invalid_argument("covering array needs at least one parameter");
    if (options.strength < 1 || options.strength > static_cast<int>(valueCounts.size()))
        throw std::invalid_argument("strength must be between 1 and the number of parameters");
    for (int count : valueCounts) {
        if (count < 1)
            throw std::invalid_argument("every parameter needs at least one value");
    }
    if (!constraints.empty() &&
        constraints.parameterCount() != static_cast<int>(valueCounts.size()))
        throw std::invalid_argument("constraints were compiled for a different parameter list");
    return build(valueCounts, constraints, options, weights);
}

} // namespace crucible
