// Judges chosen and weighted by their calibration against human ratings: the choice and the
// consensus on hand-made calibration reports, and end to end on the Simulated provider with a
// judge whose bias is planted in how it scores (JudgeFlaw), the person rating from the truth.

#include "core/engine/enginejobkinds.h"
#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/solveragent.h"
#include "core/evaluate/tournamentjob.h"
#include "core/feedback/judgecalibration.h"
#include "core/feedback/judgechoice.h"
#include "core/feedback/judgeconsensus.h"
#include "core/llm/llmclient.h"
#include "core/llm/pricetable.h"
#include "core/llm/prompttemplates.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "core/llm/simulated/rng.h"
#include "core/model/jsonsupport.h"
#include "core/store/verdictrepository.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace crucible;
using nlohmann::json;

namespace {

const QString kCorrectness = QStringLiteral("correctness");
const QString kCompleteness = QStringLiteral("completeness");

JudgeAspectCalibration row(const QString &judge, const QString &aspect, double kappa, int n,
                           double weight)
{
    JudgeAspectCalibration r;
    r.judgeVersionId = judge;
    r.judgeName = judge;
    r.aspect = aspect;
    r.kappa.value = kappa;
    r.kappa.n = n;
    r.kappa.degenerate = false;
    r.weight = weight;
    return r;
}

SolverAgent evaluator(const QString &versionId)
{
    SolverAgent a;
    a.versionId = versionId;
    a.name = QStringLiteral("Judge ") + versionId;
    a.role = QStringLiteral("evaluator");
    return a;
}

Verdict scored(const QString &judge, std::map<QString, double> scores, int secs = 0)
{
    Verdict v;
    v.id = QStringLiteral("vrd_") + judge + QString::number(secs);
    v.solutionId = QStringLiteral("sol_1");
    v.judgeVersionId = judge;
    for (const auto &[aspect, score] : scores)
        v.scores.aspects[aspect].score = score;
    v.overall = v.scores.mean();
    v.createdAt = QDateTime::fromSecsSinceEpoch(1700000000 + secs, Qt::UTC);
    return v;
}

} // namespace

TEST(JudgeChoice, HighestKappaWithEnoughRatingsElseTheNewestEvaluator)
{
    const std::vector<SolverAgent> judges = {evaluator(QStringLiteral("a")),
                                             evaluator(QStringLiteral("b")),
                                             evaluator(QStringLiteral("c"))};
    const std::optional<SolverAgent> newest = judges[2];
    CalibrationReport report;
    // a: κ 0.9 on correctness (30 ratings) and 0.5 on completeness (25): mean 0.7.
    report.rows.push_back(row(QStringLiteral("a"), kCorrectness, 0.9, 30, 0.8));
    report.rows.push_back(row(QStringLiteral("a"), kCompleteness, 0.5, 25, 0.5));
    // b: κ 0.8 on correctness, and 0.99 on novelty from too few ratings to count.
    report.rows.push_back(row(QStringLiteral("b"), kCorrectness, 0.8, 40, 0.7));
    report.rows.push_back(row(QStringLiteral("b"), QStringLiteral("novelty"), 0.99, 5, 0.6));
    auto choice = chooseJudge(report, judges, newest);
    ASSERT_TRUE(choice);
    EXPECT_EQ(choice->versionId, QStringLiteral("b"));
    EXPECT_TRUE(choice->calibrated);
    EXPECT_NEAR(choice->kappa, 0.8, 1e-12);
    EXPECT_EQ(choice->ratings, 40);
    EXPECT_EQ(choice->aspects, QStringList{kCorrectness});
    EXPECT_EQ(choice->describe(),
              QStringLiteral("Judge b (κ 0.80 over 40 human ratings of correctness)"));
    EXPECT_EQ(choice->toJson()["judge_version_id"], "b");
    // Only the job's aspects count: on correctness alone a is better.
    JudgeChoiceOptions correctness;
    correctness.aspects = {kCorrectness};
    EXPECT_EQ(chooseJudge(report, judges, newest, correctness)->versionId, QStringLiteral("a"));
    // A tie goes to the newest evaluator.
    report.rows.push_back(row(QStringLiteral("c"), kCorrectness, 0.8, 20, 0.6));
    EXPECT_EQ(chooseJudge(report, judges, newest)->versionId, QStringLiteral("c"));
    // Raising the bar leaves nobody with enough ratings: the newest, and why.
    JudgeChoiceOptions strict;
    strict.minRatings = 100;
    choice = chooseJudge(report, judges, newest, strict);
    ASSERT_TRUE(choice);
    EXPECT_EQ(choice->versionId, QStringLiteral("c"));
    EXPECT_FALSE(choice->calibrated);
    EXPECT_TRUE(choice->why.contains(QStringLiteral("100 or more"))) << choice->why.toStdString();
    // Judges that agree no better than chance are never chosen for it.
    CalibrationReport chance;
    chance.rows.push_back(row(QStringLiteral("a"), kCorrectness, -0.2, 50, 0.1));
    choice = chooseJudge(chance, judges, newest);
    EXPECT_EQ(choice->versionId, QStringLiteral("c"));
    EXPECT_TRUE(choice->why.contains(QStringLiteral("better than chance")));
    // A calibrated version that is no longer an evaluator's current version does not count.
    CalibrationReport stale;
    stale.rows.push_back(row(QStringLiteral("old"), kCorrectness, 0.95, 50, 0.9));
    EXPECT_EQ(chooseJudge(stale, judges, newest)->versionId, QStringLiteral("c"));
    EXPECT_FALSE(chooseJudge(stale, {}, std::nullopt));
}

