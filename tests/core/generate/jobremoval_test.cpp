// Deleting a finished generation job: its problems stay (default) or go with it.

#include "core/generate/generationjob.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("r.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};

    Fixture()
    {
        client.setLedger(ws.get());
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    }

    GenerationResult dataset(int n)
    {
        GenerationSpec s;
        s.kind = GenerationKind::Dataset;
        s.providerId = ProviderFactory::simulatedDefault().id;
        s.domain = QStringLiteral("warehouses");
        s.count = n;
        GenerationJob job(*ws, client, templates);
        return QCoro::waitFor(job.run(GenerationJob::create(*ws, s)));
    }
};

} // namespace

TEST(JobRemoval, KeepsTheProblemsByDefault)
{
    Fixture f;
    const GenerationResult r = f.dataset(4);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    const JobRemoval removed = JobRepository(*f.ws).remove(r.jobId, false);
    EXPECT_TRUE(removed.removed);
    EXPECT_EQ(removed.keptProblems, 4);
    EXPECT_EQ(removed.problems, 0);
    EXPECT_FALSE(JobRepository(*f.ws).get(r.jobId));
    EXPECT_TRUE(JobRepository(*f.ws).units(r.jobId).empty());
    EXPECT_EQ(ProblemRepository(*f.ws).count(), 4);
    EXPECT_TRUE(DatasetRepository(*f.ws).get(r.datasetId)) << "the dataset stays with them";
}

TEST(JobRemoval, TakesItsProblemsAndDatasetWhenAsked)
{
    Fixture f;
    const GenerationResult keep = f.dataset(2);
    const GenerationResult drop = f.dataset(3);
    ASSERT_EQ(drop.status, JobStatus::Completed) << drop.error.toStdString();
    const JobRemoval removed = JobRepository(*f.ws).remove(drop.jobId, true);
    EXPECT_TRUE(removed.removed);
    EXPECT_EQ(removed.problems, 3);
    EXPECT_TRUE(removed.dataset);
    EXPECT_EQ(ProblemRepository(*f.ws).count(), 2) << "other jobs' problems stay";
    for (const QString &id : keep.problemIds)
        EXPECT_TRUE(ProblemRepository(*f.ws).contains(id));
    EXPECT_FALSE(DatasetRepository(*f.ws).get(drop.datasetId));
    EXPECT_TRUE(DatasetRepository(*f.ws).get(keep.datasetId));
    EXPECT_FALSE(JobRepository(*f.ws).remove(drop.jobId, true).removed) << "already gone";
}
