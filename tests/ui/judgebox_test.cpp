// The judge a dialog proposes: the evaluator that agrees best with the person's ratings (the
// inbox's human judgments), marked with its κ; without enough ratings, the newest evaluator.

#include "tests/support/evaluationfixture.h"
#include "tests/ui/uitestsupport.h"
#include "ui/feedback/judgebox.h"

#include <QComboBox>
#include <gtest/gtest.h>

namespace crucible {
namespace {

TEST(JudgeBox, ProposesTheJudgeThatAgreesWithThePersonElseTheNewest)
{
    uitest::TempWorkspace tw(0);
    auto ws = Workspace::open(tw.path);
    test::EvaluationFixture fx(*ws);
    const QString gen = fx.version(fx.agent(QStringLiteral("generator"), QStringLiteral("Gen")));
    const QString honest =
        fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Honest judge")));
    const QString lenient =
        fx.version(fx.agent(QStringLiteral("evaluator"), QStringLiteral("Lenient judge")));
    QComboBox box;
    box.addItem(QStringLiteral("Lenient judge (v1)"), lenient);
    box.addItem(QStringLiteral("Honest judge (v1)"), honest);

    // 30 solutions the person rated 1–5; the honest judge scores them as the person does, the
    // lenient one gives everything 0.9.
    const QString problem = fx.problem(1);
    for (int i = 0; i < 30; ++i) {
        const QString s =
            fx.solution(problem, gen, test::EvaluationFixture::solutionDoc(QString::number(i)));
        const int rating = 1 + i % 5;
        const double truth = (rating - 1) / 4.0;
        test::EvaluationFixture::Scored h;
        h.scores = {{QStringLiteral("correctness"), truth}};
        fx.scoredVerdict(s, honest, h);
        test::EvaluationFixture::Scored l;
        l.scores = {{QStringLiteral("correctness"), 0.9}};
        fx.scoredVerdict(s, lenient, l);
        fx.judgment(s, QStringLiteral("correctness"), rating);
    }
    selectCalibratedJudge(&box, *ws);
    EXPECT_EQ(box.currentData().toString(), honest);
    EXPECT_TRUE(box.currentText().contains(QStringLiteral("best calibrated")))
        << box.currentText().toStdString();
    EXPECT_TRUE(box.toolTip().contains(QStringLiteral("Honest judge")))
        << box.toolTip().toStdString();

    // A workspace without ratings: the newest evaluator, and no claim of calibration.
    uitest::TempWorkspace fresh(0);
    auto empty = Workspace::open(fresh.path);
    test::EvaluationFixture efx(*empty);
    const QString only =
        efx.version(efx.agent(QStringLiteral("evaluator"), QStringLiteral("Only judge")));
    QComboBox one;
    one.addItem(QStringLiteral("Other"), QStringLiteral("agv_other"));
    one.addItem(QStringLiteral("Only judge (v1)"), only);
    selectCalibratedJudge(&one, *empty);
    EXPECT_EQ(one.currentData().toString(), only);
    EXPECT_FALSE(one.currentText().contains(QStringLiteral("calibrated")));
}

} // namespace
} // namespace crucible
