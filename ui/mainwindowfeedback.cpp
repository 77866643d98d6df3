// MainWindow's feedback part: the Inbox dock (View → Inbox, Ctrl+Shift+K) with the feedback
// inbox's questions, its history and the judges' calibration; the number of open questions on
// the dock's tab and in the status bar. The inbox is read again when the workspace changes,
// after every engine job (evaluations and tournaments raise questions), and every minute while
// the dock is visible (a digest falls due on its cadence).

#include "ui/mainwindow.h"

#include "core/engine/evaluationengine.h"
#include "core/generate/generationspec.h"
#include "ui/feedback/calibrationview.h"
#include "ui/feedback/definitionwizard.h"
#include "ui/feedback/inboxpanel.h"
#include "ui/generate/generationpanel.h"
#include "ui/llm/llmenginehost.h"
#include "ui/problemspanel.h"
#include "ui/workspacecontroller.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QStatusBar>
#include <QTimer>

namespace crucible {

namespace {
constexpr int kInboxPollMs = 60'000;
} // namespace

void MainWindow::createFeedbackDock()
{
    m_inbox = new InboxPanel(this);
    m_calibration = new CalibrationView(this);
    m_inbox->addPage(m_calibration, tr("Calibration"));
    m_inboxDock = new QDockWidget(tr("Inbox"), this);
    m_inboxDock->setObjectName(QStringLiteral("inboxDock"));
    m_inboxDock->setWidget(m_inbox);
    addDockWidget(Qt::BottomDockWidgetArea, m_inboxDock);
    if (m_trainingDock)
        tabifyDockWidget(m_trainingDock, m_inboxDock);
    m_inboxDock->hide(); // opened from View (Ctrl+Shift+K) or the status bar count

    m_inboxLabel = new QLabel(this);
    m_inboxLabel->setObjectName(QStringLiteral("statusInbox"));
    m_inboxLabel->setToolTip(tr("Open questions in the feedback inbox (View → Inbox, "
                                "Ctrl+Shift+K)"));
    statusBar()->addPermanentWidget(m_inboxLabel);
    connect(m_inbox, &InboxPanel::openCountChanged, this, [this](int open) {
        m_inboxDock->setWindowTitle(open > 0 ? tr("Inbox (%1)").arg(open) : tr("Inbox"));
        m_inboxLabel->setText(open > 0 ? tr("Inbox: %n open", nullptr, open) : QString());
        m_inboxLabel->setVisible(open > 0);
    });
    connect(m_inbox, &InboxPanel::answered, m_calibration, &CalibrationView::refresh);
    const auto follow = [this](Workspace *ws) {
        m_inbox->setWorkspace(ws);
        m_calibration->setWorkspace(ws);
    };
    connect(m_controller, &WorkspaceController::workspaceChanged, this, follow);
    follow(m_controller->workspace());
    if (m_llm)
        connect(m_llm->evaluation(), &EvaluationEngine::jobFinished, this, [this] {
            m_inbox->refresh();
            m_calibration->refresh();
        });
    auto *poll = new QTimer(this);
    poll->setInterval(kInboxPollMs);
    connect(poll, &QTimer::timeout, this, [this] {
        if (m_inboxDock->isVisible())
            m_inbox->refresh();
    });
    poll->start();

    QAction *toggle = m_inboxDock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    connect(toggle, &QAction::triggered, m_inboxDock, [this](bool shown) {
        if (!shown)
            return;
        m_inboxDock->raise();
        if (!m_inboxDock->isFloating() && m_inboxDock->height() < height() / 2)
            resizeDocks({m_inboxDock}, {height() * 11 / 20}, Qt::Vertical);
        m_inbox->refresh();
        m_inbox->questionList()->setFocus(); // the keys answer from here
    });
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), toggle);

    if (auto *generate = findChild<QMenu *>(QStringLiteral("generateMenu"))) {
        QAction *define = new QAction(tr("&Define a Problem with Questions…"), this);
        define->setObjectName(QStringLiteral("defineProblemAction"));
        define->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
        define->setEnabled(m_llm != nullptr);
        connect(define, &QAction::triggered, this, &MainWindow::openDefinitionWizard);
        generate->insertAction(generate->actions().value(0), define);
    }
}

void MainWindow::openDefinitionWizard()
{
    Workspace *ws = m_controller->workspace();
    if (!m_llm || !ws || ws->isReadOnly()) {
        statusBar()->showMessage(tr("Open a workspace (not read-only) first (File → New / "
                                    "Open)."),
                                 8000);
        return;
    }
    auto *wizard = new DefinitionWizard(m_llm, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setProviders(m_generation ? m_generation->providers() : QList<LlmProviderInfo>(),
                         m_generation ? m_generation->defaultProvider() : QString());
    connect(wizard, &DefinitionWizard::problemCreated, this,
            [this](const QString &problemId, bool generate) {
                statusBar()->showMessage(tr("Problem %1 defined, with its rubric and test "
                                            "cases.")
                                             .arg(problemId),
                                         8000);
                m_controller->refreshStats();
                // The table reads the new problem (it was empty on a new workspace), then it
                // is shown.
                m_problems->reload();
                m_problems->selectProblem(problemId);
                if (generate && m_generation) {
                    m_generation->setCurrentProblem(problemId);
                    m_generation->openDialog(GenerationKind::Variations);
                }
            });
    wizard->open(); // window-modal, no nested event loop
}

} // namespace crucible
