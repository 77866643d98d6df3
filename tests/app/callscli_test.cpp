// `crucible-cli llm chat --schema` against the loopback server in each structured mode, and
// `crucible-cli calls` showing which mode answered.

#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::LlmTestServerThread;

class CallsCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("calls.crucible"));
        QFile schema(m_dir.filePath(QStringLiteral("rating.json")));
        ASSERT_TRUE(schema.open(QIODevice::WriteOnly));
        schema.write(R"({"type": "object", "required": ["title", "score"],
            "properties": {"title": {"type": "string"}, "score": {"type": "integer"}}})");
        m_schema = schema.fileName();
        // Anthropic refuses to call without a key; the loopback server accepts any.
        qputenv("CRUCIBLE_TEST_LLM_KEY", "test-key");
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    CliResult chat(const QString &type, const QString &prompt, const QStringList &extra = {})
    {
        const QString url = type == QStringLiteral("anthropic")
                                ? m_server.server().baseUrl().toString()
                                : m_server.server().openAiBaseUrl().toString();
        return runCli(QStringList{QStringLiteral("llm"), QStringLiteral("chat"), prompt,
                                  QStringLiteral("--type"), type, QStringLiteral("--base-url"), url,
                                  QStringLiteral("--model"), QStringLiteral("test-model"),
                                  QStringLiteral("--schema"), m_schema,
                                  QStringLiteral("--api-key-env"),
                                  QStringLiteral("CRUCIBLE_TEST_LLM_KEY"),
                                  QStringLiteral("--workspace"), m_ws, QStringLiteral("--json")} +
                      extra);
    }

    json calls(const QStringList &extra = {})
    {
        const CliResult r =
            runCli(QStringList{QStringLiteral("calls"), m_ws, QStringLiteral("--json")} + extra);
        EXPECT_EQ(r.code, 0) << r.err.toStdString();
        return json::parse(r.out.toStdString());
    }

    LlmTestServerThread m_server;
    QTemporaryDir m_dir;
    QString m_ws;
    QString m_schema;
};

TEST_F(CallsCliTest, TheLedgerShowsTheNativeModeOfEachProvider)
{
    const CliResult anthropic = chat(QStringLiteral("anthropic"), QStringLiteral("Rate a film"));
    ASSERT_EQ(anthropic.code, 0) << anthropic.err.toStdString();
    const json a = json::parse(anthropic.out.toStdString());
    EXPECT_EQ(a["structured_mode"], "tool");
    EXPECT_TRUE(a["value"]["score"].is_number_integer());
    EXPECT_EQ(m_server.server().lastRequest()->json()["tool_choice"]["name"], "rating");

    const CliResult openAi = chat(QStringLiteral("openai"), QStringLiteral("Rate a book"));
    ASSERT_EQ(openAi.code, 0) << openAi.err.toStdString();
    EXPECT_EQ(json::parse(openAi.out.toStdString())["structured_mode"], "json_schema");

    const json listed = calls();
    EXPECT_EQ(listed["total"], 2);
    ASSERT_EQ(listed["calls"].size(), 2u);
    EXPECT_EQ(listed["calls"][0]["structured_mode"], "json_schema") << "newest first";
    EXPECT_EQ(listed["calls"][0]["provider"], "adhoc-openai");
    EXPECT_EQ(listed["calls"][1]["structured_mode"], "tool");
    EXPECT_EQ(listed["calls"][1]["status"], "ok");

    const CliResult text = runCli({QStringLiteral("calls"), m_ws});
    ASSERT_EQ(text.code, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("output"))) << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral(" tool "))) << text.out.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral(" json_schema "))) << text.out.toStdString();
}

TEST_F(CallsCliTest, AServerWithoutToolsFallsBackToThePromptAndTheLedgerSaysWhy)
{
    m_server.server().setRejected(true, false, false);
    const CliResult r = chat(QStringLiteral("anthropic"), QStringLiteral("Rate a play"));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(json::parse(r.out.toStdString())["structured_mode"], "prompt");

    const json listed = calls();
    ASSERT_EQ(listed["calls"].size(), 2u);
    const json &refused = listed["calls"][1];
    EXPECT_EQ(refused["status"], "error");
    EXPECT_EQ(refused["structured_mode"], "tool");
    EXPECT_NE(refused["error"].get<std::string>().find("falls back to the JSON Schema in the "
                                                       "system prompt"),
              std::string::npos)
        << refused["error"];
    EXPECT_EQ(listed["calls"][0]["structured_mode"], "prompt");
    EXPECT_EQ(calls({QStringLiteral("--status"), QStringLiteral("error")})["total"], 1);
}

TEST_F(CallsCliTest, TheStructuredOutputOptionPicksTheMode)
{
    const CliResult r =
        chat(QStringLiteral("openai"), QStringLiteral("Rate a song"),
             {QStringLiteral("--structured-output"), QStringLiteral("json_object")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_EQ(json::parse(r.out.toStdString())["structured_mode"], "json_object");
    EXPECT_EQ(m_server.server().lastRequest()->json()["response_format"]["type"], "json_object");

    const CliResult wrong = chat(QStringLiteral("openai"), QStringLiteral("Rate a poem"),
                                 {QStringLiteral("--structured-output"), QStringLiteral("tool")});
    EXPECT_NE(wrong.code, 0);
    EXPECT_TRUE(wrong.err.contains(QStringLiteral("needs the Anthropic provider type")))
        << wrong.err.toStdString();
}

TEST_F(CallsCliTest, AnEmptyLedgerSaysSo)
{
    ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
    const CliResult r = runCli({QStringLiteral("calls"), m_ws});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("no LLM calls recorded")));
    EXPECT_EQ(calls()["total"], 0);
}

} // namespace
} // namespace crucible::cli
