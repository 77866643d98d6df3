// The lineage graph: a run's versions drawn as nodes a click selects (showing the version's
// traits, lessons and learning record), the ratings table sorted by rating, and the live match.

#include "core/evolve/lineage.h"
#include "core/evolve/optimiser.h"
#include "tests/ui/uitestsupport.h"
#include "ui/training/lineageview.h"
#include "ui/training/livechart.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QSignalSpy>
#include <QTableWidget>
#include <gtest/gtest.h>

namespace crucible {
namespace {

using nlohmann::json;

// A run whose checkpoint holds a seed and two children (one accepted and better, one rejected),
// each scored on a shared train problem and the validation split.
TrainingRun runWithThreeVersions()
{
    Agent seed;
    seed.identity.name = QStringLiteral("Solver");
    seed.role = QStringLiteral("generator");
    evolve::DataSplit split;
    split.train = {QStringLiteral("p1"), QStringLiteral("p2")};
    split.validation = {QStringLiteral("v1"), QStringLiteral("v2")};
    split.test = {QStringLiteral("t1")};
    auto optimiser = evolve::Optimiser::make(QStringLiteral("random"), seed, split, {});
    json state = optimiser->toJson();
    json candidates = json::array();
    const auto candidate = [&](int id, int parent, bool accepted, double train, double valid,
                               const char *lesson) {
        evolve::Candidate c;
        c.id = id;
        c.parent = parent;
        c.op = id == 0 ? QStringLiteral("seed") : QStringLiteral("reflect");
        c.definition = seed;
        if (id > 0)
            c.definition.instructions = {QString::fromLatin1(lesson)};
        c.accepted = accepted;
        c.why = QStringLiteral("because %1").arg(id);
        c.scores[QStringLiteral("p1")].score = train;
        c.scores[QStringLiteral("v1")].score = valid;
        c.scores[QStringLiteral("v2")].score = valid;
        if (parent >= 0) {
            c.minibatchParent = 0.5;
            c.minibatchChild = train;
        }
        return c.toJson();
    };
    candidates.push_back(candidate(0, -1, true, 0.5, 0.5, ""));
    candidates.push_back(candidate(1, 0, true, 0.8, 0.7, "check the budget"));
    candidates.push_back(candidate(2, 0, false, 0.3, 0.4, "skip the checks"));
    state["candidates"] = candidates;
    TrainingRun run;
    run.id = QStringLiteral("trn_three");
    run.config = {{"checkpoint", state}};
    run.metrics = json::array({{{"cycle", 1}}, {{"cycle", 2}}});
    return run;
}

TEST(LineageView, DrawsTheVersionsAndAClickShowsOne)
{
    LineageView view;
    view.resize(900, 400);
    view.show();
    QSignalSpy computed(&view, &LineageView::computed);
    view.setRun(runWithThreeVersions());
    ASSERT_TRUE(computed.wait(5000));
    ASSERT_EQ(view.lineage().nodes.size(), 3u);
    EXPECT_TRUE(view.lineage().nodes[1].best) << "the accepted child is best on validation";
    int dots = 0;
    for (QGraphicsItem *item : view.scene()->items())
        dots += item->data(0).isValid() ? 1 : 0;
    EXPECT_EQ(dots, 3);
    // Ratings: the better child first; the rejected one last.
    ASSERT_EQ(view.ratingsTable()->rowCount(), 3);
    EXPECT_TRUE(view.ratingsTable()->item(0, 0)->text().startsWith(QStringLiteral("1")));
    EXPECT_EQ(view.ratingsTable()->item(2, 0)->text(), QStringLiteral("2"));
    view.ratingChart()->flushNow();
    EXPECT_EQ(view.ratingChart()->pointCount(0), 3u) << "a rating point per rated candidate";
    EXPECT_EQ(view.ratingChart()->drawnBandPointCount(0), 3) << "and its interval as a band";
    EXPECT_TRUE(view.matchText().contains(QStringLiteral("candidate 2 against its parent 0")))
        << view.matchText().toStdString();

    view.selectNode(1);
    EXPECT_TRUE(view.detailsText().contains(QStringLiteral("check the budget")));
    EXPECT_TRUE(view.detailsText().contains(QStringLiteral("because 1")));
    // Selecting a row of the ratings table shows that version too.
    view.ratingsTable()->selectRow(2);
    EXPECT_TRUE(view.detailsText().contains(QStringLiteral("skip the checks")));

    // The same run with no new cycle is not computed again.
    view.setRun(runWithThreeVersions());
    EXPECT_FALSE(computed.wait(300));
    view.clear();
    EXPECT_TRUE(view.lineage().nodes.empty());
}

} // namespace
} // namespace crucible
