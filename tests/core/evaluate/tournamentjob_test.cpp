// TournamentJob: solutions reused or made, round-robin and Swiss rounds, both-order judging,
// ratings per round with history and pooled, preference pairs, invalid judge answers recorded
// as failed comparisons, an unreachable judge failing fast, and a cancelled (killed) tournament
// resuming with no comparison lost or counted twice.

#include "core/evaluate/tournamentjob.h"

#include "core/model/validationerror.h"
#include "core/store/problemrepository.h"
#include "core/store/tournamentrepository.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <QRegularExpression>
#include <QSqlQuery>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

// A judge that prefers the solution with more stars; Invalid answers prose; Down fails to connect.
class StarJudge final : public LlmProvider
{
public:
    enum class Mode { Stars, Invalid, Down };

    explicit StarJudge(ProviderConfig config)
        : m_config(std::move(config))
    {
    }
    Mode mode = Mode::Stars;
    int delayMs = 2;
    int calls = 0;

    const ProviderConfig &config() const override { return m_config; }

    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override
    {
        ++calls;
        const bool finished = co_await sleepUnlessCancelled(delayMs, options.cancel);
        ChatResult result;
        if (!finished) {
            result.error = LlmError::cancelled(m_config.id);
            co_return result;
        }
        if (mode == Mode::Down) {
            result.error.kind = LlmError::Kind::Connection;
            result.error.provider = m_config.id;
            result.error.message = QStringLiteral("connection refused by the test judge");
            co_return result;
        }
        const QString prompt = request.messages.front().content;
        const auto stars = [&](const char *which) {
            const QRegularExpression re(
                QStringLiteral("=== %1 solution ===\\n(.*?)\\n=== End").arg(QLatin1String(which)),
                QRegularExpression::DotMatchesEverythingOption);
            return static_cast<int>(re.match(prompt).captured(1).count(u'*'));
        };
        const int first = stars("First");
        const int second = stars("Second");
        const char *winner = first > second ? "first" : (second > first ? "second" : "tie");
        const nlohmann::json answer = {
            {"first",
             {{"assessment", "has " + std::to_string(first) + " stars"}, {"score", first}}},
            {"second",
             {{"assessment", "has " + std::to_string(second) + " stars"}, {"score", second}}},
            {"rationale", "more stars win"},
            {"winner", winner}};
        ChatResponse r;
        r.text = mode == Mode::Invalid ? QStringLiteral("no JSON today")
                                       : QString::fromStdString(answer.dump());
        r.usage.inputTokens = 400;
        r.usage.outputTokens = 60;
        r.usage.reported = true;
        r.httpStatus = 200;
        result.response = r;
        co_return result;
    }
    QCoro::Task<ModelsResult> listModels(CancelToken) override { co_return ModelsResult{}; }

private:
    ProviderConfig m_config;
};

// Stores a solution with as many stars as the entrant's number (agv_e1 → 1 star, ...).
class StarSolver final : public TournamentSolver
{
public:
    explicit StarSolver(Workspace &ws)
        : m_ws(ws)
    {
    }
    int solves = 0;

    QCoro::Task<TournamentSolveOutcome> solve(TournamentEntrant entrant, QString problemId,
                                              QString jobId) override
    {
        ++solves;
        TournamentSolveOutcome out;
        out.solutionId = insertSolution(m_ws, entrant.generator, problemId, jobId);
        out.costUsd = 0;
        out.calls = 1;
        co_return out;
    }
    void cancel() override {}

