// `crucible-cli train`: a run on the Simulated provider's fitness landscape stores the split,
// the learnt versions with their learning records and the report with the hidden quality and
// the held-out improvement with its interval; bad options change nothing.

#include "core/evaluate/solveragent.h"
#include "core/evolve/lineage.h"
#include "core/feedback/judgecalibration.h"
#include "core/model/trainingrun.h"
#include "core/store/agentrepository.h"
#include "core/store/entityrepository.h"
#include "core/store/problemrepository.h"
#include "tests/app/clitestsupport.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/solvefixtures.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <thread>

using namespace crucible;
using namespace crucible::cli;
using nlohmann::json;

namespace {

class TrainCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("w.crucible"));
        ASSERT_EQ(runCli({QStringLiteral("init"), m_ws}).code, 0);
        auto ws = Workspace::open(m_ws);
        m_problems = test::insertProblems(*ws, 15);
    }

    QTemporaryDir m_dir;
    QString m_ws;
    QStringList m_problems;
};

} // namespace

TEST_F(TrainCliTest, TrainsOnTheLandscapeAndStoresVersionsWithLearningRecords)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("5"),
                QStringLiteral("--budget-calls"), QStringLiteral("160"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["optimizer"], "reflective");
    EXPECT_LE(report["calls_used"].get<int>(), 160);
    ASSERT_TRUE(report["landscape_quality"].is_number());
    EXPECT_GE(report["landscape_quality"].get<double>(),
              report["start"]["landscape_quality"].get<double>());
    const json &test = report["test"];
    EXPECT_EQ(test["problems"].get<int>(), report["split"]["test"].get<int>());
    ASSERT_EQ(test["ci95"].size(), 2u);
    EXPECT_LE(test["ci95"][0].get<double>(), test["improvement"].get<double>());
    EXPECT_GE(test["ci95"][1].get<double>(), test["improvement"].get<double>());
    auto ws = Workspace::open(m_ws);
    // The run, its split (disjoint) and its last checkpoint are stored.
    const auto run = EntityStore(*ws).get<TrainingRun>(
        QString::fromStdString(report["run_id"].get<std::string>()));
    ASSERT_TRUE(run);
    // Every 10 cycles, variations of the train problem the agent failed most joined the train
    // split (and only it), derived from that problem.
    const json &rounds = run->config["variation_rounds"];
    ASSERT_FALSE(rounds.empty());
    int added = 0;
    // One named vector: begin() and end() of two temporaries would span two allocations.
    const auto validationIds = run->config["split"]["validation"].get<std::vector<QString>>();
    const QStringList validation(validationIds.begin(), validationIds.end());
    for (size_t i = 0; i < rounds.size(); ++i) {
        const json &round = rounds[i];
        EXPECT_TRUE(round.contains("added"));
        // Reproducible: the round's generation job (whose id seeds its samples) is named by the
        // run and the round, not by chance.
        if (round.contains("job_id")) {
            EXPECT_EQ(round["job_id"].get<std::string>(),
                      jsonio::derivedId("job", run->id + QStringLiteral("/variations/") +
                                                   QString::number(i))
                          .toStdString());
        }
        for (const json &id : round.value("added", json::array())) {
            ++added;
            const auto p =
                ProblemRepository(*ws).get(QString::fromStdString(id.get<std::string>()));
            ASSERT_TRUE(p);
            EXPECT_EQ(p->baseProblemId.toStdString(), round["source"].get<std::string>());
            EXPECT_FALSE(validation.contains(p->id));
        }
    }
    EXPECT_GT(added, 0);
    EXPECT_EQ(report["split"]["train"].get<int>() + report["split"]["validation"].get<int>() +
                  report["split"]["test"].get<int>(),
              15 + added);
    EXPECT_EQ(run->state, TrainingRun::State::Finished);
    std::set<std::string> seen;
    for (const char *part : {"train", "validation", "test"})
        for (const json &id : run->config["split"][part])
            EXPECT_TRUE(seen.insert(id.get<std::string>()).second);
    EXPECT_EQ(run->config["checkpoint"]["budget"]["used"], report["calls_used"]);
    // Every cycle that tried something records how it did: the mean score, the success rate
    // and the novelty (a rubric aspect). (A reflection that proposed nothing new tried nothing.)
    int withNovelty = 0, tried = 0;
    for (const json &m : run->metrics) {
        if (!m.contains("child_score"))
            continue;
        ++tried;
        EXPECT_TRUE(m.contains("child_success")) << m.dump();
        EXPECT_GE(m["child_score"].get<double>(), 0.0);
        EXPECT_LE(m["child_score"].get<double>(), 1.0);
        withNovelty += m.contains("child_novelty") ? 1 : 0;
    }
    EXPECT_GT(tried, static_cast<int>(run->metrics.size()) / 2);
    EXPECT_GT(withNovelty, 0);
    EXPECT_EQ(run->config["cycle_wall_ms"].size(), run->metrics.size()) << "one end time a cycle";
    // Accepted candidates became versions of the trained clone, each with its learning record.
    const AgentRepository agents(*ws);
    const auto versions =
        agents.versions(QString::fromStdString(report["agent_id"].get<std::string>()));
    // The clone, its specialisation for the domain (before the first cycle), then one version
    // per accepted candidate, except that a candidate identical to the agent's current version
    // (a trait centre that rounds to the best's traits) is that version, not a new one.
    std::set<std::string> learnt;
    for (const json &c : run->config["checkpoint"]["candidates"])
        if (c.value("accepted", false) && c.value("parent", -1) >= 0 &&
            c.value("op", std::string()) != "specialize" &&
            !c.value("version_id", std::string()).empty())
            learnt.insert(c["version_id"].get<std::string>());
    EXPECT_LE(static_cast<int>(learnt.size()), report["accepted"].get<int>());
    ASSERT_EQ(versions.size(), 2 + learnt.size());
    EXPECT_TRUE(versions.front().learning.is_null());
    EXPECT_EQ(versions[1].learning["op"], "specialize");
    EXPECT_EQ(versions[1].definition.identity.specialization, QStringLiteral("testing"));
    EXPECT_EQ(report["specialization"]["version"].get<std::string>(), versions[1].id.toStdString());
    // The specialisation is a second starting point beside the clone, scored on validation
    // like it; the start the held-out improvement is measured from is the clone.
    EXPECT_EQ(report["start"]["version_id"].get<std::string>(), versions.front().id.toStdString());
    const int specialised = report["specialization"]["candidate"].get<int>();
    EXPECT_EQ(specialised, 1);
    const json &candidates = run->config["checkpoint"]["candidates"];
    EXPECT_EQ(candidates[1]["op"], "specialize");
    EXPECT_EQ(candidates[1]["parent"], 0);
    EXPECT_EQ(candidates[1]["version_id"], report["specialization"]["version"]);
    for (const json &problem : run->config["split"]["validation"])
        EXPECT_TRUE(candidates[1]["scores"].contains(problem.get<std::string>()))
            << "the specialisation is scored on validation";
    // The report says how the two starts compared on validation.
    const json &sp = report["specialization"];
    ASSERT_TRUE(sp["validation_mean"].is_number()) << sp.dump();
    EXPECT_EQ(sp["better_than_clone"].get<bool>(),
              sp["validation_mean"].get<double>() >
                  report["start"]["validation_mean"].get<double>());
    EXPECT_EQ(run->config["specialization"]["calls"], 1);
    for (size_t i = 2; i < versions.size(); ++i) {
        const json &l = versions[i].learning;
        ASSERT_TRUE(l.is_object()) << versions[i].id.toStdString();
        EXPECT_TRUE(l.contains("changed"));
        EXPECT_TRUE(l.contains("why"));
        EXPECT_TRUE(l["evidence"].contains("validation_mean"));
        EXPECT_EQ(l["run"], report["run_id"]);
        // The system prompt was rendered again with the learnt lessons.
        for (const QString &lesson : versions[i].definition.instructions)
            EXPECT_TRUE(versions[i].systemPrompt.contains(lesson));
    }
    // The clone's history names the versions; the template is untouched.
    EXPECT_EQ(agents.head(QStringLiteral("agt_tpl_generator"))->version, 1);
}

