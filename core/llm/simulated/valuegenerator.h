#pragma once
// The Simulated provider's generator of one JSON value for a schema: follows $refs, merges
// allOf, picks anyOf/oneOf/if branches and enum values, and makes objects, arrays, numbers and
// strings that satisfy each subschema, checking every choice against it. One instance makes
// one whole-value attempt; SchemaSampler validates the result and retries with a fresh seed.

#include "core/llm/simulated/prose.h"
#include "core/llm/simulated/rng.h"
#include "core/llm/simulated/schemasampler.h"
#include "core/llm/simulated/stringsampler.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crucible {
class EcmaRegex;
}

namespace crucible::simulated {

class SubschemaValidator;

class ValueGenerator
{
public:
    // `root` and `local` must outlive the generator; `words` are the topic phrases.
    ValueGenerator(const nlohmann::json &root, const SchemaSampler::Options &options,
                   const SubschemaValidator &local, std::uint64_t seed,
                   const std::vector<std::string> &words);

    // A value for the root schema, or nullopt with failure() saying why.
    std::optional<nlohmann::json> run() { return gen(m_root, "", "", 0); }
    const std::string &failure() const { return m_failure; }

private:
    using json = nlohmann::json;

    void fail(const std::string &path, const std::string &message);
    bool valid(const json &schema, const json &value) const;
    const json *follow(const json &schema, const std::string &path);
    std::optional<json> flatten(const json &s, const std::string &path);
    std::optional<json> gen(const json &schema, const std::string &path, const std::string &hint,
                            int depth);
    static json without(const json &m, std::initializer_list<const char *> keys);
    // `cand` := base ∧ branch; false when they cannot be combined.
    bool combine(json &cand, const json &branch, const std::string &path);
    std::optional<json> genMerged(const json &m, const std::string &path, const std::string &hint,
                                  int depth);
    std::vector<unsigned> typeOrder(const json &m, unsigned bits, const std::string &hint);
    std::optional<json> genTyped(const json &m, unsigned type, const std::string &path,
                                 const std::string &hint, int depth);
    std::optional<json> genNumber(const json &m, bool integer, const std::string &path,
                                  const std::string &hint);
    std::optional<json> genString(const json &m, const std::string &path, const std::string &hint);
    std::optional<json> genArray(const json &m, const std::string &path, const std::string &hint,
                                 int depth);
    static std::vector<std::pair<std::shared_ptr<const EcmaRegex>, const json *>>
    patternProperties(const json &m);
    std::optional<json> genObject(const json &m, const std::string &path, int depth);

    static constexpr int kBudgetPerAttempt = 4000; // generation steps per whole-value attempt

    const json &m_root;
    const SchemaSampler::Options &m_options;
    const SubschemaValidator &m_local;
    Rng m_rng;
    Prose m_prose;
    StringSampler m_strings;
    std::string m_failure;
    int m_budget = kBudgetPerAttempt;
};

} // namespace crucible::simulated
