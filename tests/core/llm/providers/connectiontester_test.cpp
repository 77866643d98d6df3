#include "core/llm/providers/connectiontester.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using Verdict = ConnectionTestResult::Verdict;

namespace {

class ConnectionTesterTest : public ::testing::Test
{
protected:
    ProviderConfig config() const
    {
        return testConfig(ProviderType::OpenAiCompatible, m_server.openAiBaseUrl());
    }

    static ConnectionTestResult test(const ProviderConfig &config, const QString &key = {},
                                     int timeoutMs = 5'000)
    {
        return await(ConnectionTester::test(config, key, timeoutMs));
    }

    LlmTestServer m_server;
};

TEST_F(ConnectionTesterTest, Ok)
{
    const ConnectionTestResult r = test(config());
    EXPECT_EQ(r.verdict, Verdict::Ok) << r.message.toStdString();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.httpStatus, 200);
    EXPECT_EQ(r.models.size(), 2);
    EXPECT_EQ(r.url, m_server.url(QStringLiteral("/v1/models")));
    EXPECT_GE(r.latencyMs, 0);
    EXPECT_TRUE(r.message.startsWith(QStringLiteral("Connected to"))) << r.message.toStdString();
    EXPECT_FALSE(r.usedChat);
}

TEST_F(ConnectionTesterTest, ListedDefaultModelGivesNoWarning)
{
    const ConnectionTestResult r = test(config()); // default model "test-model" is listed
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.modelWarning.isEmpty()) << r.modelWarning.toStdString();

    // Ollama lists "name:latest" for a model pulled as "name".
    m_server.setModels({QStringLiteral("llama3.2:latest"), QStringLiteral("qwen2.5:7b")});
    ProviderConfig c = config();
    c.defaultModel = QStringLiteral("llama3.2");
    const ConnectionTestResult tagged = test(c);
    EXPECT_TRUE(tagged.ok());
    EXPECT_TRUE(tagged.modelWarning.isEmpty()) << tagged.modelWarning.toStdString();
}

TEST_F(ConnectionTesterTest, UnlistedDefaultModelWarnsNamingItAndListedOnes)
{
    m_server.setModels({QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma"),
                        QStringLiteral("delta"), QStringLiteral("epsilon"),
                        QStringLiteral("zeta")});
    ProviderConfig c = config();
    c.defaultModel = QStringLiteral("gpt-4o-mini");
    const ConnectionTestResult r = test(c);
    // The connection works: a warning, not a failure.
    EXPECT_EQ(r.verdict, Verdict::Ok) << r.message.toStdString();
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.modelWarning.contains(QStringLiteral("gpt-4o-mini")))
        << r.modelWarning.toStdString();
    EXPECT_TRUE(r.modelWarning.contains(QStringLiteral("alpha")));
    EXPECT_TRUE(r.modelWarning.contains(QStringLiteral("6 in all")))
        << r.modelWarning.toStdString();
    EXPECT_FALSE(r.modelWarning.contains(QStringLiteral("zeta"))) << "only a few are named";
    EXPECT_TRUE(r.message.contains(r.modelWarning)) << r.message.toStdString();

    m_server.setModels({});
    const ConnectionTestResult none = test(c);
    EXPECT_TRUE(none.ok());
    EXPECT_TRUE(none.modelWarning.contains(QStringLiteral("lists no models")))
        << none.modelWarning.toStdString();
}

TEST_F(ConnectionTesterTest, OkForAnthropic)
{
    const ConnectionTestResult r = test(testConfig(ProviderType::Anthropic, m_server.baseUrl()));
    EXPECT_EQ(r.verdict, Verdict::Ok) << r.message.toStdString();
    EXPECT_EQ(m_server.stats().routeCount(LlmTestServer::Route::AnthropicModels), 1);
}

TEST_F(ConnectionTesterTest, WrongKeyIsAuth)
{
    m_server.setApiKey(QByteArrayLiteral("sk-right-key-00000000"));
    const QString wrong = QStringLiteral("sk-wrong-key-11111111");
    const ConnectionTestResult r = test(config(), wrong);
    EXPECT_EQ(r.verdict, Verdict::Auth) << r.message.toStdString();
    EXPECT_EQ(r.httpStatus, 401);
    EXPECT_TRUE(r.message.contains(QStringLiteral("API key"))) << r.message.toStdString();
    EXPECT_FALSE(r.message.contains(wrong));
    EXPECT_FALSE(r.error.describe().contains(wrong));
}

TEST_F(ConnectionTesterTest, WrongPathIsNotFoundWithTheUrl)
{
    ProviderConfig c = config();
    c.baseUrl = m_server.url(QStringLiteral("/wrong/v1")).toString();
    const ConnectionTestResult r = test(c);
    EXPECT_EQ(r.verdict, Verdict::NotFound) << r.message.toStdString();
    EXPECT_TRUE(r.usedChat) << "a 404 on the model list is followed by a 1-token chat";
    EXPECT_EQ(r.url, m_server.url(QStringLiteral("/wrong/v1/chat/completions")));
    EXPECT_TRUE(r.message.contains(r.url.toString())) << r.message.toStdString();
    EXPECT_TRUE(r.message.contains(QStringLiteral("/v1"))) << r.message.toStdString();
    EXPECT_EQ(m_server.stats().totalRequests, 2);
}

TEST_F(ConnectionTesterTest, NothingListeningIsRefused)
{
    ProviderConfig c = config();
    c.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(closedPort());
    const ConnectionTestResult r = test(c);
    EXPECT_EQ(r.verdict, Verdict::Refused) << r.message.toStdString();
    EXPECT_TRUE(r.message.contains(QStringLiteral("nothing is listening")))
        << r.message.toStdString();
}

TEST_F(ConnectionTesterTest, SlowServerIsTimeout)
{
    // Faults only touch completion requests; latency delays the model list too.
    m_server.setLatencyMs(5'000);
    const ConnectionTestResult r = test(config(), {}, 300);
    EXPECT_EQ(r.verdict, Verdict::Timeout) << r.message.toStdString();
    EXPECT_TRUE(r.message.contains(QStringLiteral("300 ms"))) << r.message.toStdString();
}

TEST_F(ConnectionTesterTest, UnknownHostIsDns)
{
    ProviderConfig c = config();
    c.baseUrl = QStringLiteral("http://nonexistent.invalid/v1");
    const ConnectionTestResult r = test(c, {}, 10'000);
    EXPECT_EQ(r.verdict, Verdict::Dns) << r.message.toStdString();
    EXPECT_TRUE(r.message.contains(QStringLiteral("nonexistent.invalid")));
}

TEST_F(ConnectionTesterTest, InvalidBaseUrlIsConfiguration)
{
    ProviderConfig c = config();
    c.baseUrl = QStringLiteral("   ");
    const ConnectionTestResult r = test(c);
    EXPECT_EQ(r.verdict, Verdict::Configuration) << r.message.toStdString();
    EXPECT_EQ(connectionVerdictName(r.verdict), QStringLiteral("configuration"));
}

} // namespace
