// `crucible-cli agents …` against the Simulated provider and the loopback server: list, show,
// render, history, create, clone, set-trait, export/import round trip, and bad input that
// changes nothing.

#include "core/store/agentrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/testworkspace.h"

#include <QFile>
#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::LlmTestServerThread;
namespace Fault = test::Fault;

class AgentsCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = dir.file(QStringLiteral("ws.crucible"));
        Workspace::create(ws);
    }

    CliResult agents(QStringList args, bool asJson = true)
    {
        args.prepend(ws);
        args.prepend(QStringLiteral("agents"));
        if (asJson)
            args.prepend(QStringLiteral("--json"));
        return runCli(args);
    }

    qint64 versionCount()
    {
        auto w = Workspace::open(ws, Workspace::Mode::ReadOnly);
        qint64 n = 0;
        AgentListOptions all;
        all.includeArchived = true;
        AgentRepository repo(*w);
        for (const AgentRecord &r : repo.list(all))
            n += static_cast<qint64>(repo.versions(r.id).size());
        return n;
    }

    test::TempFolder dir;
    QString ws;
};

TEST_F(AgentsCliTest, ListsTemplatesGroupedByRoleAndShowsThem)
{
    const CliResult text = agents({QStringLiteral("list")}, false);
    ASSERT_EQ(text.code, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("GENERATOR"))) << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("agt_tpl_critic")));
    EXPECT_LT(text.out.indexOf(QStringLiteral("GENERATOR")),
              text.out.indexOf(QStringLiteral("CRITIC")));

    const CliResult r = agents({QStringLiteral("list")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["total"], 4);
    EXPECT_EQ(r.outJson()["agents"][0]["is_template"], true);

    const CliResult show = agents({QStringLiteral("show"), QStringLiteral("agt_tpl_critic")});
    ASSERT_EQ(show.code, 0) << show.err.toStdString();
    const json s = show.outJson();
    EXPECT_EQ(s["definition"]["role"], "critic");
    EXPECT_EQ(s["agent"]["is_template"], true);
    EXPECT_EQ(s["trait_wording"][1]["phrase"], "very rigorous");

    const CliResult showText =
        agents({QStringLiteral("show"), QStringLiteral("agt_tpl_critic")}, false);
    EXPECT_TRUE(showText.out.contains(QStringLiteral("very skeptical")))
        << showText.out.toStdString();

    const CliResult render =
        agents({QStringLiteral("render"), QStringLiteral("agv_tpl_critic_1")}, false);
    ASSERT_EQ(render.code, 0);
    EXPECT_TRUE(render.out.startsWith(QStringLiteral("You are Critic, a critic agent")))
        << render.out.toStdString();
}