TEST_F(TrainCliTest, RandomSearchRunsAtTheSameBudget)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("5"),
                QStringLiteral("--optimizer"), QStringLiteral("random"),
                QStringLiteral("--budget-calls"), QStringLiteral("80"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["optimizer"], "random");
    EXPECT_LE(report["calls_used"].get<int>(), 80);
    EXPECT_TRUE(report["landscape_quality"].is_number());
}

TEST_F(TrainCliTest, BadOptionsStartNothing)
{
    const CliResult few = runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                                  QStringLiteral("nothing-here"), QStringLiteral("--landscape"),
                                  QStringLiteral("1")});
    EXPECT_EQ(few.code, 2);
    EXPECT_TRUE(few.err.contains(QStringLiteral("at least 6"))) << few.err.toStdString();
    const CliResult wrong = runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                                    QStringLiteral("testing"), QStringLiteral("--optimizer"),
                                    QStringLiteral("annealing")});
    EXPECT_NE(wrong.code, 0);
    auto ws = Workspace::open(m_ws);
    EXPECT_EQ(EntityStore(*ws).count<TrainingRun>(), 0);
}

TEST_F(TrainCliTest, PersonalityEvolutionReportsTheParetoChoiceOverItsTargets)
{
    const QStringList base = {QStringLiteral("train"),       m_ws,
                              QStringLiteral("--domain"),    QStringLiteral("testing"),
                              QStringLiteral("--landscape"), QStringLiteral("4"),
                              QStringLiteral("--optimizer"), QStringLiteral("personality")};
    const CliResult missing = runCli(base);
    EXPECT_EQ(missing.code, 2);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("--target"))) << missing.err.toStdString();

    const CliResult r =
        runCli(base + QStringList{QStringLiteral("--target"), QStringLiteral("success=0.6"),
                                  QStringLiteral("--target"), QStringLiteral("tokens=150"),
                                  QStringLiteral("--budget-calls"), QStringLiteral("150"),
                                  QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["optimizer"], "personality");
    EXPECT_EQ(report["targets"], json({{"success", 0.6}, {"tokens", 150.0}}));
    ASSERT_FALSE(report["pareto"].empty());
    for (const json &choice : report["pareto"]) {
        EXPECT_TRUE(choice["metrics"].contains("success"));
        EXPECT_TRUE(choice["metrics"].contains("tokens"));
    }
    EXPECT_LE(report["calls_used"].get<int>(), 150);
}

