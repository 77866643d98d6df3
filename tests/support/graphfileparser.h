#pragma once
// Reads back what GraphExporter writes, independently of it, for tests: the Cypher script
// (statements split the way cypher-shell splits them, literal lists parsed) and the
// neo4j-admin CSV folder (RFC 4180 quoting, typed headers). Both give the same shape so a test
// can compare them.

#include <QString>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace crucible::test {

struct ParsedRelationship
{
    std::string type, fromLabel, from, toLabel, to;
    nlohmann::json props = nlohmann::json::object();

    // A comparable form: "TYPE fromLabel:from -> toLabel:to {props}".
    std::string key() const;
};

struct ParsedGraph
{
    std::map<std::string, std::map<std::string, nlohmann::json>> nodes; // label -> id -> props
    std::vector<ParsedRelationship> relationships;
    std::vector<std::string> constraintLabels;          // Cypher: in script order
    std::vector<std::string> statementKinds;            // Cypher: "constraint", "nodes:L", "rels:T"
    std::map<std::string, std::vector<int>> batchSizes; // Cypher: rows per UNWIND, per label/type
    std::vector<std::string> errors;                    // anything that did not parse

    std::vector<std::string> relationshipKeys() const; // sorted
    // Relationships whose start or end node is not among the nodes.
    std::vector<std::string> danglingRelationships() const;
};

ParsedGraph parseCypherScript(const std::string &script);
ParsedGraph parseNeo4jCsvFolder(const QString &folder);

// Splits one CSV text into records of fields; quoted fields keep their content, an unquoted
// empty field is nullopt-like: returned as the marker string "\x01NULL".
std::vector<std::vector<std::string>> parseCsv(const std::string &text);
extern const char *const kCsvNull;

} // namespace crucible::test