    static QString insertSolution(Workspace &ws, const QString &version, const QString &problem,
                                  const QString &jobId = {})
    {
        static int n = 0;
        const QString id = QStringLiteral("sol_%1").arg(++n);
        const int stars = version.mid(5).toInt();
        const nlohmann::json doc = {{"approach", "Approach of " + version.toStdString()},
                                    {"steps", {"step one", "step two"}},
                                    {"final_answer", std::string(static_cast<size_t>(stars), '*')},
                                    {"assumptions", nlohmann::json::array()}};
        QSqlQuery q = ws.prepare(QStringLiteral(
            "INSERT INTO solutions (id, problem_id, agent_version_id, stage, job_id, doc, "
            "text_length, created_at) VALUES (?, ?, ?, 'solve', ?, ?, ?, '2026-01-01')"));
        q.addBindValue(id);
        q.addBindValue(problem);
        q.addBindValue(version);
        q.addBindValue(jobId.isNull() ? QStringLiteral("") : jobId);
        q.addBindValue(QString::fromStdString(doc.dump()));
        q.addBindValue(100 + stars);
        Workspace::execPrepared(q, QStringLiteral("test solution"));
        return id;
    }

private:
    Workspace &m_ws;
};

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("t.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};
    std::shared_ptr<StarJudge> judge;
    std::shared_ptr<StarSolver> solver = std::make_shared<StarSolver>(*ws);

    explicit Fixture(int entrants, int problems = 3)
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("j"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("judge-model");
        c.maxRetries = 0;
        judge = std::make_shared<StarJudge>(c);
        client.addProvider(judge);
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 2);
        ws->exec(QStringLiteral("INSERT INTO agents (id, role, name, created_at, updated_at) "
                                "VALUES ('agt_1', 'generator', 'Solver', 'x', 'x'), "
                                "('agt_2', 'evaluator', 'Judge', 'x', 'x')"));
        for (int i = 1; i <= entrants; ++i)
            addVersion(QStringLiteral("agv_e%1").arg(i), QStringLiteral("agt_1"), i);
        addVersion(QStringLiteral("agv_judge"), QStringLiteral("agt_2"), 1);
        ProblemRepository repo(*ws);
        for (int p = 0; p < problems; ++p) {
            Problem problem = test::makeProblem(p);
            problem.id = QStringLiteral("prb_%1").arg(p);
            repo.insert(problem);
        }
    }

    void addVersion(const QString &id, const QString &agent, int version)
    {
        ws->exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                                "system_prompt, created_at) VALUES ('%1', '%2', %3, '{}', "
                                "'You judge fairly.', 'x')")
                     .arg(id, agent)
                     .arg(version));
    }

    TournamentSpec spec(int entrants, const QString &format = QStringLiteral("round-robin"))
    {
        TournamentSpec s;
        s.format = format;
        for (int i = 1; i <= entrants; ++i) {
            TournamentEntrant e;
            e.generator = QStringLiteral("agv_e%1").arg(i);
            s.entrants.push_back(e);
        }
        QSqlQuery q = ws->exec(QStringLiteral("SELECT id FROM problems ORDER BY id"));
        while (q.next())
            s.problems << q.value(0).toString();
        s.judges = {QStringLiteral("agv_judge")};
        s.providerId = QStringLiteral("j");
        s.concurrency = 3;
        s.bootstrapRounds = 100;
        return s;
    }

    EngineJobResult run(const QString &jobId, std::function<void(TournamentJob &)> setup = {})
    {
        TournamentJob job(*ws, client, templates, solver);
        if (setup)
            setup(job);
        return QCoro::waitFor(job.run(jobId));
    }
};

} // namespace

