#include "core/store/datasetrepository.h"
#include "core/store/problemexporter.h"
#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"
#include "core/store/sampledata.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;

namespace {

class ImportExportTest : public ::testing::Test
{
protected:
    void SetUp() override { ws = Workspace::create(dir.file(QStringLiteral("io.crucible"))); }

    ImportResult importText(const QByteArray &data, const QString &name, bool skipInvalid = false)
    {
        const QString path = dir.file(name);
        writeFile(path, data);
        ImportOptions options;
        options.skipInvalid = skipInvalid;
        return ProblemImporter(*ws).importFile(path, options);
    }

    ImportIssue expectImportError(const QByteArray &data, const QString &name)
    {
        try {
            importText(data, name);
        } catch (const ImportError &e) {
            return e.issue();
        }
        ADD_FAILURE() << "expected ImportError";
        return {};
    }

    qint64 problemCount() { return ProblemRepository(*ws).count(); }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
};

std::vector<json> allProblemsJson(Workspace &ws)
{
    std::vector<json> out;
    qint64 last = 0;
    for (const Problem &p : ProblemRepository(ws).fullPageAfter({}, 0, 100000, &last))
        out.push_back(p.toJson());
    return out;
}

} // namespace

TEST_F(ImportExportTest, JsonlMapsUsualFieldNames)
{
    const QByteArray data =
        R"({"problem_statement": "Alpha task", "difficulty": "hard", "category": "ops"})"
        "\n\n"
        R"({"prompt": "Beta task", "requirements": ["r1"], "criteria": "c1\nc2", "tags": "x, y"})"
        "\n"
        R"({"instruction": "Translate", "input": "bonjour", "output": "hello"})"
        "\n"
        R"({"question": "Gamma?", "id": "q-1", "complexity": "simple"})"
        "\n";
    const ImportResult r = importText(data, QStringLiteral("mixed.jsonl"));
    EXPECT_EQ(r.imported, 4);
    ProblemRepository repo(*ws);
    const auto first = repo.get(r.problemIds[0]);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->statement, QStringLiteral("Alpha task"));
    EXPECT_EQ(first->complexity, Complexity::Complex);
    EXPECT_EQ(first->domain, QStringLiteral("ops"));
    EXPECT_EQ(first->origin, ProblemOrigin::Import);
    const auto second = repo.get(r.problemIds[1]);
    EXPECT_EQ(second->constraints, QStringList{QStringLiteral("r1")});
    EXPECT_EQ(second->successCriteria, (QStringList{QStringLiteral("c1"), QStringLiteral("c2")}));
    EXPECT_EQ(second->tags, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    const auto third = repo.get(r.problemIds[2]);
    EXPECT_EQ(third->statement, QStringLiteral("Translate\n\nbonjour"));
    EXPECT_EQ(third->metadata["source_fields"]["output"], "hello"); // nothing lost
    EXPECT_TRUE(repo.contains(QStringLiteral("q-1")));
}

TEST_F(ImportExportTest, MalformedJsonlLineFailsWholeImportWithPosition)
{
    const QByteArray data = R"({"statement": "ok one"})"
                            "\n"
                            R"({"statement": "ok two"})"
                            "\n"
                            R"({"statement": "broken", "tags": [1, }  )"
                            "\n"
                            R"({"statement": "ok four"})"
                            "\n";
    const ImportIssue issue = expectImportError(data, QStringLiteral("bad.jsonl"));
    EXPECT_TRUE(issue.file.endsWith(QStringLiteral("bad.jsonl")));
    EXPECT_EQ(issue.line, 3);
    EXPECT_EQ(issue.column, 37);
    EXPECT_TRUE(issue.reason.startsWith(QStringLiteral("invalid JSON")));
    EXPECT_TRUE(issue.toString().contains(QStringLiteral("bad.jsonl:3:37: invalid JSON")));
    EXPECT_EQ(problemCount(), 0); // nothing written
}

