// Shutting the engines down with calls in flight: every coroutine their slots started is
// cancelled and awaited, so nothing runs after the objects are gone (ASan in CI catches a frame
// that resumes into freed memory, LSan one that never ends), and the jobs stay resumable.

#include "core/engine/evaluationengine.h"
#include "core/engine/generationengine.h"
#include "core/engine/llmengine.h"
#include "core/engine/taskgroup.h"
#include "core/llm/llmscheduler.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/secrets/memorysecretstore.h"
#include "core/store/jobrepository.h"
#include "core/store/workspace.h"
#include "tests/support/solvefixtures.h"
#include "tests/support/testworkspace.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;
using nlohmann::json;

namespace {

QCoro::Task<> shutdownAll(GenerationEngine *generation, EvaluationEngine *evaluation,
                          LlmEngine *llm)
{
    co_await generation->shutdown();
    co_await evaluation->shutdown();
    co_await llm->shutdown();
}

// Waits until the client has `atLeast` calls in flight (admitted or queued in the scheduler).
bool waitForCallsInFlight(LlmClient &client, int atLeast)
{
    QSignalSpy stats(&client, &LlmClient::statsChanged);
    while (client.sessionStats().inFlight < atLeast)
        if (!stats.wait(10'000))
            return false;
    return true;
}

QCoro::Task<> finishesLater(int *finished)
{
    co_await sleepUnlessCancelled(30, {});
    ++*finished;
}

QCoro::Task<> throwsLater()
{
    co_await sleepUnlessCancelled(10, {});
    throw std::runtime_error("boom");
}

} // namespace

TEST(TaskGroup, OwnsTasksUntilTheyEndAndDrainsThem)
{
    TaskGroup group;
    int finished = 0;
    group.start(finishesLater(&finished));
    group.start(finishesLater(&finished));
    group.start(throwsLater()); // logged, counts as ended
    EXPECT_EQ(group.running(), 3);
    QCoro::waitFor(group.drain());
    EXPECT_EQ(group.running(), 0);
    EXPECT_EQ(finished, 2);
    QCoro::waitFor(group.drain()); // nothing running: completes at once
}

TEST(EngineShutdown, WithJobsAndChatsInFlightEndsEverythingAndKeepsJobsResumable)
{
    TempFolder dir;
    const QString path = dir.file(QStringLiteral("w.crucible"));
    QString generator;
    QStringList problems;
    {
        auto ws = Workspace::create(path);
        problems = test::insertProblems(*ws, 12);
        generator = test::insertAgentVersion(*ws, QStringLiteral("generator"), QStringLiteral("G"));
    }
    LlmEngine::Options options;
    options.providersFile = dir.file(QStringLiteral("providers.json"));
    options.secrets = std::make_shared<MemorySecretStore>();
    options.loadPrices = false;
    auto llm = std::make_unique<LlmEngine>(options);
    // Slow answers: whatever is started is still in flight when shutdown begins.
    SimulatedProvider::Options slow;
    slow.latencyMs = 20'000;
    slow.jitterMs = 0;
    llm->client()->addProvider(
        std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), slow));
    auto *generation = new GenerationEngine(llm.get(), llm.get());
    auto *evaluation = new EvaluationEngine(llm.get(), llm.get());
    llm->openWorkspace(path);
    generation->setWorkspacePath(path);
    evaluation->setWorkspacePath(path);

    QSignalSpy genFinished(generation, &GenerationEngine::jobFinished);
    QSignalSpy evalFinished(evaluation, &EvaluationEngine::jobFinished);
    QSignalSpy chats(llm.get(), &LlmEngine::chatFinished);

    GenerationRequest gen;
    gen.spec.kind = GenerationKind::Dataset;
    gen.spec.domain = QStringLiteral("harbours");
    gen.spec.count = 20;
    gen.spec.concurrency = 4;
    generation->start(gen);
    EngineJobRequest solve;
    solve.kind = QStringLiteral("solve");
    solve.params = {{"problems", problems},
                    {"teams", json::array({{{"generator", generator.toStdString()}}})},
                    {"concurrency", 3}};
    evaluation->start(solve);
    llm->submitChat(7, QStringLiteral("simulated"), QStringLiteral("Hello?"), QString(), 2, false);

    // 4 generation units, 3 solve units and 2 chat samples: more than the provider's 8 slots,
    // so some wait in the scheduler's queue.
    ASSERT_TRUE(waitForCallsInFlight(*llm->client(), 9));
    EXPECT_EQ(llm->tasksRunning(), 2) << "both chat samples are in flight";
    EXPECT_EQ(genFinished.count(), 0);
    EXPECT_EQ(evalFinished.count(), 0);

    QCoro::waitFor(shutdownAll(generation, evaluation, llm.get()));

    // Everything the slots started has ended, each with its signal.
    ASSERT_EQ(genFinished.count(), 1);
    ASSERT_EQ(evalFinished.count(), 1);
    const auto genOutcome = genFinished.at(0).at(0).value<JobOutcome>();
    const auto evalOutcome = evalFinished.at(0).at(0).value<JobOutcome>();
    EXPECT_EQ(genOutcome.status, JobStatus::Cancelled) << genOutcome.error.toStdString();
    EXPECT_EQ(genOutcome.kind, QStringLiteral("dataset"));
    EXPECT_EQ(evalOutcome.status, JobStatus::Cancelled) << evalOutcome.error.toStdString();
    EXPECT_FALSE(generation->isRunning(genOutcome.jobId));
    EXPECT_FALSE(evaluation->isRunning(evalOutcome.jobId));
    EXPECT_EQ(llm->tasksRunning(), 0);
    EXPECT_EQ(chats.count(), 2);
    for (const auto &args : chats)
        EXPECT_FALSE(args.at(2).toBool()) << "a cancelled chat is not ok";
    EXPECT_EQ(llm->client()->sessionStats().inFlight, 0);
    EXPECT_EQ(llm->client()->scheduler().stats(QStringLiteral("simulated")).inFlight, 0)
        << "every permit was given back";
    EXPECT_EQ(llm->client()->scheduler().stats(QStringLiteral("simulated")).waiting, 0);

    // After shutdown nothing new starts.
    QSignalSpy errors(generation, &GenerationEngine::errorOccurred);
    generation->start(gen);
    EXPECT_EQ(errors.count(), 1);
    generation->resume(genOutcome.jobId);
    EXPECT_EQ(errors.count(), 2);

    // The objects go; nothing of theirs may run afterwards.
    llm.reset();
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

    auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
    const auto genJob = JobRepository(*ws).get(genOutcome.jobId);
    ASSERT_TRUE(genJob);
    EXPECT_EQ(genJob->status, JobStatus::Cancelled) << "resumable";
    const auto evalJob = JobRepository(*ws).get(evalOutcome.jobId);
    ASSERT_TRUE(evalJob);
    EXPECT_EQ(evalJob->status, JobStatus::Cancelled) << "resumable";
}
