// PreferenceExporter: every line of both DPO formats is valid (parsed line by line), and the
// options (judges agreed, score gap, accepted problems, tournament) choose the right pairs.

#include "core/store/preferenceexporter.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <QFile>
#include <gtest/gtest.h>
#include <set>

namespace crucible {
namespace {

using nlohmann::json;
using test::buildEvaluationScenario;
using test::EvaluationFixture;
using test::EvaluationScenario;

// Every line is a JSON object with exactly the format's keys, non-empty texts and
// chosen != rejected. Returns the (prompt, chosen, rejected) of each line.
std::vector<std::array<std::string, 3>> validLines(const QByteArray &data, PreferenceFormat format)
{
    std::vector<std::array<std::string, 3>> out;
    EXPECT_TRUE(data.isEmpty() || data.endsWith('\n'));
    const QList<QByteArray> lines = data.split('\n');
    for (int i = 0; i + 1 < lines.size() || (i < lines.size() && !lines[i].isEmpty()); ++i) {
        SCOPED_TRACE("line " + std::to_string(i + 1));
        const json j = json::parse(lines[i].toStdString(), nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << lines[i].toStdString();
        if (j.is_discarded())
            continue;
        EXPECT_TRUE(j.is_object());
        std::array<std::string, 3> texts;
        if (format == PreferenceFormat::Trl) {
            EXPECT_EQ(j.size(), 3u);
            const char *keys[] = {"prompt", "chosen", "rejected"};
            for (int k = 0; k < 3; ++k) {
                EXPECT_TRUE(j.contains(keys[k]) && j[keys[k]].is_string()) << keys[k];
                if (j.contains(keys[k]) && j[keys[k]].is_string())
                    texts[k] = j[keys[k]].get<std::string>();
            }
        } else {
            EXPECT_EQ(j.size(), 3u);
            const json &messages = j.at("input").at("messages");
            EXPECT_EQ(messages.size(), 1u);
            EXPECT_EQ(messages.at(0).at("role"), "user");
            texts[0] = messages.at(0).at("content").get<std::string>();
            const char *outputs[] = {"preferred_output", "non_preferred_output"};
            for (int k = 0; k < 2; ++k) {
                const json &list = j.at(outputs[k]);
                EXPECT_TRUE(list.is_array());
                EXPECT_EQ(list.size(), 1u);
                EXPECT_EQ(list.at(0).size(), 2u);
                EXPECT_EQ(list.at(0).at("role"), "assistant");
                texts[k + 1] = list.at(0).at("content").get<std::string>();
            }
        }
        for (const std::string &t : texts)
            EXPECT_FALSE(t.empty());
        EXPECT_NE(texts[1], texts[2]);
        out.push_back(texts);
    }
    return out;
}

class PreferenceExporterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
        s = buildEvaluationScenario(*ws);
    }

    std::vector<std::array<std::string, 3>> run(PreferenceExportOptions options,
                                                PreferenceExportResult *result = nullptr)
    {
        QByteArray data;
        const PreferenceExportResult r = PreferenceExporter(*ws).exportToBytes(data, options);
        if (result)
            *result = r;
        EXPECT_EQ(r.written,
                  PreferenceExporter(*ws).count(options) - r.skippedEmpty - r.skippedSame);
        return validLines(data, options.format);
    }

    static std::set<std::string> chosenTexts(const std::vector<std::array<std::string, 3>> &lines)
    {
        std::set<std::string> out;
        for (const auto &l : lines)
            out.insert(l[1]);
        return out;
    }

    test::TempFolder dir;
    std::unique_ptr<Workspace> ws;
    EvaluationScenario s;
};

TEST_F(PreferenceExporterTest, TrlLinesAreValidAndComeInPairOrder)
{
    PreferenceExportResult r;
    const auto lines = run({}, &r);
    EXPECT_EQ(r.available, 5);
    EXPECT_EQ(r.matched, 5);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0][0], "Solve the ledger puzzle.");
    EXPECT_EQ(lines[0][1], "Refined: 40 USD");
    EXPECT_EQ(lines[0][2], "Clone: 41 USD");
}

TEST_F(PreferenceExporterTest, OpenAiLinesCarryTheSameTexts)
{
    PreferenceExportOptions trl;
    PreferenceExportOptions openai;
    openai.format = PreferenceFormat::OpenAi;
    EXPECT_EQ(run(trl), run(openai));
}

TEST_F(PreferenceExporterTest, WithoutTextsInThePairTheProblemAndSolutionsAreRendered)
{
    const auto lines = run({});
    ASSERT_EQ(lines.size(), 5u);
    const auto &line = lines[2]; // pair3: no prompt/chosen/rejected in its document
    EXPECT_EQ(line[0].rfind(EvaluationScenario::kTrickyStatement.toStdString(), 0), 0u) << line[0];
    EXPECT_NE(line[0].find("Constraints:\n- constraint A2"), std::string::npos) << line[0];
    EXPECT_NE(line[1].find("Final answer: It's 7; \"seven\""), std::string::npos) << line[1];
    EXPECT_NE(line[1].find("Steps:\n1. Read the entries\n2. Add them up"), std::string::npos);
    EXPECT_NE(line[2].find("Final answer: 8"), std::string::npos) << line[2];
}

