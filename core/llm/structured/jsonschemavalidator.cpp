#include "core/llm/structured/jsonschemavalidator.h"

#include "core/llm/structured/schemacompiled.h"
#include "core/llm/structured/schemasupport.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

namespace crucible {

using nlohmann::json;
using namespace schemasupport;

namespace {

using Compiled = JsonSchemaValidator::Compiled;
using Node = Compiled::Node;

// Walks one instance. With m_errors == nullptr it only answers valid/invalid and stops early.
class Evaluator
{
public:
    Evaluator(std::vector<SchemaError> *errors, std::size_t maxErrors)
        : m_errors(errors)
        , m_maxErrors(maxErrors)
    {
    }

    bool eval(const Node &node, const json &value)
    {
        // Each level of the instance and each $ref nests one call deeper; bound the recursion.
        if (m_depth >= kMaxDepth) {
            return report(node, "nesting",
                          "the value and schema nest deeper than " + std::to_string(kMaxDepth) +
                              " levels; validation stops here");
        }
        ++m_depth;
        const struct Leave
        {
            int &depth;
            ~Leave() { --depth; }
        } leave{m_depth};
        switch (node.kind) {
        case Node::Kind::AlwaysTrue:
            return true;
        case Node::Kind::AlwaysFalse:
            return report(node, "false", "no value is allowed here (the schema is false)");
        case Node::Kind::Schema:
            break;
        }
        if (node.isRef) {
            return evalRef(node, value);
        }
        bool valid = true;
        // Marks the value invalid; true means "stop now" (boolean mode needs no further checks).
        auto fail = [&]() {
            valid = false;
            return m_errors == nullptr;
        };
        if (node.types != 0 && (node.types & typeBits(value)) == 0) {
            report(node, "type",
                   "expected " + typeList(node.declaredTypes) + ", got " + typeName(value));
            if (fail()) {
                return false;
            }
        }
        if (node.enumValues != nullptr &&
            std::none_of(node.enumValues->begin(), node.enumValues->end(),
                         [&](const json &option) { return jsonEqual(option, value); })) {
            report(node, "enum",
                   "expected one of " + shortDump(*node.enumValues, 200) + ", got " +
                       shortDump(value));
            if (fail()) {
                return false;
            }
        }
        if (node.constValue != nullptr && !jsonEqual(*node.constValue, value)) {
            report(node, "const",
                   "expected " + shortDump(*node.constValue) + ", got " + shortDump(value));
            if (fail()) {
                return false;
            }
        }
        bool typed = true;
        if (value.is_number()) {
            typed = checkNumber(node, value);
        } else if (value.is_string()) {
            typed = checkString(node, value.get_ref<const std::string &>());
        } else if (value.is_array()) {
            typed = checkArray(node, value);
        } else if (value.is_object()) {
            typed = checkObject(node, value);
        }
        if (!typed && fail()) {
            return false;
        }
        for (const Node *part : node.allOf) {
            if (!eval(*part, value) && fail()) {
                return false;
            }
        }
        if (!node.anyOf.empty() && !checkAnyOf(node, value) && fail()) {
            return false;
        }
        if (!node.oneOf.empty() && !checkOneOf(node, value) && fail()) {
            return false;
        }
        if (node.notNode != nullptr && test(*node.notNode, value)) {
            report(node, "not", "the value must not match the schema under 'not'");
            if (fail()) {
                return false;
            }
        }
        if (node.ifNode != nullptr) {
            const Node *branch = test(*node.ifNode, value) ? node.thenNode : node.elseNode;
            if (branch != nullptr && !eval(*branch, value) && fail()) {
                return false;
            }
        }
        return valid;
    }

private:
    // Appends a path segment for the lifetime of the guard.
    class PathGuard
    {
    public:
        PathGuard(std::string &path, std::string_view token)
            : m_path(path)
            , m_size(path.size())
        {
            appendPointerToken(path, token);
        }
        PathGuard(std::string &path, std::size_t index)
            : m_path(path)
            , m_size(path.size())
        {
            path.push_back('/');
            path += std::to_string(index);
        }
        ~PathGuard() { m_path.resize(m_size); }
        PathGuard(const PathGuard &) = delete;
        PathGuard &operator=(const PathGuard &) = delete;

