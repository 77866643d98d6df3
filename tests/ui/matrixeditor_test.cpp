#include "core/generate/pictmodel.h"
#include "tests/ui/uitestsupport.h"
#include "ui/matrix/constrainteditor.h"
#include "ui/matrix/matrixdocument.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/matrix/paircoverageview.h"
#include "ui/models/matrixdimensionmodel.h"
#include "ui/models/matrixrowsmodel.h"
#include "ui/models/paircoveragemodel.h"

#include <QComboBox>
#include <QDeadlineTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QUndoStack>
#include <gtest/gtest.h>

using namespace crucible;

namespace {
using crucible::uitest::waitUntil;

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

const char *const kModel = "OS: Linux, Windows, Mac\n"
                           "Browser: Firefox, Chrome, Edge\n"
                           "Locale: en, de, fr\n"
                           "Plan: Free, Pro, Team\n";

class MatrixEditorTest : public ::testing::Test
{
protected:
    bool settle()
    {
        return waitUntil([this] { return !panel.isAnalysing(); }, 20000);
    }

    MatrixEditorPanel panel;
};

} // namespace

TEST_F(MatrixEditorTest, StartsWithAWorkingExample)
{
    ASSERT_TRUE(settle());
    EXPECT_GE(panel.document()->dimensions()->rowCount(), 3);
    EXPECT_TRUE(panel.canGenerate());
    EXPECT_TRUE(panel.generateButton()->isEnabled());
    EXPECT_GT(panel.rowsModel()->rowCount(), 0);
    EXPECT_EQ(panel.undoStack()->count(), 0); // the example is not an undo step
    EXPECT_TRUE(panel.statusText().startsWith(s("Valid model"))) << qPrintable(panel.statusText());
}

TEST_F(MatrixEditorTest, LiveCountsForThreeToTheFour)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    ASSERT_TRUE(settle());
    EXPECT_EQ(panel.analysis().product, 81);
    EXPECT_EQ(panel.analysis().allowedRows, 81);
    EXPECT_EQ(panel.analysis().rows.size(), 9u);
    EXPECT_EQ(panel.analysis().requiredTuples, 6 * 9);
    EXPECT_EQ(panel.countLabel(s("product"))->text(), s("81"));
    EXPECT_EQ(panel.countLabel(s("covering"))->text(), s("9"));
    EXPECT_EQ(panel.countLabel(s("allowed"))->text(), s("81"));
    EXPECT_EQ(panel.rowsModel()->rowCount(), 9);
    EXPECT_EQ(panel.rowsModel()->columnCount(), 4);

    panel.setStrength(3);
    ASSERT_TRUE(settle());
    EXPECT_EQ(panel.analysis().strength, 3);
    EXPECT_GE(panel.analysis().rows.size(), 27u);

    // A constraint shrinks the allowed rows: OS=Mac excludes Edge (9 of 81 rows).
    panel.setStrength(2);
    panel.document()->setConstraints(s("IF [OS] = \"Mac\" THEN [Browser] <> \"Edge\";\n"));
    ASSERT_TRUE(settle());
    EXPECT_EQ(panel.analysis().allowedRows, 72);
}

