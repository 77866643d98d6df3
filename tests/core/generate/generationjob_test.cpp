// Generation jobs end to end: the simulated provider, a scripted provider for stop conditions,
// and the loopback server with faults, cancel and resume.

#include "core/generate/complexitymix.h"
#include "core/generate/generationestimate.h"
#include "core/generate/generationjob.h"
#include "core/generate/minhash.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/structured/jsonschemavalidator.h"
#include "core/store/datasetrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/llmcallrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/generationanswers.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <QFile>
#include <QSignalSpy>
#include <gtest/gtest.h>

#include <random>
#include <set>

using namespace crucible;
using crucible::test::LlmTestServerThread;
using crucible::test::TempFolder;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

json problemSchema()
{
    QFile f(QStringLiteral(":/schemas/problem.schema.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return json::parse(f.readAll().toStdString());
}

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("w.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};

    Fixture()
    {
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 5);
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    }

    GenerationResult run(const QString &jobId)
    {
        GenerationJob job(*ws, client, templates);
        return QCoro::waitFor(job.run(jobId));
    }

    QString create(GenerationSpec spec)
    {
        if (spec.providerId.isEmpty())
            spec.providerId = ProviderFactory::simulatedDefault().id;
        return GenerationJob::create(*ws, spec);
    }

    Problem base()
    {
        Problem p = test::makeProblem(1, QStringLiteral("hospital logistics"));
        ProblemRepository(*ws).insert(p);
        return p;
    }
};

} // namespace

TEST(ComplexityMix, LargestRemainderSumsToExactlyN)
{
    const auto mix = defaultComplexityMix();
    auto c = allocateByMix(mix, 1000);
    EXPECT_EQ(c[Complexity::Simple], 300);
    EXPECT_EQ(c[Complexity::Medium], 500);
    EXPECT_EQ(c[Complexity::Complex], 200);
    // 7 × (0.3, 0.5, 0.2) = 2.1, 3.5, 1.4: floors 2 + 3 + 1 = 6, the extra unit goes to the
    // largest remainder (medium).
    c = allocateByMix(mix, 7);
    EXPECT_EQ(c[Complexity::Simple], 2);
    EXPECT_EQ(c[Complexity::Medium], 4);
    EXPECT_EQ(c[Complexity::Complex], 1);

    std::mt19937 rng(3);
    for (int i = 0; i < 500; ++i) {
        ComplexityMix m{{Complexity::Simple, static_cast<double>(rng() % 100)},
                        {Complexity::Medium, static_cast<double>(rng() % 100)},
                        {Complexity::Complex, static_cast<double>(rng() % 100) + 1}};
        const int n = static_cast<int>(rng() % 2000);
        double sum = 0;
        for (auto &[l, v] : m)
            sum += v;
        int total = 0;
        for (const auto &[level, count] : allocateByMix(m, n)) {
            total += count;
            // Never more than one unit away from the exact share.
            EXPECT_LT(std::abs(count - n * m[level] / sum), 1.0 + 1e-9);
        }
        EXPECT_EQ(total, n);
    }
}

TEST(ComplexityMix, ParsesAndRejectsBadMixes)
{
    const auto m = parseComplexityMix(QStringLiteral("simple=1, complex=3"));
    EXPECT_DOUBLE_EQ(m.at(Complexity::Simple), 0.25);
    EXPECT_DOUBLE_EQ(m.at(Complexity::Complex), 0.75);
    EXPECT_EQ(m.count(Complexity::Medium), 0u);
    EXPECT_THROW(parseComplexityMix(QStringLiteral("easy=1")), ValidationError);
    EXPECT_THROW(parseComplexityMix(QStringLiteral("simple=x")), ValidationError);
    EXPECT_THROW(parseComplexityMix(QStringLiteral("simple=0")), ValidationError);
    EXPECT_THROW(parseComplexityMix(QStringLiteral("simple=1,simple=2")), ValidationError);
}

