// File → Import…: the preview of the first records, the automatic mapping and editing it, the
// check that lists invalid records with line and column before importing, all-or-nothing
// imports, skipping invalid records, and importing into a new dataset (all in the background).

#include "core/store/datasetrepository.h"
#include "ui/import/importdialog.h"
#include "ui/models/importpreviewmodel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

class ImportDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_dialog = std::make_unique<ImportDialog>(m_data.path);
        m_dialog->show();
    }

    QString write(const char *name, const QByteArray &content)
    {
        const QString path = m_data.dir.filePath(QString::fromUtf8(name));
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(content);
        return path;
    }

    // Opens the file and waits for the preview and the check that follows it.
    void open(const QString &path, qint64 valid, qint64 invalid)
    {
        QSignalSpy preview(m_dialog.get(), &ImportDialog::previewReady);
        QSignalSpy checked(m_dialog.get(), &ImportDialog::checkFinished);
        m_dialog->setFile(path);
        ASSERT_TRUE(preview.wait(10000));
        ASSERT_TRUE(checked.wait(10000));
        EXPECT_EQ(checked.last().at(0).toLongLong(), valid);
        EXPECT_EQ(checked.last().at(1).toLongLong(), invalid);
    }

    qint64 problems() const
    {
        auto ws = Workspace::open(m_data.path, Workspace::Mode::ReadOnly);
        return ProblemRepository(*ws).count();
    }

    ScopedSettings m_settings;
    TempWorkspace m_data{3, QStringLiteral("import.crucible")};
    std::unique_ptr<ImportDialog> m_dialog;
};

const QByteArray kWithError =
    "{\"prompt\":\"Plan a ward rota\",\"difficulty\":\"hard\",\"topic\":\"health\"}\n"
    "{\"prompt\":\"Route the vans\",\"difficulty\":\"galactic\"}\n"
    "{\"prompt\":\"Balance the books\",\"note\":\"x\"}\n";

} // namespace

TEST(ImportPreviewModelTest, HeadersNameTheFieldEachColumnBecomes)
{
    ImportPreviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const ImportPreview p = ProblemImporter::previewData(
        "{\"question\":\"Q\",\"x\":1}\n", QStringLiteral("a.jsonl"), ProblemFileFormat::Jsonl, 5);
    model.setPreview(p);
    ASSERT_EQ(model.columnCount(), 2);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.headerData(0, Qt::Horizontal).toString(),
              QStringLiteral("question\n→ statement"));
    EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(),
              QStringLiteral("x\n→ metadata (kept as is)"));
    EXPECT_EQ(model.index(0, 1).data().toString(), QStringLiteral("1"));
    QSignalSpy header(&model, &QAbstractItemModel::headerDataChanged);
    model.setMapping(ImportMapping{{{QStringLiteral("x"), ImportField::Statement}}});
    EXPECT_EQ(header.count(), 1);
    EXPECT_EQ(model.headerData(0, Qt::Horizontal, ImportPreviewModel::FieldRole).toString(),
              QString());
    EXPECT_EQ(model.headerData(1, Qt::Horizontal, ImportPreviewModel::FieldRole).toString(),
              QStringLiteral("statement"));
}

TEST_F(ImportDialogTest, PreviewMappingAndErrorsWithLineAndColumnBeforeImporting)
{
    open(write("rota.jsonl", kWithError), 2, 1);
    ImportPreviewModel *model = m_dialog->previewModel();
    EXPECT_EQ(model->rowCount(), 3);
    EXPECT_EQ(model->preview().columns,
              (QStringList{QStringLiteral("prompt"), QStringLiteral("difficulty"),
                           QStringLiteral("topic"), QStringLiteral("note")}));
    ASSERT_NE(m_dialog->fieldCombo(QStringLiteral("prompt")), nullptr);
    EXPECT_EQ(m_dialog->fieldCombo(QStringLiteral("prompt"))->currentData().toString(),
              QStringLiteral("statement"));
    EXPECT_EQ(m_dialog->fieldCombo(QStringLiteral("topic"))->currentData().toString(),
              QStringLiteral("domain"));
    EXPECT_EQ(m_dialog->fieldCombo(QStringLiteral("note"))->currentData().toString(), QString());
    EXPECT_FALSE(m_dialog->mapping()); // automatic: what the CLI does

    const QStringList issues = m_dialog->issues();
    ASSERT_EQ(issues.size(), 1);
    EXPECT_TRUE(issues[0].startsWith(QStringLiteral("rota.jsonl:2:28: field \"difficulty\" is "
                                                    "\"galactic\"")))
        << issues[0].toStdString();
    EXPECT_FALSE(m_dialog->importButton()->isEnabled());
    EXPECT_EQ(problems(), 3); // the check wrote nothing

    // All or nothing, as the CLI: the import fails and writes nothing.
    QSignalSpy finished(m_dialog.get(), &ImportDialog::importFinished);
    m_dialog->skipInvalidBox()->setChecked(true);
    EXPECT_TRUE(m_dialog->importButton()->isEnabled());
    m_dialog->skipInvalidBox()->setChecked(false);
    m_dialog->startImport();
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_FALSE(finished.at(0).at(0).toBool());
    EXPECT_TRUE(m_dialog->statusText().startsWith(QStringLiteral("Nothing was imported")))
        << m_dialog->statusText().toStdString();
    EXPECT_TRUE(m_dialog->issues().value(0).startsWith(QStringLiteral("rota.jsonl:2:28:")));
    EXPECT_EQ(problems(), 3);

    // Skipping the invalid record imports the other two and lists the skipped one afterwards.
    m_dialog->skipInvalidBox()->setChecked(true);
    m_dialog->startImport();
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_TRUE(finished.at(1).at(0).toBool());
    EXPECT_EQ(finished.at(1).at(1).toLongLong(), 2);
    EXPECT_EQ(problems(), 5);
    EXPECT_EQ(m_dialog->issues().size(), 1);
}