TEST_F(ImportExportTest, FieldErrorsPointAtTheField)
{
    const QByteArray data = R"({"statement": "fine"})"
                            "\n"
                            R"({"statement": "x", "complexity": "extreme"})"
                            "\n";
    const ImportIssue issue = expectImportError(data, QStringLiteral("field.jsonl"));
    EXPECT_EQ(issue.line, 2);
    EXPECT_EQ(issue.column, 20);
    EXPECT_TRUE(issue.reason.contains(QStringLiteral("extreme")));

    const ImportIssue noStatement =
        expectImportError(R"({"title": "no statement here"})", QStringLiteral("none.jsonl"));
    EXPECT_EQ(noStatement.line, 1);
    EXPECT_TRUE(noStatement.reason.contains(QStringLiteral("problem_statement")));

    const ImportIssue notObject = expectImportError("[1,2]\n", QStringLiteral("arr.jsonl"));
    EXPECT_TRUE(notObject.reason.contains(QStringLiteral("JSON object")));
    EXPECT_EQ(problemCount(), 0);
}

TEST_F(ImportExportTest, DuplicateIdsAreErrors)
{
    const QByteArray data = R"({"id": "a", "statement": "one"})"
                            "\n"
                            R"({"id": "a", "statement": "two"})"
                            "\n";
    const ImportIssue issue = expectImportError(data, QStringLiteral("dup.jsonl"));
    EXPECT_EQ(issue.line, 2);
    EXPECT_TRUE(issue.reason.contains(QStringLiteral("more than once")));

    importText(R"({"id": "a", "statement": "one"})", QStringLiteral("a.jsonl"));
    const ImportIssue existing =
        expectImportError(R"({"id": "a", "statement": "again"})", QStringLiteral("a2.jsonl"));
    EXPECT_TRUE(existing.reason.contains(QStringLiteral("already exists")));
    EXPECT_EQ(problemCount(), 1);
}

TEST_F(ImportExportTest, SkipInvalidImportsTheRestAndListsSkips)
{
    const QByteArray data = R"({"statement": "one"})"
                            "\n"
                            "not json at all\n"
                            R"({"statement": ""})"
                            "\n"
                            R"({"statement": "four"})"
                            "\n";
    const ImportResult r = importText(data, QStringLiteral("skip.jsonl"), true);
    EXPECT_EQ(r.imported, 2);
    ASSERT_EQ(r.skipped.size(), 2u);
    EXPECT_EQ(r.skipped[0].line, 2);
    EXPECT_EQ(r.skipped[1].line, 3);
    EXPECT_EQ(problemCount(), 2);
}

