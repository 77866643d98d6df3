#include "tests/support/graphfileparser.h"

#include <QDir>
#include <QFile>
#include <algorithm>
#include <regex>
#include <set>

namespace crucible::test {

using nlohmann::json;

const char *const kCsvNull = "\x01NULL";

std::string ParsedRelationship::key() const
{
    return type + " " + fromLabel + ":" + from + " -> " + toLabel + ":" + to + " " + props.dump();
}

std::vector<std::string> ParsedGraph::relationshipKeys() const
{
    std::vector<std::string> out;
    for (const ParsedRelationship &r : relationships)
        out.push_back(r.key());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> ParsedGraph::danglingRelationships() const
{
    std::vector<std::string> out;
    auto has = [this](const std::string &label, const std::string &id) {
        const auto it = nodes.find(label);
        return it != nodes.end() && it->second.count(id) > 0;
    };
    for (const ParsedRelationship &r : relationships)
        if (!has(r.fromLabel, r.from) || !has(r.toLabel, r.to))
            out.push_back(r.key());
    return out;
}

namespace {

// A Cypher literal (string, number, boolean, null, list, map) at text[pos].
class LiteralParser
{
public:
    LiteralParser(const std::string &text, size_t pos)
        : m_text(text)
        , m_pos(pos)
    {
    }

    json value()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            throw std::runtime_error("unexpected end");
        const char c = m_text[m_pos];
        if (c == '\'' || c == '"')
            return string();
        if (c == '[')
            return list();
        if (c == '{')
            return map();
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c)))
            return number();
        for (const auto &[word, v] :
             {std::pair{"true", json(true)}, std::pair{"false", json(false)},
              std::pair{"null", json(nullptr)}})
            if (m_text.compare(m_pos, std::strlen(word), word) == 0) {
                m_pos += std::strlen(word);
                return v;
            }
        throw std::runtime_error("unexpected '" + std::string(1, c) + "' at " +
                                 std::to_string(m_pos));
    }

    size_t pos() const { return m_pos; }

