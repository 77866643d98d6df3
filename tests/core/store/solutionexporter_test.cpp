// SolutionExporter: one line per solution with its problem, agent version, critiques, verdicts,
// human judgments and refinement lineage; filters; pages larger than one query page.

#include "core/store/solutionexporter.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>
#include <set>

namespace crucible {
namespace {

using nlohmann::json;
using test::buildEvaluationScenario;
using test::EvaluationFixture;
using test::EvaluationScenario;

std::map<std::string, json> linesById(const QByteArray &data)
{
    std::map<std::string, json> out;
    for (const QByteArray &line : data.split('\n')) {
        if (line.isEmpty())
            continue;
        const json j = json::parse(line.toStdString());
        EXPECT_TRUE(out.emplace(j.at("id").get<std::string>(), j).second);
    }
    return out;
}

class SolutionExporterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
        s = buildEvaluationScenario(*ws);
    }

    std::map<std::string, json> run(const SolutionExportOptions &options = {})
    {
        QByteArray data;
        const SolutionExportResult r = SolutionExporter(*ws).exportToBytes(data, options);
        auto lines = linesById(data);
        EXPECT_EQ(r.written, static_cast<qint64>(lines.size()));
        return lines;
    }

    test::TempFolder dir;
    std::unique_ptr<Workspace> ws;
    EvaluationScenario s;
};

TEST_F(SolutionExporterTest, ARefinementCarriesItsLineageCritiqueVerdictsAndJudgments)
{
    const auto lines = run();
    ASSERT_EQ(lines.size(), 7u);
    const json &r = lines.at(s.s3.toStdString());
    EXPECT_EQ(r["stage"], "refine");
    EXPECT_EQ(r["problem"]["id"], s.p1.toStdString());
    EXPECT_EQ(r["problem"]["review_status"], "accepted");
    EXPECT_EQ(r["agent"]["version_id"], s.refinerV1.toStdString());
    EXPECT_EQ(r["agent"]["role"], "refiner");
    EXPECT_EQ(r["agent"]["version"], 1);
    EXPECT_EQ(r["solution"]["final_answer"], "40 USD");
    EXPECT_NE(r["text"].get<std::string>().find("Final answer: 40 USD"), std::string::npos);
    EXPECT_EQ(r["refined_from"], s.s1.toStdString());
    EXPECT_EQ(r["critique_id"], s.critique1.toStdString());
    ASSERT_EQ(r["lineage"].size(), 1u);
    EXPECT_EQ(r["lineage"][0]["id"], s.s1.toStdString());
    EXPECT_EQ(r["lineage"][0]["stage"], "solve");
    ASSERT_EQ(r["verdicts"].size(), 1u);
    EXPECT_DOUBLE_EQ(r["verdicts"][0]["overall"].get<double>(), 0.85);
    EXPECT_EQ(r["verdicts"][0]["scores"]["correctness"]["rationale"], "Fixed the budget issue.");
    EXPECT_EQ(r["verdicts"][0]["judge_version_id"], s.judgeAV1.toStdString());
    ASSERT_EQ(r["human_judgments"].size(), 2u);
    EXPECT_EQ(r["human_judgments"][1]["aspect"], "clarity");
    EXPECT_EQ(r["human_judgments"][1]["rating"], 5);
    EXPECT_EQ(r["human_judgments"][1]["note"], "nice");

    const json &original = lines.at(s.s1.toStdString());
    EXPECT_EQ(original["stage"], "solve");
    EXPECT_TRUE(original["refined_from"].is_null());
    EXPECT_TRUE(original["lineage"].empty());
    EXPECT_EQ(original["refinements"], json::array({s.s3.toStdString()}));
    ASSERT_EQ(original["critiques"].size(), 1u);
    EXPECT_EQ(original["critiques"][0]["verdict"], "revise");
    EXPECT_EQ(original["critiques"][0]["issues"][0]["severity"], "major");
    EXPECT_EQ(original["critiques"][0]["agent_version_id"], s.criticV1.toStdString());
}

TEST_F(SolutionExporterTest, AFailedVerdictHasItsErrorAndNoScores)
{
    const json r = run().at(s.s4.toStdString());
    ASSERT_EQ(r["verdicts"].size(), 1u);
    EXPECT_EQ(r["verdicts"][0]["status"], "failed");
    EXPECT_TRUE(r["verdicts"][0]["overall"].is_null());
    EXPECT_TRUE(r["verdicts"][0]["scores"].empty());
    EXPECT_EQ(r["verdicts"][0]["error"], "invalid JSON after 2 repairs");
}

TEST_F(SolutionExporterTest, LineageRunsFromTheRootToTheDirectParent)
{
    EvaluationFixture f(*ws);
    const QString c2 = f.critique(s.s3, s.criticV1);
    const QString s8 = f.solution(s.p1, s.refinerV1,
                                  EvaluationFixture::solutionDoc(QStringLiteral("39")), s.s3, c2);
    const json r = run().at(s8.toStdString());
    ASSERT_EQ(r["lineage"].size(), 2u);
    EXPECT_EQ(r["lineage"][0]["id"], s.s1.toStdString());
    EXPECT_EQ(r["lineage"][1]["id"], s.s3.toStdString());
}

TEST_F(SolutionExporterTest, FiltersByAcceptedProblemsAndDataset)
{
    SolutionExportOptions accepted;
    accepted.onlyAccepted = true;
    auto lines = run(accepted);
    EXPECT_EQ(lines.size(), 5u); // p1 (s1, s2, s3) and p3 (s6, s7)
    EXPECT_EQ(lines.count(s.s4.toStdString()), 0u);
    SolutionExportOptions dataset;
    dataset.datasetId = s.dataset;
    EXPECT_EQ(run(dataset).size(), 5u);
    EXPECT_EQ(SolutionExporter(*ws).count(dataset), 5);
    dataset.datasetId = QStringLiteral("ds_none");
    EXPECT_EQ(run(dataset).size(), 0u);
}

TEST(SolutionExporterPages, MoreSolutionsThanOnePageKeepTheirOwnChildren)
{
    test::TempFolder dir;
    auto ws = Workspace::create(dir.file(QStringLiteral("ws.crucible")));
    EvaluationFixture f(*ws);
    const QString p = f.problem(1);
    const QString gen = f.version(f.agent(QStringLiteral("generator"), QStringLiteral("G")));
    const QString critic = f.version(f.agent(QStringLiteral("critic"), QStringLiteral("C")));
    const int n = 1234;
    {
        Workspace::Transaction t(*ws);
        for (int i = 0; i < n; ++i) {
            const QString sol =
                f.solution(p, gen, EvaluationFixture::solutionDoc(QString::number(i)));
            f.critique(sol, critic, QStringLiteral("critique of %1").arg(i));
        }
        t.commit();
    }
    QByteArray data;
    qint64 lastDone = 0;
    SolutionExportOptions o;
    o.progress = [&lastDone](qint64 done, qint64) { lastDone = done; };
    const SolutionExportResult r = SolutionExporter(*ws).exportToBytes(data, o);
    EXPECT_EQ(r.written, n);
    EXPECT_EQ(lastDone, n);
    const auto lines = linesById(data);
    ASSERT_EQ(lines.size(), static_cast<size_t>(n));
    for (const auto &[id, line] : lines) {
        ASSERT_EQ(line["critiques"].size(), 1u) << id;
        EXPECT_EQ(line["critiques"][0]["summary"],
                  "critique of " + line["solution"]["final_answer"].get<std::string>());
    }
}

} // namespace
} // namespace crucible