TEST_F(MatrixEditorTest, EveryEditUndoesToTheExactPriorText)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    MatrixDimensionModel *dims = panel.document()->dimensions();
    // The PICT text plus what is not part of it.
    const auto snapshot = [&]() -> QString {
        return panel.pictText() +
               QStringLiteral("|t=%1|s=%2").arg(panel.strength()).arg(panel.seed());
    };
    QStringList texts{snapshot()};
    const auto step = [&](auto edit) {
        edit();
        EXPECT_NE(snapshot(), texts.last());
        texts << snapshot();
    };
    step([&] { panel.addDimension(); });
    step([&] { dims->setData(dims->index(4, MatrixDimensionModel::NameColumn), s("Region")); });
    step([&] {
        dims->setData(dims->index(4, MatrixDimensionModel::ValuesColumn), s("EU, US (2), APAC"));
    });
    step([&] { dims->setData(dims->index(4, MatrixDimensionModel::WeightsColumn), s("3, 1, 1")); });
    step([&] { panel.moveDimension(4, -1); });
    step([&] { panel.removeDimension(0); });
    step([&] { panel.setStrength(3); });
    step([&] { panel.setSeed(42); });
    step([&] { QTest::keyClicks(panel.constraintEditor(), s("[Plan] <> \"Team\";")); });
    EXPECT_TRUE(texts.last().contains(s("Region: EU (3), US, APAC"))) << qPrintable(texts.last());
    EXPECT_TRUE(panel.pictText().endsWith(s("\n\n[Plan] <> \"Team\";\n")));
    EXPECT_EQ(panel.seed(), 42u);
    EXPECT_EQ(panel.strength(), 3);
    // Typing merged into one command: one undo step per edit above (+ the import).
    ASSERT_EQ(panel.undoStack()->count(), 1 + texts.size() - 1);

    for (qsizetype i = texts.size() - 1; i > 0; --i) {
        panel.undoStack()->undo();
        EXPECT_EQ(snapshot(), texts[i - 1]) << "undoing step " << i;
    }
    EXPECT_EQ(panel.constraintEditor()->toPlainText(), QString());
    EXPECT_EQ(panel.strength(), 2);
    EXPECT_EQ(panel.seed(), 1u);
    for (qsizetype i = 1; i < texts.size(); ++i) {
        panel.undoStack()->redo();
        EXPECT_EQ(snapshot(), texts[i]) << "redoing step " << i;
    }
    // The editor shows the redone text, and Ctrl+Z inside it goes through the stack.
    EXPECT_EQ(panel.constraintEditor()->toPlainText(), s("[Plan] <> \"Team\";"));
    QTest::keyClick(panel.constraintEditor(), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(snapshot(), texts[texts.size() - 2]);
    QTest::keyClick(panel.constraintEditor(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(snapshot(), texts.last());
}

TEST_F(MatrixEditorTest, ConstraintTypingMergesUntilANewLine)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    const int before = panel.undoStack()->count();
    ConstraintEditor *editor = panel.constraintEditor();
    QTest::keyClicks(editor, s("[OS] = \"Mac\";"));
    EXPECT_EQ(panel.undoStack()->count(), before + 1);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    EXPECT_EQ(panel.undoStack()->count(), before + 1); // deleting at the caret merges too
    QTest::keyClick(editor, Qt::Key_Return);
    EXPECT_EQ(panel.undoStack()->count(), before + 2);
    panel.undoStack()->undo();
    EXPECT_EQ(editor->toPlainText(), s("[OS] = \"Mac"));
    panel.undoStack()->undo();
    EXPECT_EQ(editor->toPlainText(), QString());
}

TEST_F(MatrixEditorTest, ConstraintSyntaxErrorReportsLineAndColumnAndDisablesGenerate)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    ASSERT_TRUE(settle());
    ASSERT_TRUE(panel.canGenerate());
    // Line 3, column 22: THEN is missing before [Plan].
    panel.document()->setConstraints(s("# comment\n"
                                       "IF [OS] = \"Mac\" THEN [Browser] <> \"Edge\";\n"
                                       "IF [Locale] = \"de\"   [Plan] = \"Pro\";\n"));
    EXPECT_FALSE(panel.generateButton()->isEnabled()); // stale until analysed
    ASSERT_TRUE(settle());
    EXPECT_TRUE(panel.statusText().contains(s("Constraints 3:22:")))
        << qPrintable(panel.statusText());
    EXPECT_FALSE(panel.canGenerate());
    EXPECT_FALSE(panel.generateButton()->isEnabled());
    EXPECT_FALSE(panel.generateAction()->isEnabled());
    const QList<QTextEdit::ExtraSelection> marks = panel.constraintEditor()->errorSelections();
    ASSERT_EQ(marks.size(), 2);
    EXPECT_EQ(marks[1].cursor.blockNumber(), 2);
    EXPECT_EQ(marks[1].cursor.selectionStart() - marks[1].cursor.block().position(), 21);
    EXPECT_EQ(marks[1].format.underlineStyle(), QTextCharFormat::WaveUnderline);

    QSignalSpy requested(&panel, &MatrixEditorPanel::generateRequested);
    panel.requestGeneration();
    EXPECT_EQ(requested.count(), 0);

    // An unknown parameter is reported where it is written; fixing it clears the mark.
    panel.document()->setConstraints(s("[Nope] = \"x\";\n"));
    ASSERT_TRUE(settle());
    EXPECT_TRUE(panel.statusText().contains(s("Constraints 1:1: unknown parameter [Nope]")))
        << qPrintable(panel.statusText());
    panel.document()->setConstraints(s("[OS] = \"Linux\";\n"));
    ASSERT_TRUE(settle());
    EXPECT_TRUE(panel.canGenerate());
    EXPECT_TRUE(panel.constraintEditor()->errorSelections().isEmpty());
}

