// What a person reads about LLM calls: the provider's own name (inspector, combo boxes), one
// money vocabulary in the Request Inspector and the status bar, and cancelled calls told apart
// from failed ones.
#include "core/engine/llmengine.h"
#include "core/llm/moneyformat.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspace.h"
#include "ui/llm/llmstatusindicator.h"
#include "ui/llm/providerbox.h"
#include "ui/llm/requestinspectorpanel.h"
#include "ui/models/llmcalltablemodel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace crucible;

namespace {

LlmCall call(int n, const QString &provider, const QString &status, std::optional<double> cost,
             bool cacheHit = false)
{
    LlmCall c;
    c.id = QStringLiteral("call_%1").arg(n, 4, 10, QLatin1Char('0'));
    c.provider = provider;
    c.model = QStringLiteral("gpt-4o");
    c.status = status;
    c.tokensIn = 100;
    c.tokensOut = 20;
    c.costUsd = cost;
    c.cacheHit = cacheHit;
    c.request = {{"model", "gpt-4o"}};
    c.createdAt = QDateTime::currentDateTimeUtc();
    return c;
}

class LlmMoneyTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = Workspace::create(m_dir.filePath(QStringLiteral("m.crucible")));
        LlmCallRepository repo(*m_ws);
        repo.record(call(1, QStringLiteral("ollama-2"), QStringLiteral("ok"), std::nullopt));
        repo.record(call(2, QStringLiteral("openai"), QStringLiteral("ok"), 0.0042));
        repo.record(call(3, QStringLiteral("openai"), QStringLiteral("ok"), 0.0, true));
        repo.record(call(4, QStringLiteral("openai"), QStringLiteral("error"), std::nullopt));
        repo.record(call(5, QStringLiteral("ollama-2"), QStringLiteral("cancelled"), std::nullopt));
        repo.record(call(6, QStringLiteral("ollama-2"), QStringLiteral("cancelled"), std::nullopt));
        repo.record(call(7, QStringLiteral("simulated"), QStringLiteral("ok"), 0.0));
    }

    static QList<LlmProviderInfo> providers()
    {
        return {{QStringLiteral("openai"),
                 QStringLiteral("Work OpenAI"),
                 QStringLiteral("gpt-4o"),
                 false,
                 {}},
                {QStringLiteral("ollama-2"),
                 QStringLiteral("Basement GPU"),
                 QStringLiteral("llama3"),
                 false,
                 {}},
                {QStringLiteral("simulated"),
                 QStringLiteral("Simulated"),
                 QStringLiteral("simulated"),
                 true,
                 {}}};
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
};

QString cell(const LlmCallTableModel &model, const QString &id, int column)
{
    return model.data(model.index(model.rowOf(id), column)).toString();
}

} // namespace

TEST_F(LlmMoneyTest, InspectorShowsProviderNamesAndOneMoneyVocabulary)
{
    LlmCallTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWorkspace(m_ws.get());
    ASSERT_EQ(model.rowCount(), 7);
    // Before the engine told us the names: ids.
    EXPECT_EQ(cell(model, QStringLiteral("call_0001"), LlmCallTableModel::Provider),
              QStringLiteral("ollama-2"));
    model.setProviderNames({{QStringLiteral("ollama-2"), QStringLiteral("Basement GPU")}});
    EXPECT_EQ(cell(model, QStringLiteral("call_0001"), LlmCallTableModel::Provider),
              QStringLiteral("Basement GPU"));
    EXPECT_TRUE(model
                    .data(model.index(model.rowOf(QStringLiteral("call_0001")),
                                      LlmCallTableModel::Provider),
                          Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("ollama-2")));
    // A provider no longer configured keeps its id.
    EXPECT_EQ(cell(model, QStringLiteral("call_0002"), LlmCallTableModel::Provider),
              QStringLiteral("openai"));

    EXPECT_EQ(cell(model, QStringLiteral("call_0001"), LlmCallTableModel::Cost),
              QStringLiteral("unpriced"));
    EXPECT_EQ(cell(model, QStringLiteral("call_0002"), LlmCallTableModel::Cost),
              formatCallCost(0.0042));
    EXPECT_EQ(cell(model, QStringLiteral("call_0002"), LlmCallTableModel::Cost),
              QStringLiteral("$0.0042"));
    EXPECT_EQ(cell(model, QStringLiteral("call_0003"), LlmCallTableModel::Cost),
              QStringLiteral("$0 (cache)"));
    EXPECT_EQ(cell(model, QStringLiteral("call_0007"), LlmCallTableModel::Cost),
              QStringLiteral("$0"));
    EXPECT_EQ(cell(model, QStringLiteral("call_0004"), LlmCallTableModel::Cost), QString());
}

