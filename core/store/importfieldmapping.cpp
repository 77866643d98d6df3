#include "core/store/importfieldmapping.h"

#include "core/model/jsonsupport.h"
#include "core/store/jsonlscanner.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace crucible {

using nlohmann::json;
using namespace importing;

namespace {

// Accepted names for each field (the automatic mapping), first one is Crucible's own.
const std::array<std::vector<std::string>, kFieldCount> &synonyms()
{
    static const std::array<std::vector<std::string>, kFieldCount> names{{
        {"id", "problem_id", "uuid"},
        {"statement", "problem_statement", "prompt", "instruction", "question", "problem", "input",
         "text"},
        {"domain", "category", "subject", "topic"},
        {"constraints", "requirements"},
        {"success_criteria", "criteria", "acceptance_criteria", "expected_outcome"},
        {"sample_data", "sample", "example", "context"},
        {"complexity", "difficulty", "level"},
        {"origin"},
        {"base_problem_id", "parent_id"},
        {"matrix_cell"},
        {"tags"},
        {"created_at"},
        {"metadata"},
    }};
    return names;
}

} // namespace

QString toString(ImportField f)
{
    return QString::fromStdString(synonyms()[static_cast<size_t>(f)].front());
}

std::optional<ImportField> importFieldFromString(const QString &s)
{
    const QString t = s.trimmed().toLower();
    for (ImportField f : importFields())
        if (toString(f) == t)
            return f;
    return std::nullopt;
}

const std::vector<ImportField> &importFields()
{
    static const std::vector<ImportField> fields = [] {
        std::vector<ImportField> out;
        for (size_t i = 0; i < kFieldCount; ++i)
            out.push_back(static_cast<ImportField>(i));
        return out;
    }();
    return fields;
}

std::optional<ImportField> ImportMapping::fieldOf(const QString &column) const
{
    for (const auto &[c, f] : columns)
        if (c == column)
            return f;
    return std::nullopt;
}

namespace importing {

FieldNames FieldNames::from(const ImportOptions &options)
{
    FieldNames n;
    if (!options.mapping) {
        n.names = synonyms();
        return n;
    }
    n.explicitMapping = true;
    for (const auto &[column, field] : options.mapping->columns)
        n.names[static_cast<size_t>(field)].push_back(column.toStdString());
    return n;
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

namespace {

// The first of `names` the record has a non-empty value for.
const char *findField(const Record &r, const std::vector<std::string> &names)
{
    for (const std::string &n : names) {
        const Field *f = r.find(n);
        if (f && !f->value.isEmpty())
            return n.c_str();
    }
    return nullptr;
}

const Value &valueOf(const Record &r, const char *field)
{
    return r.find(field)->value;
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

} // namespace

Problem toProblem(const Record &r, const FieldNames &names, const QString &defaultDomain)
{
    Problem p;
    // Fields mapped so far, by position in r.fields.
    std::vector<bool> used(r.fields.size());
    auto take = [&](const char *name) {
        if (name)
            used[static_cast<size_t>(r.find(name) - r.fields.data())] = true;
        return name;
    };

    if (const char *f = take(findField(r, names[ImportField::Id])))
        p.id = asText(r, f).trimmed();
    if (p.id.isEmpty())
        p.id = jsonio::newId("prb");

    const std::vector<std::string> &statementNames = names[ImportField::Statement];
    const char *statementField = take(findField(r, statementNames));
    if (!statementField) {
        QStringList list;
        for (const std::string &n : statementNames)
            list << fromUtf8(n);
        throw RecordError(
            r.start, list.isEmpty() ? QStringLiteral("no column is mapped to the problem statement")
                                    : QStringLiteral("no problem statement: expected one of the "
                                                     "fields %1")
                                          .arg(list.join(QStringLiteral(", "))));
    }
    p.statement = asText(r, statementField);
    if (names.explicitMapping) {
        // Every column mapped to the statement, in mapping order, one paragraph each.
        for (const std::string &n : statementNames) {
            const Field *f = r.find(n);
            if (n.c_str() == statementField || !f || f->value.isEmpty())
                continue;
            p.statement += QStringLiteral("\n\n") + asText(r, n.c_str());
            take(n.c_str());
        }
    } else if (std::string_view(statementField) == "instruction") {
        // Alpaca-style records keep their input next to the instruction.
        if (const Field *input = r.find("input");
            input && input->value.kind == Value::Kind::Text && !input->value.text.empty()) {
            p.statement += QStringLiteral("\n\n") + fromUtf8(input->value.text);
            take("input");
        }
    }
    if (const char *f = take(findField(r, names[ImportField::Domain])))
        p.domain = asText(r, f).trimmed();
    else
        p.domain = defaultDomain;
    if (const char *f = take(findField(r, names[ImportField::Constraints])))
        p.constraints = asList(r, f);
    if (const char *f = take(findField(r, names[ImportField::SuccessCriteria])))
        p.successCriteria = asList(r, f);
    if (const char *f = take(findField(r, names[ImportField::SampleData])))
        p.sampleData = r.textOnly ? asJsonValue(valueOf(r, f)) : valueOf(r, f).toJson();
    if (const char *f = take(findField(r, names[ImportField::Complexity]))) {
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
    if (const char *f = take(findField(r, names[ImportField::Origin]))) {
        const QString text = asText(r, f);
        const auto o = originFromString(text);
        if (!o)
            throw RecordError(locationOf(r, f), QStringLiteral("field \"origin\" is \"%1\"; "
                                                               "expected one of %2")
                                                    .arg(text, originNames().join(u'|')));
        p.origin = *o;
    }
    if (const char *f = take(findField(r, names[ImportField::BaseProblemId])))
        p.baseProblemId = asText(r, f).trimmed();
    if (const char *f = take(findField(r, names[ImportField::MatrixCell]))) {
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
    if (const char *f = take(findField(r, names[ImportField::Tags]))) {
        const Value &v = valueOf(r, f);
        if (v.kind == Value::Kind::Text && !v.text.starts_with('[')) {
            for (const QString &t : fromUtf8(v.text).split(u','))
                if (!t.trimmed().isEmpty())
                    p.tags << t.trimmed();
        } else {
            p.tags = asList(r, f);
        }
    }
    if (const char *f = take(findField(r, names[ImportField::CreatedAt]))) {
        p.createdAt = jsonio::parseTimestamp(asText(r, f));
        if (!p.createdAt.isValid())
            throw RecordError(locationOf(r, f),
                              QStringLiteral("field \"created_at\" is not an ISO 8601 timestamp"));
    } else {
        p.createdAt = jsonio::nowUtc();
    }
    if (const char *f = take(findField(r, names[ImportField::Metadata]))) {
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

ImportMapping automaticMapping(const QStringList &columns)
{
    ImportMapping mapping;
    std::map<QString, ImportField> chosen;
    for (ImportField field : importFields()) {
        for (const std::string &name : synonyms()[static_cast<size_t>(field)]) {
            const QString column = QString::fromStdString(name);
            if (columns.contains(column) && !chosen.count(column)) {
                chosen[column] = field;
                if (field == ImportField::Statement && name == "instruction" &&
                    columns.contains(QStringLiteral("input")))
                    chosen[QStringLiteral("input")] = ImportField::Statement;
                break;
            }
        }
    }
    for (const QString &column : columns)
        if (const auto it = chosen.find(column); it != chosen.end())
            mapping.columns.emplace_back(column, it->second);
    return mapping;
}

} // namespace importing
} // namespace crucible
