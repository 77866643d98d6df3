// The Tournament view: ranking with rating and interval bars, win matrix, rating history chart,
// the comparisons behind a matrix cell with both orders' rationales; its models under
// QAbstractItemModelTester; pooled ratings; an empty workspace.

#include "core/evaluate/bradleyterry.h"
#include "core/evaluate/ratingcalculator.h"
#include "core/evaluate/tournamentpairing.h"
#include "core/store/tournamentrepository.h"
#include "ui/models/comparisonlistmodel.h"
#include "ui/models/ratingtablemodel.h"
#include "ui/models/winmatrixmodel.h"
#include "ui/tournament/ratinghistorychart.h"
#include "ui/tournament/tournamentpanel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QPixmap>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <gtest/gtest.h>

#include <random>

using namespace crucible;
using namespace crucible::uitest;

namespace {

const QStringList kAgents = {QStringLiteral("agv_ada"), QStringLiteral("agv_bob"),
                             QStringLiteral("agv_cyd")};

// Two tournaments over problems 0..3: in the second (newest), ada beats bob and cyd on every
// problem, bob and cyd tie once per problem (the orders disagree) and one comparison failed.
void addTournaments(const QString &path)
{
    auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
    ws->exec(QStringLiteral("INSERT INTO agents (id, role, name, created_at, updated_at) VALUES "
                            "('agt_1', 'generator', 'G', '2026-01-01', '2026-01-01')"));
    int version = 0;
    for (const QString &v : kAgents + QStringList{QStringLiteral("agv_judge")})
        ws->exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                                "system_prompt, created_at) VALUES ('%1', 'agt_1', %2, '{}', '', "
                                "'2026-01-01')")
                     .arg(v)
                     .arg(++version));
    for (int p = 0; p < 4; ++p)
        for (const QString &v : kAgents)
            ws->exec(QStringLiteral("INSERT INTO solutions (id, problem_id, agent_version_id, "
                                    "stage, doc, created_at) VALUES ('sol_%1_%2', '%3', '%2', "
                                    "'solve', '{}', '2026-01-01')")
                         .arg(p)
                         .arg(v, makeProblem(p).id));
    TournamentRepository repo(*ws);
    nlohmann::json entrants = nlohmann::json::array();
    for (const QString &v : kAgents)
        entrants.push_back({{"key", v.toStdString()},
                            {"name", v.mid(4).toUpper().toStdString()},
                            {"generator", v.toStdString()},
                            {"critic", ""},
                            {"refiner", ""}});
    for (const QString &tid : {QStringLiteral("trn_old"), QStringLiteral("trn_new")}) {
        TournamentRecord t;
        t.id = tid;
        t.name = tid == u"trn_new" ? QStringLiteral("Newest") : QStringLiteral("Oldest");
        t.format = QStringLiteral("round-robin");
        t.params = {{"entrants", entrants}, {"judges", {"agv_judge"}}};
        t.createdAt = QDateTime(QDate(2026, 3, tid == u"trn_new" ? 2 : 1), QTime(10, 0), Qt::UTC);
        repo.createTournament(t);
        for (int p = 0; p < 4; ++p) {
            const auto add = [&](const QString &x, const QString &y, const QString &ab,
                                 const QString &ba, const QString &winner) {
                ComparisonRecord c;
                c.tournamentId = tid;
                c.problemId = makeProblem(p).id;
                c.solutionA = QStringLiteral("sol_%1_%2").arg(p).arg(x);
                c.solutionB = QStringLiteral("sol_%1_%2").arg(p).arg(y);
                c.entrantA = x;
                c.entrantB = y;
                c.judgeVersionId = QStringLiteral("agv_judge");
                c.verdictAb = ab;
                c.verdictBa = ba;
                c.winner = winner;
                c.doc = {{"ab",
                          {{"rationale", "A-first rationale " + std::to_string(p)},
                           {"assessment_a", "solid"},
                           {"assessment_b", "thin"},
                           {"score_a", 8},
                           {"score_b", 4}}},
                         {"ba", {{"rationale", "B-first rationale " + std::to_string(p)}}},
                         {"length_a", 900},
                         {"length_b", 700}};
                repo.addComparison(c);
            };
            add(kAgents[0], kAgents[1], QStringLiteral("a"), QStringLiteral("a"),
                QStringLiteral("a"));
            add(kAgents[0], kAgents[2], QStringLiteral("a"), QStringLiteral("a"),
                QStringLiteral("a"));
            if (tid == u"trn_new" && p == 3)
                add(kAgents[1], kAgents[2], QStringLiteral("failed"), QStringLiteral("a"),
                    QStringLiteral("failed"));
            else
                add(kAgents[1], kAgents[2], QStringLiteral("a"), QStringLiteral("b"),
                    QStringLiteral("tie"));
        }
        BradleyTerryOptions options;
        options.bootstrapRounds = 100;
        const auto rows = RatingCalculator::compute(repo.comparisons(tid), {}, options).rows;
        repo.saveRatings(tid, rows, QStringLiteral("round 1"));
        repo.saveRatings(tid, rows, QStringLiteral("final"));
    }
    BradleyTerryOptions options;
    options.bootstrapRounds = 100;
    repo.saveRatings(QString(), RatingCalculator::compute(repo.allComparisons(), {}, options).rows,
                     QStringLiteral("pooled"));
}