TEST_F(AgentsCliTest, CreateSetTraitAndHistory)
{
    CliResult r = agents(
        {QStringLiteral("create"), QStringLiteral("--role"), QStringLiteral("Generator"),
         QStringLiteral("--name"), QStringLiteral("Sol"), QStringLiteral("--trait"),
         QStringLiteral("creativity=80"), QStringLiteral("--domain"), QStringLiteral("logistics"),
         QStringLiteral("--define-trait"), QStringLiteral("patience=impatient/patient"),
         QStringLiteral("--trait"), QStringLiteral("patience=90")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QString id = QString::fromStdString(r.outJson()["agent_id"].get<std::string>());
    EXPECT_EQ(r.outJson()["definition"]["traits"]["creativity"], 80);
    EXPECT_EQ(r.outJson()["definition"]["traits"]["rigor"], 60); // role default
    EXPECT_NE(r.outJson()["system_prompt"].get<std::string>().find("extremely patient"),
              std::string::npos);

    r = agents({QStringLiteral("set-trait"), id, QStringLiteral("creativity=35"),
                QStringLiteral("rigor=90")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["version"], 2);

    const CliResult text = agents({QStringLiteral("history"), id}, false);
    ASSERT_EQ(text.code, 0);
    EXPECT_TRUE(text.out.contains(QStringLiteral("creativity 80→35"))) << text.out.toStdString();
    r = agents({QStringLiteral("history"), id});
    EXPECT_EQ(r.outJson()["versions"].size(), 2u);

    // From a template: a clone of it.
    r = agents({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("My judge"),
                QStringLiteral("--from-template"), QStringLiteral("agt_tpl_evaluator")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["agent"]["cloned_from"], "agv_tpl_evaluator_1");
    EXPECT_EQ(r.outJson()["definition"]["role"], "evaluator");
    r = agents({QStringLiteral("history"),
                QString::fromStdString(r.outJson()["agent_id"].get<std::string>())});
    EXPECT_EQ(r.outJson()["cloned_from"][0]["id"], "agv_tpl_evaluator_1");
}

TEST_F(AgentsCliTest, BadInputSaysWhatToDoAndChangesNothing)
{
    agents({QStringLiteral("list")});
    const qint64 before = versionCount();
    CliResult r = agents(
        {QStringLiteral("set-trait"), QStringLiteral("agt_tpl_critic"), QStringLiteral("rigor=10")},
        false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("template"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("clone")));

    r = agents({QStringLiteral("create"), QStringLiteral("--role"), QStringLiteral("critic"),
                QStringLiteral("--name"), QStringLiteral("X"), QStringLiteral("--trait"),
                QStringLiteral("charm=50")},
               false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("charm"))) << r.err.toStdString();
    r = agents({QStringLiteral("create"), QStringLiteral("--role"), QStringLiteral("critic"),
                QStringLiteral("--name"), QStringLiteral("X"), QStringLiteral("--trait"),
                QStringLiteral("rigor=150")},
               false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("0 to 100"))) << r.err.toStdString();
    r = agents({QStringLiteral("create"), QStringLiteral("--role"), QStringLiteral("critic"),
                QStringLiteral("--name"), QStringLiteral("X"), QStringLiteral("--trait"),
                QStringLiteral("rigor")},
               false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("NAME=VALUE"))) << r.err.toStdString();
    r = agents({QStringLiteral("show"), QStringLiteral("agt_nobody")}, false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("agents %1 list").arg(ws))) << r.err.toStdString();
    EXPECT_EQ(versionCount(), before);
}

TEST_F(AgentsCliTest, CloneWithTheSimulatedProviderAndOverrides)
{
    const CliResult r = agents({QStringLiteral("clone"), QStringLiteral("agt_tpl_critic"),
                                QStringLiteral("--specialization"), QStringLiteral("tax law"),
                                QStringLiteral("--trait"), QStringLiteral("rigor=+10"),
                                QStringLiteral("--type"), QStringLiteral("simulated")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json j = r.outJson();
    EXPECT_EQ(j["definition"]["traits"]["rigor"], 95); // 85 + 10 wins over any suggestion
    EXPECT_EQ(j["definition"]["identity"]["name"], "Critic (tax law)");
    EXPECT_EQ(j["parent_version_id"], "agv_tpl_critic_1");
    EXPECT_EQ(j["agent"]["cloned_from"], "agv_tpl_critic_1");
    for (const json &a : j["suggestion"]["adjustments"])
        EXPECT_LE(std::abs(a["delta"].get<int>()), 25);
    EXPECT_FALSE(j["suggestion"]["call_ids"].empty());

    const CliResult text = agents({QStringLiteral("clone"), QStringLiteral("agt_tpl_generator"),
                                   QStringLiteral("--specialization"), QStringLiteral("chess"),
                                   QStringLiteral("--no-llm"), QStringLiteral("--trait"),
                                   QStringLiteral("creativity=99")},
                                  false);
    ASSERT_EQ(text.code, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("set to 99 by you"))) << text.out.toStdString();
}

TEST_F(AgentsCliTest, CloneAgainstTheLoopbackServerWithAnAnswerThatStaysInvalid)
{
    qputenv("CRUCIBLE_TEST_LLM_KEY", "k");
    LlmTestServerThread server;
    server.server().setAnswerHandler([](const json &) {
        return QByteArrayLiteral(R"({"adjustments": [{"trait": "creativity", "delta": -10, )"
                                 R"("reason": "Tax is conservative."}], "knowledge_domains": )"
                                 R"(["VAT"], "description": "Tax critic."})");
    });
    const QStringList loopback{
        QStringLiteral("--type"),        QStringLiteral("openai"),
        QStringLiteral("--base-url"),    server.server().openAiBaseUrl().toString(),
        QStringLiteral("--model"),       QStringLiteral("test-model"),
        QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY")};
    CliResult r = agents(QStringList{QStringLiteral("clone"), QStringLiteral("agt_tpl_critic"),
                                     QStringLiteral("--specialization"), QStringLiteral("tax")} +
                         loopback);
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["definition"]["traits"]["creativity"], 25);
    EXPECT_EQ(r.outJson()["definition"]["knowledge_domains"].back(), "VAT");

    const qint64 before = versionCount();
    for (int i = 0; i < 4; ++i)
        server.server().pushFault(Fault::MalformedJson{});
    r = agents(QStringList{QStringLiteral("clone"), QStringLiteral("agt_tpl_critic"),
                           QStringLiteral("--specialization"), QStringLiteral("customs")} +
                   loopback,
               false);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("Nothing was written"))) << r.err.toStdString();
    EXPECT_EQ(versionCount(), before);
}