TEST(GenerationSpec, RoundTripsAndValidates)
{
    GenerationSpec s;
    s.kind = GenerationKind::Interactions;
    s.baseProblemId = QStringLiteral("prb_1");
    s.roles = {{QStringLiteral("user"), QStringLiteral("Ann"), QStringLiteral("a manager")},
               {QStringLiteral("critic"), QStringLiteral("Critic"), QStringLiteral("a critic")}};
    s.turnLimit = 9;
    s.mix = parseComplexityMix(QStringLiteral("simple=1,medium=1"));
    const GenerationSpec back = GenerationSpec::fromJson(s.toJson());
    EXPECT_EQ(back.roles, s.roles);
    EXPECT_EQ(back.turnLimit, 9);
    EXPECT_EQ(back.mix, s.mix);
    EXPECT_EQ(back.kind, GenerationKind::Interactions);

    GenerationSpec bad;
    bad.kind = GenerationKind::Dataset; // no domain
    EXPECT_FALSE(bad.validate().empty());
    bad.kind = GenerationKind::Variations; // no base problem
    EXPECT_FALSE(bad.validate().empty());
    bad.kind = GenerationKind::Adversarial;
    bad.baseProblemId = QStringLiteral("x");
    bad.strategies = {QStringLiteral("bribery")};
    EXPECT_FALSE(bad.validate().empty());
}

TEST(GenerationJob, SeedsWithProvenanceAndLedger)
{
    Fixture f;
    GenerationSpec spec;
    spec.kind = GenerationKind::Seeds;
    spec.domain = QStringLiteral("hospital logistics");
    const QString jobId = f.create(spec);
    const GenerationResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 5);
    ProblemRepository repo(*f.ws);
    LlmCallRepository calls(*f.ws);
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        ASSERT_TRUE(p);
        EXPECT_EQ(p->origin, ProblemOrigin::Seed);
        EXPECT_TRUE(p->validate().empty());
        EXPECT_FALSE(p->constraints.isEmpty());
        EXPECT_FALSE(p->successCriteria.isEmpty());
        EXPECT_EQ(p->metadata["generator"], "seeds");
        EXPECT_EQ(p->metadata["template"]["id"], "generate.seeds");
        EXPECT_EQ(p->metadata["job_id"], jobId.toStdString());
        ASSERT_FALSE(p->metadata["call_ids"].empty());
        const auto call =
            calls.get(QString::fromStdString(p->metadata["call_ids"][0].get<std::string>()));
        ASSERT_TRUE(call) << "every call id points at the ledger";
        EXPECT_EQ(call->templateId, QStringLiteral("generate.seeds"));
    }
    const auto job = JobRepository(*f.ws).get(jobId);
    EXPECT_EQ(job->status, JobStatus::Completed);
    EXPECT_EQ(job->done, 5);
    EXPECT_EQ(job->summary["counts"]["accepted"], 5);

    // Running a completed job again makes nothing new.
    const GenerationResult again = f.run(jobId);
    EXPECT_EQ(again.problemIds, r.problemIds);
    EXPECT_EQ(repo.count(), 5);
}

TEST(GenerationJob, DatasetHasExactlyNWithTheMixAndADatasetRecord)
{
    Fixture f;
    GenerationSpec spec;
    spec.kind = GenerationKind::Dataset;
    spec.domain = QStringLiteral("supply chains");
    spec.count = 23;
    spec.mix = parseComplexityMix(QStringLiteral("simple=0.3,medium=0.5,complex=0.2"));
    const GenerationResult r = f.run(f.create(spec));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 23);
    const auto expected = allocateByMix(spec.mix, 23);
    std::map<Complexity, int> got;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds)
        ++got[repo.get(id)->complexity];
    EXPECT_EQ(got, expected);

    const auto ds = DatasetRepository(*f.ws).get(r.datasetId);
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds, r.problemIds);
    EXPECT_EQ(ds->domain, QStringLiteral("supply chains"));
    EXPECT_EQ(ds->metadata["counts"]["accepted"], 23);
    EXPECT_TRUE(ds->metadata["diversity"].contains("distinct_2"));
    EXPECT_GT(ds->metadata["diversity"]["distinct_2"].get<double>(), 0.0);
    EXPECT_TRUE(ds->metadata["cost"].contains("calls"));
}

