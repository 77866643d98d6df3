#pragma once

#include "core/generate/constraintexpr.h"
#include "core/generate/pictmodel.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace crucible {

// The coverage checker's own reading of PICT constraints, written apart from the generator's
// ConstraintEvaluator on purpose: a bug in one cannot hide a coverage gap in the other. It walks
// the parsed constraint tree and compares the value *text* at every evaluation (no truth tables,
// no rewriting of IF/THEN/ELSE into AND/OR). Simple and slow; meant for tests, audits and the
// matrix analyser. A row holds one value index per parameter, -1 meaning "not chosen yet".
class ConstraintInterpreter final
{
public:
    enum class Truth : std::uint8_t { No, Yes, Unknown };

    ConstraintInterpreter() = default;
    // Throws std::invalid_argument when a constraint names an unknown parameter, compares two
    // parameters with IN or LIKE, or has a relation without a value.
    ConstraintInterpreter(const std::vector<MatrixParameter> &parameters,
                          const std::vector<ConstraintExpr> &constraints);

    bool empty() const { return m_constraints.empty(); }
    int constraintCount() const { return static_cast<int>(m_constraints.size()); }

    Truth evaluate(int constraint, std::span<const int> row) const;
    // No if some constraint is No, else Unknown if some is Unknown, else Yes.
    Truth evaluate(std::span<const int> row) const;
    // The same over the constraints that mention `parameter`.
    Truth evaluateOn(int parameter, std::span<const int> row) const;
    bool allows(std::span<const int> row) const { return evaluate(row) == Truth::Yes; }

    const std::vector<int> &parametersOf(int constraint) const
    {
        return m_parametersOf[static_cast<std::size_t>(constraint)];
    }
    const std::vector<int> &constraintsOn(int parameter) const
    {
        return m_constraintsOn[static_cast<std::size_t>(parameter)];
    }

    // The comparison rules, exposed for tests. A number is decimal text: an optional sign,
    // digits with an optional fraction (or a fraction alone) and an optional exponent.
    static bool isNumber(const std::string &text);
    static bool sameText(const std::string &a, const std::string &b); // ASCII case-insensitive
    // `*` matches any run of characters, `?` exactly one; case-insensitive.
    static bool likeMatches(const std::string &text, const std::string &pattern);

private:
    // A node of the parsed tree with its parameter names resolved to indices.
    struct Term
    {
        ConstraintExpr::Kind kind = ConstraintExpr::Kind::Relation;
        ConstraintOp op = ConstraintOp::Equal;
        int left = -1;  // Relation: the parameter on the left
        int right = -1; // Relation: the parameter on the right, or -1 when compared to values
        std::vector<ConstraintLiteral> literals;
        std::vector<Term> children;
    };

    Term resolve(const ConstraintExpr &e, std::vector<int> &mentioned) const;
    Truth walk(const Term &term, std::span<const int> row) const;
    bool relationHolds(const Term &term, std::span<const int> row) const;
    bool equalsLiteral(int parameter, int value, const ConstraintLiteral &literal) const;
    const std::string &valueText(int parameter, int value) const;

    std::vector<MatrixParameter> m_parameters;
    std::vector<Term> m_constraints;
    std::vector<std::vector<int>> m_parametersOf;
    std::vector<std::vector<int>> m_constraintsOn;
};

} // namespace crucible