TEST(JudgeConsensus, WeighsJudgesByCalibrationPerAspectAndThePriorWithoutRatings)
{
    CalibrationReport report;
    report.rows.push_back(row(QStringLiteral("good"), kCorrectness, 0.9, 40, 0.8));
    report.rows.push_back(row(QStringLiteral("good"), kCompleteness, 0.7, 40, 0.6));
    report.rows.push_back(row(QStringLiteral("bad"), kCorrectness, 0.1, 40, 0.2));
    const JudgeConsensus consensus(report);
    EXPECT_DOUBLE_EQ(consensus.weight(QStringLiteral("good"), kCorrectness), 0.8);
    EXPECT_DOUBLE_EQ(consensus.weight(QStringLiteral("good")), 0.7); // mean over its aspects
    EXPECT_DOUBLE_EQ(consensus.weight(QStringLiteral("bad"), kCompleteness),
                     CalibrationOptions::kPriorKappa);
    EXPECT_DOUBLE_EQ(consensus.weight(QStringLiteral("new")), CalibrationOptions::kPriorKappa);

    const std::vector<Verdict> verdicts = {
        scored(QStringLiteral("good"), {{kCorrectness, 0.4}, {kCompleteness, 0.6}}),
        scored(QStringLiteral("bad"), {{kCorrectness, 0.1}}, 1), // older, replaced below
        scored(QStringLiteral("bad"), {{kCorrectness, 0.9}, {kCompleteness, 0.8}}, 2),
        scored(QStringLiteral("new"), {{kCorrectness, 0.7}, {kCompleteness, 0.7}})};
    const auto c = consensus.aspect(verdicts, kCorrectness);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->parts.size(), 3u);
    EXPECT_NEAR(c->score, (0.8 * 0.4 + 0.2 * 0.9 + 0.5 * 0.7) / 1.5, 1e-12);
    EXPECT_NEAR(c->plainMean, (0.4 + 0.9 + 0.7) / 3, 1e-12);
    const auto overall = consensus.overall(verdicts);
    ASSERT_TRUE(overall);
    // good 0.5 × 0.7, bad 0.85 × 0.2, new 0.7 × the prior.
    EXPECT_NEAR(overall->score, (0.7 * 0.5 + 0.2 * 0.85 + 0.5 * 0.7) / 1.4, 1e-12);
    const json j = overall->toJson();
    EXPECT_EQ(j["judges"].size(), 3u);
    bool sawPrior = false;
    for (const auto &part : j["judges"])
        if (part["judge_version_id"] == "new") {
            EXPECT_FALSE(part["calibrated"].get<bool>());
            sawPrior = true;
        }
    EXPECT_TRUE(sawPrior);
    EXPECT_TRUE(overall->describe().contains(QStringLiteral("(prior)")));
    // No calibration at all: the plain mean.
    const auto plain = JudgeConsensus().overall(verdicts);
    EXPECT_NEAR(plain->score, plain->plainMean, 1e-12);
    // Every judge at weight 0: the plain mean, and it says so.
    CalibrationReport zero;
    for (const char *judge : {"good", "bad", "new"})
        zero.rows.push_back(row(QString::fromLatin1(judge), kCorrectness, -0.5, 200, 0.0));
    const auto fallback = JudgeConsensus(zero).aspect(verdicts, kCorrectness);
    EXPECT_FALSE(fallback->weighted);
    EXPECT_NEAR(fallback->score, fallback->plainMean, 1e-12);
    EXPECT_FALSE(consensus.aspect(verdicts, QStringLiteral("novelty")));
    EXPECT_TRUE(consensus.overallBySolution(verdicts).count(QStringLiteral("sol_1")));
}

