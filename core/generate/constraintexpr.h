#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crucible {

// A value written in a constraint: a quoted string or a bare number.
struct ConstraintLiteral
{
    std::string text;
    bool isNumber = false;

    bool operator==(const ConstraintLiteral &) const = default;
};

enum class ConstraintOp {
    Equal,
    NotEqual,
    Less,
    Greater,
    LessEqual,
    GreaterEqual,
    In,
    NotIn,
    Like,
    NotLike
};

// One node of a parsed PICT constraint, with parameter names still unresolved; a top-level node
// is one constraint. Plain value type; toText() prints canonical PICT syntax that parses back.
struct ConstraintExpr
{
    enum class Kind { Relation, Not, And, Or, IfThen };

    Kind kind = Kind::Relation;
    std::string parameter; // Relation: left side, without brackets
    ConstraintOp op = ConstraintOp::Equal;
    std::vector<ConstraintLiteral> values; // Relation: one literal, or the set of IN
    std::string otherParameter; // Relation: right-hand parameter of `[A] = [B]`, else empty
    std::vector<ConstraintExpr> children; // Not: 1; And/Or: 2+; IfThen: condition, then[, else]
    int line = 0;                         // source position (1-based) when parsed, 0 otherwise
    int column = 0;

    static ConstraintExpr relation(std::string parameter, ConstraintOp op,
                                   std::vector<ConstraintLiteral> values);
    static ConstraintExpr compare(std::string parameter, ConstraintOp op, std::string other);
    static ConstraintExpr negation(ConstraintExpr child);
    static ConstraintExpr conjunction(std::vector<ConstraintExpr> children);
    static ConstraintExpr disjunction(std::vector<ConstraintExpr> children);
    static ConstraintExpr ifThen(ConstraintExpr condition, ConstraintExpr then);
    static ConstraintExpr ifThenElse(ConstraintExpr condition, ConstraintExpr then,
                                     ConstraintExpr otherwise);

    // A predicate (no trailing ';') or, for a top-level node, `IF ... THEN ...;` / `pred;`.
    std::string toPredicateText() const;
    std::string toText() const;

    // Structural equality; source positions are ignored.
    bool operator==(const ConstraintExpr &other) const;
};

std::string constraintOpText(ConstraintOp op);
std::string quotePictString(std::string_view text);

} // namespace crucible
