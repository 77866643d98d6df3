// Runs `crucible-cli llm …` in-process against the Simulated provider and a loopback server that
// speaks the OpenAI wire format.

#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/llmtestserverthread.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crucible::cli {
namespace {

using nlohmann::json;
using test::LlmTestServer;
using test::LlmTestServerThread;

CliResult cli(const QStringList &args)
{
    return runCli(args);
}

class LlmCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("calls.crucible"));
        m_providers = m_dir.filePath(QStringLiteral("providers.json"));
    }
    void TearDown() override { qunsetenv("CRUCIBLE_TEST_LLM_KEY"); }

    QStringList openAi(const LlmTestServerThread &server) const
    {
        return {QStringLiteral("--type"),        QStringLiteral("openai"),
                QStringLiteral("--base-url"),    server.server().openAiBaseUrl().toString(),
                QStringLiteral("--model"),       QStringLiteral("test-model"),
                QStringLiteral("--api-key-env"), QStringLiteral("CRUCIBLE_TEST_LLM_KEY"),
                QStringLiteral("--workspace"),   m_ws};
    }

    QTemporaryDir m_dir;
    QString m_ws;
    QString m_providers;
};

TEST_F(LlmCliTest, ChatWithTheSimulatedProviderIsCachedOnTheSecondRun)
{
    const QStringList args{QStringLiteral("llm"),
                           QStringLiteral("chat"),
                           QStringLiteral("Name three prime numbers"),
                           QStringLiteral("--type"),
                           QStringLiteral("simulated"),
                           QStringLiteral("--workspace"),
                           m_ws};
    const CliResult first = cli(args);
    ASSERT_EQ(first.code, 0) << first.err.toStdString();
    EXPECT_FALSE(first.out.trimmed().isEmpty());
    EXPECT_TRUE(first.err.contains(QStringLiteral("$0"))) << first.err.toStdString();
    EXPECT_FALSE(first.err.contains(QStringLiteral("cache")));

    const CliResult second = cli(args);
    ASSERT_EQ(second.code, 0);
    EXPECT_EQ(second.out, first.out);
    EXPECT_TRUE(second.err.contains(QStringLiteral("(cache)"))) << second.err.toStdString();

    const CliResult fresh = cli(args + QStringList{QStringLiteral("--no-cache")});
    EXPECT_FALSE(fresh.err.contains(QStringLiteral("(cache)")));

    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    LlmCallRepository repo(*ws);
    EXPECT_EQ(repo.count(), 3);
    EXPECT_EQ(repo.totals().cacheHits, 1);
}

TEST_F(LlmCliTest, ChatStreamsFromAnOpenAiServerAndNeverStoresTheKey)
{
    LlmTestServer::Options options;
    options.apiKey = "sk-test-SECRET-0123456789";
    LlmTestServerThread server(options);
    qputenv("CRUCIBLE_TEST_LLM_KEY", options.apiKey);
    const CliResult r =
        cli(QStringList{QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("Hello")} +
            openAi(server));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_FALSE(r.out.trimmed().isEmpty());
    EXPECT_TRUE(r.err.contains(QStringLiteral("test-model"))) << r.err.toStdString();
    EXPECT_TRUE(server.server().stats().sawAuthorization);

    QFile file(m_ws);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    QFile wal(m_ws + QStringLiteral("-wal"));
    if (wal.open(QIODevice::ReadOnly))
        bytes += wal.readAll();
    EXPECT_FALSE(bytes.contains("SECRET-0123456789"));
    EXPECT_TRUE(bytes.contains("Hello"));
}

TEST_F(LlmCliTest, ServerErrorsAreReportedWithStatusAndRequestIdAfterRetries)
{
    LlmTestServerThread server;
    server.server().pushFault(test::Fault::ServerError{500}, 10);
    const CliResult r =
        cli(QStringList{QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("Hello")} +
            openAi(server));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("HTTP 500"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("[request "))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("attempts"))) << r.err.toStdString();
}

TEST_F(LlmCliTest, ChatSurvivesARateLimitBurst)
{
    LlmTestServerThread server;
    server.server().pushFault(test::Fault::RateLimited{0, 50}, 2);
    const CliResult r =
        cli(QStringList{QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("Hello")} +
            openAi(server));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("3 attempts"))) << r.err.toStdString();
}

