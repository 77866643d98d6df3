// The optimisers of core/evolve as state machines: splits, the Pareto frontier, the 1/5 rule,
// the call budget (never exceeded, checked before a task), checkpoints that resume exactly
// after a kill at any point, and learning on the Simulated provider's fitness landscape through
// the real LLM client.

#include "core/agents/traitcatalogue.h"
#include "core/evolve/evolverunner.h"
#include "core/evolve/paretofrontier.h"
#include "core/evolve/personalityevolution.h"
#include "core/evolve/randomsearch.h"
#include "core/evolve/reflectiveoptimiser.h"
#include "core/evolve/traitstrategy.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/simulated/fitnesslandscape.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace crucible;
using namespace crucible::evolve;
using crucible::simulated::FitnessLandscape;
using nlohmann::json;

namespace {

Agent seedAgent()
{
    Agent a;
    a.role = agentrole::generator;
    a.identity.name = QStringLiteral("Solver");
    a.traits = TraitCatalogue::defaultTraits(agentrole::generator);
    return a;
}

SolverAgent judgeAgent()
{
    SolverAgent j;
    j.versionId = QStringLiteral("agv_judge");
    j.name = QStringLiteral("Judge");
    j.role = agentrole::evaluator;
    j.systemPrompt = QStringLiteral("You judge solutions.");
    j.context.versionId = j.versionId;
    j.context.role = j.role;
    return j;
}

// The real LLM client with a zero-latency Simulated provider in landscape mode, no ledger.
struct LandscapeWorld
{
    explicit LandscapeWorld(quint64 seed, int problemCount = 24)
        : landscape(seed)
        , client(PriceTable())
    {
        SimulatedProvider::Options o;
        o.latencyMs = 0;
        o.jitterMs = 0;
        o.landscapeSeed = seed;
        client.addProvider(
            std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault(), o));
        for (int i = 1; i <= problemCount; ++i) {
            Problem p = test::makeProblem(i);
            ids << p.id;
            problems.emplace(p.id, std::move(p));
        }
    }

    std::unique_ptr<EvolveRunner> runner(const QString &runId)
    {
        EvolveRunnerSetup s;
        s.providerId = QStringLiteral("simulated");
        s.runId = runId;
        s.judge = judgeAgent();
        return std::make_unique<EvolveRunner>(client, templates, problems, s);
    }

    double quality(const Optimiser &o, int id) const
    {
        const Agent &a = o.candidates()[static_cast<size_t>(id)].definition;
        return landscape.quality(a.traits, a.instructions).q;
    }

    FitnessLandscape landscape;
    PromptTemplates templates;
    LlmClient client;
    QStringList ids;
    std::map<QString, Problem> problems;
};

DriveOutcome driveAll(Optimiser &o, EvolveRunner &runner, DriveOptions options = {})
{
    return QCoro::waitFor(drive(o, runner, std::move(options)));
}

} // namespace

TEST(DataSplit, IsDisjointCompleteAndDeterministic)
{
    QStringList ids;
    for (int i = 0; i < 20; ++i)
        ids << QStringLiteral("p%1").arg(i);
    const DataSplit a = DataSplit::make(ids, 3);
    QStringList reversed(ids.rbegin(), ids.rend());
    const DataSplit b = DataSplit::make(reversed, 3);
    EXPECT_EQ(a.train, b.train); // the order the ids come in does not matter
    EXPECT_EQ(a.test, b.test);
    EXPECT_EQ(a.test.size(), 6);
    EXPECT_EQ(a.validation.size(), 4);
    EXPECT_EQ(a.train.size(), 10);
    std::set<QString> all;
    for (const QStringList *part : {&a.train, &a.validation, &a.test})
        for (const QString &id : *part)
            EXPECT_TRUE(all.insert(id).second) << id.toStdString() << " is in two splits";
    EXPECT_EQ(all.size(), 20u);
    EXPECT_NE(DataSplit::make(ids, 4).test, a.test);
    const DataSplit round = DataSplit::fromJson(a.toJson());
    EXPECT_EQ(round.validation, a.validation);
    EXPECT_THROW(DataSplit::make({QStringLiteral("x"), QStringLiteral("y")}, 1),
                 std::invalid_argument);
    // Validation is capped: every pooled candidate is scored on all of it.
    QStringList many;
    for (int i = 0; i < 300; ++i)
        many << QStringLiteral("q%1").arg(i);
    EXPECT_EQ(DataSplit::make(many, 1).validation.size(), 12);
}

