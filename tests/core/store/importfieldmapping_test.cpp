// The mapping of imported records to problems on its own: the usual field names, an explicit
// mapping, value conversion, and errors that point at the offending field.

#include "core/store/importfieldmapping.h"
#include "core/store/jsonlscanner.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::importing;
using nlohmann::json;

namespace {

Problem fromLine(std::string_view line, const ImportOptions &options = {})
{
    return toProblem(parseJsonLine(line, 1), FieldNames::from(options), QStringLiteral("general"));
}

RecordError errorOf(std::string_view line)
{
    try {
        fromLine(line);
    } catch (const RecordError &e) {
        return e;
    }
    ADD_FAILURE() << "no error for " << line;
    return RecordError({}, {});
}

} // namespace

TEST(ImportFieldMapping, UsualNamesAndConversions)
{
    const Problem p = fromLine(
        R"({"problem_id": "p1", "instruction": "Sum", "input": "[1, 2]", "difficulty": "hard", )"
        R"("requirements": "one\n\n two ", "tags": "x, y", "matrix_cell": {"n": 3}, "note": "k"})");
    EXPECT_EQ(p.id, QStringLiteral("p1"));
    EXPECT_EQ(p.statement, QStringLiteral("Sum\n\n[1, 2]"));
    EXPECT_EQ(p.domain, QStringLiteral("general"));
    EXPECT_EQ(p.complexity, Complexity::Complex);
    EXPECT_EQ(p.constraints, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    EXPECT_EQ(p.tags, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    EXPECT_EQ(p.matrixCell.at(QStringLiteral("n")), QStringLiteral("3"));
    EXPECT_EQ(p.origin, ProblemOrigin::Import);
    EXPECT_EQ(p.metadata["source_fields"], json::parse(R"({"note": "k"})"));
}

TEST(ImportFieldMapping, AnExplicitMappingJoinsStatementColumnsInOrder)
{
    ImportOptions options;
    options.mapping = ImportMapping{{{QStringLiteral("b"), ImportField::Statement},
                                     {QStringLiteral("a"), ImportField::Statement},
                                     {QStringLiteral("statement"), ImportField::Tags}}};
    const Problem p = fromLine(R"({"a": "second", "b": "first", "statement": "t1,t2"})", options);
    EXPECT_EQ(p.statement, QStringLiteral("first\n\nsecond"));
    EXPECT_EQ(p.tags, (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    EXPECT_TRUE(p.metadata.is_null() || !p.metadata.contains("source_fields"));
}

TEST(ImportFieldMapping, ErrorsPointAtTheField)
{
    RecordError e = errorOf(R"({"statement": "s", "complexity": "extreme"})");
    EXPECT_EQ(e.location.column, 20);
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("extreme")));
    e = errorOf(R"({"statement": ["not", "text"]})");
    EXPECT_EQ(e.location.column, 2);
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("must be text")));
    e = errorOf(R"({"title": "no statement"})");
    EXPECT_TRUE(
        QString::fromStdString(e.what()).startsWith(QStringLiteral("no problem statement")));
    e = errorOf(R"({"statement": "s", "created_at": "yesterday"})");
    EXPECT_TRUE(QString::fromStdString(e.what()).contains(QStringLiteral("ISO 8601")));
}

TEST(ImportFieldMapping, AutomaticMappingTakesTheFirstUsualName)
{
    const ImportMapping m = automaticMapping({QStringLiteral("question"), QStringLiteral("prompt"),
                                              QStringLiteral("topic"), QStringLiteral("extra")});
    EXPECT_EQ(m.fieldOf(QStringLiteral("prompt")), ImportField::Statement);
    EXPECT_FALSE(m.fieldOf(QStringLiteral("question")));
    EXPECT_EQ(m.fieldOf(QStringLiteral("topic")), ImportField::Domain);
    EXPECT_FALSE(m.fieldOf(QStringLiteral("extra")));
    ASSERT_EQ(m.columns.size(), 2u);
    EXPECT_EQ(m.columns[0].first, QStringLiteral("prompt")); // in column order
}
