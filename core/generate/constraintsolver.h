#pragma once

#include "core/generate/constraintevaluator.h"

#include <cstdint>
#include <span>
#include <vector>

namespace crucible {

// Decides whether a partial assignment extends to an allowed row, and finds one: value domains
// as bit sets, generalised arc consistency of every constraint over its own parameters
// (maintained during search), smallest-domain-first branching. Holds scratch state: one
// instance per thread; the evaluator must outlive it.
class ConstraintSolver final
{
public:
    using Domain = std::uint64_t; // bit v set: value v still possible
    static constexpr int MaxValues = 64;
    enum class Outcome { Found, None, GaveUp };

    ConstraintSolver(const std::vector<int> &valueCounts, const ConstraintEvaluator &constraints);

    // False when a constrained parameter has more than MaxValues values (then use another search).
    bool usable() const { return m_usable; }
    Domain fullDomain(int parameter) const { return m_full[static_cast<std::size_t>(parameter)]; }

    // Domains of `row` (a value → that value, -1 → every value), made arc consistent. False when
    // some domain becomes empty: no allowed row extends `row`.
    bool domainsOf(std::span<const int> row, std::vector<Domain> &domains);
    // Restores arc consistency after the domains of `changed` shrank (all constraints when
    // `changed` is empty). False on an empty domain.
    bool propagate(std::vector<Domain> &domains, std::span<const int> changed = {});
    // Searches within arc-consistent `domains` for an allowed assignment of every constrained
    // parameter and writes it into `row` (other entries untouched; untouched on failure).
    // `preferred` (empty or one value per parameter) is tried first; nodeLimit < 0: no limit.
    Outcome solve(std::vector<Domain> domains, std::span<int> row, std::span<const int> preferred,
                  std::int64_t nodeLimit = -1);

    // Truth-table lookups and evaluations so far: a measure of work done.
    std::uint64_t work() const { return m_work; }

private:
    struct Scope
    {
        std::vector<int> parameters;
        std::vector<int> strides; // into table; empty when the table would be too large
        std::vector<std::uint8_t> table;
    };

    bool revise(int constraint, std::vector<Domain> &domains);
    bool reviseByTable(const Scope &scope, std::vector<Domain> &domains);
    bool reviseByEvaluation(int constraint, const Scope &scope, std::vector<Domain> &domains);
    bool narrow(int parameter, Domain domain, std::vector<Domain> &domains, int from);
    bool search(std::vector<Domain> &domains, std::span<const int> preferred, int depth);

    const std::vector<int> &m_counts;
    const ConstraintEvaluator &m_constraints;
    bool m_usable = true;
    std::vector<Domain> m_full;
    std::vector<int> m_constrained; // parameters some constraint mentions
    std::vector<Scope> m_scopes;
    std::vector<int> m_queue;
    std::vector<char> m_queued;
    std::vector<int> m_scratch;      // all -1 between calls
    std::vector<Domain> m_supported; // reviseByTable: per scope position
    std::vector<Domain> m_rest;
    std::vector<int> m_value;
    std::vector<std::vector<Domain>> m_trail; // one saved domain vector per search depth
    std::int64_t m_nodesLeft = -1;
    std::uint64_t m_work = 0;
};

} // namespace crucible
