#pragma once
// The compiled form of a JSON Schema: one Node per subschema, keyed by location, with `$ref`s
// resolved and patterns compiled (RE2). Built once by JsonSchemaValidator's constructor
// (schemacompiler.cpp), then only read, from any thread. Internal to core/llm/structured.

#include "core/llm/structured/ecmaregex.h"
#include "core/llm/structured/jsonschemavalidator.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace crucible {

using nlohmann::json;

struct JsonSchemaValidator::Compiled
{
    struct Pattern
    {
        std::string source;
        std::shared_ptr<const EcmaRegex> regex; // RE2: linear time, no recursion

        bool search(const std::string &text) const { return regex->search(text); }
    };

    struct Node
    {
        enum class Kind { Schema, AlwaysTrue, AlwaysFalse };
        Kind kind = Kind::Schema;
        std::string location; // "#/properties/name"

        bool isRef = false;
        std::string ref;
        const Node *refTarget = nullptr;
        std::string refProblem;

        unsigned types = 0;         // accepted types; "number" implies "integer"
        unsigned declaredTypes = 0; // as written, for messages
        const json *enumValues = nullptr;
        const json *constValue = nullptr;
        const json *minimum = nullptr;
        const json *maximum = nullptr;
        const json *exclusiveMinimum = nullptr;
        const json *exclusiveMaximum = nullptr;
        const json *multipleOf = nullptr;
        std::optional<std::uint64_t> minLength, maxLength, minItems, maxItems, minProperties,
            maxProperties;
        std::optional<Pattern> pattern;

        std::vector<std::pair<std::string, const Node *>> properties; // sorted by name
        std::vector<std::string> required;
        const Node *additionalProperties = nullptr;
        std::vector<std::pair<Pattern, const Node *>> patternProperties;
        const Node *propertyNames = nullptr;
        std::vector<std::pair<std::string, std::vector<std::string>>> propertyDependencies;
        std::vector<std::pair<std::string, const Node *>> schemaDependencies;

        const Node *items = nullptr;
        std::vector<const Node *> tupleItems;
        bool tuple = false;
        const Node *additionalItems = nullptr;
        const Node *contains = nullptr;
        bool uniqueItems = false;

        std::vector<const Node *> allOf, anyOf, oneOf;
        const Node *notNode = nullptr;
        const Node *ifNode = nullptr;
        const Node *thenNode = nullptr;
        const Node *elseNode = nullptr;
    };

    json schema;
    std::deque<Node> nodes; // stable addresses
    std::unordered_map<std::string, Node *> byLocation;
    std::vector<Node *> pendingRefs;
    std::vector<std::string> problems;
    const Node *root = nullptr;
    // Subschemas nest by recursion in compile(): deeper ones are reported and reject every value.
    static constexpr int kMaxDepth = 200;
    int depth = 0;

    void build();
    void problem(const std::string &location, const std::string &text);
    std::optional<Pattern> compilePattern(const std::string &location, const json &source);
    std::optional<std::uint64_t> count(const std::string &location, const json &value);
    const json *number(const std::string &location, const json &value);
    Node *compile(const json &s, const std::string &location);
    void resolve(Node &node);
};

} // namespace crucible