TEST(TournamentJob, RoundRobinJudgesEveryPairOnEveryProblemInBothOrdersAndRates)
{
    Fixture f(4);
    // Entrant 1 already solved problem 0: that solution is reused.
    const QString reused =
        StarSolver::insertSolution(*f.ws, QStringLiteral("agv_e1"), QStringLiteral("prb_0"));
    QString tournamentId;
    const QString jobId = TournamentJob::create(*f.ws, f.spec(4), &tournamentId);
    const EngineJobResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    EXPECT_EQ(f.solver->solves, 11);
    EXPECT_EQ(f.judge->calls, 36); // 6 pairs × 3 problems × 2 orders

    TournamentRepository repo(*f.ws);
    const auto comparisons = repo.comparisons(tournamentId);
    ASSERT_EQ(comparisons.size(), 18u);
    bool usedReused = false;
    for (const ComparisonRecord &c : comparisons) {
        EXPECT_NE(c.winner, QStringLiteral("tie")); // stars always differ
        EXPECT_EQ(c.verdictAb, c.verdictBa);
        EXPECT_EQ(c.callIds.size(), 2);
        EXPECT_TRUE(c.doc["ab"].contains("rationale"));
        usedReused = usedReused || c.solutionA == reused || c.solutionB == reused;
    }
    EXPECT_TRUE(usedReused);
    EXPECT_EQ(repo.preferencePairCount(), 18);
    const auto pairs = repo.preferencePairs(tournamentId);
    EXPECT_TRUE(QString::fromStdString(pairs[0].doc["prompt"].get<std::string>())
                    .contains(u"Constraints:"));
    EXPECT_EQ(pairs[0].doc["judges"][0], "agv_judge");
    EXPECT_TRUE(pairs[0].chosenScore.has_value());

    // Ratings in star order, each with one history point per round (3 rounds for 4 entrants).
    const auto ratings = repo.ratings(tournamentId);
    ASSERT_EQ(ratings.size(), 4u);
    EXPECT_EQ(ratings[0].entrant, QStringLiteral("agv_e4"));
    EXPECT_EQ(ratings[3].entrant, QStringLiteral("agv_e1"));
    EXPECT_EQ(ratings[0].wins, 9);
    EXPECT_EQ(ratings[0].doc["name"], "Solver v4");
    EXPECT_EQ(ratings[0].doc["history"].size(), 3u);
    EXPECT_EQ(ratings[0].doc["history"][2]["label"], "round 3");
    EXPECT_EQ(repo.ratings(QString()).size(), 4u); // pooled
    EXPECT_EQ(r.summary["comparisons"], 18);
    EXPECT_EQ(r.summary["ratings"].size(), 4u);
    const auto job = JobRepository(*f.ws).get(jobId);
    EXPECT_EQ(job->status, JobStatus::Completed);
    EXPECT_EQ(job->done, job->total);
}

TEST(TournamentJob, SwissPlaysItsRoundsWithoutRematchesAndAByeForAnOddField)
{
    Fixture f(5, 2);
    QString tournamentId;
    const QString jobId =
        TournamentJob::create(*f.ws, f.spec(5, QStringLiteral("swiss")), &tournamentId);
    const EngineJobResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    TournamentRepository repo(*f.ws);
    const auto comparisons = repo.comparisons(tournamentId);
    // ceil(log2 5) = 3 rounds × 2 pairings × 2 problems.
    ASSERT_EQ(comparisons.size(), 12u);
    std::set<std::pair<QString, QString>> pairings;
    for (const ComparisonRecord &c : comparisons)
        pairings.insert({std::min(c.entrantA, c.entrantB), std::max(c.entrantA, c.entrantB)});
    EXPECT_EQ(pairings.size(), 6u); // 6 distinct pairings: no rematch
    const auto ratings = repo.ratings(tournamentId);
    ASSERT_EQ(ratings.size(), 5u);
    EXPECT_EQ(ratings[0].entrant, QStringLiteral("agv_e5"));
    EXPECT_EQ(ratings[0].doc["history"].size(), 3u);
}

TEST(TournamentJob, ACancelledTournamentResumesWithNoComparisonLostOrCountedTwice)
{
    Fixture f(4);
    f.judge->delayMs = 20;
    QString tournamentId;
    const QString jobId = TournamentJob::create(*f.ws, f.spec(4), &tournamentId);
    int storedInFirstRun = 0;
    const EngineJobResult first = f.run(jobId, [&](TournamentJob &job) {
        QObject::connect(&job, &EngineJob::entitiesAdded, &job,
                         [&](const QString &kind, const QStringList &ids) {
                             if (kind != u"comparison")
                                 return;
                             storedInFirstRun += static_cast<int>(ids.size());
                             if (storedInFirstRun == 5)
                                 job.cancel(); // mid-round: two more are in flight
                         });
    });
    ASSERT_EQ(first.status, JobStatus::Cancelled) << first.error.toStdString();
    TournamentRepository repo(*f.ws);
    ASSERT_EQ(static_cast<int>(repo.comparisons(tournamentId).size()), storedInFirstRun);
    EXPECT_EQ(JobRepository(*f.ws).get(jobId)->status, JobStatus::Cancelled);

    const int callsBefore = f.judge->calls;
    const int solvesBefore = f.solver->solves;
    int storedInSecondRun = 0;
    const EngineJobResult second = f.run(jobId, [&](TournamentJob &job) {
        QObject::connect(&job, &EngineJob::entitiesAdded, &job,
                         [&](const QString &kind, const QStringList &ids) {
                             if (kind == u"comparison")
                                 storedInSecondRun += static_cast<int>(ids.size());
                         });
    });
    ASSERT_EQ(second.status, JobStatus::Completed) << second.error.toStdString();
    EXPECT_EQ(storedInFirstRun + storedInSecondRun, 18);
    EXPECT_EQ(repo.comparisons(tournamentId).size(), 18u);
    EXPECT_EQ(repo.preferencePairCount(), 18);
    EXPECT_EQ(f.solver->solves, solvesBefore); // every solution was made in the first run
    EXPECT_LE(f.judge->calls - callsBefore, 2 * storedInSecondRun);
    // Each round rated once: no duplicate history points from the resumed round.
    const auto ratings = repo.ratings(tournamentId);
    ASSERT_EQ(ratings.size(), 4u);
    EXPECT_EQ(ratings[0].doc["history"].size(), 3u);
    EXPECT_EQ(ratings[0].wins + ratings[0].losses + ratings[0].ties, 9);

    // Running the finished job again changes nothing.
    const EngineJobResult third = f.run(jobId);
    EXPECT_EQ(third.status, JobStatus::Completed);
    EXPECT_EQ(repo.comparisons(tournamentId).size(), 18u);
}

