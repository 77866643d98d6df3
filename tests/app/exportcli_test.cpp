// `crucible-cli export`: the Hugging Face format, --card, and --interactions (OpenAI chat and
// transcripts), with their error messages.

#include "core/store/datasetexporter.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/testworkspace.h"

#include <QFile>
#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::makeProblem;
using test::readAll;

class ExportCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = dir.file(QStringLiteral("ws.crucible"));
        auto w = Workspace::create(ws);
        ProblemRepository problems(*w);
        for (int n = 1; n <= 3; ++n) {
            Problem p = makeProblem(n, QStringLiteral("finance"));
            p.metadata = {{"generator", "dataset"},
                          {"template", {{"id", "generate.seeds"}, {"version", 2}}}};
            problems.insert(p);
        }
        Dataset d;
        d.id = QStringLiteral("ds_1");
        d.name = QStringLiteral("Ledger puzzles");
        d.problemIds = {makeProblem(3).id, makeProblem(1).id};
        d.metadata = {{"generator", "dataset"}, {"job_id", "job_9"}};
        DatasetRepository(*w).insert(d);

        EntityStore store(*w);
        Interaction chat;
        chat.id = QStringLiteral("int_1");
        chat.problemId = makeProblem(1).id;
        chat.turns = {{QStringLiteral("user"), QStringLiteral("Ann"), QStringLiteral("Help?")},
                      {QStringLiteral("assistant"), QStringLiteral("Bot"), QStringLiteral("Yes.")},
                      {QStringLiteral("user"), QStringLiteral("Ann"), QStringLiteral("Thanks")}};
        store.put(chat);
        Interaction silent;
        silent.id = QStringLiteral("int_2");
        silent.problemId = makeProblem(2).id;
        silent.turns = {{QStringLiteral("user"), QStringLiteral("Ann"), QStringLiteral("Hi")}};
        store.put(silent);
    }

    QString file(const char *name) const { return dir.file(QString::fromUtf8(name)); }

    static CliResult cli(const QStringList &args) { return runCli(args); }
    CliResult exportCli(const QStringList &extra) const
    {
        return cli(QStringList{QStringLiteral("export"), ws} + extra);
    }

    test::TempFolder dir;
    QString ws;
};

