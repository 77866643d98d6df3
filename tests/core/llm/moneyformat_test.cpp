// The money vocabulary shared by the inspector, the status bar and every other cost display,
// and the price of a call by provider (config price for local/custom servers, table for cloud).
#include "core/llm/moneyformat.h"
#include "core/llm/pricetable.h"

#include <gtest/gtest.h>

#include <limits>

using namespace crucible;

TEST(MoneyFormat, OneVocabularyForUnpricedFreeCachedAndAmounts)
{
    EXPECT_EQ(formatCallCost(std::nullopt), QStringLiteral("unpriced"));
    EXPECT_EQ(formatCallCost(0.0), QStringLiteral("$0"));
    EXPECT_EQ(formatCallCost(0.0, true), QStringLiteral("$0 (cache)"));
    EXPECT_EQ(formatCallCost(std::nullopt, true), QStringLiteral("$0 (cache)"));
    EXPECT_EQ(formatCallCost(0.42), QStringLiteral("$0.42"));

    EXPECT_EQ(formatUsd(0), QStringLiteral("$0"));
    EXPECT_EQ(formatUsd(0.000123), QStringLiteral("$0.000123"));
    EXPECT_EQ(formatUsd(0.0042), QStringLiteral("$0.0042"));
    EXPECT_EQ(formatUsd(0.0125), QStringLiteral("$0.0125"));
    EXPECT_EQ(formatUsd(1.5), QStringLiteral("$1.50"));
    EXPECT_EQ(formatUsd(12.3456), QStringLiteral("$12.35"));
    EXPECT_EQ(formatUsd(1234.5), QStringLiteral("$1234.50"));
    EXPECT_EQ(formatUsd(-0.5), QStringLiteral("-$0.50"));
    EXPECT_EQ(formatUsd(1e-12), QStringLiteral("<$0.00000001"));
    EXPECT_EQ(formatUsd(std::numeric_limits<double>::quiet_NaN()), QStringLiteral("unpriced"));

    EXPECT_EQ(formatCostTotal(0, 0), QStringLiteral("$0"));
    EXPECT_EQ(formatCostTotal(0.42, 0), QStringLiteral("$0.42"));
    EXPECT_EQ(formatCostTotal(0.42, 3), QStringLiteral("$0.42 + 3 unpriced calls"));
    EXPECT_EQ(formatCostTotal(0, 1), QStringLiteral("$0 + 1 unpriced call"));
}

TEST(MoneyFormat, LocalAndCustomServersArePricedByTheirConfigCloudByTheTable)
{
    const PriceTable table = PriceTable::fromJson(nlohmann::json::parse(
        R"({"models": {"gpt-4o": {"input_per_token": 2.5e-06, "output_per_token": 1.0e-05}}})"));

    const ProviderConfig openai = ProviderConfig::fromPreset(ProviderPreset::OpenAi);
    EXPECT_FALSE(openai.pricedByConfig());
    ASSERT_TRUE(table.costFor(openai, QStringLiteral("gpt-4o"), 1000, 100));
    EXPECT_DOUBLE_EQ(*table.costFor(openai, QStringLiteral("gpt-4o"), 1000, 100),
                     1000 * 2.5e-06 + 100 * 1.0e-05);
    EXPECT_FALSE(table.costFor(openai, QStringLiteral("unknown-model"), 1000, 100));

    for (const ProviderPreset preset :
         {ProviderPreset::Ollama, ProviderPreset::LlamaCpp, ProviderPreset::LmStudio,
          ProviderPreset::Vllm, ProviderPreset::Custom}) {
        ProviderConfig local = ProviderConfig::fromPreset(preset);
        EXPECT_TRUE(local.pricedByConfig());
        // Same model name as a cloud entry, but unpriced until the user sets a price.
        EXPECT_FALSE(table.costFor(local, QStringLiteral("gpt-4o"), 1000, 100));
        local.inputUsdPerMillion = 1.0;
        EXPECT_FALSE(table.costFor(local, QStringLiteral("gpt-4o"), 1000, 100))
            << "half a price is still unpriced";
        local.outputUsdPerMillion = 3.0;
        ASSERT_TRUE(table.costFor(local, QStringLiteral("gpt-4o"), 1000, 100));
        EXPECT_DOUBLE_EQ(*table.costFor(local, QStringLiteral("gpt-4o"), 1000, 100),
                         (1000 * 1.0 + 100 * 3.0) / 1e6);
    }

    const ProviderConfig simulated = ProviderConfig::fromPreset(ProviderPreset::Simulated);
    EXPECT_EQ(table.costFor(simulated, QStringLiteral("simulated"), 1000, 100).value_or(-1), 0.0);
    EXPECT_FALSE(table.costFor(openai, QStringLiteral("gpt-4o"), -1, 100));
}

TEST(MoneyFormat, ProviderPriceRoundTripsAndIsValidated)
{
    ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Ollama, QStringLiteral("box"));
    c.inputUsdPerMillion = 0.2;
    c.outputUsdPerMillion = 0.0;
    const ProviderConfig back = ProviderConfig::fromJson(c.toJson());
    EXPECT_EQ(back, c);
    EXPECT_EQ(back.outputUsdPerMillion.value_or(-1), 0.0);

    // Unset stays unset (null in the file), not 0.
    ProviderConfig unpriced = ProviderConfig::fromPreset(ProviderPreset::Vllm, QStringLiteral("v"));
    const nlohmann::json j = unpriced.toJson();
    EXPECT_TRUE(j.at("input_usd_per_million").is_null());
    EXPECT_FALSE(ProviderConfig::fromJson(j).inputUsdPerMillion.has_value());
    // Cloud presets keep their files free of the fields.
    EXPECT_FALSE(ProviderConfig::fromPreset(ProviderPreset::OpenAi)
                     .toJson()
                     .contains("input_usd_per_million"));

    c.inputUsdPerMillion = -1;
    const auto issues = c.validate();
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues.front().field, QStringLiteral("input_usd_per_million"));
    c.inputUsdPerMillion = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(c.validate().size(), 1u);
}

TEST(MoneyFormat, SpendOfAJobOrDataset)
{
    EXPECT_EQ(formatSpend(0.0, 0), QStringLiteral("free"));
    EXPECT_EQ(formatSpend(0.0, 3), QStringLiteral("unpriced"));
    EXPECT_EQ(formatSpend(0.0123, 0), QStringLiteral("$0.0123"));
    EXPECT_EQ(formatSpend(0.01, 4), QStringLiteral("$0.01 + 4 unpriced calls"));
}
