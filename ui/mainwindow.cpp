#include "ui/mainwindow.h"

#include "core/store/workspace.h"
#include "ui/datasets/datasetspanel.h"
#include "ui/export/trainingexportdialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/import/importdialog.h"
#include "ui/interactions/interactionsviewer.h"
#include "ui/llm/llmenginehost.h"
#include "ui/llm/llmstatusindicator.h"
#include "ui/llm/playgroundpanel.h"
#include "ui/llm/requestinspectorpanel.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/problemspanel.h"
#include "ui/recentworkspaces.h"
#include "ui/settings.h"
#include "ui/settings/providersdialog.h"
#include "ui/startpage.h"
#include "ui/workspacecontroller.h"
#include "ui/workspacefiles.h"
#include "ui/workspaceoverview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace crucible {

namespace {
constexpr int kStatusMessageMs = 8000;
} // namespace

MainWindow::MainWindow(WorkspaceController *controller, LlmEngineHost *llm, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_llm(llm)
    , m_problems(new ProblemsPanel(this))
    , m_files(new WorkspaceFiles(controller, this))
{
    setObjectName(QStringLiteral("MainWindow"));
    createStartPage();
    createDocks();
    createLlmDocks();
    createDatasetsDock();
    createAgentsDock();
    createMenus();
    createReviewDock();
    createTournamentDock();
    createTrainingDock();
    createFeedbackDock();

    m_pathLabel = new QLabel(this);
    m_pathLabel->setObjectName(QStringLiteral("statusPath"));
    m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("statusCount"));
    m_schemaLabel = new QLabel(this);
    m_schemaLabel->setObjectName(QStringLiteral("statusSchema"));
    statusBar()->addPermanentWidget(m_pathLabel, 1);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_schemaLabel);
    if (m_llmStatus)
        statusBar()->addPermanentWidget(m_llmStatus);

    connect(m_controller, &WorkspaceController::workspaceChanged, this,
            &MainWindow::onWorkspaceChanged);
    connect(m_problems, &ProblemsPanel::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, kStatusMessageMs);
    });
    connect(m_controller, &WorkspaceController::statsChanged, this, &MainWindow::onStatsChanged);
    connect(m_overview, &WorkspaceOverview::domainActivated, m_problems,
            &ProblemsPanel::setDomainFilter);
    connect(m_problems, &ProblemsPanel::workspaceModified, m_controller,
            &WorkspaceController::refreshStats);
    connect(m_problems, &ProblemsPanel::currentProblemChanged, m_interactions,
            &InteractionsViewer::setProblemFilter);
    connect(
        m_interactions, &InteractionsViewer::errorOccurred, this,
        [this](const QString &message) { statusBar()->showMessage(message, kStatusMessageMs); });

    arrangeDocks(); // after every dock exists
    m_defaultState = saveState(settings::kMainWindowStateVersion);
    restoreLayout();
    onWorkspaceChanged(m_controller->workspace());
}

void MainWindow::createDocks()
{
    m_overview = new WorkspaceOverview(this);
    m_overviewDock = new QDockWidget(tr("Workspace"), this);
    m_overviewDock->setObjectName(QStringLiteral("workspaceDock"));
    m_overviewDock->setWidget(m_overview);
    m_overviewDock->setMinimumWidth(200);
    addDockWidget(Qt::LeftDockWidgetArea, m_overviewDock);
    resizeDocks({m_overviewDock}, {210}, Qt::Horizontal);
    m_matrixEditor = new MatrixEditorPanel(this);
    m_matrixDock = new QDockWidget(tr("Problem Matrix"), this);
    m_matrixDock->setObjectName(QStringLiteral("matrixDock"));
    m_matrixDock->setWidget(m_matrixEditor);
    addDockWidget(Qt::BottomDockWidgetArea, m_matrixDock);
    m_matrixDock->hide(); // opened from View (Ctrl+Shift+M)
    m_interactions = new InteractionsViewer(this);
    m_interactionsDock = new QDockWidget(tr("Interactions"), this);
    m_interactionsDock->setObjectName(QStringLiteral("interactionsDock"));
    m_interactionsDock->setWidget(m_interactions);
    addDockWidget(Qt::BottomDockWidgetArea, m_interactionsDock);
    m_interactionsDock->hide(); // opened from View (Ctrl+Shift+T)
}

