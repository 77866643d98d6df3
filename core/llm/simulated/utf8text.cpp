#include "core/llm/simulated/utf8text.h"

#include <algorithm>

namespace crucible::simulated {

// UTF-8 helpers: schema lengths count code points.

std::size_t codePoints(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

// Byte offset of code point `n` (text.size() when there are fewer).
std::size_t byteOffset(std::string_view text, std::size_t n)
{
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            if (seen == n) {
                return i;
            }
            ++seen;
        }
    }
    return text.size();
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::u32string decodeUtf8(std::string_view text)
{
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const int extra = c < 0x80 ? 0 : (c < 0xE0 ? 1 : (c < 0xF0 ? 2 : 3));
        char32_t cp = extra == 0 ? c : (c & (0x3FU >> extra));
        std::size_t j = i + 1;
        for (int k = 0; k < extra && j < text.size(); ++k, ++j) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[j]) & 0x3FU);
        }
        out.push_back(cp);
        i = j;
    }
    return out;
}

std::string lower(std::string text)
{
    for (char &c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

std::string capitalized(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    }
    return text;
}

// Cuts `text` to at most `limit` code points, at a word boundary when that keeps at least
// `minimum` code points, without trailing spaces or separators.
std::string truncateText(const std::string &text, std::size_t limit, std::size_t minimum)
{
    if (codePoints(text) <= limit) {
        return text;
    }
    std::string cut = text.substr(0, byteOffset(text, limit));
    const std::size_t space = cut.find_last_of(' ');
    if (space != std::string::npos && space > 0 && codePoints(cut.substr(0, space)) >= minimum &&
        space >= cut.size() / 2) {
        std::string word = cut.substr(0, space);
        while (!word.empty() && std::string_view(" ,;:-").find(word.back()) != std::string::npos &&
               codePoints(word) > minimum) {
            word.pop_back();
        }
        if (codePoints(word) >= minimum) {
            cut = std::move(word);
        }
    }
    return cut;
}

bool hasAny(const std::string &text, std::initializer_list<const char *> needles)
{
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char *n) { return text.find(n) != std::string::npos; });
}

bool endsWith(const std::string &text, std::string_view suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace crucible::simulated
