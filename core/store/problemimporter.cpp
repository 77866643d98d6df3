#include "core/store/problemimporter.h"

#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/schema.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <array>
#include <string_view>

namespace crucible {

using nlohmann::json;

namespace {

// Accepted names for each field, first one is Crucible's own.
const std::array kIdNames{"id", "problem_id", "uuid"};
const std::array kStatementNames{"statement", "problem_statement", "prompt", "instruction",
                                 "question",  "problem",           "input",  "text"};
const std::array kDomainNames{"domain", "category", "subject", "topic"};
const std::array kConstraintNames{"constraints", "requirements"};
const std::array kCriteriaNames{"success_criteria", "criteria", "acceptance_criteria",
                                "expected_outcome"};
const std::array kSampleNames{"sample_data", "sample", "example", "context"};
const std::array kComplexityNames{"complexity", "difficulty", "level"};

struct Location
{
    int line = 1;
    int column = 1;
};

// A field's value. Text and lists of text (the usual case) stay plain UTF-8 strings; anything
// else is kept as JSON.
struct Value
{
    enum class Kind { Text, TextList, Json };
    Kind kind = Kind::Text;
    std::string text;
    std::vector<std::string> list;
    json other;

    // Absent for mapping purposes: null or "".
    bool isEmpty() const
    {
        return kind == Kind::Text ? text.empty() : kind == Kind::Json && other.is_null();
    }
    const char *typeName() const
    {
        return kind == Kind::Text ? "string" : kind == Kind::TextList ? "array" : other.type_name();
    }
    json toJson() const
    {
        if (kind == Kind::Text)
            return text;
        if (kind == Kind::TextList)
            return list;
        return other;
    }
};

struct Field
{
    std::string name;
    Value value;
    Location where; // CSV only
};

// A record as its fields plus where each field starts in the file.
struct Record
{
    std::vector<Field> fields;
    Location start;
    bool textOnly = false; // CSV: every value is text, JSON-valued fields hold JSON text
    std::string_view line; // JSONL: the source line, to locate fields only when reporting

