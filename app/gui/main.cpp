// The Crucible desktop application: `crucible [WORKSPACE]` (or `--workspace WORKSPACE`).
// Without one it reopens the last workspace; on a first start it shows the start page.
#include "core/generate/generationspec.h"
#include "ui/generate/generatedialog.h"
#include "ui/generate/generationpanel.h"
#include "ui/interactions/interactionsviewer.h"
#include "ui/llm/llmenginehost.h"
#include "ui/llm/playgroundpanel.h"
#include "ui/llm/requestinspectorpanel.h"
#include "ui/mainwindow.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/problemspanel.h"
#include "ui/recentworkspaces.h"
#include "ui/startpage.h"
#include "ui/workspacecontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCommandLinkButton>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

using namespace crucible;

namespace {

// Screenshot mode runs unattended: errors go to stderr instead of a dialog nobody can close.
void reportError(QWidget *parent, bool unattended, const QString &title, const QString &text)
{
    if (unattended)
        std::fprintf(stderr, "crucible: %s: %s\n", qPrintable(title), qPrintable(text));
    else
        QMessageBox::warning(parent, title, text);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Crucible"));
    QCoreApplication::setApplicationName(QStringLiteral("Crucible"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CRUCIBLE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("crucible"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Workbench for synthetic data generation and agent "
                                            "learning."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("workspace"),
        QCoreApplication::translate("main", "Workspace file (*.crucible) to open; when omitted, "
                                            "the last one, or the start page on a first start."),
        QStringLiteral("[WORKSPACE]"));
    const QCommandLineOption workspaceOption(
        QStringLiteral("workspace"),
        QCoreApplication::translate("main", "Workspace file to open (same as WORKSPACE)."),
        QStringLiteral("file"));
    parser.addOption(workspaceOption);
    const QCommandLineOption problemOption(
        QStringLiteral("problem"), QCoreApplication::translate("main", "Show this problem."),
        QStringLiteral("id"));
    parser.addOption(problemOption);
    // For documentation: grabs the window to a PNG once it is laid out, then quits.
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a screenshot and quit."),
                                        QStringLiteral("file"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotOption);
    // For documentation: sends a prompt from the playground (N samples) before the screenshot.
    QCommandLineOption sendOption(QStringLiteral("send"), QStringLiteral("Send a prompt."),
                                  QStringLiteral("prompt"));
    sendOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(sendOption);
    QCommandLineOption samplesOption(QStringLiteral("samples"),
                                     QStringLiteral("Samples for --send."), QStringLiteral("n"),
                                     QStringLiteral("1"));
    samplesOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(samplesOption);
    // For documentation: shoots the Problem Matrix editor (floating, 1400×900) instead.
    QCommandLineOption matrixOption(QStringLiteral("show-matrix"),
                                    QStringLiteral("Screenshot the Problem Matrix editor."));
    matrixOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(matrixOption);
    // For documentation: opens the Generate dialog for KIND (and with --start runs it) before
    // the screenshot: the dialog alone, or the window once the job has finished.
    QCommandLineOption generateOption(QStringLiteral("generate"),
                                      QStringLiteral("Open the Generate dialog."),
                                      QStringLiteral("kind"));
    generateOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(generateOption);
    QCommandLineOption startOption(QStringLiteral("start"), QStringLiteral("Run the job."));
    startOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(startOption);
    // For documentation: shoots the Interactions viewer (floating, 1400×900) showing the
    // interaction given with --interaction, or the first.
    QCommandLineOption interactionsOption(QStringLiteral("show-interactions"),
                                          QStringLiteral("Screenshot the Interactions viewer."));
    interactionsOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(interactionsOption);
    QCommandLineOption interactionOption(QStringLiteral("interaction"),
                                         QStringLiteral("Interaction for --show-interactions."),
                                         QStringLiteral("id"));
    interactionOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(interactionOption);
    parser.process(app);

    const QString screenshot = parser.value(screenshotOption);
    const bool unattended = !screenshot.isEmpty();
    const QString prompt = parser.value(sendOption);
    const int samples = std::max(1, parser.value(samplesOption).toInt());
    // A screenshot must not depend on, or overwrite, the user's saved layout and recent files.
    QTemporaryDir settingsDir;
    if (unattended)
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());

    WorkspaceController controller;
    LlmEngineHost llm;
    MainWindow window(&controller, &llm);

    QString requested = parser.value(workspaceOption);
    if (const QStringList args = parser.positionalArguments();
        requested.isEmpty() && !args.isEmpty())
        requested = args.first();
    if (!requested.isEmpty()) {
        if (!controller.open(requested))
            reportError(&window, unattended,
                        QCoreApplication::translate("main", "Could not open the workspace"),
                        controller.lastError() % QStringLiteral("\n\n") %
                            QCoreApplication::translate(
                                "main", "Crucible shows the start page instead: open or create "
                                        "a workspace from there or from the File menu."));
    } else {
        // The last workspace that still exists; none on a first start (the start page shows).
        for (const QString &path : RecentWorkspaces::list())
            if (QFileInfo::exists(path) && controller.open(path))
                break;
    }

    if (unattended)
        window.resize(prompt.isEmpty() ? QSize(1400, 900) : QSize(1600, 1000));
    window.show();

    // Start on a problem: the one asked for, or the first. (Focusing an item view without a
    // current item would otherwise pick the first one on its own.)
    QTableView *table = window.problemsPanel()->table();
    if (parser.isSet(problemOption)) {
        window.problemsPanel()->selectProblem(parser.value(problemOption));
    } else if (window.isStartPageShown()) {
        window.startPage()->generateButton()->setFocus();
    } else {
        table->selectRow(0);
        table->setFocus();
    }

    if (!prompt.isEmpty()) {
        window.playgroundDock()->show();
        window.inspectorDock()->raise(); // the calls are what the screenshot is about
        window.playground()->setPrompt(prompt);
        window.playground()->setSamples(samples);
        // Once the providers are known (the engine loads them on start).
        QObject::connect(
            window.playground(), &PlaygroundPanel::providersLoaded, &window,
            [&window] { window.playground()->send(); }, Qt::SingleShotConnection);
    }

    const auto generateKind = generationKindFromString(parser.value(generateOption));
    if (unattended && parser.isSet(interactionsOption)) {
        QDockWidget *dock = window.interactionsDock();
        dock->setFloating(true);
        dock->show();
        dock->resize(1400, 900);
        window.interactionsViewer()->selectInteraction(parser.value(interactionOption));
        QTimer::singleShot(500, &window, [dock, screenshot] {
            const bool saved = dock->grab().save(screenshot);
            if (!saved)
                std::fprintf(stderr, "crucible: could not write %s\n",
                             qPrintable(QDir::toNativeSeparators(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    } else if (unattended && generateKind) {
        const bool start = parser.isSet(startOption);
        const GenerationKind kind = *generateKind;
        const auto shoot = [screenshot](QWidget *widget) {
            const bool saved = widget->grab().save(screenshot);
            if (!saved)
                std::fprintf(stderr, "crucible: could not write %s\n",
                             qPrintable(QDir::toNativeSeparators(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        // The dialog lists the providers: open it once the engine has loaded them.
        QObject::connect(
            window.playground(), &PlaygroundPanel::providersLoaded, &window,
            [&window, kind, start, shoot] {
                QTimer::singleShot(200, &window, [&window, kind, start, shoot] {
                    window.generationPanel()->openDialog(kind);
                    GenerateDialog *dialog = window.generationPanel()->dialog();
                    if (!start) {
                        QTimer::singleShot(400, dialog, [dialog, shoot] { shoot(dialog); });
                        return;
                    }
                    window.generationDock()->show();
                    window.generationDock()->raise();
                    dialog->accept();
                });
            },
            Qt::SingleShotConnection);
        QObject::connect(
            window.generationPanel(), &GenerationPanel::jobFinished, &window, [&window, shoot] {
                QTimer::singleShot(1200, &window, [&window, shoot] { shoot(&window); });
            });
        QTimer::singleShot(60000, &window, [&window, shoot] { shoot(&window); });
    } else if (unattended && parser.isSet(matrixOption)) {
        QDockWidget *dock = window.matrixDock();
        dock->setFloating(true);
        dock->show();
        dock->resize(1400, 900);
        const auto shoot = [dock, screenshot] {
            const bool saved = dock->grab().save(screenshot);
            if (!saved)
                std::fprintf(stderr, "crucible: could not write %s\n",
                             qPrintable(QDir::toNativeSeparators(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        QObject::connect(
            window.matrixEditor(), &MatrixEditorPanel::analysisFinished, &window,
            [&window, shoot] { QTimer::singleShot(300, &window, shoot); },
            Qt::SingleShotConnection);
        if (!window.matrixEditor()->isAnalysing())
            QTimer::singleShot(300, &window, shoot);
        QTimer::singleShot(30000, &window, shoot);
    } else if (unattended && !prompt.isEmpty()) {

        // Shoot once every sample has finished and the inspector has caught up.
        auto finished = std::make_shared<int>(0);
        const auto shoot = [&window, screenshot] {
            window.inspector()->refreshNow();
            window.inspector()->table()->selectRow(0);
            const bool saved = window.grab().save(screenshot);
            if (!saved)
                std::fprintf(stderr, "crucible: could not write %s\n",
                             qPrintable(QDir::toNativeSeparators(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        QObject::connect(llm.engine(), &LlmEngine::chatFinished, &window,
                         [&window, finished, samples, shoot] {
                             if (++*finished == samples)
                                 QTimer::singleShot(600, &window, shoot);
                         });
        QTimer::singleShot(60000, &window, shoot);
    } else if (unattended) {
        // Shoot once the background statistics have filled the filters and the overview (or
        // after a generous timeout when they never come).
        const auto shoot = [&window, screenshot] {
            const bool saved = window.grab().save(screenshot);
            if (!saved)
                std::fprintf(stderr, "crucible: could not write %s\n",
                             qPrintable(QDir::toNativeSeparators(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        QObject::connect(&controller, &WorkspaceController::statsChanged, &window,
                         [&window, shoot] { QTimer::singleShot(300, &window, shoot); });
        QTimer::singleShot(controller.workspace() ? 30000 : 300, &window, shoot);
    }
    return app.exec();
}