TEST_F(TrainCliTest, ATokenBudgetEndsTheRunNormallyBeforeTheCallThatWouldExceedIt)
{
    const CliResult r = runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                                QStringLiteral("testing"), QStringLiteral("--landscape"),
                                QStringLiteral("2"), QStringLiteral("--budget-tokens"),
                                QStringLiteral("20000"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    const json report = r.outJson();
    EXPECT_TRUE(report["ok"].get<bool>());
    EXPECT_TRUE(QString::fromStdString(report["finish_reason"].get<std::string>())
                    .startsWith(QStringLiteral("budget (tokens or USD)")))
        << report["finish_reason"];
    EXPECT_LT(report["calls_used"].get<int>(), 600);
    // The held-out measurement still ran (the budgets bound the optimiser only).
    EXPECT_EQ(report["test"]["problems"], report["split"]["test"]);
    EXPECT_FALSE(report["test"].contains("error"));
}

// Ctrl+C (SIGINT) stops a run gracefully: the calls in flight finish, the run is checkpointed as
// cancelled, and the report still scores the best version on the held-out split.
TEST_F(TrainCliTest, CtrlCStopsTheRunAndStillWritesTheReport)
{
    // Ctrl+C once the run has checkpointed its first cycle (its handler is installed by then;
    // before it, SIGINT would end the test program). Waiting for the first cycle rather than a
    // fixed delay keeps the test independent of the machine's speed (sanitizer builds are slow).
    const QString path = m_ws;
    std::thread interrupter([path] {
        for (int i = 0; i < 3000; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            try {
                auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
                const auto runs = EntityStore(*ws).list<TrainingRun>();
                if (!runs.empty() && !runs.front().metrics.empty())
                    break;
            } catch (const std::exception &) {
                // the file is being written: look again
            }
        }
        std::raise(SIGINT);
    });
    const CliResult r = runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                                QStringLiteral("testing"), QStringLiteral("--landscape"),
                                QStringLiteral("5"), QStringLiteral("--budget-calls"),
                                QStringLiteral("1000000"), QStringLiteral("--json")});
    interrupter.join();
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("stopping"))) << r.err.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["finish_reason"], "stopped");
    EXPECT_LT(report["calls_used"].get<int>(), 1000000);
    EXPECT_EQ(report["test"]["ci95"].size(), 2u);
    auto ws = Workspace::open(m_ws);
    const auto run = EntityStore(*ws).get<TrainingRun>(
        QString::fromStdString(report["run_id"].get<std::string>()));
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->state, TrainingRun::State::Cancelled);
    EXPECT_FALSE(run->metrics.empty());
}