    const Field *find(std::string_view name) const
    {
        for (const Field &f : fields)
            if (f.name == name)
                return &f;
        return nullptr;
    }
    // The field called `name`, replacing an earlier one of that name (the last one wins).
    Field &set(std::string name)
    {
        for (Field &f : fields)
            if (f.name == name) {
                f = Field{};
                f.name = std::move(name);
                return f;
            }
        fields.push_back({});
        fields.back().name = std::move(name);
        return fields.back();
    }
};

Location locationInLine(std::string_view line, int lineNo, size_t byteOffset);

class RecordError final : public std::runtime_error
{
public:
    RecordError(Location loc, const QString &reason)
        : std::runtime_error(reason.toStdString())
        , location(loc)
    {
    }
    Location location;
};

template <size_t N> const char *findField(const Record &r, const std::array<const char *, N> &names)
{
    for (const char *n : names) {
        const Field *f = r.find(n);
        if (f && !f->value.isEmpty())
            return n;
    }
    return nullptr;
}

const Value &valueOf(const Record &r, const char *field)
{
    return r.find(field)->value;
}

Location locationOf(const Record &r, const std::string &field)
{
    if (!r.line.empty()) {
        const auto pos = r.line.find('"' + field + '"');
        return pos == std::string_view::npos ? r.start : locationInLine(r.line, r.start.line, pos);
    }
    const Field *f = r.find(field);
    return f ? f->where : r.start;
}

QString fromUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString asText(const Record &r, const char *field)
{
    const Value &v = valueOf(r, field);
    if (v.kind == Value::Kind::Text)
        return fromUtf8(v.text);
    if (v.kind == Value::Kind::Json && (v.other.is_number() || v.other.is_boolean()))
        return QString::fromStdString(v.other.dump());
    throw RecordError(locationOf(r, field),
                      QStringLiteral("field \"%1\" must be text, got %2")
                          .arg(QString::fromUtf8(field), QString::fromUtf8(v.typeName())));
}

QStringList listFromJson(const Record &r, const char *field, const json &v)
{
    QStringList out;
    int i = 0;
    for (const auto &e : v) {
        if (!e.is_string())
            throw RecordError(locationOf(r, field),
                              QStringLiteral("field \"%1\" item %2 must be a string, got %3")
                                  .arg(QString::fromUtf8(field))
                                  .arg(i)
                                  .arg(QString::fromUtf8(e.type_name())));
        out << fromUtf8(e.get_ref<const std::string &>());
        ++i;
    }
    return out;
}

// Lists arrive as JSON arrays, or (from CSV and hand-written files) as JSON text or lines.
QStringList asList(const Record &r, const char *field)
{
    const Value &v = valueOf(r, field);
    if (v.kind == Value::Kind::TextList) {
        QStringList out;
        out.reserve(static_cast<qsizetype>(v.list.size()));
        for (const std::string &s : v.list)
            out << fromUtf8(s);
        return out;
    }
    if (v.kind == Value::Kind::Text) {
        const std::string &s = v.text;
        const auto first = s.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && s[first] == '[') {
            const json parsed = json::parse(s, nullptr, false);
            if (!parsed.is_discarded() && parsed.is_array())
                return listFromJson(r, field, parsed);
        }
        QStringList out;
        for (const QString &line : fromUtf8(s).split(u'\n'))
            if (!line.trimmed().isEmpty())
                out << line.trimmed();
        return out;
    }
    if (!v.other.is_array())
        throw RecordError(locationOf(r, field),
                          QStringLiteral("field \"%1\" must be a list of strings, got %2")
                              .arg(QString::fromUtf8(field), QString::fromUtf8(v.typeName())));
    return listFromJson(r, field, v.other);
}

// JSON-valued fields may be given as JSON text (always so in CSV).
json asJsonValue(const Value &v)
{
    if (v.kind == Value::Kind::Text) {
        json parsed = json::parse(v.text, nullptr, false);
        if (!parsed.is_discarded())
            return parsed;
    }
    return v.toJson();
}

std::optional<Complexity> complexitySynonym(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (auto c = complexityFromString(t))
        return c;
    if (t == QLatin1String("easy") || t == QLatin1String("basic") || t == QLatin1String("low") ||
        t == QLatin1String("1"))
        return Complexity::Simple;
    if (t == QLatin1String("intermediate") || t == QLatin1String("moderate") ||
        t == QLatin1String("2"))
        return Complexity::Medium;
    if (t == QLatin1String("hard") || t == QLatin1String("difficult") ||
        t == QLatin1String("advanced") || t == QLatin1String("high") || t == QLatin1String("3"))
        return Complexity::Complex;
    return std::nullopt;
}

Problem toProblem(const Record &r, const QString &defaultDomain)
{
    Problem p;
    // Fields mapped so far, by position in r.fields.
    std::vector<bool> used(r.fields.size());
    auto take = [&](const char *name) {
        if (name)
            used[static_cast<size_t>(r.find(name) - r.fields.data())] = true;
        return name;
    };

    if (const char *f = take(findField(r, kIdNames)))
        p.id = asText(r, f).trimmed();
    if (p.id.isEmpty())
        p.id = jsonio::newId("prb");

    const char *statementField = take(findField(r, kStatementNames));
    if (!statementField) {
        QStringList names;
        for (const char *n : kStatementNames)
            names << QString::fromUtf8(n);
        throw RecordError(r.start, QStringLiteral("no problem statement: expected one of the "
                                                  "fields %1")
                                       .arg(names.join(QStringLiteral(", "))));
    }
    p.statement = asText(r, statementField);
    // Alpaca-style records keep their input next to the instruction.
    if (std::string_view(statementField) == "instruction") {
        if (const Field *input = r.find("input");
            input && input->value.kind == Value::Kind::Text && !input->value.text.empty()) {
            p.statement += QStringLiteral("\n\n") + fromUtf8(input->value.text);
            take("input");
        }
    }
    if (const char *f = take(findField(r, kDomainNames)))
        p.domain = asText(r, f).trimmed();
    else
        p.domain = defaultDomain;
    if (const char *f = take(findField(r, kConstraintNames)))
        p.constraints = asList(r, f);
    if (const char *f = take(findField(r, kCriteriaNames)))
        p.successCriteria = asList(r, f);
    if (const char *f = take(findField(r, kSampleNames)))
        p.sampleData = r.textOnly ? asJsonValue(valueOf(r, f)) : valueOf(r, f).toJson();
    if (const char *f = take(findField(r, kComplexityNames))) {
        const Value &v = valueOf(r, f);
        // The usual spellings without a detour through QString.
        std::optional<Complexity> c;
        if (v.kind == Value::Kind::Text && v.text == "simple")
            c = Complexity::Simple;
        else if (v.kind == Value::Kind::Text && v.text == "medium")
            c = Complexity::Medium;
        else if (v.kind == Value::Kind::Text && v.text == "complex")
            c = Complexity::Complex;
        if (!c) {
            const QString text = asText(r, f);
            c = complexitySynonym(text);
            if (!c)
                throw RecordError(locationOf(r, f),
                                  QStringLiteral("field \"%1\" is \"%2\"; expected simple, medium "
                                                 "or complex (or easy/hard)")
                                      .arg(QString::fromUtf8(f), text));
        }
        p.complexity = *c;
    }
    p.origin = ProblemOrigin::Import;
    if (const char *f = take(findField(r, std::array{"origin"}))) {
        const QString text = asText(r, f);
        const auto o = originFromString(text);
        if (!o)
            throw RecordError(locationOf(r, f), QStringLiteral("field \"origin\" is \"%1\"; "
                                                               "expected one of %2")
                                                    .arg(text, originNames().join(u'|')));
        p.origin = *o;
    }
    if (const char *f = take(findField(r, std::array{"base_problem_id", "parent_id"})))
        p.baseProblemId = asText(r, f).trimmed();
    if (const char *f = take(findField(r, std::array{"matrix_cell"}))) {
        const json cell = asJsonValue(valueOf(r, f));
        if (!cell.is_object())
            throw RecordError(locationOf(r, f),
                              QStringLiteral("field \"matrix_cell\" must be an object of "
                                             "dimension -> value"));
        for (const auto &[k, v] : cell.items())
            p.matrixCell[QString::fromStdString(k)] =
                v.is_string() ? QString::fromStdString(v.get<std::string>())
                              : QString::fromStdString(v.dump());
    }
    if (const char *f = take(findField(r, std::array{"tags"}))) {
        const Value &v = valueOf(r, f);
        if (v.kind == Value::Kind::Text && !v.text.starts_with('[')) {
            for (const QString &t : fromUtf8(v.text).split(u','))
                if (!t.trimmed().isEmpty())
                    p.tags << t.trimmed();
        } else {
            p.tags = asList(r, f);
        }
    }
    if (const char *f = take(findField(r, std::array{"created_at"}))) {
        p.createdAt = jsonio::parseTimestamp(asText(r, f));
        if (!p.createdAt.isValid())
            throw RecordError(locationOf(r, f),
                              QStringLiteral("field \"created_at\" is not an ISO 8601 timestamp"));
    } else {
        p.createdAt = jsonio::nowUtc();
    }
    if (const char *f = take(findField(r, std::array{"metadata"}))) {
        p.metadata = asJsonValue(valueOf(r, f));
        if (!p.metadata.is_object())
            throw RecordError(locationOf(r, f),
                              QStringLiteral("field \"metadata\" must be a JSON object"));
    }
    // Keep what we do not map, so nothing of the source is lost.
    json extra = json::object();
    for (size_t i = 0; i < r.fields.size(); ++i)
        if (!used[i] && !r.fields[i].value.isEmpty())
            extra[r.fields[i].name] = r.fields[i].value.toJson();
    if (!extra.empty())
        p.metadata["source_fields"] = extra;

    const auto issues = p.validate();
    if (!issues.empty()) {
        const ValidationIssue &first = issues.front();
        throw RecordError(
            locationOf(r, first.field.section(u'[', 0, 0).section(u'.', 0, 0).toStdString()),
            first.toString());
    }
    return p;
}

// ---- JSONL ----

Location locationInLine(std::string_view line, int lineNo, size_t byteOffset)
{
    // Columns count characters, not bytes.
    int column = 1;
    for (size_t i = 0; i < byteOffset && i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80)
            ++column;
    return {lineNo, column};
}

// Reads the common shape of a JSONL line, one object whose values are strings or arrays of
// strings, without building a JSON document. Gives up (returns false) on anything else: other
// value types, duplicate keys, a byte order mark, any syntax or encoding error. Such lines go
// through nlohmann's parser, which then produces the general values and the exact error.
class SimpleLineScanner final
{
public:
    explicit SimpleLineScanner(std::string_view line)
        : m_s(line)
    {
    }

