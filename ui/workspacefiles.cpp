#include "ui/workspacefiles.h"

#include "core/store/sampledata.h"
#include "core/store/workspace.h"
#include "ui/recentworkspaces.h"
#include "ui/workspacecontroller.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include <algorithm>

namespace crucible {

namespace {

QString fileFilter()
{
    return WorkspaceFiles::tr("Crucible workspaces (*.crucible)");
}

// A folder a person would not find in a file manager: any dot-folder on the way, or the
// application's own data folder.
bool isHiddenFolder(const QString &folder)
{
    const QString appData =
        QFileInfo(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
            .absoluteFilePath();
    const QString absolute = QFileInfo(folder).absoluteFilePath();
    if (!appData.isEmpty() && absolute.startsWith(appData))
        return true;
    const QStringList parts = absolute.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return std::any_of(parts.begin(), parts.end(),
                       [](const QString &part) { return part.startsWith(QLatin1Char('.')); });
}

} // namespace

WorkspaceFiles::WorkspaceFiles(WorkspaceController *controller, QWidget *window)
    : QObject(window)
    , m_controller(controller)
    , m_window(window)
{
}

QString WorkspaceFiles::visibleDefaultFolder()
{
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!documents.isEmpty() && QFileInfo(documents).isDir() && !isHiddenFolder(documents))
        return documents;
    return QDir::homePath();
}

QString WorkspaceFiles::startFolder() const
{
    if (m_controller->workspace()) {
        const QString folder = QFileInfo(m_controller->path()).absolutePath();
        if (!isHiddenFolder(folder))
            return folder;
    }
    return visibleDefaultFolder();
}

void WorkspaceFiles::newWorkspace()
{
    askForNewWorkspace({});
}

void WorkspaceFiles::withWritableWorkspace(std::function<void()> then)
{
    const Workspace *ws = m_controller->workspace();
    if (ws && !ws->isReadOnly()) {
        then();
        return;
    }
    askForNewWorkspace(std::move(then));
}

void WorkspaceFiles::askForNewWorkspace(std::function<void()> then)
{
    auto *dialog = new QFileDialog(m_window,
                                   tr("New Workspace — where should Crucible keep your "
                                      "problems?"),
                                   startFolder(), fileFilter());
    dialog->setObjectName(QStringLiteral("newWorkspaceDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("crucible"));
    dialog->setOption(QFileDialog::DontConfirmOverwrite); // existing files are opened, not replaced
    dialog->selectFile(tr("problems.crucible"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, then](const QString &path) { createAt(path, then); });
    dialog->open();
}

void WorkspaceFiles::createAt(QString path, const std::function<void()> &then)
{
    if (!path.endsWith(QLatin1String(".crucible")))
        path += QStringLiteral(".crucible");
    if (QFileInfo::exists(path)) {
        auto *box = new QMessageBox(
            QMessageBox::Question, tr("New Workspace"),
            tr("%1 already exists. A new workspace never replaces a file.\n\nOpen it instead?")
                .arg(QDir::toNativeSeparators(path)),
            QMessageBox::Open | QMessageBox::Cancel, m_window);
        box->setObjectName(QStringLiteral("workspaceExistsQuestion"));
        box->setDefaultButton(QMessageBox::Open);
        box->setWindowModality(Qt::WindowModal);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, path, then](int result) {
            if (result != QMessageBox::Open)
                return;
            openPath(path);
            const Workspace *ws = m_controller->workspace();
            if (then && ws && !ws->isReadOnly() &&
                m_controller->path() == QFileInfo(path).absoluteFilePath())
                then();
        });
        box->open();
        return;
    }
    if (!m_controller->create(path)) {
        showError(tr("Could not create the workspace"), m_controller->lastError());
        return;
    }
    emit recentChanged();
    if (then)
        then();
}

void WorkspaceFiles::openWorkspace()
{
    auto *dialog = new QFileDialog(m_window, tr("Open Workspace"), startFolder(),
                                   fileFilter() % QStringLiteral(";;") % tr("All files (*)"));
    dialog->setObjectName(QStringLiteral("openWorkspaceDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &WorkspaceFiles::openPath);
    dialog->open();
}

void WorkspaceFiles::openPath(const QString &path)
{
    if (m_controller->open(path)) {
        emit recentChanged();
        return;
    }
    if (!QFileInfo::exists(path))
        RecentWorkspaces::remove(path);
    emit recentChanged();
    showError(tr("Could not open the workspace"), m_controller->lastError());
}

void WorkspaceFiles::openExample()
{
    QString path;
    try {
        path = SampleData::ensureExampleWorkspace();
    } catch (const std::exception &e) {
        showError(tr("Could not create the example workspace"),
                  tr("%1\n\nThe example lives at %2.")
                      .arg(QString::fromUtf8(e.what()),
                           QDir::toNativeSeparators(SampleData::exampleWorkspacePath())));
        return;
    }
    openPath(path);
}

void WorkspaceFiles::showError(const QString &title, const QString &message)
{
    emit errorOccurred(title, message);
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("workspaceError"));
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace crucible
