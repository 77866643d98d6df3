#include "core/generate/constraintexpr.h"

#include <utility>

namespace crucible {

std::string constraintOpText(ConstraintOp op)
{
    switch (op) {
    case ConstraintOp::Equal:
        return "=";
    case ConstraintOp::NotEqual:
        return "<>";
    case ConstraintOp::Less:
        return "<";
    case ConstraintOp::Greater:
        return ">";
    case ConstraintOp::LessEqual:
        return "<=";
    case ConstraintOp::GreaterEqual:
        return ">=";
    case ConstraintOp::In:
        return "IN";
    case ConstraintOp::NotIn:
        return "NOT IN";
    case ConstraintOp::Like:
        return "LIKE";
    case ConstraintOp::NotLike:
        return "NOT LIKE";
    }
    return "?";
}

std::string quotePictString(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

std::string bracketName(std::string_view name)
{
    std::string out = "[";
    for (char c : name) {
        if (c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    out += ']';
    return out;
}

std::string literalText(const ConstraintLiteral &literal)
{
    return literal.isNumber ? literal.text : quotePictString(literal.text);
}

// Precedence for printing: OR < AND < NOT/relation.
int precedence(const ConstraintExpr &e)
{
    switch (e.kind) {
    case ConstraintExpr::Kind::Or:
        return 1;
    case ConstraintExpr::Kind::And:
        return 2;
    default:
        return 3;
    }
}

std::string childText(const ConstraintExpr &child, int parentPrecedence)
{
    std::string text = child.toPredicateText();
    if (precedence(child) <= parentPrecedence)
        return "(" + text + ")";
    return text;
}

} // namespace

ConstraintExpr ConstraintExpr::relation(std::string parameter, ConstraintOp op,
                                        std::vector<ConstraintLiteral> values)
{
    ConstraintExpr e;
    e.kind = Kind::Relation;
    e.parameter = std::move(parameter);
    e.op = op;
    e.values = std::move(values);
    return e;
}

ConstraintExpr ConstraintExpr::compare(std::string parameter, ConstraintOp op, std::string other)
{
    ConstraintExpr e;
    e.kind = Kind::Relation;
    e.parameter = std::move(parameter);
    e.op = op;
    e.otherParameter = std::move(other);
    return e;
}

ConstraintExpr ConstraintExpr::negation(ConstraintExpr child)
{
    ConstraintExpr e;
    e.kind = Kind::Not;
    e.children.push_back(std::move(child));
    return e;
}

ConstraintExpr ConstraintExpr::conjunction(std::vector<ConstraintExpr> children)
{
    ConstraintExpr e;
    e.kind = Kind::And;
    e.children = std::move(children);
    return e;
}

ConstraintExpr ConstraintExpr::disjunction(std::vector<ConstraintExpr> children)
{
    ConstraintExpr e;
    e.kind = Kind::Or;
    e.children = std::move(children);
    return e;
}

ConstraintExpr ConstraintExpr::ifThen(ConstraintExpr condition, ConstraintExpr then)
{
    ConstraintExpr e;
    e.kind = Kind::IfThen;
    e.children.push_back(std::move(condition));
    e.children.push_back(std::move(then));
    return e;
}

ConstraintExpr ConstraintExpr::ifThenElse(ConstraintExpr condition, ConstraintExpr then,
                                          ConstraintExpr otherwise)
{
    ConstraintExpr e = ifThen(std::move(condition), std::move(then));
    e.children.push_back(std::move(otherwise));
    return e;
}

std::string ConstraintExpr::toPredicateText() const
{
    switch (kind) {
    case Kind::Relation: {
        std::string text = bracketName(parameter) + " " + constraintOpText(op) + " ";
        if (!otherParameter.empty())
            return text + bracketName(otherParameter);
        if (op == ConstraintOp::In || op == ConstraintOp::NotIn) {
            text += "{";
            for (std::size_t i = 0; i < values.size(); ++i)
                text += (i ? ", " : "") + literalText(values[i]);
            return text + "}";
        }
        return text + (values.empty() ? std::string("\"\"") : literalText(values.front()));
    }
    case Kind::Not:
        return "NOT " + childText(children.front(), 2);
    case Kind::And:
    case Kind::Or: {
        std::string text;
        const char *separator = kind == Kind::And ? " AND " : " OR ";
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (i)
                text += separator;
            text += childText(children[i], precedence(*this));
        }
        return text;
    }
    case Kind::IfThen: {
        std::string text =
            "IF " + children[0].toPredicateText() + " THEN " + children[1].toPredicateText();
        if (children.size() > 2)
            text += " ELSE " + children[2].toPredicateText();
        return text;
    }
    }
    return {};
}

std::string ConstraintExpr::toText() const
{
    return toPredicateText() + ";";
}

bool ConstraintExpr::operator==(const ConstraintExpr &other) const
{
    return kind == other.kind && parameter == other.parameter && op == other.op &&
           values == other.values && otherParameter == other.otherParameter &&
           children == other.children;
}

} // namespace crucible
