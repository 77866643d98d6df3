// The Agents panel (the personality sliders) and its models: a slider updates the band text and
// the live prompt, one drag is one undo step, Save writes a new version, templates cannot be
// saved, history restore, the radar's ghost, the View → Agents action, and Clone & specialize
// through the engine thread with the Simulated provider.

#include "core/store/agentrepository.h"
#include "llmwindow.h"
#include "ui/agents/agentdraft.h"
#include "ui/agents/agenteditor.h"
#include "ui/agents/agentspanel.h"
#include "ui/agents/clonespecializedialog.h"
#include "ui/agents/promptdiff.h"
#include "ui/agents/traitradarchart.h"
#include "ui/agents/traitsliders.h"
#include "ui/mainwindow.h"
#include "ui/models/agentlistmodel.h"
#include "ui/models/agentversionmodel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUndoStack>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

struct PanelFixture
{
    QTemporaryDir dir;
    std::unique_ptr<Workspace> ws;
    AgentsPanel panel;

    PanelFixture()
    {
        ws = Workspace::create(dir.filePath(QStringLiteral("agents.crucible")));
        panel.setWorkspace(ws.get());
        panel.resize(1400, 800);
        panel.show();
    }

    int versions(const QString &agentId) const
    {
        return static_cast<int>(AgentRepository(*ws).versions(agentId).size());
    }

    // A drag: press, move through values, release.
    static void drag(QSlider *slider, std::initializer_list<int> values)
    {
        slider->setSliderDown(true);
        for (int v : values)
            slider->setValue(v);
        slider->setSliderDown(false);
    }
};

} // namespace

