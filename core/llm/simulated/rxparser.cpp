#include "core/llm/simulated/rxparser.h"

#include <algorithm>

namespace crucible::simulated {

RxParser::RxParser(std::u32string source)
    : m_s(std::move(source))
{
}

std::optional<RxNode> RxParser::parse(std::string &error)
{
    RxNode root = parseAlt();
    if (m_error.empty() && m_pos < m_s.size()) {
        m_error = "unbalanced ')'";
    }
    if (!m_error.empty()) {
        error = m_error;
        return std::nullopt;
    }
    return root;
}

RxNode RxParser::parseAlt()
{
    RxNode first = parseSeq();
    if (atEnd() || peek() != U'|') {
        return first;
    }
    RxNode alt;
    alt.kind = RxNode::Kind::Alt;
    alt.kids.push_back(std::move(first));
    while (!atEnd() && peek() == U'|' && m_error.empty()) {
        ++m_pos;
        alt.kids.push_back(parseSeq());
    }
    return alt;
}

RxNode RxParser::parseSeq()
{
    RxNode seq;
    while (!atEnd() && peek() != U'|' && peek() != U')' && m_error.empty()) {
        RxNode atom;
        if (!parseAtom(atom)) {
            break;
        }
        parseQuantifier(atom);
        seq.kids.push_back(std::move(atom));
    }
    return seq;
}

RxNode RxParser::single(char32_t c)
{
    RxNode n;
    n.kind = RxNode::Kind::Set;
    n.ranges.emplace_back(c, c);
    return n;
}

void RxParser::addClass(std::vector<std::pair<char32_t, char32_t>> &ranges, char32_t which)
{
    switch (which) {
    case U'd':
        ranges.emplace_back(U'0', U'9');
        break;
    case U'w':
        ranges.emplace_back(U'a', U'z');
        ranges.emplace_back(U'A', U'Z');
        ranges.emplace_back(U'0', U'9');
        ranges.emplace_back(U'_', U'_');
        break;
    default: // 's'
        ranges.emplace_back(U' ', U' ');
        ranges.emplace_back(U'\t', U'\r');
        break;
    }
}

std::optional<char32_t> RxParser::hexEscape(int digits)
{
    char32_t value = 0;
    for (int i = 0; i < digits; ++i) {
        if (atEnd()) {
            return std::nullopt;
        }
        const char32_t c = m_s[m_pos++];
        int v = -1;
        if (c >= U'0' && c <= U'9') {
            v = static_cast<int>(c - U'0');
        } else if (c >= U'a' && c <= U'f') {
            v = static_cast<int>(c - U'a' + 10);
        } else if (c >= U'A' && c <= U'F') {
            v = static_cast<int>(c - U'A' + 10);
        }
        if (v < 0) {
            return std::nullopt;
        }
        value = value * 16 + static_cast<char32_t>(v);
    }
    return value;
}

// After a backslash: a single character, or (classes) adds ranges and returns nullopt.
std::optional<char32_t> RxParser::parseEscape(std::vector<std::pair<char32_t, char32_t>> &ranges,
                                              bool &negatedClass, bool inClass)
{
    if (atEnd()) {
        m_error = "trailing backslash";
        return std::nullopt;
    }
    const char32_t c = m_s[m_pos++];
    switch (c) {
    case U'd':
    case U'w':
    case U's':
        addClass(ranges, c);
        return std::nullopt;
    case U'D':
    case U'W':
    case U'S':
        if (inClass) {
            m_error = "negated class escapes inside [...]";
            return std::nullopt;
        }
        addClass(ranges, static_cast<char32_t>(c - U'A' + U'a'));
        negatedClass = true;
        return std::nullopt;
    case U'b':
        if (inClass) {
            return U'\b';
        }
        m_error = "word boundaries (\\b)";
        return std::nullopt;
    case U'B':
        m_error = "word boundaries (\\B)";
        return std::nullopt;
    case U'n':
        return U'\n';
    case U'r':
        return U'\r';
    case U't':
        return U'\t';
    case U'f':
        return U'\f';
    case U'v':
        return U'\v';
    case U'0':
        return U'\0';
    case U'x':
        if (auto v = hexEscape(2)) {
            return v;
        }
        m_error = "malformed \\x escape";
        return std::nullopt;
    case U'u':
        if (auto v = hexEscape(4)) {
            return v;
        }
        m_error = "malformed \\u escape";
        return std::nullopt;
    case U'c':
        m_error = "control escapes (\\c)";
        return std::nullopt;
    default:
        if (c >= U'1' && c <= U'9') {
            m_error = "back-references";
            return std::nullopt;
        }
        return c;
    }
}

bool RxParser::parseClass(RxNode &out)
{
    out.kind = RxNode::Kind::Set;
    if (!atEnd() && peek() == U'^') {
        out.negated = true;
        ++m_pos;
    }
    bool first = true;
    while (true) {
        if (atEnd()) {
            m_error = "unterminated character class";
            return false;
        }
        char32_t c = m_s[m_pos++];
        if (c == U']' && !first) {
            return true;
        }
        if (c == U']') { // "[]" matches nothing in ECMAScript
            return true;
        }
        first = false;
        if (c == U'\\') {
            bool ignored = false;
            const auto lit = parseEscape(out.ranges, ignored, true);
            if (!m_error.empty()) {
                return false;
            }
            if (!lit) {
                continue;
            }
            c = *lit;
        }
        // A range "a-z" (a '-' before ']' is a literal).
        if (m_pos + 1 < m_s.size() && m_s[m_pos] == U'-' && m_s[m_pos + 1] != U']') {
            ++m_pos;
            char32_t hi = m_s[m_pos++];
            if (hi == U'\\') {
                std::vector<std::pair<char32_t, char32_t>> dummy;
                bool ignored = false;
                const auto lit = parseEscape(dummy, ignored, true);
                if (!lit || !dummy.empty()) {
                    if (m_error.empty()) {
                        m_error = "class escapes as a range bound";
                    }
                    return false;
                }
                hi = *lit;
            }
            if (hi < c) {
                m_error = "reversed range in a character class";
                return false;
            }
            out.ranges.emplace_back(c, hi);
        } else {
            out.ranges.emplace_back(c, c);
        }
    }
}

bool RxParser::parseAtom(RxNode &out)
{
    const char32_t c = m_s[m_pos++];
    switch (c) {
    case U'(': {
        if (!atEnd() && peek() == U'?') {
            if (m_pos + 1 < m_s.size() && m_s[m_pos + 1] == U':') {
                m_pos += 2;
            } else {
                m_error = "lookarounds and named groups";
                return false;
            }
        }
        out = parseAlt();
        if (atEnd() || peek() != U')') {
            if (m_error.empty()) {
                m_error = "unbalanced '('";
            }
            return false;
        }
        ++m_pos;
        return true;
    }
    case U'[':
        return parseClass(out);
    case U'.':
        out.kind = RxNode::Kind::Any;
        return true;
    case U'^':
        out.kind = RxNode::Kind::Start;
        return true;
    case U'$':
        out.kind = RxNode::Kind::End;
        return true;
    case U'*':
    case U'+':
    case U'?':
        m_error = "a quantifier without anything to repeat";
        return false;
    case U'\\': {
        bool negated = false;
        std::vector<std::pair<char32_t, char32_t>> ranges;
        const auto lit = parseEscape(ranges, negated, false);
        if (!m_error.empty()) {
            return false;
        }
        if (lit) {
            out = single(*lit);
        } else {
            out.kind = RxNode::Kind::Set;
            out.ranges = std::move(ranges);
            out.negated = negated;
        }
        return true;
    }
    default:
        out = single(c);
        return true;
    }
}

std::optional<int> RxParser::number()
{
    if (atEnd() || peek() < U'0' || peek() > U'9') {
        return std::nullopt;
    }
    int v = 0;
    while (!atEnd() && peek() >= U'0' && peek() <= U'9') {
        v = std::min(v * 10 + static_cast<int>(peek() - U'0'), 100000);
        ++m_pos;
    }
    return v;
}

void RxParser::parseQuantifier(RxNode &atom)
{
    if (atEnd()) {
        return;
    }
    int min = 1;
    int max = 1;
    const char32_t c = peek();
    if (c == U'*' || c == U'+' || c == U'?') {
        ++m_pos;
        min = c == U'+' ? 1 : 0;
        max = c == U'?' ? 1 : -1;
    } else if (c == U'{') {
        const std::size_t save = m_pos;
        ++m_pos;
        const auto lo = number();
        if (!lo) {
            m_pos = save; // a literal '{'
            return;
        }
        min = *lo;
        max = *lo;
        if (!atEnd() && peek() == U',') {
            ++m_pos;
            const auto hi = number();
            max = hi ? *hi : -1;
        }
        if (atEnd() || peek() != U'}') {
            m_pos = save;
            return;
        }
        ++m_pos;
        if (max >= 0 && max < min) {
            m_error = "a {min,max} quantifier with max < min";
            return;
        }
    } else {
        return;
    }
    if (!atEnd() && peek() == U'?') {
        ++m_pos; // lazy: same language
    }
    RxNode rep;
    rep.kind = RxNode::Kind::Repeat;
    rep.min = min;
    rep.max = max;
    rep.kids.push_back(std::move(atom));
    atom = std::move(rep);
}

} // namespace crucible::simulated