void MainWindow::createLlmDocks()
{
    if (!m_llm)
        return;
    m_inspector = new RequestInspectorPanel(this);
    m_inspectorDock = new QDockWidget(tr("Request Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::BottomDockWidgetArea, m_inspectorDock);

    m_playground = new PlaygroundPanel(m_llm, this);
    m_playgroundDock = new QDockWidget(tr("LLM Playground"), this);
    m_playgroundDock->setObjectName(QStringLiteral("playgroundDock"));
    m_playgroundDock->setWidget(m_playground);
    addDockWidget(Qt::RightDockWidgetArea, m_playgroundDock);
    resizeDocks({m_playgroundDock}, {380}, Qt::Horizontal);
    resizeDocks({m_inspectorDock}, {340}, Qt::Vertical);

    m_llmStatus = new LlmStatusIndicator(this);
    m_llmStatus->setObjectName(QStringLiteral("statusLlm"));
    LlmEngine *engine = m_llm->engine();
    connect(engine, &LlmEngine::statsChanged, m_llmStatus, &LlmStatusIndicator::setStats);
    connect(engine, &LlmEngine::callRecorded, m_inspector,
            &RequestInspectorPanel::noteCallRecorded);
    connect(engine, &LlmEngine::providersChanged, m_inspector,
            &RequestInspectorPanel::setProviders);
    connect(engine, &LlmEngine::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, kStatusMessageMs);
    });
    connect(m_inspector, &RequestInspectorPanel::exportFinished, this,
            [this](const QString &path, qint64 rows, const QString &error) {
                if (!error.isEmpty())
                    showError(tr("Export failed"), error);
                else
                    statusBar()->showMessage(
                        tr("Exported %1 calls to %2").arg(rows).arg(QDir::toNativeSeparators(path)),
                        kStatusMessageMs);
            });
    createGenerationDock();
    m_llm->reloadProviders();
}

void MainWindow::createGenerationDock()
{
    m_generation = new GenerationPanel(m_llm, this);
    m_generationDock = new QDockWidget(tr("Jobs"), this);
    m_generationDock->setObjectName(QStringLiteral("generationDock"));
    m_generationDock->setWidget(m_generation);
    addDockWidget(Qt::BottomDockWidgetArea, m_generationDock);
    tabifyDockWidget(m_inspectorDock, m_generationDock);
    m_inspectorDock->raise();

    // New problems appear in the table while a job runs (at most a reload every 700 ms).
    m_problemsRefresh = new QTimer(this);
    m_problemsRefresh->setSingleShot(true);
    m_problemsRefresh->setInterval(700);
    connect(m_problemsRefresh, &QTimer::timeout, this, [this] {
        m_problems->reload();
        m_controller->refreshStats();
    });
    connect(m_generation, &GenerationPanel::problemsAdded, this, [this] {
        if (!m_problemsRefresh->isActive())
            m_problemsRefresh->start();
    });
    connect(m_generation, &GenerationPanel::problemsRemoved, this,
            [this] { m_problemsRefresh->start(); });
    connect(m_generation, &GenerationPanel::jobStarted, m_generationDock, [this] {
        m_generationDock->show();
        m_generationDock->raise();
    });
    connect(m_generation, &GenerationPanel::interactionsAdded, m_interactions,
            &InteractionsViewer::addInteractions);
    connect(m_interactions, &InteractionsViewer::generateRequested, m_generation,
            [this] { m_generation->openDialog(GenerationKind::Interactions); });
    connect(m_generation, &GenerationPanel::jobFinished, this,
            [this](const QString &jobId, int status, const QString &error) {
                m_problemsRefresh->start();
                statusBar()->showMessage(status == static_cast<int>(JobStatus::Completed)
                                             ? tr("Generation job %1 completed").arg(jobId)
                                             : tr("Generation job %1: %2").arg(jobId, error),
                                         kStatusMessageMs);
            });
    connect(m_problems, &ProblemsPanel::currentProblemChanged, m_generation,
            &GenerationPanel::setCurrentProblem);
    connect(m_matrixEditor, &MatrixEditorPanel::generateRequested, this,
            [this](const QString &pictText, int strength, quint64 seed) {
                m_generation->openMatrixDialog(pictText, strength, seed,
                                               m_matrixEditor->generationPlan());
            });
}

