#pragma once
// The records of a JSONL or CSV file of problems, each field with where it starts in the file:
// what ProblemImporter maps to problems and what the import preview shows. Internal to
// core/store; pure functions over a buffer, usable from any thread. The readers are in
// jsonlscanner.h and csvreader.h, the mapping of records to problems in importfieldmapping.h.

#include "core/store/problemimporter.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::importing {

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
    nlohmann::json other;

    // Absent for mapping purposes: null or "".
    bool isEmpty() const
    {
        return kind == Kind::Text ? text.empty() : kind == Kind::Json && other.is_null();
    }
    const char *typeName() const
    {
        return kind == Kind::Text ? "string" : kind == Kind::TextList ? "array" : other.type_name();
    }
    nlohmann::json toJson() const
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

struct RecordVisitor
{
    std::function<bool(const Record &)> record;                   // returns false to stop reading
    std::function<void(Location, const QString &reason)> invalid; // a record that cannot be read
    std::function<void(qint64 bytesRead, qint64 bytesTotal)> progress; // optional
};

// Reads every record in file order. A record that cannot be read goes to visitor.invalid (which
// may throw to stop). Throws ImportError when the reader cannot go on (a broken CSV quote).
void readRecords(std::string_view data, const QString &name, ProblemFileFormat format,
                 const RecordVisitor &visitor);

} // namespace crucible::importing
