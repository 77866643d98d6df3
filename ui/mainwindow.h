#pragma once
// The main window: composes the panels, docks, menus and status bar around a
// WorkspaceController and an LlmEngineHost (both borrowed; they must outlive the window; the
// host may be null, then the LLM panels are absent). Holds no logic of its own.

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDialog;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QStackedWidget;
class QTimer;

namespace crucible {

class AgentsPanel;
class DatasetsPanel;
class GenerationPanel;
class InteractionsViewer;
class LlmEngineHost;
class LlmStatusIndicator;
class MatrixEditorPanel;
class PlaygroundPanel;
class ProblemsPanel;
class RequestInspectorPanel;
class SolutionReviewPanel;
class TournamentDock;
class TrainingDashboard;
class InboxPanel;
class CalibrationView;
class StartPage;
class Workspace;
class WorkspaceController;
class WorkspaceFiles;
struct WorkspaceStats;
class DatasetThenTraining;
class WorkspaceOverview;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(WorkspaceController *controller, LlmEngineHost *llm = nullptr,
                        QWidget *parent = nullptr);

    ProblemsPanel *problemsPanel() const { return m_problems; }
    RequestInspectorPanel *inspector() const { return m_inspector; }
    PlaygroundPanel *playground() const { return m_playground; }
    MatrixEditorPanel *matrixEditor() const { return m_matrixEditor; }
    GenerationPanel *generationPanel() const { return m_generation; }
    QDockWidget *generationDock() const { return m_generationDock; }
    InteractionsViewer *interactionsViewer() const { return m_interactions; }
    LlmStatusIndicator *llmStatus() const { return m_llmStatus; }
    QDockWidget *inspectorDock() const { return m_inspectorDock; }
    QDockWidget *playgroundDock() const { return m_playgroundDock; }
    QDockWidget *matrixDock() const { return m_matrixDock; }
    QDockWidget *interactionsDock() const { return m_interactionsDock; }
    QMenu *recentMenu() const { return m_recentMenu; }
    DatasetsPanel *datasetsPanel() const { return m_datasets; }
    QDockWidget *datasetsDock() const { return m_datasetsDock; }
    AgentsPanel *agentsPanel() const { return m_agents; }
    QDockWidget *agentsDock() const { return m_agentsDock; }
    // View → Agents (Ctrl+Shift+A): shows, raises and enlarges the Agents dock.
    void showAgents();
    SolutionReviewPanel *solutionReview() const { return m_review; }
    QDockWidget *reviewDock() const { return m_reviewDock; }
    QDockWidget *trainingDock() const { return m_trainingDock; }
    QDockWidget *inboxDock() const { return m_inboxDock; }
    InboxPanel *inboxPanel() const { return m_inbox; }
    CalibrationView *calibrationView() const { return m_calibration; }
    TrainingDashboard *trainingDashboard() const { return m_training; }
    // Opens the Solve (or Evaluate) dialog on the selected problem, or on the selected dataset.
    void openSolveDialog(bool solve, bool onDataset);
    QString statusText() const; // the permanent status bar fields, for tests and logs

