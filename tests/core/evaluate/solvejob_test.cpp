// Solve and evaluate jobs end to end: the simulated provider, the loopback server with faults,
// cancel and resume, failed verdicts, and the engine that runs them by kind.

#include "core/engine/enginejobkinds.h"
#include "core/engine/evaluationengine.h"
#include "core/engine/llmengine.h"
#include "core/evaluate/evaluatejob.h"
#include "core/evaluate/solvejob.h"
#include "core/feedback/judgecalibration.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/solvefixtures.h"
#include "tests/support/testworkspace.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QVariant>
#include <gtest/gtest.h>

#include <set>

using namespace crucible;
using crucible::test::LlmTestServerThread;
using crucible::test::TempFolder;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("w.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};
    QString providerId = ProviderFactory::simulatedDefault().id;
    QStringList problems;
    QString generator, critic, refiner, judge, judge2;

    explicit Fixture(int problemCount = 3)
    {
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 5);
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
        problems = test::insertProblems(*ws, problemCount);
        generator =
            test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("Gen"));
        critic = test::insertAgentVersion(*ws, QStringLiteral("critic"), QStringLiteral("Crit"));
        refiner = test::insertAgentVersion(*ws, QStringLiteral("refiner"), QStringLiteral("Ref"));
        judge = test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("Judge"));
        judge2 =
            test::insertAgentVersion(*ws, QStringLiteral("evaluator"), QStringLiteral("Judge2"));
    }

    json solveParams(bool team = true) const
    {
        json t = {{"generator", generator.toStdString()},
                  {"critic", team ? critic.toStdString() : ""},
                  {"refiner", team ? refiner.toStdString() : ""}};
        return {{"problems", problems},
                {"teams", json::array({t})},
                {"provider", providerId.toStdString()},
                {"concurrency", 4}};
    }

    EngineJobResult run(const QString &kind, const QString &jobId)
    {
        auto job = enginejobkinds::find(kind)->make(*ws, client, templates);
        return QCoro::waitFor(job->run(jobId));
    }

    qint64 count(const char *table) const
    {
        QSqlQuery q = ws->exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)));
        return q.next() ? q.value(0).toLongLong() : -1;
    }
};

} // namespace