TEST_F(MatrixEditorTest, InvalidDimensionsBlockGenerationWithAMessage)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    ASSERT_TRUE(settle());
    panel.editDimension(1, MatrixDimensionModel::NameColumn, s("os"));
    EXPECT_FALSE(panel.canGenerate());
    EXPECT_TRUE(panel.statusText().startsWith(s("Dimension 2 (os)")));
    panel.undoStack()->undo();
    ASSERT_TRUE(settle());
    EXPECT_TRUE(panel.canGenerate());
}

TEST_F(MatrixEditorTest, ImportExportRoundTripAndImportErrors)
{
    QTemporaryDir dir;
    const QString in = dir.filePath(s("in.pict"));
    const QString out = dir.filePath(s("out.pict"));
    const QByteArray text = "Size: Small (2), Medium, Large\n"
                            "Color: Red | Crimson, Green, Blue\n"
                            "Shape: Round, Square\n"
                            "\n"
                            "# big things are never round\n"
                            "IF [Size] = \"Large\" THEN [Shape] <> \"Round\";\n"
                            "# crimson only when small or medium\n"
                            "[Color] <> \"Crimson\" OR [Size] IN {\"Small\", \"Medium\"};\n";
    {
        QFile f(in);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    ASSERT_TRUE(panel.importPictFile(in)) << qPrintable(panel.lastError());
    EXPECT_EQ(panel.pictText(), QString::fromUtf8(text));
    ASSERT_TRUE(panel.exportPictFile(out));
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray exported = f.readAll();
    EXPECT_EQ(exported, text);
    EXPECT_EQ(PictModel::parse(exported.toStdString()), PictModel::parse(text.toStdString()));

    const QString before = panel.pictText();
    const QString bad = dir.filePath(s("bad.pict"));
    QFile b(bad);
    ASSERT_TRUE(b.open(QIODevice::WriteOnly));
    b.write("A: x, y\nB: p, q\n\nIF [A] = \"x\" THEN [B] = ;\n");
    b.close();
    EXPECT_FALSE(panel.importPictFile(bad));
    EXPECT_TRUE(panel.lastError().startsWith(bad + s(":4:"))) << qPrintable(panel.lastError());
    EXPECT_TRUE(panel.statusText().contains(bad + s(":4:")));
    EXPECT_EQ(panel.pictText(), before); // nothing changed
}

TEST_F(MatrixEditorTest, PairCoverageMatchesTheRowsAndGreysImpossiblePairs)
{
    ASSERT_TRUE(panel.loadPictText(
        s("Channel: Email, Chat, Phone\nTier: Free, Pro, Enterprise\nIssue: Billing, Bug, "
          "Outage\n\nIF [Tier] = \"Free\" THEN [Channel] <> \"Phone\";\n")));
    ASSERT_TRUE(settle());
    PairCoverageView *view = panel.pairView();
    view->choose(1, 0); // Tier × Channel (transposed from how feasibility is stored)
    PairCoverageModel *model = view->model();
    ASSERT_EQ(model->rowCount(), 3);
    ASSERT_EQ(model->columnCount(), 3);
    const auto &rows = panel.analysis().rows;
    for (int t = 0; t < 3; ++t) {
        for (int c = 0; c < 3; ++c) {
            const auto expected = std::count_if(rows.begin(), rows.end(), [&](const auto &row) {
                return row[1] == t && row[0] == c;
            });
            EXPECT_EQ(model->count(t, c), expected) << t << "," << c;
            const bool impossible = t == 0 && c == 2;
            EXPECT_EQ(model->state(t, c), impossible ? PairCoverageModel::State::Impossible
                                                     : PairCoverageModel::State::Covered);
        }
    }
    EXPECT_EQ(model->uncoveredCount(), 0);
    EXPECT_EQ(model->index(0, 2).data().toString(), s("–"));
    EXPECT_EQ(model->index(0, 2).data(Qt::BackgroundRole).value<QBrush>().style(),
              Qt::BDiagPattern);

    // Picking through the combo boxes gives the same grid for another pair.
    view->firstCombo()->setCurrentIndex(2);
    view->secondCombo()->setCurrentIndex(1);
    EXPECT_EQ(model->impossibleCount(), 0);
    int total = 0;
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j)
            total += model->count(i, j);
    }
    EXPECT_EQ(total, static_cast<int>(rows.size()));
}

