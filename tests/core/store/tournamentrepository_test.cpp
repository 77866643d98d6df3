#include "core/store/tournamentrepository.h"

#include "core/evaluate/ratingcalculator.h"
#include "core/model/jsonsupport.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("t.crucible")));
    TournamentRepository repo{*ws};

    Fixture()
    {
        ProblemRepository problems(*ws);
        problems.insert(withId(test::makeProblem(1), QStringLiteral("prb_1")));
        problems.insert(withId(test::makeProblem(2), QStringLiteral("prb_2")));
        exec(QStringLiteral("INSERT INTO agents (id, role, name, created_at, updated_at) VALUES "
                            "('agt_g', 'generator', 'G', '2026-01-01', '2026-01-01')"));
        for (const char *v : {"agv_x", "agv_y", "agv_z", "agv_judge"})
            exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                                "system_prompt, created_at) VALUES ('%1', 'agt_g', %2, '{}', "
                                "'', '2026-01-01')")
                     .arg(QString::fromLatin1(v))
                     .arg(++m_versions));
        for (const char *p : {"prb_1", "prb_2"})
            for (const char *v : {"agv_x", "agv_y", "agv_z"})
                exec(QStringLiteral("INSERT INTO solutions (id, problem_id, agent_version_id, "
                                    "stage, doc, created_at) VALUES ('sol_%1_%2', '%1', '%2', "
                                    "'solve', '{}', '2026-01-01')")
                         .arg(QString::fromLatin1(p), QString::fromLatin1(v)));
    }

    static Problem withId(Problem p, const QString &id)
    {
        p.id = id;
        return p;
    }

    void exec(const QString &sql) { ws->exec(sql); }

    ComparisonRecord make(const QString &problem, const QString &x, const QString &y,
                          const QString &winner,
                          const QString &tournament = QStringLiteral("trn_1"))
    {
        ComparisonRecord c;
        c.tournamentId = tournament;
        c.problemId = problem;
        c.solutionA = QStringLiteral("sol_%1_%2").arg(problem, x);
        c.solutionB = QStringLiteral("sol_%1_%2").arg(problem, y);
        c.entrantA = x;
        c.entrantB = y;
        c.judgeVersionId = QStringLiteral("agv_judge");
        c.verdictAb = winner;
        c.verdictBa = winner;
        c.winner = winner;
        c.doc = {{"ab", {{"rationale", "first order"}, {"verdict", winner.toStdString()}}},
                 {"ba", {{"rationale", "second order"}, {"verdict", winner.toStdString()}}},
                 {"length_a", 100},
                 {"length_b", 200}};
        c.callIds = {QStringLiteral("call_1"), QStringLiteral("call_2")};
        c.costUsd = 0.002;
        c.tokens = 300;
        return c;
    }

    int m_versions = 0;
};

PreferencePairRecord pairDoc()
{
    PreferencePairRecord p;
    p.chosenScore = 0.9;
    p.rejectedScore = 0.3;
    p.doc = {{"prompt", "the problem"},
             {"chosen", "good"},
             {"rejected", "bad"},
             {"chosen_rationale", "why good"},
             {"rejected_rationale", "why bad"},
             {"judges", {"agv_judge"}}};
    return p;
}

} // namespace

TEST(TournamentRepository, TournamentRoundTripsWithItsParams)
{
    Fixture f;
    TournamentRecord t;
    t.id = QStringLiteral("trn_1");
    t.name = QStringLiteral("spring");
    t.format = QStringLiteral("swiss");
    t.params = {
        {"entrants",
         {{{"key", "agv_x"},
           {"name", "X"},
           {"generator", "agv_x"},
           {"critic", ""},
           {"refiner", ""}},
          {{"name", "team"}, {"generator", "agv_y"}, {"critic", "agv_z"}, {"refiner", "agv_x"}}}},
        {"problems", {"prb_1", "prb_2"}},
        {"judges", {"agv_judge"}},
        {"rounds", 2},
        {"concurrency", 4}};
    f.repo.createTournament(t);
    f.repo.setTournamentJob(t.id, QStringLiteral("job_9"));
    const auto back = f.repo.tournament(t.id);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->format, QStringLiteral("swiss"));
    EXPECT_EQ(back->jobId, QStringLiteral("job_9"));
    const auto entrants = back->entrants();
    ASSERT_EQ(entrants.size(), 2u);
    EXPECT_EQ(entrants[0].key, QStringLiteral("agv_x"));
    EXPECT_EQ(entrants[1].key, QStringLiteral("agv_y+agv_z+agv_x")); // derived team key
    EXPECT_EQ(back->problems(), (QStringList{QStringLiteral("prb_1"), QStringLiteral("prb_2")}));
    EXPECT_EQ(back->judges(), QStringList{QStringLiteral("agv_judge")});
    EXPECT_EQ(f.repo.tournaments().size(), 1u);
    EXPECT_FALSE(f.repo.tournament(QStringLiteral("trn_none")).has_value());
}