TEST_F(TrainCliTest, EstimatePrintsTheCostAndStartsNothing)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--budget-calls"), QStringLiteral("200"),
                QStringLiteral("--estimate"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json e = r.outJson();
    // 200 optimiser calls plus the held-out measurement (4 calls per test problem).
    EXPECT_GT(e["calls"].get<int>(), 200);
    EXPECT_LT(e["calls"].get<int>(), 240);
    EXPECT_GT(e["tokens_in"].get<qint64>(), e["tokens_out"].get<qint64>());
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    EXPECT_EQ(EntityStore(*ws).count<TrainingRun>(), 0);
}

TEST_F(TrainCliTest, AWallTimeBudgetEndsTheRunWithItsReport)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("3"),
                QStringLiteral("--budget-calls"), QStringLiteral("0"), QStringLiteral("--hours"),
                QStringLiteral("0.0000001"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json report = r.outJson();
    EXPECT_EQ(report["finish_reason"], "time");
    EXPECT_LE(report["calls_used"].get<int>(), 2); // the first unit, then the clock says stop
    EXPECT_EQ(report["test"]["ci95"].size(), 2u);
}

// The lineage the dashboard draws, read back from a real run's checkpoint: one node per
// candidate, the best one flagged with the report's validation mean inside its interval, ratings
// from the parent-vs-child matches, and the latest minibatch match.
TEST_F(TrainCliTest, TheLineageOfARunMatchesItsReport)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("4"),
                QStringLiteral("--budget-calls"), QStringLiteral("150"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json report = r.outJson();
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto run = EntityStore(*ws).get<TrainingRun>(
        QString::fromStdString(report["run_id"].get<std::string>()));
    ASSERT_TRUE(run);
    const evolve::Lineage lineage = evolve::lineageOf(*run, 200);
    EXPECT_TRUE(lineage.error.isEmpty()) << lineage.error.toStdString();
    ASSERT_EQ(lineage.nodes.size(), report["candidates"].get<size_t>());
    const int best = report["best"]["candidate"].get<int>();
    int flagged = 0;
    int rated = 0;
    for (const evolve::LineageNode &n : lineage.nodes) {
        flagged += n.best ? 1 : 0;
        if (n.rating) {
            ++rated;
            EXPECT_LE(n.ratingLow, *n.rating);
            EXPECT_GE(n.ratingHigh, *n.rating);
            EXPECT_EQ(n.matches, static_cast<int>(n.wins + n.losses + n.ties));
        }
        if (n.id > 0) {
            EXPECT_GE(n.parent, 0);
        }
    }
    EXPECT_EQ(flagged, 1);
    EXPECT_GT(rated, 1);
    const evolve::LineageNode &b = lineage.nodes[static_cast<size_t>(best)];
    EXPECT_TRUE(b.best);
    ASSERT_TRUE(b.validationMean);
    EXPECT_NEAR(*b.validationMean, report["best"]["validation_mean"].get<double>(), 1e-9);
    EXPECT_LE(b.validationLow, *b.validationMean);
    EXPECT_GE(b.validationHigh, *b.validationMean);
    EXPECT_GE(lineage.matchChild, 1);
    EXPECT_FALSE(lineage.match.empty());
    EXPECT_TRUE(evolve::describeNode(b).contains(QStringLiteral("Lessons")));
}

