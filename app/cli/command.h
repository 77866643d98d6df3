#pragma once
// One crucible-cli subcommand: declares its arguments on a CLI11 subcommand, then runs once the
// command line has parsed. Instances live for one invocation of cli::run on one thread.

#include "app/cli/console.h"

#include <QString>
#include <memory>
#include <vector>

namespace CLI {
class App;
}

namespace crucible::cli {

class Command
{
public:
    virtual ~Command() = default;

    virtual const char *name() const = 0;
    virtual const char *description() const = 0;

    // Adds positionals and options to app; bind them to members of the command.
    virtual void configure(CLI::App &app) = 0;

    // Returns the exit code. May throw CliError, WorkspaceError, ImportError or
    // ValidationError; the runner reports them and exits with 1.
    virtual int execute(Console &console) = 0;

    // Every subcommand, in the order `--help` lists them.
    static std::vector<std::unique_ptr<Command>> all();
};

// One factory per subcommand; each lives in the command's own file (initcommand.cpp, ...).
std::unique_ptr<Command> makeInitCommand();
std::unique_ptr<Command> makeImportCommand();
std::unique_ptr<Command> makeExportCommand();
std::unique_ptr<Command> makeProblemsCommand();
std::unique_ptr<Command> makeShowCommand();
std::unique_ptr<Command> makeLineageCommand();
std::unique_ptr<Command> makeDatasetsCommand();
std::unique_ptr<Command> makeStatsCommand();
std::unique_ptr<Command> makeCallsCommand();
std::unique_ptr<Command> makeLlmCommand();
std::unique_ptr<Command> makeMatrixCommand();
std::unique_ptr<Command> makeGenerateCommand();
std::unique_ptr<Command> makeResumeCommand();
std::unique_ptr<Command> makeJobsCommand();
std::unique_ptr<Command> makeAgentsCommand();
std::unique_ptr<Command> makeSolveCommand();
std::unique_ptr<Command> makeEvaluateCommand();
std::unique_ptr<Command> makeRatingsCommand();
std::unique_ptr<Command> makeTournamentCommand();
std::unique_ptr<Command> makeTrainCommand();
std::unique_ptr<Command> makeRunsCommand();
std::unique_ptr<Command> makeStatusCommand();
std::unique_ptr<Command> makeReportCommand();
std::unique_ptr<Command> makeInboxCommand();
std::unique_ptr<Command> makeCalibrationCommand();
std::unique_ptr<Command> makeDefineCommand();

} // namespace crucible::cli
