#pragma once
// Strings for `pattern`, the parsing half: a parser for the common regular-expression subset
// (literals, classes, escapes, groups, alternation, quantifiers, anchors) into a tree that
// RxGenerator walks. Lookarounds, back-references and word boundaries are not generated: parse()
// reports them, and the caller then falls back to trying plain text.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crucible::simulated {

struct RxNode
{
    enum class Kind { Seq, Alt, Repeat, Set, Any, Start, End };
    Kind kind = Kind::Seq;
    std::vector<RxNode> kids;
    int min = 1;
    int max = 1; // Repeat; < 0: unbounded
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool negated = false;

    bool contains(char32_t c) const
    {
        const bool in = std::any_of(ranges.begin(), ranges.end(),
                                    [c](const auto &r) { return c >= r.first && c <= r.second; });
        return in != negated;
    }
};

class RxParser
{
public:
    explicit RxParser(std::u32string source);
    std::optional<RxNode> parse(std::string &error);

private:
    bool atEnd() const { return m_pos >= m_s.size(); }
    char32_t peek() const { return m_s[m_pos]; }

    RxNode parseAlt();
    RxNode parseSeq();
    static RxNode single(char32_t c);
    static void addClass(std::vector<std::pair<char32_t, char32_t>> &ranges, char32_t which);
    std::optional<char32_t> hexEscape(int digits);

    // After a backslash: a single character, or (classes) adds ranges and returns nullopt.
    std::optional<char32_t> parseEscape(std::vector<std::pair<char32_t, char32_t>> &ranges,
                                        bool &negatedClass, bool inClass);
    bool parseClass(RxNode &out);
    bool parseAtom(RxNode &out);
    std::optional<int> number();
    void parseQuantifier(RxNode &atom);
    std::u32string m_s;
    std::size_t m_pos = 0;
    std::string m_error;
};

} // namespace crucible::simulated
