// The Generate dialog's live validation, remembered settings and matrix hints; the jobs panel's
// live detail pane, delete (problems stay or go) and the dock that comes forward.

#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "tests/ui/llmwindow.h"
#include "tests/ui/uitestsupport.h"
#include "ui/generate/generatedialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/problemspanel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::uitest::waitUntil;

namespace {

QList<LlmProviderInfo> providers()
{
    LlmProviderInfo sim;
    sim.id = QStringLiteral("simulated");
    sim.label = QStringLiteral("Simulated");
    sim.model = QStringLiteral("simulated");
    sim.simulated = true;
    LlmProviderInfo local;
    local.id = QStringLiteral("local");
    local.label = QStringLiteral("Local");
    local.model = QStringLiteral("my-local-model");
    return {sim, local};
}

struct Dialog
{
    PromptTemplates templates{QString()};
    GenerateDialog dialog{templates, PriceTable::builtIn()};
    QPushButton *ok = nullptr;

    Dialog()
    {
        dialog.setProviders(providers(), QStringLiteral("simulated"));
        ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }
    template <class T> T *child(const char *name)
    {
        return dialog.findChild<T *>(QString::fromLatin1(name));
    }
};

} // namespace

TEST(GenerateDialogValidation, AMixNotAddingUpTo100DisablesGenerateWithTheReason)
{
    GenerateDialog::forgetSettings();
    Dialog d;
    d.dialog.setKind(GenerationKind::Dataset);
    d.child<QLineEdit>("domain")->setText(QStringLiteral("hospital logistics"));
    ASSERT_TRUE(d.ok->isEnabled()) << d.dialog.problem().toStdString();

    auto spins = d.dialog.findChildren<QSpinBox *>();
    QSpinBox *simple = nullptr;
    QSpinBox *medium = nullptr;
    QSpinBox *complex = nullptr;
    for (QSpinBox *s : spins)
        if (s->suffix() == QStringLiteral(" %")) {
            if (!simple)
                simple = s;
            else if (!medium)
                medium = s;
            else
                complex = s;
        }
    ASSERT_TRUE(simple && medium && complex);
    simple->setValue(20);
    medium->setValue(50);
    complex->setValue(40);
    EXPECT_FALSE(d.ok->isEnabled()) << "20 + 50 + 40 = 110 %";
    const QString why = d.dialog.problem();
    EXPECT_TRUE(why.contains(QStringLiteral("add up to 100 %"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("lower them by 10 points")));
    auto *label = d.child<QLabel>("problem");
    EXPECT_EQ(label->text(), why) << "shown live under the form";

    // Several problems at once, each on its line.
    d.child<QLineEdit>("domain")->clear();
    EXPECT_EQ(d.dialog.problems().size(), 2) << d.dialog.problem().toStdString();

    complex->setValue(30);
    d.child<QLineEdit>("domain")->setText(QStringLiteral("rail"));
    EXPECT_TRUE(d.ok->isEnabled()) << d.dialog.problem().toStdString();
    EXPECT_TRUE(label->text().isEmpty());
}

TEST(GenerateDialogValidation, RemembersEachKindAndTakesTheDomainOnlyFromABaseProblem)
{
    GenerateDialog::forgetSettings();
    {
        Dialog d;
        d.dialog.setKind(GenerationKind::Seeds);
        d.dialog.setBaseProblem(QStringLiteral("prb_1"), QStringLiteral("Plan a rota."),
                                QStringLiteral("nursing"));
        EXPECT_TRUE(d.child<QLineEdit>("domain")->text().isEmpty())
            << "a selected row does not choose the domain of new seeds";
        d.dialog.setKind(GenerationKind::Variations);
        EXPECT_EQ(d.child<QLineEdit>("domain")->text(), QStringLiteral("nursing"));
        d.dialog.setKind(GenerationKind::Seeds);
        EXPECT_TRUE(d.child<QLineEdit>("domain")->text().isEmpty())
            << "nor does it follow from variations back into seeds";

        d.dialog.setKind(GenerationKind::Dataset);
        d.child<QLineEdit>("domain")->setText(QStringLiteral("rail freight"));
        d.child<QSpinBox>("datasetSize")->setValue(40);
        d.child<QComboBox>("provider")->setCurrentIndex(1);
        d.child<QDoubleSpinBox>("budgetUsd")->setValue(2.5);
        d.dialog.accept(); // remembered on Generate
    }
    Dialog d;
    d.dialog.setKind(GenerationKind::Dataset);
    d.dialog.setProviders(providers(), QStringLiteral("simulated"));
    EXPECT_EQ(d.child<QLineEdit>("domain")->text(), QStringLiteral("rail freight"));
    EXPECT_EQ(d.child<QSpinBox>("datasetSize")->value(), 40);
    EXPECT_EQ(d.dialog.spec().providerId, QStringLiteral("local"));
    EXPECT_DOUBLE_EQ(d.dialog.spec().budgetUsd, 2.5);
    // The local model has no price: a dollar limit cannot be kept, and the dialog says so.
    EXPECT_FALSE(d.ok->isEnabled());
    EXPECT_TRUE(d.dialog.problem().contains(QStringLiteral("no price")))
        << d.dialog.problem().toStdString();
    EXPECT_TRUE(d.dialog.estimateText().contains(QStringLiteral("unpriced")))
        << d.dialog.estimateText().toStdString();
    d.child<QComboBox>("provider")->setCurrentIndex(0);
    EXPECT_TRUE(d.ok->isEnabled()) << d.dialog.problem().toStdString();
    EXPECT_TRUE(d.dialog.estimateText().contains(QStringLiteral("$0 (free)")))
        << d.dialog.estimateText().toStdString();

    // Strategies read as words.
    d.dialog.setKind(GenerationKind::Adversarial);
    auto *strategies = d.dialog.findChildren<QListWidget *>().front();
    EXPECT_EQ(strategies->item(0)->text(), QStringLiteral("edge case"));
    GenerateDialog::forgetSettings();
}

TEST(GenerateDialogValidation, AMatrixWithoutATemplateWarnsAndThePlaceholderUsesItsDimensions)
{
    GenerateDialog::forgetSettings();
    Dialog d;
    d.dialog.setMatrix(QStringLiteral("Ward: ICU, Surgery\nResource: Nurses, Beds\n"), 2, 1, 4);
    auto *tpl = d.child<QLineEdit>("statementTemplate");
    EXPECT_TRUE(tpl->placeholderText().contains(QStringLiteral("{Ward}")))
        << tpl->placeholderText().toStdString();
    EXPECT_TRUE(tpl->placeholderText().contains(QStringLiteral("{Resource}")));
    EXPECT_FALSE(tpl->placeholderText().contains(QStringLiteral("{Channel}")));
    EXPECT_TRUE(d.dialog.matrixWarningText().contains(QStringLiteral("bare list")))
        << d.dialog.matrixWarningText().toStdString();
    EXPECT_TRUE(d.ok->isEnabled()) << "a warning, not a refusal";

    tpl->setText(QStringLiteral("{Ward} patients need {Staff}"));
    EXPECT_TRUE(d.dialog.matrixWarningText().isEmpty());
    EXPECT_FALSE(d.ok->isEnabled());
    EXPECT_TRUE(d.dialog.problem().contains(QStringLiteral("{Staff}")));
    tpl->setText(QStringLiteral("{Ward} patients need {Resource}"));
    EXPECT_TRUE(d.ok->isEnabled()) << d.dialog.problem().toStdString();
}

TEST(GenerationGui, TheDetailPaneFollowsARunningJobAndDeleteAsksWhatStays)
{
    uitest::LlmWindow app(QStringLiteral("d.crucible"));
    ASSERT_TRUE(app.open());
    MainWindow &window = *app.window;
    GenerationPanel *panel = window.generationPanel();
    JobTableModel *jobs = panel->model();
    auto *table = panel->findChild<QTableView *>(QStringLiteral("jobsTable"));
    auto *jobsDock = window.findChild<QDockWidget *>(QStringLiteral("generationDock"));
    ASSERT_TRUE(jobsDock);
    jobsDock->hide(); // closed, or behind another tab
    ASSERT_FALSE(panel->isVisible());

    GenerationSpec big;
    big.kind = GenerationKind::Dataset;
    big.domain = QStringLiteral("ports");
    big.count = 300;
    big.concurrency = 1;
    QSignalSpy started(panel, &GenerationPanel::jobStarted);
    panel->start(big);
    ASSERT_TRUE(started.wait(20000));
    EXPECT_TRUE(waitUntil([&] { return panel->isVisible(); }, 5000))
        << "a new job brings the jobs panel forward";
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 1 &&
                   jobs->index(0, 0).data(JobTableModel::AcceptedRole).toInt() >= 3;
        },
        60000));
    table->selectRow(0);
    EXPECT_TRUE(panel->detailsText().contains(QStringLiteral("running")))
        << panel->detailsText().toStdString();
    const QString first = panel->detailsText();
    ASSERT_TRUE(waitUntil([&] { return panel->detailsText() != first; }, 30000))
        << "the counts move while it runs";
    EXPECT_TRUE(panel->detailsText().contains(QStringLiteral("Running: accepted")));
    auto *del = panel->findChild<QPushButton *>(QStringLiteral("deleteJob"));
    EXPECT_FALSE(del->isEnabled()) << "a running job cannot be deleted";

    panel->cancelSelected();
    ASSERT_TRUE(waitUntil(
        [&] { return panel->detailsText().contains(QStringLiteral("cancelled")); }, 30000))
        << panel->detailsText().toStdString();
    // Resumed: the pane says running again, never "cancelled" beside a running row.
    panel->resumeSelected();
    ASSERT_TRUE(waitUntil(
        [&] { return jobs->index(0, 0).data(JobTableModel::ActiveRole).toBool(); }, 20000));
    ASSERT_TRUE(
        waitUntil([&] { return panel->detailsText().contains(QStringLiteral("running")); }, 20000));
    EXPECT_FALSE(panel->detailsText().contains(QStringLiteral("cancelled")))
        << panel->detailsText().toStdString();
    panel->cancelSelected();
    ASSERT_TRUE(waitUntil(
        [&] { return !jobs->index(0, 0).data(JobTableModel::ActiveRole).toBool(); }, 30000));

    // Delete, keeping the problems (the default button).
    ASSERT_TRUE(del->isEnabled());
    const int kept = jobs->index(0, 0).data(JobTableModel::AcceptedRole).toInt();
    ASSERT_GT(kept, 0);
    del->click();
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("deleteJobBox"));
    ASSERT_TRUE(box);
    ASSERT_TRUE(box->defaultButton());
    EXPECT_TRUE(box->defaultButton()->text().contains(QStringLiteral("Keep")));
    box->defaultButton()->click();
    ASSERT_TRUE(waitUntil([&] { return jobs->rowCount() == 0; }, 5000));
    EXPECT_TRUE(panel->statusText().contains(QStringLiteral("stay in the workspace")))
        << panel->statusText().toStdString();
    {
        auto ws = Workspace::open(app.path, Workspace::Mode::ReadOnly);
        EXPECT_EQ(ProblemRepository(*ws).count(), kept);
        EXPECT_TRUE(JobRepository(*ws).list().empty());
    }

    // A small one, deleted with its problems.
    GenerationSpec small;
    small.kind = GenerationKind::Seeds;
    small.domain = QStringLiteral("rail");
    small.count = 3;
    panel->start(small);
    ASSERT_TRUE(waitUntil(
        [&] {
            return jobs->rowCount() == 1 &&
                   jobs->index(0, JobTableModel::StatusColumn).data().toString() ==
                       QStringLiteral("completed");
        },
        60000));
    table->selectRow(0);
    QSignalSpy removed(panel, &GenerationPanel::problemsRemoved);
    ASSERT_TRUE(panel->deleteSelected(true));
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed.at(0).at(0).toStringList().size(), 3);
    EXPECT_TRUE(panel->statusText().contains(QStringLiteral("with 3 problem(s)")))
        << panel->statusText().toStdString();
    ASSERT_TRUE(waitUntil([&] { return window.problemsPanel()->totalCount() == kept; }, 10000))
        << "the problems table drops them";
}
