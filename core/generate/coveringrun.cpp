#include "core/generate/coveringrun.h"

#include <algorithm>

namespace crucible::covering {

CoveringRun::CoveringRun(const std::vector<int> &counts, const ConstraintEvaluator &constraints,
                         const CoveringArrayOptions &options,
                         const std::vector<std::vector<int>> &weights)
    : m_counts(counts)
    , m_n(static_cast<int>(counts.size()))
    , m_t(options.strength)
    , m_constraints(constraints)
    , m_options(options)
    , m_weights(weights)
    , m_random(options.seed)
    , m_start(Clock::now())
{
    double budget = options.timeBudgetSeconds;
    if (budget <= 0)
        budget = m_t <= 2 ? 0.8 : (m_t == 3 ? 4.0 : 20.0);
    m_deadline = m_start +
                 std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
    m_effort = options.effort;
    if (m_effort == 0)
        m_effort = m_t <= 2 ? 20'000'000ULL : (m_t == 3 ? 80'000'000ULL : 400'000'000ULL);
}

bool CoveringRun::timeUp()
{
    if (m_work >= m_effort)
        return true;
    if ((++m_polls & 63) != 0)
        return false;
    if (Clock::now() >= m_deadline || isCancelled())
        return true;
    double fraction =
        std::max(static_cast<double>(m_work) / static_cast<double>(m_effort), elapsedFraction());
    report(0.2 + 0.8 * std::min(1.0, fraction));
    return false;
}

double CoveringRun::elapsedFraction() const
{
    return std::chrono::duration<double>(Clock::now() - m_start).count() /
           std::max(1e-9, std::chrono::duration<double>(m_deadline - m_start).count());
}

void CoveringRun::report(double fraction) const
{
    if (m_options.progress)
        m_options.progress(fraction);
}

double CoveringRun::elapsed() const
{
    return std::chrono::duration<double>(Clock::now() - m_start).count();
}

bool CoveringRun::isCancelled() const
{
    return m_options.cancelled && m_options.cancelled();
}

} // namespace crucible::covering
