// `crucible-cli define`: a scripted session on the Simulated provider ends in a problem with its
// rubric; --list shows it finished; bad input says what to do and writes nothing.

#include "core/feedback/definitionsession.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "tests/app/clitestsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::cli;
using nlohmann::json;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
    return path;
}

} // namespace

TEST(DefineCli, AScriptedSessionBecomesARubricBackedProblem)
{
    QTemporaryDir dir;
    const QString ws = dir.filePath(QStringLiteral("d.crucible"));
    ASSERT_EQ(runCli({QStringLiteral("init"), ws}).code, 0);
    const QString answers =
        writeFile(dir, QStringLiteral("a.json"), R"({"q1.1": 1, "q1.2": "weekly", "*": "?"})");
    const CliResult r =
        runCli({QStringLiteral("define"), ws, QStringLiteral("--domain"), QStringLiteral("nursing"),
                QStringLiteral("We need a fair weekly roster for a 30-bed ward."),
                QStringLiteral("--answers"), answers, QStringLiteral("--type"),
                QStringLiteral("simulated"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json out = r.outJson();
    const QString problemId = QString::fromStdString(out["problem_id"].get<std::string>());
    EXPECT_GE(out["rounds"].size(), 1u);
    EXPECT_FALSE(out["rounds"][0]["changes"].empty()) << "the first draft is all new";
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    const auto p = ProblemRepository(*w).get(problemId);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->domain, QStringLiteral("nursing"));
    EXPECT_FALSE(p->metadata["rubric"].empty());
    const auto record =
        DefinitionSession::load(*w, QString::fromStdString(out["session_id"].get<std::string>()));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->status, QStringLiteral("finished"));
    // The scripted answers were recorded as given: a suggestion, text, and "you decide".
    const json &first = record->doc["rounds"][0]["answers"];
    EXPECT_EQ(first["q1.1"]["kind"], "answer");
    EXPECT_EQ(first["q1.2"]["text"], "weekly");
    EXPECT_EQ(first["q1.3"]["kind"], "you_decide");

    const CliResult list =
        runCli({QStringLiteral("define"), ws, QStringLiteral("--list"), QStringLiteral("--json")});
    ASSERT_EQ(list.code, 0);
    EXPECT_EQ(list.outJson()[0]["status"], "finished");
}

TEST(DefineCli, BadInputSaysWhatToDoAndWritesNothing)
{
    QTemporaryDir dir;
    const QString ws = dir.filePath(QStringLiteral("d.crucible"));
    ASSERT_EQ(runCli({QStringLiteral("init"), ws}).code, 0);
    const QString notJson = writeFile(dir, QStringLiteral("bad.json"), "[1, 2");
    const CliResult bad =
        runCli({QStringLiteral("define"), ws, QStringLiteral("--domain"), QStringLiteral("nursing"),
                QStringLiteral("A long statement."), QStringLiteral("--answers"), notJson,
                QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_NE(bad.code, 0);
    EXPECT_TRUE(bad.err.contains(QStringLiteral("not a JSON object"))) << bad.err.toStdString();
    const QString answers = writeFile(dir, QStringLiteral("a.json"), R"({"*": "?"})");
    const CliResult noDomain =
        runCli({QStringLiteral("define"), ws, QStringLiteral("A long statement."),
                QStringLiteral("--answers"), answers, QStringLiteral("--type"),
                QStringLiteral("simulated")});
    EXPECT_NE(noDomain.code, 0);
    EXPECT_TRUE(noDomain.err.contains(QStringLiteral("--domain"))) << noDomain.err.toStdString();
    const CliResult suggestion =
        runCli({QStringLiteral("define"), ws, QStringLiteral("--domain"), QStringLiteral("nursing"),
                QStringLiteral("We need a fair weekly roster for a 30-bed ward."),
                QStringLiteral("--answers"),
                writeFile(dir, QStringLiteral("nine.json"), R"({"q1.1": 9, "*": "?"})"),
                QStringLiteral("--type"), QStringLiteral("simulated")});
    EXPECT_NE(suggestion.code, 0);
    EXPECT_TRUE(suggestion.err.contains(QStringLiteral("no suggestion 9")))
        << suggestion.err.toStdString();
    auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
    EXPECT_EQ(ProblemRepository(*w).count(), 0);
}