TEST_F(PreferenceExporterTest, OnlyAgreedDropsPairsThatAnotherJudgeOrATieContradicts)
{
    PreferenceExportOptions o;
    o.onlyAgreed = true;
    // cmp1/cmp2: judges A and B chose differently; cmp5: cmp4 was a tie for the same solutions.
    const auto lines = run(o);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0][1].find("It's 7"), std::string::npos);
    EXPECT_EQ(lines[1][1], "Original: 42 USD");
}

TEST_F(PreferenceExporterTest, MinimumScoreGapLeavesOutSmallGapsAndMissingScores)
{
    PreferenceExportOptions o;
    o.minScoreGap = 0.15; // pair1 has exactly 0.15 (0.85 - 0.7): kept despite rounding
    const auto lines = run(o);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0][1], "Refined: 40 USD");
    o.minScoreGap = 0.0; // pairs without scores (pair5) and negative gaps are out
    EXPECT_EQ(run(o).size(), 2u);
    o.minScoreGap = -1.0;
    EXPECT_EQ(run(o).size(), 4u);
}

TEST_F(PreferenceExporterTest, OnlyAcceptedProblemsAndOneTournament)
{
    PreferenceExportOptions o;
    o.onlyAccepted = true;
    EXPECT_EQ(run(o).size(), 4u); // p2 (pair3) is not accepted
    PreferenceExportOptions t;
    t.tournamentId = s.tournament;
    EXPECT_EQ(run(t).size(), 5u);
    t.tournamentId = QStringLiteral("trn_other");
    EXPECT_EQ(run(t).size(), 0u);
}

TEST_F(PreferenceExporterTest, IdenticalOrEmptyTextsAreSkippedAndCounted)
{
    EvaluationFixture f(*ws);
    const QString c = f.comparison(s.tournament, s.p1, s.s1, s.s3, s.judgeBV1, QStringLiteral("a"),
                                   QStringLiteral("a"));
    const QString same = f.pair(c, 0.5, 0.4, QStringLiteral("P"), QStringLiteral("Same text"),
                                QStringLiteral("  Same text\n"));
    f.exec(QStringLiteral("UPDATE solutions SET doc = '{}' WHERE id = ?"), {s.s6});
    f.exec(QStringLiteral("UPDATE preference_pairs SET doc = '{\"prompt\": \"P\", \"chosen\": "
                          "\"x\"}' WHERE id = ?"),
           {s.pair5}); // rejected is s6, now an empty document
    PreferenceExportResult r;
    const auto lines = run({}, &r);
    EXPECT_EQ(lines.size(), 4u);
    EXPECT_EQ(r.skippedSame, 1);
    EXPECT_EQ(r.skippedEmpty, 1);
    EXPECT_TRUE(r.skippedIds.contains(same));
    EXPECT_TRUE(r.skippedIds.contains(s.pair5));
}

TEST_F(PreferenceExporterTest, ADamagedPairDocumentFallsBackToTheRows)
{
    EvaluationFixture f(*ws);
    f.exec(QStringLiteral("UPDATE preference_pairs SET doc = 'not json' WHERE id = ?"), {s.pair1});
    const auto lines = run({});
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_NE(lines[0][0].find("Problem number 1"), std::string::npos);
    EXPECT_NE(lines[0][1].find("Final answer: 40 USD"), std::string::npos);
}

TEST_F(PreferenceExporterTest, AFailedWriteKeepsThePreviousFile)
{
    const QString out = dir.file(QStringLiteral("pairs.jsonl"));
    test::writeFile(out, "old\n");
    EXPECT_THROW(
        PreferenceExporter(*ws).exportToFile(dir.file(QStringLiteral("missing/x.jsonl")), {}),
        WorkspaceError);
    const PreferenceExportResult r = PreferenceExporter(*ws).exportToFile(out, {});
    EXPECT_EQ(r.written, 5);
    EXPECT_EQ(validLines(test::readAll(out), PreferenceFormat::Trl).size(), 5u);
}

TEST_F(PreferenceExporterTest, ProgressReachesTheTotal)
{
    PreferenceExportOptions o;
    qint64 lastDone = -1, lastTotal = -1;
    o.progress = [&](qint64 done, qint64 total) {
        lastDone = done;
        lastTotal = total;
    };
    run(o);
    EXPECT_EQ(lastDone, 5);
    EXPECT_EQ(lastTotal, 5);
}

TEST(PreferenceExporterEmpty, AWorkspaceWithoutPairsWritesNothing)
{
    test::TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
    QByteArray data;
    const PreferenceExportResult r = PreferenceExporter(*ws).exportToBytes(data, {});
    EXPECT_EQ(r.available, 0);
    EXPECT_EQ(r.written, 0);
    EXPECT_TRUE(data.isEmpty());
}

} // namespace
} // namespace crucible
