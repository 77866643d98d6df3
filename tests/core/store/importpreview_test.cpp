// ProblemImporter's preview of a file's first records, the automatic mapping the CLI uses, an
// explicit mapping, and the dry run that lists every invalid record and writes nothing.

#include "core/store/datasetrepository.h"
#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

TEST(ImportPreview, FirstRowsColumnsAndTheAutomaticMapping)
{
    const QByteArray data =
        "{\"instruction\":\"Sum a list\",\"input\":\"[1,2]\",\"level\":\"hard\","
        "\"extra\":7}\n"
        "{\"instruction\":\"Sort\",\"category\":\"algorithms\"}\n"
        "{\"instruction\": oops}\n"
        "{\"instruction\":\"Third\"}\n";
    const ImportPreview p = ProblemImporter::previewData(data, QStringLiteral("alpaca.jsonl"),
                                                         ProblemFileFormat::Jsonl, 2);
    EXPECT_EQ(p.columns, (QStringList{QStringLiteral("instruction"), QStringLiteral("input"),
                                      QStringLiteral("level"), QStringLiteral("extra"),
                                      QStringLiteral("category")}));
    ASSERT_EQ(p.rows.size(), 2u);
    EXPECT_EQ(p.rows[0].at(QStringLiteral("input")), QStringLiteral("[1,2]"));
    EXPECT_EQ(p.rows[0].at(QStringLiteral("extra")), QStringLiteral("7"));
    EXPECT_TRUE(p.more);
    ASSERT_EQ(p.issues.size(), 1u);
    EXPECT_EQ(p.issues[0].line, 3);
    EXPECT_EQ(p.issues[0].column, 17);
    EXPECT_TRUE(p.issues[0].reason.startsWith(QStringLiteral("invalid JSON")));

    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("instruction")), ImportField::Statement);
    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("input")), ImportField::Statement);
    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("level")), ImportField::Complexity);
    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("category")), ImportField::Domain);
    EXPECT_FALSE(p.mapping.fieldOf(QStringLiteral("extra")));
}

TEST(ImportPreview, CsvHeadersAreNormalisedAsTheImporterReadsThem)
{
    const QByteArray data = "Problem Statement;Difficulty;Notes\n"
                            "\"Plan a route\";easy;x\n";
    const ImportPreview p =
        ProblemImporter::previewData(data, QStringLiteral("p.csv"), ProblemFileFormat::Csv, 10);
    EXPECT_EQ(p.columns, (QStringList{QStringLiteral("problem_statement"),
                                      QStringLiteral("difficulty"), QStringLiteral("notes")}));
    ASSERT_EQ(p.rows.size(), 1u);
    EXPECT_EQ(p.rows[0].at(QStringLiteral("problem_statement")), QStringLiteral("Plan a route"));
    EXPECT_FALSE(p.more);
    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("problem_statement")), ImportField::Statement);
    EXPECT_EQ(p.mapping.fieldOf(QStringLiteral("difficulty")), ImportField::Complexity);
}

TEST(ImportPreview, UnknownTypeAndBrokenQuotesAreErrors)
{
    TempFolder dir;
    const QString txt = dir.file(QStringLiteral("x.txt"));
    writeFile(txt, "a\n");
    EXPECT_THROW(ProblemImporter::previewFile(txt, std::nullopt), ImportError);
    try {
        ProblemImporter::previewData("statement\n\"open\n", QStringLiteral("b.csv"),
                                     ProblemFileFormat::Csv, 5);
        FAIL() << "expected an ImportError";
    } catch (const ImportError &e) {
        EXPECT_EQ(e.issue().line, 2);
        EXPECT_EQ(e.issue().column, 1);
    }
}

TEST(ImportMappingTest, FieldNamesRoundTrip)
{
    for (ImportField f : importFields())
        EXPECT_EQ(importFieldFromString(toString(f)), f);
    EXPECT_EQ(toString(ImportField::SuccessCriteria), QStringLiteral("success_criteria"));
    EXPECT_FALSE(importFieldFromString(QStringLiteral("nope")));
}

class ImportMappingImportTest : public ::testing::Test
{
protected:
    void SetUp() override { ws = Workspace::create(dir.file(QStringLiteral("w.crucible"))); }
    TempFolder dir;
    std::unique_ptr<Workspace> ws;
};

TEST_F(ImportMappingImportTest, AnExplicitMappingReadsOnlyTheMappedColumns)
{
    const QByteArray data =
        "{\"id\":\"p1\",\"question\":\"Q one\",\"body\":\"Details\",\"topic\":\"geo\"}\n";
    ImportOptions options;
    options.mapping = ImportMapping{{{QStringLiteral("id"), ImportField::Id},
                                     {QStringLiteral("question"), ImportField::Statement},
                                     {QStringLiteral("body"), ImportField::Statement}}};
    const ImportResult r =
        ProblemImporter(*ws).importData(data, QStringLiteral("m.jsonl"), options);
    ASSERT_EQ(r.imported, 1);
    const auto p = ProblemRepository(*ws).get(QStringLiteral("p1"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->statement, QStringLiteral("Q one\n\nDetails"));
    EXPECT_EQ(p->domain, QString()); // "topic" is not mapped: kept, not read
    EXPECT_EQ(p->metadata["source_fields"]["topic"], "geo");
}

TEST_F(ImportMappingImportTest, AMappingWithoutAStatementNamesTheProblem)
{
    ImportOptions options;
    options.mapping = ImportMapping{{{QStringLiteral("text"), ImportField::Domain}}};
    try {
        ProblemImporter(*ws).importData("{\"text\":\"x\"}\n", QStringLiteral("m.jsonl"), options);
        FAIL() << "expected an ImportError";
    } catch (const ImportError &e) {
        EXPECT_EQ(e.issue().toString(),
                  QStringLiteral("m.jsonl:1:1: no column is mapped to the problem statement"));
    }
}

TEST_F(ImportMappingImportTest, DryRunListsEveryInvalidRecordAndWritesNothing)
{
    const QByteArray data = "{\"statement\":\"ok one\"}\n"
                            "{\"statement\":\"bad\",\"complexity\":\"galactic\"}\n"
                            "{\"statement\":\"ok two\"}\n"
                            "not json\n";
    ImportOptions options;
    options.dryRun = true;
    options.skipInvalid = true;
    options.datasetName = QStringLiteral("Trial");
    const ImportResult r =
        ProblemImporter(*ws).importData(data, QStringLiteral("d.jsonl"), options);
    EXPECT_EQ(r.imported, 2);
    ASSERT_EQ(r.skipped.size(), 2u);
    EXPECT_EQ(r.skipped[0].line, 2);
    EXPECT_EQ(r.skipped[0].column, 20); // where "complexity" starts
    EXPECT_EQ(r.skipped[1].line, 4);
    EXPECT_TRUE(r.datasetId.isEmpty());
    EXPECT_EQ(ProblemRepository(*ws).count(), 0);
    EXPECT_TRUE(DatasetRepository(*ws).list().empty());

    // The search index and its trigger survive the rollback: a real import is indexed.
    options.dryRun = false;
    options.skipInvalid = true;
    ProblemImporter(*ws).importData(data, QStringLiteral("d.jsonl"), options);
    ProblemFilter f;
    f.search = QStringLiteral("two");
    EXPECT_EQ(ProblemRepository(*ws).count(f), 1);
    Problem later = makeProblem(9);
    ProblemRepository(*ws).insert(later);
    f.search = QStringLiteral("nine");
    EXPECT_EQ(ProblemRepository(*ws).count(f), 1);
}