TEST_F(MatrixEditorTest, GenerateRequestedCarriesTextStrengthAndSeed)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    panel.setStrength(3);
    panel.setSeed(7);
    ASSERT_TRUE(settle());
    ASSERT_TRUE(panel.generateButton()->isEnabled());
    QSignalSpy requested(&panel, &MatrixEditorPanel::generateRequested);
    panel.generateButton()->click();
    panel.generateAction()->trigger();
    ASSERT_EQ(requested.count(), 2);
    EXPECT_EQ(requested[0][0].toString(), panel.pictText());
    EXPECT_EQ(requested[0][1].toInt(), 3);
    EXPECT_EQ(requested[0][2].value<quint64>(), 7u);
    EXPECT_EQ(panel.strengthBox()->value(), 3);
    EXPECT_EQ(panel.seedBox()->value(), 7);
}

TEST_F(MatrixEditorTest, KeyboardShortcutsReorderAndGenerate)
{
    ASSERT_TRUE(panel.loadPictText(s(kModel)));
    panel.resize(1200, 800);
    panel.show();
    panel.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&panel));
    ASSERT_TRUE(settle());

    // Alt+Down / Alt+Up move the current dimension, each one undo step.
    QTableView *table = panel.dimensionTable();
    table->setFocus();
    table->setCurrentIndex(panel.document()->dimensions()->index(0, 0));
    QTest::keyClick(table, Qt::Key_Down, Qt::AltModifier);
    EXPECT_EQ(panel.document()->dimensions()->dimension(1).name, s("OS"));
    EXPECT_EQ(table->currentIndex().row(), 1);
    QTest::keyClick(table, Qt::Key_Up, Qt::AltModifier);
    EXPECT_EQ(panel.document()->dimensions()->dimension(0).name, s("OS"));
    ASSERT_TRUE(settle());

    // Ctrl+Enter from inside the constraint editor generates instead of inserting a line.
    QSignalSpy requested(&panel, &MatrixEditorPanel::generateRequested);
    panel.constraintEditor()->setFocus();
    QTest::keyClick(panel.constraintEditor(), Qt::Key_Return, Qt::ControlModifier);
    EXPECT_EQ(requested.count(), 1);
    EXPECT_EQ(panel.constraintEditor()->toPlainText(), QString());
}
