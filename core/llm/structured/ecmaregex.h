#pragma once
// The ECMA-262 regular expressions of JSON Schema (`pattern`, `patternProperties`) translated
// for RE2, which matches in linear time with no recursion, so no input can make a match slow or
// overflow the stack. Supported: literals, classes, escapes (\d \w \s \b, \uXXXX, \xXX, \cX),
// anchors, groups (also named), alternation and every quantifier, lazy ones too. Not supported
// (reported, and the rule is skipped): back-references and look-around, which need
// backtracking. Differences: \S and \W follow RE2 (ASCII), and case-insensitive or multiline
// flags do not exist in JSON Schema patterns.

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace crucible {

class EcmaRegex final
{
public:
    // Translates and compiles `pattern`; on failure error() says why (and matches() is false).
    explicit EcmaRegex(std::string_view pattern);
    ~EcmaRegex();
    EcmaRegex(EcmaRegex &&) noexcept;
    EcmaRegex &operator=(EcmaRegex &&) noexcept;

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    const std::string &translated() const { return m_translated; }
    // Whether the pattern matches anywhere in `text` (ECMA `test`, unanchored), UTF-8.
    bool search(std::string_view text) const;

    // The RE2 form of an ECMA pattern, or an empty string with `error` set.
    static std::string translate(std::string_view pattern, std::string &error);

private:
    std::string m_translated;
    std::string m_error;
    std::unique_ptr<re2::RE2> m_re;
};

} // namespace crucible