TEST(TournamentRepository, AComparisonIsStoredOnceInCanonicalOrderWithItsPreferencePair)
{
    Fixture f;
    // Given as (y, x): stored as (x, y) with verdicts and doc swapped.
    ComparisonRecord c = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_y"),
                                QStringLiteral("agv_x"), QStringLiteral("a"));
    c.verdictBa = QStringLiteral("tie");
    c.doc["ab"]["score_a"] = 9;
    c.doc["ab"]["score_b"] = 2;
    EXPECT_EQ(f.repo.addComparison(c, pairDoc()), ComparisonWrite::Inserted);
    EXPECT_TRUE(c.id.startsWith(u"cmp_"));
    EXPECT_EQ(c.solutionA, QStringLiteral("sol_prb_1_agv_x"));
    EXPECT_EQ(c.winner, QStringLiteral("b"));
    EXPECT_EQ(c.entrantB, QStringLiteral("agv_y"));
    EXPECT_EQ(c.verdictAb, QStringLiteral("tie")); // the old "ba" showed x first
    EXPECT_EQ(c.verdictBa, QStringLiteral("b"));
    EXPECT_EQ(c.doc["ba"]["score_b"], 9);
    EXPECT_EQ(c.doc["length_a"], 200);

    const auto stored = f.repo.comparisonById(c.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->winner, QStringLiteral("b"));
    EXPECT_EQ(stored->callIds.size(), 2);
    EXPECT_DOUBLE_EQ(*stored->costUsd, 0.002);
    EXPECT_EQ(stored->doc["ab"]["rationale"], "second order");

    const auto pair = f.repo.preferencePair(c.id);
    ASSERT_TRUE(pair.has_value());
    EXPECT_TRUE(pair->id.startsWith(u"prf_"));
    EXPECT_EQ(pair->chosenSolutionId, QStringLiteral("sol_prb_1_agv_y"));
    EXPECT_EQ(pair->rejectedSolutionId, QStringLiteral("sol_prb_1_agv_x"));
    EXPECT_EQ(pair->problemId, QStringLiteral("prb_1"));
    EXPECT_DOUBLE_EQ(*pair->chosenScore, 0.9);
    EXPECT_EQ(pair->doc["judges"][0], "agv_judge");

    // The same pair again, in either order: nothing new.
    ComparisonRecord again = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"),
                                    QStringLiteral("agv_y"), QStringLiteral("a"));
    EXPECT_EQ(f.repo.addComparison(again, pairDoc()), ComparisonWrite::AlreadyThere);
    EXPECT_EQ(again.id, c.id);
    EXPECT_EQ(again.winner, QStringLiteral("b")); // the stored verdict, not the new one
    EXPECT_EQ(f.repo.comparisons(QStringLiteral("trn_1")).size(), 1u);
    EXPECT_EQ(f.repo.preferencePairCount(), 1);
    EXPECT_TRUE(f.repo
                    .comparison(QStringLiteral("trn_1"), QStringLiteral("sol_prb_1_agv_y"),
                                QStringLiteral("sol_prb_1_agv_x"), QStringLiteral("agv_judge"))
                    .has_value());
}

