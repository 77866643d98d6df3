#include "core/llm/structured/ecmaregex.h"

#include <re2/re2.h>

#include <cctype>
#include <cstdio>

namespace crucible {

namespace {

// ECMA's \s: white space and line terminators, Unicode included (RE2's \s is ASCII only).
constexpr std::string_view kSpaceClassBody =
    "\\t\\n\\x{B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}"
    "\\x{3000}\\x{FEFF}";

bool isHex(char c)
{
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

std::string codePoint(std::string_view hex)
{
    return "\\x{" + std::string(hex) + "}";
}

} // namespace

std::string EcmaRegex::translate(std::string_view p, std::string &error)
{
    std::string out;
    out.reserve(p.size() + 16);
    bool inClass = false;
    const std::size_t n = p.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = p[i];
        if (c == '\\') {
            if (i + 1 >= n) {
                error = "the pattern ends with a lone backslash";
                return {};
            }
            const char e = p[++i];
            if (e == 'u' && i + 4 < n && isHex(p[i + 1]) && isHex(p[i + 2]) && isHex(p[i + 3]) &&
                isHex(p[i + 4])) {
                out += codePoint(p.substr(i + 1, 4));
                i += 4;
            } else if (e == 'u' && i + 1 < n && p[i + 1] == '{') {
                const std::size_t close = p.find('}', i + 2);
                if (close == std::string_view::npos) {
                    error = "an unterminated \\u{…} escape";
                    return {};
                }
                out += codePoint(p.substr(i + 2, close - i - 2));
                i = close;
            } else if (e == 'x' && i + 2 < n && isHex(p[i + 1]) && isHex(p[i + 2])) {
                out += codePoint(p.substr(i + 1, 2));
                i += 2;
            } else if (e == 'c' && i + 1 < n &&
                       std::isalpha(static_cast<unsigned char>(p[i + 1]))) {
                char buf[16];
                std::snprintf(buf, sizeof buf, "\\x{%X}", p[i + 1] % 32);
                out += buf;
                ++i;
            } else if (e == '0' &&
                       !(i + 1 < n && std::isdigit(static_cast<unsigned char>(p[i + 1])))) {
                out += "\\x{0}";
            } else if (std::isdigit(static_cast<unsigned char>(e)) && !inClass) {
                error = "back-references (\\" + std::string(1, e) +
                        ") need a backtracking matcher and are not supported";
                return {};
            } else if (e == 'k' && i + 1 < n && p[i + 1] == '<') {
                error = "named back-references (\\k<…>) are not supported";
                return {};
            } else if (e == 's') {
                out += inClass ? std::string(kSpaceClassBody)
                               : "[" + std::string(kSpaceClassBody) + "]";
            } else if (e == 'b' && inClass) {
                out += "\\x{8}"; // backspace inside a class
            } else if (e == '/' || e == '-') {
                out += '\\';
                out += e;
            } else if (std::isalnum(static_cast<unsigned char>(e)) &&
                       std::string_view("dDwWSbBtnrfvpP").find(e) == std::string_view::npos) {
                // An identity escape of a letter (ECMA without the u flag): the letter itself.
                out += e;
            } else if (e == 'v') {
                out += "\\x{B}";
            } else {
                out += '\\';
                out += e;
            }
            continue;
        }
        if (inClass) {
            if (c == ']')
                inClass = false;
            else if (c == '[')
                out += '\\'; // a literal [ inside a class (RE2 would read [: as POSIX)
            out += c;
            continue;
        }
        switch (c) {
        case '[':
            if (p.substr(i, 3) == "[^]") {
                out += "[\\x{0}-\\x{10FFFF}]";
                i += 2;
            } else if (p.substr(i, 2) == "[]") {
                out += "[^\\x{0}-\\x{10FFFF}]";
                i += 1;
            } else {
                inClass = true;
                out += '[';
                if (i + 1 < n && p[i + 1] == '^') {
                    out += '^';
                    ++i;
                }
                // A ] first in the class is a literal in RE2 but ends an empty class in ECMA
                // (handled above); nothing to do for other characters.
            }
            break;
        case '.':
            out += "[^\\n\\r\\x{2028}\\x{2029}]";
            break;
        case '(':
            if (p.substr(i, 3) == "(?=" || p.substr(i, 3) == "(?!" || p.substr(i, 4) == "(?<=" ||
                p.substr(i, 4) == "(?<!") {
                error = "look-around assertions ((?=, (?!, (?<=, (?<!) are not supported";
                return {};
            }
            if (p.substr(i, 3) == "(?<") {
                out += "(?P<";
                i += 2;
            } else {
                out += '(';
            }
            break;
        default:
            out += c;
        }
    }
    if (inClass) {
        error = "an unterminated character class";
        return {};
    }
    return out;
}

EcmaRegex::EcmaRegex(std::string_view pattern)
{
    m_translated = translate(pattern, m_error);
    if (!m_error.empty())
        return;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingUTF8);
    m_re = std::make_unique<re2::RE2>(m_translated, options);
    if (!m_re->ok()) {
        m_error = m_re->error();
        m_re.reset();
    }
}

EcmaRegex::~EcmaRegex() = default;
EcmaRegex::EcmaRegex(EcmaRegex &&) noexcept = default;
EcmaRegex &EcmaRegex::operator=(EcmaRegex &&) noexcept = default;

bool EcmaRegex::search(std::string_view text) const
{
    return m_re && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_re);
}

} // namespace crucible
