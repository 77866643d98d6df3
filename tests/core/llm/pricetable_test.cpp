#include "core/llm/pricetable.h"
#include "core/model/validationerror.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace crucible;

namespace {

const QString BundledPath =
    QStringLiteral(CRUCIBLE_TEST_DATA_DIR) + QStringLiteral("/../../resources/prices.json");

PriceTable bundled()
{
    return PriceTable::fromFile(BundledPath);
}

QString matchedEntry(const PriceTable &table, const char *model)
{
    const auto m = table.match(QString::fromUtf8(model));
    return m ? m->entry : QStringLiteral("(unpriced)");
}

QString errorField(const QByteArray &bytes)
{
    try {
        (void)PriceTable::fromBytes(bytes, QStringLiteral("overrides.json"));
    } catch (const ValidationError &e) {
        return e.issues().front().field;
    }
    return {};
}

} // namespace

TEST(PriceTableTest, BundledTableCoversCommonModels)
{
    const PriceTable table = bundled();
    EXPECT_TRUE(table.asOf().isValid());
    for (const char *model :
         {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3", "o4-mini",
          "gpt-5", "gpt-5-mini", "claude-3-5-haiku", "claude-3-7-sonnet", "claude-sonnet-4",
          "claude-opus-4", "claude-haiku-4-5", "claude-sonnet-4-5"}) {
        const auto price = table.lookup(QString::fromUtf8(model));
        ASSERT_TRUE(price.has_value()) << model;
        EXPECT_GT(price->inputPerToken, 0) << model;
        EXPECT_GT(price->outputPerToken, price->inputPerToken) << model;
        if (price->cachedInputPerToken) {
            EXPECT_LT(*price->cachedInputPerToken, price->inputPerToken) << model;
        }
    }
    EXPECT_DOUBLE_EQ(table.lookup(QStringLiteral("gpt-4o"))->inputPerToken, 2.5e-06);
}

TEST(PriceTableTest, MatchesSnapshotsByLongestPrefixOnly)
{
    const PriceTable table = bundled();
    EXPECT_EQ(matchedEntry(table, "gpt-4o-2024-08-06"), QStringLiteral("gpt-4o"));
    EXPECT_EQ(matchedEntry(table, "gpt-4o-mini-2024-07-18"), QStringLiteral("gpt-4o-mini"));
    EXPECT_EQ(matchedEntry(table, "gpt-4.1-nano-2025-04-14"), QStringLiteral("gpt-4.1-nano"));
    EXPECT_EQ(matchedEntry(table, "claude-sonnet-4-5-20250929"),
              QStringLiteral("claude-sonnet-4-5"));
    EXPECT_EQ(matchedEntry(table, "claude-sonnet-4-20250514"), QStringLiteral("claude-sonnet-4"));
    EXPECT_EQ(matchedEntry(table, "claude-3-5-haiku-latest"), QStringLiteral("claude-3-5-haiku"));
    EXPECT_EQ(matchedEntry(table, "Claude-3-7-Sonnet@20250219"),
              QStringLiteral("claude-3-7-sonnet"));
    EXPECT_EQ(matchedEntry(table, "openai/gpt-4o"), QStringLiteral("gpt-4o"));
    // Different models that merely share a prefix stay unpriced rather than guessed.
    EXPECT_EQ(matchedEntry(table, "o3-pro"), QStringLiteral("(unpriced)"));
    EXPECT_EQ(matchedEntry(table, "gpt-4o-audio-preview"), QStringLiteral("(unpriced)"));
    EXPECT_EQ(matchedEntry(table, "claude-opus-4-7-20270101"), QStringLiteral("(unpriced)"));
    EXPECT_EQ(matchedEntry(table, "llama3.1:8b"), QStringLiteral("(unpriced)"));
    EXPECT_EQ(matchedEntry(table, ""), QStringLiteral("(unpriced)"));
}

TEST(PriceTableTest, CostIsNulloptForUnknownModelsNeverZero)
{
    const PriceTable table = bundled();
    EXPECT_FALSE(table.cost(QStringLiteral("my-finetune"), 1000, 1000).has_value());
    EXPECT_FALSE(table.cost(QStringLiteral("gpt-4o"), -1, 10).has_value());

    const auto cost = table.cost(QStringLiteral("gpt-4o-2024-08-06"), 1000, 500);
    ASSERT_TRUE(cost.has_value());
    EXPECT_NEAR(*cost, 1000 * 2.5e-06 + 500 * 1.0e-05, 1e-12);
    // 400 of the 1000 input tokens came from the prompt cache.
    const auto cached = table.cost(QStringLiteral("gpt-4o"), 1000, 500, 400);
    ASSERT_TRUE(cached.has_value());
    EXPECT_NEAR(*cached, 600 * 2.5e-06 + 400 * 1.25e-06 + 500 * 1.0e-05, 1e-12);
    EXPECT_EQ(table.cost(QStringLiteral("gpt-4o"), 0, 0), 0.0);
}

