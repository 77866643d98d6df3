// libFuzzer target: the CSV reader (RFC 4180 with , ; or tab, header normalisation, positions).
// Properties: reading ends with records, invalid-record reports or one ImportError (nothing else);
// positions lie inside the file; and the records read, written back as fully quoted CSV with
// their field names as the header, read back as the same records.
// Input: one byte choosing the file name (.csv or .tsv), then the file.

#include "core/store/importrecord.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QString>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace importing = crucible::importing;
using crucible::ImportError;
using crucible::ProblemFileFormat;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Read
{
    std::vector<Fields> records;
    int invalid = 0;
    bool failed = false;
};

Read read(std::string_view data, const QString &name)
{
    const int lines = static_cast<int>(std::count(data.begin(), data.end(), '\n') +
                                       std::count(data.begin(), data.end(), '\r')) +
                      1;
    Read out;
    importing::RecordVisitor visitor;
    visitor.record = [&](const importing::Record &r) {
        FUZZ_CHECK(r.textOnly, "a CSV record that is not text only");
        FUZZ_CHECK(r.start.line >= 1 && r.start.line <= lines && r.start.column == 1,
                   "record start outside the file");
        Fields fields;
        for (const importing::Field &f : r.fields) {
            FUZZ_CHECK(!f.name.empty(), "a field without a name");
            FUZZ_CHECK(f.value.kind == importing::Value::Kind::Text,
                       "a CSV value that is not text");
            FUZZ_CHECK(f.where.line >= r.start.line && f.where.line <= lines && f.where.column >= 1,
                       "field position outside the file");
            fields.emplace_back(f.name, f.value.text);
        }
        out.records.push_back(std::move(fields));
        return true;
    };
    visitor.invalid = [&](importing::Location where, const QString &reason) {
        FUZZ_CHECK(where.line >= 1 && where.line <= lines, "invalid record outside the file");
        FUZZ_CHECK(!reason.isEmpty(), "an invalid record without a reason");
        ++out.invalid;
    };
    try {
        importing::readRecords(data, name, ProblemFileFormat::Csv, visitor);
    } catch (const ImportError &e) {
        FUZZ_CHECK(e.issue().line >= 1 && e.issue().line <= lines, "error outside the file");
        FUZZ_CHECK(!e.issue().reason.isEmpty(), "an error without a reason");
        out.failed = true;
    }
    return out;
}

std::string quoted(const std::string &text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QString name = (data[0] & 1) ? QStringLiteral("fuzz.tsv") : QStringLiteral("fuzz.csv");
    const std::string_view file(reinterpret_cast<const char *>(data) + 1, size - 1);
    const Read first = read(file, name);
    if (first.records.empty())
        return 0;

    // Write the records back (the header detection looks at the first line, so names that hold
    // a line break or another delimiter are left out of this check) and read them again.
    const Fields &shape = first.records.front();
    for (const auto &[fieldName, value] : shape)
        if (fieldName.find_first_of(";\t\r\n") != std::string::npos)
            return 0;
    std::string again;
    for (std::size_t i = 0; i < shape.size(); ++i)
        again += (i ? "," : "") + quoted(shape[i].first);
    again += "\r\n";
    for (const Fields &record : first.records) {
        FUZZ_CHECK(record.size() == shape.size(), "records with different fields");
        for (std::size_t i = 0; i < record.size(); ++i) {
            FUZZ_CHECK(record[i].first == shape[i].first, "records with different field names");
            again += (i ? "," : "") + quoted(record[i].second);
        }
        again += "\n";
    }
    const Read second = read(again, QStringLiteral("again.csv"));
    FUZZ_CHECK(!second.failed && second.invalid == 0,
               "the written CSV does not read back:\n" + again);
    FUZZ_CHECK(second.records == first.records,
               "the written CSV reads back differently:\n" + again);
    return 0;
}
