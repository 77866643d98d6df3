#pragma once
// Text helpers of the Simulated provider: JSON Schema lengths count code points, so cutting and
// measuring text works on UTF-8 code points; ASCII case changes for generated words.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace crucible::simulated {

std::size_t codePoints(std::string_view text);
// Byte offset of code point `n` (text.size() when there are fewer).
std::size_t byteOffset(std::string_view text, std::size_t n);
void appendUtf8(std::string &out, char32_t cp);
std::u32string decodeUtf8(std::string_view text);
std::string lower(std::string text);       // ASCII only
std::string capitalized(std::string text); // the first letter, ASCII only
// Cuts `text` to at most `limit` code points, at a word boundary when that keeps at least
// `minimum` code points, without trailing spaces or separators.
std::string truncateText(const std::string &text, std::size_t limit, std::size_t minimum);
bool hasAny(const std::string &text, std::initializer_list<const char *> needles);
bool endsWith(const std::string &text, std::string_view suffix);

} // namespace crucible::simulated