TEST(PriceTableTest, UserOverridesWin)
{
    PriceTable table = bundled();
    const QDate bundledDate = table.asOf();
    table.merge(PriceTable::fromBytes(R"({"models": {
        "gpt-4o": {"input_per_token": 1e-06, "output_per_token": 2e-06},
        "llama3.1:8b": {"input_per_token": 0, "output_per_token": 0, "provider": "ollama"},
        "o3": null
    }})"));
    EXPECT_EQ(table.asOf(), bundledDate);
    const auto gpt4o = table.lookup(QStringLiteral("gpt-4o-2024-11-20"));
    ASSERT_TRUE(gpt4o.has_value());
    EXPECT_DOUBLE_EQ(gpt4o->inputPerToken, 1e-06);
    EXPECT_FALSE(gpt4o->cachedInputPerToken.has_value());
    EXPECT_EQ(table.cost(QStringLiteral("llama3.1:8b"), 5000, 100), 0.0)
        << "an explicit zero price is priced, unlike an unknown model";
    EXPECT_FALSE(table.lookup(QStringLiteral("o3")).has_value());
    EXPECT_FALSE(table.lookup(QStringLiteral("o3-2025-04-16")).has_value());
    EXPECT_TRUE(table.lookup(QStringLiteral("o3-mini")).has_value());
}

TEST(PriceTableTest, UserOverridesFileIsMergedOrReported)
{
    if (!QFile::exists(QStringLiteral(":/prices.json")))
        GTEST_SKIP() << "resources/prices.json is not in the core qrc yet";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("price-overrides.json"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(R"({"as_of": "2030-01-01", "models": {"my-model": {"input_per_token": 1e-06,
                  "output_per_token": 1e-06}}})");
    }
    QString warning;
    PriceTable table = PriceTable::withUserOverrides(&warning, path);
    EXPECT_TRUE(warning.isEmpty()) << warning.toStdString();
    EXPECT_EQ(table.asOf(), QDate(2030, 1, 1));
    EXPECT_TRUE(table.lookup(QStringLiteral("my-model")).has_value());
    EXPECT_EQ(table.models(), PriceTable::withUserOverrides(nullptr, path).models());

    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{ broken");
    }
    table = PriceTable::withUserOverrides(&warning, path);
    EXPECT_TRUE(warning.contains(path)) << warning.toStdString();
    EXPECT_TRUE(table.lookup(QStringLiteral("gpt-4o")).has_value());
    EXPECT_EQ(PriceTable::builtIn().models(), bundled().models())
        << "the qrc copy is the file in resources/";
}

TEST(PriceTableTest, ValidationErrorsNameTheField)
{
    EXPECT_EQ(errorField(R"({"models": {"m": {"input_per_token": 1e-06}}})"),
              QStringLiteral("overrides.json: models.m.output_per_token"));
    EXPECT_EQ(
        errorField(R"({"models": {"m": {"input_per_token": "cheap", "output_per_token": 1e-06}}})"),
        QStringLiteral("overrides.json: models.m.input_per_token"));
    EXPECT_EQ(errorField(R"({"models": {"m": {"input_per_token": 2.5, "output_per_token": 10}}})"),
              QStringLiteral("overrides.json: models.m.input_per_token"))
        << "per-million prices are caught";
    EXPECT_EQ(
        errorField(R"({"models": {"m": {"input_per_token": -1e-06, "output_per_token": 0}}})"),
        QStringLiteral("overrides.json: models.m.input_per_token"));
    EXPECT_EQ(errorField(R"({"as_of": "last week", "models": {}})"),
              QStringLiteral("overrides.json: as_of"));
    EXPECT_EQ(errorField(R"({"prices": {}})"), QStringLiteral("overrides.json: models"));
    EXPECT_EQ(errorField("{ nope"), QStringLiteral("overrides.json: (document)"));
    EXPECT_THROW((void)PriceTable::fromFile(QStringLiteral("/nonexistent/prices.json")),
                 ValidationError);
}