TEST(GenerationJob, VariationsAdversarialExpandKeepTheirBaseAndDetails)
{
    Fixture f;
    const Problem base = f.base();
    GenerationSpec v;
    v.kind = GenerationKind::Variations;
    v.baseProblemId = base.id;
    v.levels = {Complexity::Simple, Complexity::Complex};
    v.perLevel = 2;
    GenerationResult r = f.run(f.create(v));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 4);
    ProblemRepository repo(*f.ws);
    std::map<Complexity, int> levels;
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        EXPECT_EQ(p->baseProblemId, base.id);
        EXPECT_EQ(p->origin, ProblemOrigin::Variation);
        ++levels[p->complexity];
    }
    EXPECT_EQ(levels[Complexity::Simple], 2);
    EXPECT_EQ(levels[Complexity::Complex], 2);
    EXPECT_EQ(repo.descendants(base.id).size(), 4u);

    GenerationSpec a;
    a.kind = GenerationKind::Adversarial;
    a.baseProblemId = base.id;
    a.count = 4;
    a.strategies = {QStringLiteral("edge_case"), QStringLiteral("conflicting_constraints")};
    r = f.run(f.create(a));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 4);
    std::map<std::string, int> strategies;
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        EXPECT_EQ(p->origin, ProblemOrigin::Adversarial);
        const json &adv = p->metadata["adversarial"];
        ++strategies[adv["strategy"].get<std::string>()];
        EXPECT_FALSE(adv["attacked_assumption"].get<std::string>().empty());
        EXPECT_FALSE(adv["must_notice"].get<std::string>().empty());
    }
    EXPECT_EQ(strategies["edge_case"], 2);
    EXPECT_EQ(strategies["conflicting_constraints"], 2);

    GenerationSpec e;
    e.kind = GenerationKind::Expand;
    e.baseProblemId = base.id;
    e.factors = {QStringLiteral("time"), QStringLiteral("regulation")};
    r = f.run(f.create(e));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 1);
    const auto expanded = repo.get(r.problemIds[0]);
    EXPECT_EQ(expanded->origin, ProblemOrigin::Expansion);
    EXPECT_EQ(expanded->metadata["expansion"]["factors"], json({"time", "regulation"}));
    EXPECT_FALSE(expanded->metadata["expansion"]["details"].empty());
}

TEST(GenerationJob, InteractionsStopOnRepetitionAndGoal)
{
    Fixture f;
    const Problem base = f.base();
    ProviderConfig c = ProviderFactory::simulatedDefault();
    c.id = QStringLiteral("scripted");
    c.type = ProviderType::OpenAiCompatible;
    auto scripted = std::make_shared<test::ScriptedProvider>(c);
    f.client.addProvider(scripted);
    auto turn = [](const char *content, const char *intent) {
        return QString::fromStdString(
            json{{"content", content}, {"intent", intent}, {"confidence", 0.7}}.dump());
    };
    // Interaction 1: the third turn repeats the first almost word for word.
    scripted->pushOk(turn("We could staff nights with a rota of two nurses per ward and swap "
                          "weekends every month so that nobody is always on call",
                          "propose"));
    scripted->pushOk(turn("How do we handle sick leave on a weekend?", "question"));
    scripted->pushOk(turn("We could staff nights with a rota of two nurses per ward and swap "
                          "weekends every month so that nobody is always on call!",
                          "propose"));
    GenerationSpec s;
    s.kind = GenerationKind::Interactions;
    s.providerId = c.id;
    s.baseProblemId = base.id;
    s.turnLimit = 8;
    s.concurrency = 1;
    GenerationResult r = f.run(GenerationJob::create(*f.ws, s));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.interactionIds.size(), 1);
    EntityStore store(*f.ws);
    auto i = store.get<Interaction>(r.interactionIds[0]);
    ASSERT_TRUE(i);
    EXPECT_EQ(i->stopReason, QStringLiteral("repetition"));
    ASSERT_EQ(i->turns.size(), 2u);
    EXPECT_EQ(i->turns[0].role, QStringLiteral("user"));
    EXPECT_EQ(i->turns[1].role, QStringLiteral("assistant"));
    EXPECT_EQ(i->problemId, base.id);

    // Interaction 2: a summary after three turns reaches the goal.
    scripted->pushOk(turn("Propose a rota for the ward.", "question"));
    scripted->pushOk(turn("Two nurses per night, rotating weekly.", "propose"));
    scripted->pushOk(turn("Fine, and weekends rotate monthly.", "refine"));
    scripted->pushOk(
        turn("Summary: two per night, weekly rotation, monthly weekends.", "summarize"));
    r = f.run(GenerationJob::create(*f.ws, s));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    i = store.get<Interaction>(r.interactionIds[0]);
    EXPECT_EQ(i->stopReason, QStringLiteral("goal_reached"));
    EXPECT_EQ(i->turns.size(), 4u);

    // Interaction 3: nothing ends it early: the turn limit does.
    s.turnLimit = 3;
    scripted->pushOk(turn("First distinct thought about rota planning.", "propose"));
    scripted->pushOk(turn("Second, different question about overtime rules.", "question"));
    scripted->pushOk(turn("Third: a critique of the weekend coverage.", "critique"));
    r = f.run(GenerationJob::create(*f.ws, s));
    i = store.get<Interaction>(r.interactionIds[0]);
    EXPECT_EQ(i->stopReason, QStringLiteral("turn_limit"));
    EXPECT_EQ(i->turns.size(), 3u);
}

