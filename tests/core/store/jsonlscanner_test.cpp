// The JSONL reader on its own: the fast scanner reads exactly what nlohmann reads or gives up,
// errors carry line and character column, and the buffer reader handles CRLF, a byte order mark
// and blank lines.

#include "core/store/jsonlscanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace crucible;
using namespace crucible::importing;
using nlohmann::json;

namespace {

// The record's fields as nlohmann would hold them.
json asJson(const Record &r)
{
    json out = json::object();
    for (const Field &f : r.fields)
        out[f.name] = f.value.toJson();
    return out;
}

struct Collected
{
    std::vector<Record> records;
    std::vector<std::pair<Location, QString>> invalid;
};

Collected readAll(std::string_view data)
{
    Collected c;
    RecordVisitor v;
    v.record = [&](const Record &r) {
        c.records.push_back(r);
        return true;
    };
    v.invalid = [&](Location where, const QString &reason) {
        c.invalid.emplace_back(where, reason);
    };
    readJsonl(data, v);
    return c;
}

} // namespace

TEST(JsonlScanner, FastScannerReadsWhatNlohmannReads)
{
    const std::vector<std::string> lines = {
        R"({})",
        R"(  { "a" : "x" , "b":[ ] }  )",
        R"({"s": "caf\u00e9 \"q\" \\ \/ \b\f\n\r\t", "l": ["ü", "\ud83d\ude00", ""]})",
        "{\"raw\": \"na\xC3\xAFve \xE2\x9C\x93 \xF0\x9F\x98\x80\"}",
    };
    for (const std::string &line : lines) {
        Record r;
        ASSERT_TRUE(scanSimpleJsonLine(line, r)) << line;
        EXPECT_EQ(asJson(r), json::parse(line)) << line;
        EXPECT_EQ(asJson(parseJsonLine(line, 1)), json::parse(line)) << line;
    }
}

TEST(JsonlScanner, FastScannerGivesUpOnAnythingElse)
{
    const std::vector<std::string> lines = {
        R"({"n": 1})",                // a number
        R"({"a": "x", "a": "y"})",    // duplicate key
        "\xEF\xBB\xBF{\"a\": \"x\"}", // byte order mark
        R"({"a": ["x", 1]})",         // mixed list
        R"({"a": "\ud800"})",         // lone high surrogate
        R"({"a": "\udc00"})",         // lone low surrogate
        "{\"a\": \"\xC3\x28\"}",      // invalid UTF-8
        "{\"a\": \"\xE0\x80\x80\"}",  // overlong
        "{\"a\": \"\xED\xA0\x80\"}",  // encoded surrogate
        "{\"a\": \"tab\there\"}",     // unescaped control character
        R"({"a": "x"} trailing)",     // text after the object
        R"({"a": "x",})",             // trailing comma
        R"(["a"])",                   // not an object
        R"({"a": "\x"})",             // unknown escape
        R"({"a": "unterminated)",     // no closing quote
    };
    for (const std::string &line : lines) {
        Record r;
        EXPECT_FALSE(scanSimpleJsonLine(line, r)) << line;
    }
}

TEST(JsonlScanner, GeneralValuesAndTheLastOfDuplicateKeys)
{
    const Record r = parseJsonLine(R"({"n": 2.5, "o": {"k": [1]}, "d": "x", "d": "y"})", 4);
    EXPECT_EQ(r.start.line, 4);
    ASSERT_NE(r.find("n"), nullptr);
    EXPECT_EQ(r.find("n")->value.kind, Value::Kind::Json);
    EXPECT_EQ(r.find("o")->value.toJson(), json::parse(R"({"k": [1]})"));
    EXPECT_EQ(r.find("d")->value.text, "y");
}

TEST(JsonlScanner, ErrorsNameLineAndCharacterColumn)
{
    try {
        parseJsonLine("{\"é\": oops}", 7);
        FAIL() << "no error";
    } catch (const RecordError &e) {
        EXPECT_EQ(e.location.line, 7);
        EXPECT_EQ(e.location.column, 7); // 'o' is the 7th character, the 8th byte
        EXPECT_TRUE(QString::fromStdString(e.what()).startsWith(QStringLiteral("invalid JSON")));
    }
    try {
        parseJsonLine("[1, 2]", 2);
        FAIL() << "no error";
    } catch (const RecordError &e) {
        EXPECT_EQ(e.location.line, 2);
        EXPECT_EQ(e.location.column, 1);
        EXPECT_EQ(QString::fromStdString(e.what()),
                  QStringLiteral("each line must be a JSON object, got array"));
    }
    EXPECT_EQ(locationInLine("a\xC3\xA9z", 3, 3).column, 3);
}

// Found by the CI fuzz smoke run: nlohmann throws out_of_range (not parse_error) for a number
// beyond a double, and it escaped the importer's per-line error (terminate).
TEST(JsonlScanner, ANumberTooLargeForADoubleIsALineError)
{
    for (const char *line : {R"({"statement": "x", "n": 999E999999999999})", R"({"v": [1e999]})"}) {
        try {
            parseJsonLine(line, 5);
            FAIL() << "no error for " << line;
        } catch (const RecordError &e) {
            EXPECT_EQ(e.location.line, 5);
            EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("too large")))
                << e.what();
        }
    }
}

TEST(JsonlScanner, BufferReaderKeepsLineNumbersAcrossBlankAndBrokenLines)
{
    const std::string data = "\xEF\xBB\xBF{\"a\": \"1\"}\r\n"
                             "\n"
                             "   \t\n"
                             "{\"a\": broken}\n"
                             "{\"a\": \"5\"}";
    const Collected c = readAll(data);
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.records[0].start.line, 1);
    EXPECT_EQ(c.records[0].find("a")->value.text, "1");
    EXPECT_EQ(c.records[1].start.line, 5);
    ASSERT_EQ(c.invalid.size(), 1u);
    EXPECT_EQ(c.invalid[0].first.line, 4);
    EXPECT_EQ(c.invalid[0].first.column, 7);
}

TEST(JsonlScanner, TheVisitorStopsTheReader)
{
    int seen = 0;
    RecordVisitor v;
    v.record = [&](const Record &) { return ++seen < 2; };
    v.invalid = [](Location, const QString &) { FAIL(); };
    readJsonl("{}\n{}\n{}\n", v);
    EXPECT_EQ(seen, 2);
}