TEST_F(ImportExportTest, CsvWithQuotesAndMultilineFields)
{
    const QByteArray data = "Question,Domain,Difficulty,Constraints\r\n"
                            "\"How many, exactly?\",math,easy,\"[\"\"integers only\"\"]\"\r\n"
                            "\"Line one\nline two\",writing,medium,\"first\nsecond\"\r\n"
                            "\"He said \"\"hi\"\"\",social,,\r\n";
    const ImportResult r = importText(data, QStringLiteral("p.csv"));
    ASSERT_EQ(r.imported, 3);
    ProblemRepository repo(*ws);
    const auto a = repo.get(r.problemIds[0]);
    EXPECT_EQ(a->statement, QStringLiteral("How many, exactly?"));
    EXPECT_EQ(a->complexity, Complexity::Simple);
    EXPECT_EQ(a->constraints, QStringList{QStringLiteral("integers only")});
    const auto b = repo.get(r.problemIds[1]);
    EXPECT_EQ(b->statement, QStringLiteral("Line one\nline two"));
    EXPECT_EQ(b->constraints, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    EXPECT_EQ(repo.get(r.problemIds[2])->statement, QStringLiteral("He said \"hi\""));
}

TEST_F(ImportExportTest, MalformedCsvReportsLineAndColumn)
{
    const QByteArray wrongCount = "statement,domain\nfine,ops\ntoo,many,fields\n";
    const ImportIssue a = expectImportError(wrongCount, QStringLiteral("count.csv"));
    EXPECT_EQ(a.line, 3);
    EXPECT_TRUE(a.reason.contains(QStringLiteral("expected 2 fields")));

    const QByteArray unterminated = "statement,domain\nfine,ops\n\"never closed,ops\n";
    const ImportIssue b = expectImportError(unterminated, QStringLiteral("quote.csv"));
    EXPECT_EQ(b.line, 3);
    EXPECT_EQ(b.column, 1);
    EXPECT_TRUE(b.reason.contains(QStringLiteral("unterminated")));

    const QByteArray stray = "statement,domain\nab\"c,ops\n";
    const ImportIssue c = expectImportError(stray, QStringLiteral("stray.csv"));
    EXPECT_EQ(c.line, 2);
    EXPECT_EQ(c.column, 3);
    EXPECT_EQ(problemCount(), 0);
}

TEST_F(ImportExportTest, ExportThenImportIsLosslessForJsonlAndCsv)
{
    ProblemRepository repo(*ws);
    std::vector<Problem> batch;
    for (int i = 0; i < 40; ++i) {
        Problem p = makeProblem(i);
        p.statement += QStringLiteral(", with \"quotes\", commas,\nnew lines and ünïcödé");
        if (i % 3 == 0)
            p.sampleData = json{{"rows", json::array({i, "x", nullptr})}};
        if (i % 4 == 1)
            p.sampleData = "plain text sample";
        if (i % 5 == 2) {
            p.matrixCell[QStringLiteral("size")] = QStringLiteral("large, very");
            p.origin = ProblemOrigin::Matrix;
        }
        if (i > 0 && i % 2 == 0)
            p.baseProblemId = makeProblem(i - 1).id;
        p.metadata = json{{"generator", "test"}, {"n", i}};
        batch.push_back(p);
    }
    repo.insertMany(batch);
    const std::vector<json> original = allProblemsJson(*ws);

    for (const auto format : {ProblemFileFormat::Jsonl, ProblemFileFormat::Csv}) {
        const QString file =
            dir.file(format == ProblemFileFormat::Csv ? QStringLiteral("out.csv")
                                                      : QStringLiteral("out.jsonl"));
        ExportOptions options;
        options.format = format;
        EXPECT_EQ(ProblemExporter(*ws).exportToFile(file, options), 40);
        auto other = Workspace::create(dir.file(format == ProblemFileFormat::Csv
                                                    ? QStringLiteral("copy-csv.crucible")
                                                    : QStringLiteral("copy-jsonl.crucible")));
        const ImportResult r = ProblemImporter(*other).importFile(file);
        EXPECT_EQ(r.imported, 40);
        EXPECT_EQ(allProblemsJson(*other), original) << "format " << static_cast<int>(format);
    }
}

TEST_F(ImportExportTest, ExportsOneDatasetInMemberOrder)
{
    ProblemRepository repo(*ws);
    for (int i = 0; i < 6; ++i)
        repo.insert(makeProblem(i));
    Dataset d;
    d.id = QStringLiteral("ds_x");
    d.name = QStringLiteral("subset");
    d.problemIds = {makeProblem(5).id, makeProblem(1).id};
    DatasetRepository(*ws).insert(d);
    ExportOptions options;
    options.filter.datasetId = d.id;
    const QByteArray bytes = ProblemExporter(*ws).exportToBytes(options);
    const QList<QByteArray> lines = bytes.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    EXPECT_EQ(json::parse(lines[0].toStdString())["id"], makeProblem(5).id.toStdString());
}

TEST_F(ImportExportTest, ImportCanCreateADataset)
{
    const QString path = dir.file(QStringLiteral("ds.jsonl"));
    writeFile(path, R"({"statement": "a"})"
                    "\n"
                    R"({"statement": "b"})"
                    "\n");
    ImportOptions options;
    options.datasetName = QStringLiteral("From file");
    const ImportResult r = ProblemImporter(*ws).importFile(path, options);
    const auto d = DatasetRepository(*ws).get(r.datasetId);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->problemIds, r.problemIds);
}

TEST_F(ImportExportTest, UnknownExtensionAndMissingFileAreClear)
{
    const QString path = dir.file(QStringLiteral("data.xml"));
    writeFile(path, "<x/>");
    try {
        ProblemImporter(*ws).importFile(path);
        FAIL();
    } catch (const ImportError &e) {
        EXPECT_TRUE(e.issue().reason.contains(QStringLiteral("--format")));
    }
    EXPECT_THROW(ProblemImporter(*ws).importFile(dir.file(QStringLiteral("absent.jsonl"))),
                 ImportError);
}

TEST(SampleData, DefaultWorkspaceHasSamplesWithLineage)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("sub/default.crucible"));
    EXPECT_TRUE(SampleData::ensureWorkspace(path));
    EXPECT_FALSE(SampleData::ensureWorkspace(path)); // second start: untouched
    auto ws = Workspace::open(path);
    ProblemRepository repo(*ws);
    EXPECT_GE(repo.count(), 8);
    EXPECT_FALSE(repo.descendants(QStringLiteral("prb_sample_ledger")).empty());
}