TEST(GenerationJob, MatrixRowsBecomeProblemsWithoutAnLlm)
{
    Fixture f;
    GenerationSpec s;
    s.kind = GenerationKind::Matrix;
    s.domain = QStringLiteral("support");
    s.pictModel =
        QStringLiteral("Channel: Email, Chat, Phone\nTier: Free, Pro\nIssue: Billing, "
                       "Bug, Outage\nIF [Tier] = \"Free\" THEN [Channel] <> \"Phone\";\n");
    s.statementTemplate = QStringLiteral("A {Tier} customer reports a {Issue} issue by {Channel}.");
    const GenerationResult r = f.run(f.create(s));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    const auto ds = DatasetRepository(*f.ws).get(r.datasetId);
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), r.problemIds.size());
    const int rows = ds->metadata["matrix"]["coverage"]["rows"].get<int>();
    EXPECT_EQ(rows, r.problemIds.size());
    std::set<std::pair<QString, QString>> pairs;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        EXPECT_EQ(p->origin, ProblemOrigin::Matrix);
        ASSERT_EQ(p->matrixCell.size(), 3u);
        EXPECT_FALSE(p->matrixCell.at(QStringLiteral("Tier")) == QStringLiteral("Free") &&
                     p->matrixCell.at(QStringLiteral("Channel")) == QStringLiteral("Phone"));
        EXPECT_EQ(p->statement, QStringLiteral("A %1 customer reports a %2 issue by %3.")
                                    .arg(p->matrixCell.at(QStringLiteral("Tier")),
                                         p->matrixCell.at(QStringLiteral("Issue")),
                                         p->matrixCell.at(QStringLiteral("Channel"))));
        pairs.insert({p->matrixCell.at(QStringLiteral("Channel")),
                      p->matrixCell.at(QStringLiteral("Issue"))});
    }
    EXPECT_EQ(pairs.size(), 9u) << "every Channel × Issue pair is covered";
    EXPECT_EQ(ds->metadata["diversity"]["dimension_coverage"]["Issue"]["covered"], 3);
}

TEST(GenerationJob, BadInputIsRefusedBeforeAnyCall)
{
    Fixture f;
    GenerationSpec s;
    s.kind = GenerationKind::Variations;
    s.providerId = ProviderFactory::simulatedDefault().id;
    s.baseProblemId = QStringLiteral("prb_missing");
    EXPECT_THROW(GenerationJob::create(*f.ws, s), ValidationError);
    s.kind = GenerationKind::Matrix;
    s.baseProblemId.clear();
    s.pictModel = QStringLiteral("A: 1, 2\nIF [B] = 1 THEN [A] = 2;\n");
    EXPECT_ANY_THROW(GenerationJob::create(*f.ws, s));
    EXPECT_EQ(JobRepository(*f.ws).list().size(), 0u);
}