TEST(TournamentJob, InvalidJudgeAnswersAreFailedComparisonsNeverVerdicts)
{
    Fixture f(2, 2);
    f.judge->mode = StarJudge::Mode::Invalid;
    QString tournamentId;
    const QString jobId = TournamentJob::create(*f.ws, f.spec(2), &tournamentId);
    const EngineJobResult r = f.run(jobId);
    ASSERT_EQ(r.status, JobStatus::Completed) << r.error.toStdString();
    TournamentRepository repo(*f.ws);
    const auto comparisons = repo.comparisons(tournamentId);
    ASSERT_EQ(comparisons.size(), 2u);
    for (const ComparisonRecord &c : comparisons) {
        EXPECT_EQ(c.winner, QStringLiteral("failed"));
        EXPECT_TRUE(c.doc.contains("error"));
    }
    EXPECT_EQ(repo.preferencePairCount(), 0);
    EXPECT_EQ(r.summary["failed_comparisons"], 2);
    for (const RatingRecord &rating : repo.ratings(tournamentId)) {
        EXPECT_EQ(rating.wins + rating.losses + rating.ties, 0);
        EXPECT_DOUBLE_EQ(rating.rating, 1000);
    }
    // A later run with a working judge (a corrected prompt: a new request, not the cached
    // invalid answer) replaces the failed comparisons instead of adding any.
    f.judge->mode = StarJudge::Mode::Stars;
    f.ws->exec(QStringLiteral("UPDATE agent_versions SET system_prompt = 'Judge. Answer in JSON.' "
                              "WHERE id = 'agv_judge'"));
    JobRepository(*f.ws).setStatus(jobId, JobStatus::Failed);
    f.ws->exec(QStringLiteral("UPDATE job_units SET status = 'started' WHERE job_id = '%1' AND "
                              "grp IN ('compare', 'pairing')")
                   .arg(jobId));
    const EngineJobResult again = f.run(jobId);
    ASSERT_EQ(again.status, JobStatus::Completed);
    EXPECT_EQ(repo.comparisons(tournamentId).size(), 2u);
    EXPECT_EQ(repo.preferencePairCount(), 2);
}

TEST(TournamentJob, AnUnreachableJudgeStopsTheJobFastAndStoresNothing)
{
    Fixture f(3, 4);
    f.judge->mode = StarJudge::Mode::Down;
    QString tournamentId;
    const QString jobId = TournamentJob::create(*f.ws, f.spec(3), &tournamentId);
    const EngineJobResult r = f.run(jobId);
    EXPECT_EQ(r.status, JobStatus::Failed);
    EXPECT_TRUE(r.error.contains(u"could not be reached")) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(u"resume")) << r.error.toStdString();
    EXPECT_EQ(TournamentRepository(*f.ws).comparisons(tournamentId).size(), 0u);
    EXPECT_LE(f.judge->calls, 2 * (TournamentJob::kFailFastComparisons + 3));
}

