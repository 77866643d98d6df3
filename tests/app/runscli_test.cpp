// crucible-cli runs / status / report on a workspace holding training runs.

#include "core/store/entityrepository.h"
#include "core/store/workspace.h"
#include "tests/app/clitestsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace crucible::cli {
namespace {

class RunsCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("runs.crucible"));
        ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
    }
    void addRun(const QString &id, int cycles, int minutesAgo)
    {
        TrainingRun r;
        r.id = id;
        r.name = QStringLiteral("agent %1").arg(id);
        r.state = TrainingRun::State::Finished;
        r.config = {{"budget_calls", 100}};
        for (int c = 0; c < cycles; ++c)
            r.metrics.push_back({{"cycle", c},
                                 {"accepted", c % 2 == 0},
                                 {"calls_used", 5 * (c + 1)},
                                 {"best_validation", 0.5 + 0.01 * c}});
        r.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
        auto ws = Workspace::open(m_ws);
        EntityStore(*ws).put(r);
    }

    QTemporaryDir m_dir;
    QString m_ws;
};

TEST_F(RunsCliTest, AnEmptyWorkspaceSaysHowToStartARun)
{
    const CliResult r = runCli({QStringLiteral("runs"), m_ws});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("crucible-cli train"))) << r.out.toStdString();
}

TEST_F(RunsCliTest, ListsRunsNewestFirstAndShowsOnesStatus)
{
    addRun(QStringLiteral("run_a"), 4, 30);
    addRun(QStringLiteral("run_b"), 10, 1);
    const CliResult list = runCli({QStringLiteral("runs"), m_ws, QStringLiteral("--json")});
    ASSERT_EQ(list.code, 0) << list.err.toStdString();
    const auto rows = list.outJson();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["run_id"], "run_b");
    EXPECT_EQ(rows[0]["cycles"], 10);
    EXPECT_EQ(rows[0]["calls_used"], 50);

    const CliResult status =
        runCli({QStringLiteral("status"), m_ws, QStringLiteral("run_a"), QStringLiteral("--json")});
    ASSERT_EQ(status.code, 0) << status.err.toStdString();
    EXPECT_NEAR(status.outJson()["best_validation"].get<double>(), 0.53, 1e-9);
    EXPECT_EQ(status.outJson()["cycles_to_budget"], 16); // (100 - 20) / 5

    const CliResult missing = runCli({QStringLiteral("status"), m_ws, QStringLiteral("run_x")});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("no training run run_x")));
    EXPECT_TRUE(missing.err.contains(QStringLiteral("crucible-cli runs")));
}

TEST_F(RunsCliTest, ReportWritesEachFormat)
{
    addRun(QStringLiteral("run_a"), 12, 5);
    for (const char *format : {"md", "html", "json"}) {
        const QString path = m_dir.filePath(QStringLiteral("report.%1").arg(QLatin1String(format)));
        const CliResult r = runCli({QStringLiteral("report"), m_ws, QStringLiteral("run_a"),
                                    QStringLiteral("--format"), QLatin1String(format),
                                    QStringLiteral("--out"), path});
        ASSERT_EQ(r.code, 0) << format << r.err.toStdString();
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << format;
        const QByteArray text = file.readAll();
        if (QLatin1String(format) == QLatin1String("html"))
            EXPECT_EQ(text.count("<svg"),
                      7); // quality, calls, acceptance, tried, novelty, success, throughput
        else if (QLatin1String(format) == QLatin1String("json"))
            EXPECT_EQ(nlohmann::json::parse(text.toStdString())["cycles"], 12);
        else
            EXPECT_TRUE(text.contains("| cycles | 12 |"));
    }
    const CliResult bad = runCli({QStringLiteral("report"), m_ws, QStringLiteral("run_a"),
                                  QStringLiteral("--format"), QStringLiteral("pdf")});
    EXPECT_NE(bad.code, 0);
}

} // namespace
} // namespace crucible::cli
