#include "ui/agents/agentspanel.h"

#include "core/agents/traitcatalogue.h"
#include "core/llm/prompttemplates.h"
#include "core/store/agentrepository.h"
#include "ui/agents/agentdraft.h"
#include "ui/agents/agenteditor.h"
#include "ui/agents/clonespecializedialog.h"
#include "ui/agents/promptdiff.h"
#include "ui/agents/replacedefinitioncommand.h"
#include "ui/agents/traitradarchart.h"
#include "ui/models/agentlistmodel.h"
#include "ui/models/agentversionmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStringBuilder>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

namespace crucible {

AgentsPanel::AgentsPanel(QWidget *parent)
    : QWidget(parent)
    , m_templates(std::make_unique<PromptTemplates>())
    , m_draft(new AgentDraft(*m_templates, this))
    , m_undo(new QUndoStack(this))
    , m_list(new AgentListModel(this))
    , m_history(new AgentVersionModel(this))
    , m_listView(new QTreeView(this))
    , m_historyView(new QTableView(this))
    , m_editor(new AgentEditor(m_draft, m_undo, this))
    , m_radar(new TraitRadarChart(this))
    , m_prompt(new QTextBrowser(this))
    , m_promptCaption(new QLabel(this))
    , m_banner(new QLabel(this))
    , m_status(new QLabel(this))
    , m_new(new QToolButton(this))
    , m_cloneButton(new QPushButton(tr("C&lone && specialize…"), this))
    , m_save(new QPushButton(tr("&Save version"), this))
    , m_revert(new QPushButton(tr("Re&vert"), this))
    , m_restore(new QPushButton(tr("&Restore this version"), this))
    , m_undoButton(new QToolButton(this))
    , m_redoButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("agentsPanel"));

    // Left: the agents by role, and the selected agent's versions.
    m_listView->setObjectName(QStringLiteral("agentList"));
    m_listView->setModel(m_list);
    m_listView->setHeaderHidden(true);
    m_listView->setUniformRowHeights(true);
    m_listView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_new->setText(tr("&New agent"));
    m_new->setPopupMode(QToolButton::InstantPopup);
    auto *newMenu = new QMenu(m_new);
    for (const QString &role : builtInAgentRoles()) {
        QAction *a = newMenu->addAction(AgentListModel::roleTitle(role));
        connect(a, &QAction::triggered, this, [this, role] { createAgent(role); });
    }
    m_new->setMenu(newMenu);
    m_historyView->setObjectName(QStringLiteral("agentHistory"));
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyView->verticalHeader()->hide();
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_new);
    listButtons->addWidget(m_cloneButton);
    listButtons->addStretch();
    leftLayout->addLayout(listButtons);
    auto *leftSplit = new QSplitter(Qt::Vertical, left);
    leftSplit->addWidget(m_listView);
    auto *historyBox = new QWidget(leftSplit);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(new QLabel(tr("Version history"), historyBox));
    historyLayout->addWidget(m_historyView);
    historyLayout->addWidget(m_restore);
    leftSplit->addWidget(historyBox);
    leftLayout->addWidget(leftSplit);

    // Middle: the editor with its actions.
    auto *middle = new QWidget(this);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    auto *actions = new QHBoxLayout;
    auto *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undo);
    addAction(redo);
    // Fixed captions (the actions' texts name the step, in the tooltip) so the row never jumps.
    m_undoButton->setText(tr("Undo"));
    m_redoButton->setText(tr("Redo"));
    connect(m_undoButton, &QToolButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redoButton, &QToolButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, m_undoButton, &QToolButton::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, m_redoButton, &QToolButton::setEnabled);
    connect(m_undo, &QUndoStack::undoTextChanged, m_undoButton,
            [this](const QString &text) { m_undoButton->setToolTip(tr("Undo %1").arg(text)); });
    connect(m_undo, &QUndoStack::redoTextChanged, m_redoButton,
            [this](const QString &text) { m_redoButton->setToolTip(tr("Redo %1").arg(text)); });
    m_undoButton->setEnabled(false);
    m_redoButton->setEnabled(false);
    auto *saveAction = new QAction(this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(saveAction);
    connect(saveAction, &QAction::triggered, this, [this] { save(); });
    actions->addWidget(m_save);
    actions->addWidget(m_revert);
    actions->addWidget(m_undoButton);
    actions->addWidget(m_redoButton);
    actions->addWidget(m_status, 1);
    middleLayout->addLayout(actions);
    m_banner->setObjectName(QStringLiteral("templateBanner"));
    m_banner->setWordWrap(true);
    m_banner->setText(tr("This is a template: it is never changed. Use Clone & specialize to "
                         "make an agent of your own from it."));
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); "
                                           "padding: 4px; border: 1px solid palette(mid); }"));
    middleLayout->addWidget(m_banner);
    auto *scroll = new QScrollArea(middle);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_editor);
    middleLayout->addWidget(scroll, 1);

    // Right: radar and prompt.
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_radar);
    auto *promptBox = new QWidget(right);
    auto *promptLayout = new QVBoxLayout(promptBox);
    promptLayout->setContentsMargins(0, 0, 0, 0);
    m_promptCaption->setWordWrap(true);
    promptLayout->addWidget(m_promptCaption);
    m_prompt->setObjectName(QStringLiteral("systemPrompt"));
    promptLayout->addWidget(m_prompt);
    right->addWidget(promptBox);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(middle);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 4);
    split->setStretchFactor(2, 4);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(m_listView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &AgentsPanel::onSelectionChanged);
    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &AgentsPanel::updateActions);
    connect(m_draft, &AgentDraft::changed, this, &AgentsPanel::onDraftChanged);
    connect(m_save, &QPushButton::clicked, this, [this] { save(); });
    connect(m_revert, &QPushButton::clicked, this, [this] {
        if (m_draft->isModified())
            m_undo->push(new ReplaceDefinitionCommand(m_draft, m_draft->definition(),
                                                      m_draft->head().definition,
                                                      tr("Revert to the saved version")));
    });
    connect(m_restore, &QPushButton::clicked, this, [this] {
        const AgentVersion *v = m_history->versionAt(m_historyView->currentIndex().row());
        if (v)
            restoreVersion(v->id);
    });
    connect(m_cloneButton, &QPushButton::clicked, this, [this] { cloneCurrent(); });
    connect(m_undo, &QUndoStack::cleanChanged, this, &AgentsPanel::updateActions);
    onDraftChanged();
}

