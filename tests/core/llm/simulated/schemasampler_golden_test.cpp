// The Simulated provider's sampler gives the same outputs for the same (schema, seed, topic) from
// one build to the next: a fingerprint of many samples, the prose and the topic words, recorded
// from the sampler as it was before it was split into core/llm/simulated/. A change of the
// generated text or values changes the fingerprint; when that change is intended, record the new
// value printed by the failing test.

#include "core/llm/simulated/schemasampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#ifndef CRUCIBLE_SCHEMA_SUITE_DIR
#define CRUCIBLE_SCHEMA_SUITE_DIR "/usr/share/json-schema-test-suite"
#endif

using crucible::SampleResult;
using crucible::SchemaSampler;
using nlohmann::json;

namespace {

// FNV-1a, 64 bits: the same on every platform.
class Fingerprint
{
public:
    void add(std::string_view text)
    {
        for (const char c : text) {
            m_hash ^= static_cast<unsigned char>(c);
            m_hash *= 0x100000001B3ULL;
        }
        m_hash ^= 0xFF; // separator
        m_hash *= 0x100000001B3ULL;
    }
    void add(const SampleResult &r)
    {
        add(r.ok() ? r.value.dump() : r.error.toStdString());
        add(std::to_string(r.attempts));
    }
    std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = 0xCBF29CE484222325ULL;
};

const QString kTopic = QStringLiteral(
    "Plan the weekly delivery routes of a bakery chain with twelve shops and three vans, "
    "keeping bread fresh and drivers within their shift hours.");

std::vector<json> schemas()
{
    return {
        json(true),
        json::parse(R"({"type": "object", "required": ["problem_statement", "constraints",
          "success_criteria", "rationale", "critique", "title", "author_name", "id", "email",
          "homepage", "created_at", "due_date", "domain", "complexity", "tags", "steps",
          "question", "answer", "summary", "is_valid", "score", "confidence", "year", "price",
          "duration_hours", "count", "percent"],
          "properties": {"problem_statement": {"type": "string", "minLength": 60},
            "constraints": {"type": "array", "items": {"type": "string"}, "minItems": 2},
            "success_criteria": {"type": "array", "items": {"type": "string"}},
            "rationale": {"type": "string"}, "critique": {"type": "string"},
            "title": {"type": "string"}, "author_name": {"type": "string"},
            "id": {"type": "string"}, "email": {"type": "string"},
            "homepage": {"type": "string"}, "created_at": {"type": "string"},
            "due_date": {"type": "string"}, "domain": {"type": "string"},
            "complexity": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 12},
                     "uniqueItems": true},
            "steps": {"type": "array", "items": {"type": "string"}},
            "question": {"type": "string"}, "answer": {"type": "string"},
            "summary": {"type": "string", "maxLength": 50}, "is_valid": {},
            "score": {}, "confidence": {"type": "number"}, "year": {"type": "integer"},
            "price": {"type": "number"}, "duration_hours": {"type": "number"},
            "count": {"type": "integer"}, "percent": {"type": "number"}}})"),
        json::parse(R"({"type": "object", "required": ["a", "b", "c", "d", "e", "f", "g", "h",
          "i", "j"], "properties": {
            "a": {"type": "string", "format": "date-time"},
            "b": {"type": "string", "format": "uuid"},
            "c": {"type": "string", "format": "ipv4"},
            "d": {"type": "string", "format": "ipv6"},
            "e": {"type": "string", "format": "hostname"},
            "f": {"type": "string", "format": "time"},
            "g": {"type": "string", "format": "json-pointer"},
            "h": {"type": "string", "format": "uri"},
            "i": {"type": "string", "minLength": 3, "maxLength": 4},
            "j": {"type": "string", "minLength": 300}}})"),
        json::parse(R"({"type": "array", "items": [
            {"type": "string", "pattern": "^[A-Z]{3}-\\d{2,4}(x|y)?$"},
            {"type": "string", "pattern": "^[^a-z]{4}[\\w.]+$", "maxLength": 20},
            {"type": "string", "pattern": "(?:ab|cd)+\\s*[\\x41-\\x43\\u00e9]{2}"},
            {"type": "string", "pattern": "^\\S+@\\S+\\.[a-z]{2,3}$"},
            {"type": "string", "pattern": "^(?=\\d)\\d+$"},
            {"type": "string", "pattern": "route", "minLength": 30}],
          "minItems": 6, "additionalItems": false})"),
        json::parse(R"({"type": "object", "minProperties": 4, "maxProperties": 6,
          "patternProperties": {"^x_": {"type": "integer", "multipleOf": 7}},
          "propertyNames": {"pattern": "^[a-z_]+$"},
          "properties": {"x_one": {"minimum": 10}, "name": {"type": "string"},
                         "kind": {"enum": ["van", "bike", "truck"]}, "never": false},
          "dependencies": {"name": ["kind"], "kind": {"required": ["x_one"]}},
          "additionalProperties": {"type": ["boolean", "null"]}})"),
        json::parse(R"({"definitions": {
            "stop": {"type": "object", "required": ["shop", "at"],
              "properties": {"shop": {"type": "string"}, "at": {"type": "string",
                "format": "time"}, "next": {"$ref": "#/definitions/stop"}}},
            "van": {"allOf": [{"$ref": "#/definitions/base"},
                              {"required": ["stops"], "properties": {"stops": {"type": "array",
                                "items": {"$ref": "#/definitions/stop"}, "minItems": 1}}}]},
            "base": {"type": "object", "required": ["plate"],
                     "properties": {"plate": {"type": "string", "pattern": "^[A-Z]{2}\\d{3}$"}}}},
          "type": "array", "items": {"$ref": "#/definitions/van"}, "minItems": 2})"),
        json::parse(R"({"anyOf": [{"type": "integer", "minimum": 5, "maximum": 9},
            {"type": "string", "enum": ["five", "nine"]}, {"type": "null"}],
          "not": {"const": 7}})"),
        json::parse(R"({"type": "object", "required": ["mode"], "properties": {
            "mode": {"enum": ["fast", "fresh"]}, "speed": {"type": "number"},
            "temperature": {"type": "number", "exclusiveMaximum": 8}},
          "if": {"properties": {"mode": {"const": "fast"}}},
          "then": {"required": ["speed"]}, "else": {"required": ["temperature"]}})"),
        json::parse(R"({"oneOf": [{"type": "number", "multipleOf": 0.25, "minimum": 1.1,
            "maximum": 2}, {"type": "boolean"}, {"type": "array", "contains": {"const": 3},
            "maxItems": 2}]})"),
        json::parse(R"({"type": ["string", "integer", "null"], "maxLength": 8, "maximum": -3})"),
        json::parse(R"({"type": "array", "items": {"enum": [1, 2]}, "minItems": 3,
          "uniqueItems": true})"),
        json::parse(R"({"$ref": "#/definitions/missing"})"),
    };
}

} // namespace