TEST(TournamentRepository, ATieOrAFailureMakesNoPreferencePairAndAFailureCanBeRejudged)
{
    Fixture f;
    ComparisonRecord tie = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"),
                                  QStringLiteral("agv_y"), QStringLiteral("tie"));
    f.repo.addComparison(tie, pairDoc());
    ComparisonRecord failed = f.make(QStringLiteral("prb_2"), QStringLiteral("agv_x"),
                                     QStringLiteral("agv_y"), QStringLiteral("failed"));
    EXPECT_EQ(f.repo.addComparison(failed, pairDoc()), ComparisonWrite::Inserted);
    EXPECT_EQ(f.repo.preferencePairCount(), 0);

    // A failed comparison stays failed when judged as failed again...
    ComparisonRecord failedAgain = f.make(QStringLiteral("prb_2"), QStringLiteral("agv_x"),
                                          QStringLiteral("agv_y"), QStringLiteral("failed"));
    EXPECT_EQ(f.repo.addComparison(failedAgain), ComparisonWrite::AlreadyThere);
    // ...and is replaced (same id) by a real verdict.
    ComparisonRecord decided = f.make(QStringLiteral("prb_2"), QStringLiteral("agv_x"),
                                      QStringLiteral("agv_y"), QStringLiteral("a"));
    EXPECT_EQ(f.repo.addComparison(decided, pairDoc()), ComparisonWrite::Replaced);
    EXPECT_EQ(decided.id, failed.id);
    EXPECT_EQ(f.repo.comparisons(QStringLiteral("trn_1")).size(), 2u);
    EXPECT_EQ(f.repo.preferencePairCount(), 1);
    // A decided comparison is never replaced.
    ComparisonRecord other = f.make(QStringLiteral("prb_2"), QStringLiteral("agv_x"),
                                    QStringLiteral("agv_y"), QStringLiteral("b"));
    EXPECT_EQ(f.repo.addComparison(other), ComparisonWrite::AlreadyThere);
    EXPECT_EQ(f.repo.comparisonById(failed.id)->winner, QStringLiteral("a"));
}

TEST(TournamentRepository, TheSamePairInAnotherTournamentOrByAnotherJudgeIsAnotherComparison)
{
    Fixture f;
    ComparisonRecord a = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"),
                                QStringLiteral("agv_y"), QStringLiteral("a"));
    ComparisonRecord b =
        f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"), QStringLiteral("agv_y"),
               QStringLiteral("a"), QStringLiteral("trn_2"));
    ComparisonRecord c = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"),
                                QStringLiteral("agv_y"), QStringLiteral("b"));
    c.judgeVersionId = QStringLiteral("agv_z");
    EXPECT_EQ(f.repo.addComparison(a), ComparisonWrite::Inserted);
    EXPECT_EQ(f.repo.addComparison(b), ComparisonWrite::Inserted);
    EXPECT_EQ(f.repo.addComparison(c), ComparisonWrite::Inserted);
    EXPECT_EQ(f.repo.allComparisons().size(), 3u);
    EXPECT_EQ(f.repo
                  .comparisonsBetween(QStringLiteral("trn_1"), QStringLiteral("agv_y"),
                                      QStringLiteral("agv_x"))
                  .size(),
              2u);
    EXPECT_EQ(
        f.repo.comparisonsBetween({}, QStringLiteral("agv_x"), QStringLiteral("agv_y")).size(), 3u);
    EXPECT_EQ(f.repo.preferencePairs(QStringLiteral("trn_2")).size(), 1u);
    EXPECT_EQ(f.repo.preferencePairs().size(), 3u);
}

