#include "core/generate/constraintinterpreter.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

namespace crucible {

namespace {

using Truth = ConstraintInterpreter::Truth;

unsigned char folded(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u - 'A' + 'a') : u;
}

// Byte-wise comparison after folding ASCII letters: negative, zero or positive.
int compareText(const std::string &a, const std::string &b)
{
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i) {
        const int d = int(folded(a[i])) - int(folded(b[i]));
        if (d != 0)
            return d;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// The value of decimal text (see ConstraintInterpreter::isNumber), or nothing.
std::optional<double> numberIn(const std::string &text)
{
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
        ++i;
    std::size_t digits = 0;
    while (i < text.size() && isDigit(text[i])) {
        ++i;
        ++digits;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && isDigit(text[i])) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
        return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        std::size_t exponent = 0;
        while (i < text.size() && isDigit(text[i])) {
            ++i;
            ++exponent;
        }
        if (exponent == 0)
            return std::nullopt;
    }
    if (i != text.size())
        return std::nullopt;
    const std::size_t from = text[0] == '+' ? 1 : 0; // from_chars reads '-' but not '+'
    double value = 0;
    const auto [end, error] = std::from_chars(text.data() + from, text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt; // out of the range of a double
    return value;
}

bool orderHolds(ConstraintOp op, int order)
{
    switch (op) {
    case ConstraintOp::Equal:
        return order == 0;
    case ConstraintOp::NotEqual:
        return order != 0;
    case ConstraintOp::Less:
        return order < 0;
    case ConstraintOp::Greater:
        return order > 0;
    case ConstraintOp::LessEqual:
        return order <= 0;
    case ConstraintOp::GreaterEqual:
        return order >= 0;
    case ConstraintOp::In:
    case ConstraintOp::NotIn:
    case ConstraintOp::Like:
    case ConstraintOp::NotLike:
        break;
    }
    return false;
}

int sign(double a, double b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

Truth negate(Truth t)
{
    if (t == Truth::Unknown)
        return t;
    return t == Truth::Yes ? Truth::No : Truth::Yes;
}

} // namespace

bool ConstraintInterpreter::isNumber(const std::string &text)
{
    return numberIn(text).has_value();
}

bool ConstraintInterpreter::sameText(const std::string &a, const std::string &b)
{
    return compareText(a, b) == 0;
}

bool ConstraintInterpreter::likeMatches(const std::string &text, const std::string &pattern)
{
    // reach[j]: the text read so far can leave the pattern at position j.
    const std::size_t m = pattern.size();
    std::vector<char> reach(m + 1, 0);
    auto closeOverStars = [&pattern, m](std::vector<char> &states) {
        for (std::size_t j = 0; j < m; ++j) {
            if (states[j] && pattern[j] == '*')
                states[j + 1] = 1;
        }
    };
    reach[0] = 1;
    closeOverStars(reach);
    for (const char c : text) {
        std::vector<char> next(m + 1, 0);
        for (std::size_t j = 0; j < m; ++j) {
            if (!reach[j])
                continue;
            if (pattern[j] == '*')
                next[j] = 1;
            else if (pattern[j] == '?' || folded(pattern[j]) == folded(c))
                next[j + 1] = 1;
        }
        closeOverStars(next);
        reach = std::move(next);
    }
    return reach[m] != 0;
}

ConstraintInterpreter::ConstraintInterpreter(const std::vector<MatrixParameter> &parameters,
                                             const std::vector<ConstraintExpr> &constraints)
    : m_parameters(parameters)
    , m_constraintsOn(parameters.size())
{
    for (const ConstraintExpr &constraint : constraints) {
        std::vector<int> mentioned;
        m_constraints.push_back(resolve(constraint, mentioned));
        std::sort(mentioned.begin(), mentioned.end());
        mentioned.erase(std::unique(mentioned.begin(), mentioned.end()), mentioned.end());
        for (const int p : mentioned)
            m_constraintsOn[static_cast<std::size_t>(p)].push_back(constraintCount() - 1);
        m_parametersOf.push_back(std::move(mentioned));
    }
}

ConstraintInterpreter::Term ConstraintInterpreter::resolve(const ConstraintExpr &e,
                                                           std::vector<int> &mentioned) const
{
    auto indexOf = [this](const std::string &name) {
        for (std::size_t p = 0; p < m_parameters.size(); ++p) {
            if (sameText(m_parameters[p].name, name))
                return static_cast<int>(p);
        }
        throw std::invalid_argument("unknown parameter [" + name + "] in constraint");
    };
    Term term;
    term.kind = e.kind;
    term.op = e.op;
    if (e.kind == ConstraintExpr::Kind::Relation) {
        term.left = indexOf(e.parameter);
        mentioned.push_back(term.left);
        if (!e.otherParameter.empty()) {
            if (e.op == ConstraintOp::In || e.op == ConstraintOp::NotIn ||
                e.op == ConstraintOp::Like || e.op == ConstraintOp::NotLike)
                throw std::invalid_argument("[" + e.parameter + "] " + constraintOpText(e.op) +
                                            " needs values, not the parameter [" +
                                            e.otherParameter + "]");
            term.right = indexOf(e.otherParameter);
            mentioned.push_back(term.right);
        } else if (e.values.empty()) {
            throw std::invalid_argument("the relation on [" + e.parameter + "] has no value");
        }
        term.literals = e.values;
        return term;
    }
    for (const ConstraintExpr &child : e.children)
        term.children.push_back(resolve(child, mentioned));
    return term;
}

const std::string &ConstraintInterpreter::valueText(int parameter, int value) const
{
    return m_parameters[static_cast<std::size_t>(parameter)]
        .values[static_cast<std::size_t>(value)];
}

bool ConstraintInterpreter::equalsLiteral(int parameter, int value,
                                          const ConstraintLiteral &literal) const
{
    const std::string &text = valueText(parameter, value);
    if (literal.isNumber) {
        // A number matches a value that is the same number, never a name or an alias.
        const std::optional<double> a = numberIn(text);
        const std::optional<double> b = numberIn(literal.text);
        return a && b && sign(*a, *b) == 0;
    }
    if (sameText(text, literal.text))
        return true;
    const MatrixParameter &p = m_parameters[static_cast<std::size_t>(parameter)];
    if (static_cast<std::size_t>(value) < p.aliases.size()) {
        for (const std::string &alias : p.aliases[static_cast<std::size_t>(value)]) {
            if (sameText(alias, literal.text))
                return true;
        }
    }
    return false;
}

bool ConstraintInterpreter::relationHolds(const Term &term, std::span<const int> row) const
{
    const int value = row[static_cast<std::size_t>(term.left)];
    const std::string &text = valueText(term.left, value);
    if (term.right >= 0) {
        // Two parameters: as numbers when both values are numbers, else as text.
        const std::string &other = valueText(term.right, row[static_cast<std::size_t>(term.right)]);
        const std::optional<double> a = numberIn(text);
        const std::optional<double> b = numberIn(other);
        return orderHolds(term.op, a && b ? sign(*a, *b) : compareText(text, other));
    }
    const ConstraintLiteral &first = term.literals.front();
    switch (term.op) {
    case ConstraintOp::Equal:
        return equalsLiteral(term.left, value, first);
    case ConstraintOp::NotEqual:
        return !equalsLiteral(term.left, value, first);
    case ConstraintOp::In:
    case ConstraintOp::NotIn: {
        bool found = false;
        for (const ConstraintLiteral &literal : term.literals)
            found = found || equalsLiteral(term.left, value, literal);
        return found == (term.op == ConstraintOp::In);
    }
    case ConstraintOp::Like:
        return likeMatches(text, first.text);
    case ConstraintOp::NotLike:
        return !likeMatches(text, first.text);
    case ConstraintOp::Less:
    case ConstraintOp::Greater:
    case ConstraintOp::LessEqual:
    case ConstraintOp::GreaterEqual:
        break;
    }
    if (!first.isNumber)
        return orderHolds(term.op, compareText(text, first.text));
    // Ordering against a number: only values that are numbers can hold.
    const std::optional<double> a = numberIn(text);
    const std::optional<double> b = numberIn(first.text);
    return a && b && orderHolds(term.op, sign(*a, *b));
}

ConstraintInterpreter::Truth ConstraintInterpreter::walk(const Term &term,
                                                         std::span<const int> row) const
{
    using Kind = ConstraintExpr::Kind;
    switch (term.kind) {
    case Kind::Relation:
        if (row[static_cast<std::size_t>(term.left)] < 0 ||
            (term.right >= 0 && row[static_cast<std::size_t>(term.right)] < 0))
            return Truth::Unknown;
        return relationHolds(term, row) ? Truth::Yes : Truth::No;
    case Kind::Not:
        return negate(walk(term.children.front(), row));
    case Kind::And:
    case Kind::Or: {
        // AND is No as soon as one part is No; OR is Yes as soon as one part is Yes.
        const Truth decisive = term.kind == Kind::And ? Truth::No : Truth::Yes;
        bool unknown = false;
        for (const Term &child : term.children) {
            const Truth t = walk(child, row);
            if (t == decisive)
                return decisive;
            unknown = unknown || t == Truth::Unknown;
        }
        return unknown ? Truth::Unknown : negate(decisive);
    }
    case Kind::IfThen: {
        const Truth condition = walk(term.children[0], row);
        const bool hasElse = term.children.size() > 2;
        if (condition == Truth::Yes)
            return walk(term.children[1], row);
        if (condition == Truth::No)
            return hasElse ? walk(term.children[2], row) : Truth::Yes;
        // Condition still open: decided only when both branches agree.
        const Truth then = walk(term.children[1], row);
        const Truth otherwise = hasElse ? walk(term.children[2], row) : Truth::Yes;
        return then == otherwise ? then : Truth::Unknown;
    }
    }
    return Truth::Unknown;
}

ConstraintInterpreter::Truth ConstraintInterpreter::evaluate(int constraint,
                                                             std::span<const int> row) const
{
    return walk(m_constraints[static_cast<std::size_t>(constraint)], row);
}

ConstraintInterpreter::Truth ConstraintInterpreter::evaluate(std::span<const int> row) const
{
    bool unknown = false;
    for (int c = 0; c < constraintCount(); ++c) {
        const Truth t = evaluate(c, row);
        if (t == Truth::No)
            return t;
        unknown = unknown || t == Truth::Unknown;
    }
    return unknown ? Truth::Unknown : Truth::Yes;
}

ConstraintInterpreter::Truth ConstraintInterpreter::evaluateOn(int parameter,
                                                               std::span<const int> row) const
{
    bool unknown = false;
    for (const int c : constraintsOn(parameter)) {
        const Truth t = evaluate(c, row);
        if (t == Truth::No)
            return t;
        unknown = unknown || t == Truth::Unknown;
    }
    return unknown ? Truth::Unknown : Truth::Yes;
}

} // namespace crucible
