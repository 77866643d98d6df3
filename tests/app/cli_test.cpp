// Runs every crucible-cli subcommand in-process on real workspace files in a temporary folder.

#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "tests/app/clitestsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crucible::cli {
namespace {

using nlohmann::json;

// Three problems in one lineage chain (p1 <- p2 <- p3) with every optional field somewhere.
const char *const kJsonl =
    R"({"id":"p1","domain":"math","statement":"Add two numbers quickly","complexity":"simple","constraints":["integers only"],"success_criteria":["the sum is correct"],"tags":["arith","warmup"]})"
    "\n"
    R"({"id":"p2","domain":"math","statement":"Multiply two matrices\nof size n","complexity":"complex","origin":"variation","base_problem_id":"p1","sample_data":{"n":3,"a":[[1,2],[3,4]]},"matrix_cell":{"size":"large","noise":"none"},"created_at":"2024-05-01T10:20:30.123Z","metadata":{"generator":"test"}})"
    "\n"
    R"({"id":"p3","domain":"logistics","statement":"Plan a delivery route for three trucks","complexity":"medium","origin":"adversarial","base_problem_id":"p2","tags":["routing"]})"
    "\n";

class CliTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString write(const QString &name, const QByteArray &bytes) const
    {
        QFile f(path(name));
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        return f.fileName();
    }

    static QByteArray read(const QString &file)
    {
        QFile f(file);
        EXPECT_TRUE(f.open(QIODevice::ReadOnly));
        return f.readAll();
    }

    static CliResult cli(const QStringList &args) { return runCli(args); }

    // A workspace holding kJsonl.
    QString seededWorkspace(const QString &name = QStringLiteral("ws.crucible"))
    {
        const QString ws = path(name);
        EXPECT_EQ(cli({QStringLiteral("init"), ws}).code, 0);
        const QString file = write(name + QStringLiteral(".jsonl"), kJsonl);
        const CliResult r = cli({QStringLiteral("import"), ws, file});
        EXPECT_EQ(r.code, 0) << r.err.toStdString();
        return ws;
    }

    static qint64 problemCount(const QString &ws)
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        return ProblemRepository(*w).count();
    }

    static std::map<QString, json> allProblems(const QString &ws)
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        ProblemRepository repo(*w);
        std::map<QString, json> out;
        qint64 after = 0;
        for (;;) {
            qint64 last = after;
            const std::vector<Problem> page = repo.fullPageAfter({}, after, 500, &last);
            for (const Problem &p : page)
                out[p.id] = p.toJson();
            if (page.empty() || last == after)
                break;
            after = last;
        }
        return out;
    }

    QTemporaryDir m_dir;
};

TEST_F(CliTest, InitCreatesAnEmptyWorkspaceAndRefusesToOverwrite)
{
    const QString ws = path(QStringLiteral("new.crucible"));
    const CliResult r = cli({QStringLiteral("init"), ws});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Created workspace")));
    EXPECT_EQ(problemCount(ws), 0);

    const QByteArray before = read(ws);
    const CliResult again = cli({QStringLiteral("init"), ws});
    EXPECT_EQ(again.code, 1);
    EXPECT_TRUE(again.err.contains(QStringLiteral("already exists"))) << again.err.toStdString();
    EXPECT_EQ(read(ws), before);
}

