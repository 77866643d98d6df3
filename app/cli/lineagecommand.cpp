// `crucible-cli lineage WS ID`: the problems a problem was derived from and those derived from it,
// as an indented tree.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QHash>
#include <QSet>
#include <algorithm>

namespace crucible::cli {

namespace {

ProblemSummary summaryOf(const Problem &p)
{
    ProblemSummary s;
    s.id = p.id;
    s.domain = p.domain;
    s.statement = p.statement;
    s.complexity = p.complexity;
    s.origin = p.origin;
    s.baseProblemId = p.baseProblemId;
    s.createdAt = p.createdAt;
    return s;
}

class LineageCommand final : public Command
{
public:
    const char *name() const override { return "lineage"; }
    const char *description() const override
    {
        return "Show what a problem was derived from and what was derived from it";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("id", m_id, "Problem id")->required();
        app.add_option("--depth", m_depth, "Generations of descendants to show")
            ->check(CLI::Range(1, 64))
            ->capture_default_str();
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        const QString id = fromStd(m_id).trimmed();
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        ProblemRepository repo(*ws);
        const auto problem = repo.get(id);
        if (!problem)
            throw CliError(QStringLiteral("no problem with id %1 in %2").arg(id, wsPath),
                           QStringLiteral("list ids with `crucible-cli problems %1`").arg(wsPath));
        const ProblemSummary root = summaryOf(*problem);
        std::vector<LineageEntry> ancestors = repo.ancestors(id);
        std::vector<LineageEntry> descendants = repo.descendants(id, m_depth);
        std::sort(ancestors.begin(), ancestors.end(),
                  [](const LineageEntry &a, const LineageEntry &b) { return a.depth > b.depth; });

        if (console.json()) {
            const auto entries = [](const std::vector<LineageEntry> &list) {
                nlohmann::json out = nlohmann::json::array();
                for (const LineageEntry &e : list) {
                    nlohmann::json j = summaryToJson(e.problem);
                    j["depth"] = e.depth;
                    out.push_back(j);
                }
                return out;
            };
            std::sort(
                ancestors.begin(), ancestors.end(),
                [](const LineageEntry &a, const LineageEntry &b) { return a.depth < b.depth; });
            console.printJson({{"problem", summaryToJson(root)},
                               {"ancestors", entries(ancestors)},
                               {"descendants", entries(descendants)}});
            return 0;
        }

        QTextStream &out = console.out();
        // Ancestors form a chain, oldest first; the problem itself hangs below the last one.
        QString prefix;
        const QString oldestParent =
            ancestors.empty() ? root.baseProblemId : ancestors.front().problem.baseProblemId;
        if (!oldestParent.isEmpty())
            out << oldestParent << "  (not in this workspace)\n";
        bool first = oldestParent.isEmpty();
        for (const LineageEntry &e : ancestors) {
            printNode(console, prefix, first ? QString() : QStringLiteral("└── "), e.problem, {});
            if (!first)
                prefix += QStringLiteral("    ");
            first = false;
        }
        printNode(console, prefix, first ? QString() : QStringLiteral("└── "), root,
                  QStringLiteral("  <- this problem"));
        if (!first)
            prefix += QStringLiteral("    ");

        QHash<QString, std::vector<ProblemSummary>> children;
        for (const LineageEntry &e : descendants)
            children[e.problem.baseProblemId].push_back(e.problem);
        for (auto &list : children)
            std::sort(
                list.begin(), list.end(),
                [](const ProblemSummary &a, const ProblemSummary &b) { return a.seq < b.seq; });
        QSet<QString> visited{root.id};
        printChildren(console, children, root.id, prefix, visited);

        out << '\n'
            << ancestors.size() << (ancestors.size() == 1 ? " ancestor, " : " ancestors, ")
            << descendants.size() << (descendants.size() == 1 ? " descendant" : " descendants")
            << '\n';
        return 0;
    }

private:
    void printNode(Console &console, const QString &prefix, const QString &branch,
                   const ProblemSummary &s, const QString &suffix) const
    {
        const QString head =
            prefix + branch + s.id +
            QStringLiteral("  [%1, %2]  ").arg(toString(s.complexity), toString(s.origin));
        const int room = console.width() - static_cast<int>(head.size() + suffix.size());
        console.out() << head << preview(s.statement, qMax(20, room)) << suffix << '\n';
    }

    void printChildren(Console &console,
                       const QHash<QString, std::vector<ProblemSummary>> &children,
                       const QString &parentId, const QString &prefix, QSet<QString> &visited) const
    {
        const auto it = children.constFind(parentId);
        if (it == children.constEnd())
            return;
        const std::vector<ProblemSummary> &list = *it;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const ProblemSummary &child = list[i];
            if (visited.contains(child.id))
                continue; // a cycle in corrupt data must not loop forever
            visited.insert(child.id);
            const bool last = i + 1 == list.size();
            printNode(console, prefix, last ? QStringLiteral("└── ") : QStringLiteral("├── "),
                      child, {});
            printChildren(console, children, child.id,
                          prefix + (last ? QStringLiteral("    ") : QStringLiteral("│   ")),
                          visited);
        }
    }

    std::string m_workspace;
    std::string m_id;
    int m_depth = 64;
};

} // namespace

std::unique_ptr<Command> makeLineageCommand()
{
    return std::make_unique<LineageCommand>();
}

} // namespace crucible::cli
