// MainWindow, part two: the start page (first start, empty workspace), the first steps it
// offers, and the question before quitting with a job running. Split from mainwindow.cpp to
// keep both files small; still one class.
#include "ui/mainwindow.h"

#include "core/store/workspace.h"
#include "ui/generate/generationpanel.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/problemspanel.h"
#include "ui/recentworkspaces.h"
#include "ui/startpage.h"
#include "ui/workspacecontroller.h"
#include "ui/workspacefiles.h"

#include <QAction>
#include <QCloseEvent>
#include <QCommandLinkButton>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>

namespace crucible {

void MainWindow::createStartPage()
{
    m_startPage = new StartPage(this);
    m_central = new QStackedWidget(this);
    m_central->setObjectName(QStringLiteral("centralStack"));
    m_central->addWidget(m_startPage);
    m_central->addWidget(m_problems);
    setCentralWidget(m_central);

    m_openExampleAction = new QAction(tr("Open &Example Workspace"), this);
    m_openExampleAction->setObjectName(QStringLiteral("openExampleAction"));
    m_openExampleAction->setToolTip(tr("Sample problems in a workspace of their own"));
    connect(m_openExampleAction, &QAction::triggered, m_files, &WorkspaceFiles::openExample);
    m_importAction = new QAction(tr("&Import…"), this);
    m_importAction->setObjectName(QStringLiteral("importAction"));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::requestImport);

    connect(m_startPage, &StartPage::generateRequested, this, &MainWindow::startGenerating);
    connect(m_startPage, &StartPage::matrixRequested, this, &MainWindow::startMatrix);
    connect(m_startPage, &StartPage::importRequested, m_importAction, &QAction::trigger);
    connect(m_startPage, &StartPage::exampleRequested, m_openExampleAction, &QAction::trigger);
    connect(m_startPage, &StartPage::openRequested, m_files, &WorkspaceFiles::openWorkspace);
    connect(m_startPage, &StartPage::recentRequested, m_files, &WorkspaceFiles::openPath);
    connect(m_files, &WorkspaceFiles::recentChanged, this, &MainWindow::updateStartPage);
}

bool MainWindow::isStartPageShown() const
{
    return m_central->currentWidget() == m_startPage;
}

void MainWindow::updateStartPage()
{
    const Workspace *ws = m_controller->workspace();
    // The panel's total is known as soon as a workspace opens, before the statistics arrive.
    const bool empty = !ws || m_problems->totalCount() == 0;
    m_startPage->setWorkspace(ws ? ws->path() : QString(), ws && ws->isReadOnly());
    QStringList recent;
    for (const QString &path : RecentWorkspaces::list())
        if ((!ws || path != ws->path()) && QFileInfo::exists(path))
            recent << path;
    m_startPage->setRecent(recent);
    m_startPage->generateButton()->setEnabled(m_generation != nullptr);
    m_central->setCurrentWidget(empty ? static_cast<QWidget *>(m_startPage) : m_problems);
}

void MainWindow::startGenerating()
{
    if (!m_generation)
        return;
    m_files->withWritableWorkspace([this] {
        m_generationDock->show();
        m_generation->openDialog(GenerationKind::Seeds);
    });
}

void MainWindow::startMatrix()
{
    m_matrixDock->show();
    m_matrixDock->raise();
    m_matrixEditor->setFocus();
}

void MainWindow::requestImport()
{
    m_files->withWritableWorkspace([this] { showImportDialog(); });
}

bool MainWindow::hasRunningJobs() const
{
    if (!m_generation)
        return false;
    const JobTableModel *jobs = m_generation->model();
    for (int row = 0; row < jobs->rowCount(); ++row)
        if (jobs->index(row, 0).data(JobTableModel::ActiveRole).toBool())
            return true;
    return false;
}

void MainWindow::askToQuit()
{
    if (m_quitQuestion) {
        m_quitQuestion->raise();
        return;
    }
    m_quitQuestion = new QMessageBox(
        QMessageBox::Question, tr("Quit Crucible?"),
        tr("A generation job is still running.\n\nIf you quit now it stops where it is: "
           "everything it made so far is kept, and Resume Job in Jobs continues it "
           "the next time, without making anything twice."),
        QMessageBox::Cancel, this);
    m_quitQuestion->setObjectName(QStringLiteral("quitQuestion"));
    QPushButton *quit = m_quitQuestion->addButton(tr("&Quit"), QMessageBox::AcceptRole);
    quit->setObjectName(QStringLiteral("quitButton"));
    m_quitQuestion->setDefaultButton(QMessageBox::Cancel);
    m_quitQuestion->setWindowModality(Qt::WindowModal);
    m_quitQuestion->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_quitQuestion, &QMessageBox::buttonClicked, this, [this, quit](QAbstractButton *b) {
        if (b != quit)
            return;
        m_quitConfirmed = true;
        QTimer::singleShot(0, this, &QWidget::close); // once the question has closed
    });
    connect(m_quitQuestion, &QObject::destroyed, this, [this] { m_quitQuestion = nullptr; });
    m_quitQuestion->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_quitConfirmed && hasRunningJobs()) {
        event->ignore();
        askToQuit();
        return;
    }
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace crucible