void MainWindow::createDatasetsDock()
{
    m_datasets = new DatasetsPanel(this);
    m_datasetsDock = new QDockWidget(tr("Datasets"), this);
    m_datasetsDock->setObjectName(QStringLiteral("datasetsDock"));
    m_datasetsDock->setWidget(m_datasets);
    addDockWidget(Qt::BottomDockWidgetArea, m_datasetsDock);
    if (m_generationDock)
        tabifyDockWidget(m_generationDock, m_datasetsDock);
    if (m_inspectorDock)
        m_inspectorDock->raise();
    m_datasets->setWorkspace(m_controller->workspace());
    connect(m_controller, &WorkspaceController::workspaceChanged, m_datasets,
            &DatasetsPanel::setWorkspace);
    connect(m_datasets, &DatasetsPanel::problemActivated, m_problems,
            &ProblemsPanel::selectProblem);
    connect(m_datasets, &DatasetsPanel::problemsChanged, this, [this] {
        m_problems->reload();
        m_controller->refreshStats();
    });
    connect(m_datasets, &DatasetsPanel::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, kStatusMessageMs);
    });
    connect(m_datasets, &DatasetsPanel::exportFinished, this,
            [this](const QString &path, qint64 problems, const QString &error) {
                statusBar()->showMessage(error.isEmpty() ? tr("Exported %1 problems to %2")
                                                               .arg(problems)
                                                               .arg(QDir::toNativeSeparators(path))
                                                         : tr("Export failed: %1").arg(error),
                                         kStatusMessageMs);
            });
    if (m_generation) // a finished job may have made a dataset
        connect(m_generation, &GenerationPanel::jobFinished, m_datasets, &DatasetsPanel::reload);
}

// file and view are each null or the menu to add the datasets' actions to.
void MainWindow::addDatasetsMenuActions(QMenu *file, QMenu *view)
{
    if (file) {
        // The start page's "Import your own problems" triggers the same action: it asks for a
        // workspace first when none is open.
        QAction *import = m_importAction;
        file->addAction(import);
        import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
        import->setToolTip(tr("Import problems from a JSONL or CSV file"));
    }
    if (view) {
        // Shows and raises the dock even when it is a tab behind another; hides it when it is
        // in front.
        QAction *datasets = view->addAction(tr("&Datasets"));
        datasets->setObjectName(QStringLiteral("datasetsAction"));
        datasets->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
        connect(datasets, &QAction::triggered, this, [this] {
            if (m_datasetsDock->isVisible() && !m_datasetsDock->visibleRegion().isEmpty()) {
                m_datasetsDock->hide();
                return;
            }
            m_datasetsDock->show();
            m_datasetsDock->raise();
            m_datasets->table()->setFocus();
        });
    }
}