TEST_F(TrainCliTest, ReportSummarizeStoresAnLlmSummaryThatLaterReportsInclude)
{
    const CliResult train =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("2"),
                QStringLiteral("--budget-calls"), QStringLiteral("60"), QStringLiteral("--json")});
    ASSERT_EQ(train.code, 0) << train.err.toStdString();
    const QString runId = QString::fromStdString(train.outJson()["run_id"].get<std::string>());
    const CliResult plain = runCli({QStringLiteral("report"), m_ws, runId});
    ASSERT_EQ(plain.code, 0) << plain.err.toStdString();
    EXPECT_FALSE(plain.out.contains(QStringLiteral("## Summary")));

    const CliResult summarized =
        runCli({QStringLiteral("report"), m_ws, runId, QStringLiteral("--summarize"),
                QStringLiteral("--type"), QStringLiteral("simulated"), QStringLiteral("--format"),
                QStringLiteral("json")});
    ASSERT_EQ(summarized.code, 0) << summarized.err.toStdString();
    const json report = summarized.outJson();
    EXPECT_GE(report["summary"]["summary"].get<std::string>().size(), 40u);
    EXPECT_EQ(report["summary"]["cycles"], report["cycles"]);
    // Stored in the run: a later report without --summarize has it, labelled as the model's.
    const CliResult later = runCli({QStringLiteral("report"), m_ws, runId});
    EXPECT_TRUE(later.out.contains(QStringLiteral("## Summary"))) << later.out.toStdString();
    EXPECT_TRUE(later.out.contains(QStringLiteral("Written by the model")));

    const CliResult unknown = runCli({QStringLiteral("report"), m_ws, QStringLiteral("trn_nope"),
                                      QStringLiteral("--summarize"), QStringLiteral("--type"),
                                      QStringLiteral("simulated")});
    EXPECT_NE(unknown.code, 0);
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("no training run")))
        << unknown.err.toStdString();
}

