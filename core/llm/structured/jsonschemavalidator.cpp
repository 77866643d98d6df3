#include "core/llm/structured/jsonschemavalidator.h"

#include "core/llm/structured/ecmaregex.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <utility>

namespace crucible {

using nlohmann::json;

namespace {

enum TypeBit : unsigned {
    NullBit = 1U << 0,
    BooleanBit = 1U << 1,
    ObjectBit = 1U << 2,
    ArrayBit = 1U << 3,
    NumberBit = 1U << 4,
    StringBit = 1U << 5,
    IntegerBit = 1U << 6,
};

constexpr std::pair<const char *, unsigned> kTypeNames[] = {
    {"null", NullBit},     {"boolean", BooleanBit}, {"object", ObjectBit},   {"array", ArrayBit},
    {"number", NumberBit}, {"string", StringBit},   {"integer", IntegerBit},
};

bool isIntegral(const json &value)
{
    if (value.is_number_integer()) {
        return true;
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

unsigned typeBits(const json &value)
{
    switch (value.type()) {
    case json::value_t::null:
        return NullBit;
    case json::value_t::boolean:
        return BooleanBit;
    case json::value_t::object:
        return ObjectBit;
    case json::value_t::array:
        return ArrayBit;
    case json::value_t::string:
        return StringBit;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return NumberBit | IntegerBit;
    case json::value_t::number_float:
        return NumberBit | (isIntegral(value) ? IntegerBit : 0U);
    default:
        return 0;
    }
}

std::string typeName(const json &value)
{
    if (value.is_number()) {
        return isIntegral(value) ? "integer" : "number";
    }
    return value.type_name();
}

std::string typeList(unsigned bits)
{
    std::vector<std::string> names;
    for (const auto &[name, bit] : kTypeNames) {
        if ((bits & bit) != 0) {
            names.emplace_back(name);
        }
    }
    if (names.size() == 1) {
        return names.front();
    }
    std::string out = "one of ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
    }
    return out;
}

std::string shortDump(const json &value, std::size_t limit = 80)
{
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > limit) {
        text.resize(limit);
        text += "...";
    }
    return text;
}

std::string numberText(const json &value)
{
    return value.dump();
}

// -1, 0, 1; exact when both are integers (signed or unsigned 64-bit), via double otherwise.
int compareNumbers(const json &a, const json &b)
{
    if (a.is_number_integer() && b.is_number_integer()) {
        const bool aNeg = a.is_number_unsigned() ? false : a.get<std::int64_t>() < 0;
        const bool bNeg = b.is_number_unsigned() ? false : b.get<std::int64_t>() < 0;
        if (aNeg != bNeg) {
            return aNeg ? -1 : 1;
        }
        if (aNeg) {
            const auto x = a.get<std::int64_t>();
            const auto y = b.get<std::int64_t>();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const auto x = a.get<std::uint64_t>();
        const auto y = b.get<std::uint64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

std::uint64_t magnitude(const json &value)
{
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    const auto v = value.get<std::int64_t>();
    return v < 0 ? std::uint64_t(0) - std::uint64_t(v) : std::uint64_t(v);
}

bool isMultipleOf(const json &value, const json &divisor)
{
    if (value.is_number_integer() && divisor.is_number_integer()) {
        const std::uint64_t d = magnitude(divisor);
        return d == 0 || magnitude(value) % d == 0;
    }
    const double x = value.get<double>();
    const double d = divisor.get<double>();
    if (d == 0) {
        return true;
    }
    const double q = x / d;
    if (!std::isfinite(q)) {
        return false;
    }
    // Decimal divisors such as 0.01 are not exact in binary; accept a relative rounding error.
    return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
}

std::size_t codePoints(const std::string &text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

void appendPointerToken(std::string &pointer, std::string_view token)
{
    pointer.push_back('/');
    for (const char c : token) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer.push_back(c);
        }
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> percentDecode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = hexValue(text[i + 1]);
        const int lo = hexValue(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

} // namespace

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

    void build()
    {
        root = compile(schema, "#");
        // Refs are resolved after the tree is built; resolving may compile further subschemas
        // (and queue their refs), and memoisation by location makes cycles terminate.
        for (std::size_t i = 0; i < pendingRefs.size(); ++i) {
            resolve(*pendingRefs[i]);
        }
        pendingRefs.clear();
    }

    void problem(const std::string &location, const std::string &text)
    {
        problems.push_back(location + ": " + text);
    }

    std::optional<Pattern> compilePattern(const std::string &location, const json &source)
    {
        if (!source.is_string()) {
            problem(location, "pattern is not a string");
            return std::nullopt;
        }
        const std::string &text = source.get_ref<const std::string &>();
        auto regex = std::make_shared<const EcmaRegex>(text);
        if (!regex->ok()) {
            problem(location, "regular expression '" + text + "' is not supported (" +
                                  regex->error() + "); the rule is skipped");
            return std::nullopt;
        }
        return Pattern{text, std::move(regex)};
    }

    std::optional<std::uint64_t> count(const std::string &location, const json &value)
    {
        if (value.is_number_unsigned() ||
            (value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
            return value.get<std::uint64_t>();
        }
        if (value.is_number_float() && isIntegral(value) && value.get<double>() >= 0) {
            return static_cast<std::uint64_t>(value.get<double>());
        }
        problem(location, "expected a non-negative integer");
        return std::nullopt;
    }

    const json *number(const std::string &location, const json &value)
    {
        if (!value.is_number()) {
            problem(location, "expected a number");
            return nullptr;
        }
        return &value;
    }

    Node *compile(const json &s, const std::string &location)
    {
        if (const auto it = byLocation.find(location); it != byLocation.end()) {
            return it->second;
        }
        Node &node = nodes.emplace_back();
        node.location = location;
        byLocation.emplace(location, &node);

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
                        node.patternProperties.emplace_back(std::move(*compiled),
                                                            compile(child, at));
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
                auto &list =
                    key == "allOf" ? node.allOf : (key == "anyOf" ? node.anyOf : node.oneOf);
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

    void resolve(Node &node)
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
                node.refProblem =
                    "cannot resolve $ref '" + ref + "': no such location in the schema";
                problem(node.location, node.refProblem);
                return;
            }
            appendPointerToken(location, token);
        }
        node.refTarget = compile(*target, location);
    }
};

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
                         [&](const json &option) { return option == value; })) {
            report(node, "enum",
                   "expected one of " + shortDump(*node.enumValues, 200) + ", got " +
                       shortDump(value));
            if (fail()) {
                return false;
            }
        }
        if (node.constValue != nullptr && !(*node.constValue == value)) {
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
        if (size <= 32) {
            for (std::size_t i = 0; i < size; ++i) {
                for (std::size_t j = i + 1; j < size; ++j) {
                    if (array[i] == array[j]) {
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