TEST(AgentModels, PassTheModelTesterAndGroupByRole)
{
    AgentListModel list;
    QAbstractItemModelTester listTester(&list,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
    std::vector<AgentRecord> agents(4);
    const char *roles[] = {"generator", "generator", "critic", "mediator"};
    for (int i = 0; i < 4; ++i) {
        agents[static_cast<size_t>(i)].id = QStringLiteral("agt_%1").arg(i);
        agents[static_cast<size_t>(i)].role = QString::fromLatin1(roles[i]);
        agents[static_cast<size_t>(i)].name = QStringLiteral("A%1").arg(i);
        agents[static_cast<size_t>(i)].headVersion = i + 1;
    }
    agents[1].isTemplate = true;
    list.setAgents(agents);
    ASSERT_EQ(list.rowCount(), 3);
    EXPECT_EQ(list.rowCount(list.index(0, 0)), 2);
    EXPECT_EQ(list.index(0, 0).data().toString(), QStringLiteral("Generator (2)"));
    EXPECT_EQ(list.index(2, 0).data().toString(), QStringLiteral("Mediator (1)"));
    const QModelIndex tpl = list.indexOf(QStringLiteral("agt_1"));
    EXPECT_TRUE(tpl.data(AgentListModel::IsTemplateRole).toBool());
    EXPECT_TRUE(tpl.data().toString().contains(QStringLiteral("template")));
    EXPECT_EQ(list.parent(tpl), list.index(0, 0));
    EXPECT_FALSE(list.agentAt(list.index(0, 0)));
    list.setAgents({});
    EXPECT_EQ(list.rowCount(), 0);

    AgentVersionModel history;
    QAbstractItemModelTester historyTester(&history,
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
    std::vector<AgentVersion> versions(2);
    versions[0].id = QStringLiteral("agv_1");
    versions[0].version = 1;
    versions[0].definition.traits[QStringLiteral("rigor")] = 10;
    versions[1].id = QStringLiteral("agv_2");
    versions[1].version = 2;
    versions[1].definition.traits[QStringLiteral("rigor")] = 80;
    history.setVersions(versions);
    EXPECT_EQ(history.rowCount(), 2);
    EXPECT_EQ(history.index(0, 0).data().toString(), QStringLiteral("v2 (current)"));
    EXPECT_EQ(history.head()->id, QStringLiteral("agv_2"));
    EXPECT_TRUE(history.index(0, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("rigor 10→80")));
}

TEST(PromptDiff, MarksAddedAndRemovedLines)
{
    const auto lines = promptdiff::diff(QStringLiteral("a\nb\nc"), QStringLiteral("a\nB\nc\nd"));
    EXPECT_EQ(promptdiff::changedLines(lines), 3);
    const QString html = promptdiff::toHtml(lines);
    EXPECT_TRUE(html.contains(QStringLiteral("line-through;\">- b")));
    EXPECT_TRUE(html.contains(QStringLiteral("#d4f7d4;\">+ B")));
}

TEST(AgentsPanel, ASliderUpdatesTheBandAndTheLivePromptAndOneDragIsOneUndoStep)
{
    PanelFixture f;
    AgentsPanel &panel = f.panel;
    EXPECT_EQ(panel.listModel()->agentCount(), 4); // the templates
    const QString id = panel.createAgent(QStringLiteral("generator"));
    ASSERT_FALSE(id.isEmpty());
    EXPECT_EQ(panel.currentAgentId(), id);
    TraitSliders *sliders = panel.editor()->sliders();
    QSlider *creativity = sliders->slider(QStringLiteral("creativity"));
    ASSERT_TRUE(creativity);
    EXPECT_EQ(creativity->value(), 70);
    EXPECT_EQ(sliders->bandText(QStringLiteral("creativity")), QStringLiteral("creative"));
    EXPECT_TRUE(creativity->isEnabled());
    const QString before = panel.draft()->renderedPrompt();
    EXPECT_TRUE(before.contains(QStringLiteral("You are creative.")));

    const int steps = panel.undoStack()->count();
    PanelFixture::drag(creativity, {60, 45, 30, 20});
    EXPECT_EQ(panel.undoStack()->count(), steps + 1);
    EXPECT_EQ(panel.draft()->trait(QStringLiteral("creativity")), 20);
    EXPECT_EQ(sliders->bandText(QStringLiteral("creativity")), QStringLiteral("very conventional"));
    EXPECT_FALSE(sliders->behaviourText(QStringLiteral("creativity")).isEmpty());
    const QString after = panel.draft()->renderedPrompt();
    EXPECT_TRUE(after.contains(QStringLiteral("You are very conventional.")));
    EXPECT_TRUE(panel.promptView()->toPlainText().contains(
        QStringLiteral("+ - You are very conventional.")))
        << panel.promptView()->toPlainText().toStdString();
    EXPECT_TRUE(panel.promptCaption()->text().contains(QStringLiteral("unsaved")));
    EXPECT_TRUE(panel.saveButton()->isEnabled());
    // The radar ghosts the saved version.
    EXPECT_TRUE(panel.radar()->ghostSeries()->isVisible());
    EXPECT_EQ(panel.radar()->currentSeries()->count(), 8); // 7 spokes + closing point
    EXPECT_DOUBLE_EQ(panel.radar()->currentSeries()->at(0).y(), 20);
    EXPECT_DOUBLE_EQ(panel.radar()->ghostSeries()->at(0).y(), 70);

    // A key press is one step too.
    creativity->setFocus();
    creativity->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    EXPECT_EQ(panel.undoStack()->count(), steps + 2);
    EXPECT_EQ(panel.draft()->trait(QStringLiteral("creativity")), 21);

    panel.undoStack()->undo();
    panel.undoStack()->undo();
    EXPECT_EQ(panel.draft()->trait(QStringLiteral("creativity")), 70);
    EXPECT_EQ(creativity->value(), 70);
    EXPECT_EQ(sliders->bandText(QStringLiteral("creativity")), QStringLiteral("creative"));
    EXPECT_EQ(panel.draft()->renderedPrompt(), before);
    EXPECT_FALSE(panel.saveButton()->isEnabled());
    panel.undoStack()->redo();
    EXPECT_EQ(creativity->value(), 20);

    // Typing a name is one merged step.
    QLineEdit *name = panel.editor()->nameEdit();
    const int beforeTyping = panel.undoStack()->index();
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Ada"));
    EXPECT_EQ(panel.undoStack()->index(), beforeTyping + 1);
    EXPECT_TRUE(panel.draft()->renderedPrompt().startsWith(QStringLiteral("You are Ada,")));
}

TEST(AgentsPanel, SaveWritesANewVersionAndHistoryRestores)
{
    PanelFixture f;
    AgentsPanel &panel = f.panel;
    const QString id = panel.createAgent(QStringLiteral("critic"));
    ASSERT_EQ(f.versions(id), 1);
    const QString v1 = panel.draft()->head().id;
    PanelFixture::drag(panel.editor()->sliders()->slider(QStringLiteral("rigor")), {40, 10});
    QSignalSpy saved(&panel, &AgentsPanel::agentSaved);
    ASSERT_TRUE(panel.save());
    EXPECT_EQ(saved.count(), 1);
    EXPECT_EQ(f.versions(id), 2);
    const auto head = AgentRepository(*f.ws).head(id);
    EXPECT_EQ(head->definition.traits.at(QStringLiteral("rigor")), 10);
    EXPECT_EQ(head->note, QStringLiteral("rigor 85→10"));
    EXPECT_EQ(panel.draft()->head().id, head->id);
    EXPECT_FALSE(panel.draft()->isModified());
    EXPECT_EQ(panel.historyModel()->rowCount(), 2);
    EXPECT_TRUE(panel.undoStack()->isClean());
    EXPECT_FALSE(panel.saveButton()->isEnabled());
    EXPECT_FALSE(panel.save()); // nothing to save
    EXPECT_EQ(f.versions(id), 2);
    // Unmodified: the caption compares v2 with v1 and the ghost shows v1.
    EXPECT_TRUE(panel.promptCaption()->text().contains(QStringLiteral("v2 against v1")));
    EXPECT_DOUBLE_EQ(panel.radar()->ghostSeries()->at(1).y(), 85);

    ASSERT_TRUE(panel.restoreVersion(v1));
    EXPECT_EQ(f.versions(id), 3);
    EXPECT_EQ(panel.draft()->head().version, 3);
    EXPECT_EQ(panel.draft()->trait(QStringLiteral("rigor")), 85);
    EXPECT_EQ(panel.editor()->sliders()->slider(QStringLiteral("rigor"))->value(), 85);
    EXPECT_EQ(panel.historyModel()->rowCount(), 3);
}

TEST(AgentsPanel, TemplatesAreReadOnlyAndCannotBeSaved)
{
    PanelFixture f;
    AgentsPanel &panel = f.panel;
    ASSERT_TRUE(panel.selectAgent(QStringLiteral("agt_tpl_critic")));
    EXPECT_TRUE(panel.draft()->isTemplate());
    EXPECT_FALSE(panel.templateBanner()->isHidden());
    EXPECT_FALSE(panel.editor()->sliders()->slider(QStringLiteral("rigor"))->isEnabled());
    EXPECT_TRUE(panel.editor()->nameEdit()->isReadOnly());
    EXPECT_FALSE(panel.saveButton()->isEnabled());
    EXPECT_TRUE(panel.cloneButton()->isEnabled());
    // Even a draft changed behind the widgets' back is refused.
    panel.draft()->setTrait(QStringLiteral("rigor"), 5);
    QSignalSpy errors(&panel, &AgentsPanel::errorOccurred);
    EXPECT_FALSE(panel.save());
    ASSERT_EQ(errors.count(), 1);
    EXPECT_TRUE(errors.at(0).at(0).toString().contains(QStringLiteral("template")));
    EXPECT_EQ(f.versions(QStringLiteral("agt_tpl_critic")), 1);
    EXPECT_EQ(AgentRepository(*f.ws)
                  .head(QStringLiteral("agt_tpl_critic"))
                  ->definition.traits.at(QStringLiteral("rigor")),
              85);
}

TEST(AgentsPanel, CloneWithoutAnEngineClonesNameAndSpecialization)
{
    PanelFixture f;
    AgentsPanel &panel = f.panel;
    ASSERT_TRUE(panel.selectAgent(QStringLiteral("agt_tpl_generator")));
    CloneSpecializeDialog *dialog = panel.cloneCurrent();
    ASSERT_TRUE(dialog);
    EXPECT_FALSE(dialog->cloneButton()->isEnabled());
    EXPECT_FALSE(dialog->suggestButton()->isEnabled());
    dialog->specializationEdit()->setText(QStringLiteral("chess"));
    EXPECT_TRUE(dialog->cloneButton()->isEnabled());
    QSignalSpy cloned(dialog, &CloneSpecializeDialog::cloned);
    dialog->applyClone();
    ASSERT_EQ(cloned.count(), 1);
    const QString id = cloned.at(0).at(0).toString();
    EXPECT_EQ(panel.currentAgentId(), id);
    EXPECT_EQ(panel.draft()->head().parentVersionId, QStringLiteral("agv_tpl_generator_1"));
    EXPECT_EQ(panel.draft()->definition().identity.name, QStringLiteral("Solver (chess)"));
    EXPECT_FALSE(panel.draft()->isTemplate());
}

TEST(AgentsPanel, CloneAndSpecializeAsksTheModelOnTheEngineThread)
{
    ScopedSettings settings;
    LlmWindow app(QStringLiteral("clone.crucible"));
    ASSERT_TRUE(app.open());
    AgentsPanel *panel = app.window->agentsPanel();
    ASSERT_TRUE(panel);
    ASSERT_TRUE(panel->selectAgent(QStringLiteral("agt_tpl_critic")));
    ASSERT_TRUE(waitUntil([&] { return panel->providerCount() > 0; }, 10000));
    CloneSpecializeDialog *dialog = panel->cloneCurrent();
    ASSERT_TRUE(dialog);
    dialog->specializationEdit()->setText(QStringLiteral("tax law"));
    ASSERT_TRUE(dialog->suggestButton()->isEnabled());
    QSignalSpy suggested(dialog, &CloneSpecializeDialog::suggested);
    dialog->requestSuggestion();
    EXPECT_FALSE(dialog->suggestButton()->isEnabled()); // busy, and the window stays responsive
    ASSERT_TRUE(suggested.wait(30000));
    ASSERT_TRUE(suggested.at(0).at(0).toBool()) << dialog->statusLabel()->text().toStdString();
    const SpecializationSuggestion &s = dialog->suggestion();
    EXPECT_EQ(dialog->adjustmentsTable()->rowCount(), static_cast<int>(s.adjustments.size()));
    for (const TraitAdjustment &a : s.adjustments)
        EXPECT_LE(std::abs(a.delta), CloneSpecializer::kMaxDelta);
    // Nothing is written until Clone.
    auto reader = Workspace::open(app.path, Workspace::Mode::ReadOnly);
    EXPECT_EQ(AgentRepository(*reader).count(), 4);
    QSignalSpy cloned(dialog, &CloneSpecializeDialog::cloned);
    dialog->applyClone();
    ASSERT_EQ(cloned.count(), 1);
    EXPECT_EQ(AgentRepository(*reader).count(), 5);
    EXPECT_EQ(AgentRepository(*reader).agent(cloned.at(0).at(0).toString())->clonedFrom,
              QStringLiteral("agv_tpl_critic_1"));
}

TEST(AgentsPanel, ViewAgentsOpensTheDock)
{
    ScopedSettings settings;
    TempWorkspace temp(3);
    WorkspaceController controller;
    MainWindow window(&controller);
    window.resize(1600, 1000);
    window.show();
    ASSERT_TRUE(controller.open(temp.path));
    auto *action = window.findChild<QAction *>(QStringLiteral("agentsAction"));
    ASSERT_TRUE(action);
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    EXPECT_FALSE(window.agentsDock()->isVisible());
    action->trigger();
    EXPECT_TRUE(window.agentsDock()->isVisible());
    EXPECT_EQ(window.agentsPanel()->listModel()->agentCount(), 4);
}
