// `crucible-cli import WS FILE`: adds the problems of a JSONL or CSV file to a workspace, all or
// nothing unless --skip-invalid.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/progressbar.h"
#include "core/store/problemimporter.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFileInfo>

namespace crucible::cli {

namespace {

class ImportCommand final : public Command
{
public:
    const char *name() const override { return "import"; }
    const char *description() const override
    {
        return "Import problems from a JSONL or CSV file into a workspace";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("file", m_file, "JSONL or CSV file of problems")->required();
        app.add_option("--format", m_format,
                       "File format; by default from the extension (.jsonl/.ndjson/.json, .csv)")
            ->check(CLI::IsMember({"jsonl", "csv"}, CLI::ignore_case));
        app.add_flag("--skip-invalid", m_skipInvalid,
                     "Import the valid records and list the invalid ones instead of failing");
        app.add_option("--domain", m_domain, "Domain for records that do not name one");
        app.add_option("--dataset", m_dataset,
                       "Also collect the imported problems in a new dataset with this name");
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        const QString file = fromStd(m_file);
        const QFileInfo info(file);
        if (!info.exists())
            throw CliError(QStringLiteral("%1 does not exist").arg(file),
                           QStringLiteral("check the path of the file to import"));
        if (!info.isFile() || !info.isReadable())
            throw CliError(QStringLiteral("%1 is not a readable file").arg(file),
                           QStringLiteral("check the path and the file's permissions"));

        ImportOptions options;
        options.format = resolveFormat(m_format, file, "--format jsonl|csv");
        options.skipInvalid = m_skipInvalid;
        options.defaultDomain = fromStd(m_domain).trimmed();
        options.datasetName = fromStd(m_dataset).trimmed();
        ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                             QStringLiteral("importing %1").arg(info.fileName()));
        options.progress = [&progress](qint64 read, qint64 total) { progress.update(read, total); };

        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadWrite);
        ProblemImporter importer(*ws);
        ImportResult result;
        try {
            result = importer.importFile(file, options);
        } catch (const ImportError &e) {
            progress.finish();
            throw CliError(e.issue().toString() +
                               QStringLiteral("\nnothing was imported into %1").arg(wsPath),
                           QStringLiteral("fix that record, or rerun with --skip-invalid to "
                                          "import the valid records and list the others"));
        }
        progress.finish();

        if (console.json()) {
            nlohmann::json skipped = nlohmann::json::array();
            for (const ImportIssue &issue : result.skipped)
                skipped.push_back(issueToJson(issue));
            nlohmann::json j = {{"workspace", wsPath.toStdString()},
                                {"file", file.toStdString()},
                                {"format", formatName(*options.format).toStdString()},
                                {"imported", result.imported},
                                {"skipped", skipped},
                                {"problem_count", result.problemIds.size()},
                                {"problem_ids", result.problemIds}};
            if (result.datasetId.isEmpty())
                j["dataset_id"] = nullptr;
            else
                j["dataset_id"] = result.datasetId;
            console.printJson(j);
            return 0;
        }

        for (const ImportIssue &issue : result.skipped)
            console.err() << "skipped " << issue.toString() << '\n';
        console.err().flush();
        console.out() << "Imported " << result.imported
                      << (result.imported == 1 ? " problem" : " problems") << " from " << file
                      << " into " << wsPath << '\n';
        if (!result.skipped.empty())
            console.out() << "Skipped " << result.skipped.size() << " invalid "
                          << (result.skipped.size() == 1 ? "record" : "records")
                          << " (listed on stderr)\n";
        if (!result.datasetId.isEmpty())
            console.out() << "Dataset " << options.datasetName << ": " << result.datasetId << '\n';
        return 0;
    }

private:
    std::string m_workspace;
    std::string m_file;
    std::string m_format;
    bool m_skipInvalid = false;
    std::string m_domain;
    std::string m_dataset;
};

} // namespace

std::unique_ptr<Command> makeImportCommand()
{
    return std::make_unique<ImportCommand>();
}

} // namespace crucible::cli