TEST(TournamentJob, CreateRejectsBadSpecsAndChangesNothing)
{
    Fixture f(2);
    TournamentSpec one = f.spec(1);
    EXPECT_THROW(TournamentJob::create(*f.ws, one), ValidationError);
    TournamentSpec unknown = f.spec(2);
    unknown.entrants[1].generator = QStringLiteral("agv_nope");
    try {
        TournamentJob::create(*f.ws, unknown);
        FAIL() << "accepted an unknown agent version";
    } catch (const ValidationError &e) {
        EXPECT_TRUE(e.message().contains(u"agv_nope")) << e.message().toStdString();
    }
    TournamentSpec noProblem = f.spec(2);
    noProblem.problems << QStringLiteral("prb_missing");
    EXPECT_THROW(TournamentJob::create(*f.ws, noProblem), ValidationError);
    TournamentSpec format = f.spec(2, QStringLiteral("knockout"));
    EXPECT_THROW(TournamentJob::create(*f.ws, format), ValidationError);
    TournamentSpec halfTeam = f.spec(2);
    halfTeam.entrants[0].critic = QStringLiteral("agv_e2");
    EXPECT_THROW(TournamentJob::create(*f.ws, halfTeam), ValidationError);
    EXPECT_TRUE(TournamentRepository(*f.ws).tournaments().empty());
    EXPECT_TRUE(JobRepository(*f.ws).list().empty());
}

TEST(TournamentJob, EstimateCountsMissingSolutionsAndTwoJudgeCallsPerComparison)
{
    Fixture f(3, 2);
    StarSolver::insertSolution(*f.ws, QStringLiteral("agv_e1"), QStringLiteral("prb_0"));
    const TournamentSpec spec = f.spec(3);
    ProviderConfig config = f.judge->config();
    const GenerationEstimate e =
        TournamentJob::estimate(*f.ws, spec, f.templates, f.client.prices(), config);
    // 5 missing solutions + 3 pairs × 2 problems × 2 orders.
    EXPECT_EQ(e.calls, 5 + 12);
    EXPECT_GT(e.tokensIn, 12 * 300);
    EXPECT_EQ(TournamentJob::plannedComparisons(spec), 6);
    EXPECT_EQ(TournamentJob::roundCount(spec), 3);
}

TEST(TournamentSolver, FindsATeamsRefinedSolutionAndRendersSolutionsAsText)
{
    Fixture f(3, 1);
    const QString base =
        StarSolver::insertSolution(*f.ws, QStringLiteral("agv_e1"), QStringLiteral("prb_0"));
    f.ws->exec(QStringLiteral("INSERT INTO critiques (id, solution_id, agent_version_id, doc, "
                              "created_at) VALUES ('crt_1', '%1', 'agv_e2', '{}', 'x')")
                   .arg(base));
    f.ws->exec(QStringLiteral("INSERT INTO solutions (id, problem_id, agent_version_id, stage, "
                              "refined_from, critique_id, doc, created_at) VALUES ('sol_ref', "
                              "'prb_0', 'agv_e3', 'refine', '%1', 'crt_1', "
                              "'{\"final_answer\": \"better\"}', 'x')")
                   .arg(base));
    TournamentEntrant team;
    team.generator = QStringLiteral("agv_e1");
    team.critic = QStringLiteral("agv_e2");
    team.refiner = QStringLiteral("agv_e3");
    EXPECT_EQ(TournamentSolver::existingSolution(*f.ws, team, QStringLiteral("prb_0")),
              QStringLiteral("sol_ref"));
    TournamentEntrant single;
    single.generator = QStringLiteral("agv_e1");
    EXPECT_EQ(TournamentSolver::existingSolution(*f.ws, single, QStringLiteral("prb_0")), base);
    team.critic = QStringLiteral("agv_e3");
    EXPECT_TRUE(TournamentSolver::existingSolution(*f.ws, team, QStringLiteral("prb_0")).isEmpty());

    const auto text = TournamentSolver::solutionText(*f.ws, base);
    ASSERT_TRUE(text.has_value());
    EXPECT_TRUE(text->text.contains(u"Approach: Approach of agv_e1"));
    EXPECT_TRUE(text->text.contains(u"2. step two"));
    EXPECT_TRUE(text->text.contains(u"Final answer: *"));
    EXPECT_EQ(text->length, 101);
    EXPECT_EQ(TournamentSolver::solutionText(*f.ws, QStringLiteral("sol_ref"))->length,
              QStringLiteral("Final answer: better").size());
}