TEST_F(CliTest, InitWithSamplesAddsTheSampleProblems)
{
    const QString ws = path(QStringLiteral("samples.crucible"));
    const CliResult r =
        cli({QStringLiteral("init"), ws, QStringLiteral("--samples"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_GT(j.at("problems").get<qint64>(), 0);
    EXPECT_EQ(problemCount(ws), j.at("problems").get<qint64>());
}

TEST_F(CliTest, ImportsJsonl)
{
    const QString ws = path(QStringLiteral("ws.crucible"));
    ASSERT_EQ(cli({QStringLiteral("init"), ws}).code, 0);
    const QString file = write(QStringLiteral("problems.jsonl"), kJsonl);

    const CliResult r = cli({QStringLiteral("import"), ws, file, QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j.at("imported"), 3);
    EXPECT_TRUE(j.at("skipped").empty());
    EXPECT_EQ(j.at("problem_ids"), json::array({"p1", "p2", "p3"}));
    EXPECT_TRUE(j.at("dataset_id").is_null());
    EXPECT_EQ(problemCount(ws), 3);
}

TEST_F(CliTest, ImportsCsvIntoANewDataset)
{
    const QString ws = path(QStringLiteral("ws.crucible"));
    ASSERT_EQ(cli({QStringLiteral("init"), ws}).code, 0);
    const QString file = write(QStringLiteral("problems.csv"),
                               "id,domain,statement,complexity\r\n"
                               "c1,finance,\"Price a bond, given its coupons\",complex\r\n"
                               "c2,,\"A statement\nover two lines\",simple\r\n");

    const CliResult r =
        cli({QStringLiteral("import"), ws, file, QStringLiteral("--domain"),
             QStringLiteral("general"), QStringLiteral("--dataset"), QStringLiteral("bonds")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Imported 2 problems"))) << r.out.toStdString();

    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    ProblemRepository repo(*w);
    ASSERT_TRUE(repo.get(QStringLiteral("c1")));
    EXPECT_EQ(repo.get(QStringLiteral("c1"))->statement,
              QStringLiteral("Price a bond, given its coupons"));
    EXPECT_EQ(repo.get(QStringLiteral("c1"))->complexity, Complexity::Complex);
    EXPECT_EQ(repo.get(QStringLiteral("c2"))->domain, QStringLiteral("general"));
    const std::vector<Dataset> datasets = DatasetRepository(*w).list();
    ASSERT_EQ(datasets.size(), 1u);
    EXPECT_EQ(datasets[0].name, QStringLiteral("bonds"));
    EXPECT_EQ(DatasetRepository(*w).memberCount(datasets[0].id), 2);
}

TEST_F(CliTest, MalformedLineFailsWithItsLocationAndWritesNothing)
{
    const QString ws = path(QStringLiteral("ws.crucible"));
    ASSERT_EQ(cli({QStringLiteral("init"), ws}).code, 0);
    const QString file = write(QStringLiteral("bad.jsonl"), R"({"id":"a","statement":"first"})"
                                                            "\n"
                                                            R"({"id":"b","statement":"second"})"
                                                            "\n"
                                                            R"({"id":"c","statement": oops})"
                                                            "\n"
                                                            R"({"id":"d","statement":"fourth"})"
                                                            "\n");

    const CliResult r = cli({QStringLiteral("import"), ws, file});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("bad.jsonl:3:"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("--skip-invalid"))) << r.err.toStdString();
    EXPECT_TRUE(r.out.isEmpty());
    EXPECT_EQ(problemCount(ws), 0);

    const CliResult skip = cli({QStringLiteral("import"), ws, file,
                                QStringLiteral("--skip-invalid"), QStringLiteral("--json")});
    ASSERT_EQ(skip.code, 0) << skip.err.toStdString();
    const json j = skip.outJson();
    EXPECT_EQ(j.at("imported"), 3);
    ASSERT_EQ(j.at("skipped").size(), 1u);
    EXPECT_EQ(j.at("skipped")[0].at("line"), 3);
    EXPECT_GT(j.at("skipped")[0].at("column").get<int>(), 0);
    EXPECT_TRUE(QString::fromStdString(j.at("skipped")[0].at("file").get<std::string>())
                    .endsWith(QStringLiteral("bad.jsonl")));
    EXPECT_EQ(problemCount(ws), 3);
}

TEST_F(CliTest, SkipInvalidListsTheSkippedRecords)
{
    const QString ws = path(QStringLiteral("ws.crucible"));
    ASSERT_EQ(cli({QStringLiteral("init"), ws}).code, 0);
    const QString file = write(QStringLiteral("mixed.jsonl"), R"({"id":"a","statement":"ok"})"
                                                              "\n"
                                                              R"({"id":"b"})"
                                                              "\n");
    const CliResult r = cli({QStringLiteral("import"), ws, file, QStringLiteral("--skip-invalid")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Imported 1 problem"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Skipped 1 invalid record"))) << r.out.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("mixed.jsonl:2:"))) << r.err.toStdString();
    EXPECT_EQ(problemCount(ws), 1);
}

TEST_F(CliTest, ExportThenImportIsLossless)
{
    const QString ws = seededWorkspace();
    const auto original = allProblems(ws);
    ASSERT_EQ(original.size(), 3u);

    for (const QString &ext : {QStringLiteral("jsonl"), QStringLiteral("csv")}) {
        SCOPED_TRACE(ext.toStdString());
        const QString out = path(QStringLiteral("export.") + ext);
        const CliResult e = cli(
            {QStringLiteral("export"), ws, QStringLiteral("--out"), out, QStringLiteral("--json")});
        ASSERT_EQ(e.code, 0) << e.err.toStdString();
        EXPECT_EQ(e.outJson().at("exported"), 3);
        EXPECT_EQ(e.outJson().at("format"), ext.toStdString());

        const QString copy = path(QStringLiteral("copy-") + ext + QStringLiteral(".crucible"));
        ASSERT_EQ(cli({QStringLiteral("init"), copy}).code, 0);
        const CliResult i = cli({QStringLiteral("import"), copy, out});
        ASSERT_EQ(i.code, 0) << i.err.toStdString();

        const auto copied = allProblems(copy);
        ASSERT_EQ(copied.size(), original.size());
        for (const auto &[id, doc] : original)
            EXPECT_EQ(copied.at(id), doc) << copied.at(id).dump() << "\n" << doc.dump();
    }
}

TEST_F(CliTest, ExportAppliesFiltersAndDatasets)
{
    const QString ws = seededWorkspace();
    const QString out = path(QStringLiteral("math.jsonl"));
    const CliResult r = cli({QStringLiteral("export"), ws, QStringLiteral("--out"), out,
                             QStringLiteral("--domain"), QStringLiteral("math")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 2 problems"))) << r.out.toStdString();
    EXPECT_EQ(read(out).count('\n'), 2);

    const CliResult unknown = cli({QStringLiteral("export"), ws, QStringLiteral("--out"), out,
                                   QStringLiteral("--dataset"), QStringLiteral("ds_nope")});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("no dataset with id ds_nope")));

    const QByteArray workspaceBytes = read(ws);
    const CliResult onto = cli({QStringLiteral("export"), ws, QStringLiteral("--out"), ws,
                                QStringLiteral("--format"), QStringLiteral("jsonl")});
    EXPECT_EQ(onto.code, 1);
    EXPECT_EQ(read(ws), workspaceBytes);

    const CliResult noFormat = cli({QStringLiteral("export"), ws, QStringLiteral("--out"),
                                    path(QStringLiteral("problems.txt"))});
    EXPECT_EQ(noFormat.code, 1);
    EXPECT_TRUE(noFormat.err.contains(QStringLiteral("--format"))) << noFormat.err.toStdString();
}

TEST_F(CliTest, ProblemsListsFiltersAndPrintsJson)
{
    const QString ws = seededWorkspace();

    const CliResult table = cli({QStringLiteral("problems"), ws});
    ASSERT_EQ(table.code, 0) << table.err.toStdString();
    EXPECT_TRUE(table.out.startsWith(QStringLiteral("ID"))) << table.out.toStdString();
    EXPECT_TRUE(table.out.contains(QStringLiteral("showing 3 of 3 problems")));
    for (const QString &line : table.out.split(u'\n'))
        EXPECT_LE(line.size(), 80) << line.toStdString();

    const CliResult search = cli({QStringLiteral("problems"), ws, QStringLiteral("--search"),
                                  QStringLiteral("delivery"), QStringLiteral("--json")});
    ASSERT_EQ(search.code, 0) << search.err.toStdString();
    json j = search.outJson();
    EXPECT_EQ(j.at("total"), 1);
    ASSERT_EQ(j.at("problems").size(), 1u);
    EXPECT_EQ(j.at("problems")[0].at("id"), "p3");
    EXPECT_EQ(j.at("problems")[0].at("domain"), "logistics");
    EXPECT_EQ(j.at("problems")[0].at("origin"), "adversarial");

    const CliResult domain =
        cli({QStringLiteral("--json"), QStringLiteral("problems"), ws, QStringLiteral("--domain"),
             QStringLiteral("math"), QStringLiteral("--complexity"), QStringLiteral("complex")});
    ASSERT_EQ(domain.code, 0) << domain.err.toStdString();
    j = domain.outJson();
    EXPECT_EQ(j.at("total"), 1);
    EXPECT_EQ(j.at("problems")[0].at("id"), "p2");

    const CliResult paged =
        cli({QStringLiteral("problems"), ws, QStringLiteral("--limit"), QStringLiteral("2"),
             QStringLiteral("--offset"), QStringLiteral("1"), QStringLiteral("--json")});
    ASSERT_EQ(paged.code, 0) << paged.err.toStdString();
    j = paged.outJson();
    EXPECT_EQ(j.at("total"), 3);
    ASSERT_EQ(j.at("problems").size(), 2u);
    EXPECT_EQ(j.at("problems")[0].at("id"), "p2");

    const CliResult page =
        cli({QStringLiteral("problems"), ws, QStringLiteral("--limit"), QStringLiteral("1")});
    EXPECT_TRUE(page.out.contains(QStringLiteral("showing 1 of 3 problems")));
    EXPECT_TRUE(page.out.contains(QStringLiteral("--offset 1")));
}

TEST_F(CliTest, ShowPrintsAProblemOrADataset)
{
    const QString ws = seededWorkspace();
    const CliResult r = cli({QStringLiteral("show"), ws, QStringLiteral("p2")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Multiply two matrices"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("parent:      p1")));
    EXPECT_TRUE(r.out.contains(QStringLiteral("noise=none, size=large")));
    EXPECT_TRUE(r.out.contains(QStringLiteral(R"({"a":[[1,2],[3,4]],"n":3})")))
        << r.out.toStdString();

    const CliResult j =
        cli({QStringLiteral("show"), ws, QStringLiteral("p1"), QStringLiteral("--json")});
    ASSERT_EQ(j.code, 0);
    EXPECT_EQ(j.outJson(), allProblems(ws).at(QStringLiteral("p1")));

    const QString file = write(QStringLiteral("more.jsonl"), R"({"id":"m1","statement":"x"})");
    const CliResult imported = cli({QStringLiteral("import"), ws, file, QStringLiteral("--dataset"),
                                    QStringLiteral("extra"), QStringLiteral("--json")});
    ASSERT_EQ(imported.code, 0) << imported.err.toStdString();
    const QString datasetId =
        QString::fromStdString(imported.outJson().at("dataset_id").get<std::string>());
    const CliResult ds = cli({QStringLiteral("show"), ws, datasetId});
    ASSERT_EQ(ds.code, 0) << ds.err.toStdString();
    EXPECT_TRUE(ds.out.contains(QStringLiteral("Dataset ") + datasetId));
    EXPECT_TRUE(ds.out.contains(QStringLiteral("m1")));
}

TEST_F(CliTest, ShowUnknownIdFailsWithAHint)
{
    const QString ws = seededWorkspace();
    const CliResult r = cli({QStringLiteral("show"), ws, QStringLiteral("nope")});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.out.isEmpty());
    EXPECT_TRUE(r.err.contains(QStringLiteral("no problem or dataset with id nope in ") + ws))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("crucible-cli problems ") + ws));
}

TEST_F(CliTest, UsageErrorsExitWithTwo)
{
    const QString ws = seededWorkspace();
    const QList<QStringList> cases{
        {},
        {QStringLiteral("frobnicate")},
        {QStringLiteral("problems")},
        {QStringLiteral("problems"), ws, QStringLiteral("--limit"), QStringLiteral("many")},
        {QStringLiteral("problems"), ws, QStringLiteral("--complexity"), QStringLiteral("hard")},
        {QStringLiteral("import"), ws, QStringLiteral("x.jsonl"), QStringLiteral("--format"),
         QStringLiteral("xml")},
        {QStringLiteral("stats"), ws, QStringLiteral("--bogus")},
        {QStringLiteral("show"), ws},
    };
    for (const QStringList &args : cases) {
        const CliResult r = cli(args);
        EXPECT_EQ(r.code, 2) << args.join(u' ').toStdString() << "\n" << r.err.toStdString();
        EXPECT_FALSE(r.err.isEmpty());
    }
    const CliResult r =
        cli({QStringLiteral("problems"), ws, QStringLiteral("--limit"), QStringLiteral("many")});
    EXPECT_TRUE(r.err.contains(QStringLiteral("crucible-cli problems --help")))
        << r.err.toStdString();
}

TEST_F(CliTest, HelpAndVersionSucceed)
{
    const CliResult help = cli({QStringLiteral("--help")});
    EXPECT_EQ(help.code, 0);
    for (const char *command : {"init", "import", "export", "problems", "show", "lineage", "stats"})
        EXPECT_TRUE(help.out.contains(QString::fromUtf8(command))) << command;

    const CliResult importHelp = cli({QStringLiteral("import"), QStringLiteral("--help")});
    EXPECT_EQ(importHelp.code, 0);
    EXPECT_TRUE(importHelp.out.contains(QStringLiteral("--skip-invalid")))
        << importHelp.out.toStdString();

    const CliResult version = cli({QStringLiteral("--version")});
    EXPECT_EQ(version.code, 0);
    EXPECT_TRUE(version.out.startsWith(QStringLiteral("crucible-cli ")));
}

TEST_F(CliTest, StatsCountsWhatTheWorkspaceHolds)
{
    const QString ws = seededWorkspace();
    const CliResult r = cli({QStringLiteral("stats"), ws, QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j.at("problems"), 3);
    EXPECT_EQ(j.at("datasets"), 0);
    EXPECT_EQ(j.at("domains").at("math"), 2);
    EXPECT_EQ(j.at("domains").at("logistics"), 1);
    EXPECT_EQ(j.at("complexity").at("complex"), 1);

    const CliResult text = cli({QStringLiteral("stats"), ws});
    ASSERT_EQ(text.code, 0);
    EXPECT_TRUE(text.out.contains(QStringLiteral("problems        3"))) << text.out.toStdString();
}

TEST_F(CliTest, LineageShowsParentsAndChildren)
{
    const QString ws = seededWorkspace();
    const CliResult r = cli({QStringLiteral("lineage"), ws, QStringLiteral("p2")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QStringList lines = r.out.split(u'\n');
    ASSERT_GE(lines.size(), 3);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("p1 "))) << r.out.toStdString();
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("└── p2 "))) << r.out.toStdString();
    EXPECT_TRUE(lines[1].contains(QStringLiteral("this problem")));
    EXPECT_TRUE(lines[2].startsWith(QStringLiteral("    └── p3 "))) << r.out.toStdString();

    const CliResult j =
        cli({QStringLiteral("lineage"), ws, QStringLiteral("p2"), QStringLiteral("--json")});
    ASSERT_EQ(j.code, 0);
    const json doc = j.outJson();
    EXPECT_EQ(doc.at("problem").at("id"), "p2");
    ASSERT_EQ(doc.at("ancestors").size(), 1u);
    EXPECT_EQ(doc.at("ancestors")[0].at("id"), "p1");
    EXPECT_EQ(doc.at("ancestors")[0].at("depth"), 1);
    ASSERT_EQ(doc.at("descendants").size(), 1u);
    EXPECT_EQ(doc.at("descendants")[0].at("id"), "p3");

    const CliResult unknown = cli({QStringLiteral("lineage"), ws, QStringLiteral("zz")});
    EXPECT_EQ(unknown.code, 1);
}

