#include "core/llm/providers/localserverscan.h"
#include "core/llm/providers/providerpresets.h"
#include "tests/core/llm/providers/providertesthelpers.h"
#include "tests/support/llmtestserver.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;

namespace {

TEST(LocalServerScan, DefaultTargetsAreTheLocalPresetPorts)
{
    const std::vector<LocalServerTarget> targets = LocalServerScan::defaultTargets();
    ASSERT_EQ(targets.size(), 4u);
    EXPECT_EQ(targets[0].preset, ProviderPreset::Ollama);
    EXPECT_EQ(targets[0].port, 11434);
    EXPECT_EQ(targets[1].preset, ProviderPreset::LlamaCpp);
    EXPECT_EQ(targets[1].port, 8080);
    EXPECT_EQ(targets[2].preset, ProviderPreset::LmStudio);
    EXPECT_EQ(targets[2].port, 1234);
    EXPECT_EQ(targets[3].preset, ProviderPreset::Vllm);
    EXPECT_EQ(targets[3].port, 8000);
}

TEST(LocalServerScan, FindsTheServersThatAnswer)
{
    LlmTestServer server;
    server.setModels({QStringLiteral("qwen"), QStringLiteral("llama")});
    const std::vector<LocalServerTarget> targets = {{ProviderPreset::Ollama, closedPort()},
                                                    {ProviderPreset::LmStudio, server.port()}};
    const std::vector<LocalServer> found = await(LocalServerScan::scan(targets, 800));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].preset, ProviderPreset::LmStudio);
    EXPECT_EQ(found[0].label, QStringLiteral("LM Studio"));
    EXPECT_EQ(found[0].baseUrl, QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port())));
    EXPECT_EQ(found[0].models, QStringList({QStringLiteral("llama"), QStringLiteral("qwen")}));
    EXPECT_FALSE(server.stats().sawAuthorization);
}

TEST(LocalServerScan, ASlowServerCountsAsAbsentAndProbesRunConcurrently)
{
    LlmTestServer slow;
    slow.setLatencyMs(5'000);
    LlmTestServer fast;
    const std::vector<LocalServerTarget> targets = {{ProviderPreset::Vllm, slow.port()},
                                                    {ProviderPreset::LlamaCpp, fast.port()}};
    const std::vector<LocalServer> found = await(LocalServerScan::scan(targets, 300));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].preset, ProviderPreset::LlamaCpp);
    // Both requests were sent before the first answer was awaited.
    EXPECT_EQ(slow.stats().totalRequests, 1);
    EXPECT_EQ(fast.stats().totalRequests, 1);
}

} // namespace