    // First start and empty workspaces show the start page instead of the Problems panel.
    StartPage *startPage() const { return m_startPage; }
    bool isStartPageShown() const;
    WorkspaceFiles *workspaceFiles() const { return m_files; }
    QAction *openExampleAction() const { return m_openExampleAction; }
    // File → Import… and the start page's "Import your own problems": makes sure a writable
    // workspace is open (asking for a new one first when needed), then shows the import dialog.
    QAction *importAction() const { return m_importAction; }
    // A generation job runs in this session; quitting then asks first (quitQuestion()).
    bool hasRunningJobs() const;
    QMessageBox *quitQuestion() const { return m_quitQuestion; }
    // Shrinks (and moves) the window into `available` when it does not fit, never below its
    // minimum size. Called when a dock opens, with the screen's available geometry.
    void fitInto(const QRect &available);

public slots:
    // File → Import… (Ctrl+I): the import dialog for the current workspace (one at a time).
    void showImportDialog();
    // File → Export Training Data… (Ctrl+Shift+E): preference pairs, solutions, Neo4j graph.
    void showTrainingExportDialog();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createGenerationDock();
    void createStartPage();
    void updateStartPage();
    void startGenerating();
    void startMatrix();
    void requestImport();
    void askToQuit();
    void createDatasetsDock();
    void createReviewDock();     // mainwindowreview.cpp: review dock, Evaluate menu
    void createTournamentDock(); // mainwindowtournament.cpp: Tournament view, its menu entries
    void createTrainingDock();   // mainwindowtraining.cpp: the Training dashboard (View)
    void createFeedbackDock();   // mainwindowfeedback.cpp: the feedback inbox and calibration
    void openDefinitionWizard(); // mainwindowfeedback.cpp: Generate → Define a Problem…
    void openTournamentDialog();
    void openNewTrainingRunDialog(); // mainwindowtraining.cpp
    void showTrainingDock();
    void addDatasetsMenuActions(QMenu *file, QMenu *view);
    void createAgentsDock();
    void addAgentsMenuAction(QMenu *view);
    void createMenus();
    void createDocks();
    void createLlmDocks();
    void showProviderSettings();
    void arrangeDocks();
    void applyDockSizes();
    QDockWidget *bottomDock() const;
    void keepOnScreenWhenShown(QDockWidget *dock);
    void restoreLayout();
    void saveLayout() const;
    void rebuildRecentMenu();
    void onWorkspaceChanged(Workspace *ws);
    void onStatsChanged(const WorkspaceStats &stats, const QString &error);
    void updateStatus(const Workspace *ws);
    void reloadWorkspace();
    void showAbout();
    void showError(const QString &title, const QString &message);

    WorkspaceController *m_controller;
    LlmEngineHost *m_llm = nullptr;
    RequestInspectorPanel *m_inspector = nullptr;
    PlaygroundPanel *m_playground = nullptr;
    LlmStatusIndicator *m_llmStatus = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QDockWidget *m_playgroundDock = nullptr;
    MatrixEditorPanel *m_matrixEditor = nullptr;
    GenerationPanel *m_generation = nullptr;
    QDockWidget *m_generationDock = nullptr;
    QTimer *m_problemsRefresh = nullptr; // coalesces live reloads while jobs add problems
    QDockWidget *m_matrixDock = nullptr;
    InteractionsViewer *m_interactions = nullptr;
    QDockWidget *m_interactionsDock = nullptr;
    ProblemsPanel *m_problems = nullptr;
    StartPage *m_startPage = nullptr;
    QStackedWidget *m_central = nullptr;
    WorkspaceFiles *m_files = nullptr;
    QAction *m_openExampleAction = nullptr;
    QAction *m_importAction = nullptr;
    QMessageBox *m_quitQuestion = nullptr;
    bool m_quitConfirmed = false;
    bool m_dockSizesPending = false; // first start: sized once the window is shown
    WorkspaceOverview *m_overview = nullptr;
    QDockWidget *m_overviewDock = nullptr;
    DatasetsPanel *m_datasets = nullptr;
    QDockWidget *m_datasetsDock = nullptr;
    AgentsPanel *m_agents = nullptr;
    QDockWidget *m_agentsDock = nullptr;
    SolutionReviewPanel *m_review = nullptr;
    QDockWidget *m_reviewDock = nullptr;
    TournamentDock *m_tournamentDock = nullptr;
    TrainingDashboard *m_training = nullptr;
    QDockWidget *m_trainingDock = nullptr;
    DatasetThenTraining *m_datasetThenTraining = nullptr; // new runs that generate a dataset
    InboxPanel *m_inbox = nullptr;
    CalibrationView *m_calibration = nullptr;
    QDockWidget *m_inboxDock = nullptr;
    QLabel *m_inboxLabel = nullptr;
    QPointer<QDialog> m_importDialog;
    QPointer<QDialog> m_trainingExportDialog;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_pathLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_schemaLabel = nullptr;
    QByteArray m_defaultState;
};

} // namespace crucible