AgentsPanel::~AgentsPanel()
{
    if (m_dialog)
        delete m_dialog.data();
}

void AgentsPanel::setWorkspace(Workspace *ws)
{
    if (m_dialog)
        delete m_dialog.data();
    m_ws = ws;
    m_current.clear();
    m_unsaved.clear();
    m_undo->clear();
    m_draft->clear();
    if (m_ws && !m_ws->isReadOnly()) {
        try {
            AgentRepository(*m_ws, *m_templates).ensureTemplates();
        } catch (const std::exception &e) {
            emit errorOccurred(
                tr("Could not install the template agents: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    reload();
}

void AgentsPanel::setEngine(LlmEngine *engine)
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    if (engine) {
        connect(engine, &LlmEngine::providersChanged, this,
                [this](const QList<crucible::LlmProviderInfo> &providers, const QString &id,
                       const QStringList &) { onProviders(providers, id); });
        // The list the window asked for at start may have gone out before this connection.
        QMetaObject::invokeMethod(engine, &LlmEngine::reloadProviders, Qt::QueuedConnection);
    }
}

void AgentsPanel::onProviders(const QList<LlmProviderInfo> &providers, const QString &defaultId)
{
    m_providers = providers;
    m_defaultProvider = defaultId;
}

void AgentsPanel::reload()
{
    const QString keep = m_current;
    std::vector<AgentRecord> agents;
    if (m_ws) {
        try {
            agents = AgentRepository(*m_ws, *m_templates).list();
        } catch (const std::exception &e) {
            emit errorOccurred(
                tr("Could not read the agents: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    {
        const QSignalBlocker block(m_listView->selectionModel());
        m_list->setAgents(std::move(agents));
        m_listView->expandAll();
    }
    if (keep.isEmpty() || !selectAgent(keep)) {
        m_current.clear();
        if (m_list->agentCount() > 0) {
            // The first of the user's own agents, else the first template.
            QModelIndex first;
            for (int g = 0; g < m_list->rowCount() && !first.isValid(); ++g) {
                const QModelIndex group = m_list->index(g, 0);
                for (int r = 0; r < m_list->rowCount(group); ++r) {
                    const QModelIndex i = m_list->index(r, 0, group);
                    if (!i.data(AgentListModel::IsTemplateRole).toBool()) {
                        first = i;
                        break;
                    }
                }
            }
            if (!first.isValid())
                first = m_list->index(0, 0, m_list->index(0, 0));
            selectAgent(first.data(AgentListModel::IdRole).toString());
        } else {
            m_history->setVersions({});
            m_undo->clear();
            m_draft->clear();
        }
    }
    updateActions();
}

bool AgentsPanel::selectAgent(const QString &agentId)
{
    const QModelIndex index = m_list->indexOf(agentId);
    if (!index.isValid())
        return false;
    m_selecting = true;
    m_listView->setCurrentIndex(index);
    m_listView->scrollTo(index);
    m_selecting = false;
    loadAgent(agentId); // also refreshes the head and history of the current agent
    return true;
}

QString AgentsPanel::currentAgentId() const
{
    return m_current;
}

void AgentsPanel::onSelectionChanged()
{
    const AgentRecord *a = m_list->agentAt(m_listView->currentIndex());
    if (!m_selecting && a && a->id != m_current)
        loadAgent(a->id);
}

void AgentsPanel::loadAgent(const QString &agentId)
{
    if (!m_ws)
        return;
    if (!m_current.isEmpty() && m_current != agentId && m_draft->isModified())
        m_unsaved[m_current] = m_draft->definition();
    std::vector<AgentVersion> versions;
    std::optional<AgentRecord> record;
    try {
        AgentRepository repo(*m_ws, *m_templates);
        record = repo.agent(agentId);
        versions = repo.versions(agentId);
    } catch (const std::exception &e) {
        emit errorOccurred(
            tr("Could not read agent %1: %2").arg(agentId, QString::fromUtf8(e.what())));
        return;
    }
    if (!record || versions.empty())
        return;
    const bool switching = m_current != agentId;
    m_current = agentId;
    const AgentVersion head = versions.back();
    std::optional<AgentVersion> previous;
    if (versions.size() > 1)
        previous = versions[versions.size() - 2];
    m_history->setVersions(std::move(versions));
    if (switching)
        m_undo->clear();
    m_draft->load(head, previous, record->isTemplate);
    if (switching) {
        if (const auto it = m_unsaved.find(agentId); it != m_unsaved.end()) {
            m_draft->setDefinition(it->second);
            m_unsaved.erase(it);
        }
    }
    m_undo->setClean();
    updateActions();
}

void AgentsPanel::onDraftChanged()
{
    const bool loaded = m_draft->isLoaded();
    if (!loaded) {
        m_radar->clear();
        m_prompt->clear();
        m_promptCaption->clear();
        updateActions();
        return;
    }
    m_radar->setTraits(m_draft->definition(), m_draft->baseline(), m_draft->baselineLabel());
    const QString now = m_draft->renderedPrompt();
    const QString before = m_draft->baselinePrompt();
    if (!m_draft->renderError().isEmpty()) {
        m_promptCaption->setText(m_draft->renderError());
        m_prompt->setPlainText(QString());
    } else if (before.isEmpty()) {
        m_promptCaption->setText(tr("System prompt (%1)").arg(m_draft->baselineLabel()));
        m_prompt->setPlainText(now);
    } else {
        const auto lines = promptdiff::diff(before, now);
        m_promptCaption->setText(
            tr("System prompt, %1: %n line(s) changed", nullptr, promptdiff::changedLines(lines))
                .arg(m_draft->baselineLabel()));
        const int scroll =
            m_prompt->verticalScrollBar() ? m_prompt->verticalScrollBar()->value() : 0;
        m_prompt->setHtml(promptdiff::toHtml(lines));
        if (m_prompt->verticalScrollBar())
            m_prompt->verticalScrollBar()->setValue(scroll);
    }
    updateActions();
}

void AgentsPanel::updateActions()
{
    const bool loaded = m_draft->isLoaded() && m_ws;
    const bool writable = loaded && !m_ws->isReadOnly() && !m_draft->isTemplate();
    m_save->setEnabled(writable && m_draft->isModified());
    m_revert->setEnabled(writable && m_draft->isModified());
    m_banner->setVisible(loaded && m_draft->isTemplate());
    m_cloneButton->setEnabled(loaded && !m_ws->isReadOnly());
    m_new->setEnabled(m_ws && !m_ws->isReadOnly());
    const int row = m_historyView->currentIndex().row();
    m_restore->setEnabled(writable && row > 0);
    if (!loaded)
        setStatus(m_ws ? tr("No agent selected") : tr("No workspace open"));
    else if (m_draft->isModified())
        setStatus(tr("Unsaved changes to v%1").arg(m_draft->head().version));
    else
        setStatus(tr("v%1 saved").arg(m_draft->head().version));
}

void AgentsPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString AgentsPanel::statusText() const
{
    return m_status->text();
}

bool AgentsPanel::save()
{
    if (!m_ws || !m_draft->isLoaded())
        return false;
    if (m_draft->isTemplate()) {
        emit errorOccurred(tr("%1 is a template and is never changed; use Clone & specialize to "
                              "make an agent of your own from it")
                               .arg(m_draft->head().name()));
        return false;
    }
    if (!m_draft->isModified())
        return false;
    const QString changes =
        AgentVersionModel::changes(m_draft->head().definition, m_draft->definition());
    try {
        AgentRepository repo(*m_ws, *m_templates);
        const AgentVersion v = repo.update(m_current, m_draft->definition(),
                                           changes.isEmpty() ? tr("edited") : changes);
        reload();
        m_undo->setClean();
        emit agentSaved(v.agentId, v.id);
        return true;
    } catch (const std::exception &e) {
        const QString message =
            tr("Could not save %1: %2")
                .arg(m_draft->definition().identity.name, QString::fromUtf8(e.what()));
        setStatus(message);
        emit errorOccurred(message);
        return false;
    }
}

bool AgentsPanel::restoreVersion(const QString &versionId)
{
    if (!m_ws || m_current.isEmpty())
        return false;
    try {
        AgentRepository repo(*m_ws, *m_templates);
        const AgentVersion v = repo.restore(m_current, versionId);
        m_undo->clear();
        reload();
        emit agentSaved(v.agentId, v.id);
        return true;
    } catch (const std::exception &e) {
        const QString message = tr("Could not restore: %1").arg(QString::fromUtf8(e.what()));
        setStatus(message);
        emit errorOccurred(message);
        return false;
    }
}

QString AgentsPanel::createAgent(const QString &role)
{
    if (!m_ws)
        return {};
    Agent a;
    a.role = role;
    a.identity.name = tr("New %1").arg(role);
    a.traits = TraitCatalogue::defaultTraits(role);
    try {
        const AgentVersion v = AgentRepository(*m_ws, *m_templates).create(a);
        reload();
        selectAgent(v.agentId);
        return v.agentId;
    } catch (const std::exception &e) {
        emit errorOccurred(tr("Could not create an agent: %1").arg(QString::fromUtf8(e.what())));
        return {};
    }
}

CloneSpecializeDialog *AgentsPanel::cloneCurrent()
{
    if (!m_ws || !m_draft->isLoaded())
        return nullptr;
    if (m_dialog)
        delete m_dialog.data();
    m_dialog = new CloneSpecializeDialog(m_ws, m_draft->head(), m_engine.data(), m_providers,
                                         m_defaultProvider, this);
    connect(m_dialog, &CloneSpecializeDialog::cloned, this,
            [this](const QString &agentId, const QString &versionId) {
                reload();
                selectAgent(agentId);
                emit agentSaved(agentId, versionId);
            });
    m_dialog->show();
    return m_dialog;
}

} // namespace crucible