    private:
        std::string &m_path;
        std::size_t m_size;
    };

    bool report(const Node &node, const char *keyword, std::string message)
    {
        if (m_errors != nullptr && m_errors->size() < m_maxErrors) {
            std::string schemaPath = node.location;
            if (std::string_view(keyword) != "false") {
                appendPointerToken(schemaPath, keyword);
            }
            m_errors->push_back({m_path, keyword, std::move(schemaPath), std::move(message)});
        }
        return false;
    }

    // Validity only, without recording errors.
    bool test(const Node &node, const json &value)
    {
        std::vector<SchemaError> *saved = std::exchange(m_errors, nullptr);
        const bool ok = eval(node, value);
        m_errors = saved;
        return ok;
    }

    std::vector<SchemaError> collect(const Node &node, const json &value)
    {
        std::vector<SchemaError> errors;
        std::vector<SchemaError> *saved = std::exchange(m_errors, &errors);
        const std::size_t savedMax = std::exchange(m_maxErrors, 50);
        eval(node, value);
        m_errors = saved;
        m_maxErrors = savedMax;
        return errors;
    }

    bool evalRef(const Node &node, const json &value)
    {
        if (node.refTarget == nullptr) {
            return report(node, "$ref", node.refProblem);
        }
        // A $ref that comes back to itself for the same instance value would never end.
        for (const auto &[ref, instance] : m_refStack) {
            if (ref == &node && instance == &value) {
                return report(node, "$ref",
                              "circular $ref '" + node.ref + "' does not descend into the value");
            }
        }
        if (m_refStack.size() >= 2000) {
            return report(node, "$ref", "schema recursion deeper than 2000 levels");
        }
        m_refStack.emplace_back(&node, &value);
        const bool ok = eval(*node.refTarget, value);
        m_refStack.pop_back();
        return ok;
    }

    bool checkNumber(const Node &node, const json &value)
    {
        bool valid = true;
        if (node.minimum != nullptr && compareNumbers(value, *node.minimum) < 0) {
            valid = report(node, "minimum",
                           "expected a value >= " + numberText(*node.minimum) + ", got " +
                               numberText(value));
        }
        if (node.maximum != nullptr && compareNumbers(value, *node.maximum) > 0) {
            valid = report(node, "maximum",
                           "expected a value <= " + numberText(*node.maximum) + ", got " +
                               numberText(value));
        }
        if (node.exclusiveMinimum != nullptr &&
            compareNumbers(value, *node.exclusiveMinimum) <= 0) {
            valid = report(node, "exclusiveMinimum",
                           "expected a value > " + numberText(*node.exclusiveMinimum) + ", got " +
                               numberText(value));
        }
        if (node.exclusiveMaximum != nullptr &&
            compareNumbers(value, *node.exclusiveMaximum) >= 0) {
            valid = report(node, "exclusiveMaximum",
                           "expected a value < " + numberText(*node.exclusiveMaximum) + ", got " +
                               numberText(value));
        }
        if (node.multipleOf != nullptr && !isMultipleOf(value, *node.multipleOf)) {
            valid = report(node, "multipleOf",
                           "expected a multiple of " + numberText(*node.multipleOf) + ", got " +
                               numberText(value));
        }
        return valid;
    }

    bool checkString(const Node &node, const std::string &text)
    {
        bool valid = true;
        if (node.minLength || node.maxLength) {
            const std::size_t length = codePoints(text);
            if (node.minLength && length < *node.minLength) {
                valid = report(node, "minLength",
                               "expected at least " + std::to_string(*node.minLength) +
                                   " characters, got " + std::to_string(length));
                if (m_errors == nullptr) {
                    return false;
                }
            }
            if (node.maxLength && length > *node.maxLength) {
                valid = report(node, "maxLength",
                               "expected at most " + std::to_string(*node.maxLength) +
                                   " characters, got " + std::to_string(length));
                if (m_errors == nullptr) {
                    return false;
                }
            }
        }
        if (node.pattern && !node.pattern->search(text)) {
            valid =
                report(node, "pattern",
                       "the string " + shortDump(json(text), 60) + " does not match the pattern " +
                           shortDump(json(node.pattern->source)));
        }
        return valid;
    }