TEST_F(ExportCliTest, HfFormatWithTheDefaultCard)
{
    const QString out = file("ledger.jsonl");
    const CliResult r =
        exportCli({QStringLiteral("--dataset"), QStringLiteral("ds_1"), QStringLiteral("--format"),
                   QStringLiteral("hf"), QStringLiteral("--out"), out, QStringLiteral("--card")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(
        r.out.contains(QStringLiteral("Exported 2 problems to ") + out + QStringLiteral(" (hf)")))
        << r.out.toStdString();
    const QString card = file("ledger.md");
    EXPECT_TRUE(r.out.contains(QStringLiteral("Wrote the dataset card to ") + card));

    const QList<QByteArray> lines = readAll(out).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    const json first = json::parse(lines[0].toStdString());
    EXPECT_EQ(first.at("id"), makeProblem(3).id.toStdString());
    EXPECT_EQ(first.at("template_id"), "generate.seeds");
    EXPECT_FALSE(first.contains("metadata"));

    const QString md = QString::fromUtf8(readAll(card));
    EXPECT_TRUE(md.startsWith(QStringLiteral("---\npretty_name: \"Ledger puzzles\"")));
    EXPECT_TRUE(md.contains(QStringLiteral("| Job | job_9 |")));
    EXPECT_TRUE(md.contains(QStringLiteral("data_files=\"ledger.jsonl\"")));
    EXPECT_TRUE(md.contains(QStringLiteral("## Fields")));
}

TEST_F(ExportCliTest, CardToAChosenFileWithJsonOutput)
{
    const QString out = file("ledger.csv");
    const QString card = file("README.md");
    const CliResult r =
        exportCli({QStringLiteral("--dataset"), QStringLiteral("ds_1"), QStringLiteral("--out"),
                   out, QStringLiteral("--card"), card, QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j.at("format"), "csv");
    EXPECT_EQ(j.at("exported"), 2);
    EXPECT_EQ(j.at("card"), card.toStdString());
    const QString md = QString::fromUtf8(readAll(card));
    EXPECT_TRUE(md.contains(QStringLiteral("load_dataset(\"csv\", data_files=\"ledger.csv\"")));
    EXPECT_FALSE(QFile::exists(file("ledger.md")));
}

TEST_F(ExportCliTest, CardErrorsSayWhatToDo)
{
    const CliResult noDataset =
        exportCli({QStringLiteral("--out"), file("all.jsonl"), QStringLiteral("--card")});
    EXPECT_EQ(noDataset.code, 1);
    EXPECT_TRUE(noDataset.err.contains(QStringLiteral("--card needs --dataset")))
        << noDataset.err.toStdString();
    EXPECT_TRUE(noDataset.err.contains(QStringLiteral("crucible-cli datasets ") + ws));
    EXPECT_FALSE(QFile::exists(file("all.jsonl")));

    const QString out = file("same.md");
    const CliResult same = exportCli({QStringLiteral("--dataset"), QStringLiteral("ds_1"),
                                      QStringLiteral("--format"), QStringLiteral("jsonl"),
                                      QStringLiteral("--out"), out, QStringLiteral("--card"), out});
    EXPECT_EQ(same.code, 1);
    EXPECT_TRUE(same.err.contains(QStringLiteral("same file as --out"))) << same.err.toStdString();

    const CliResult unknown = exportCli(
        {QStringLiteral("--dataset"), QStringLiteral("ds_x"), QStringLiteral("--format"),
         QStringLiteral("hf"), QStringLiteral("--out"), file("x.jsonl"), QStringLiteral("--card")});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("no dataset with id ds_x in ") + ws));
    EXPECT_FALSE(QFile::exists(file("x.md")));
}

TEST_F(ExportCliTest, InteractionsAsOpenAiChat)
{
    const QString out = file("chat.jsonl");
    const CliResult r = exportCli({QStringLiteral("--interactions"), QStringLiteral("--out"), out});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 1 interaction to ") + out +
                               QStringLiteral(" (openai)")))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Trimmed 1 ")));
    EXPECT_TRUE(r.err.contains(QStringLiteral("skipped 1 interaction with no message from the "
                                              "trained role (first: int_2)")))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("--assistant-role")));

    const json line = json::parse(readAll(out).trimmed().toStdString());
    ASSERT_EQ(line.at("messages").size(), 3u);
    EXPECT_EQ(line["messages"][0]["role"], "system");
    EXPECT_NE(line["messages"][0]["content"].get<std::string>().find(
                  makeProblem(1).statement.toStdString()),
              std::string::npos);
    EXPECT_EQ(line["messages"][1], json({{"role", "user"}, {"content", "Help?"}}));
    EXPECT_EQ(line["messages"][2], json({{"role", "assistant"}, {"content", "Yes."}}));
}

