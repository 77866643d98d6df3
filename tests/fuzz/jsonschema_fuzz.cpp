// libFuzzer target: the JSON Schema validator, schema and instance both from the input.
// Input: the first line is the schema, the rest the instance (both JSON; inputs that do not parse
// are skipped). Properties: compiling any schema ($ref cycles, deep nesting, odd keyword types)
// and validating any instance neither crashes nor hangs; validate() and isValid() agree; the
// error cap holds.

#include "core/llm/structured/jsonschemavalidator.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using crucible::JsonSchemaValidator;
using crucible::SchemaError;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view schemaText = input.substr(0, newline);
    const std::string_view instanceText =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    json schema = json::parse(schemaText, nullptr, false);
    if (schema.is_discarded())
        return 0;
    json instance = json::parse(instanceText, nullptr, false);
    if (instance.is_discarded())
        instance = json(std::string(instanceText)); // still validate something: the text itself

    const JsonSchemaValidator validator(std::move(schema));
    for (const std::string &problem : validator.schemaProblems())
        FUZZ_CHECK(!problem.empty(), "an empty schema problem");

    const std::vector<SchemaError> errors = validator.validate(instance);
    const bool valid = validator.isValid(instance);
    FUZZ_CHECK(valid == errors.empty(),
               std::string("isValid() says ") + (valid ? "valid" : "invalid") +
                   " but validate() found " + std::to_string(errors.size()) + " errors");
    for (const SchemaError &e : errors) {
        FUZZ_CHECK(!e.keyword.empty() && !e.message.empty(), "an error without keyword or message");
        FUZZ_CHECK(e.schemaPath.rfind('#', 0) == 0, "schema path not a fragment: " + e.schemaPath);
        FUZZ_CHECK(e.instancePath.empty() || e.instancePath.front() == '/',
                   "instance path not a JSON Pointer: " + e.instancePath);
    }
    FUZZ_CHECK(validator.validate(instance, 3).size() <= 3, "the error cap is exceeded");
    FUZZ_CHECK(!JsonSchemaValidator::formatErrors(errors, 2).empty() || errors.empty(),
               "formatted errors are empty");

    // The same schema also judges itself and an empty object (schemas are often validated
    // against documents of their own shape).
    validator.isValid(validator.schema());
    validator.validate(json::object(), 5);
    return 0;
}
