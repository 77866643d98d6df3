#include "core/llm/simulated/valuegenerator.h"

#include "core/llm/simulated/numbersampler.h"
#include "core/llm/simulated/propertyhints.h"
#include "core/llm/simulated/schemamerging.h"
#include "core/llm/simulated/subschemavalidator.h"
#include "core/llm/structured/ecmaregex.h"

#include <algorithm>
#include <set>

namespace crucible::simulated {

using nlohmann::json;

namespace {

constexpr int kHardDepth = 40; // deeper than this a recursive schema has no way out

} // namespace

ValueGenerator::ValueGenerator(const json &root, const SchemaSampler::Options &options,
                               const SubschemaValidator &local, std::uint64_t seed,
                               const std::vector<std::string> &words)
    : m_root(root)
    , m_options(options)
    , m_local(local)
    , m_rng(seed)
    , m_prose(m_rng, words)
    , m_strings(m_rng, m_prose)
{
}

void ValueGenerator::fail(const std::string &path, const std::string &message)
{
    if (m_failure.empty()) {
        m_failure = (path.empty() ? std::string("(root)") : path) + ": " + message;
    }
}

bool ValueGenerator::valid(const json &schema, const json &value) const
{
    return m_local.isValid(schema, value);
}

const json *ValueGenerator::follow(const json &schema, const std::string &path)
{
    std::string error;
    const json *s = followRefs(m_root, schema, error);
    if (s == nullptr) {
        fail(path, error);
    }
    return s;
}

// Merges allOf members (following $refs) into one schema object.
std::optional<json> ValueGenerator::flatten(const json &s, const std::string &path)
{
    std::string error;
    auto merged = flattenAllOf(m_root, s, error);
    if (!merged) {
        fail(path, error);
    }
    return merged;
}

std::optional<json> ValueGenerator::gen(const json &schema, const std::string &path,
                                        const std::string &hint, int depth)
{
    if (--m_budget < 0) {
        fail(path, "gave up: the schema needs too many generation steps");
        return std::nullopt;
    }
    if (depth > kHardDepth) {
        fail(path, "the schema requires nesting deeper than " + std::to_string(kHardDepth) +
                       " levels (a recursive $ref without a way out?)");
        return std::nullopt;
    }
    const json *sp = follow(schema, path);
    if (sp == nullptr) {
        return std::nullopt;
    }
    const json &s = *sp;
    if (s.is_boolean() && !s.get<bool>()) {
        fail(path, "the schema is false: no value is allowed");
        return std::nullopt;
    }
    if (!s.is_object()) {
        return genMerged(json::object(), path, hint, depth);
    }
    const auto m = flatten(s, path);
    if (!m) {
        return std::nullopt;
    }
    const bool merged = s.contains("allOf");
    for (int attempt = 0; attempt < 3 && m_budget > 0; ++attempt) {
        auto v = genMerged(*m, path, hint, depth);
        if (v && (!merged || valid(s, *v))) {
            return v;
        }
        if (v) {
            fail(path, "could not satisfy all members of allOf at once");
        }
    }
    return std::nullopt;
}

json ValueGenerator::without(const json &m, std::initializer_list<const char *> keys)
{
    json out = m;
    for (const char *k : keys) {
        out.erase(k);
    }
    return out;
}

// `cand` := base ∧ branch; false when they cannot be combined.
bool ValueGenerator::combine(json &cand, const json &branch, const std::string &path)
{
    const json *b = follow(branch, path);
    if (b == nullptr || (b->is_boolean() && !b->get<bool>())) {
        return false;
    }
    if (!b->is_object()) {
        return true;
    }
    const auto fb = flatten(*b, path);
    std::string why;
    return fb && mergeInto(cand, *fb, why);
}

std::optional<json> ValueGenerator::genMerged(const json &m, const std::string &path,
                                              const std::string &hint, int depth)
{
    if (const auto c = m.find("const"); c != m.end()) {
        if (valid(m, *c)) {
            return *c;
        }
        fail(path, "the const value " + c->dump() + " breaks the schema's other keywords");
        return std::nullopt;
    }
    if (const auto e = m.find("enum"); e != m.end() && e->is_array()) {
        std::vector<std::size_t> order(e->size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        m_rng.shuffle(order);
        for (const std::size_t i : order) {
            if (valid(m, (*e)[i])) {
                return (*e)[i];
            }
        }
        fail(path, e->empty() ? "enum is empty: no value is allowed"
                              : "no enum value satisfies the schema's other keywords");
        return std::nullopt;
    }
    for (const char *key : {"anyOf", "oneOf"}) {
        const auto alts = m.find(key);
        if (alts == m.end() || !alts->is_array()) {
            continue;
        }
        const json base = without(m, {key});
        std::vector<std::size_t> order(alts->size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        m_rng.shuffle(order);
        for (const std::size_t i : order) {
            json cand = base;
            if (!combine(cand, (*alts)[i], path)) {
                continue;
            }
            auto v = genMerged(cand, path, hint, depth);
            if (v && valid(m, *v)) {
                return v;
            }
        }
        fail(path, std::string("no alternative of ") + key + " could be satisfied" +
                       (std::string(key) == "oneOf" ? " by exactly one match" : ""));
        return std::nullopt;
    }
    if (m.contains("if")) {
        const json base = without(m, {"if", "then", "else"});
        json viaThen = base;
        json viaElse = base;
        const bool thenOk = combine(viaThen, m["if"], path) &&
                            (!m.contains("then") || combine(viaThen, m["then"], path));
        const bool elseOk = !m.contains("else") || combine(viaElse, m["else"], path);
        std::vector<const json *> order;
        if (thenOk) {
            order.push_back(&viaThen);
        }
        order.push_back(elseOk ? &viaElse : &base);
        if (order.size() == 2 && m_rng.chance(0.5)) {
            std::swap(order[0], order[1]);
        }
        for (const json *cand : order) {
            auto v = genMerged(*cand, path, hint, depth);
            if (v && valid(m, *v)) {
                return v;
            }
        }
        fail(path, "could not satisfy if/then/else");
        return std::nullopt;
    }
    if (m.contains("not")) {
        const json base = without(m, {"not"});
        std::vector<unsigned> types = {StringBit, IntegerBit, NumberBit, BooleanBit,
                                       ObjectBit, ArrayBit,   NullBit};
        m_rng.shuffle(types);
        if (auto v = genMerged(base, path, hint, depth); v && valid(m, *v)) {
            return v;
        }
        for (const unsigned t : types) {
            json cand = base;
            std::string why;
            if (!mergeInto(cand,
                           json{{"type", typeJson(t == NumberBit ? NumberBit | IntegerBit : t)}},
                           why)) {
                continue;
            }
            auto v = genMerged(cand, path, hint, depth);
            if (v && valid(m, *v)) {
                return v;
            }
        }
        fail(path, "every value tried matches the schema under 'not'");
        return std::nullopt;
    }
    const unsigned bits = typeBitsOf(m);
    if (bits == 0) {
        fail(path, "the schema allows no known type");
        return std::nullopt;
    }
    for (const unsigned t : typeOrder(m, bits, hint)) {
        auto v = genTyped(m, t, path, hint, depth);
        if (v && valid(m, *v)) {
            return v;
        }
    }
    fail(path, "no value of type " + typeNames(bits) + " satisfies the schema");
    return std::nullopt;
}

std::vector<unsigned> ValueGenerator::typeOrder(const json &m, unsigned bits,
                                                const std::string &hint)
{
    auto any = [&](std::initializer_list<const char *> keys) {
        return std::any_of(keys.begin(), keys.end(), [&](const char *k) { return m.contains(k); });
    };
    std::vector<unsigned> preferred;
    auto prefer = [&](unsigned t) {
        if ((bits & t) != 0 &&
            std::find(preferred.begin(), preferred.end(), t) == preferred.end()) {
            preferred.push_back(t);
        }
    };
    if (any({"properties", "required", "additionalProperties", "patternProperties", "minProperties",
             "maxProperties", "dependencies", "propertyNames"})) {
        prefer(ObjectBit);
    }
    if (any({"items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"})) {
        prefer(ArrayBit);
    }
    if (any({"minLength", "maxLength", "pattern", "format"})) {
        prefer(StringBit);
    }
    if (any({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})) {
        prefer((bits & NumberBit) != 0 ? NumberBit : IntegerBit);
        prefer(IntegerBit);
    }
    if (numericHinted(hint)) {
        prefer((bits & NumberBit) != 0 ? NumberBit : IntegerBit);
    }
    if (booleanHinted(hint)) {
        prefer(BooleanBit);
    }
    // Without other clues: text first, then the rest of the allowed types at random
    // (null last: it says little).
    std::vector<unsigned> rest = {StringBit,  IntegerBit, NumberBit,
                                  BooleanBit, ObjectBit,  ArrayBit};
    m_rng.shuffle(rest);
    if (!m.contains("type")) {
        prefer(StringBit);
    }
    for (const unsigned t : rest) {
        prefer(t);
    }
    prefer(NullBit);
    // A nullable type ("type": ["string", "null"]) is sometimes null, as real answers are.
    if (m.contains("type") && (bits & NullBit) != 0 && preferred.size() > 1 && m_rng.chance(0.2)) {
        std::rotate(preferred.begin(), preferred.end() - 1, preferred.end());
    }
    return preferred;
}

std::optional<json> ValueGenerator::genTyped(const json &m, unsigned type, const std::string &path,
                                             const std::string &hint, int depth)
{
    switch (type) {
    case NullBit:
        return json(nullptr);
    case BooleanBit:
        return json(m_rng.chance(0.5));
    case IntegerBit:
        return genNumber(m, true, path, hint);
    case NumberBit:
        return genNumber(m, false, path, hint);
    case StringBit:
        return genString(m, path, hint);
    case ArrayBit:
        return genArray(m, path, hint, depth);
    case ObjectBit:
        return genObject(m, path, depth);
    default:
        return std::nullopt;
    }
}

std::optional<json> ValueGenerator::genNumber(const json &m, bool integer, const std::string &path,
                                              const std::string &hint)
{
    std::string why;
    auto v = sampleNumber(m, integer, hint, m_rng, why);
    if (!v) {
        fail(path, why);
    }
    return v;
}

std::optional<json> ValueGenerator::genString(const json &m, const std::string &path,
                                              const std::string &hint)
{
    std::string why;
    auto v = m_strings.sample(m, hint, why);
    if (!v) {
        fail(path, why);
    }
    return v;
}

std::optional<json> ValueGenerator::genArray(const json &m, const std::string &path,
                                             const std::string &hint, int depth)
{
    const std::size_t minI = countKeyword(m, "minItems").value_or(0);
    std::size_t maxI = countKeyword(m, "maxItems").value_or(kNoLimit);
    const auto items = m.find("items");
    const bool tuple = items != m.end() && items->is_array();
    const json itemSchema = (items != m.end() && !tuple) ? *items : json(true);
    const json additional = m.value("additionalItems", json(true));
    if (tuple && additional.is_boolean() && !additional.get<bool>()) {
        maxI = std::min(maxI, items->size());
    }
    if (minI > maxI) {
        fail(path, "minItems " + std::to_string(minI) + " exceeds the " + std::to_string(maxI) +
                       " items allowed");
        return std::nullopt;
    }
    const bool deep = depth >= m_options.maxDepth;
    std::size_t n = 0;
    if (tuple) {
        n = std::clamp(items->size(), minI, maxI);
    } else {
        const std::size_t lo = deep ? minI : std::max(minI, std::min<std::size_t>(2, maxI));
        const std::size_t hi =
            std::min(maxI, std::max(lo, static_cast<std::size_t>(std::max(1, m_options.maxItems))));
        n = deep ? lo : m_rng.between(lo, std::max(lo, hi));
    }
    const auto contains = m.find("contains");
    if (contains != m.end() && n == 0) {
        if (maxI == 0) {
            fail(path, "'contains' needs an item but maxItems is 0");
            return std::nullopt;
        }
        n = 1;
    }
    const bool unique = m.value("uniqueItems", false);
    json arr = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        json sch = tuple ? (i < items->size() ? (*items)[i] : additional) : itemSchema;
        if (i == 0 && contains != m.end()) {
            sch = allOfPair(sch, *contains);
        }
        const std::string itemPath = path + '/' + std::to_string(i);
        std::optional<json> value;
        for (int t = 0; t < 8 && m_budget > 0; ++t) {
            auto v = gen(sch, itemPath, hint, depth + 1);
            if (!v) {
                break;
            }
            if (unique && std::find(arr.begin(), arr.end(), *v) != arr.end()) {
                continue;
            }
            value = std::move(v);
            break;
        }
        if (!value) {
            if (i >= minI && i > 0) {
                break; // optional items: a shorter array is fine
            }
            if (i >= minI && contains == m.end()) {
                break;
            }
            if (unique) {
                fail(path, "could not find " + std::to_string(std::max(minI, i + 1)) +
                               " distinct items (uniqueItems)");
            }
            return std::nullopt;
        }
        arr.push_back(std::move(*value));
    }
    return arr;
}

std::vector<std::pair<std::shared_ptr<const EcmaRegex>, const json *>>
ValueGenerator::patternProperties(const json &m)
{
    std::vector<std::pair<std::shared_ptr<const EcmaRegex>, const json *>> out;
    const auto pp = m.find("patternProperties");
    if (pp == m.end() || !pp->is_object()) {
        return out;
    }
    for (const auto &[source, schema] : pp->items()) {
        auto re = std::make_shared<const EcmaRegex>(source);
        if (re->ok())
            out.emplace_back(std::move(re), &schema);
    }
    return out;
}

std::optional<json> ValueGenerator::genObject(const json &m, const std::string &path, int depth)
{
    const json props = m.value("properties", json::object());
    const auto pps = patternProperties(m);
    const json additional = m.value("additionalProperties", json(true));
    const std::size_t minP = countKeyword(m, "minProperties").value_or(0);
    const std::size_t maxP = countKeyword(m, "maxProperties").value_or(kNoLimit);
    const bool deep = depth >= m_options.maxDepth;

    std::vector<std::string> names;
    std::set<std::string> mandatory;
    auto add = [&](const std::string &name, bool required) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
        if (required) {
            mandatory.insert(name);
        }
    };
    if (const auto req = m.find("required"); req != m.end() && req->is_array()) {
        for (const json &name : *req) {
            if (name.is_string()) {
                add(name.get<std::string>(), true);
            }
        }
    }
    std::vector<std::string> optional;
    if (props.is_object()) {
        for (const auto &[name, schema] : props.items()) {
            if (mandatory.count(name) == 0 && !(schema.is_boolean() && !schema.get<bool>())) {
                optional.push_back(name);
            }
        }
    }
    m_rng.shuffle(optional);
    std::vector<std::string> spare;
    for (const std::string &name : optional) {
        if (!deep && names.size() < maxP && m_rng.chance(0.6)) {
            add(name, false);
        } else {
            spare.push_back(name);
        }
    }
    // Property dependencies pull further names in.
    if (const auto deps = m.find("dependencies"); deps != m.end() && deps->is_object()) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto d = deps->find(names[i]);
            if (d == deps->end()) {
                continue;
            }
            const json *needed = d->is_array() ? &*d : nullptr;
            if (d->is_object() && d->contains("required")) {
                needed = &(*d)["required"];
            }
            if (needed != nullptr && needed->is_array()) {
                for (const json &other : *needed) {
                    if (other.is_string()) {
                        add(other.get<std::string>(), mandatory.count(names[i]) != 0);
                    }
                }
            }
        }
    }
    if (mandatory.size() > maxP) {
        fail(path, std::to_string(mandatory.size()) + " required properties exceed maxProperties " +
                       std::to_string(maxP));
        return std::nullopt;
    }
    while (names.size() > maxP) {
        const auto it = std::find_if(names.rbegin(), names.rend(),
                                     [&](const std::string &n) { return mandatory.count(n) == 0; });
        names.erase(std::next(it).base());
    }
    const json *propertyNames = m.contains("propertyNames") ? &m["propertyNames"] : nullptr;
    auto schemaFor = [&](const std::string &name) -> json {
        std::vector<json> parts;
        if (props.is_object() && props.contains(name)) {
            parts.push_back(props[name]);
        }
        for (const auto &[re, schema] : pps) {
            if (re->search(name)) {
                parts.push_back(*schema);
            }
        }
        if (parts.empty()) {
            return additional;
        }
        if (parts.size() == 1) {
            return parts.front();
        }
        return json{{"allOf", parts}};
    };
    // minProperties: first the declared properties, then invented names.
    for (int tries = 0; names.size() < minP && tries < 50; ++tries) {
        if (!spare.empty()) {
            add(spare.back(), true);
            spare.pop_back();
            continue;
        }
        std::string name;
        if (propertyNames != nullptr) {
            const auto v = gen(*propertyNames, path + "/propertyNames", "key", depth + 1);
            if (!v || !v->is_string()) {
                continue;
            }
            name = v->get<std::string>();
        } else {
            name = Prose::slug(m_prose.topic()) + (tries == 0 ? "" : "_" + std::to_string(tries));
        }
        const json sch = schemaFor(name);
        if (std::find(names.begin(), names.end(), name) == names.end() &&
            !(sch.is_boolean() && !sch.get<bool>())) {
            add(name, true);
        }
    }
    if (names.size() < minP) {
        fail(path,
             "could not find " + std::to_string(minP) + " allowed property names (minProperties)");
        return std::nullopt;
    }
    json obj = json::object();
    for (const std::string &name : names) {
        const json sch = schemaFor(name);
        const bool required = mandatory.count(name) != 0;
        if (propertyNames != nullptr && !valid(*propertyNames, json(name))) {
            if (required) {
                fail(path, "required property '" + name + "' is not allowed by propertyNames");
                return std::nullopt;
            }
            continue;
        }
        if (sch.is_boolean() && !sch.get<bool>()) {
            if (required) {
                fail(path + '/' + name,
                     "the property is required but its schema forbids any value");
                return std::nullopt;
            }
            continue;
        }
        auto v = gen(sch, path + '/' + name, name, depth + 1);
        if (!v) {
            if (required) {
                return std::nullopt;
            }
            continue;
        }
        obj[name] = std::move(*v);
    }
    return obj;
}

} // namespace crucible::simulated
