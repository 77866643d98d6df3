// Every parameter of a generation job is checked before the first call; a job whose answers
// all fail the same way stops early; a failed job says what it kept.

#include "core/generate/generationjob.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::ScriptedProvider;
using crucible::test::TempFolder;
using nlohmann::json;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("v.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};
    std::shared_ptr<ScriptedProvider> scripted;

    Fixture()
    {
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 2);
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
        ProviderConfig c =
            ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("scripted"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("m");
        c.concurrency = 16;
        scripted = std::make_shared<ScriptedProvider>(c);
        client.addProvider(scripted);
    }

    GenerationResult run(const QString &jobId)
    {
        GenerationJob job(*ws, client, templates);
        return QCoro::waitFor(job.run(jobId));
    }

    qint64 problemCount() { return ProblemRepository(*ws).count(); }
};

GenerationSpec datasetSpec()
{
    GenerationSpec s;
    s.kind = GenerationKind::Dataset;
    s.providerId = QStringLiteral("scripted");
    s.domain = QStringLiteral("hospital logistics");
    s.count = 50;
    return s;
}

const ValidationIssue *find(const std::vector<ValidationIssue> &issues, const QString &field)
{
    for (const auto &i : issues)
        if (i.field == field)
            return &i;
    return nullptr;
}

} // namespace

TEST(GenerationValidation, MixNotAddingUpTo100IsRefusedBeforeAnyCall)
{
    Fixture f;
    GenerationSpec s = datasetSpec();
    s.mix = {{Complexity::Simple, 0.2}, {Complexity::Medium, 0.5}, {Complexity::Complex, 0.4}};
    const auto issues = s.validate();
    const ValidationIssue *mix = find(issues, QStringLiteral("mix"));
    ASSERT_TRUE(mix) << describeIssues(issues).toStdString();
    EXPECT_TRUE(mix->value.contains(QStringLiteral("110 %"))) << mix->value.toStdString();
    EXPECT_TRUE(mix->rule.contains(QStringLiteral("add up to 100 %"))) << mix->rule.toStdString();
    EXPECT_TRUE(mix->rule.contains(QStringLiteral("lower them by 10 points")));

    EXPECT_THROW(GenerationJob::create(*f.ws, s), ValidationError);
    EXPECT_TRUE(JobRepository(*f.ws).list().empty()) << "nothing written";
    EXPECT_EQ(f.scripted->calls(), 0);
    EXPECT_EQ(f.problemCount(), 0);

    s.mix = {{Complexity::Simple, 0.2}, {Complexity::Medium, 0.5}, {Complexity::Complex, 0.3}};
    EXPECT_TRUE(s.validate().empty()) << describeIssues(s.validate()).toStdString();
}

