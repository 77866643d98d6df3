#pragma once
// JSONL for the problem importer: one JSON object per line. The common shape (string and
// string-array values) is read by a fast scanner that builds no JSON document; every other line
// goes through nlohmann's parser, which produces the general values and the exact error. Pure
// functions over a buffer, usable from any thread.

#include "core/store/importrecord.h"

#include <functional>
#include <string_view>

namespace crucible::importing {

// Where byte `byteOffset` of `line` is: columns count characters (UTF-8), not bytes.
Location locationInLine(std::string_view line, int lineNo, size_t byteOffset);

// The fast scanner alone. Reads `line` into out.fields when it is one object whose values are
// strings or arrays of strings, and returns true; returns false (out.fields then unspecified) on
// anything else: other value types, duplicate keys, a byte order mark, any syntax or encoding
// error. When it returns true, the fields are exactly what nlohmann's parser reads from the line.
bool scanSimpleJsonLine(std::string_view line, Record &out);

// One line as a Record (the fast scanner, else nlohmann). Throws RecordError with the location
// of a syntax error, or when the line is not a JSON object.
Record parseJsonLine(std::string_view line, int lineNo);

// Every record of a JSONL buffer in file order: LF or CRLF line ends, a UTF-8 byte order mark on
// the first line, blank lines skipped. A line that cannot be read goes to visitor.invalid (which
// may throw to stop).
void readJsonl(std::string_view data, const RecordVisitor &visitor);
// Cuts JSONL text into lines as the importer reads them: '\n' ends a line, a trailing '\r' and a
// UTF-8 BOM on line 1 are dropped, blank lines skipped. visit(line, 1-based line number, offset
// after the line) returns false to stop.
void forEachJsonlLine(std::string_view data,
                      const std::function<bool(std::string_view, int, size_t)> &visit);

} // namespace crucible::importing