    bool scan(Record &r)
    {
        skipSpace();
        if (!consume('{'))
            return false;
        skipSpace();
        if (consume('}'))
            return atEnd();
        for (;;) {
            std::string name;
            if (!string(name) || r.find(name))
                return false;
            skipSpace();
            if (!consume(':'))
                return false;
            skipSpace();
            Field &f = r.set(std::move(name));
            if (peek('"')) {
                if (!string(f.value.text))
                    return false;
            } else if (consume('[')) {
                f.value.kind = Value::Kind::TextList;
                if (!list(f.value.list))
                    return false;
            } else {
                return false;
            }
            skipSpace();
            if (consume('}'))
                return atEnd();
            if (!consume(','))
                return false;
            skipSpace();
        }
    }

private:
    bool peek(char c) const { return m_pos < m_s.size() && m_s[m_pos] == c; }
    bool consume(char c)
    {
        if (!peek(c))
            return false;
        ++m_pos;
        return true;
    }
    void skipSpace()
    {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' ||
                                      m_s[m_pos] == '\n' || m_s[m_pos] == '\r'))
            ++m_pos;
    }
    bool atEnd()
    {
        skipSpace();
        return m_pos == m_s.size();
    }

    // After '[': strings separated by commas, then ']'.
    bool list(std::vector<std::string> &out)
    {
        skipSpace();
        if (consume(']'))
            return true;
        for (;;) {
            out.emplace_back();
            if (!peek('"') || !string(out.back()))
                return false;
            skipSpace();
            if (consume(']'))
                return true;
            if (!consume(','))
                return false;
            skipSpace();
        }
    }

    bool string(std::string &out)
    {
        if (!consume('"'))
            return false;
        for (;;) {
            // Copy the run of plain ASCII in one go.
            const size_t runStart = m_pos;
            while (m_pos < m_s.size()) {
                const auto c = static_cast<unsigned char>(m_s[m_pos]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                    break;
                ++m_pos;
            }
            out.append(m_s.data() + runStart, m_pos - runStart);
            if (m_pos >= m_s.size())
                return false;
            const auto c = static_cast<unsigned char>(m_s[m_pos]);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c < 0x20)
                return false; // control characters must be escaped
            if (c == '\\') {
                if (!escape(out))
                    return false;
            } else if (!utf8Sequence(out)) {
                return false;
            }
        }
    }

    // One well-formed UTF-8 sequence (RFC 3629: no overlongs, surrogates or code points past
    // U+10FFFF), copied as is.
    bool utf8Sequence(std::string &out)
    {
        const auto byte = [&](size_t i) {
            return m_pos + i < m_s.size() ? static_cast<unsigned char>(m_s[m_pos + i]) : 0u;
        };
        const unsigned lead = byte(0);
        size_t length = 0;
        unsigned low = 0x80;
        unsigned high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            return false;
        }
        if (byte(1) < low || byte(1) > high)
            return false;
        for (size_t i = 2; i < length; ++i)
            if (byte(i) < 0x80 || byte(i) > 0xBF)
                return false;
        out.append(m_s.data() + m_pos, length);
        m_pos += length;
        return true;
    }

    bool hex4(unsigned &value)
    {
        if (m_pos + 4 > m_s.size())
            return false;
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_s[m_pos++];
            value <<= 4;
            if (c >= '0' && c <= '9')
                value |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                value |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                value |= static_cast<unsigned>(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    bool escape(std::string &out)
    {
        ++m_pos; // the backslash
        if (m_pos >= m_s.size())
            return false;
        const char c = m_s[m_pos++];
        switch (c) {
        case '"':
        case '\\':
        case '/':
            out += c;
            return true;
        case 'b':
            out += '\b';
            return true;
        case 'f':
            out += '\f';
            return true;
        case 'n':
            out += '\n';
            return true;
        case 'r':
            out += '\r';
            return true;
        case 't':
            out += '\t';
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        unsigned cp = 0;
        if (!hex4(cp))
            return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return false; // a low surrogate on its own
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (!consume('\\') || !consume('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return true;
    }

    std::string_view m_s;
    size_t m_pos = 0;
};

Record parseJsonLine(std::string_view line, int lineNo)
{
    Record r;
    r.start = {lineNo, 1};
    r.line = line;
    if (SimpleLineScanner(line).scan(r))
        return r;
    r.fields.clear();
    json doc;
    try {
        doc = json::parse(line.begin(), line.end());
    } catch (const json::parse_error &e) {
        const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        std::string what = e.what();
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column
        // 17: syntax error while parsing object - ..." keep the part after the location.
        const auto pos = what.find(": ", what.find("column"));
        if (pos != std::string::npos)
            what = what.substr(pos + 2);
        throw RecordError(locationInLine(line, lineNo, offset),
                          QStringLiteral("invalid JSON: %1").arg(QString::fromStdString(what)));
    }
    if (!doc.is_object())
        throw RecordError(r.start, QStringLiteral("each line must be a JSON object, got %1")
                                       .arg(QString::fromUtf8(doc.type_name())));
    for (auto &[k, v] : doc.items()) {
        Field &f = r.set(k);
        if (v.is_string()) {
            f.value.text = std::move(v.get_ref<std::string &>());
        } else if (v.is_array() &&
                   std::all_of(v.begin(), v.end(), [](const json &e) { return e.is_string(); })) {
            f.value.kind = Value::Kind::TextList;
            for (auto &e : v)
                f.value.list.push_back(std::move(e.get_ref<std::string &>()));
        } else {
            f.value.kind = Value::Kind::Json;
            f.value.other = std::move(v);
        }
    }
    return r;
}

// ---- CSV (RFC 4180, with , ; or tab as delimiter) ----

class CsvReader final
{
public:
    CsvReader(std::string_view data, char delimiter)
        : m_data(data)
        , m_delim(delimiter)
    {
    }

    // Reads one record; returns false at the end. Each field gets its start location.
    bool next(std::vector<std::string> &fields, std::vector<Location> &where, Location &start)
    {
        fields.clear();
        where.clear();
        // Skip empty lines between records.
        while (m_pos < m_data.size() && (m_data[m_pos] == '\n' || m_data[m_pos] == '\r'))
            advance();
        if (m_pos >= m_data.size())
            return false;
        start = {m_line, m_column};
        for (;;) {
            where.push_back({m_line, m_column});
            std::string field;
            if (m_pos < m_data.size() && m_data[m_pos] == '"') {
                const Location open{m_line, m_column};
                advance();
                for (;;) {
                    if (m_pos >= m_data.size())
                        throw RecordError(open, QStringLiteral("unterminated quoted field (the "
                                                               "closing \" is missing)"));
                    const char c = m_data[m_pos];
                    if (c == '"') {
                        if (m_pos + 1 < m_data.size() && m_data[m_pos + 1] == '"') {
                            field += '"';
                            advance();
                            advance();
                            continue;
                        }
                        advance();
                        break;
                    }
                    field += c;
                    advance();
                }
                if (m_pos < m_data.size() && m_data[m_pos] != m_delim && m_data[m_pos] != '\n' &&
                    m_data[m_pos] != '\r')
                    throw RecordError(
                        {m_line, m_column},
                        QStringLiteral("unexpected character after a closing quote; "
                                       "quotes inside a field must be doubled (\"\")"));
            } else {
                while (m_pos < m_data.size() && m_data[m_pos] != m_delim && m_data[m_pos] != '\n' &&
                       m_data[m_pos] != '\r') {
                    if (m_data[m_pos] == '"')
                        throw RecordError({m_line, m_column},
                                          QStringLiteral("a quote inside an unquoted field; "
                                                         "quote the whole field and double the "
                                                         "quote (\"\")"));
                    field += m_data[m_pos];
                    advance();
                }
            }
            fields.push_back(std::move(field));
            if (m_pos < m_data.size() && m_data[m_pos] == m_delim) {
                advance();
                continue;
            }
            // End of record.
            if (m_pos < m_data.size() && m_data[m_pos] == '\r')
                advance();
            if (m_pos < m_data.size() && m_data[m_pos] == '\n')
                advance();
            return true;
        }
    }

    size_t position() const { return m_pos; }

private:
    void advance()
    {
        const char c = m_data[m_pos++];
        if (c == '\n' || (c == '\r' && (m_pos >= m_data.size() || m_data[m_pos] != '\n'))) {
            ++m_line;
            m_column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != '\r') {
            ++m_column;
        }
    }

    std::string_view m_data;
    char m_delim;
    size_t m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

char detectDelimiter(std::string_view data, const QString &name)
{
    if (name.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive))
        return '\t';
    const std::string_view header = data.substr(0, data.find('\n'));
    const auto commas = std::count(header.begin(), header.end(), ',');
    const auto semicolons = std::count(header.begin(), header.end(), ';');
    const auto tabs = std::count(header.begin(), header.end(), '\t');
    if (tabs > commas && tabs > semicolons)
        return '\t';
    if (semicolons > commas)
        return ';';
    return ',';
}

// Turns SQLite's CHECK constraints off on the workspace's connection for its lifetime. The only
// CHECK on problems is complexity IN ('simple', 'medium', 'complex'), and SQLite 3.40 evaluates
// that list through a temporary b-tree for every row (about a tenth of an import's work); the
// Writer binds complexity from the enum, so the constraint holds by construction.
class CheckConstraintsOff final
{
public:
    explicit CheckConstraintsOff(Workspace &ws)
        : m_ws(ws)
    {
        m_ws.exec(QStringLiteral("PRAGMA ignore_check_constraints = ON"));
    }
    ~CheckConstraintsOff()
    {
        QSqlQuery q(m_ws.database());
        if (!q.exec(QStringLiteral("PRAGMA ignore_check_constraints = OFF")))
            qWarning("Could not turn CHECK constraints back on for %s: %s", qPrintable(m_ws.path()),
                     qPrintable(q.lastError().text()));
    }
    CheckConstraintsOff(const CheckConstraintsOff &) = delete;
    CheckConstraintsOff &operator=(const CheckConstraintsOff &) = delete;

private:
    Workspace &m_ws;
};

// Imports records one by one inside the caller's transaction.
class ImportRun final
{
public:
    ImportRun(Workspace &ws, const QString &file, const ImportOptions &options)
        : m_writer(ws)
        , m_file(file)
        , m_options(options)
    {
    }

    void add(const Record &r)
    {
        try {
            Problem p = toProblem(r, m_options.defaultDomain);
            if (m_seenIds.contains(p.id))
                throw RecordError(
                    locationOf(r, "id"),
                    QStringLiteral("id %1 appears more than once in this file").arg(p.id));
            m_seenIds.insert(p.id);
            try {
                m_writer.insert(p);
            } catch (const WorkspaceError &e) {
                if (e.kind() != WorkspaceError::Kind::Constraint)
                    throw;
                throw RecordError(r.start, e.message());
            }
            m_result.problemIds << p.id;
            ++m_result.imported;
        } catch (const RecordError &e) {
            fail(e.location, QString::fromStdString(e.what()));
        } catch (const ValidationError &e) {
            fail(r.start, e.message());
        }
    }

    void fail(Location loc, const QString &reason)
    {
        ImportIssue issue{m_file, loc.line, loc.column, reason};
        if (!m_options.skipInvalid)
            throw ImportError(issue);
        m_result.skipped.push_back(std::move(issue));
    }

    ImportResult &result() { return m_result; }

private:
    ProblemRepository::Writer m_writer;
    QString m_file;
    const ImportOptions &m_options;
    ImportResult m_result;
    QSet<QString> m_seenIds;
};

void importJsonl(std::string_view data, ImportRun &run, const ImportOptions &options)
{
    int lineNo = 0;
    size_t pos = 0;
    while (pos < data.size()) {
        ++lineNo;
        size_t end = data.find('\n', pos);
        if (end == std::string_view::npos)
            end = data.size();
        std::string_view line = data.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (lineNo == 1 && line.starts_with("\xEF\xBB\xBF"))
            line.remove_prefix(3);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        try {
            run.add(parseJsonLine(line, lineNo));
        } catch (const RecordError &e) {
            run.fail(e.location, QString::fromStdString(e.what()));
        }
        if (options.progress && (lineNo % 4096) == 0)
            options.progress(static_cast<qint64>(pos), static_cast<qint64>(data.size()));
    }
}

void importCsv(std::string_view data, const QString &name, ImportRun &run,
               const ImportOptions &options)
{
    if (data.starts_with("\xEF\xBB\xBF"))
        data.remove_prefix(3);
    CsvReader reader(data, detectDelimiter(data, name));
    std::vector<std::string> header;
    std::vector<Location> headerWhere;
    Location start;
    try {
        if (!reader.next(header, headerWhere, start))
            return; // empty file: nothing to import
    } catch (const RecordError &e) {
        throw ImportError(
            {name, e.location.line, e.location.column, QString::fromStdString(e.what())});
    }
    for (auto &h : header) {
        // Normalise "Problem Statement" -> "problem_statement".
        std::string n;
        for (char c : h) {
            if (c == ' ' || c == '-')
                n += '_';
            else
                n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const auto b = n.find_first_not_of('_');
        h = b == std::string::npos ? std::string() : n.substr(b);
    }
    std::vector<std::string> fields;
    std::vector<Location> where;
    qint64 records = 0;
    for (;;) {
        try {
            if (!reader.next(fields, where, start))
                break;
        } catch (const RecordError &e) {
            // A broken quote leaves the reader's position unknown: stop even when skipping.
            throw ImportError(
                {name, e.location.line, e.location.column, QString::fromStdString(e.what())});
        }
        if (fields.size() != header.size()) {
            run.fail(start, QStringLiteral("expected %1 fields as in the header, found %2")
                                .arg(header.size())
                                .arg(fields.size()));
            continue;
        }
        Record r;
        r.start = start;
        r.textOnly = true;
        for (size_t i = 0; i < header.size(); ++i) {
            if (header[i].empty())
                continue;
            Field &f = r.set(header[i]);
            f.value.text = std::move(fields[i]);
            f.where = where[i];
        }
        run.add(r);
        if (options.progress && (++records % 4096) == 0)
            options.progress(static_cast<qint64>(reader.position()),
                             static_cast<qint64>(data.size()));
    }
}

} // namespace

QString ImportIssue::toString() const
{
    return QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(reason);
}

std::optional<ProblemFileFormat> problemFileFormatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("jsonl") || n == QLatin1String("ndjson") || n == QLatin1String("json"))
        return ProblemFileFormat::Jsonl;
    if (n == QLatin1String("csv") || n == QLatin1String("tsv"))
        return ProblemFileFormat::Csv;
    return std::nullopt;
}

std::optional<ProblemFileFormat> problemFileFormatFromPath(const QString &path)
{
    return problemFileFormatFromName(QFileInfo(path).suffix());
}

ProblemImporter::ProblemImporter(Workspace &ws)
    : m_ws(ws)
{
}

ImportResult ProblemImporter::importFile(const QString &path, const ImportOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ImportError(
            {path, 0, 0, QStringLiteral("cannot read the file: %1").arg(file.errorString())});
    ImportOptions effective = options;
    if (!effective.format)
        effective.format = problemFileFormatFromPath(path);
    if (!effective.format)
        throw ImportError({path, 0, 0,
                           QStringLiteral("unknown file type; use a .jsonl or .csv file, or give "
                                          "the format explicitly (--format jsonl|csv)")});
    if (file.size() == 0)
        return importData({}, path, effective);
    // Map the file instead of reading it: large imports stay cheap in memory.
    uchar *mapped = file.map(0, file.size());
    if (mapped) {
        const QByteArray view =
            QByteArray::fromRawData(reinterpret_cast<const char *>(mapped), file.size());
        ImportResult r = importData(view, path, effective);
        file.unmap(mapped);
        return r;
    }
    return importData(file.readAll(), path, effective);
}

ImportResult ProblemImporter::importData(const QByteArray &data, const QString &name,
                                         const ImportOptions &options)
{
    const ProblemFileFormat format = options.format.value_or(ProblemFileFormat::Jsonl);
    if (m_ws.isReadOnly())
        throw WorkspaceError(
            WorkspaceError::Kind::Io,
            QStringLiteral("%1 is open read-only; cannot import into it").arg(m_ws.path()));
    Workspace::Transaction tx(m_ws);
    // Index full text once for all new rows (see schema::ftsIndexRowsAfter); a failed import
    // rolls the trigger back with everything else.
    QSqlQuery maxSeq = m_ws.exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM problems"));
    const qint64 seqBefore = maxSeq.next() ? maxSeq.value(0).toLongLong() : 0;
    m_ws.exec(QStringLiteral("DROP TRIGGER problems_fts_insert"));
    ImportResult result;
    {
        const CheckConstraintsOff checksOff(m_ws);
        ImportRun run(m_ws, name, options);
        const std::string_view view(data.constData(), static_cast<size_t>(data.size()));
        if (format == ProblemFileFormat::Jsonl)
            importJsonl(view, run, options);
        else
            importCsv(view, name, run, options);
        result = std::move(run.result());
    }
    {
        // FTS5 writes its pending terms out as a new segment, and merges segments, every time
        // they pass 'hashsize' (1 MB by default): a larger buffer for this one statement saves a
        // quarter of the indexing work on large imports. The setting is put back before commit.
        QSqlQuery old =
            m_ws.exec(QStringLiteral("SELECT v FROM problems_fts_config WHERE k = 'hashsize'"));
        const qint64 hashSize = old.next() ? old.value(0).toLongLong() : 1024 * 1024;
        m_ws.exec(QStringLiteral(
            "INSERT INTO problems_fts(problems_fts, rank) VALUES ('hashsize', 8388608)"));
        QSqlQuery index = m_ws.prepare(schema::ftsIndexRowsAfter());
        index.addBindValue(seqBefore);
        Workspace::execPrepared(index, QStringLiteral("Indexing the imported problems for search"));
        m_ws.exec(QStringLiteral("INSERT INTO problems_fts(problems_fts, rank) VALUES ('hashsize', "
                                 "%1)")
                      .arg(hashSize));
    }
    m_ws.exec(schema::ftsInsertTrigger());
    if (!options.datasetName.isEmpty()) {
        Dataset d;
        d.id = jsonio::newId("ds");
        d.name = options.datasetName;
        d.domain = options.defaultDomain;
        d.problemIds = result.problemIds;
        d.createdAt = jsonio::nowUtc();
        d.metadata = {{"source", QFileInfo(name).fileName().toStdString()},
                      {"skipped", result.skipped.size()}};
        DatasetRepository(m_ws).insert(d);
        result.datasetId = d.id;
    }
    tx.commit();
    if (options.progress)
        options.progress(data.size(), data.size());
    return result;
}

} // namespace crucible