TEST(TournamentRepository, RatingsAreReplacedPerTournamentAndKeepTheirHistory)
{
    Fixture f;
    auto row = [](const QString &entrant, double rating) {
        RatingRecord r;
        r.entrant = entrant;
        r.rating = rating;
        r.ciLow = rating - 50;
        r.ciHigh = rating + 50;
        r.wins = 3;
        r.doc = {{"name", entrant.toStdString()}};
        return r;
    };
    f.repo.saveRatings(QStringLiteral("trn_1"),
                       {row(QStringLiteral("agv_x"), 1040), row(QStringLiteral("agv_y"), 960)},
                       QStringLiteral("round 1"));
    f.repo.saveRatings(QStringLiteral("trn_1"),
                       {row(QStringLiteral("agv_x"), 1080), row(QStringLiteral("agv_y"), 920)},
                       QStringLiteral("final"));
    f.repo.saveRatings(QString(), {row(QStringLiteral("agv_x"), 1070)}, QStringLiteral("pooled"));

    const auto ratings = f.repo.ratings(QStringLiteral("trn_1"));
    ASSERT_EQ(ratings.size(), 2u);
    EXPECT_EQ(ratings[0].entrant, QStringLiteral("agv_x")); // best first
    EXPECT_DOUBLE_EQ(ratings[0].rating, 1080);
    EXPECT_DOUBLE_EQ(ratings[0].ciLow, 1030);
    EXPECT_EQ(ratings[0].wins, 3);
    const auto &history = ratings[0].doc["history"];
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0]["label"], "round 1");
    EXPECT_EQ(history[0]["rating"], 1040);
    EXPECT_EQ(history[1]["label"], "final");
    EXPECT_EQ(ratings[0].doc["name"], "agv_x");

    const auto across = f.repo.history(QStringLiteral("agv_x"));
    ASSERT_EQ(across.size(), 2u); // this tournament and the pooled row
    EXPECT_LE(across[0].computedAt, across[1].computedAt);
    EXPECT_EQ(f.repo.ratings(QString()).size(), 1u);
}

TEST(TournamentRepository, RatingCalculatorRatesEntrantsFromStoredComparisons)
{
    Fixture f;
    // x beats y on both problems, y beats z on both, x-z tie once and fail once.
    for (const char *p : {"prb_1", "prb_2"}) {
        ComparisonRecord xy = f.make(QString::fromLatin1(p), QStringLiteral("agv_x"),
                                     QStringLiteral("agv_y"), QStringLiteral("a"));
        ComparisonRecord yz = f.make(QString::fromLatin1(p), QStringLiteral("agv_y"),
                                     QStringLiteral("agv_z"), QStringLiteral("a"));
        f.repo.addComparison(xy);
        f.repo.addComparison(yz);
    }
    ComparisonRecord tie = f.make(QStringLiteral("prb_1"), QStringLiteral("agv_x"),
                                  QStringLiteral("agv_z"), QStringLiteral("tie"));
    ComparisonRecord failed = f.make(QStringLiteral("prb_2"), QStringLiteral("agv_x"),
                                     QStringLiteral("agv_z"), QStringLiteral("failed"));
    f.repo.addComparison(tie);
    f.repo.addComparison(failed);

    BradleyTerryOptions options;
    options.bootstrapRounds = 200;
    const RatingComputation r =
        RatingCalculator::compute(f.repo.comparisons(QStringLiteral("trn_1")),
                                  {{QStringLiteral("agv_x"), QStringLiteral("Xavier")},
                                   {QStringLiteral("agv_w"), QStringLiteral("Unplayed")}},
                                  options);
    EXPECT_EQ(r.comparisons, 5);
    EXPECT_EQ(r.failed, 1);
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].entrant, QStringLiteral("agv_x"));
    EXPECT_EQ(r.rows[0].doc["name"], "Xavier");
    EXPECT_EQ(r.rows[0].wins, 2);
    EXPECT_EQ(r.rows[0].ties, 1);
    EXPECT_EQ(r.rows[0].doc["failed"], 1);
    EXPECT_EQ(r.rows.back().entrant, QStringLiteral("agv_z"));
    for (const RatingRecord &row : r.rows) {
        EXPECT_LE(row.ciLow, row.rating);
        EXPECT_GE(row.ciHigh, row.rating);
    }
    const auto unplayed = std::find_if(r.rows.begin(), r.rows.end(), [](const RatingRecord &x) {
        return x.entrant == QStringLiteral("agv_w");
    });
    ASSERT_NE(unplayed, r.rows.end());
    EXPECT_EQ(unplayed->doc["comparisons"], 0);
    EXPECT_TRUE(unplayed->doc["win_rate"].is_null());
    EXPECT_DOUBLE_EQ(r.rows[0].doc["win_rate"].get<double>(), 2.5 / 3.0);
}