TEST(ParetoFrontier, KeepsCandidatesBestSomewhereAndSamplesByWins)
{
    const QStringList problems = {QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3")};
    std::vector<Candidate> c(4);
    const double scores[4][3] = {
        {0.9, 0.1, 0.1}, {0.2, 0.8, 0.7}, {0.1, 0.5, 0.5}, {0.2, 0.8, 0.6}};
    for (int i = 0; i < 4; ++i) {
        c[static_cast<size_t>(i)].id = i;
        for (int p = 0; p < 3; ++p)
            c[static_cast<size_t>(i)].scores[problems[p]].score = scores[i][p];
    }
    // 2 is best nowhere; 3 ties 1 on p2 but 1 dominates it.
    const auto frontier = paretoFrontier(c, {0, 1, 2, 3}, problems);
    ASSERT_EQ(frontier.size(), 2u);
    EXPECT_EQ(frontier[0].candidate, 0);
    EXPECT_EQ(frontier[0].wins, 1);
    EXPECT_EQ(frontier[1].candidate, 1);
    EXPECT_EQ(frontier[1].wins, 2);
    simulated::Rng rng(5);
    int ones = 0;
    for (int i = 0; i < 3000; ++i)
        ones += sampleParent(frontier, rng) == 1 ? 1 : 0;
    EXPECT_NEAR(ones / 3000.0, 2.0 / 3.0, 0.03);
    EXPECT_EQ(sampleParent({}, rng), -1);
}

TEST(TraitStrategy, ConvergesOnANoiselessBowlAndAdaptsItsStep)
{
    // Traits 0..100 with the optimum at 70 everywhere, starting at 10 with σ = 5: the path
    // lengthens, σ grows, then shrinks near the optimum.
    std::map<QString, int> start;
    for (const char *name : {"a", "b", "c", "d", "e", "f", "g"})
        start[QString::fromLatin1(name)] = 10;
    TraitStrategy s(start, 5.0, 6, 2);
    simulated::Rng rng(3);
    auto distance = [](const std::map<QString, int> &t) {
        double d = 0;
        for (const auto &[name, v] : t)
            d += (v - 70.0) * (v - 70.0);
        return std::sqrt(d);
    };
    double largest = s.step();
    for (int g = 0; g < 60; ++g) {
        std::vector<std::pair<double, std::vector<double>>> offspring;
        for (int i = 0; i < s.lambda(); ++i) {
            std::vector<double> z = s.sample(rng);
            const auto traits = s.traitsOf(z);
            for (const auto &[name, v] : traits) {
                EXPECT_GE(v, 0);
                EXPECT_LE(v, 100);
            }
            offspring.emplace_back(distance(traits), std::move(z));
        }
        std::sort(offspring.begin(), offspring.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        s.update({offspring[0].second, offspring[1].second});
        largest = std::max(largest, s.step());
    }
    EXPECT_GT(largest, 10.0);
    EXPECT_LT(distance(s.centre()), 8.0);
    EXPECT_LT(s.step(), largest / 2);
    EXPECT_EQ(s.generation(), 60);
    const TraitStrategy round = TraitStrategy::fromJson(s.toJson());
    EXPECT_EQ(round.toJson(), s.toJson());
}

TEST(ReflectiveOptimiser, NeverSpendsMoreThanItsBudgetAndChecksBeforeEachTask)
{
    LandscapeWorld world(12);
    OptimiserSettings settings;
    settings.maxCalls = 150;
    auto o = Optimiser::make(QStringLiteral("reflective"), seedAgent(),
                             DataSplit::make(world.ids, 1), settings);
    auto runner = world.runner(QStringLiteral("run_budget"));
    int tasks = 0;
    DriveOptions options;
    options.checkpoint = [&tasks](const Optimiser &opt) {
        ++tasks;
        EXPECT_LE(opt.budget().used, 150);
    };
    const DriveOutcome out = driveAll(*o, *runner, options);
    ASSERT_TRUE(out.ok) << out.error.toStdString();
    EXPECT_EQ(o->finishReason(), QStringLiteral("budget"));
    EXPECT_LE(o->budget().used, 150);
    EXPECT_GT(o->budget().used, 150 - 40); // a cycle's worst case is what may be left
    EXPECT_EQ(tasks, out.tasks);
    EXPECT_EQ(o->next().kind, EvolveTask::Kind::Finished);
    // Every accepted reflection beat its parent on its minibatch; every accepted candidate is
    // scored on validation.
    int reflections = 0;
    for (const Candidate &c : o->candidates()) {
        if (c.id == 0 || !c.accepted)
            continue;
        EXPECT_TRUE(c.scoredOn(o->split().validation));
        if (c.op != ReflectiveOptimiser::kOpReflect)
            continue;
        ++reflections;
        ASSERT_TRUE(c.minibatchChild && c.minibatchParent);
        EXPECT_GT(*c.minibatchChild, *c.minibatchParent);
    }
    EXPECT_GT(reflections, 0);
    // The optimiser never saw the test split.
    for (const Candidate &c : o->candidates()) {
        for (const QString &p : o->split().test) {
            EXPECT_FALSE(c.scores.count(p));
        }
    }
}

TEST(ReflectiveOptimiser, ResumesFromAnyCheckpointWithNothingLostOrCountedTwice)
{
    // One run straight through; one "killed" after every task, resumed from its last
    // checkpoint, with the in-flight task thrown away every other time.
    LandscapeWorld world(21);
    OptimiserSettings settings;
    settings.maxCalls = 200;
    const DataSplit split = DataSplit::make(world.ids, 2);
    auto straight = Optimiser::make(QStringLiteral("reflective"), seedAgent(), split, settings);
    auto runner = world.runner(QStringLiteral("run_resume"));
    ASSERT_TRUE(driveAll(*straight, *runner).ok);

    json checkpoint =
        Optimiser::make(QStringLiteral("reflective"), seedAgent(), split, settings)->toJson();
    for (int step = 0; step < 10'000; ++step) {
        auto resumed = Optimiser::fromJson(checkpoint);
        const EvolveTask task = resumed->next();
        if (task.kind == EvolveTask::Kind::Finished) {
            checkpoint = resumed->toJson();
            break;
        }
        if (step % 2 == 1) {
            // Killed while the task ran: its result is lost, the checkpoint is the last one
            // (with the task pending in it, as a checkpoint taken after next() would hold).
            checkpoint = resumed->toJson();
            continue;
        }
        const TaskResult r = QCoro::waitFor(runner->run(task, resumed->budget().remaining()));
        ASSERT_TRUE(r.ok) << r.error.toStdString();
        resumed->complete(task, r);
        checkpoint = resumed->toJson();
    }
    const json expected = straight->toJson();
    EXPECT_EQ(checkpoint["budget"], expected["budget"]);
    EXPECT_EQ(checkpoint["candidates"], expected["candidates"]);
    EXPECT_EQ(checkpoint["history"], expected["history"]);
    EXPECT_EQ(checkpoint["finish_reason"], expected["finish_reason"]);
}

TEST(ReflectiveOptimiser, LearnsOnTheLandscapeAndBeatsRandomSearch)
{
    int wins = 0;
    for (quint64 seed : {31, 32, 33}) {
        LandscapeWorld world(seed);
        OptimiserSettings settings;
        settings.maxCalls = 400;
        settings.seed = seed;
        const DataSplit split = DataSplit::make(world.ids, seed);
        auto reflective =
            Optimiser::make(QStringLiteral("reflective"), seedAgent(), split, settings);
        auto random = Optimiser::make(QStringLiteral("random"), seedAgent(), split, settings);
        auto runner = world.runner(QStringLiteral("run_%1").arg(seed));
        ASSERT_TRUE(driveAll(*reflective, *runner).ok);
        ASSERT_TRUE(driveAll(*random, *runner).ok);
        const double start = world.quality(*reflective, 0);
        const double learnt = world.quality(*reflective, reflective->best());
        const double baseline = world.quality(*random, random->best());
        EXPECT_GT(learnt, start + 0.2) << "seed " << seed;
        // Lessons were found by reading the judges' rationales.
        const auto q = world.landscape.quality(
            reflective->candidates()[static_cast<size_t>(reflective->best())].definition.traits,
            reflective->candidates()[static_cast<size_t>(reflective->best())]
                .definition.instructions);
        EXPECT_GE(q.useful, 6) << "seed " << seed;
        wins += learnt > baseline ? 1 : 0;
    }
    EXPECT_GE(wins, 2);
}

TEST(RandomSearch, SpendsTheSameBudgetOnUninformedCandidates)
{
    LandscapeWorld world(41);
    OptimiserSettings settings;
    settings.maxCalls = 120;
    auto o = Optimiser::make(QStringLiteral("random"), seedAgent(), DataSplit::make(world.ids, 1),
                             settings);
    auto runner = world.runner(QStringLiteral("run_random"));
    ASSERT_TRUE(driveAll(*o, *runner).ok);
    EXPECT_LE(o->budget().used, 120);
    const int perCandidate = 1 + 2 * static_cast<int>(o->split().validation.size());
    EXPECT_GT(o->budget().used, 120 - perCandidate);
    EXPECT_GE(o->candidates().size(), 3u);
    for (const Candidate &c : o->candidates()) {
        if (c.id > 0) {
            EXPECT_TRUE(c.scoredOn(o->split().validation));
        }
    }
    // Checkpoint round trip of a finished run.
    const auto again = Optimiser::fromJson(o->toJson());
    EXPECT_EQ(again->toJson(), o->toJson());
    EXPECT_EQ(again->kind(), QStringLiteral("random"));
}

TEST(PersonalityEvolution, MovesTheTraitsTowardItsTargetsAndOffersAParetoChoice)
{
    LandscapeWorld world(51);
    OptimiserSettings settings;
    settings.maxCalls = 300;
    settings.minibatch = 2;
    settings.targets = {{QStringLiteral("success"), 0.5}, {QStringLiteral("tokens"), 120.0}};
    EXPECT_THROW(Optimiser::make(QStringLiteral("personality"), seedAgent(),
                                 DataSplit::make(world.ids, 1), OptimiserSettings()),
                 std::invalid_argument);
    auto o = Optimiser::make(QStringLiteral("personality"), seedAgent(),
                             DataSplit::make(world.ids, 1), settings);
    auto runner = world.runner(QStringLiteral("run_personality"));
    ASSERT_TRUE(driveAll(*o, *runner).ok);
    EXPECT_LE(o->budget().used, 300);
    const auto *p = dynamic_cast<const PersonalityEvolution *>(o.get());
    ASSERT_TRUE(p);
    const QStringList &validation = o->split().validation;
    const double start = *p->distance(o->candidates().front(), validation);
    const int best = o->best();
    EXPECT_GT(best, 0);
    EXPECT_LT(*p->distance(o->candidates()[static_cast<size_t>(best)], validation), start);
    // The lessons stay the seed's; only traits moved.
    EXPECT_EQ(o->candidates()[static_cast<size_t>(best)].definition.instructions,
              seedAgent().instructions);
    const std::vector<int> pareto = p->paretoSet();
    ASSERT_FALSE(pareto.empty());
    EXPECT_NE(std::find(pareto.begin(), pareto.end(), best), pareto.end());
    const auto again = Optimiser::fromJson(o->toJson());
    EXPECT_EQ(again->toJson(), o->toJson());
}

TEST(ReflectiveOptimiser, ASecondStartIsValidatedFirstAndTheSearchGoesOnFromTheBetterStart)
{
    LandscapeWorld world(21);
    OptimiserSettings settings;
    settings.maxCalls = 80;
    settings.reflectShare = 0; // trait generations from the start
    auto o = Optimiser::make(QStringLiteral("reflective"), seedAgent(),
                             DataSplit::make(world.ids, 1), settings);
    // A start at the hidden trait optimum (a specialisation that happened to be right), far
    // from the template's traits.
    const std::map<QString, int> &optimum = world.landscape.optimum();
    const auto distance = [&optimum](const std::map<QString, int> &traits) {
        double d = 0;
        for (const auto &[name, value] : optimum)
            d += std::pow(traits.at(name) - value, 2);
        return std::sqrt(d);
    };
    ASSERT_GT(distance(seedAgent().traits), 35.0);
    Candidate start;
    start.definition = seedAgent();
    start.definition.traits = optimum;
    EXPECT_EQ(o->addStart(std::move(start)), 1);
    auto runner = world.runner(QStringLiteral("run_two_starts"));
    const DriveOutcome out = driveAll(*o, *runner);
    ASSERT_TRUE(out.ok) << out.error.toStdString();
    const Candidate &second = o->candidates()[1];
    EXPECT_EQ(second.op, QStringLiteral("specialize"));
    EXPECT_EQ(second.parent, 0);
    EXPECT_TRUE(second.scoredOn(o->split().validation));
    EXPECT_TRUE(o->candidates()[0].scoredOn(o->split().validation));
    EXPECT_EQ(o->best(), 1);
    // The first trait generation searched around the better start: its offspring are its
    // children, and their mean is nearer the optimum (σ 15 over 6 offspring: about 6 points a
    // trait) than the template.
    std::map<QString, double> sum;
    int offspring = 0;
    for (const Candidate &c : o->candidates()) {
        if (c.op != ReflectiveOptimiser::kOpTraits || offspring == settings.esLambda)
            continue;
        ++offspring;
        EXPECT_EQ(c.parent, 1);
        for (const auto &[name, value] : c.definition.traits)
            sum[name] += value;
    }
    ASSERT_EQ(offspring, settings.esLambda);
    std::map<QString, int> mean;
    for (const auto &[name, total] : sum)
        mean[name] = static_cast<int>(std::lround(total / offspring));
    double fromTemplate = 0;
    for (const auto &[name, value] : seedAgent().traits)
        fromTemplate += std::pow(mean.at(name) - value, 2);
    EXPECT_LT(distance(mean), std::sqrt(fromTemplate)) << "searched around the template";
    EXPECT_THROW(o->addStart(Candidate{}), std::logic_error);
}
