// `crucible-cli export WS --out FILE`: writes problems (all, a filter or a dataset) as JSONL or
// CSV that `import` reads back without loss.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/progressbar.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemexporter.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFileInfo>

namespace crucible::cli {

namespace {

class ExportCommand final : public Command
{
public:
    const char *name() const override { return "export"; }
    const char *description() const override { return "Export problems to a JSONL or CSV file"; }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("-o,--out", m_out, "File to write (replaced if it exists)")->required();
        app.add_option("--format", m_format, "File format; by default from the extension of --out")
            ->check(CLI::IsMember({"jsonl", "csv"}, CLI::ignore_case));
        app.add_option("--dataset", m_dataset, "Only the members of this dataset, in its order");
        m_filter.addTo(app);
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        const QString outPath = fromStd(m_out);

        ExportOptions options;
        options.format = resolveFormat(m_format, outPath, "--format jsonl|csv");
        options.filter = m_filter.toFilter();
        options.filter.datasetId = fromStd(m_dataset).trimmed();

        const QString canonicalWs = QFileInfo(wsPath).canonicalFilePath();
        if (!canonicalWs.isEmpty() && QFileInfo(outPath).canonicalFilePath() == canonicalWs)
            throw CliError(QStringLiteral("--out %1 is the workspace itself").arg(outPath),
                           QStringLiteral("choose another output file"));

        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        if (!options.filter.datasetId.isEmpty() &&
            !DatasetRepository(*ws).get(options.filter.datasetId))
            throw CliError(
                QStringLiteral("no dataset with id %1 in %2").arg(options.filter.datasetId, wsPath),
                QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(wsPath));

        const qint64 total = ProblemRepository(*ws).count(options.filter);
        ProgressBar progress(console.err(), console.terminal().stderrIsTerminal,
                             QStringLiteral("exporting"));
        options.progress = [&progress, total](qint64 written) { progress.update(written, total); };
        const qint64 written = ProblemExporter(*ws).exportToFile(outPath, options);
        progress.finish();

        if (console.json()) {
            console.printJson({{"workspace", wsPath.toStdString()},
                               {"file", outPath.toStdString()},
                               {"format", formatName(options.format).toStdString()},
                               {"exported", written}});
            return 0;
        }
        console.out() << "Exported " << written << (written == 1 ? " problem" : " problems")
                      << " to " << outPath << " (" << formatName(options.format) << ")\n";
        return 0;
    }

private:
    std::string m_workspace;
    std::string m_out;
    std::string m_format;
    std::string m_dataset;
    FilterArgs m_filter;
};

} // namespace

std::unique_ptr<Command> makeExportCommand()
{
    return std::make_unique<ExportCommand>();
}

} // namespace crucible::cli
