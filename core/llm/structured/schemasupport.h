#pragma once
// Helpers of the JSON Schema validator shared by its compiler (schemacompiler.cpp) and its
// evaluator (jsonschemavalidator.cpp): type bits, exact number comparison, short value dumps for
// messages, JSON pointers. Internal to core/llm/structured.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace crucible::schemasupport {

using nlohmann::json;

enum TypeBit : unsigned {
    NullBit = 1U << 0,
    BooleanBit = 1U << 1,
    ObjectBit = 1U << 2,
    ArrayBit = 1U << 3,
    NumberBit = 1U << 4,
    StringBit = 1U << 5,
    IntegerBit = 1U << 6,
};

inline constexpr std::pair<const char *, unsigned> kTypeNames[] = {
    {"null", NullBit},     {"boolean", BooleanBit}, {"object", ObjectBit},   {"array", ArrayBit},
    {"number", NumberBit}, {"string", StringBit},   {"integer", IntegerBit},
};

bool isIntegral(const json &value);
unsigned typeBits(const json &value);
std::string typeName(const json &value);
std::string typeList(unsigned bits);
std::string shortDump(const json &value, std::size_t limit = 80);
// Whether the value has containers nested deeper than limit (iterative: any depth is safe).
bool nestsDeeperThan(const json &value, std::size_t limit);
// JSON equality as nlohmann's == (1 equals 1.0), without recursion: values of any depth (an LLM
// answer is untrusted) compare without overflowing the stack.
bool jsonEqual(const json &a, const json &b);
std::string numberText(const json &value);
// -1, 0, 1; exact when both are integers (signed or unsigned 64-bit), via double otherwise.
int compareNumbers(const json &a, const json &b);
std::uint64_t magnitude(const json &value);
bool isMultipleOf(const json &value, const json &divisor);
std::size_t codePoints(const std::string &text);
void appendPointerToken(std::string &pointer, std::string_view token);
int hexValue(char c);
std::optional<std::string> percentDecode(std::string_view text);

} // namespace crucible::schemasupport