TEST_F(TrainCliTest, SeveralAgentsTrainSideBySideOnTheSameSplitAndAreCompared)
{
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("2"),
                QStringLiteral("--agents"), QStringLiteral("2"), QStringLiteral("--budget-calls"),
                QStringLiteral("120"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const json group = r.outJson();
    ASSERT_EQ(group["agents"].size(), 2u);
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    std::vector<TrainingRun> runs;
    std::set<std::string> agents;
    for (const json &a : group["agents"]) {
        const auto run = EntityStore(*ws).get<TrainingRun>(
            QString::fromStdString(a["run_id"].get<std::string>()));
        ASSERT_TRUE(run);
        runs.push_back(*run);
        // Each agent got its share of the budget and is its own clone.
        EXPECT_LE(a["report"]["calls_used"].get<int>(), 60);
        agents.insert(a["report"]["agent_id"].get<std::string>());
        EXPECT_EQ(run->config["group"]["id"], group["group"]);
        EXPECT_EQ(run->config["group"]["size"], 2);
    }
    EXPECT_EQ(agents.size(), 2u);
    EXPECT_EQ(runs[0].config["group"]["index"], 0);
    EXPECT_EQ(runs[1].config["group"]["index"], 1);
    // Compared on the same held-out problems; their own optimiser seeds.
    EXPECT_EQ(runs[0].config["split"]["test"], runs[1].config["split"]["test"]);
    EXPECT_NE(runs[0].config["settings"]["seed"], runs[1].config["settings"]["seed"]);
    // The best is the one with the higher held-out mean.
    const json &a = group["agents"][0];
    const json &b = group["agents"][1];
    EXPECT_EQ(group["best_run"], a["best_mean"].get<double>() >= b["best_mean"].get<double>()
                                     ? a["run_id"]
                                     : b["run_id"]);

    const CliResult estimate = runCli(
        {QStringLiteral("train"), m_ws, QStringLiteral("--domain"), QStringLiteral("testing"),
         QStringLiteral("--agents"), QStringLiteral("3"), QStringLiteral("--budget-calls"),
         QStringLiteral("300"), QStringLiteral("--estimate"), QStringLiteral("--json")});
    ASSERT_EQ(estimate.code, 0) << estimate.err.toStdString();
    // 300 optimiser calls in all plus three held-out measurements.
    EXPECT_GT(estimate.outJson()["calls"].get<int>(), 300);
}

TEST_F(TrainCliTest, ThePersonsRatingsReachTheTrainingJudgeAsCalibrationExamples)
{
    // The person rated some of the judge's earlier verdicts in the inbox.
    QStringList usable;
    {
        auto ws = Workspace::open(m_ws);
        AgentRepository(*ws).ensureTemplates();
        const auto judge = newestAgentWithRole(*ws, QStringLiteral("evaluator"));
        ASSERT_TRUE(judge);
        test::EvaluationFixture fx(*ws);
        const QString gen =
            fx.version(fx.agent(QStringLiteral("generator"), QStringLiteral("Earlier")));
        const QString problem = fx.problem(90);
        for (int i = 0; i < 12; ++i) {
            const QString s =
                fx.solution(problem, gen, test::EvaluationFixture::solutionDoc(QString::number(i)));
            test::EvaluationFixture::Scored v;
            v.scores = {{QStringLiteral("correctness"), 0.9}};
            fx.scoredVerdict(s, judge->versionId, v);
            fx.judgment(s, QStringLiteral("correctness"), 2);
            if (JudgeCalibration::isPromptExample(s))
                usable << s;
        }
    }
    ASSERT_FALSE(usable.isEmpty());
    const CliResult r =
        runCli({QStringLiteral("train"), m_ws, QStringLiteral("--domain"),
                QStringLiteral("testing"), QStringLiteral("--landscape"), QStringLiteral("2"),
                QStringLiteral("--budget-calls"), QStringLiteral("40"), QStringLiteral("--json")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    auto ws = Workspace::open(m_ws, Workspace::Mode::ReadOnly);
    const auto run = EntityStore(*ws).get<TrainingRun>(
        QString::fromStdString(r.outJson()["run_id"].get<std::string>()));
    ASSERT_TRUE(run);
    // The judge was shown up to 3 of the ratings (prompt side of the split only) from the start.
    const json &used = run->config["calibration_used"];
    ASSERT_EQ(used.size(), 1u) << used.dump();
    EXPECT_EQ(used[0]["cycle"], 0);
    ASSERT_FALSE(used[0]["solutions"].empty());
    EXPECT_LE(used[0]["solutions"].size(), 3u);
    for (const json &id : used[0]["solutions"])
        EXPECT_TRUE(usable.contains(QString::fromStdString(id.get<std::string>())));
}