struct Fixture
{
    TempWorkspace temp{6};
    std::unique_ptr<Workspace> ws;
    TournamentPanel panel;

    explicit Fixture(bool withTournaments = true)
    {
        if (withTournaments)
            addTournaments(temp.path);
        ws = Workspace::open(temp.path, Workspace::Mode::ReadOnly);
        load([&] { panel.setWorkspace(ws.get()); });
    }

    template <typename F> void load(F start)
    {
        QSignalSpy spy(&panel, &TournamentPanel::reloaded);
        start();
        if (spy.isEmpty()) {
            ASSERT_TRUE(spy.wait(10'000));
        }
    }
};

} // namespace

TEST(TournamentPanel, ShowsTheNewestTournamentsRankingMatrixAndHistory)
{
    Fixture f;
    QAbstractItemModelTester ratingTester(f.panel.ratingModel());
    QAbstractItemModelTester matrixTester(f.panel.matrixModel());
    QAbstractItemModelTester comparisonTester(f.panel.comparisonModel());

    EXPECT_EQ(f.panel.currentTournamentId(), QStringLiteral("trn_new"));
    EXPECT_EQ(f.panel.tournamentBox()->count(), 3); // two tournaments + pooled
    RatingTableModel *ratings = f.panel.ratingModel();
    ASSERT_EQ(ratings->rowCount(), 3);
    EXPECT_EQ(ratings->index(0, RatingTableModel::EntrantColumn).data().toString(),
              QStringLiteral("ADA"));
    EXPECT_EQ(ratings->index(0, RatingTableModel::RecordColumn).data().toString(),
              QStringLiteral("8–0–0"));
    const double rating = ratings->index(0, 0).data(RatingTableModel::RatingRole).toDouble();
    EXPECT_GT(rating, 1000);
    EXPECT_LE(ratings->index(0, 0).data(RatingTableModel::CiLowRole).toDouble(), rating);
    EXPECT_GE(ratings->index(0, 0).data(RatingTableModel::CiHighRole).toDouble(), rating);
    EXPECT_LE(ratings->scaleMin(), ratings->ratingAt(2)->ciLow);
    EXPECT_TRUE(ratings->index(0, RatingTableModel::LengthControlledColumn)
                    .data()
                    .toString()
                    .endsWith(u'%'));

    WinMatrixModel *matrix = f.panel.matrixModel();
    ASSERT_EQ(matrix->rowCount(), 3);
    EXPECT_EQ(matrix->index(0, 1).data().toString(), QStringLiteral("100 %"));
    EXPECT_EQ(matrix->index(1, 0).data().toString(), QStringLiteral("0 %"));
    EXPECT_EQ(matrix->index(1, 2).data().toString(), QStringLiteral("50 %")); // 3 ties
    EXPECT_EQ(matrix->cell(1, 2).failed, 1);
    EXPECT_TRUE(matrix->index(1, 2).data(Qt::ToolTipRole).toString().contains(u"1 failed"));
    EXPECT_EQ(matrix->index(0, 1).data(Qt::BackgroundRole).value<QColor>(),
              WinMatrixModel::heat(1.0));
    EXPECT_EQ(matrix->headerData(0, Qt::Vertical).toString(), QStringLiteral("#1"));
    EXPECT_TRUE(matrix->headerData(0, Qt::Vertical, Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("ADA")));
    EXPECT_EQ(matrix->headerData(0, Qt::Horizontal).toString(), QStringLiteral("#1"));

    // Both tournaments' round 1 and final: 4 points per entrant, 3 lines.
    EXPECT_EQ(f.panel.historyChart()->seriesCount(), 3);
    EXPECT_EQ(f.panel.historyChart()->pointLabels().size(), 4);
    EXPECT_EQ(f.panel.historyChart()->pointLabels().last(), QStringLiteral("T2 final"));
    EXPECT_EQ(f.panel.historyChart()->pointLabels().first(), QStringLiteral("T1 R1"));

    EXPECT_EQ(f.panel.comparisonModel()->rowCount(), 12);
    EXPECT_TRUE(f.panel.statusText().contains(u"12 comparison"))
        << f.panel.statusText().toStdString();
    EXPECT_TRUE(f.panel.statusText().contains(u"1 failed"));
}

TEST(TournamentPanel, AMatrixCellShowsItsComparisonsWithBothOrdersRationales)
{
    Fixture f;
    f.panel.showCell(1, 2); // BOB against CYD
    ComparisonListModel *list = f.panel.comparisonModel();
    ASSERT_EQ(list->rowCount(), 4);
    EXPECT_EQ(list->index(0, ComparisonListModel::AFirstColumn).data().toString(),
              QStringLiteral("BOB"));
    EXPECT_EQ(list->index(0, ComparisonListModel::BFirstColumn).data().toString(),
              QStringLiteral("CYD"));
    EXPECT_EQ(list->index(0, ComparisonListModel::WinnerColumn).data().toString(),
              QStringLiteral("tie"));
    EXPECT_EQ(list->index(3, ComparisonListModel::WinnerColumn).data().toString(),
              QStringLiteral("failed"));
    // The first row is selected: its detail has both rationales.
    const QString html = f.panel.detailView()->toPlainText();
    EXPECT_TRUE(html.contains(u"A-first rationale 0")) << html.toStdString();
    EXPECT_TRUE(html.contains(u"B-first rationale 0"));
    EXPECT_TRUE(html.contains(u"Problem number 0"));
    f.panel.comparisonTable()->selectRow(3);
    EXPECT_TRUE(f.panel.detailView()->toPlainText().contains(u"not counted"));

    f.panel.showCell(0, 0); // the diagonal: everything again
    EXPECT_EQ(list->rowCount(), 12);
}

TEST(TournamentPanel, PooledRatingsAndAnotherTournamentAreSelectable)
{
    Fixture f;
    f.load([&] { f.panel.selectTournament(QString::fromLatin1(TournamentPanel::kPooled)); });
    EXPECT_EQ(f.panel.currentTournamentId(), QString::fromLatin1(TournamentPanel::kPooled));
    EXPECT_EQ(f.panel.comparisonModel()->rowCount(), 24);
    EXPECT_EQ(f.panel.ratingModel()->rowCount(), 3);
    EXPECT_EQ(f.panel.ratingModel()->ratingAt(0)->wins, 16);
    EXPECT_EQ(f.panel.tournamentBox()->currentData().toString(),
              QString::fromLatin1(TournamentPanel::kPooled));

    f.load([&] { f.panel.selectTournament(QStringLiteral("trn_old")); });
    EXPECT_EQ(f.panel.comparisonModel()->rowCount(), 12);
    EXPECT_EQ(f.panel.matrixModel()->cell(1, 2).failed, 0);
}

TEST(TournamentPanel, AnEmptyWorkspaceSaysHowToStartATournament)
{
    Fixture f(false);
    EXPECT_EQ(f.panel.ratingModel()->rowCount(), 0);
    EXPECT_EQ(f.panel.matrixModel()->rowCount(), 0);
    EXPECT_EQ(f.panel.historyChart()->seriesCount(), 0);
    EXPECT_TRUE(f.panel.statusText().contains(u"No tournament yet"));
    f.load([&] { f.panel.setWorkspace(nullptr); });
    EXPECT_TRUE(f.panel.statusText().contains(u"No workspace"));
}

namespace {

// A livelier workspace for the screenshot: five agents, six problems, a round-robin played in
// five rounds (outcomes drawn from fixed strengths, some orders disagreeing), rated per round.
void addDemoTournament(const QString &path)
{
    auto ws = Workspace::open(path, Workspace::Mode::ReadWrite);
    const QStringList names = {QStringLiteral("Alice"), QStringLiteral("Bob"),
                               QStringLiteral("Carol"), QStringLiteral("Dave"),
                               QStringLiteral("Erin")};
    const std::vector<double> strength = {1120, 1060, 1010, 960, 900};
    ws->exec(QStringLiteral("INSERT INTO agents (id, role, name, created_at, updated_at) VALUES "
                            "('agt_d', 'generator', 'Demo', 'x', 'x')"));
    for (int i = 0; i <= names.size(); ++i)
        ws->exec(QStringLiteral("INSERT INTO agent_versions (id, agent_id, version, doc, "
                                "system_prompt, created_at) VALUES ('agv_d%1', 'agt_d', %2, '{}', "
                                "'', 'x')")
                     .arg(i)
                     .arg(i + 1));
    for (int p = 0; p < 6; ++p)
        for (int i = 0; i < names.size(); ++i)
            ws->exec(QStringLiteral("INSERT INTO solutions (id, problem_id, agent_version_id, "
                                    "stage, doc, created_at) VALUES ('sol_d%1_%2', '%3', "
                                    "'agv_d%2', 'solve', '{}', 'x')")
                         .arg(p)
                         .arg(i)
                         .arg(makeProblem(p).id));
    TournamentRepository repo(*ws);
    TournamentRecord t;
    t.id = QStringLiteral("trn_demo");
    t.name = QStringLiteral("Logistics round-robin");
    t.format = QStringLiteral("round-robin");
    nlohmann::json entrants = nlohmann::json::array();
    for (int i = 0; i < names.size(); ++i)
        entrants.push_back({{"key", QStringLiteral("agv_d%1").arg(i).toStdString()},
                            {"name", names[i].toStdString()},
                            {"generator", QStringLiteral("agv_d%1").arg(i).toStdString()}});
    t.params = {{"entrants", entrants}, {"judges", {"agv_d5"}}};
    repo.createTournament(t);
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> u(0, 1);
    const auto rounds = TournamentPairing::roundRobin(static_cast<int>(names.size()), 3);
    int round = 0;
    for (const PairingRound &pairs : rounds) {
        ++round;
        for (const Pairing &pair : pairs) {
            if (pair.isBye())
                continue;
            for (int p = 0; p < 6; ++p) {
                const double pa = BradleyTerry::winProbability(
                    strength[static_cast<size_t>(pair.a)], strength[static_cast<size_t>(pair.b)]);
                const auto verdict = [&] {
                    return u(random) < 0.15
                               ? QStringLiteral("a") // first-position bias
                               : (u(random) < pa ? QStringLiteral("a") : QStringLiteral("b"));
                };
                const QString ab = verdict();
                // B shown first: a biased verdict names B.
                const QString ba =
                    u(random) < 0.15 ? QStringLiteral("b")
                                     : (u(random) < pa ? QStringLiteral("a") : QStringLiteral("b"));
                ComparisonRecord c;
                c.tournamentId = t.id;
                c.problemId = makeProblem(p).id;
                c.solutionA = QStringLiteral("sol_d%1_%2").arg(p).arg(pair.a);
                c.solutionB = QStringLiteral("sol_d%1_%2").arg(p).arg(pair.b);
                c.entrantA = QStringLiteral("agv_d%1").arg(pair.a);
                c.entrantB = QStringLiteral("agv_d%1").arg(pair.b);
                c.judgeVersionId = QStringLiteral("agv_d5");
                c.verdictAb = ab;
                c.verdictBa = ba;
                c.winner = ab == ba ? ab : QStringLiteral("tie");
                const std::string w = c.winner == u"tie"
                                          ? "Both answers are sound; neither is clearly better."
                                          : "The first answer meets every constraint; the second "
                                            "misses the time window for depot 3.";
                c.doc = {{"ab",
                          {{"rationale", w},
                           {"assessment_a", "Complete plan, respects the 8-hour limit."},
                           {"assessment_b", "Skips the capacity check on truck 2."},
                           {"score_a", 8},
                           {"score_b", 5}}},
                         {"ba", {{"rationale", w}}},
                         {"length_a", 900 + 40 * p},
                         {"length_b", 1100 - 30 * p}};
                repo.addComparison(c);
            }
        }
        BradleyTerryOptions options;
        options.bootstrapRounds = 200;
        std::map<QString, QString> named;
        for (int i = 0; i < names.size(); ++i)
            named[QStringLiteral("agv_d%1").arg(i)] = names[i];
        repo.saveRatings(t.id,
                         RatingCalculator::compute(repo.comparisons(t.id), named, options).rows,
                         QStringLiteral("round %1").arg(round));
    }
}

} // namespace

TEST(TournamentPanel, RendersAtBothWindowSizesForTheScreenshot)
{
    TempWorkspace temp{6};
    addDemoTournament(temp.path);
    auto ws = Workspace::open(temp.path, Workspace::Mode::ReadOnly);
    TournamentPanel panel;
    QSignalSpy spy(&panel, &TournamentPanel::reloaded);
    panel.setWorkspace(ws.get());
    ASSERT_TRUE(spy.wait(10'000));
    ASSERT_EQ(panel.ratingModel()->rowCount(), 5);
    EXPECT_EQ(panel.ratingModel()->index(0, RatingTableModel::EntrantColumn).data().toString(),
              QStringLiteral("Alice"));
    EXPECT_EQ(panel.historyChart()->pointLabels().size(), 5);
    panel.showCell(0, 1);
    const QByteArray dir = qgetenv("CRUCIBLE_SCREENSHOT_DIR");
    for (const QSize size : {QSize(1600, 1000), QSize(1024, 700)}) {
        panel.resize(size);
        panel.show();
        QCoreApplication::processEvents();
        const QPixmap shot = panel.grab();
        EXPECT_EQ(shot.size(), size);
        EXPECT_FALSE(shot.toImage().isNull());
        if (!dir.isEmpty())
            shot.save(QStringLiteral("%1/tournament-view-%2x%3.png")
                          .arg(QString::fromLocal8Bit(dir))
                          .arg(size.width())
                          .arg(size.height()));
        panel.tabs()->setCurrentIndex(1); // the second size shows the rating history
    }
}
