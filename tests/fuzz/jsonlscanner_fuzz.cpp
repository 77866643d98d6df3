// libFuzzer target: the fast JSONL line scanner, differentially against nlohmann::json. For every
// line of the input (split as the importer splits: LF, a trailing CR dropped, a BOM on line 1
// skipped, blank lines ignored):
// - scanSimpleJsonLine() alone, when it accepts the line, reads exactly the object nlohmann reads;
// - parseJsonLine() (the scanner with nlohmann behind it) gives the same record as nlohmann's
//   parser (the same field names with the same values; for a repeated key the last one wins in
//   both) or, for an invalid line or one that is not an object, an error and never a record.
// Aborts on a mismatch.

#include "core/store/jsonlscanner.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace importing = crucible::importing;
using nlohmann::json;

namespace {

json fieldsAsJson(const importing::Record &record)
{
    json fields = json::object();
    for (const importing::Field &f : record.fields) {
        FUZZ_CHECK(!fields.contains(f.name), "field '" + f.name + "' appears twice in the record");
        fields[f.name] = f.value.toJson();
        if (f.value.kind == importing::Value::Kind::Json)
            FUZZ_CHECK(!f.value.other.is_string(), "a string kept as general JSON");
    }
    return fields;
}

void compareLine(std::string_view line, int lineNo)
{
    const json expected = json::parse(line.begin(), line.end(), nullptr, false);

    importing::Record scanned;
    if (importing::scanSimpleJsonLine(line, scanned)) {
        FUZZ_CHECK(expected.is_object(),
                   std::string("the fast scanner accepts a line nlohmann ") +
                       (expected.is_discarded() ? "rejects" : "reads as a non-object"));
        const json fields = fieldsAsJson(scanned);
        FUZZ_CHECK(fields == expected, "the fast scanner reads differently:\n  scanner:  " +
                                           fields.dump() + "\n  nlohmann: " + expected.dump());
    }
    std::optional<importing::Record> record;
    try {
        record = importing::parseJsonLine(line, lineNo);
    } catch (const importing::RecordError &e) {
        FUZZ_CHECK(!expected.is_object(),
                   "the scanner rejects a line nlohmann reads as an object: " +
                       std::string(e.what()));
        FUZZ_CHECK(e.location.line == lineNo, "error on another line");
        FUZZ_CHECK(e.location.column >= 1, "error column");
        FUZZ_CHECK(std::string_view(e.what()).size() > 0, "an error without a message");
        return;
    }
    FUZZ_CHECK(expected.is_object(),
               std::string("the scanner reads a record from a line nlohmann ") +
                   (expected.is_discarded() ? "rejects" : "reads as a non-object"));
    const json fields = fieldsAsJson(*record);
    FUZZ_CHECK(fields == expected, "different records:\n  scanner:  " + fields.dump() +
                                       "\n  nlohmann: " + expected.dump());
    FUZZ_CHECK(record->start.line == lineNo, "record on another line");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);

    // Each line on its own, as the importer cuts them.
    int nonBlank = 0;
    int lastLine = 0;
    importing::forEachJsonlLine(input, [&](std::string_view line, int lineNo, std::size_t) {
        ++nonBlank;
        lastLine = lineNo;
        compareLine(line, lineNo);
        return true;
    });

    // The reader over the whole buffer sees every non-blank line once, as a record or an error.
    int seen = 0;
    importing::RecordVisitor visitor;
    visitor.record = [&](const importing::Record &) {
        ++seen;
        return true;
    };
    visitor.invalid = [&](importing::Location where, const QString &reason) {
        FUZZ_CHECK(where.line >= 1 && where.line <= lastLine, "invalid record outside the file");
        FUZZ_CHECK(!reason.isEmpty(), "an invalid record without a reason");
        ++seen;
    };
    importing::readJsonl(input, visitor);
    FUZZ_CHECK(seen == nonBlank, std::to_string(seen) + " records and errors for " +
                                     std::to_string(nonBlank) + " lines");
    return 0;
}
