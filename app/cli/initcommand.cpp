// `crucible-cli init WS [--samples]`: creates a new, empty workspace file.

#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/store/problemimporter.h"
#include "core/store/problemrepository.h"
#include "core/store/sampledata.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFile>

namespace crucible::cli {

namespace {

class InitCommand final : public Command
{
public:
    const char *name() const override { return "init"; }
    const char *description() const override
    {
        return "Create a new workspace file (fails if the file exists)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_path, "Path of the new workspace (*.crucible)")->required();
        app.add_flag("--samples", m_samples, "Add the sample problems");
    }

    int execute(Console &console) override
    {
        const QString path = fromStd(m_path);
        qint64 samples = 0;
        int schemaVersion = 0;
        {
            auto ws = Workspace::create(path);
            schemaVersion = ws->schemaVersion();
            try {
                if (m_samples) {
                    ProblemImporter importer(*ws);
                    ImportOptions options;
                    options.format = ProblemFileFormat::Jsonl;
                    samples = importer
                                  .importData(SampleData::sampleProblemsJsonl(),
                                              QStringLiteral("sample problems"), options)
                                  .imported;
                }
            } catch (...) {
                // Do not leave a half-initialised workspace behind that `init` would then refuse.
                ws.reset();
                removeWorkspaceFiles(path);
                throw;
            }
        }

        if (console.json()) {
            console.printJson({{"path", path.toStdString()},
                               {"schema_version", schemaVersion},
                               {"problems", samples}});
            return 0;
        }
        console.out() << "Created workspace " << path << " (schema version " << schemaVersion
                      << ")\n";
        if (m_samples)
            console.out() << "Added " << samples << " sample problems\n";
        return 0;
    }

private:
    static void removeWorkspaceFiles(const QString &path)
    {
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"),
                                      QStringLiteral("-journal")})
            QFile::remove(path + suffix);
    }

    std::string m_path;
    bool m_samples = false;
};

} // namespace

std::unique_ptr<Command> makeInitCommand()
{
    return std::make_unique<InitCommand>();
}

} // namespace crucible::cli
