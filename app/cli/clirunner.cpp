#include "app/cli/clirunner.h"

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "core/model/validationerror.h"
#include "core/store/problemimporter.h"
#include "core/store/workspace.h"
#include "core/store/workspaceerror.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <sstream>

namespace crucible::cli {

std::vector<std::unique_ptr<Command>> Command::all()
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(makeInitCommand());
    commands.push_back(makeImportCommand());
    commands.push_back(makeExportCommand());
    commands.push_back(makeProblemsCommand());
    commands.push_back(makeShowCommand());
    commands.push_back(makeLineageCommand());
    commands.push_back(makeDatasetsCommand());
    commands.push_back(makeStatsCommand());
    commands.push_back(makeCallsCommand());
    commands.push_back(makeLlmCommand());
    commands.push_back(makeMatrixCommand());
    commands.push_back(makeGenerateCommand());
    commands.push_back(makeSolveCommand());
    commands.push_back(makeEvaluateCommand());
    commands.push_back(makeResumeCommand());
    commands.push_back(makeJobsCommand());
    commands.push_back(makeAgentsCommand());
    commands.push_back(makeTournamentCommand());
    commands.push_back(makeRatingsCommand());
    commands.push_back(makeTrainCommand());
    commands.push_back(makeRunsCommand());
    commands.push_back(makeStatusCommand());
    commands.push_back(makeReportCommand());
    commands.push_back(makeInboxCommand());
    commands.push_back(makeCalibrationCommand());
    commands.push_back(makeDefineCommand());
    return commands;
}

QString versionText()
{
    return QStringLiteral("crucible-cli %1 (workspace schema %2, Qt %3)")
        .arg(QStringLiteral(CRUCIBLE_VERSION))
        .arg(Workspace::kSchemaVersion)
        .arg(QString::fromUtf8(qVersion()));
}

namespace {

constexpr const char *kJsonHelp = "Print machine-readable JSON on stdout";

int execute(Command &command, Console &console)
{
    try {
        return command.execute(console);
    } catch (const CliError &e) {
        console.out().flush();
        console.error(e.message());
        if (!e.hint().isEmpty())
            console.hint(e.hint());
    } catch (const WorkspaceError &e) {
        console.out().flush();
        console.error(e.message());
    } catch (const ImportError &e) {
        console.out().flush();
        console.error(e.issue().toString());
    } catch (const ValidationError &e) {
        console.out().flush();
        console.error(e.message());
    } catch (const std::exception &e) {
        console.out().flush();
        console.error(QStringLiteral("crucible-cli %1 failed unexpectedly: %2")
                          .arg(QString::fromUtf8(command.name()), QString::fromUtf8(e.what())));
    }
    return ExitFailure;
}

} // namespace

int run(const QStringList &args, QTextStream &out, QTextStream &err, const TerminalInfo &terminal)
{
    Console console(out, err, terminal);
    CLI::App app("Crucible: synthetic data generation and agent learning, headless.",
                 "crucible-cli");
    app.require_subcommand(1);
    app.set_version_flag("-V,--version", versionText().toStdString());
    app.add_flag("--json", console.jsonFlag(), kJsonHelp);
    app.footer("Exit status: 0 success, 1 failure, 2 usage error.\n"
               "Run `crucible-cli COMMAND --help` for the options of a command.");
    app.get_formatter()->column_width(32);

    const std::vector<std::unique_ptr<Command>> commands = Command::all();
    std::vector<CLI::App *> subcommands;
    for (const auto &command : commands) {
        CLI::App *sub = app.add_subcommand(command->name(), command->description());
        command->configure(*sub);
        sub->add_flag("--json", console.jsonFlag(), kJsonHelp);
        subcommands.push_back(sub);
    }

    std::vector<std::string> argv;
    argv.reserve(static_cast<std::size_t>(args.size()));
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    std::reverse(argv.begin(), argv.end()); // CLI11 consumes the vector from its back

    try {
        app.parse(argv);
    } catch (const CLI::ParseError &e) {
        std::ostringstream helpOut;
        std::ostringstream helpErr;
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
            app.exit(e, helpOut, helpErr); // --help, --version
            out << QString::fromStdString(helpOut.str());
            out.flush();
            return ExitOk;
        }
        if (args.isEmpty()) {
            err << QString::fromStdString(app.help());
            err.flush();
            return ExitUsage;
        }
        QString usage = QStringLiteral("crucible-cli --help");
        for (const CLI::App *sub : subcommands)
            if (sub->parsed())
                usage = QStringLiteral("crucible-cli %1 --help")
                            .arg(QString::fromStdString(sub->get_name()));
        console.error(QString::fromStdString(e.what()));
        console.hint(QStringLiteral("run `%1` for usage").arg(usage));
        return ExitUsage;
    }

    for (std::size_t i = 0; i < commands.size(); ++i)
        if (subcommands[i]->parsed())
            return execute(*commands[i], console);
    return ExitUsage; // unreachable: require_subcommand(1)
}

} // namespace crucible::cli