namespace {

// A workspace of solutions with a hidden quality q, an honest and a biased simulated judge, and
// the person's ratings 1 + round(4q).
class CalibratedJudges : public ::testing::Test
{
protected:
    static constexpr int kSolutions = 60;

    void SetUp() override
    {
        ws = Workspace::create(tmp.file(QStringLiteral("judges.crucible")));
        fx = std::make_unique<test::EvaluationFixture>(*ws);
        const QString gen =
            fx->version(fx->agent(QStringLiteral("generator"), QStringLiteral("Gen")));
        const QString honestAgent =
            fx->agent(QStringLiteral("evaluator"), QStringLiteral("Honest judge"));
        const QString biasedAgent =
            fx->agent(QStringLiteral("evaluator"), QStringLiteral("Lenient judge"));
        honest = fx->version(honestAgent);
        biased = fx->version(biasedAgent);
        // The lenient judge is the newest evaluator: the default before any rating.
        fx->exec(QStringLiteral("UPDATE agents SET updated_at = ? WHERE id = ?"),
                 {QStringLiteral("2030-01-01T00:00:00Z"), biasedAgent});
        const QString problem = fx->problem(1);
        simulated::Rng rng(11);
        for (int i = 0; i < kSolutions; ++i) {
            const double q = 0.05 + 0.6 * rng.unit(); // below 0.65: the +0.3 stays under 1
            const json doc = {
                {"approach", QStringLiteral("approach %1 of its own").arg(i).toStdString()},
                {"steps", {QStringLiteral("Step %1").arg(i).toStdString()}},
                {"final_answer", QStringLiteral("Answer %1").arg(i).toStdString()},
                {"assumptions", {simulated::FitnessLandscape::qualityText(q).toStdString()}}};
            const QString id = fx->solution(problem, gen, doc);
            solutions << id;
            truth[id] = q;
        }
        simulated::JudgeFlaw plain;
        plain.noise = 0.05;
        plain.learnsFromExamples = false;
        simulated::JudgeFlaw lenient = plain;
        lenient.share = 1.0;
        lenient.offset = 0.3;
        SimulatedProvider::Options sim;
        sim.latencyMs = 0;
        sim.jitterMs = 0;
        sim.landscapeSeed = 5;
        sim.judgeFlaws = {{honest, plain}, {biased, lenient}};
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), sim));
        client.setLedger(ws.get());
    }

    QString evaluate(const QStringList &judges)
    {
        json params = {{"solutions", solutions},
                       {"judges", judges},
                       {"aspects", {kCorrectness.toStdString(), kCompleteness.toStdString()}},
                       {"provider", ProviderFactory::simulatedDefault().id.toStdString()},
                       {"concurrency", 8},
                       {"calibration_examples", 0}};
        const QString jobId = EvaluateJob::create(*ws, params);
        auto job = enginejobkinds::find(QString::fromLatin1(EvaluateJob::kKind))
                       ->make(*ws, client, templates);
        const EngineJobResult result = QCoro::waitFor(job->run(jobId));
        EXPECT_EQ(result.status, JobStatus::Completed) << result.error.toStdString();
        return jobId;
    }

    // The person rates the first `count` solutions from the truth.
    void rate(int count)
    {
        VerdictRepository repo(*ws);
        for (int i = 0; i < count; ++i)
            for (const QString &aspect : {kCorrectness, kCompleteness})
                repo.setJudgment(solutions[i], aspect,
                                 agreement::scoreToRating(truth[solutions[i]]), {});
    }

    test::TempFolder tmp;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<test::EvaluationFixture> fx;
    LlmClient client{PriceTable{}};
    PromptTemplates templates{QString()};
    QString honest, biased;
    QStringList solutions;
    std::map<QString, double> truth;
};

} // namespace