void MainWindow::showImportDialog()
{
    const Workspace *ws = m_controller->workspace();
    if (!ws || ws->isReadOnly()) {
        showError(tr("Import"),
                  ws ? tr("%1 is open read-only; open a writable workspace to import into.")
                           .arg(QDir::toNativeSeparators(ws->path()))
                     : tr("No workspace is open; create or open one first (File → New / Open)."));
        return;
    }
    if (m_importDialog && m_importDialog->isVisible()) {
        m_importDialog->raise();
        m_importDialog->activateWindow();
        return;
    }
    auto *dialog = new ImportDialog(ws->path(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::importFinished, this,
            [this](bool ok, qint64 imported, const QString &datasetId) {
                if (!ok)
                    return;
                m_problems->reload();
                m_controller->refreshStats();
                m_datasets->reload();
                if (!datasetId.isEmpty())
                    m_datasets->selectDataset(datasetId);
                statusBar()->showMessage(tr("Imported %1 problems").arg(imported),
                                         kStatusMessageMs);
            });
    m_importDialog = dialog;
    dialog->open(); // window-modal, no nested event loop
}

void MainWindow::showTrainingExportDialog()
{
    const Workspace *ws = m_controller->workspace();
    if (!ws) {
        showError(tr("Export Training Data"),
                  tr("No workspace is open; create or open one first (File → New / Open)."));
        return;
    }
    if (m_trainingExportDialog && m_trainingExportDialog->isVisible()) {
        m_trainingExportDialog->raise();
        m_trainingExportDialog->activateWindow();
        return;
    }
    auto *dialog = new TrainingExportDialog(ws->path(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_trainingExportDialog = dialog;
    dialog->open(); // window-modal, no nested event loop
}

void MainWindow::showProviderSettings()
{
    auto *dialog = new ProvidersDialog(m_llm->providersFile(), m_llm->secrets(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProvidersDialog::providersChanged, m_llm, &LlmEngineHost::reloadProviders);
    dialog->open();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction =
        file->addAction(tr("&New Workspace…"), m_files, &WorkspaceFiles::newWorkspace);
    newAction->setShortcut(QKeySequence::New);
    QAction *openAction =
        file->addAction(tr("&Open Workspace…"), m_files, &WorkspaceFiles::openWorkspace);
    openAction->setShortcut(QKeySequence::Open);
    file->addAction(m_openExampleAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    m_problems->addEditActions(menuBar()->addMenu(tr("&Edit")));
    menuBar()->addMenu(tr("&Problems"))->addActions(m_problems->curationActions());
    file->addSeparator();
    addDatasetsMenuActions(file, nullptr);
    QAction *trainingExport =
        file->addAction(tr("Export &Training Data…"), this, &MainWindow::showTrainingExportDialog);
    trainingExport->setObjectName(QStringLiteral("trainingExportAction"));
    trainingExport->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    if (m_llm) {
        QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
        QAction *providers =
            settingsMenu->addAction(tr("LLM &Providers…"), this, &MainWindow::showProviderSettings);
        providers->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
        providers->setMenuRole(QAction::PreferencesRole);
    }

    if (m_generation) {
        QMenu *generate = menuBar()->addMenu(tr("&Generate"));
        generate->setObjectName(QStringLiteral("generateMenu"));
        const std::pair<GenerationKind, QString> kinds[] = {
            {GenerationKind::Seeds, tr("&Seed Problems…")},
            {GenerationKind::Variations, tr("&Variations of the Selected Problem…")},
            {GenerationKind::Dataset, tr("&Dataset…")},
            {GenerationKind::Adversarial, tr("&Adversarial Examples…")},
            {GenerationKind::Expand, tr("&Expanded Scenario…")},
            {GenerationKind::Interactions, tr("&Interactions…")}};
        for (const auto &[kind, label] : kinds) {
            const GenerationKind k = kind;
            QAction *a = generate->addAction(label, m_generation,
                                             [this, k] { m_generation->openDialog(k); });
            if (k == GenerationKind::Dataset)
                a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
        }
        generate->addAction(tr("Problem &Matrix…"), this, [this] {
            m_matrixDock->show();
            m_matrixDock->raise();
        });
        generate->addSeparator();
        QAction *jobs = m_generationDock->toggleViewAction();
        jobs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
        generate->addAction(jobs);
    }

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_overviewDock->toggleViewAction());
    m_viewMenu->addAction(m_matrixDock->toggleViewAction());
    m_matrixDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_viewMenu->addAction(m_interactionsDock->toggleViewAction());
    m_interactionsDock->toggleViewAction()->setShortcut(
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    addDatasetsMenuActions(nullptr, m_viewMenu);
    addAgentsMenuAction(m_viewMenu);
    if (m_llm) {
        QAction *inspect = m_inspectorDock->toggleViewAction();
        inspect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
        m_viewMenu->addAction(inspect);
        QAction *play = m_playgroundDock->toggleViewAction();
        play->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
        m_viewMenu->addAction(play);
    }
    m_viewMenu->addSeparator();
    QAction *reload = m_viewMenu->addAction(tr("&Reload"), this, &MainWindow::reloadWorkspace);
    reload->setShortcut(QKeySequence::Refresh);
    m_viewMenu->addAction(tr("Reset &Layout"), this, [this] {
        restoreState(m_defaultState, settings::kMainWindowStateVersion);
        applyDockSizes();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Crucible"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentWorkspaces::list();
    int number = 1;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        QString label = info.fileName() % QStringLiteral("  —  ") %
                        QDir::toNativeSeparators(info.absolutePath());
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        if (number < 10)
            label = QStringLiteral("&%1 ").arg(number) % label;
        ++number;
        QAction *action =
            m_recentMenu->addAction(label, m_files, [this, path] { m_files->openPath(path); });
        action->setData(path);
        action->setToolTip(path);
    }
    if (!paths.isEmpty())
        m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(tr("&Clear Menu"), this, [this] {
        RecentWorkspaces::clear();
        rebuildRecentMenu();
        updateStartPage();
    });
    clear->setEnabled(!paths.isEmpty());
}

void MainWindow::onWorkspaceChanged(Workspace *ws)
{
    m_problems->setWorkspace(ws);
    m_interactions->setWorkspace(ws);
    if (m_llm) {
        m_inspector->setWorkspace(ws);
        m_generation->setWorkspace(ws);
        m_llm->openWorkspace(ws && !ws->isReadOnly() ? ws->path() : QString());
    }
    m_overview->showPending(ws ? ws->path() : QString());
    if (ws)
        setWindowTitle(QFileInfo(ws->path()).fileName() % QStringLiteral(" — Crucible"));
    else
        setWindowTitle(QStringLiteral("Crucible"));
    updateStatus(ws);
    rebuildRecentMenu();
    updateStartPage();
}

void MainWindow::onStatsChanged(const WorkspaceStats &stats, const QString &error)
{
    m_overview->setStats(stats, error);
    if (!error.isEmpty()) {
        statusBar()->showMessage(error, kStatusMessageMs);
        return;
    }
    m_problems->setStats(stats);
    updateStatus(m_controller->workspace());
    updateStartPage();
}

void MainWindow::updateStatus(const Workspace *ws)
{
    if (!ws) {
        m_pathLabel->setText(tr("No workspace open"));
        m_countLabel->clear();
        m_schemaLabel->clear();
        return;
    }
    m_pathLabel->setText(QDir::toNativeSeparators(ws->path()));
    m_countLabel->setText(tr("%1 problems").arg(QLocale().toString(m_problems->totalCount())));
    QString schema = tr("Schema v%1").arg(ws->schemaVersion());
    if (ws->isReadOnly())
        schema += tr(" · read-only");
    m_schemaLabel->setText(schema);
}

QString MainWindow::statusText() const
{
    return QStringList{m_pathLabel->text(), m_countLabel->text(), m_schemaLabel->text()}.join(
        QStringLiteral(" | "));
}

void MainWindow::reloadWorkspace()
{
    m_problems->reload();
    m_datasets->reload();
    m_interactions->reload();
    m_controller->refreshStats();
}

void MainWindow::showAbout()
{
    const QString path =
        m_controller->workspace() ? QDir::toNativeSeparators(m_controller->path()) : tr("none");
    QMessageBox::about(
        this, tr("About Crucible"),
        tr("<h3>Crucible %1</h3>"
           "<p>A workbench for synthetic data generation and autonomous agent learning.</p>"
           "<p>Built with Qt %2 (running on Qt %3).</p>"
           "<p>Workspace: <code>%4</code></p>")
            .arg(QCoreApplication::applicationVersion(), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion()), path.toHtmlEscaped()));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    QMessageBox::warning(this, title, message);
}

} // namespace crucible