TEST_F(ImportExportTest, LargeFilesReportExactLineNumbers)
{
    // A 2.6 MB file with a broken line deep inside it.
    QByteArray data;
    const int lines = 12000;
    const int broken = 9001;
    for (int i = 1; i <= lines; ++i) {
        if (i == broken)
            data += R"({"statement": "broken" "missing comma"})";
        else
            data += QByteArray(R"({"statement": "problem )") + QByteArray::number(i) + ' ' +
                    QByteArray(200, 'x') + R"("})";
        data += '\n';
    }
    const ImportIssue issue = expectImportError(data, QStringLiteral("big.jsonl"));
    EXPECT_EQ(issue.line, broken);
    EXPECT_EQ(problemCount(), 0);

    const ImportResult r = importText(data, QStringLiteral("big2.jsonl"), true);
    EXPECT_EQ(r.imported, lines - 1);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_EQ(r.skipped[0].line, broken);
    // File order is kept.
    const auto last = ProblemRepository(*ws).get(r.problemIds.back());
    ASSERT_TRUE(last);
    EXPECT_TRUE(last->statement.startsWith(QStringLiteral("problem 12000 ")));
}

TEST_F(ImportExportTest, EscapesUnicodeAndGeneralValuesImportAsWritten)
{
    // Escapes, non-ASCII text and surrogate pairs (read without a JSON document), next to lines
    // with numbers, nested values and duplicate keys (read through nlohmann).
    const QByteArray data =
        R"({"id": "e1", "statement": "caf\u00e9 \"quoted\"\n\ttab \/ \ud83d\ude00 na\u00efve", )"
        R"("constraints": ["a\\b", "ünïcödé ✓"], "tags": []})"
        "\n"
        R"({"id": "e2", "statement": "nested", "sample_data": {"rows": [1, 2.5, null]}, )"
        R"("complexity": 3, "extra": true})"
        "\n"
        R"({"id": "e3", "statement": "first", "statement": "last wins"})"
        "\n";
    EXPECT_EQ(importText(data, QStringLiteral("esc.jsonl")).imported, 3);
    ProblemRepository repo(*ws);
    const Problem e1 = *repo.get(QStringLiteral("e1"));
    EXPECT_EQ(e1.statement, QStringLiteral("café \"quoted\"\n\ttab / ") + QChar(0xD83D) +
                                QChar(0xDE00) + QStringLiteral(" naïve"));
    EXPECT_EQ(e1.constraints, (QStringList{QStringLiteral("a\\b"), QStringLiteral("ünïcödé ✓")}));
    EXPECT_TRUE(e1.tags.isEmpty());
    const Problem e2 = *repo.get(QStringLiteral("e2"));
    EXPECT_EQ(e2.sampleData, json::parse(R"({"rows": [1, 2.5, null]})"));
    EXPECT_EQ(e2.complexity, Complexity::Complex);
    EXPECT_EQ(e2.metadata["source_fields"], json::parse(R"({"extra": true})"));
    EXPECT_EQ(repo.get(QStringLiteral("e3"))->statement, QStringLiteral("last wins"));
    ProblemFilter f;
    f.search = QStringLiteral("naive"); // diacritics removed by the index
    EXPECT_EQ(repo.count(f), 1);
}

TEST_F(ImportExportTest, ListsAreStoredAsTheSameJsonText)
{
    Problem p;
    p.id = QStringLiteral("j1");
    p.statement = QStringLiteral("lists");
    p.constraints = {QStringLiteral("quote \" backslash \\ newline \n bell \x07 ü")};
    p.tags = {QStringLiteral("a"), QStringLiteral("b")};
    ProblemRepository(*ws).insert(p);
    QSqlQuery q = ws->exec(QStringLiteral("SELECT constraints, tags FROM problems"));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toString().toStdString(), json(p.constraints).dump());
    EXPECT_EQ(q.value(1).toString(), QStringLiteral(R"(["a","b"])"));
    EXPECT_EQ(ProblemRepository(*ws).get(QStringLiteral("j1"))->constraints, p.constraints);
}

