#include "core/llm/simulated/schemamerging.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace crucible::simulated {

using nlohmann::json;

namespace {

std::optional<std::string> percentDecode(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const std::string hex(text.substr(i + 1, 2));
        if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(std::stoi(hex, nullptr, 16)));
        i += 2;
    }
    return out;
}

bool isLowerBound(const std::string &k)
{
    return k == "minimum" || k == "exclusiveMinimum" || k == "minLength" || k == "minItems" ||
           k == "minProperties";
}

bool isUpperBound(const std::string &k)
{
    return k == "maximum" || k == "exclusiveMaximum" || k == "maxLength" || k == "maxItems" ||
           k == "maxProperties";
}

} // namespace

unsigned typeBitsOf(const json &schema)
{
    const auto it = schema.find("type");
    if (it == schema.end()) {
        return AllTypes;
    }
    const json list = it->is_array() ? *it : json::array({*it});
    unsigned bits = 0;
    for (const json &name : list) {
        if (!name.is_string()) {
            continue;
        }
        const auto &n = name.get_ref<const std::string &>();
        if (n == "null") {
            bits |= NullBit;
        } else if (n == "boolean") {
            bits |= BooleanBit;
        } else if (n == "object") {
            bits |= ObjectBit;
        } else if (n == "array") {
            bits |= ArrayBit;
        } else if (n == "number") {
            bits |= NumberBit | IntegerBit;
        } else if (n == "integer") {
            bits |= IntegerBit;
        } else if (n == "string") {
            bits |= StringBit;
        }
    }
    return bits;
}

json typeJson(unsigned bits)
{
    json list = json::array();
    const std::pair<unsigned, const char *> names[] = {{NullBit, "null"},
                                                       {BooleanBit, "boolean"},
                                                       {ObjectBit, "object"},
                                                       {ArrayBit, "array"},
                                                       {StringBit, "string"}};
    for (const auto &[bit, name] : names) {
        if ((bits & bit) != 0) {
            list.push_back(name);
        }
    }
    if ((bits & NumberBit) != 0) {
        list.push_back("number");
    } else if ((bits & IntegerBit) != 0) {
        list.push_back("integer");
    }
    return list.size() == 1 ? list.front() : list;
}

std::string typeNames(unsigned bits)
{
    return typeJson(bits).dump();
}

// Resolves a local "$ref" ("#", "#/definitions/x", "#/$defs/x", any JSON Pointer).
const json *resolvePointer(const json &root, const std::string &ref, std::string &error)
{
    if (ref.empty() || ref.front() != '#') {
        error = "$ref '" + ref + "' is not local: only '#...' references are supported";
        return nullptr;
    }
    const auto fragment = percentDecode(std::string_view(ref).substr(1));
    if (!fragment || (!fragment->empty() && fragment->front() != '/')) {
        error = "$ref '" + ref + "' is not a JSON Pointer fragment";
        return nullptr;
    }
    const json *target = &root;
    std::size_t pos = 0;
    while (pos < fragment->size()) {
        const std::size_t next = std::min(fragment->find('/', pos + 1), fragment->size());
        std::string token;
        for (std::size_t i = pos + 1; i < next; ++i) {
            const char c = (*fragment)[i];
            if (c == '~' && i + 1 < next) {
                token.push_back((*fragment)[i + 1] == '0' ? '~' : '/');
                ++i;
            } else {
                token.push_back(c);
            }
        }
        pos = next;
        if (target->is_object() && target->contains(token)) {
            target = &(*target)[token];
        } else if (target->is_array() && !token.empty() && token.size() < 10 &&
                   token.find_first_not_of("0123456789") == std::string::npos &&
                   std::stoul(token) < target->size()) {
            target = &(*target)[std::stoul(token)];
        } else {
            error = "$ref '" + ref + "' points to no location in the schema";
            return nullptr;
        }
    }
    return target;
}

std::optional<std::size_t> countKeyword(const json &schema, const char *key)
{
    const auto it = schema.find(key);
    if (it == schema.end() || !it->is_number() || it->get<double>() < 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::min(it->get<double>(), 1e9));
}

std::optional<double> numberKeyword(const json &schema, const char *key)
{
    const auto it = schema.find(key);
    if (it == schema.end() || !it->is_number()) {
        return std::nullopt;
    }
    return it->get<double>();
}

json allOfPair(const json &a, const json &b)
{
    if (a == b) {
        return a;
    }
    return json{{"allOf", json::array({a, b})}};
}

