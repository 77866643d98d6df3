#include "core/llm/simulated/subschemavalidator.h"

namespace crucible::simulated {

using nlohmann::json;

SubschemaValidator::SubschemaValidator(const json &root)
    : m_root(root)
{
}

bool SubschemaValidator::isValid(const json &schema, const json &value) const
{
    if (schema.is_boolean()) {
        return schema.get<bool>();
    }
    std::string key = schema.dump();
    if (key.find("\"$ref\":\"#\"") != std::string::npos) {
        return true;
    }
    std::shared_ptr<const JsonSchemaValidator> v;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_cache.find(key); it != m_cache.end()) {
            v = it->second;
        }
    }
    if (!v) {
        json wrapper;
        if (m_root.is_object() && key.find("\"$ref\"") != std::string::npos) {
            wrapper = m_root;
            wrapper["__crucible_sampler_target"] = schema;
            wrapper["$ref"] = "#/__crucible_sampler_target";
        } else {
            wrapper = schema;
        }
        v = std::make_shared<const JsonSchemaValidator>(std::move(wrapper));
        std::lock_guard lock(m_mutex);
        if (m_cache.size() > 512) {
            m_cache.clear();
        }
        m_cache.emplace(std::move(key), v);
    }
    return v->isValid(value);
}

} // namespace crucible::simulated