    bool checkArray(const Node &node, const json &array)
    {
        bool valid = true;
        const std::size_t size = array.size();
        if (node.minItems && size < *node.minItems) {
            valid = report(node, "minItems",
                           "expected at least " + std::to_string(*node.minItems) + " items, got " +
                               std::to_string(size));
            if (m_errors == nullptr) {
                return false;
            }
        }
        if (node.maxItems && size > *node.maxItems) {
            valid = report(node, "maxItems",
                           "expected at most " + std::to_string(*node.maxItems) + " items, got " +
                               std::to_string(size));
            if (m_errors == nullptr) {
                return false;
            }
        }
        if (node.uniqueItems) {
            if (const auto pair = findDuplicate(array)) {
                valid = report(node, "uniqueItems",
                               "items " + std::to_string(pair->first) + " and " +
                                   std::to_string(pair->second) + " are equal (" +
                                   shortDump(array[pair->first]) + ")");
                if (m_errors == nullptr) {
                    return false;
                }
            }
        }
        if (node.tuple) {
            for (std::size_t i = 0; i < size; ++i) {
                bool ok = true;
                if (i < node.tupleItems.size()) {
                    PathGuard guard(m_path, i);
                    ok = eval(*node.tupleItems[i], array[i]);
                } else if (node.additionalItems != nullptr) {
                    if (node.additionalItems->kind == Node::Kind::AlwaysFalse) {
                        ok = report(node, "additionalItems",
                                    "expected at most " + std::to_string(node.tupleItems.size()) +
                                        " items, got " + std::to_string(size));
                        valid = false;
                        break;
                    }
                    PathGuard guard(m_path, i);
                    ok = eval(*node.additionalItems, array[i]);
                } else {
                    break;
                }
                if (!ok) {
                    valid = false;
                    if (m_errors == nullptr) {
                        return false;
                    }
                }
            }
        } else if (node.items != nullptr) {
            for (std::size_t i = 0; i < size; ++i) {
                PathGuard guard(m_path, i);
                if (!eval(*node.items, array[i])) {
                    valid = false;
                    if (m_errors == nullptr) {
                        return false;
                    }
                }
            }
        }
        if (node.contains != nullptr) {
            const bool any = std::any_of(array.begin(), array.end(), [&](const json &item) {
                return test(*node.contains, item);
            });
            if (!any) {
                valid = report(node, "contains", "no item matches the schema under 'contains'");
            }
        }
        return valid;
    }

    std::optional<std::pair<std::size_t, std::size_t>> findDuplicate(const json &array)
    {
        const std::size_t size = array.size();
        // nlohmann's < and == recurse: deep items are compared pairwise without recursion.
        const bool deep = std::any_of(array.begin(), array.end(),
                                      [](const json &item) { return nestsDeeperThan(item, 100); });
        if (size <= 32 || deep) {
            for (std::size_t i = 0; i < size; ++i) {
                for (std::size_t j = i + 1; j < size; ++j) {
                    if (jsonEqual(array[i], array[j])) {
                        return std::make_pair(i, j);
                    }
                }
            }
            return std::nullopt;
        }
        std::vector<std::size_t> order(size);
        for (std::size_t i = 0; i < size; ++i) {
            order[i] = i;
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return array[a] < array[b]; });
        std::optional<std::pair<std::size_t, std::size_t>> best;
        for (std::size_t k = 1; k < size; ++k) {
            if (array[order[k - 1]] == array[order[k]]) {
                const auto pair = std::minmax(order[k - 1], order[k]);
                if (!best || pair.second < best->second) {
                    best = pair;
                }
            }
        }
        return best;
    }