// Merges the conjunction `in` into `out`. Keywords that cannot be combined keep out's value:
// the caller validates against the original schema, so the result is only a generation guide.
bool mergeInto(json &out, const json &in, std::string &why)
{
    for (const auto &[k, v] : in.items()) {
        const auto it = out.find(k);
        if (it == out.end()) {
            out[k] = v;
            continue;
        }
        json &o = *it;
        if (k == "type") {
            const unsigned bits = typeBitsOf(out) & typeBitsOf(in);
            if (bits == 0) {
                why = "the schema requires types " + typeNames(typeBitsOf(out)) + " and " +
                      typeNames(typeBitsOf(in)) + " at once";
                return false;
            }
            o = typeJson(bits);
        } else if ((k == "properties" || k == "patternProperties") && o.is_object() &&
                   v.is_object()) {
            for (const auto &[name, schema] : v.items()) {
                o[name] = o.contains(name) ? allOfPair(o[name], schema) : schema;
            }
        } else if (k == "required" && o.is_array() && v.is_array()) {
            for (const json &name : v) {
                if (std::find(o.begin(), o.end(), name) == o.end()) {
                    o.push_back(name);
                }
            }
        } else if (isLowerBound(k) && o.is_number() && v.is_number()) {
            if (v.get<double>() > o.get<double>()) {
                o = v;
            }
        } else if (isUpperBound(k) && o.is_number() && v.is_number()) {
            if (v.get<double>() < o.get<double>()) {
                o = v;
            }
        } else if (k == "enum" && o.is_array() && v.is_array()) {
            json common = json::array();
            for (const json &value : o) {
                if (std::find(v.begin(), v.end(), value) != v.end()) {
                    common.push_back(value);
                }
            }
            if (common.empty()) {
                why = "the enums of allOf have no value in common";
                return false;
            }
            o = std::move(common);
        } else if (k == "const") {
            if (o != v) {
                why = "allOf requires two different const values " + o.dump() + " and " + v.dump();
                return false;
            }
        } else if (k == "uniqueItems") {
            o = (o.is_boolean() && o.get<bool>()) || (v.is_boolean() && v.get<bool>());
        } else if ((k == "items" || k == "additionalProperties" || k == "additionalItems" ||
                    k == "contains" || k == "propertyNames") &&
                   !o.is_array() && !v.is_array()) {
            o = allOfPair(o, v);
        } else if (k == "multipleOf" && o.is_number_integer() && v.is_number_integer()) {
            const auto a = o.get<std::int64_t>();
            const auto b = v.get<std::int64_t>();
            std::int64_t x = a;
            std::int64_t y = b;
            while (y != 0) {
                const std::int64_t r = x % y;
                x = y;
                y = r;
            }
            if (x > 0 &&
                a / x <= std::numeric_limits<std::int64_t>::max() / std::max<std::int64_t>(b, 1)) {
                o = a / x * b;
            }
        }
    }
    return true;
}

const json *followRefs(const json &root, const json &schema, std::string &error)
{
    const json *s = &schema;
    for (int i = 0; s->is_object() && s->contains("$ref"); ++i) {
        const json &ref = (*s)["$ref"];
        if (!ref.is_string()) {
            break;
        }
        if (i > 32) {
            error = "$ref chain longer than 32 steps (a cycle?)";
            return nullptr;
        }
        s = resolvePointer(root, ref.get<std::string>(), error);
        if (s == nullptr) {
            return nullptr;
        }
    }
    return s;
}

std::optional<json> flattenAllOf(const json &root, const json &s, std::string &error, int depth)
{
    const auto all = s.find("allOf");
    if (all == s.end() || !all->is_array()) {
        return s;
    }
    if (depth > 16) {
        error = "allOf nested deeper than 16 levels";
        return std::nullopt;
    }
    json out = s;
    out.erase("allOf");
    for (const json &member : *all) {
        const json *m = followRefs(root, member, error);
        if (m == nullptr) {
            return std::nullopt;
        }
        if (m->is_boolean()) {
            if (!m->get<bool>()) {
                error = "allOf contains the schema false: no value is allowed";
                return std::nullopt;
            }
            continue;
        }
        if (!m->is_object()) {
            continue;
        }
        auto fm = flattenAllOf(root, *m, error, depth + 1);
        if (!fm) {
            return std::nullopt;
        }
        if (!mergeInto(out, *fm, error)) {
            return std::nullopt;
        }
    }
    return out;
}

} // namespace crucible::simulated
