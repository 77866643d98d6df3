// File → Export Training Data…: counts follow the format and options (in the background), an
// empty workspace says what to do first, and exports of every kind write their files.

#include "tests/support/evaluationfixture.h"
#include "tests/support/graphfileparser.h"
#include "tests/support/testworkspace.h"
#include "ui/export/trainingexportdialog.h"
#include "ui/mainwindow.h"
#include "ui/workspacecontroller.h"
#include "uitestsupport.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

class TrainingExportDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        wsPath = dir.file(QStringLiteral("ws.crucible"));
        {
            auto ws = Workspace::create(wsPath);
            s = test::buildEvaluationScenario(*ws);
        }
        dialog = std::make_unique<TrainingExportDialog>(wsPath);
        dialog->show();
    }

    // Waits for the count that follows a change; returns (available, matched).
    std::pair<qint64, qint64> counted(const std::function<void()> &change)
    {
        QSignalSpy spy(dialog.get(), &TrainingExportDialog::countsReady);
        change();
        EXPECT_TRUE(spy.wait(10000));
        // Several quick changes: only the last count arrives.
        while (spy.wait(200)) {
        }
        return {spy.last().at(0).toLongLong(), spy.last().at(1).toLongLong()};
    }

    std::pair<qint64, QString> exported()
    {
        QSignalSpy spy(dialog.get(), &TrainingExportDialog::exportFinished);
        dialog->exportButton()->click();
        if (spy.isEmpty()) { // a refused destination answers at once
            EXPECT_TRUE(spy.wait(10000));
        }
        return {spy.last().at(1).toLongLong(), spy.last().at(2).toString()};
    }

    uitest::ScopedSettings settings;
    test::TempFolder dir;
    QString wsPath;
    test::EvaluationScenario s;
    std::unique_ptr<TrainingExportDialog> dialog;
};

TEST_F(TrainingExportDialogTest, PairOptionsChangeTheCountAndTheExport)
{
    const auto first = counted([this] { dialog->setFormat(TrainingExportFormat::DpoOpenAi); });
    EXPECT_EQ(first, (std::pair<qint64, qint64>{5, 5}));
    EXPECT_TRUE(dialog->summaryText().contains(QStringLiteral("5 of 5 preference pairs")))
        << dialog->summaryText().toStdString();
    EXPECT_TRUE(dialog->onlyAgreedBox()->isEnabled());
    const auto agreed = counted([this] { dialog->onlyAgreedBox()->setChecked(true); });
    EXPECT_EQ(agreed.second, 2);
    EXPECT_TRUE(dialog->exportButton()->isEnabled());
    EXPECT_TRUE(dialog->destination().endsWith(QStringLiteral("preference-pairs-openai.jsonl")));

    const QString out = dir.file(QStringLiteral("pairs.jsonl"));
    dialog->setDestination(out);
    const auto [written, error] = exported();
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(written, 2);
    const QList<QByteArray> lines = test::readAll(out).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    for (const QByteArray &line : lines) {
        const json j = json::parse(line.toStdString());
        EXPECT_EQ(j.at("preferred_output").at(0).at("role"), "assistant");
    }
    EXPECT_TRUE(dialog->statusText().contains(QStringLiteral("Exported 2 preference pairs")));

    const auto gap = counted([this] {
        dialog->onlyAgreedBox()->setChecked(false);
        dialog->minGapSpin()->setValue(0.5);
    });
    EXPECT_EQ(gap.second, 1); // pair3: 0.9 - 0.3
}

TEST_F(TrainingExportDialogTest, GraphFormatsWriteAScriptAndAFolder)
{
    counted([this] { dialog->setFormat(TrainingExportFormat::Cypher); });
    EXPECT_FALSE(dialog->onlyAgreedBox()->isEnabled());
    EXPECT_FALSE(dialog->onlyAcceptedBox()->isEnabled());
    EXPECT_TRUE(dialog->summaryText().contains(QStringLiteral("solutions, critiques, verdicts")))
        << dialog->summaryText().toStdString();
    const QString script = dir.file(QStringLiteral("graph.cypher"));
    dialog->setDestination(script);
    const auto cypher = exported();
    EXPECT_TRUE(cypher.second.isEmpty()) << cypher.second.toStdString();
    EXPECT_EQ(cypher.first, 36);

    counted([this] { dialog->setFormat(TrainingExportFormat::Neo4jCsv); });
    const QString folder = dir.file(QStringLiteral("neo4j"));
    dialog->setDestination(folder);
    const auto csv = exported();
    EXPECT_TRUE(csv.second.isEmpty()) << csv.second.toStdString();
    EXPECT_TRUE(QFileInfo(folder + QStringLiteral("/import.sh")).isExecutable());
    EXPECT_EQ(test::parseCypherScript(test::readAll(script).toStdString()).relationshipKeys(),
              test::parseNeo4jCsvFolder(folder).relationshipKeys());

    // A file where the folder should go is refused with a message.
    test::writeFile(dir.file(QStringLiteral("afile")), "x");
    dialog->setDestination(dir.file(QStringLiteral("afile")));
    const auto refused = exported();
    EXPECT_TRUE(refused.second.contains(QStringLiteral("go into a folder")))
        << refused.second.toStdString();
}

TEST(TrainingExportDialogEmpty, SaysWhatToRunFirstAndCannotExport)
{
    uitest::ScopedSettings settings;
    test::TempFolder dir;
    const QString wsPath = dir.file(QStringLiteral("ws.crucible"));
    Workspace::create(wsPath);
    TrainingExportDialog dialog(wsPath);
    QSignalSpy spy(&dialog, &TrainingExportDialog::countsReady);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_TRUE(dialog.summaryText().contains(
        QStringLiteral("No preference pairs: run a tournament first")))
        << dialog.summaryText().toStdString();
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    dialog.setFormat(TrainingExportFormat::Solutions);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_TRUE(dialog.summaryText().contains(QStringLiteral("No solutions yet")));
    dialog.setFormat(TrainingExportFormat::Cypher);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_TRUE(dialog.summaryText().contains(QStringLiteral("nothing to export yet")));
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
}

TEST(TrainingExportDialogMenu, TheFileMenuOpensTheDialogForTheOpenWorkspace)
{
    uitest::ScopedSettings settings;
    test::TempFolder dir;
    const QString wsPath = dir.file(QStringLiteral("ws.crucible"));
    {
        auto ws = Workspace::create(wsPath);
        test::buildEvaluationScenario(*ws);
    }
    WorkspaceController controller;
    MainWindow window(&controller);
    window.show();
    QSignalSpy stats(&controller, &WorkspaceController::statsChanged);
    ASSERT_TRUE(controller.open(wsPath)) << controller.lastError().toStdString();
    ASSERT_TRUE(stats.wait(10000));
    QAction *action = window.findChild<QAction *>(QStringLiteral("trainingExportAction"));
    ASSERT_NE(action, nullptr);
    action->trigger();
    auto *dialog = window.findChild<TrainingExportDialog *>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    QSignalSpy spy(dialog, &TrainingExportDialog::countsReady);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(spy.last().at(0).toLongLong(), 5);
    dialog->close();
}

} // namespace