TEST(GenerationJob, EstimateCountsCallsAndPricesThem)
{
    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.domain = QStringLiteral("law");
    s.count = 100;
    const PromptTemplates templates{QString()};
    const ProviderConfig openAi = ProviderConfig::fromPreset(ProviderPreset::OpenAi);
    const auto e =
        estimateGeneration(s, templates, PriceTable::builtIn(), openAi, QStringLiteral("gpt-4o"));
    EXPECT_EQ(e.calls, 115);
    EXPECT_GT(e.tokensIn, 100 * 100);
    ASSERT_TRUE(e.costUsd);
    EXPECT_GT(*e.costUsd, 0.0);
    const auto unpriced = estimateGeneration(s, templates, PriceTable::builtIn(), openAi,
                                             QStringLiteral("my-local-model"));
    EXPECT_FALSE(unpriced.costUsd);
    // A local server is not billed at a cloud vendor's price because it shares a model name.
    const ProviderConfig ollama = ProviderConfig::fromPreset(ProviderPreset::Ollama);
    EXPECT_FALSE(
        estimateGeneration(s, templates, PriceTable::builtIn(), ollama, QStringLiteral("gpt-4o"))
            .costUsd);
    s.kind = GenerationKind::Interactions;
    s.count = 2;
    s.turnLimit = 5;
    s.baseProblemId = QStringLiteral("x");
    EXPECT_EQ(
        estimateGeneration(s, templates, PriceTable::builtIn(), openAi, QStringLiteral("gpt-4o"))
            .calls,
        10);
}

namespace {

struct LoopbackFixture : Fixture
{
    LlmTestServerThread server;
    QString providerId = QStringLiteral("loop");

    explicit LoopbackFixture(double duplicateRate)
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, providerId);
        c.baseUrl = server.server().openAiBaseUrl().toString();
        c.defaultModel = QStringLiteral("test-model");
        c.maxRetries = 4;
        c.concurrency = 16;
        client.addProvider(std::make_shared<OpenAiProvider>(c, QString()));
        server.server().setAnswerHandler([duplicateRate](const json &request) {
            return test::generationAnswer(request, duplicateRate);
        });
    }
};

} // namespace

TEST(GenerationJob, TheLoopbackServersGenerationAnswersFitTheSeedsSchema)
{
    // llmtestserver --generation-answers / --solve-answers answer seed requests with these: a
    // field the seeds schema does not allow made every first job against it fail.
    LoopbackFixture f(0.0);
    GenerationSpec s;
    s.kind = GenerationKind::Seeds;
    s.providerId = f.providerId;
    s.domain = QStringLiteral("hospital logistics");
    s.count = 3;
    const GenerationResult r = f.run(GenerationJob::create(*f.ws, s));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    EXPECT_EQ(r.problemIds.size(), 3);
    EXPECT_EQ(r.rejected, 0);
}

TEST(GenerationJob, NearDuplicatesAreRejectedReplacedAndReported)
{
    LoopbackFixture f(0.25);
    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.providerId = f.providerId;
    s.domain = QStringLiteral("nursing");
    s.count = 40;
    const GenerationResult r = f.run(GenerationJob::create(*f.ws, s));
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    EXPECT_EQ(r.problemIds.size(), 40);
    EXPECT_GT(r.rejected, 0);
    const auto &rejects = r.summary["rejects"];
    ASSERT_FALSE(rejects.empty());
    for (const auto &rej : rejects) {
        EXPECT_EQ(rej["reason"], "near_duplicate");
        EXPECT_NE(rej["detail"].get<std::string>().find("Jaccard"), std::string::npos);
    }
    // The one planted statement was accepted once at most.
    std::vector<QString> texts;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds)
        texts.push_back(repo.get(id)->statement);
    for (const auto &d : dedupBatch(texts))
        EXPECT_FALSE(d.duplicate);
    const auto ds = DatasetRepository(*f.ws).get(r.datasetId);
    EXPECT_EQ(ds->metadata["counts"]["rejected"], r.rejected);
}