private:
    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }

    void expect(char c)
    {
        skipSpace();
        if (m_pos >= m_text.size() || m_text[m_pos] != c)
            throw std::runtime_error(std::string("expected '") + c + "' at " +
                                     std::to_string(m_pos));
        ++m_pos;
    }

    static void appendUtf8(std::string &out, unsigned code)
    {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    json string()
    {
        const char quote = m_text[m_pos++];
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char c = m_text[m_pos++];
            if (c == '\n')
                throw std::runtime_error("raw newline inside a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            c = m_text.at(m_pos++);
            switch (c) {
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u':
                appendUtf8(out, std::stoul(m_text.substr(m_pos, 4), nullptr, 16));
                m_pos += 4;
                break;
            case '\\':
            case '\'':
            case '"':
                out += c;
                break;
            default:
                throw std::runtime_error(std::string("unknown escape \\") + c);
            }
        }
        if (m_pos >= m_text.size())
            throw std::runtime_error("unterminated string");
        ++m_pos;
        return out;
    }

    json number()
    {
        const size_t start = m_pos;
        if (m_text[m_pos] == '-')
            ++m_pos;
        bool isFloat = false;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '.' || c == 'e' || c == 'E' || ((c == '-' || c == '+') && isFloat))
                isFloat = true;
            else if (!std::isdigit(static_cast<unsigned char>(c)))
                break;
            ++m_pos;
        }
        const std::string text = m_text.substr(start, m_pos - start);
        return isFloat ? json(std::stod(text)) : json(std::stoll(text));
    }

    json list()
    {
        expect('[');
        json out = json::array();
        skipSpace();
        if (m_text[m_pos] == ']') {
            ++m_pos;
            return out;
        }
        for (;;) {
            out.push_back(value());
            skipSpace();
            if (m_text.at(m_pos) == ',') {
                ++m_pos;
                continue;
            }
            expect(']');
            return out;
        }
    }

    json map()
    {
        expect('{');
        json out = json::object();
        skipSpace();
        if (m_text[m_pos] == '}') {
            ++m_pos;
            return out;
        }
        for (;;) {
            skipSpace();
            const size_t start = m_pos;
            while (
                m_pos < m_text.size() &&
                (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
                ++m_pos;
            const std::string key = m_text.substr(start, m_pos - start);
            if (key.empty())
                throw std::runtime_error("expected a key at " + std::to_string(m_pos));
            expect(':');
            out[key] = value();
            skipSpace();
            if (m_text.at(m_pos) == ',') {
                ++m_pos;
                continue;
            }
            expect('}');
            return out;
        }
    }

    const std::string &m_text;
    size_t m_pos;
};

// Splits on ';' outside strings and comments, as cypher-shell does.
std::vector<std::string> splitStatements(const std::string &script)
{
    std::vector<std::string> out;
    std::string current;
    char quote = 0;
    for (size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (quote) {
            current += c;
            if (c == '\\' && i + 1 < script.size())
                current += script[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '/' && i + 1 < script.size() && script[i + 1] == '/') {
            while (i < script.size() && script[i] != '\n')
                ++i;
            continue;
        }
        if (c == '\'' || c == '"')
            quote = c;
        if (c == ';') {
            out.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos)
        out.push_back(current);
    return out;
}

std::string trim(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

ParsedGraph parseCypherScript(const std::string &script)
{
    ParsedGraph g;
    static const std::regex constraint(
        R"(^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE$)");
    static const std::regex nodeTail(
        R"(^\s*AS row\s+MERGE \(n:(\w+) \{id: row\.id\}\) SET n \+= row\.props$)");
    static const std::regex relTail(
        R"(^\s*AS row\s+MATCH \(a:(\w+) \{id: row\.from\}\)\s+MATCH \(b:(\w+) \{id: row\.to\}\)\s+MERGE \(a\)-\[r:(\w+)(?: \{(\w+): row\.props\.(\w+)\})?\]->\(b\) SET r \+= row\.props$)");
    for (const std::string &raw : splitStatements(script)) {
        const std::string s = trim(raw);
        std::smatch m;
        if (std::regex_match(s, m, constraint)) {
            g.constraintLabels.push_back(m[1]);
            g.statementKinds.push_back("constraint");
            continue;
        }
        if (s.rfind("UNWIND ", 0) != 0) {
            g.errors.push_back("unexpected statement: " + s.substr(0, 80));
            continue;
        }
        try {
            LiteralParser p(s, 7);
            const json rows = p.value();
            const std::string tail = s.substr(p.pos());
            if (std::regex_match(tail, m, nodeTail)) {
                const std::string label = m[1];
                g.statementKinds.push_back("nodes:" + label);
                g.batchSizes[label].push_back(static_cast<int>(rows.size()));
                for (const json &row : rows) {
                    const std::string id = row.at("id").get<std::string>();
                    if (g.nodes[label].count(id))
                        g.errors.push_back("duplicate node " + label + ":" + id);
                    g.nodes[label][id] = row.at("props");
                }
            } else if (std::regex_match(tail, m, relTail)) {
                const std::string type = m[3];
                g.statementKinds.push_back("rels:" + type);
                g.batchSizes[type].push_back(static_cast<int>(rows.size()));
                if (m[4].matched && m[4] != m[5])
                    g.errors.push_back("MERGE key and props member differ for " + type);
                for (const json &row : rows) {
                    ParsedRelationship r{type,
                                         m[1],
                                         row.at("from").get<std::string>(),
                                         m[2],
                                         row.at("to").get<std::string>(),
                                         row.at("props")};
                    if (m[4].matched && !r.props.contains(std::string(m[4])))
                        g.errors.push_back("relationship without its MERGE key: " + r.key());
                    g.relationships.push_back(std::move(r));
                }
            } else {
                g.errors.push_back("unexpected UNWIND tail: " + tail.substr(0, 200));
            }
        } catch (const std::exception &e) {
            g.errors.push_back(std::string("literal: ") + e.what());
        }
    }
    return g;
}

std::vector<std::vector<std::string>> parseCsv(const std::string &text)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;   // the field started with a quote
    bool inQuotes = false; // inside the quotes now
    auto endField = [&] {
        record.push_back(!quoted && field.empty() ? std::string(kCsvNull) : field);
        field.clear();
        quoted = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty() && !quoted) {
            quoted = true;
            inQuotes = true;
        } else if (c == ',') {
            endField();
        } else if (c == '\n') {
            endField();
            records.push_back(std::move(record));
            record.clear();
        } else {
            field += c;
        }
    }
    if (!field.empty() || quoted || !record.empty()) {
        endField();
        records.push_back(std::move(record));
    }
    return records;
}

namespace {

struct Column
{
    std::string name, type, idSpace; // type: "", "long", "double", "boolean", "ID", ...
};

Column parseHeader(const std::string &h)
{
    Column c;
    const auto colon = h.find(':');
    c.name = h.substr(0, colon);
    if (colon == std::string::npos)
        return c;
    std::string type = h.substr(colon + 1);
    const auto paren = type.find('(');
    if (paren != std::string::npos) {
        c.idSpace = type.substr(paren + 1, type.size() - paren - 2);
        type = type.substr(0, paren);
    }
    c.type = type;
    return c;
}

json typed(const std::string &text, const std::string &type)
{
    if (type == "long" || type == "int")
        return std::stoll(text);
    if (type == "double" || type == "float")
        return std::stod(text);
    if (type == "boolean")
        return text == "true";
    return text;
}

} // namespace

ParsedGraph parseNeo4jCsvFolder(const QString &folder)
{
    ParsedGraph g;
    const QDir dir(folder);
    for (const QString &name : dir.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            g.errors.push_back("cannot read " + name.toStdString());
            continue;
        }
        const auto records = parseCsv(file.readAll().toStdString());
        if (records.empty()) {
            g.errors.push_back("empty file " + name.toStdString());
            continue;
        }
        std::vector<Column> columns;
        for (const std::string &h : records.front())
            columns.push_back(parseHeader(h));
        for (size_t r = 1; r < records.size(); ++r) {
            const auto &rec = records[r];
            if (rec.size() != columns.size()) {
                g.errors.push_back(name.toStdString() + " record " + std::to_string(r) + " has " +
                                   std::to_string(rec.size()) + " fields, header " +
                                   std::to_string(columns.size()));
                continue;
            }
            json props = json::object();
            std::string id, label, from, to, type, fromLabel, toLabel;
            for (size_t i = 0; i < columns.size(); ++i) {
                const Column &c = columns[i];
                const std::string &v = rec[i];
                if (c.type == "ID") {
                    id = v;
                    label = c.idSpace;
                } else if (c.type == "LABEL") {
                    if (v != label)
                        g.errors.push_back(name.toStdString() + ": label " + v + " in id space " +
                                           label);
                } else if (c.type == "START_ID") {
                    from = v;
                    fromLabel = c.idSpace;
                } else if (c.type == "END_ID") {
                    to = v;
                    toLabel = c.idSpace;
                } else if (c.type == "TYPE") {
                    type = v;
                } else if (v != kCsvNull) {
                    props[c.name] = typed(v, c.type);
                }
            }
            if (!label.empty()) {
                if (g.nodes[label].count(id))
                    g.errors.push_back("duplicate node " + label + ":" + id);
                g.nodes[label][id] = props;
            } else {
                g.relationships.push_back({type, fromLabel, from, toLabel, to, props});
            }
        }
        // A header-only node file still names its label.
        if (!columns.empty() && columns.front().type == "ID")
            g.nodes[columns.front().idSpace];
    }
    return g;
}

} // namespace crucible::test
