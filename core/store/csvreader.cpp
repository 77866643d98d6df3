#include "core/store/csvreader.h"

#include <algorithm>
#include <cctype>

namespace crucible::importing {

bool CsvReader::next(std::vector<std::string> &fields, std::vector<Location> &where,
                     Location &start)
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
                throw RecordError({m_line, m_column},
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

void CsvReader::advance()
{
    const char c = m_data[m_pos++];
    if (c == '\n' || (c == '\r' && (m_pos >= m_data.size() || m_data[m_pos] != '\n'))) {
        ++m_line;
        m_column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != '\r') {
        ++m_column;
    }
}

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

std::string normaliseHeader(const std::string &header)
{
    std::string n;
    for (char c : header) {
        if (c == ' ' || c == '-')
            n += '_';
        else
            n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto b = n.find_first_not_of('_');
    return b == std::string::npos ? std::string() : n.substr(b);
}

void readCsv(std::string_view data, const QString &name, const RecordVisitor &visitor)
{
    if (data.starts_with("\xEF\xBB\xBF"))
        data.remove_prefix(3);
    CsvReader reader(data, detectDelimiter(data, name));
    std::vector<std::string> header;
    std::vector<Location> headerWhere;
    Location start;
    try {
        if (!reader.next(header, headerWhere, start))
            return; // empty file: nothing to read
    } catch (const RecordError &e) {
        throw ImportError(
            {name, e.location.line, e.location.column, QString::fromStdString(e.what())});
    }
    for (auto &h : header)
        h = normaliseHeader(h);
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
            visitor.invalid(start, QStringLiteral("expected %1 fields as in the header, found %2")
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
        if (!visitor.record(r))
            return;
        if (visitor.progress && (++records % 4096) == 0)
            visitor.progress(static_cast<qint64>(reader.position()),
                             static_cast<qint64>(data.size()));
    }
}

} // namespace crucible::importing
