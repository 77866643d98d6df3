#pragma once
// JSON Schema helpers of the Simulated provider's sampler: type sets, local "$ref" resolution,
// and merging the members of allOf (and an anyOf/oneOf/if branch with its base) into one schema
// that guides generation. The caller validates against the original schema, so a merge only
// has to be a good guide, not exact.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <string>

namespace crucible::simulated {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

enum TypeBit : unsigned {
    NullBit = 1U << 0,
    BooleanBit = 1U << 1,
    ObjectBit = 1U << 2,
    ArrayBit = 1U << 3,
    NumberBit = 1U << 4, // non-integral numbers allowed
    IntegerBit = 1U << 5,
    StringBit = 1U << 6,
    AllTypes = 0x7FU,
};

// The types a schema allows ("number" allows integers too); AllTypes without "type".
unsigned typeBitsOf(const nlohmann::json &schema);
// The "type" keyword for a set of types (a string for one type, else an array).
nlohmann::json typeJson(unsigned bits);
std::string typeNames(unsigned bits);

// Resolves a local "$ref" ("#", "#/definitions/x", "#/$defs/x", any JSON Pointer); null with
// `error` when it is not local or points nowhere.
const nlohmann::json *resolvePointer(const nlohmann::json &root, const std::string &ref,
                                     std::string &error);
// Follows a chain of "$ref"s from `schema` to the schema it names; null with `error` when a
// reference cannot be resolved or the chain is longer than 32 steps.
const nlohmann::json *followRefs(const nlohmann::json &root, const nlohmann::json &schema,
                                 std::string &error);

// A non-negative count keyword (minLength, maxItems, ...) or a number keyword, when present.
std::optional<std::size_t> countKeyword(const nlohmann::json &schema, const char *key);
std::optional<double> numberKeyword(const nlohmann::json &schema, const char *key);

// {"allOf": [a, b]}, or a when both are the same.
nlohmann::json allOfPair(const nlohmann::json &a, const nlohmann::json &b);
// Merges the conjunction `in` into `out`. Keywords that cannot be combined keep out's value;
// false with `why` when the two contradict each other (types, enums, const).
bool mergeInto(nlohmann::json &out, const nlohmann::json &in, std::string &why);
// Merges the members of allOf (following $refs, recursively) into one schema object; nullopt
// with `error` when they contradict each other or a member is false.
std::optional<nlohmann::json> flattenAllOf(const nlohmann::json &root, const nlohmann::json &s,
                                           std::string &error, int depth = 0);

} // namespace crucible::simulated
