#pragma once
// CSV (RFC 4180, with , ; or tab as delimiter) for the problem importer: a record reader over a
// byte buffer that gives every field the line and column where it starts, and the reading of a
// whole file (header, then records) into importing::Records. Pure functions over a buffer,
// usable from any thread.

#include "core/store/importrecord.h"

#include <QString>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::importing {

class CsvReader final
{
public:
    CsvReader(std::string_view data, char delimiter)
        : m_data(data)
        , m_delim(delimiter)
    {
    }

    // Reads one record; returns false at the end (empty lines between records are skipped). Each
    // field gets its start location. Throws RecordError on a broken quote (unterminated, a
    // character after the closing quote, a quote inside an unquoted field); the reader cannot go
    // on after that.
    bool next(std::vector<std::string> &fields, std::vector<Location> &where, Location &start);

    // Bytes consumed so far.
    size_t position() const { return m_pos; }

private:
    void advance();

    std::string_view m_data;
    char m_delim;
    size_t m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

// The delimiter of a CSV file: tab for a .tsv name, else the most frequent of , ; and tab in the
// header line (comma on a tie).
char detectDelimiter(std::string_view data, const QString &name);
// "Problem Statement" -> "problem_statement" (CSV headers).
std::string normaliseHeader(const std::string &header);

// Reads a CSV file (an optional UTF-8 byte order mark, a header, then records) as Records named
// by the normalised header, every value text. A record with a different field count goes to
// visitor.invalid; a broken quote throws ImportError (name:line:column).
void readCsv(std::string_view data, const QString &name, const RecordVisitor &visitor);

} // namespace crucible::importing
