#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace crucible {

// One validation failure: where in the instance, which schema rule, and a readable message.
struct SchemaError
{
    std::string instancePath; // JSON Pointer into the instance, "" for the root
    std::string keyword;      // the failing rule, e.g. "minLength"
    std::string schemaPath;   // JSON Pointer of the rule in the schema, e.g. "#/items/minLength"
    std::string message;      // e.g. "expected at least 3 characters, got 1"

    // "/items/2/name: minLength: expected at least 3 characters, got 1" ("(root)" for "").
    std::string toString() const;
};

// JSON Schema draft 7 validator (plus `$defs`); local `$ref`s only, `format` is an annotation.
// The schema is compiled once in the constructor; validate() is const and thread-safe, and
// copies share the compiled schema.
class JsonSchemaValidator final
{
public:
    explicit JsonSchemaValidator(nlohmann::json schema);

    // All errors (capped at `maxErrors`) in evaluation order: a value's own keywords first, then
    // its properties (by name) or items (by index). Empty means valid.
    std::vector<SchemaError> validate(const nlohmann::json &instance,
                                      std::size_t maxErrors = 1000) const;
    // Stops at the first failure; cheaper than validate().
    bool isValid(const nlohmann::json &instance) const;

    // Problems found while compiling: unresolvable `$ref`s, regexes that need backtracking
    // (back-references, look-around), keywords of the wrong type. Such rules are reported (refs) or
    // skipped (patterns).
    const std::vector<std::string> &schemaProblems() const;
    const nlohmann::json &schema() const;

    // Bullet list of the first `limit` errors for a re-ask prompt, with a count of the rest.
    static std::string formatErrors(const std::vector<SchemaError> &errors, std::size_t limit = 10);

    struct Compiled; // implementation detail, defined in the .cpp

private:
    std::shared_ptr<const Compiled> m_compiled;
};

} // namespace crucible