TEST(GenerationJob, BudgetSpentFailsWithRejectsKept)
{
    LoopbackFixture f(1.0); // every answer is the same problem
    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.providerId = f.providerId;
    s.domain = QStringLiteral("nursing");
    s.count = 5;
    s.candidateBudget = 8;
    s.concurrency = 2;
    const QString jobId = GenerationJob::create(*f.ws, s);
    const GenerationResult r = f.run(jobId);
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_TRUE(r.error.contains(QStringLiteral("budget"))) << r.error.toStdString();
    EXPECT_EQ(r.problemIds.size(), 1);
    EXPECT_EQ(r.rejected, 7);
    EXPECT_EQ(f.server.server().stats().totalRequests, 8);
    EXPECT_EQ(JobRepository(*f.ws).get(jobId)->status, JobStatus::Failed);
    EXPECT_FALSE(DatasetRepository(*f.ws).get(r.datasetId)) << "no dataset short of N";
}

TEST(GenerationJob, FaultsCancelAndResumeLoseAndDuplicateNothing)
{
    LoopbackFixture f(0.05);
    auto &srv = f.server.server();
    srv.setLatencyMs(5);
    srv.setRandomSeed(11);
    srv.addRandomFault(Fault::RateLimited{0, 5}, 0.04);
    srv.addRandomFault(Fault::ServerError{500}, 0.04);
    srv.addRandomFault(Fault::DropConnection{}, 0.03);
    srv.addRandomFault(Fault::MalformedJson{}, 0.03);
    srv.addRandomFault(Fault::FencedJson{}, 0.03);
    srv.addRandomFault(Fault::Truncated{}, 0.03);

    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.providerId = f.providerId;
    s.domain = QStringLiteral("nursing");
    s.count = 150;
    s.concurrency = 12;
    const QString jobId = GenerationJob::create(*f.ws, s);

    GenerationResult first;
    {
        GenerationJob job(*f.ws, f.client, f.templates);
        int added = 0;
        QObject::connect(&job, &GenerationJob::problemsAdded, &job, [&](const QStringList &ids) {
            added += static_cast<int>(ids.size());
            if (added >= 60)
                job.cancel();
        });
        first = QCoro::waitFor(job.run(jobId));
    }
    ASSERT_EQ(first.status, JobStatus::Cancelled) << first.error.toStdString();
    EXPECT_GE(first.problemIds.size(), 60);
    EXPECT_LT(first.problemIds.size(), 150);
    const qint64 afterCancel = ProblemRepository(*f.ws).count();
    EXPECT_EQ(afterCancel, first.problemIds.size()) << "nothing accepted was lost";

    const GenerationResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    ASSERT_EQ(r.problemIds.size(), 150);
    for (const QString &id : first.problemIds)
        EXPECT_TRUE(r.problemIds.contains(id)) << "earlier problems are kept as they were";
    EXPECT_EQ(ProblemRepository(*f.ws).count(), 150) << "no duplicates, no orphans";
    EXPECT_EQ(std::set<QString>(r.problemIds.begin(), r.problemIds.end()).size(), 150u);

    const JsonSchemaValidator validator(problemSchema());
    std::vector<QString> texts;
    ProblemRepository repo(*f.ws);
    for (const QString &id : r.problemIds) {
        const auto p = repo.get(id);
        ASSERT_TRUE(p);
        EXPECT_TRUE(p->validate().empty());
        json asAnswer = {{"problem_statement", p->statement.toStdString()},
                         {"constraints", p->constraints},
                         {"success_criteria", p->successCriteria}};
        EXPECT_TRUE(validator.validate(asAnswer).empty());
        texts.push_back(p->statement);
    }
    for (const auto &d : dedupBatch(texts))
        EXPECT_FALSE(d.duplicate);
    EXPECT_GT(srv.stats().faultsInjected, 0);
    const auto ds = DatasetRepository(*f.ws).get(r.datasetId);
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), 150u);
}
