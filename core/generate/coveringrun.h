#pragma once
// One run of the covering-array generator: its inputs, its random numbers, and its budget (the
// deterministic work count, the wall-clock deadline, cancellation and progress reports), shared
// by the parts that build the array (TupleFeasibility, GreedyConstruction, TabuOptimiser).

#include "core/generate/constraintevaluator.h"
#include "core/generate/coveringarray.h"
#include "core/generate/coveringrandom.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace crucible::covering {

class CoveringRun final
{
public:
    using Clock = std::chrono::steady_clock;

    // The arguments must outlive the run.
    CoveringRun(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
                const CoveringArrayOptions &options, const std::vector<std::vector<int>> &weights);

    const std::vector<int> &counts() const { return m_counts; }
    int parameterCount() const { return m_n; }
    int strength() const { return m_t; }
    const ConstraintEvaluator &constraints() const { return m_constraints; }
    const CoveringArrayOptions &options() const { return m_options; }
    const std::vector<std::vector<int>> &weights() const { return m_weights; }
    CoveringRandom &random() { return m_random; }
    // Work done so far (tuple updates and the like); post-optimisation stops at the effort cap.
    std::uint64_t &work() { return m_work; }

    // Whether post-optimisation must stop (effort cap, deadline or cancellation); reports
    // progress every 64 calls.
    bool timeUp();
    double elapsed() const;
    bool isCancelled() const;
    void report(double fraction) const;

private:
    double elapsedFraction() const;

    const std::vector<int> &m_counts;
    const int m_n;
    const int m_t;
    const ConstraintEvaluator &m_constraints;
    const CoveringArrayOptions &m_options;
    const std::vector<std::vector<int>> &m_weights;
    CoveringRandom m_random;
    Clock::time_point m_start;
    Clock::time_point m_deadline;
    std::uint64_t m_effort = 0;
    std::uint64_t m_work = 0;
    std::uint64_t m_polls = 0;
};

} // namespace crucible::covering
