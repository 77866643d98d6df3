// `crucible-cli show WS ID`: one problem or dataset in full.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

constexpr int kMembersShown = 20;

class ShowCommand final : public Command
{
public:
    const char *name() const override { return "show"; }
    const char *description() const override { return "Show one problem or dataset in full"; }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("id", m_id, "Problem id or dataset id")->required();
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        const QString id = fromStd(m_id).trimmed();
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        ProblemRepository problems(*ws);
        if (const auto problem = problems.get(id)) {
            if (console.json())
                console.printJson(problem->toJson());
            else
                printProblem(console, problems, *problem);
            return 0;
        }
        if (const auto dataset = DatasetRepository(*ws).get(id)) {
            if (console.json())
                console.printJson(dataset->toJson());
            else
                printDataset(console, wsPath, problems, *dataset);
            return 0;
        }
        throw CliError(QStringLiteral("no problem or dataset with id %1 in %2").arg(id, wsPath),
                       QStringLiteral("list ids with `crucible-cli problems %1` or "
                                      "`crucible-cli datasets %1`")
                           .arg(wsPath));
    }

private:
    static void section(QTextStream &out, const char *title) { out << '\n' << title << '\n'; }

    static void printList(QTextStream &out, const char *title, const QStringList &items, int width)
    {
        section(out, title);
        if (items.isEmpty())
            out << "  (none)\n";
        for (qsizetype i = 0; i < items.size(); ++i)
            out << "  " << (i + 1) << ". " << wrap(items[i], width - 5, 5) << '\n';
    }

    // Continuation lines of multi-line text line up under the first.
    static QString indented(const QString &text, int indent)
    {
        QString result = text;
        result.replace(u'\n', QLatin1Char('\n') + QString(indent, u' '));
        return result;
    }

    // Compact when it fits on one line, indented otherwise.
    static QString jsonBlock(const nlohmann::json &value, int width)
    {
        const QString compact = QString::fromStdString(value.dump());
        if (compact.size() <= width - 2)
            return compact;
        return indented(QString::fromStdString(value.dump(2)), 2);
    }

    static void printProblem(Console &console, const ProblemRepository &repo, const Problem &p)
    {
        QTextStream &out = console.out();
        out << "Problem " << p.id << '\n';
        out << "  domain:      " << (p.domain.isEmpty() ? QStringLiteral("(none)") : p.domain)
            << '\n';
        out << "  complexity:  " << toString(p.complexity) << '\n';
        out << "  origin:      " << toString(p.origin) << '\n';
        out << "  created:     " << jsonio::formatTimestamp(p.createdAt) << '\n';
        if (!p.baseProblemId.isEmpty()) {
            out << "  parent:      " << p.baseProblemId;
            if (const auto parent = repo.get(p.baseProblemId))
                out << "  "
                    << preview(parent->statement,
                               qMax(20, console.width() - 17 -
                                            static_cast<int>(p.baseProblemId.size())));
            else
                out << "  (not in this workspace)";
            out << '\n';
        }
        const qint64 children = static_cast<qint64>(repo.descendants(p.id, 1).size());
        if (children > 0)
            out << "  children:    " << children << (children == 1 ? " problem" : " problems")
                << " (see `crucible-cli lineage`)\n";
        if (!p.tags.isEmpty())
            out << "  tags:        " << p.tags.join(QStringLiteral(", ")) << '\n';
        if (!p.matrixCell.empty()) {
            QStringList cells;
            for (const auto &[dimension, value] : p.matrixCell)
                cells << dimension + u'=' + value;
            out << "  matrix cell: " << cells.join(QStringLiteral(", ")) << '\n';
        }

        section(out, "Statement");
        out << "  " << wrap(p.statement, console.width() - 2, 2) << '\n';
        printList(out, "Constraints", p.constraints, console.width());
        printList(out, "Success criteria", p.successCriteria, console.width());
        if (!p.sampleData.is_null()) {
            section(out, "Sample data");
            out << "  " << jsonBlock(p.sampleData, console.width()) << '\n';
        }
        if (p.metadata.is_object() && !p.metadata.empty()) {
            section(out, "Metadata");
            out << "  " << jsonBlock(p.metadata, console.width()) << '\n';
        }
    }

    static void printDataset(Console &console, const QString &wsPath, const ProblemRepository &repo,
                             const Dataset &d)
    {
        QTextStream &out = console.out();
        out << "Dataset " << d.id << '\n';
        out << "  name:        " << d.name << '\n';
        out << "  domain:      " << (d.domain.isEmpty() ? QStringLiteral("(none)") : d.domain)
            << '\n';
        out << "  created:     " << jsonio::formatTimestamp(d.createdAt) << '\n';
        out << "  problems:    " << d.problemIds.size() << '\n';
        if (!d.complexityMix.empty()) {
            QStringList mix;
            for (const auto &[level, fraction] : d.complexityMix)
                mix << QStringLiteral("%1 %2%").arg(toString(level)).arg(fraction * 100, 0, 'f', 0);
            out << "  mix:         " << mix.join(QStringLiteral(", ")) << '\n';
        }
        section(out, "Problems");
        const qsizetype shown = qMin<qsizetype>(d.problemIds.size(), kMembersShown);
        for (qsizetype i = 0; i < shown; ++i) {
            const QString &memberId = d.problemIds[i];
            const auto member = repo.get(memberId);
            out << "  " << memberId << "  "
                << (member
                        ? preview(member->statement,
                                  qMax(20, console.width() - 4 - static_cast<int>(memberId.size())))
                        : QStringLiteral("(missing)"))
                << '\n';
        }
        if (d.problemIds.size() > shown)
            out << "  ... and " << (d.problemIds.size() - shown)
                << " more; list them with `crucible-cli problems " << wsPath << " --dataset "
                << d.id << " --limit 0`\n";
        if (d.metadata.is_object() && !d.metadata.empty()) {
            section(out, "Metadata");
            out << "  " << jsonBlock(d.metadata, console.width()) << '\n';
        }
    }

    std::string m_workspace;
    std::string m_id;
};

} // namespace

std::unique_ptr<Command> makeShowCommand()
{
    return std::make_unique<ShowCommand>();
}

} // namespace crucible::cli
