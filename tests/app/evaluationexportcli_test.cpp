// `crucible-cli export --format dpo|dpo-openai|solutions|cypher|neo4j-csv`: files, --json
// summaries, the pair options, and the messages for options that do not apply or an empty
// workspace.

#include "core/store/graphexporter.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/graphfileparser.h"
#include "tests/support/testworkspace.h"

#include <QDir>
#include <QFileInfo>
#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::readAll;

class EvaluationExportCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = dir.file(QStringLiteral("ws.crucible"));
        auto w = Workspace::create(ws);
        s = test::buildEvaluationScenario(*w);
    }

    QString file(const char *name) const { return dir.file(QString::fromUtf8(name)); }
    CliResult exportCli(const QStringList &extra) const
    {
        return runCli(QStringList{QStringLiteral("export"), ws} + extra);
    }

    static std::vector<json> jsonLines(const QString &path)
    {
        std::vector<json> out;
        for (const QByteArray &line : readAll(path).split('\n'))
            if (!line.isEmpty())
                out.push_back(json::parse(line.toStdString()));
        return out;
    }

    test::TempFolder dir;
    QString ws;
    test::EvaluationScenario s;
};

TEST_F(EvaluationExportCliTest, DpoWithOptionsAndJsonSummary)
{
    const QString out = file("pairs.jsonl");
    const CliResult r =
        exportCli({QStringLiteral("--format"), QStringLiteral("dpo"), QStringLiteral("--out"), out,
                   QStringLiteral("--only-agreed"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["exported"], 2);
    EXPECT_EQ(j["available"], 5);
    EXPECT_EQ(j["format"], "dpo");
    EXPECT_EQ(j["only_agreed"], true);
    const auto lines = jsonLines(out);
    ASSERT_EQ(lines.size(), 2u);
    for (const json &line : lines) {
        EXPECT_EQ(line.size(), 3u);
        EXPECT_NE(line["chosen"], line["rejected"]);
    }
}

TEST_F(EvaluationExportCliTest, DpoOpenAiWithAMinimumGapInText)
{
    const QString out = file("pairs-openai.jsonl");
    const CliResult r = exportCli({QStringLiteral("--format"), QStringLiteral("dpo-openai"),
                                   QStringLiteral("--out"), out, QStringLiteral("--min-gap"),
                                   QStringLiteral("0.1")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 2 preference pairs to ") + out +
                               QStringLiteral(" (dpo-openai)")))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Left out 3 of 5 pairs by the options")));
    const auto lines = jsonLines(out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["input"]["messages"][0]["role"], "user");
    EXPECT_EQ(lines[0]["preferred_output"][0]["role"], "assistant");
    EXPECT_EQ(lines[0]["non_preferred_output"][0]["content"], "Clone: 41 USD");
}

TEST_F(EvaluationExportCliTest, SolutionsForADataset)
{
    const QString out = file("solutions.jsonl");
    const CliResult r =
        exportCli({QStringLiteral("--format"), QStringLiteral("solutions"), QStringLiteral("--out"),
                   out, QStringLiteral("--dataset"), s.dataset, QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["exported"], 5);
    EXPECT_EQ(jsonLines(out).size(), 5u);
    const CliResult missing =
        exportCli({QStringLiteral("--format"), QStringLiteral("solutions"), QStringLiteral("--out"),
                   out, QStringLiteral("--dataset"), QStringLiteral("ds_nope")});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("no dataset with id ds_nope")));
}

TEST_F(EvaluationExportCliTest, CypherAndNeo4jCsvAgree)
{
    const QString script = file("graph.cypher");
    const CliResult c = exportCli(
        {QStringLiteral("--format"), QStringLiteral("cypher"), QStringLiteral("--out"), script});
    ASSERT_EQ(c.code, 0) << c.err.toStdString();
    EXPECT_TRUE(c.out.contains(QStringLiteral("cypher-shell -u neo4j -p PASSWORD -f ") + script));
    const QString folder = file("neo4j");
    const CliResult v = exportCli({QStringLiteral("--format"), QStringLiteral("neo4j-csv"),
                                   QStringLiteral("--out"), folder, QStringLiteral("--json")});
    ASSERT_EQ(v.code, 0) << v.err.toStdString();
    const json j = v.outJson();
    EXPECT_EQ(j["folder"], folder.toStdString());
    EXPECT_EQ(j["labels"]["Solution"], 7);
    EXPECT_TRUE(QFileInfo(QDir(folder).filePath(QStringLiteral("import.sh"))).isExecutable());

    const test::ParsedGraph a = test::parseCypherScript(readAll(script).toStdString());
    const test::ParsedGraph b = test::parseNeo4jCsvFolder(folder);
    EXPECT_TRUE(a.errors.empty());
    EXPECT_TRUE(b.errors.empty());
    EXPECT_EQ(a.relationshipKeys(), b.relationshipKeys());
    EXPECT_EQ(static_cast<qint64>(a.relationships.size()), j["relationships"].get<qint64>());
}

TEST_F(EvaluationExportCliTest, OptionsThatDoNotApplyAreRefused)
{
    const QString out = file("x");
    struct Case
    {
        QStringList args;
        const char *message;
    };
    const std::vector<Case> cases = {
        {{QStringLiteral("--format"), QStringLiteral("cypher"), QStringLiteral("--only-agreed")},
         "--only-agreed does not apply to --format cypher"},
        {{QStringLiteral("--format"), QStringLiteral("solutions"), QStringLiteral("--min-gap"),
          QStringLiteral("0.2")},
         "--min-gap does not apply to --format solutions"},
        {{QStringLiteral("--format"), QStringLiteral("dpo"), QStringLiteral("--dataset"),
          s.dataset},
         "--dataset does not apply to --format dpo"},
        {{QStringLiteral("--format"), QStringLiteral("dpo"), QStringLiteral("--interactions")},
         "--interactions does not apply to --format dpo"},
        {{QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--only-agreed")},
         "--only-agreed applies to preference pairs only"},
        {{QStringLiteral("--format"), QStringLiteral("dpo"), QStringLiteral("--tournament"),
          QStringLiteral("trn_nope")},
         "no tournament with id trn_nope"},
    };
    for (const Case &c : cases) {
        const CliResult r = exportCli(c.args + QStringList{QStringLiteral("--out"), out});
        EXPECT_EQ(r.code, 1) << c.message;
        EXPECT_TRUE(r.err.contains(QString::fromUtf8(c.message))) << r.err.toStdString();
    }
    // neo4j-csv writes a folder; a file in the way is an error, and cypher refuses a folder.
    test::writeFile(out, "x");
    const CliResult file = exportCli(
        {QStringLiteral("--format"), QStringLiteral("neo4j-csv"), QStringLiteral("--out"), out});
    EXPECT_EQ(file.code, 1);
    EXPECT_TRUE(file.err.contains(QStringLiteral("writes a folder"))) << file.err.toStdString();
    const CliResult folder = exportCli({QStringLiteral("--format"), QStringLiteral("cypher"),
                                        QStringLiteral("--out"), dir.path()});
    EXPECT_EQ(folder.code, 1);
    EXPECT_TRUE(folder.err.contains(QStringLiteral("is a folder"))) << folder.err.toStdString();
}

TEST(EvaluationExportCliEmpty, NoPairsSaysToRunATournament)
{
    test::TempFolder dir;
    const QString ws = dir.file(QStringLiteral("ws.crucible"));
    Workspace::create(ws);
    const QString out = dir.file(QStringLiteral("pairs.jsonl"));
    const CliResult r = runCli({QStringLiteral("export"), ws, QStringLiteral("--format"),
                                QStringLiteral("dpo"), QStringLiteral("--out"), out});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("Exported 0 preference pairs")));
    EXPECT_TRUE(r.err.contains(QStringLiteral("holds no preference pairs yet")));
    EXPECT_TRUE(r.err.contains(QStringLiteral("run `crucible-cli tournament")));
}

} // namespace
} // namespace crucible::cli
