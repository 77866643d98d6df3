#include "core/llm/structured/schemasupport.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace crucible::schemasupport {

bool isIntegral(const json &value)
{
    if (value.is_number_integer()) {
        return true;
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

unsigned typeBits(const json &value)
{
    switch (value.type()) {
    case json::value_t::null:
        return NullBit;
    case json::value_t::boolean:
        return BooleanBit;
    case json::value_t::object:
        return ObjectBit;
    case json::value_t::array:
        return ArrayBit;
    case json::value_t::string:
        return StringBit;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return NumberBit | IntegerBit;
    case json::value_t::number_float:
        return NumberBit | (isIntegral(value) ? IntegerBit : 0U);
    default:
        return 0;
    }
}

std::string typeName(const json &value)
{
    if (value.is_number()) {
        return isIntegral(value) ? "integer" : "number";
    }
    return value.type_name();
}

std::string typeList(unsigned bits)
{
    std::vector<std::string> names;
    for (const auto &[name, bit] : kTypeNames) {
        if ((bits & bit) != 0) {
            names.emplace_back(name);
        }
    }
    if (names.size() == 1) {
        return names.front();
    }
    std::string out = "one of ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
    }
    return out;
}

// True when arrays and objects nest more than `limit` levels deep. Iterative: nlohmann's dump()
// recurses once per level and overflows the stack on a value like 20,000 nested arrays.
bool nestsDeeperThan(const json &value, std::size_t limit)
{
    std::vector<std::pair<const json *, std::size_t>> pending{{&value, 0}};
    while (!pending.empty()) {
        const auto [item, depth] = pending.back();
        pending.pop_back();
        if (!item->is_structured()) {
            continue;
        }
        if (depth >= limit) {
            return true;
        }
        for (const json &child : *item) {
            pending.emplace_back(&child, depth + 1);
        }
    }
    return false;
}

bool jsonEqual(const json &a, const json &b)
{
    std::vector<std::pair<const json *, const json *>> pending{{&a, &b}};
    while (!pending.empty()) {
        const auto [x, y] = pending.back();
        pending.pop_back();
        if (x->is_array() && y->is_array()) {
            if (x->size() != y->size()) {
                return false;
            }
            for (std::size_t i = 0; i < x->size(); ++i) {
                pending.emplace_back(&(*x)[i], &(*y)[i]);
            }
        } else if (x->is_object() && y->is_object()) {
            if (x->size() != y->size()) {
                return false;
            }
            for (auto it = x->begin(); it != x->end(); ++it) {
                const auto other = y->find(it.key());
                if (other == y->end()) {
                    return false;
                }
                pending.emplace_back(&it.value(), &*other);
            }
        } else if (x->is_structured() || y->is_structured()) {
            return false;
        } else if (!(*x == *y)) {
            return false;
        }
    }
    return true;
}

std::string shortDump(const json &value, std::size_t limit)
{
    constexpr std::size_t kMaxDumpDepth = 100;
    if (nestsDeeperThan(value, kMaxDumpDepth)) {
        return std::string(value.is_array() ? "an array" : "an object") + " nested deeper than " +
               std::to_string(kMaxDumpDepth) + " levels";
    }
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > limit) {
        text.resize(limit);
        text += "...";
    }
    return text;
}

std::string numberText(const json &value)
{
    return value.dump();
}

// -1, 0, 1; exact when both are integers (signed or unsigned 64-bit), via double otherwise.
int compareNumbers(const json &a, const json &b)
{
    if (a.is_number_integer() && b.is_number_integer()) {
        const bool aNeg = a.is_number_unsigned() ? false : a.get<std::int64_t>() < 0;
        const bool bNeg = b.is_number_unsigned() ? false : b.get<std::int64_t>() < 0;
        if (aNeg != bNeg) {
            return aNeg ? -1 : 1;
        }
        if (aNeg) {
            const auto x = a.get<std::int64_t>();
            const auto y = b.get<std::int64_t>();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const auto x = a.get<std::uint64_t>();
        const auto y = b.get<std::uint64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

std::uint64_t magnitude(const json &value)
{
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    const auto v = value.get<std::int64_t>();
    return v < 0 ? std::uint64_t(0) - std::uint64_t(v) : std::uint64_t(v);
}

bool isMultipleOf(const json &value, const json &divisor)
{
    if (value.is_number_integer() && divisor.is_number_integer()) {
        const std::uint64_t d = magnitude(divisor);
        return d == 0 || magnitude(value) % d == 0;
    }
    const double x = value.get<double>();
    const double d = divisor.get<double>();
    if (d == 0) {
        return true;
    }
    const double q = x / d;
    if (!std::isfinite(q)) {
        return false;
    }
    // Decimal divisors such as 0.01 are not exact in binary; accept a relative rounding error.
    return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
}

std::size_t codePoints(const std::string &text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

void appendPointerToken(std::string &pointer, std::string_view token)
{
    pointer.push_back('/');
    for (const char c : token) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer.push_back(c);
        }
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> percentDecode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = hexValue(text[i + 1]);
        const int lo = hexValue(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

} // namespace crucible::schemasupport