TEST_F(CliTest, NonWorkspaceFileIsRejectedAndLeftUnchanged)
{
    const QByteArray bytes = "these are my notes, not a workspace\n";
    const QString notes = write(QStringLiteral("notes.crucible"), bytes);
    const QString jsonl = write(QStringLiteral("p.jsonl"), kJsonl);
    const QList<QStringList> cases{
        {QStringLiteral("stats"), notes},
        {QStringLiteral("problems"), notes},
        {QStringLiteral("show"), notes, QStringLiteral("p1")},
        {QStringLiteral("lineage"), notes, QStringLiteral("p1")},
        {QStringLiteral("export"), notes, QStringLiteral("--out"), path(QStringLiteral("o.jsonl"))},
        {QStringLiteral("import"), notes, jsonl},
        {QStringLiteral("init"), notes},
    };
    for (const QStringList &args : cases) {
        const CliResult r = cli(args);
        EXPECT_EQ(r.code, 1) << args.join(u' ').toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("notes.crucible"))) << r.err.toStdString();
        EXPECT_TRUE(r.out.isEmpty());
    }
    const CliResult r = cli({QStringLiteral("stats"), notes});
    EXPECT_TRUE(r.err.contains(QStringLiteral("not a Crucible workspace"))) << r.err.toStdString();
    EXPECT_EQ(read(notes), bytes);
    EXPECT_FALSE(QFile::exists(path(QStringLiteral("o.jsonl"))));
    const QStringList entries = QDir(m_dir.path()).entryList(QDir::Files);
    EXPECT_FALSE(entries.contains(QStringLiteral("notes.crucible-wal")));
}

TEST_F(CliTest, MissingWorkspaceSaysHowToCreateOne)
{
    const QString ws = path(QStringLiteral("missing.crucible"));
    const CliResult r = cli({QStringLiteral("stats"), ws});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("does not exist"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("crucible-cli init")));
    EXPECT_FALSE(QFile::exists(ws));

    const CliResult import =
        cli({QStringLiteral("import"), ws, write(QStringLiteral("p.jsonl"), kJsonl)});
    EXPECT_EQ(import.code, 1);
    EXPECT_FALSE(QFile::exists(ws));
}

TEST_F(CliTest, JsonFlagWorksBeforeAndAfterTheSubcommand)
{
    const QString ws = seededWorkspace();
    for (const QStringList &args :
         {QStringList{QStringLiteral("--json"), QStringLiteral("stats"), ws},
          QStringList{QStringLiteral("stats"), QStringLiteral("--json"), ws},
          QStringList{QStringLiteral("stats"), ws, QStringLiteral("--json")}}) {
        const CliResult r = cli(args);
        ASSERT_EQ(r.code, 0) << r.err.toStdString();
        EXPECT_EQ(r.outJson().at("problems"), 3) << args.join(u' ').toStdString();
    }
}

} // namespace
} // namespace crucible::cli