    bool checkObject(const Node &node, const json &object)
    {
        bool valid = true;
        auto fail = [&]() {
            valid = false;
            return m_errors == nullptr;
        };
        const std::size_t size = object.size();
        if (node.minProperties && size < *node.minProperties) {
            report(node, "minProperties",
                   "expected at least " + std::to_string(*node.minProperties) +
                       " properties, got " + std::to_string(size));
            if (fail()) {
                return false;
            }
        }
        if (node.maxProperties && size > *node.maxProperties) {
            report(node, "maxProperties",
                   "expected at most " + std::to_string(*node.maxProperties) + " properties, got " +
                       std::to_string(size));
            if (fail()) {
                return false;
            }
        }
        for (const std::string &name : node.required) {
            if (!object.contains(name)) {
                report(node, "required", "missing required property " + shortDump(json(name)));
                if (fail()) {
                    return false;
                }
            }
        }
        for (const auto &[name, needed] : node.propertyDependencies) {
            if (!object.contains(name)) {
                continue;
            }
            for (const std::string &other : needed) {
                if (!object.contains(other)) {
                    report(node, "dependencies",
                           "property " + shortDump(json(other)) + " is required when " +
                               shortDump(json(name)) + " is present");
                    if (fail()) {
                        return false;
                    }
                }
            }
        }
        for (const auto &[name, schema] : node.schemaDependencies) {
            if (object.contains(name) && !eval(*schema, object)) {
                if (fail()) {
                    return false;
                }
            }
        }
        const bool walkProperties = !node.properties.empty() || !node.patternProperties.empty() ||
                                    node.additionalProperties != nullptr ||
                                    node.propertyNames != nullptr;
        if (!walkProperties) {
            return valid;
        }
        for (const auto &[name, child] : object.items()) {
            if (node.propertyNames != nullptr && !test(*node.propertyNames, json(name))) {
                std::string detail;
                if (m_errors != nullptr) {
                    const auto errors = collect(*node.propertyNames, json(name));
                    if (!errors.empty()) {
                        detail = ": " + errors.front().keyword + ": " + errors.front().message;
                    }
                }
                report(node, "propertyNames",
                       "property name " + shortDump(json(name)) + " is not allowed" + detail);
                if (fail()) {
                    return false;
                }
            }
            bool matched = false;
            PathGuard guard(m_path, std::string_view(name));
            const auto it = std::lower_bound(
                node.properties.begin(), node.properties.end(), name,
                [](const auto &entry, const std::string &key) { return entry.first < key; });
            if (it != node.properties.end() && it->first == name) {
                matched = true;
                if (!eval(*it->second, child) && fail()) {
                    return false;
                }
            }
            for (const auto &[pattern, schema] : node.patternProperties) {
                if (pattern.search(name)) {
                    matched = true;
                    if (!eval(*schema, child) && fail()) {
                        return false;
                    }
                }
            }
            if (!matched && node.additionalProperties != nullptr) {
                if (node.additionalProperties->kind == Node::Kind::AlwaysFalse) {
                    report(node, "additionalProperties",
                           "property " + shortDump(json(name)) + " is not allowed" +
                               allowedList(node));
                    if (fail()) {
                        return false;
                    }
                } else if (!eval(*node.additionalProperties, child) && fail()) {
                    return false;
                }
            }
        }
        return valid;
    }

    static std::string allowedList(const Node &node)
    {
        if (node.properties.empty() || !node.patternProperties.empty()) {
            return {};
        }
        std::string out = " (allowed: ";
        for (std::size_t i = 0; i < node.properties.size() && i < 20; ++i) {
            out += (i == 0 ? "" : ", ") + node.properties[i].first;
        }
        return out + (node.properties.size() > 20 ? ", ...)" : ")");
    }