TEST(GenerationValidation, AllProblemsOfEveryKindAreReportedAtOnce)
{
    GenerationSpec s = datasetSpec();
    s.domain = QStringLiteral("  ");
    s.mix = {{Complexity::Simple, 0.0}, {Complexity::Medium, 0.0}};
    s.temperature = 3;
    s.candidateBudget = 10; // fewer than the 50 to make
    s.budgetUsd = -1;
    const auto issues = s.validate();
    for (const char *field : {"domain", "mix", "temperature", "candidate_budget", "budget_usd"})
        EXPECT_TRUE(find(issues, QString::fromLatin1(field))) << field;
    EXPECT_TRUE(find(issues, QStringLiteral("candidate_budget"))
                    ->rule.contains(QStringLiteral("at least 50")));

    GenerationSpec adv;
    adv.kind = GenerationKind::Adversarial;
    adv.baseProblemId = QStringLiteral("prb_1");
    adv.targetCapability.clear();
    adv.difficulty = QStringLiteral("brutal");
    adv.strategies = {QStringLiteral("bribery")};
    const auto a = adv.validate();
    EXPECT_TRUE(find(a, QStringLiteral("target_capability")));
    EXPECT_TRUE(find(a, QStringLiteral("difficulty")));
    const ValidationIssue *strategy = find(a, QStringLiteral("strategies"));
    ASSERT_TRUE(strategy);
    EXPECT_TRUE(strategy->rule.contains(QStringLiteral("edge case"))) << "words, not ids";

    GenerationSpec exp;
    exp.kind = GenerationKind::Expand;
    exp.baseProblemId = QStringLiteral("prb_1");
    exp.detailLevel = QStringLiteral("huge");
    EXPECT_TRUE(find(exp.validate(), QStringLiteral("detail_level")));

    GenerationSpec inter;
    inter.kind = GenerationKind::Interactions;
    inter.baseProblemId = QStringLiteral("prb_1");
    inter.roles = {{QStringLiteral("user"), QString(), QStringLiteral("x")},
                   {QStringLiteral("assistant"), QStringLiteral("A"), QStringLiteral("y")}};
    EXPECT_TRUE(find(inter.validate(), QStringLiteral("roles[0]")));

    GenerationSpec var;
    var.kind = GenerationKind::Variations;
    var.levels.clear();
    var.perLevel = 0;
    const auto v = var.validate();
    EXPECT_TRUE(find(v, QStringLiteral("base_problem_id")));
    EXPECT_TRUE(find(v, QStringLiteral("levels")));
    EXPECT_TRUE(find(v, QStringLiteral("per_level")));

    GenerationSpec matrix;
    matrix.kind = GenerationKind::Matrix;
    matrix.pictModel = QStringLiteral("Ward: ICU, Surgery\nResource: Nurses, Beds\n");
    matrix.statementTemplate = QStringLiteral("{Ward} patients need {Staff}");
    const auto matrixIssues = matrix.validate(); // find() points into it: keep it alive
    const ValidationIssue *tpl = find(matrixIssues, QStringLiteral("statement_template"));
    ASSERT_TRUE(tpl);
    EXPECT_EQ(tpl->value, QStringLiteral("{Staff}"));
    EXPECT_TRUE(tpl->rule.contains(QStringLiteral("{Ward}, {Resource}")))
        << tpl->rule.toStdString();
    matrix.statementTemplate = QStringLiteral("{ward} patients need {Resource}");
    EXPECT_TRUE(matrix.validate().empty());
    matrix.pictModel = QStringLiteral("Ward ICU Surgery");
    EXPECT_TRUE(find(matrix.validate(), QStringLiteral("pict_model")));
}