TEST_F(ImportExportTest, InvalidUtf8IsAnErrorWithItsPosition)
{
    const QByteArray data = "{\"statement\": \"ok\"}\n{\"statement\": \"bad \xC3\x28 byte\"}\n";
    const ImportIssue issue = expectImportError(data, QStringLiteral("utf8.jsonl"));
    EXPECT_EQ(issue.line, 2);
    EXPECT_TRUE(issue.reason.startsWith(QStringLiteral("invalid JSON")));
    EXPECT_EQ(problemCount(), 0);
}

TEST_F(ImportExportTest, FailedImportLeavesIndexAndConnectionSettingsAsTheyWere)
{
    importText(R"({"id": "k1", "statement": "kept widget"})", QStringLiteral("keep.jsonl"));
    const auto hashSize = [&] {
        QSqlQuery q = ws->exec(
            QStringLiteral("SELECT count(*), coalesce(max(v), 0) FROM problems_fts_config WHERE "
                           "k = 'hashsize'"));
        q.next();
        return std::pair(q.value(0).toLongLong(), q.value(1).toLongLong());
    };
    const auto hashSizeBefore = hashSize();

    QByteArray data;
    for (int i = 0; i < 500; ++i)
        data +=
            QStringLiteral(R"({"id": "n%1", "statement": "new gadget %1"})").arg(i).toUtf8() + '\n';
    data += R"({"id": "bad", "statement": "broken", )"
            "\n";
    expectImportError(data, QStringLiteral("fail.jsonl"));

    ProblemRepository repo(*ws);
    EXPECT_EQ(repo.count(), 1);
    ProblemFilter f;
    f.search = QStringLiteral("gadget");
    EXPECT_EQ(repo.count(f), 0); // the index holds no trace of the rolled-back rows
    f.search = QStringLiteral("widget");
    EXPECT_EQ(repo.count(f), 1);
    QSqlQuery integrity = ws->exec(QStringLiteral(
        "INSERT INTO problems_fts(problems_fts, rank) VALUES ('integrity-check', 1)"));
    EXPECT_TRUE(integrity.isActive());
    EXPECT_EQ(hashSize(), hashSizeBefore);

    // CHECK constraints are on again, and new rows are indexed by the trigger again.
    QSqlQuery bad(ws->database());
    EXPECT_FALSE(bad.exec(
        QStringLiteral("INSERT INTO problems (id, statement, complexity, origin, created_at) "
                       "VALUES ('x', 'y', 'impossible', 'manual', '2020-01-01T00:00:00.000Z')")));
    Problem later;
    later.id = QStringLiteral("later");
    later.statement = QStringLiteral("gadget added later");
    repo.insert(later);
    f.search = QStringLiteral("gadget");
    EXPECT_EQ(repo.count(f), 1);

    // And after a successful import too.
    importText(R"({"id": "ok", "statement": "fine", "complexity": "hard"})",
               QStringLiteral("ok.jsonl"));
    EXPECT_FALSE(bad.exec(
        QStringLiteral("INSERT INTO problems (id, statement, complexity, origin, created_at) "
                       "VALUES ('x', 'y', 'impossible', 'manual', '2020-01-01T00:00:00.000Z')")));
    EXPECT_EQ(repo.get(QStringLiteral("ok"))->complexity, Complexity::Complex);
}

TEST_F(ImportExportTest, ImportedTimestampsAreIsoUtcWithMilliseconds)
{
    QByteArray data;
    for (int i = 0; i < 2000; ++i)
        data += QStringLiteral(R"({"statement": "s%1"})").arg(i).toUtf8() + '\n';
    const QDateTime before = jsonio::nowUtc();
    importText(data, QStringLiteral("times.jsonl"));
    const QDateTime after = jsonio::nowUtc();
    QSqlQuery q = ws->exec(QStringLiteral("SELECT created_at FROM problems ORDER BY seq"));
    QDateTime previous = before;
    while (q.next()) {
        const QString text = q.value(0).toString();
        const QDateTime t = jsonio::parseTimestamp(text);
        ASSERT_TRUE(t.isValid()) << text.toStdString();
        EXPECT_EQ(jsonio::formatTimestamp(t), text);
        EXPECT_GE(t, previous);
        EXPECT_LE(t, after);
        previous = t;
    }
}
