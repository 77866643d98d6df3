// `crucible-cli stats WS`: what a workspace holds.

#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/store/workspace.h"
#include "core/store/workspacestats.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

class StatsCommand final : public Command
{
public:
    const char *name() const override { return "stats"; }
    const char *description() const override { return "Count what a workspace holds"; }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
    }

    int execute(Console &console) override
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        const WorkspaceStats stats = WorkspaceStats::collect(*ws);
        if (console.json()) {
            console.printJson(stats.toJson());
            return 0;
        }

        QTextStream &out = console.out();
        const auto line = [&out](const char *label, const QString &value) {
            out << QString::fromUtf8(label).leftJustified(16, u' ') << value << '\n';
        };
        line("workspace", stats.path);
        line("schema version", QString::number(stats.schemaVersion));
        line("file size", humanBytes(stats.fileBytes));
        out << '\n';
        line("problems", QString::number(stats.problems));
        line("datasets", QString::number(stats.datasets));
        line("agents", QString::number(stats.agents));
        line("solutions", QString::number(stats.solutions));
        line("interactions", QString::number(stats.interactions));
        line("feedback items", QString::number(stats.feedbackItems));
        line("training runs", QString::number(stats.trainingRuns));
        line("llm calls", QString::number(stats.llmCalls));

        if (stats.problems == 0)
            return 0;
        const auto percent = [&stats](qint64 n) {
            return QStringLiteral("%1 (%2%)")
                .arg(n)
                .arg(100.0 * static_cast<double>(n) / static_cast<double>(stats.problems), 0, 'f',
                     0);
        };
        out << "\ncomplexity\n";
        for (const auto &[level, n] : stats.complexity)
            out << "  " << toString(level).leftJustified(14, u' ') << percent(n) << '\n';
        out << "\norigin\n";
        for (const auto &[origin, n] : stats.origin)
            out << "  " << toString(origin).leftJustified(14, u' ') << percent(n) << '\n';
        out << "\ndomains\n";
        for (const DomainCount &d : stats.domains)
            out << "  " << cell(d.domain.isEmpty() ? QStringLiteral("(none)") : d.domain, 13) << ' '
                << percent(d.count) << '\n';
        return 0;
    }

private:
    std::string m_workspace;
};

} // namespace

std::unique_ptr<Command> makeStatsCommand()
{
    return std::make_unique<StatsCommand>();
}

} // namespace crucible::cli