TEST_F(ExportCliTest, InteractionOptions)
{
    const QString out = file("ann.jsonl");
    const CliResult r = exportCli({QStringLiteral("--interactions"), QStringLiteral("--out"), out,
                                   QStringLiteral("--problem"), makeProblem(2).id,
                                   QStringLiteral("--assistant-role"), QStringLiteral("user"),
                                   QStringLiteral("--system"), QStringLiteral("Be brief."),
                                   QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j.at("read"), 1);
    EXPECT_EQ(j.at("exported"), 1);
    EXPECT_EQ(j.at("skipped_no_assistant"), 0);
    const json line = json::parse(readAll(out).trimmed().toStdString());
    EXPECT_EQ(line.at("messages"), json::parse(R"([{"role":"system","content":"Be brief."},
                                                   {"role":"assistant","content":"Hi"}])"));

    const CliResult noSystem =
        exportCli({QStringLiteral("--interactions"), QStringLiteral("--out"), out,
                   QStringLiteral("--system"), QString(), QStringLiteral("--json")});
    ASSERT_EQ(noSystem.code, 0) << noSystem.err.toStdString();
    EXPECT_EQ(json::parse(readAll(out).trimmed().toStdString())["messages"][0]["role"], "user");
}

TEST_F(ExportCliTest, InteractionsAsTranscripts)
{
    const QString out = file("transcripts.jsonl");
    const CliResult r = exportCli({QStringLiteral("--interactions"), QStringLiteral("--format"),
                                   QStringLiteral("transcript"), QStringLiteral("--out"), out});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 2 interactions")));
    const QList<QByteArray> lines = readAll(out).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    const json first = json::parse(lines[0].toStdString());
    EXPECT_EQ(first.at("id"), "int_1");
    EXPECT_EQ(first.at("turns").size(), 3u);
    EXPECT_EQ(first.at("turns")[0].at("speaker"), "Ann");
}

TEST_F(ExportCliTest, InteractionErrorsSayWhatToDo)
{
    struct Case
    {
        QStringList args;
        QString message;
        QString hint;
    };
    const QString out = file("i.jsonl");
    const QList<Case> cases{
        {{QStringLiteral("--interactions"), QStringLiteral("--problem"), QStringLiteral("nope")},
         QStringLiteral("no problem with id nope in ") + ws,
         QStringLiteral("crucible-cli problems ") + ws},
        {{QStringLiteral("--interactions"), QStringLiteral("--dataset"), QStringLiteral("ds_1")},
         QStringLiteral("--dataset applies to problems, not to --interactions"),
         QStringLiteral("--problem ID")},
        {{QStringLiteral("--interactions"), QStringLiteral("--format"), QStringLiteral("csv")},
         QStringLiteral("--format csv is a format for problems, not interactions"),
         QStringLiteral("--format openai")},
        {{QStringLiteral("--interactions"), QStringLiteral("--format"),
          QStringLiteral("transcript"), QStringLiteral("--system"), QStringLiteral("x")},
         QStringLiteral("apply to --format openai only"),
         QStringLiteral("leave them out")},
        {{QStringLiteral("--problem"), makeProblem(1).id},
         QStringLiteral("--problem applies to interactions only"),
         QStringLiteral("add --interactions")},
        {{QStringLiteral("--format"), QStringLiteral("openai")},
         QStringLiteral("--format openai is a format for interactions"),
         QStringLiteral("add --interactions")},
    };
    for (const Case &c : cases) {
        const CliResult r = exportCli(c.args + QStringList{QStringLiteral("--out"), out});
        SCOPED_TRACE(c.args.join(u' ').toStdString());
        EXPECT_EQ(r.code, 1);
        EXPECT_TRUE(r.err.contains(c.message)) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(c.hint)) << r.err.toStdString();
        EXPECT_FALSE(QFile::exists(out));
    }
    const CliResult usage = exportCli({QStringLiteral("--interactions"), QStringLiteral("--out"),
                                       out, QStringLiteral("--format"), QStringLiteral("xml")});
    EXPECT_EQ(usage.code, 2);
}

TEST_F(ExportCliTest, EmptyWorkspaceWarnsThatThereAreNoInteractions)
{
    const QString empty = file("empty.crucible");
    Workspace::create(empty);
    const CliResult r = cli({QStringLiteral("export"), empty, QStringLiteral("--interactions"),
                             QStringLiteral("--out"), file("none.jsonl")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(empty + QStringLiteral(" holds no interactions")))
        << r.err.toStdString();
    EXPECT_TRUE(QFile::exists(file("none.jsonl")));
}

} // namespace
} // namespace crucible::cli