TEST(SolveJob, EveryStageIsStoredWithItsAgentVersionCallsAndCost)
{
    Fixture f;
    const QString jobId = SolveJob::create(*f.ws, f.solveParams());
    const EngineJobResult r = f.run(QStringLiteral("solve"), jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    EXPECT_EQ(r.summary["counts"]["done"], 3);
    EXPECT_EQ(f.count("solutions"), 6); // first answer + refinement per problem
    EXPECT_EQ(f.count("critiques"), 3);

    SolutionRepository repo(*f.ws);
    for (const QString &pid : f.problems) {
        const auto sols = repo.byProblem(pid);
        ASSERT_EQ(sols.size(), 2u);
        const Solution &first = sols[0];
        const Solution &refined = sols[1];
        EXPECT_EQ(first.stage, SolutionStage::Solve);
        EXPECT_EQ(first.agentVersionId, f.generator);
        EXPECT_FALSE(first.body.finalAnswer.isEmpty());
        EXPECT_FALSE(first.callIds.isEmpty());
        EXPECT_EQ(first.jobId, jobId);
        EXPECT_EQ(refined.stage, SolutionStage::Refine);
        EXPECT_EQ(refined.agentVersionId, f.refiner);
        EXPECT_EQ(refined.refinedFrom, first.id);
        const auto critiques = repo.critiquesOf(first.id);
        ASSERT_EQ(critiques.size(), 1u);
        EXPECT_EQ(critiques[0].agentVersionId, f.critic);
        EXPECT_EQ(refined.critiqueId, critiques[0].id);
    }
    // The agent's system prompt goes in the system message of its calls.
    QSqlQuery q =
        f.ws->exec(QStringLiteral("SELECT count(*) FROM llm_calls WHERE doc LIKE '%") + jobId +
                   QStringLiteral("%' AND doc LIKE '%You are Gen, a generator agent%'"));
    ASSERT_TRUE(q.next());
    EXPECT_GE(q.value(0).toInt(), 3);

    // A re-run of the completed job stores nothing new.
    const EngineJobResult again = f.run(QStringLiteral("solve"), jobId);
    EXPECT_EQ(again.status, JobStatus::Completed);
    EXPECT_EQ(f.count("solutions"), 6);
}

TEST(SolveJob, BadInputIsRefusedAndNothingIsWritten)
{
    Fixture f;
    json p = f.solveParams();
    p["problems"].push_back("prb_missing");
    EXPECT_THROW(SolveJob::create(*f.ws, p), ValidationError);
    p = f.solveParams();
    p["teams"][0]["generator"] = f.judge.toStdString(); // an evaluator is not a generator
    EXPECT_THROW(SolveJob::create(*f.ws, p), ValidationError);
    p = f.solveParams();
    p["teams"][0]["critic"] = "";
    EXPECT_THROW(SolveJob::create(*f.ws, p), ValidationError); // refiner without critic
    p = f.solveParams();
    p["teams"][0]["generator"] = "agv_nobody";
    EXPECT_THROW(SolveJob::create(*f.ws, p), ValidationError);
    EXPECT_EQ(f.count("jobs"), 0);
}

TEST(SolveJob, CancelledMidwayResumesWithNothingLostOrDuplicated)
{
    Fixture f(12);
    LlmTestServerThread server;
    server.server().setAnswerHandler(test::solveAnswer);
    server.server().setLatencyMs(5);
    server.server().setRandomSeed(5);
    server.server().addRandomFault(Fault::ServerError{500}, 0.05);
    server.server().addRandomFault(Fault::DropConnection{}, 0.04);
    server.server().addRandomFault(Fault::MalformedJson{}, 0.05);
    ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("loop"));
    c.baseUrl = server.server().openAiBaseUrl().toString();
    c.defaultModel = QStringLiteral("test-model");
    c.maxRetries = 4;
    c.concurrency = 8;
    f.client.addProvider(std::make_shared<OpenAiProvider>(c, QString()));
    f.providerId = QStringLiteral("loop");
    const QString jobId = SolveJob::create(*f.ws, f.solveParams());

    EngineJobResult first;
    {
        auto job =
            enginejobkinds::find(QStringLiteral("solve"))->make(*f.ws, f.client, f.templates);
        int solutions = 0;
        QObject::connect(job.get(), &EngineJob::entitiesAdded, job.get(),
                         [&](const QString &kind, const QStringList &ids) {
                             if (kind == QLatin1String("solution"))
                                 solutions += static_cast<int>(ids.size());
                             if (solutions >= 9)
                                 job->cancel();
                         });
        first = QCoro::waitFor(job->run(jobId));
    }
    ASSERT_EQ(first.status, JobStatus::Cancelled) << first.error.toStdString();
    const qint64 storedAfterCancel = f.count("solutions");
    EXPECT_GE(storedAfterCancel, 9);
    EXPECT_LT(storedAfterCancel, 24);

    const EngineJobResult r = f.run(QStringLiteral("solve"), jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    EXPECT_EQ(f.count("solutions"), 24); // 12 problems × (answer + refinement), no duplicates
    EXPECT_EQ(f.count("critiques"), 12);
    std::set<QString> perProblemStage;
    for (const Solution &s : SolutionRepository(*f.ws).byJob(jobId))
        EXPECT_TRUE(perProblemStage.insert(s.problemId + toString(s.stage)).second);
    EXPECT_EQ(r.summary["entities"]["solution"].size(), 24u);
}

TEST(EvaluateJob, VerdictsCarryScoresChecksNoveltyAndAgreement)
{
    Fixture f;
    const QString solveId = SolveJob::create(*f.ws, f.solveParams(false));
    ASSERT_EQ(f.run(QStringLiteral("solve"), solveId).status, JobStatus::Completed);
    json params = {{"solutions", json::array()},
                   {"judges", json::array({f.judge.toStdString(), f.judge2.toStdString()})},
                   {"aspects", json::array({"correctness", "completeness"})},
                   {"provider", f.providerId.toStdString()}};
    for (const Solution &s : SolutionRepository(*f.ws).byJob(solveId))
        params["solutions"].push_back(s.id.toStdString());
    const QString jobId = EvaluateJob::create(*f.ws, params);
    const EngineJobResult r = f.run(QStringLiteral("evaluate"), jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    const auto verdicts = VerdictRepository(*f.ws).byJob(jobId);
    ASSERT_EQ(verdicts.size(), 6u); // 3 solutions × 2 judges
    for (const Verdict &v : verdicts) {
        EXPECT_TRUE(v.ok()) << v.error.toStdString();
        EXPECT_EQ(v.scores.aspects.size(), 2u);
        EXPECT_FALSE(v.scores.aspects.at(QStringLiteral("correctness")).rationale.isEmpty());
        EXPECT_TRUE(v.overall.has_value());
        EXPECT_TRUE(v.confidence.has_value());
        ASSERT_TRUE(v.novelty.has_value());
        EXPECT_EQ(v.checks.size(), 4u);
        EXPECT_TRUE(v.rubricVersion.startsWith(u'r'));
        EXPECT_EQ(v.promptTemplate, QStringLiteral("evaluate.solution@2"));
        EXPECT_FALSE(v.callIds.isEmpty());
    }
    EXPECT_EQ(EvaluateJob::agreementReport(*f.ws, jobId).size(), 3u);
    // Resumed or re-run: no second verdict.
    f.run(QStringLiteral("evaluate"), jobId);
    EXPECT_EQ(VerdictRepository(*f.ws).byJob(jobId).size(), 6u);
}

TEST(EvaluateJob, HumanRatingsReachTheJudgePromptAsCalibrationExamples)
{
    // Solution ids are random and the prompt/held-out split hashes them: 16 solutions put at
    // least 2 on each side but for 1 run in 4,000 (6 failed 1 in 6).
    Fixture f(16);
    const QString solveId = SolveJob::create(*f.ws, f.solveParams(false));
    ASSERT_EQ(f.run(QStringLiteral("solve"), solveId).status, JobStatus::Completed);
    QStringList solutions, rated;
    VerdictRepository verdicts(*f.ws);
    for (const Solution &s : SolutionRepository(*f.ws).byJob(solveId)) {
        solutions << s.id;
        verdicts.setJudgment(s.id, QStringLiteral("correctness"), 2, QStringLiteral("too vague"));
        if (JudgeCalibration::isPromptExample(s.id))
            rated << s.id;
    }
    ASSERT_GE(rated.size(), 2) << "the split put too few of 16 solutions on the prompt side";
    auto evaluate = [&](int examples) {
        json params = {{"solutions", json::array()},
                       {"judges", json::array({f.judge.toStdString()})},
                       {"aspects", json::array({"correctness"})},
                       {"provider", f.providerId.toStdString()},
                       {"calibration_examples", examples}};
        for (const QString &s : solutions)
            params["solutions"].push_back(s.toStdString());
        const QString jobId = EvaluateJob::create(*f.ws, params);
        EXPECT_EQ(f.run(QStringLiteral("evaluate"), jobId).status, JobStatus::Completed);
        return verdicts.byJob(jobId);
    };
    for (const Verdict &v : evaluate(0))
        EXPECT_TRUE(v.calibrationIds.isEmpty());
    for (const Verdict &v : evaluate(2)) {
        ASSERT_FALSE(v.calibrationIds.isEmpty()) << v.solutionId.toStdString();
        EXPECT_LE(v.calibrationIds.size(), 2);
        EXPECT_FALSE(v.calibrationIds.contains(v.solutionId)); // never its own rating
        for (const QString &id : v.calibrationIds)
            EXPECT_TRUE(rated.contains(id)) << id.toStdString(); // prompt side of the split only
    }
    QSqlQuery q = f.ws->exec(QStringLiteral(
        "SELECT count(*) FROM llm_calls WHERE doc LIKE '%rated 2 of 5 by a person%'"));
    ASSERT_TRUE(q.next());
    EXPECT_GT(q.value(0).toInt(), 0);
    EXPECT_THROW(
        EvaluateJob::create(*f.ws, {{"solutions", json::array({solutions[0].toStdString()})},
                                    {"calibration_examples", 21}}),
        ValidationError);
}

TEST(EvaluateJob, AJudgeThatStaysInvalidGivesFailedVerdictsNeverScores)
{
    Fixture f(1);
    const QString solveId = SolveJob::create(*f.ws, f.solveParams(false));
    ASSERT_EQ(f.run(QStringLiteral("solve"), solveId).status, JobStatus::Completed);
    auto scripted = std::make_shared<test::ScriptedProvider>(
        ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("broken")));
    for (int i = 0; i < 6; ++i)
        scripted->pushOk(QStringLiteral("{\"scores\": \"excellent\"}"));
    f.client.addProvider(scripted);
    json params = {
        {"solutions",
         json::array({SolutionRepository(*f.ws).byJob(solveId).front().id.toStdString()})},
        {"judges", json::array({f.judge.toStdString()})},
        {"provider", "broken"}};
    const QString jobId = EvaluateJob::create(*f.ws, params);
    const EngineJobResult r = f.run(QStringLiteral("evaluate"), jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    const auto verdicts = VerdictRepository(*f.ws).byJob(jobId);
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_EQ(verdicts[0].status, Verdict::Status::Failed);
    EXPECT_TRUE(verdicts[0].scores.aspects.empty());
    EXPECT_FALSE(verdicts[0].overall.has_value());
    EXPECT_TRUE(verdicts[0].error.contains(QStringLiteral("no valid verdict")))
        << verdicts[0].error.toStdString();
    EXPECT_EQ(verdicts[0].checks.size(), 4u); // the deterministic part still stands
}

TEST(EvaluationEngine, StartsAndResumesJobsOfAnyRegisteredKind)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("w.crucible"));
    QString generator;
    QStringList problems;
    {
        auto ws = Workspace::create(path);
        problems = test::insertProblems(*ws, 2);
        generator = test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("G"));
    }
    LlmEngine::Options options;
    options.providersFile = dir.file(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    options.loadPrices = false;
    LlmEngine llm(options);
    llm.client()->addProvider(
        std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    EvaluationEngine engine(&llm);
    QSignalSpy finished(&engine, &EvaluationEngine::jobFinished);
    QSignalSpy added(&engine, &EvaluationEngine::entitiesAdded);
    QSignalSpy errors(&engine, &EvaluationEngine::errorOccurred);
    EngineJobRequest request;
    request.kind = QStringLiteral("solve");
    engine.start(request);
    ASSERT_EQ(errors.count(), 1); // no workspace yet
    engine.setWorkspacePath(path);
    request.params = {{"problems", problems},
                      {"teams", json::array({{{"generator", generator.toStdString()}}})}};
    engine.start(request);
    ASSERT_TRUE(finished.wait(10000));
    const auto outcome = finished.at(0).at(0).value<JobOutcome>();
    EXPECT_EQ(outcome.status, JobStatus::Completed) << outcome.error.toStdString();
    EXPECT_EQ(outcome.kind, QStringLiteral("solve"));
    EXPECT_EQ(outcome.summary.value("job_id", std::string()), outcome.jobId.toStdString());
    EXPECT_GE(added.count(), 2);
    request.kind = QStringLiteral("nonsense");
    request.params = json::object();
    engine.start(request);
    EXPECT_EQ(errors.count(), 2);
    QCoro::waitFor(engine.shutdown());
}
