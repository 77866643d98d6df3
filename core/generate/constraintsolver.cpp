#include "core/generate/constraintsolver.h"

#include <bit>

namespace crucible {

namespace {

// Constraints over more value combinations than this are checked by evaluation instead of a
// precomputed truth table (forward checking rather than full arc consistency).
constexpr std::int64_t MaxTableSize = 1 << 14;

int valueCount(ConstraintSolver::Domain domain)
{
    return std::popcount(domain);
}

} // namespace

ConstraintSolver::ConstraintSolver(const std::vector<int> &valueCounts,
                                   const ConstraintEvaluator &constraints)
    : m_counts(valueCounts)
    , m_constraints(constraints)
{
    const std::size_t n = valueCounts.size();
    m_scratch.assign(n, -1);
    for (std::size_t p = 0; p < n; ++p) {
        int count = valueCounts[p];
        bool constrained =
            !constraints.empty() && !constraints.constraintsOn(static_cast<int>(p)).empty();
        if (constrained) {
            m_constrained.push_back(static_cast<int>(p));
            m_usable = m_usable && count <= MaxValues;
        }
        m_full.push_back(count >= MaxValues ? ~Domain{0} : (Domain{1} << count) - 1);
    }
    m_queued.assign(static_cast<std::size_t>(constraints.constraintCount()), 0);
    if (!m_usable)
        return;
    for (int c = 0; c < constraints.constraintCount(); ++c) {
        Scope scope;
        scope.parameters = constraints.parametersOf(c);
        std::int64_t size = 1;
        for (int p : scope.parameters) {
            size *= m_counts[static_cast<std::size_t>(p)];
            if (size > MaxTableSize)
                break;
        }
        if (size <= MaxTableSize) {
            const std::size_t k = scope.parameters.size();
            scope.strides.assign(k, 1);
            for (std::size_t i = k - 1; i-- > 0;)
                scope.strides[i] = scope.strides[i + 1] *
                                   m_counts[static_cast<std::size_t>(scope.parameters[i + 1])];
            scope.table.resize(static_cast<std::size_t>(size));
            for (std::int64_t index = 0; index < size; ++index) {
                std::int64_t rest = index;
                for (std::size_t i = 0; i < k; ++i) {
                    m_scratch[static_cast<std::size_t>(scope.parameters[i])] =
                        static_cast<int>(rest / scope.strides[i]);
                    rest %= scope.strides[i];
                }
                scope.table[static_cast<std::size_t>(index)] =
                    constraints.evaluate(c, m_scratch) == Tri::True;
            }
            for (int p : scope.parameters)
                m_scratch[static_cast<std::size_t>(p)] = -1;
        }
        m_scopes.push_back(std::move(scope));
    }
}

bool ConstraintSolver::narrow(int parameter, Domain domain, std::vector<Domain> &domains, int from)
{
    Domain &current = domains[static_cast<std::size_t>(parameter)];
    if (domain == current)
        return true;
    current = domain;
    if (domain == 0)
        return false;
    for (int c : m_constraints.constraintsOn(parameter)) {
        if (c != from && !m_queued[static_cast<std::size_t>(c)]) {
            m_queued[static_cast<std::size_t>(c)] = 1;
            m_queue.push_back(c);
        }
    }
    return true;
}

bool ConstraintSolver::reviseByTable(const Scope &scope, std::vector<Domain> &domains)
{
    const std::size_t k = scope.parameters.size();
    m_supported.assign(k, 0);
    m_rest.resize(k);
    m_value.resize(k);
    // Odometer over the values left in each domain; a combination the table allows supports
    // each of its values.
    std::size_t index = 0;
    for (std::size_t i = 0; i < k; ++i) {
        Domain d = domains[static_cast<std::size_t>(scope.parameters[i])];
        if (d == 0)
            return false;
        m_value[i] = std::countr_zero(d);
        m_rest[i] = d & (d - 1);
        index += static_cast<std::size_t>(m_value[i] * scope.strides[i]);
    }
    std::size_t complete = 0; // parameters whose every value is already supported
    while (true) {
        ++m_work;
        if (scope.table[index]) {
            for (std::size_t i = 0; i < k; ++i) {
                Domain bit = Domain{1} << m_value[i];
                if (!(m_supported[i] & bit)) {
                    m_supported[i] |= bit;
                    complete +=
                        m_supported[i] == domains[static_cast<std::size_t>(scope.parameters[i])];
                }
            }
            if (complete == k)
                return true; // every value supported: nothing to remove
        }
        bool advanced = false;
        for (std::size_t i = k; i-- > 0;) {
            index -= static_cast<std::size_t>(m_value[i] * scope.strides[i]);
            if (m_rest[i]) {
                m_value[i] = std::countr_zero(m_rest[i]);
                m_rest[i] &= m_rest[i] - 1;
                index += static_cast<std::size_t>(m_value[i] * scope.strides[i]);
                advanced = true;
                break;
            }
            Domain d = domains[static_cast<std::size_t>(scope.parameters[i])];
            m_value[i] = std::countr_zero(d);
            m_rest[i] = d & (d - 1);
            index += static_cast<std::size_t>(m_value[i] * scope.strides[i]);
        }
        if (!advanced)
            return true;
    }
}

bool ConstraintSolver::reviseByEvaluation(int constraint, const Scope &scope,
                                          std::vector<Domain> &domains)
{
    // Forward checking: a value goes when the constraint is already false with it and the
    // other parameters' single remaining values.
    for (int p : scope.parameters) {
        Domain d = domains[static_cast<std::size_t>(p)];
        if (valueCount(d) == 1)
            m_scratch[static_cast<std::size_t>(p)] = std::countr_zero(d);
    }
    bool ok = true;
    for (std::size_t i = 0; i < scope.parameters.size() && ok; ++i) {
        int p = scope.parameters[i];
        Domain d = domains[static_cast<std::size_t>(p)];
        if (valueCount(d) == 1)
            continue;
        Domain keep = 0;
        for (Domain rest = d; rest; rest &= rest - 1) {
            int v = std::countr_zero(rest);
            m_scratch[static_cast<std::size_t>(p)] = v;
            ++m_work;
            if (m_constraints.evaluate(constraint, m_scratch) != Tri::False)
                keep |= Domain{1} << v;
        }
        m_scratch[static_cast<std::size_t>(p)] = -1;
        ok = narrow(p, keep, domains, -1);
        if (ok && valueCount(keep) == 1)
            m_scratch[static_cast<std::size_t>(p)] = std::countr_zero(keep);
    }
    if (ok) {
        ++m_work;
        ok = m_constraints.evaluate(constraint, m_scratch) != Tri::False;
    }
    for (int p : scope.parameters)
        m_scratch[static_cast<std::size_t>(p)] = -1;
    return ok;
}

bool ConstraintSolver::revise(int constraint, std::vector<Domain> &domains)
{
    const Scope &scope = m_scopes[static_cast<std::size_t>(constraint)];
    if (scope.table.empty())
        return reviseByEvaluation(constraint, scope, domains);
    if (!reviseByTable(scope, domains))
        return false;
    for (std::size_t i = 0; i < scope.parameters.size(); ++i) {
        int p = scope.parameters[i];
        if (!narrow(p, domains[static_cast<std::size_t>(p)] & m_supported[i], domains, constraint))
            return false;
    }
    return true;
}

bool ConstraintSolver::propagate(std::vector<Domain> &domains, std::span<const int> changed)
{
    if (changed.empty()) {
        for (int c = 0; c < m_constraints.constraintCount(); ++c) {
            if (!m_queued[static_cast<std::size_t>(c)]) {
                m_queued[static_cast<std::size_t>(c)] = 1;
                m_queue.push_back(c);
            }
        }
    } else {
        for (int p : changed) {
            for (int c : m_constraints.constraintsOn(p)) {
                if (!m_queued[static_cast<std::size_t>(c)]) {
                    m_queued[static_cast<std::size_t>(c)] = 1;
                    m_queue.push_back(c);
                }
            }
        }
    }
    bool ok = true;
    // The queue is used as a stack: recently narrowed parameters are revisited first.
    while (ok && !m_queue.empty()) {
        int c = m_queue.back();
        m_queue.pop_back();
        m_queued[static_cast<std::size_t>(c)] = 0;
        ok = revise(c, domains);
    }
    for (int c : m_queue)
        m_queued[static_cast<std::size_t>(c)] = 0;
    m_queue.clear();
    return ok;
}

bool ConstraintSolver::domainsOf(std::span<const int> row, std::vector<Domain> &domains)
{
    domains.resize(m_full.size());
    for (std::size_t p = 0; p < m_full.size(); ++p)
        domains[p] = row[p] >= 0 ? Domain{1} << row[p] : m_full[p];
    return propagate(domains);
}

bool ConstraintSolver::search(std::vector<Domain> &domains, std::span<const int> preferred,
                              int depth)
{
    int best = -1;
    int bestCount = MaxValues + 1;
    for (int p : m_constrained) {
        int count = valueCount(domains[static_cast<std::size_t>(p)]);
        if (count > 1 && count < bestCount) {
            best = p;
            bestCount = count;
        }
    }
    if (best < 0)
        return true; // arc consistent with one value each: every constraint holds
    if (m_nodesLeft == 0)
        return false;
    if (m_nodesLeft > 0)
        --m_nodesLeft;
    if (m_trail.size() <= static_cast<std::size_t>(depth))
        m_trail.emplace_back();
    m_trail[static_cast<std::size_t>(depth)] = domains; // the recursion may grow m_trail
    const int count = m_counts[static_cast<std::size_t>(best)];
    int start = preferred.empty() ? 0 : std::max(0, preferred[static_cast<std::size_t>(best)]);
    const Domain options = domains[static_cast<std::size_t>(best)];
    const int changed[] = {best};
    for (int i = 0; i < count; ++i) {
        int v = (start + i) % count;
        if (!(options & (Domain{1} << v)))
            continue;
        domains[static_cast<std::size_t>(best)] = Domain{1} << v;
        if (propagate(domains, changed) && search(domains, preferred, depth + 1))
            return true;
        if (m_nodesLeft == 0)
            return false;
        domains = m_trail[static_cast<std::size_t>(depth)];
    }
    return false;
}

ConstraintSolver::Outcome ConstraintSolver::solve(std::vector<Domain> domains, std::span<int> row,
                                                  std::span<const int> preferred,
                                                  std::int64_t nodeLimit)
{
    for (int p : m_constrained) {
        if (domains[static_cast<std::size_t>(p)] == 0)
            return Outcome::None;
    }
    m_nodesLeft = nodeLimit;
    if (!search(domains, preferred, 0))
        return m_nodesLeft == 0 ? Outcome::GaveUp : Outcome::None;
    for (int p : m_constrained)
        row[static_cast<std::size_t>(p)] = std::countr_zero(domains[static_cast<std::size_t>(p)]);
    return Outcome::Found;
}

} // namespace crucible