TEST(SchemaSamplerGolden, SameSamplesForTheSameSeeds)
{
#if defined(__clang__)
    // The fingerprints were recorded with GCC. Clang draws the sampler's random numbers in another
    // order (unspecified evaluation order of function arguments somewhere in the sampler), so the
    // same seed gives other, equally valid samples: a known cross-compiler difference, not fixed.
    GTEST_SKIP() << "fingerprints recorded with GCC; clang samples differ (see comment)";
#endif
    Fingerprint fp;
    for (const json &schema : schemas()) {
        const SchemaSampler sampler(schema);
        for (quint64 seed = 0; seed < 24; ++seed) {
            fp.add(sampler.sample(seed, kTopic));
            fp.add(sampler.sample(seed));
        }
    }
    SchemaSampler::Options small;
    small.maxDepth = 2;
    small.maxItems = 2;
    small.maxAttempts = 3;
    const SchemaSampler shallow(schemas()[5], small);
    for (quint64 seed = 0; seed < 24; ++seed)
        fp.add(shallow.sample(seed, kTopic));
    EXPECT_EQ(fp.value(), 0x4553e74e4dfc4a41ULL) << "fingerprint 0x" << std::hex << fp.value();
}

TEST(SchemaSamplerGolden, SameProseAndTopicWords)
{
#if defined(__clang__)
    // The fingerprints were recorded with GCC. Clang draws the sampler's random numbers in another
    // order (unspecified evaluation order of function arguments somewhere in the sampler), so the
    // same seed gives other, equally valid samples: a known cross-compiler difference, not fixed.
    GTEST_SKIP() << "fingerprints recorded with GCC; clang samples differ (see comment)";
#endif
    Fingerprint fp;
    for (const QString &hint :
         {QString(), QStringLiteral("rationale"), QStringLiteral("problem_statement"),
          QStringLiteral("constraints"), QStringLiteral("critique"), QStringLiteral("steps"),
          QStringLiteral("title"), QStringLiteral("answer"), QStringLiteral("question")}) {
        for (quint64 seed = 0; seed < 8; ++seed) {
            fp.add(SchemaSampler::prose(seed, kTopic, hint, 1 + static_cast<int>(seed % 4))
                       .toStdString());
            fp.add(SchemaSampler::prose(seed, QString(), hint).toStdString());
        }
    }
    fp.add(SchemaSampler::topicWords(kTopic).join(u',').toStdString());
    fp.add(SchemaSampler::topicWords(kTopic, 3).join(u',').toStdString());
    EXPECT_EQ(fp.value(), 0xe556b9d365789a3aULL) << "fingerprint 0x" << std::hex << fp.value();
}

// Every draft-7 test-suite schema, three seeds each: the widest spread of keywords.
TEST(SchemaSamplerGolden, SameSamplesForTheDraft7Suite)
{
#if defined(__clang__)
    // The fingerprints were recorded with GCC. Clang draws the sampler's random numbers in another
    // order (unspecified evaluation order of function arguments somewhere in the sampler), so the
    // same seed gives other, equally valid samples: a known cross-compiler difference, not fixed.
    GTEST_SKIP() << "fingerprints recorded with GCC; clang samples differ (see comment)";
#endif
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(CRUCIBLE_SCHEMA_SUITE_DIR) / "tests" / "draft7";
    if (!fs::exists(dir))
        GTEST_SKIP() << "json-schema-test-suite not installed at " << dir;
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    Fingerprint fp;
    int schemasSampled = 0;
    for (const fs::path &file : files) {
        std::ifstream in(file);
        for (const json &group : json::parse(in)) {
            const SchemaSampler sampler(group.at("schema"));
            for (quint64 seed = 1; seed <= 3; ++seed)
                fp.add(sampler.sample(seed, kTopic));
            ++schemasSampled;
        }
    }
    EXPECT_GT(schemasSampled, 100);
    EXPECT_EQ(fp.value(), 0xb0b242362bc1db9aULL)
        << "fingerprint 0x" << std::hex << fp.value() << std::dec << " over " << schemasSampled
        << " schemas";
}