TEST_F(ImportDialogTest, AnEditedMappingIsCheckedAndImportedIntoANewDataset)
{
    const QString path = write("qa.csv", "question,body,area\n"
                                         "\"What is due?\",\"Invoices from May\",finance\n"
                                         "\"Which van?\",\"Three routes\",logistics\n");
    open(path, 2, 0);
    EXPECT_EQ(m_dialog->fieldCombo(QStringLiteral("question"))->currentData().toString(),
              QStringLiteral("statement"));
    EXPECT_EQ(m_dialog->fieldCombo(QStringLiteral("area"))->currentData().toString(), QString());

    QSignalSpy checked(m_dialog.get(), &ImportDialog::checkFinished);
    m_dialog->setColumnField(QStringLiteral("area"), ImportField::Domain);
    m_dialog->setColumnField(QStringLiteral("body"), ImportField::Statement);
    ASSERT_TRUE(m_dialog->mapping());
    EXPECT_EQ(m_dialog->previewModel()->headerData(2, Qt::Horizontal).toString(),
              QStringLiteral("area\n→ domain"));
    ASSERT_TRUE(checked.wait(10000)); // re-checked with the new mapping
    EXPECT_EQ(checked.last().at(1).toLongLong(), 0);
    EXPECT_TRUE(m_dialog->importButton()->isEnabled());

    m_dialog->datasetBox()->setChecked(true);
    EXPECT_EQ(m_dialog->datasetNameEdit()->text(), QStringLiteral("qa"));
    m_dialog->datasetNameEdit()->setText(QStringLiteral("Questions"));
    QSignalSpy finished(m_dialog.get(), &ImportDialog::importFinished);
    m_dialog->importButton()->click();
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_TRUE(finished.at(0).at(0).toBool()) << m_dialog->statusText().toStdString();
    const QString datasetId = finished.at(0).at(2).toString();
    ASSERT_FALSE(datasetId.isEmpty());

    auto ws = Workspace::open(m_data.path, Workspace::Mode::ReadOnly);
    const auto d = DatasetRepository(*ws).get(datasetId);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->name, QStringLiteral("Questions"));
    ASSERT_EQ(d->problemIds.size(), 2);
    const auto p = ProblemRepository(*ws).get(d->problemIds[0]);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->statement, QStringLiteral("What is due?\n\nInvoices from May"));
    EXPECT_EQ(p->domain, QStringLiteral("finance"));
    EXPECT_EQ(p->origin, ProblemOrigin::Import);
}

TEST_F(ImportDialogTest, AFileThatCannotBeReadSaysWhereAndWhy)
{
    QSignalSpy preview(m_dialog.get(), &ImportDialog::previewReady);
    m_dialog->setFile(write("broken.csv", "statement\n\"never closed\n"));
    ASSERT_TRUE(preview.wait(10000));
    ASSERT_EQ(m_dialog->issues().size(), 1);
    EXPECT_TRUE(m_dialog->issues()[0].contains(QStringLiteral("broken.csv:2:1: unterminated")))
        << m_dialog->issues()[0].toStdString();
    EXPECT_FALSE(m_dialog->importButton()->isEnabled());

    m_dialog->setFile(write("notes.txt", "hello"));
    ASSERT_TRUE(preview.wait(10000));
    EXPECT_TRUE(m_dialog->statusText().contains(QStringLiteral("unknown file type")))
        << m_dialog->statusText().toStdString();
}
