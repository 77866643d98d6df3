// The problem definition wizard through the real engine thread and the Simulated provider:
// questions come with suggestions, one answer is put into the draft at once (the round stays
// open, typed answers survive), a picked suggestion and "you decide" are sent, the draft
// appears with what changed, rounds go on until the draft stops changing (or the round limit),
// and Finish makes a problem with its rubric that the Problems panel selects.

#include "core/feedback/definitionsession.h"
#include "core/store/problemrepository.h"
#include "tests/ui/llmwindow.h"
#include "tests/ui/uitestsupport.h"
#include "ui/feedback/definitionwizard.h"
#include "ui/generate/generationpanel.h"
#include "ui/models/problemtablemodel.h"
#include "ui/problemspanel.h"

#include <QAction>
#include <QSignalSpy>
#include <gtest/gtest.h>

namespace crucible {
namespace {

using uitest::waitUntil;

TEST(DefinitionWizard, FromARoughStatementToARubricBackedProblem)
{
    uitest::LlmWindow w(QStringLiteral("define.crucible"));
    ASSERT_TRUE(w.open());
    ASSERT_TRUE(
        waitUntil([&] { return !w.window->generationPanel()->providers().isEmpty(); }, 10000));
    // Opened as a person does: Generate → Define a Problem with Questions….
    const int problemsBefore = w.window->problemsPanel()->model()->rowCount();
    w.window->findChild<QAction *>(QStringLiteral("defineProblemAction"))->trigger();
    auto *opened = w.window->findChild<DefinitionWizard *>();
    ASSERT_NE(opened, nullptr);
    DefinitionWizard &wizard = *opened;
    wizard.startSession(QStringLiteral("nurse scheduling"),
                        QStringLiteral("We need a fair weekly roster for a 30-bed ward."));
    ASSERT_TRUE(waitUntil([&] { return !wizard.questionIds().isEmpty(); }, 30000))
        << wizard.statusText().toStdString();
    EXPECT_FALSE(wizard.sessionId().isEmpty());
    EXPECT_EQ(wizard.status(), QStringLiteral("answering"));
    EXPECT_GE(wizard.questionIds().size(), 3);

    int rounds = 0;
    while (wizard.status() != u"ready" && rounds < DefinitionSession::kMaxRounds) {
        const QStringList ids = wizard.questionIds();
        ASSERT_FALSE(ids.isEmpty()) << wizard.statusText().toStdString();
        wizard.pickSuggestion(ids[0], 0);
        if (rounds == 0) {
            // One answer goes into the draft at once; the round stays open, and what is typed
            // in another row but not applied survives the refresh.
            wizard.setAnswer(ids[2], QStringLiteral("typed, not applied yet"));
            wizard.applyAnswer(ids[0]);
            ASSERT_TRUE(waitUntil(
                [&] {
                    return wizard.draftText().contains(QStringLiteral("Rubric")) &&
                           !wizard.lastChanges().isEmpty();
                },
                30000))
                << wizard.statusText().toStdString();
            EXPECT_EQ(wizard.status(), QStringLiteral("answering"));
            EXPECT_EQ(wizard.questionIds(), ids);
            EXPECT_EQ(wizard.answerText(ids[2]), QStringLiteral("typed, not applied yet"));
            EXPECT_TRUE(wizard.statusText().contains(QStringLiteral("changed the draft")))
                << wizard.statusText().toStdString();
            const auto stored = [&] {
                auto ws = Workspace::open(w.path, Workspace::Mode::ReadOnly);
                return DefinitionSession::load(*ws, wizard.sessionId());
            }();
            ASSERT_TRUE(stored);
            EXPECT_TRUE(stored->doc["rounds"][0]["partial"].contains(ids[0].toStdString()));
        }
        wizard.setYouDecide(ids[1]);
        QSignalSpy updated(&wizard, &DefinitionWizard::updated);
        wizard.sendAnswers();
        ++rounds;
        ASSERT_TRUE(waitUntil(
            [&] {
                return wizard.status() == u"ready" ||
                       (wizard.status() == u"answering" && wizard.questionIds() != ids);
            },
            30000))
            << wizard.statusText().toStdString();
        if (rounds == 1) {
            EXPECT_FALSE(wizard.lastChanges().isEmpty()) << "the first draft is all new";
        }
    }
    EXPECT_EQ(wizard.status(), QStringLiteral("ready"));
    EXPECT_TRUE(wizard.draftText().contains(QStringLiteral("Rubric")));

    QSignalSpy created(&wizard, &DefinitionWizard::problemCreated);
    wizard.finishSession(false);
    ASSERT_TRUE(created.wait(10000));
    const QString problemId = created.at(0).at(0).toString();
    // The window's problem table reads it (a new workspace's table was empty).
    ASSERT_TRUE(waitUntil(
        [&] { return w.window->problemsPanel()->model()->rowCount() == problemsBefore + 1; },
        10000));
    auto ws = Workspace::open(w.path, Workspace::Mode::ReadOnly);
    const auto p = ProblemRepository(*ws).get(problemId);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->domain, QStringLiteral("nurse scheduling"));
    EXPECT_TRUE(p->metadata["rubric"].is_array());
    const auto record = DefinitionSession::load(*ws, wizard.sessionId());
    ASSERT_TRUE(record);
    EXPECT_EQ(record->status, QStringLiteral("finished"));
    EXPECT_EQ(record->problemId, problemId);
}

} // namespace
} // namespace crucible
