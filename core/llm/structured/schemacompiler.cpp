#include "core/llm/structured/schemacompiled.h"
#include "core/llm/structured/schemasupport.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace crucible {

using namespace schemasupport;

void JsonSchemaValidator::Compiled::build()
{
    root = compile(schema, "#");
    // Refs are resolved after the tree is built; resolving may compile further subschemas
    // (and queue their refs), and memoisation by location makes cycles terminate.
    for (std::size_t i = 0; i < pendingRefs.size(); ++i) {
        resolve(*pendingRefs[i]);
    }
    pendingRefs.clear();
}

void JsonSchemaValidator::Compiled::problem(const std::string &location, const std::string &text)
{
    problems.push_back(location + ": " + text);
}

std::optional<JsonSchemaValidator::Compiled::Pattern>
JsonSchemaValidator::Compiled::compilePattern(const std::string &location, const json &source)
{
    if (!source.is_string()) {
        problem(location, "pattern is not a string");
        return std::nullopt;
    }
    const std::string &text = source.get_ref<const std::string &>();
    auto regex = std::make_shared<const EcmaRegex>(text);
    if (!regex->ok()) {
        problem(location, "regular expression '" + text + "' is not supported (" + regex->error() +
                              "); the rule is skipped");
        return std::nullopt;
    }
    return Pattern{text, std::move(regex)};
}