TEST_F(LlmMoneyTest, InspectorCountsCancelledCallsApartFromFailures)
{
    RequestInspectorPanel panel;
    panel.resize(1200, 600);
    panel.show();
    panel.setWorkspace(m_ws.get());
    panel.setProviders(providers());
    const QString totals = panel.totalsText();
    EXPECT_TRUE(totals.contains(QStringLiteral("7 calls"))) << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("1 failed"))) << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("2 cancelled"))) << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("$0.0042 + 1 unpriced call")))
        << totals.toStdString();

    auto *status = panel.findChildren<QComboBox *>().at(1);
    status->setCurrentIndex(status->findText(QStringLiteral("Failed")));
    EXPECT_EQ(panel.model()->rowCount(), 1);
    status->setCurrentIndex(status->findText(QStringLiteral("Cancelled")));
    EXPECT_EQ(panel.model()->rowCount(), 2);
    EXPECT_TRUE(panel.totalsText().contains(QStringLiteral("0 failed")))
        << panel.totalsText().toStdString();
    EXPECT_TRUE(panel.totalsText().contains(QStringLiteral("2 cancelled")));

    // The provider filter lists names and filters by id.
    auto *provider = panel.findChildren<QComboBox *>().at(0);
    const int basement = provider->findText(QStringLiteral("Basement GPU"));
    ASSERT_GE(basement, 0);
    EXPECT_EQ(provider->itemData(basement).toString(), QStringLiteral("ollama-2"));
    status->setCurrentIndex(0);
    provider->setCurrentIndex(basement);
    EXPECT_EQ(panel.model()->rowCount(), 3);
    EXPECT_EQ(panel.model()->data(panel.model()->index(0, LlmCallTableModel::Provider)),
              QStringLiteral("Basement GPU"));
}

TEST(LlmMoney, StatusBarUsesTheSameWordsAndCountsCancelledApart)
{
    LlmStatusIndicator indicator;
    LlmSessionStats stats;
    stats.calls = 5;
    stats.errors = 1;
    stats.cancelled = 2;
    stats.costUsd = 0.0042;
    stats.unpricedCalls = 1;
    indicator.setStats(stats);
    QTRY_VERIFY(indicator.text().contains(formatCostTotal(0.0042, 1)));
    EXPECT_TRUE(indicator.text().contains(QStringLiteral("$0.0042 + 1 unpriced call")))
        << indicator.text().toStdString();
    EXPECT_TRUE(indicator.toolTip().contains(QStringLiteral("1 failed, 2 cancelled")))
        << indicator.toolTip().toStdString();
}

TEST(LlmMoney, ProviderBoxesShowTheNamesTheUserGave)
{
    QComboBox box;
    QList<LlmProviderInfo> list = {
        {QStringLiteral("custom"),
         QStringLiteral("Work gateway"),
         QStringLiteral("gpt-4o"),
         false,
         {}},
        {QStringLiteral("ollama"), QStringLiteral("Ollama"), QStringLiteral("llama3"), false, {}},
        {QStringLiteral("ollama-2"), QStringLiteral("Ollama"), QStringLiteral("qwen"), false, {}},
        {QStringLiteral("simulated"),
         QStringLiteral("Simulated"),
         QStringLiteral("simulated"),
         true,
         {}}};
    fillProviderBox(&box, list, QStringLiteral("ollama-2"));
    ASSERT_EQ(box.count(), 4);
    EXPECT_EQ(box.itemText(0), QStringLiteral("Work gateway — gpt-4o"));
    // Same name twice: the id tells them apart.
    EXPECT_EQ(box.itemText(1), QStringLiteral("Ollama (ollama) — llama3"));
    EXPECT_EQ(box.itemText(2), QStringLiteral("Ollama (ollama-2) — qwen"));
    EXPECT_EQ(box.itemText(3), QStringLiteral("Simulated"));
    EXPECT_EQ(box.currentData().toString(), QStringLiteral("ollama-2"));
    EXPECT_TRUE(box.itemData(0, Qt::ToolTipRole).toString().contains(QStringLiteral("custom")));
}
