#pragma once
// Whether a value satisfies a subschema of (or a schema derived from) the sampler's root schema,
// with the subschema's "$ref"s resolved against the root. Compiled validators are cached by
// schema text; thread-safe, so one SchemaSampler serves several threads.

#include "core/llm/structured/jsonschemavalidator.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crucible::simulated {

class SubschemaValidator
{
public:
    // `root` must outlive this object.
    explicit SubschemaValidator(const nlohmann::json &root);

    // The subschema is validated in a copy of the root so that its "$ref"s resolve. Refs to the
    // root itself would then point elsewhere, so such schemas pass here and are left to the
    // final check against the whole schema.
    bool isValid(const nlohmann::json &schema, const nlohmann::json &value) const;

private:
    const nlohmann::json &m_root;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::string, std::shared_ptr<const JsonSchemaValidator>> m_cache;
};

} // namespace crucible::simulated