    // Describes why no alternative matched, using the closest one: the alternative whose errors
    // are not a type mismatch at this very location, then the one with the fewest errors.
    std::string closestAlternative(const std::vector<const Node *> &alternatives, const json &value)
    {
        std::size_t bestIndex = 0;
        std::vector<SchemaError> best;
        bool bestTypeMismatch = true;
        for (std::size_t i = 0; i < alternatives.size(); ++i) {
            auto errors = collect(*alternatives[i], value);
            const bool typeMismatch =
                std::any_of(errors.begin(), errors.end(), [&](const SchemaError &e) {
                    return (e.keyword == "type" || e.keyword == "const" || e.keyword == "enum" ||
                            e.keyword == "false") &&
                           e.instancePath == m_path;
                });
            const bool better = i == 0 || (bestTypeMismatch && !typeMismatch) ||
                                (bestTypeMismatch == typeMismatch && errors.size() < best.size());
            if (better) {
                bestIndex = i;
                best = std::move(errors);
                bestTypeMismatch = typeMismatch;
            }
        }
        std::string out = "; closest is #" + std::to_string(bestIndex);
        for (std::size_t i = 0; i < best.size() && i < 3; ++i) {
            out += (i == 0 ? ": " : "; ") + best[i].toString();
        }
        if (best.size() > 3) {
            out += "; ...";
        }
        return out;
    }

    bool checkAnyOf(const Node &node, const json &value)
    {
        for (const Node *alternative : node.anyOf) {
            if (test(*alternative, value)) {
                return true;
            }
        }
        if (m_errors == nullptr) {
            return false;
        }
        return report(node, "anyOf",
                      "the value matches none of the " + std::to_string(node.anyOf.size()) +
                          " alternatives" + closestAlternative(node.anyOf, value));
    }

    bool checkOneOf(const Node &node, const json &value)
    {
        std::vector<std::size_t> matching;
        for (std::size_t i = 0; i < node.oneOf.size() && matching.size() < 2; ++i) {
            if (test(*node.oneOf[i], value)) {
                matching.push_back(i);
            }
        }
        if (matching.size() == 1) {
            return true;
        }
        if (m_errors == nullptr) {
            return false;
        }
        if (matching.empty()) {
            return report(node, "oneOf",
                          "the value matches none of the " + std::to_string(node.oneOf.size()) +
                              " alternatives" + closestAlternative(node.oneOf, value));
        }
        return report(node, "oneOf",
                      "the value matches alternatives #" + std::to_string(matching[0]) + " and #" +
                          std::to_string(matching[1]) + " but must match exactly one");
    }

    std::vector<SchemaError> *m_errors;
    std::size_t m_maxErrors;
    std::string m_path;
    std::vector<std::pair<const Node *, const json *>> m_refStack;
    static constexpr int kMaxDepth = 500;
    int m_depth = 0;
};

} // namespace

std::string SchemaError::toString() const
{
    return (instancePath.empty() ? std::string("(root)") : instancePath) + ": " + keyword + ": " +
           message;
}

JsonSchemaValidator::JsonSchemaValidator(nlohmann::json schema)
{
    auto compiled = std::make_shared<Compiled>();
    compiled->schema = std::move(schema);
    compiled->build();
    m_compiled = std::move(compiled);
}

std::vector<SchemaError> JsonSchemaValidator::validate(const nlohmann::json &instance,
                                                       std::size_t maxErrors) const
{
    std::vector<SchemaError> errors;
    Evaluator evaluator(&errors, std::max<std::size_t>(maxErrors, 1));
    evaluator.eval(*m_compiled->root, instance);
    return errors;
}

bool JsonSchemaValidator::isValid(const nlohmann::json &instance) const
{
    Evaluator evaluator(nullptr, 0);
    return evaluator.eval(*m_compiled->root, instance);
}

const std::vector<std::string> &JsonSchemaValidator::schemaProblems() const
{
    return m_compiled->problems;
}

const nlohmann::json &JsonSchemaValidator::schema() const
{
    return m_compiled->schema;
}

std::string JsonSchemaValidator::formatErrors(const std::vector<SchemaError> &errors,
                                              std::size_t limit)
{
    std::string out;
    const std::size_t shown = std::min(limit, errors.size());
    for (std::size_t i = 0; i < shown; ++i) {
        out += "- " + errors[i].toString() + '\n';
    }
    if (errors.size() > shown) {
        out += "- ... and " + std::to_string(errors.size() - shown) + " more error(s)\n";
    }
    return out;
}

} // namespace crucible
