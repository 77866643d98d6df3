#include "core/store/jsonlscanner.h"

#include <algorithm>
#include <optional>

namespace crucible::importing {

using nlohmann::json;

Location locationInLine(std::string_view line, int lineNo, size_t byteOffset)
{
    // Columns count characters, not bytes.
    int column = 1;
    for (size_t i = 0; i < byteOffset && i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80)
            ++column;
    return {lineNo, column};
}

namespace {

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

} // namespace

bool scanSimpleJsonLine(std::string_view line, Record &out)
{
    out.fields.clear();
    return SimpleLineScanner(line).scan(out);
}

Record parseJsonLine(std::string_view line, int lineNo)
{
    Record r;
    r.start = {lineNo, 1};
    r.line = line;
    if (scanSimpleJsonLine(line, r))
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
    } catch (const json::out_of_range &) {
        // nlohmann throws this (not a parse_error) for a number beyond a double, e.g. 1e999.
        throw RecordError(r.start, QStringLiteral("invalid JSON: a number too large for a double "
                                                  "(e.g. 1e999); write it as a string"));
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

void forEachJsonlLine(std::string_view data,
                      const std::function<bool(std::string_view, int, size_t)> &visit)
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
        if (!visit(line, lineNo, std::min(pos, data.size())))
            return;
    }
}

void readJsonl(std::string_view data, const RecordVisitor &visitor)
{
    forEachJsonlLine(data, [&](std::string_view line, int lineNo, size_t offset) {
        std::optional<Record> record;
        try {
            record = parseJsonLine(line, lineNo);
        } catch (const RecordError &e) {
            visitor.invalid(e.location, QString::fromStdString(e.what()));
        }
        if (record && !visitor.record(*record))
            return false;
        if (visitor.progress && (lineNo % 4096) == 0)
            visitor.progress(static_cast<qint64>(offset), static_cast<qint64>(data.size()));
        return true;
    });
}

} // namespace crucible::importing