TEST_F(LlmCliTest, ModelsPingAndProviders)
{
    LlmTestServer::Options options;
    options.apiKey = "right-key";
    LlmTestServerThread server(options);
    qputenv("CRUCIBLE_TEST_LLM_KEY", "right-key");
    QStringList adHoc = openAi(server);
    adHoc = adHoc.mid(0, adHoc.size() - 2); // no --workspace for models/ping

    const CliResult models =
        cli(QStringList{QStringLiteral("llm"), QStringLiteral("models")} + adHoc);
    ASSERT_EQ(models.code, 0) << models.err.toStdString();
    EXPECT_TRUE(models.out.contains(QStringLiteral("test-model-large")));

    const CliResult ping = cli(QStringList{QStringLiteral("llm"), QStringLiteral("ping")} + adHoc);
    ASSERT_EQ(ping.code, 0) << ping.err.toStdString();
    EXPECT_TRUE(ping.out.startsWith(QStringLiteral("ok"))) << ping.out.toStdString();

    qputenv("CRUCIBLE_TEST_LLM_KEY", "wrong-key");
    const CliResult denied =
        cli(QStringList{QStringLiteral("llm"), QStringLiteral("ping"), QStringLiteral("--json")} +
            adHoc);
    EXPECT_EQ(denied.code, 1);
    EXPECT_EQ(denied.outJson()["verdict"], "auth") << denied.out.toStdString();

    const CliResult providers =
        cli({QStringLiteral("llm"), QStringLiteral("providers"), QStringLiteral("--json"),
             QStringLiteral("--providers-file"), m_providers});
    ASSERT_EQ(providers.code, 0) << providers.err.toStdString();
    const json list = providers.outJson()["providers"];
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["type"], "simulated");
    EXPECT_EQ(list[0]["default"], true);
}

TEST_F(LlmCliTest, StructuredChatReturnsSchemaValidJson)
{
    QFile schema(m_dir.filePath(QStringLiteral("rating.json")));
    ASSERT_TRUE(schema.open(QIODevice::WriteOnly));
    schema.write(R"({"type": "object", "required": ["title", "score"],
        "properties": {"title": {"type": "string", "minLength": 3},
                       "score": {"type": "integer", "minimum": 1, "maximum": 5}}})");
    schema.close();
    const CliResult r =
        cli({QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("Rate this movie"),
             QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--schema"),
             schema.fileName(), QStringLiteral("--workspace"), m_ws});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json value = r.outJson();
    EXPECT_GE(value["score"].get<int>(), 1);
    EXPECT_LE(value["score"].get<int>(), 5);
    EXPECT_GE(value["title"].get<std::string>().size(), 3u);
}

TEST_F(LlmCliTest, BenchAgainstTheLoopbackServer)
{
    LlmTestServer::Options options;
    options.latencyMs = 100;
    LlmTestServerThread server(options);
    const CliResult r = cli(QStringList{QStringLiteral("llm"), QStringLiteral("bench"),
                                        QStringLiteral("--requests"), QStringLiteral("40"),
                                        QStringLiteral("--concurrency"), QStringLiteral("20"),
                                        QStringLiteral("--json")} +
                            openAi(server));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["requests"], 40);
    EXPECT_EQ(report["errors"], 0) << report.dump();
    const json &latency = report["latency_ms"];
    EXPECT_GT(latency["p50"].get<qint64>(), 0); // measured, whatever the machine's speed
    EXPECT_LE(latency["p50"].get<qint64>(), latency["p95"].get<qint64>());
    EXPECT_LE(latency["p95"].get<qint64>(), latency["max"].get<qint64>());
    // The calls overlap on the server (the wall time is a benchmark's business: BENCHMARKS.md).
    EXPECT_GE(server.server().stats().maxInFlight, 15);
    EXPECT_TRUE(report["wall_ms"].is_number_integer());
}

TEST_F(LlmCliTest, UnknownProviderAndMissingBaseUrlAreClearErrors)
{
    const CliResult unknown =
        cli({QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("x"),
             QStringLiteral("--provider"), QStringLiteral("nope"),
             QStringLiteral("--providers-file"), m_providers, QStringLiteral("--workspace"), m_ws});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("nope"))) << unknown.err.toStdString();
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("simulated")));

    const CliResult usage = cli({QStringLiteral("llm"), QStringLiteral("chat"), QStringLiteral("x"),
                                 QStringLiteral("--type"), QStringLiteral("bogus")});
    EXPECT_EQ(usage.code, 2);
}

} // namespace
} // namespace crucible::cli
