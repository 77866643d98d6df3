#pragma once

#include "core/generate/constraintexpr.h"
#include "core/generate/pictmodel.h"

#include <cstdint>
#include <span>
#include <vector>

namespace crucible {

// Kleene three-valued truth: Unknown when a referenced parameter has no value yet.
enum class Tri : std::uint8_t { False, True, Unknown };

// Constraints compiled against a parameter list: every relation becomes a truth table over value
// indices, so evaluation of a (partial) row is a few lookups. Immutable, safe to share.
// An assignment holds one value index per parameter, -1 meaning unassigned.
class ConstraintEvaluator final
{
public:
    ConstraintEvaluator() = default;
    // Throws std::invalid_argument when a constraint names an unknown parameter.
    ConstraintEvaluator(const std::vector<MatrixParameter> &parameters,
                        const std::vector<ConstraintExpr> &constraints);

    bool empty() const { return m_roots.empty(); }
    int constraintCount() const { return static_cast<int>(m_roots.size()); }
    int parameterCount() const { return static_cast<int>(m_constraintsOn.size()); }

    Tri evaluate(int constraint, std::span<const int> assignment) const;
    // False if any constraint is false, else Unknown if any is unknown, else True.
    Tri evaluate(std::span<const int> assignment) const;
    // Only the constraints that mention `parameter`.
    Tri evaluateOn(int parameter, std::span<const int> assignment) const;
    bool allows(std::span<const int> row) const { return evaluate(row) == Tri::True; }

    const std::vector<int> &parametersOf(int constraint) const
    {
        return m_parametersOf[static_cast<std::size_t>(constraint)];
    }
    const std::vector<int> &constraintsOn(int parameter) const
    {
        return m_constraintsOn[static_cast<std::size_t>(parameter)];
    }

private:
    struct Node
    {
        enum class Kind : std::uint8_t { Unary, Binary, Not, And, Or };
        Kind kind = Kind::Unary;
        int first = 0;  // Unary/Binary: parameter; Not/And/Or: index into m_children
        int second = 0; // Binary: parameter; Not/And/Or: child count
        int table = 0;  // Unary/Binary: offset into m_tables
        int stride = 0; // Binary: value count of `second`
    };

    int compile(const std::vector<MatrixParameter> &parameters, const ConstraintExpr &e,
                std::vector<int> &mentioned);
    int addNode(Node node, std::vector<int> children);
    Tri evaluateNode(int node, std::span<const int> assignment) const;

    std::vector<Node> m_nodes;
    std::vector<int> m_children;
    std::vector<std::uint8_t> m_tables;
    std::vector<int> m_roots;
    std::vector<std::vector<int>> m_parametersOf;
    std::vector<std::vector<int>> m_constraintsOn;
};

} // namespace crucible