TEST_F(AgentsCliTest, ExportImportRoundTrip)
{
    CliResult r =
        agents({QStringLiteral("create"), QStringLiteral("--role"), QStringLiteral("refiner"),
                QStringLiteral("--name"), QStringLiteral("Polish")});
    const QString id = QString::fromStdString(r.outJson()["agent_id"].get<std::string>());
    agents({QStringLiteral("set-trait"), id, QStringLiteral("verbosity=10")});
    const QString file = dir.file(QStringLiteral("agents.json"));
    r = agents({QStringLiteral("export"), QStringLiteral("--out"), file});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["agents"], 5);
    EXPECT_EQ(r.outJson()["versions"], 6);

    // The export command's hook writes the same content.
    const QString viaExport = dir.file(QStringLiteral("via-export.json"));
    r = runCli({QStringLiteral("export"), ws, QStringLiteral("--format"), QStringLiteral("agents"),
                QStringLiteral("--out"), viaExport});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    json a = json::parse(test::readAll(file).toStdString());
    json b = json::parse(test::readAll(viaExport).toStdString());
    a.erase("exported_at");
    b.erase("exported_at");
    EXPECT_EQ(a, b);

    const QString other = dir.file(QStringLiteral("other.crucible"));
    Workspace::create(other);
    r = runCli({QStringLiteral("--json"), QStringLiteral("agents"), other, QStringLiteral("import"),
                file});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(r.outJson()["agents_added"], 1); // templates were already installed there
    EXPECT_EQ(r.outJson()["versions_added"], 2);
    EXPECT_EQ(r.outJson()["agents_skipped"], 4);
    {
        auto w = Workspace::open(other, Workspace::Mode::ReadOnly);
        AgentRepository repo(*w);
        const auto head = repo.head(id);
        ASSERT_TRUE(head);
        EXPECT_EQ(head->version, 2);
        EXPECT_EQ(head->definition.traits.at(QStringLiteral("verbosity")), 10);
        auto w1 = Workspace::open(ws, Workspace::Mode::ReadOnly);
        EXPECT_EQ(AgentRepository(*w1).versions(id), repo.versions(id));
    }
    // Importing again adds nothing.
    r = runCli({QStringLiteral("--json"), QStringLiteral("agents"), other, QStringLiteral("import"),
                file});
    EXPECT_EQ(r.outJson()["agents_added"], 0);
    EXPECT_EQ(r.outJson()["versions_added"], 0);

    // A broken file imports nothing and says where.
    json broken = json::parse(test::readAll(file).toStdString());
    size_t index = 0;
    while (broken["agents"][index]["id"] != id.toStdString())
        ++index;
    json &polish = broken["agents"][index];
    polish["versions"][1]["definition"]["traits"]["verbosity"] = 300;
    polish["id"] = "agt_new";
    for (json &v : polish["versions"])
        v["agent_id"] = "agt_new";
    const QString bad = dir.file(QStringLiteral("bad.json"));
    test::writeFile(bad, QByteArray::fromStdString(broken.dump()));
    r = runCli({QStringLiteral("agents"), other, QStringLiteral("import"), bad});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("agents[%1].versions[1]").arg(index)))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("nothing was imported")));
}

} // namespace
} // namespace crucible::cli
