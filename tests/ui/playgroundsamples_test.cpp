// The Playground shows every sample's answer when Samples > 1, not only the first.
#include "llmwindow.h"
#include "ui/llm/playgroundpanel.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

TEST(PlaygroundSamples, EverySampleIsShownInSampleOrder)
{
    ScopedSettings settings;
    LlmWindow app(QStringLiteral("play.crucible"));
    ASSERT_TRUE(app.open());
    PlaygroundPanel *play = app.window->playground();
    ASSERT_TRUE(waitUntil([&] { return play->providerBox()->count() > 0; }, 10000));

    play->setPrompt(QStringLiteral("Name a puzzle about ferries"));
    play->setSamples(4);
    play->send();
    ASSERT_TRUE(waitUntil(
        [&] { return play->progressText().startsWith(QStringLiteral("Finished: 4 of 4")); }, 30000))
        << play->progressText().toStdString();

    const QStringList samples = play->sampleTexts();
    ASSERT_EQ(samples.size(), 4);
    const QString shown = play->answerText();
    int previous = -1;
    for (int i = 0; i < samples.size(); ++i) {
        ASSERT_FALSE(samples[i].isEmpty()) << "sample " << i;
        const int header = shown.indexOf(QStringLiteral("Sample %1 of 4").arg(i + 1));
        ASSERT_GT(header, previous) << shown.toStdString();
        const int next = i + 1 < samples.size()
                             ? shown.indexOf(QStringLiteral("Sample %1 of 4").arg(i + 2))
                             : shown.size();
        const int body = shown.indexOf(samples[i], header);
        EXPECT_GT(body, header) << "sample " << i << " missing:\n" << shown.toStdString();
        EXPECT_LT(body, next) << "sample " << i << " under the wrong header";
        previous = header;
    }

    // One sample: its answer alone, as before.
    play->setSamples(1);
    play->send();
    ASSERT_TRUE(waitUntil(
        [&] { return play->progressText().startsWith(QStringLiteral("Finished: 1 of 1")); },
        30000));
    ASSERT_EQ(play->sampleTexts().size(), 1);
    EXPECT_EQ(play->answerText(), play->sampleTexts().at(0));
    EXPECT_FALSE(play->answerText().contains(QStringLiteral("Sample 1 of")));
}
