// The CSV reader on its own: RFC 4180 quoting, field locations in characters, the errors a
// broken quote gives, delimiter detection and header normalisation, and the whole-file reader.

#include "core/store/csvreader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace crucible;
using namespace crucible::importing;

namespace {

std::vector<std::vector<std::string>> rows(std::string_view data, char delimiter = ',')
{
    CsvReader reader(data, delimiter);
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> fields;
    std::vector<Location> where;
    Location start;
    while (reader.next(fields, where, start))
        out.push_back(fields);
    return out;
}

RecordError errorOf(std::string_view data)
{
    try {
        rows(data);
    } catch (const RecordError &e) {
        return e;
    }
    ADD_FAILURE() << "no error for " << data;
    return RecordError({}, {});
}

} // namespace

TEST(CsvReader, QuotesDoubledQuotesAndLineBreaksInFields)
{
    using Rows = std::vector<std::vector<std::string>>;
    EXPECT_EQ(rows("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",\n"),
              (Rows{{"a", "b"}, {"x, y", "say \"hi\""}, {"two\nlines", ""}}));
    EXPECT_EQ(rows("a;b\n1;2", ';'), (Rows{{"a", "b"}, {"1", "2"}}));
    EXPECT_EQ(rows(""), Rows{});
    EXPECT_EQ(rows("\r\n\n"), Rows{});
}

TEST(CsvReader, FieldsKnowWhereTheyStart)
{
    CsvReader reader("id,text\n\"é\",\"multi\nline\",z\nq", ',');
    std::vector<std::string> fields;
    std::vector<Location> where;
    Location start;
    ASSERT_TRUE(reader.next(fields, where, start));
    ASSERT_TRUE(reader.next(fields, where, start));
    EXPECT_EQ(start.line, 2);
    ASSERT_EQ(where.size(), 3u);
    EXPECT_EQ(where[1].line, 2);
    EXPECT_EQ(where[1].column, 5); // columns count characters: "é" is one
    EXPECT_EQ(where[2].line, 3);
    EXPECT_EQ(where[2].column, 7);
    ASSERT_TRUE(reader.next(fields, where, start));
    EXPECT_EQ(start.line, 4);
    EXPECT_FALSE(reader.next(fields, where, start));
    EXPECT_EQ(reader.position(), 29u);
}

TEST(CsvReader, BrokenQuotesAreErrorsWithTheirPlace)
{
    RecordError e = errorOf("a,b\n1,\"open\n");
    EXPECT_EQ(e.location.line, 2);
    EXPECT_EQ(e.location.column, 3);
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("unterminated")));
    e = errorOf("\"x\"y,1\n");
    EXPECT_EQ(e.location.column, 4);
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("doubled")));
    e = errorOf("ab\"c\n");
    EXPECT_EQ(e.location.column, 3);
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("unquoted")));
}

TEST(CsvReader, DelimiterAndHeaders)
{
    EXPECT_EQ(detectDelimiter("a,b,c\n", QStringLiteral("x.csv")), ',');
    EXPECT_EQ(detectDelimiter("a;b;c,d\n", QStringLiteral("x.csv")), ';');
    EXPECT_EQ(detectDelimiter("a\tb\tc\n", QStringLiteral("x.csv")), '\t');
    EXPECT_EQ(detectDelimiter("a,b\n", QStringLiteral("x.TSV")), '\t');
    EXPECT_EQ(detectDelimiter("", QStringLiteral("x.csv")), ',');
    EXPECT_EQ(normaliseHeader("Problem Statement"), "problem_statement");
    EXPECT_EQ(normaliseHeader("__Success-Criteria"), "success_criteria");
    EXPECT_EQ(normaliseHeader("__"), "");
}

TEST(CsvReader, WholeFileReaderNamesFieldsByHeader)
{
    std::vector<Record> records;
    std::vector<Location> invalid;
    RecordVisitor v;
    v.record = [&](const Record &r) {
        records.push_back(r);
        return true;
    };
    v.invalid = [&](Location where, const QString &) { invalid.push_back(where); };
    readCsv("\xEF\xBB\xBFProblem Statement,,Tags\nplan,ignored,a\nshort\nsolve,x,\"b,c\"\n",
            QStringLiteral("p.csv"), v);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_TRUE(records[0].textOnly);
    EXPECT_EQ(records[0].fields.size(), 2u); // the empty header's column is dropped
    EXPECT_EQ(records[0].find("problem_statement")->value.text, "plan");
    EXPECT_EQ(records[1].find("tags")->value.text, "b,c");
    EXPECT_EQ(records[1].find("tags")->where.line, 4);
    EXPECT_EQ(records[1].find("tags")->where.column, 9);
    ASSERT_EQ(invalid.size(), 1u);
    EXPECT_EQ(invalid[0].line, 3);

    try {
        readCsv("a\n\"open\n", QStringLiteral("broken.csv"), v);
        FAIL() << "no error";
    } catch (const ImportError &e) {
        EXPECT_EQ(e.issue().file, QStringLiteral("broken.csv"));
        EXPECT_EQ(e.issue().line, 2);
        EXPECT_EQ(e.issue().column, 1);
    }
}
