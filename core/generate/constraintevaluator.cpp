#include "core/generate/constraintevaluator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace crucible {

namespace {

char lowerChar(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Byte order of UTF-8 is code point order: compare as unsigned bytes (a plain char is signed
// here, which put "été" before "zoo").
int compareIgnoreCase(std::string_view a, std::string_view b)
{
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(lowerChar(a[i]));
        const auto y = static_cast<unsigned char>(lowerChar(b[i]));
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Finite decimal numbers only: from_chars also reads "nan" and "inf", and a NaN compared with
// anything is neither less nor greater, which read as "equal" below.
bool toNumber(std::string_view text, double &out)
{
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(out);
}

// Case-insensitive match with `*` (any run) and `?` (one character).
bool wildcardMatch(std::string_view text, std::string_view pattern)
{
    std::size_t t = 0;
    std::size_t p = 0;
    std::size_t starP = std::string_view::npos;
    std::size_t starT = 0;
    while (t < text.size()) {
        // `*` first: a `*` in the pattern is a wildcard even where the text has a `*`.
        if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (p < pattern.size() &&
                   (pattern[p] == '?' || lowerChar(pattern[p]) == lowerChar(text[t]))) {
            ++t;
            ++p;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool holds(ConstraintOp op, int comparison)
{
    switch (op) {
    case ConstraintOp::Equal:
        return comparison == 0;
    case ConstraintOp::NotEqual:
        return comparison != 0;
    case ConstraintOp::Less:
        return comparison < 0;
    case ConstraintOp::Greater:
        return comparison > 0;
    case ConstraintOp::LessEqual:
        return comparison <= 0;
    case ConstraintOp::GreaterEqual:
        return comparison >= 0;
    default:
        return false;
    }
}

// Numbers compare numerically; a number against a non-number never matches (nullopt).
std::optional<int> compareValues(std::string_view value, const ConstraintLiteral &literal)
{
    double a = 0;
    double b = 0;
    bool valueIsNumber = toNumber(value, a);
    if (literal.isNumber) {
        if (!valueIsNumber || !toNumber(literal.text, b))
            return std::nullopt;
        return a < b ? -1 : (a > b ? 1 : 0);
    }
    return compareIgnoreCase(value, literal.text);
}

bool equalsLiteral(const MatrixParameter &parameter, std::size_t v,
                   const ConstraintLiteral &literal)
{
    std::optional<int> c = compareValues(parameter.values[v], literal);
    if (c && *c == 0)
        return true;
    if (!literal.isNumber && v < parameter.aliases.size()) {
        for (const std::string &alias : parameter.aliases[v]) {
            if (compareIgnoreCase(alias, literal.text) == 0)
                return true;
        }
    }
    return false;
}

bool relationHolds(const MatrixParameter &parameter, std::size_t v, const ConstraintExpr &e)
{
    switch (e.op) {
    case ConstraintOp::Equal:
        return equalsLiteral(parameter, v, e.values.front());
    case ConstraintOp::NotEqual:
        return !equalsLiteral(parameter, v, e.values.front());
    case ConstraintOp::In:
    case ConstraintOp::NotIn: {
        bool any = std::any_of(e.values.begin(), e.values.end(), [&](const auto &literal) {
            return equalsLiteral(parameter, v, literal);
        });
        return any == (e.op == ConstraintOp::In);
    }
    case ConstraintOp::Like:
    case ConstraintOp::NotLike:
        return wildcardMatch(parameter.values[v], e.values.front().text) ==
               (e.op == ConstraintOp::Like);
    default: {
        std::optional<int> c = compareValues(parameter.values[v], e.values.front());
        return c && holds(e.op, *c);
    }
    }
}

bool compareParameters(std::string_view a, std::string_view b, ConstraintOp op)
{
    double x = 0;
    double y = 0;
    if (toNumber(a, x) && toNumber(b, y))
        return holds(op, x < y ? -1 : (x > y ? 1 : 0));
    return holds(op, compareIgnoreCase(a, b));
}

int findParameter(const std::vector<MatrixParameter> &parameters, const std::string &name)
{
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (compareIgnoreCase(parameters[i].name, name) == 0)
            return static_cast<int>(i);
    }
    throw std::invalid_argument("unknown parameter [" + name + "] in constraint");
}

} // namespace

ConstraintEvaluator::ConstraintEvaluator(const std::vector<MatrixParameter> &parameters,
                                         const std::vector<ConstraintExpr> &constraints)
    : m_constraintsOn(parameters.size())
{
    for (const ConstraintExpr &constraint : constraints) {
        std::vector<int> mentioned;
        m_roots.push_back(compile(parameters, constraint, mentioned));
        std::sort(mentioned.begin(), mentioned.end());
        mentioned.erase(std::unique(mentioned.begin(), mentioned.end()), mentioned.end());
        for (int p : mentioned)
            m_constraintsOn[static_cast<std::size_t>(p)].push_back(constraintCount() - 1);
        m_parametersOf.push_back(std::move(mentioned));
    }
}

int ConstraintEvaluator::addNode(Node node, std::vector<int> children)
{
    if (node.kind == Node::Kind::Not || node.kind == Node::Kind::And ||
        node.kind == Node::Kind::Or) {
        node.first = static_cast<int>(m_children.size());
        node.second = static_cast<int>(children.size());
        m_children.insert(m_children.end(), children.begin(), children.end());
    }
    m_nodes.push_back(node);
    return static_cast<int>(m_nodes.size()) - 1;
}

int ConstraintEvaluator::compile(const std::vector<MatrixParameter> &parameters,
                                 const ConstraintExpr &e, std::vector<int> &mentioned)
{
    using Kind = ConstraintExpr::Kind;
    switch (e.kind) {
    case Kind::Relation: {
        int a = findParameter(parameters, e.parameter);
        mentioned.push_back(a);
        const MatrixParameter &pa = parameters[static_cast<std::size_t>(a)];
        Node node;
        node.first = a;
        node.table = static_cast<int>(m_tables.size());
        if (e.otherParameter.empty()) {
            if (e.values.empty())
                throw std::invalid_argument("relation on [" + e.parameter + "] has no value");
            node.kind = Node::Kind::Unary;
            for (std::size_t v = 0; v < pa.values.size(); ++v)
                m_tables.push_back(relationHolds(pa, v, e) ? 1 : 0);
        } else {
            if (e.op != ConstraintOp::Equal && e.op != ConstraintOp::NotEqual &&
                e.op != ConstraintOp::Less && e.op != ConstraintOp::Greater &&
                e.op != ConstraintOp::LessEqual && e.op != ConstraintOp::GreaterEqual)
                throw std::invalid_argument("IN and LIKE need values, not a parameter");
            int b = findParameter(parameters, e.otherParameter);
            mentioned.push_back(b);
            const MatrixParameter &pb = parameters[static_cast<std::size_t>(b)];
            node.kind = Node::Kind::Binary;
            node.second = b;
            node.stride = static_cast<int>(pb.values.size());
            for (const std::string &x : pa.values) {
                for (const std::string &y : pb.values)
                    m_tables.push_back(compareParameters(x, y, e.op) ? 1 : 0);
            }
        }
        return addNode(node, {});
    }
    case Kind::Not: {
        int child = compile(parameters, e.children.front(), mentioned);
        return addNode({Node::Kind::Not, 0, 0, 0, 0}, {child});
    }
    case Kind::And:
    case Kind::Or: {
        std::vector<int> children;
        for (const ConstraintExpr &child : e.children)
            children.push_back(compile(parameters, child, mentioned));
        return addNode({e.kind == Kind::And ? Node::Kind::And : Node::Kind::Or, 0, 0, 0, 0},
                       std::move(children));
    }
    case Kind::IfThen: {
        // IF c THEN x ELSE y  ==  (NOT c OR x) AND (c OR y)
        int condition = compile(parameters, e.children[0], mentioned);
        int then = compile(parameters, e.children[1], mentioned);
        int notCondition = addNode({Node::Kind::Not, 0, 0, 0, 0}, {condition});
        int implication = addNode({Node::Kind::Or, 0, 0, 0, 0}, {notCondition, then});
        if (e.children.size() < 3)
            return implication;
        int otherwise = compile(parameters, e.children[2], mentioned);
        int alternative = addNode({Node::Kind::Or, 0, 0, 0, 0}, {condition, otherwise});
        return addNode({Node::Kind::And, 0, 0, 0, 0}, {implication, alternative});
    }
    }
    throw std::invalid_argument("invalid constraint node");
}

Tri ConstraintEvaluator::evaluateNode(int index, std::span<const int> assignment) const
{
    const Node &node = m_nodes[static_cast<std::size_t>(index)];
    switch (node.kind) {
    case Node::Kind::Unary: {
        int v = assignment[static_cast<std::size_t>(node.first)];
        if (v < 0)
            return Tri::Unknown;
        return m_tables[static_cast<std::size_t>(node.table + v)] ? Tri::True : Tri::False;
    }
    case Node::Kind::Binary: {
        int a = assignment[static_cast<std::size_t>(node.first)];
        int b = assignment[static_cast<std::size_t>(node.second)];
        if (a < 0 || b < 0)
            return Tri::Unknown;
        return m_tables[static_cast<std::size_t>(node.table + a * node.stride + b)] ? Tri::True
                                                                                    : Tri::False;
    }
    case Node::Kind::Not: {
        Tri r = evaluateNode(m_children[static_cast<std::size_t>(node.first)], assignment);
        return r == Tri::Unknown ? r : (r == Tri::True ? Tri::False : Tri::True);
    }
    case Node::Kind::And:
    case Node::Kind::Or: {
        Tri absorbing = node.kind == Node::Kind::And ? Tri::False : Tri::True;
        Tri result = node.kind == Node::Kind::And ? Tri::True : Tri::False;
        for (int i = 0; i < node.second; ++i) {
            Tri r = evaluateNode(m_children[static_cast<std::size_t>(node.first + i)], assignment);
            if (r == absorbing)
                return r;
            if (r == Tri::Unknown)
                result = Tri::Unknown;
        }
        return result;
    }
    }
    return Tri::Unknown;
}

Tri ConstraintEvaluator::evaluate(int constraint, std::span<const int> assignment) const
{
    return evaluateNode(m_roots[static_cast<std::size_t>(constraint)], assignment);
}

Tri ConstraintEvaluator::evaluate(std::span<const int> assignment) const
{
    Tri result = Tri::True;
    for (int c = 0; c < constraintCount(); ++c) {
        Tri r = evaluate(c, assignment);
        if (r == Tri::False)
            return r;
        if (r == Tri::Unknown)
            result = r;
    }
    return result;
}

Tri ConstraintEvaluator::evaluateOn(int parameter, std::span<const int> assignment) const
{
    Tri result = Tri::True;
    for (int c : constraintsOn(parameter)) {
        Tri r = evaluate(c, assignment);
        if (r == Tri::False)
            return r;
        if (r == Tri::Unknown)
            result = r;
    }
    return result;
}

} // namespace crucible