std::optional<std::uint64_t> JsonSchemaValidator::Compiled::count(const std::string &location,
                                                                  const json &value)
{
    if (value.is_number_unsigned() ||
        (value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
        return value.get<std::uint64_t>();
    }
    if (value.is_number_float() && isIntegral(value) && value.get<double>() >= 0) {
        // 1e21 does not fit: converting it is undefined behaviour (UBSan, found by fuzzing). A
        // count that large is as good as no limit, and as impossible as a minimum.
        constexpr double kTwoTo64 = 18446744073709551616.0;
        if (value.get<double>() >= kTwoTo64)
            return std::numeric_limits<std::uint64_t>::max();
        return static_cast<std::uint64_t>(value.get<double>());
    }
    problem(location, "expected a non-negative integer");
    return std::nullopt;
}

const json *JsonSchemaValidator::Compiled::number(const std::string &location, const json &value)
{
    if (!value.is_number()) {
        problem(location, "expected a number");
        return nullptr;
    }
    return &value;
}

JsonSchemaValidator::Compiled::Node *
JsonSchemaValidator::Compiled::compile(const json &s, const std::string &location)
{
    if (const auto it = byLocation.find(location); it != byLocation.end()) {
        return it->second;
    }
    Node &node = nodes.emplace_back();
    node.location = location;
    byLocation.emplace(location, &node);
    if (depth >= kMaxDepth) {
        problem(location, "schema nested deeper than " + std::to_string(kMaxDepth) +
                              " levels; this subschema rejects every value");
        node.kind = Node::Kind::AlwaysFalse;
        return &node;
    }
    ++depth;
    const struct Leave
    {
        int &depth;
        ~Leave() { --depth; }
    } leave{depth};

    if (s.is_boolean()) {
        node.kind = s.get<bool>() ? Node::Kind::AlwaysTrue : Node::Kind::AlwaysFalse;
        return &node;
    }
    if (!s.is_object()) {
        problem(location, "a schema must be an object or a boolean");
        node.kind = Node::Kind::AlwaysTrue;
        return &node;
    }
    if (const auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
        // Draft 7: keywords next to $ref are ignored.
        node.isRef = true;
        node.ref = ref->get<std::string>();
        pendingRefs.push_back(&node);
        return &node;
    }

    auto sub = [&](const char *keyword) {
        std::string child = location;
        appendPointerToken(child, keyword);
        return child;
    };
    auto subKey = [&](const char *keyword, std::string_view key) {
        std::string child = sub(keyword);
        appendPointerToken(child, key);
        return child;
    };
    auto subIndex = [&](const char *keyword, std::size_t index) {
        return sub(keyword) + '/' + std::to_string(index);
    };

    for (const auto &[key, value] : s.items()) {
        if (key == "type") {
            const json list = value.is_array() ? value : json::array({value});
            for (const json &name : list) {
                unsigned bit = 0;
                for (const auto &[typeNameText, typeBit] : kTypeNames) {
                    if (name.is_string() && name.get<std::string>() == typeNameText) {
                        bit = typeBit;
                    }
                }
                if (bit == 0) {
                    problem(sub("type"), "unknown type " + shortDump(name));
                }
                node.types |= bit;
            }
            node.declaredTypes = node.types;
            if ((node.types & NumberBit) != 0) {
                node.types |= IntegerBit;
            }
        } else if (key == "enum") {
            if (value.is_array()) {
                node.enumValues = &value;
            } else {
                problem(sub("enum"), "expected an array");
            }
        } else if (key == "const") {
            node.constValue = &value;
        } else if (key == "minimum") {
            node.minimum = number(sub("minimum"), value);
        } else if (key == "maximum") {
            node.maximum = number(sub("maximum"), value);
        } else if (key == "exclusiveMinimum") {
            node.exclusiveMinimum = number(sub("exclusiveMinimum"), value);
        } else if (key == "exclusiveMaximum") {
            node.exclusiveMaximum = number(sub("exclusiveMaximum"), value);
        } else if (key == "multipleOf") {
            node.multipleOf = number(sub("multipleOf"), value);
            if (node.multipleOf != nullptr && node.multipleOf->get<double>() <= 0) {
                problem(sub("multipleOf"), "must be greater than 0");
                node.multipleOf = nullptr;
            }
        } else if (key == "minLength") {
            node.minLength = count(sub("minLength"), value);
        } else if (key == "maxLength") {
            node.maxLength = count(sub("maxLength"), value);
        } else if (key == "minItems") {
            node.minItems = count(sub("minItems"), value);
        } else if (key == "maxItems") {
            node.maxItems = count(sub("maxItems"), value);
        } else if (key == "minProperties") {
            node.minProperties = count(sub("minProperties"), value);
        } else if (key == "maxProperties") {
            node.maxProperties = count(sub("maxProperties"), value);
        } else if (key == "pattern") {
            node.pattern = compilePattern(sub("pattern"), value);
        } else if (key == "properties" && value.is_object()) {
            for (const auto &[name, child] : value.items()) {
                node.properties.emplace_back(name, compile(child, subKey("properties", name)));
            }
            std::sort(node.properties.begin(), node.properties.end(),
                      [](const auto &a, const auto &b) { return a.first < b.first; });
        } else if (key == "required" && value.is_array()) {
            for (const json &name : value) {
                if (name.is_string()) {
                    node.required.push_back(name.get<std::string>());
                }
            }
        } else if (key == "additionalProperties") {
            node.additionalProperties = compile(value, sub("additionalProperties"));
        } else if (key == "patternProperties" && value.is_object()) {
            for (const auto &[source, child] : value.items()) {
                const std::string at = subKey("patternProperties", source);
                if (auto compiled = compilePattern(at, json(source))) {
                    node.patternProperties.emplace_back(std::move(*compiled), compile(child, at));
                }
            }
        } else if (key == "propertyNames") {
            node.propertyNames = compile(value, sub("propertyNames"));
        } else if (key == "dependencies" && value.is_object()) {
            for (const auto &[name, dependency] : value.items()) {
                if (dependency.is_array()) {
                    std::vector<std::string> names;
                    for (const json &n : dependency) {
                        if (n.is_string()) {
                            names.push_back(n.get<std::string>());
                        }
                    }
                    node.propertyDependencies.emplace_back(name, std::move(names));
                } else {
                    node.schemaDependencies.emplace_back(
                        name, compile(dependency, subKey("dependencies", name)));
                }
            }
        } else if (key == "items") {
            if (value.is_array()) {
                node.tuple = true;
                for (std::size_t i = 0; i < value.size(); ++i) {
                    node.tupleItems.push_back(compile(value[i], subIndex("items", i)));
                }
            } else {
                node.items = compile(value, sub("items"));
            }
        } else if (key == "additionalItems") {
            node.additionalItems = compile(value, sub("additionalItems"));
        } else if (key == "contains") {
            node.contains = compile(value, sub("contains"));
        } else if (key == "uniqueItems") {
            node.uniqueItems = value.is_boolean() && value.get<bool>();
        } else if ((key == "allOf" || key == "anyOf" || key == "oneOf") && value.is_array()) {
            auto &list = key == "allOf" ? node.allOf : (key == "anyOf" ? node.anyOf : node.oneOf);
            for (std::size_t i = 0; i < value.size(); ++i) {
                list.push_back(compile(value[i], subIndex(key.c_str(), i)));
            }
        } else if (key == "not") {
            node.notNode = compile(value, sub("not"));
        } else if (key == "if") {
            node.ifNode = compile(value, sub("if"));
        } else if (key == "then") {
            node.thenNode = compile(value, sub("then"));
        } else if (key == "else") {
            node.elseNode = compile(value, sub("else"));
        }
        // Everything else (format, title, description, default, examples, $comment,
        // definitions/$defs, content*) is an annotation or only reachable through $ref.
    }
    if (!node.tuple) {
        node.additionalItems = nullptr; // only meaningful next to the tuple form of items
    }
    return &node;
}

void JsonSchemaValidator::Compiled::resolve(Node &node)
{
    const std::string &ref = node.ref;
    if (ref.empty() || ref.front() != '#') {
        node.refProblem = "cannot resolve $ref '" + ref +
                          "': only local references ('#...') "
                          "are supported";
        problem(node.location, node.refProblem);
        return;
    }
    const auto fragment = percentDecode(std::string_view(ref).substr(1));
    if (!fragment || (!fragment->empty() && fragment->front() != '/')) {
        node.refProblem = "cannot resolve $ref '" + ref + "': not a JSON Pointer fragment";
        problem(node.location, node.refProblem);
        return;
    }
    const json *target = &schema;
    std::string location = "#";
    std::size_t pos = 0;
    while (pos < fragment->size()) {
        const std::size_t next = std::min(fragment->find('/', pos + 1), fragment->size());
        std::string token;
        for (std::size_t i = pos + 1; i < next; ++i) {
            const char c = (*fragment)[i];
            if (c == '~' && i + 1 < next &&
                ((*fragment)[i + 1] == '0' || (*fragment)[i + 1] == '1')) {
                token.push_back((*fragment)[i + 1] == '0' ? '~' : '/');
                ++i;
            } else {
                token.push_back(c);
            }
        }
        pos = next;
        if (target->is_object()) {
            const auto it = target->find(token);
            target = it == target->end() ? nullptr : &*it;
        } else if (target->is_array() && !token.empty() &&
                   token.find_first_not_of("0123456789") == std::string::npos &&
                   token.size() < 10 && std::stoul(token) < target->size()) {
            target = &(*target)[std::stoul(token)];
        } else {
            target = nullptr;
        }
        if (target == nullptr) {
            node.refProblem = "cannot resolve $ref '" + ref + "': no such location in the schema";
            problem(node.location, node.refProblem);
            return;
        }
        appendPointerToken(location, token);
    }
    node.refTarget = compile(*target, location);
}

} // namespace crucible