TEST(GenerationValidation, AJobStoredWithAnOldMixResumesAndMakesItsDataset)
{
    // Jobs written before the rule (weights adding up to 110 %) ran their calls and then could
    // not make the dataset; they now resume and finish.
    Fixture f;
    GenerationSpec s = datasetSpec();
    s.providerId = ProviderFactory::simulatedDefault().id;
    s.count = 10;
    const QString jobId = GenerationJob::create(*f.ws, s);
    JobRecord job = *JobRepository(*f.ws).get(jobId);
    job.params["mix"] = {{"simple", 0.2}, {"medium", 0.5}, {"complex", 0.4}};
    QSqlQuery q = f.ws->prepare(QStringLiteral("UPDATE jobs SET params = ? WHERE id = ?"));
    q.addBindValue(QString::fromStdString(job.params.dump()));
    q.addBindValue(jobId);
    Workspace::execPrepared(q, QStringLiteral("test"));

    const GenerationResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    const auto ds = DatasetRepository(*f.ws).get(r.datasetId);
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), 10);
    double sum = 0;
    for (const auto &[level, v] : ds->complexityMix)
        sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(GenerationValidation, SchemaInvalidAnswersStopTheJobEarlyWithTheReason)
{
    Fixture f; // the scripted provider answers "echo: …", never the JSON asked for
    GenerationSpec s;
    s.kind = GenerationKind::Seeds;
    s.providerId = QStringLiteral("scripted");
    s.domain = QStringLiteral("hospital logistics");
    s.count = 6; // budget 22 units, 3 calls each with the repairs: 66 calls without fail-fast
    const QString jobId = GenerationJob::create(*f.ws, s);
    const GenerationResult r = f.run(jobId);
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_TRUE(r.error.contains(QStringLiteral("Stopped early"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("did not fit the expected JSON")));
    EXPECT_TRUE(r.error.contains(QStringLiteral("A typical rejection:")));
    EXPECT_TRUE(r.error.contains(QStringLiteral("Nothing was kept")));
    // At most the first units in flight (concurrency 8) with their repairs.
    EXPECT_LE(f.scripted->calls(), 8 * 3);
    EXPECT_GE(f.scripted->calls(), GenerationJob::kFailFastUnits);
    EXPECT_EQ(f.problemCount(), 0);
    EXPECT_EQ(JobRepository(*f.ws).get(jobId)->error, r.error);
}

TEST(GenerationValidation, AuthErrorsStopAtTheFirstCall)
{
    Fixture f;
    for (int i = 0; i < 50; ++i)
        f.scripted->pushError(LlmError::Kind::Http, 401);
    GenerationSpec s;
    s.kind = GenerationKind::Seeds;
    s.providerId = QStringLiteral("scripted");
    s.domain = QStringLiteral("law");
    s.concurrency = 1;
    const GenerationResult r = f.run(GenerationJob::create(*f.ws, s));
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_EQ(f.scripted->calls(), 1);
    EXPECT_TRUE(r.error.contains(QStringLiteral("401"))) << r.error.toStdString();
}

TEST(GenerationValidation, ServerErrorsStopAfterTheFirstUnitsWithTheProviderHint)
{
    Fixture f;
    for (int i = 0; i < 200; ++i)
        f.scripted->pushError(LlmError::Kind::Connection);
    GenerationSpec s;
    s.kind = GenerationKind::Seeds;
    s.providerId = QStringLiteral("scripted");
    s.domain = QStringLiteral("law");
    s.concurrency = 1;
    s.count = 20;
    const GenerationResult r = f.run(GenerationJob::create(*f.ws, s));
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_TRUE(r.error.contains(QStringLiteral("Settings → LLM Providers")))
        << r.error.toStdString();
    EXPECT_EQ(JobRepository(*f.ws).units(r.jobId).size(), 5u)
        << "five network failures in a row end the job before the sixth unit";
}

TEST(GenerationValidation, AFailedDatasetJobSaysHowManyProblemsItKeptAndResumeFinishesIt)
{
    Fixture f;
    GenerationSpec s = datasetSpec();
    s.providerId = ProviderFactory::simulatedDefault().id;
    s.count = 6;
    s.concurrency = 1;
    const QString jobId = GenerationJob::create(*f.ws, s);
    {
        GenerationJob job(*f.ws, f.client, f.templates);
        int seen = 0;
        QObject::connect(&job, &GenerationJob::problemsAdded, [&](const QStringList &ids) {
            seen += static_cast<int>(ids.size());
            if (seen >= 2)
                job.cancel();
        });
        const GenerationResult r = QCoro::waitFor(job.run(jobId));
        ASSERT_EQ(r.status, JobStatus::Cancelled);
    }
    // A provider whose answers never fit fails the resumed run: the message counts what stays
    // and where.
    auto setProvider = [&](const QString &id) {
        JobRecord job = *JobRepository(*f.ws).get(jobId);
        job.params["provider"] = id.toStdString();
        QSqlQuery q = f.ws->prepare(QStringLiteral("UPDATE jobs SET params = ? WHERE id = ?"));
        q.addBindValue(QString::fromStdString(job.params.dump()));
        q.addBindValue(jobId);
        Workspace::execPrepared(q, QStringLiteral("test"));
    };
    setProvider(QStringLiteral("scripted"));
    const GenerationResult failed = f.run(jobId);
    ASSERT_EQ(failed.status, JobStatus::Failed);
    ASSERT_GE(failed.problemIds.size(), 2);
    EXPECT_TRUE(failed.error.contains(
        QStringLiteral("The %1 accepted problem(s) are kept in the workspace but not yet in a "
                       "dataset")
            .arg(failed.problemIds.size())))
        << failed.error.toStdString();
    EXPECT_TRUE(failed.error.contains(jobId));
    EXPECT_FALSE(DatasetRepository(*f.ws).get(failed.datasetId));

    setProvider(ProviderFactory::simulatedDefault().id);
    const GenerationResult done = f.run(jobId);
    ASSERT_EQ(done.status, JobStatus::Completed) << done.error.toStdString();
    const auto ds = DatasetRepository(*f.ws).get(done.datasetId);
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->problemIds.size(), 6);
    for (const QString &id : failed.problemIds)
        EXPECT_TRUE(ds->problemIds.contains(id)) << "what was kept is in the dataset";
}