TEST_F(CalibratedJudges, ThePlantedBiasJudgeIsNeitherChosenNorWeighedLikeTheHonestOne)
{
    // No ratings yet: the newest evaluator, as before calibration existed.
    auto choice = chooseJudge(*ws);
    ASSERT_TRUE(choice);
    EXPECT_EQ(choice->versionId, biased);
    EXPECT_FALSE(choice->calibrated);
    json params = EvaluateJob::normalize(*ws, {{"solutions", json::array({solutions[0]})}});
    EXPECT_EQ(params["judges"], json::array({biased.toStdString()}));
    EXPECT_FALSE(params["judge_choice"]["calibrated"].get<bool>());

    evaluate({honest, biased});
    constexpr int kRated = 40;
    rate(kRated); // the last 20 solutions stay unrated: held out from the weights

    // Chosen: the honest judge, with its κ and the ratings behind it.
    choice = chooseJudge(*ws);
    ASSERT_TRUE(choice);
    EXPECT_EQ(choice->versionId, honest);
    EXPECT_TRUE(choice->calibrated);
    EXPECT_EQ(choice->ratings, 2 * kRated);
    EXPECT_GT(choice->kappa, 0.6); // q spans ratings 1..4 only: κ is lower than on 1..5
    EXPECT_TRUE(choice->describe().contains(QStringLiteral("Honest judge (κ ")));
    params = EvaluateJob::normalize(*ws, {{"solutions", json::array({solutions[0]})}});
    EXPECT_EQ(params["judges"], json::array({honest.toStdString()}));
    EXPECT_TRUE(params["judge_choice"]["calibrated"].get<bool>());
    EXPECT_EQ(params["judge_choice"]["ratings"], 2 * kRated);
    // A tournament without a judge gets the same one, and says why.
    const TournamentSpec spec = TournamentJob::specFromParams(*ws, json::object());
    EXPECT_EQ(spec.judges, QStringList{honest});
    EXPECT_EQ(spec.judgeChoice["judge_version_id"], honest.toStdString());
    EXPECT_EQ(TournamentSpec::fromJson(spec.toJson()).judgeChoice, spec.judgeChoice);

    // A named judge always wins, and no choice is recorded.
    params = EvaluateJob::normalize(
        *ws, {{"solutions", json::array({solutions[0]})}, {"judges", json::array({biased})}});
    EXPECT_EQ(params["judges"], json::array({biased.toStdString()}));
    EXPECT_FALSE(params.contains("judge_choice"));
    const TournamentSpec named =
        TournamentJob::specFromParams(*ws, {{"judges", json::array({biased})}});
    EXPECT_EQ(named.judges, QStringList{biased});
    EXPECT_TRUE(named.judgeChoice.is_null());

    // Weighted: on the held-out solutions, the calibration-weighted consensus is closer to the
    // person's ratings than the plain mean of the two judges.
    const JudgeConsensus consensus = JudgeConsensus::fromWorkspace(*ws);
    EXPECT_GT(consensus.weight(honest), consensus.weight(biased) + 0.2);
    VerdictRepository verdicts(*ws);
    double weightedError = 0, plainError = 0;
    for (int i = kRated; i < kSolutions; ++i) {
        const auto c = consensus.overall(verdicts.forSolution(solutions[i]));
        ASSERT_TRUE(c);
        ASSERT_EQ(c->parts.size(), 2u);
        const double person =
            agreement::ratingToScore(agreement::scoreToRating(truth[solutions[i]]));
        weightedError += std::abs(c->score - person);
        plainError += std::abs(c->plainMean - person);
    }
    EXPECT_LT(weightedError, plainError * 0.85)
        << "weighted " << weightedError << " plain " << plainError;
}

TEST_F(CalibratedJudges, TheEvaluateJobReportsTheWeightedConsensusPerSolution)
{
    const QString first = evaluate({honest, biased});
    rate(kSolutions);
    const json report = EvaluateJob::consensusReport(*ws, first);
    ASSERT_EQ(report.size(), static_cast<size_t>(kSolutions));
    for (const auto &r : report) {
        ASSERT_EQ(r["judges"].size(), 2u);
        double weighted = 0, total = 0;
        for (const auto &j : r["judges"]) {
            EXPECT_TRUE(j["calibrated"].get<bool>());
            weighted += j["score"].get<double>() * j["weight"].get<double>();
            total += j["weight"].get<double>();
        }
        EXPECT_NEAR(r["score"].get<double>(), weighted / total, 1e-9);
        EXPECT_LT(r["score"].get<double>(), r["plain_mean"].get<double>()); // less lenient
    }
    // A job that chose its judge carries the choice into its summary.
    const json params = {{"solutions", json::array({solutions[0]})},
                         {"aspects", {kCorrectness.toStdString()}},
                         {"provider", ProviderFactory::simulatedDefault().id.toStdString()},
                         {"calibration_examples", 0}};
    const QString jobId = EvaluateJob::create(*ws, params);
    auto job =
        enginejobkinds::find(QString::fromLatin1(EvaluateJob::kKind))->make(*ws, client, templates);
    const EngineJobResult result = QCoro::waitFor(job->run(jobId));
    EXPECT_EQ(result.summary["judge_choice"]["judge_version_id"], honest.toStdString());
    EXPECT_TRUE(result.summary["judge_choice"]["calibrated"].get<bool>());
}
