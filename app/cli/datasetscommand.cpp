// `crucible-cli datasets WS`: the datasets in a workspace, newest first, with their size,
// complexity mix, origin and cost; `datasets rename WS ID NAME` and `datasets delete WS ID
// [--with-problems]` change them.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/llm/moneyformat.h"
#include "core/model/jsonsupport.h"
#include "core/store/datasetrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

class DatasetsCommand final : public Command
{
public:
    const char *name() const override { return "datasets"; }
    const char *description() const override
    {
        return "List the datasets of a workspace; rename or delete one";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)");
        app.require_subcommand(0, 1);
        m_rename = app.add_subcommand("rename", "Give a dataset a new name");
        m_rename->add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        m_rename->add_option("dataset", m_dataset, "Dataset id")->required();
        m_rename->add_option("name", m_name, "The new name")->required();
        m_delete = app.add_subcommand("delete", "Delete a dataset (its problems stay unless "
                                                "--with-problems)");
        m_delete->add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        m_delete->add_option("dataset", m_dataset, "Dataset id")->required();
        m_delete->add_flag("--with-problems", m_withProblems,
                           "Also delete the member problems that no other dataset holds");
    }

    int execute(Console &console) override
    {
        if (m_rename->parsed())
            return rename(console);
        if (m_delete->parsed())
            return remove(console);
        if (m_workspace.empty())
            throw CliError(QStringLiteral("no workspace given"),
                           QStringLiteral("crucible-cli datasets WORKSPACE lists the datasets; "
                                          "see crucible-cli datasets --help"));
        const QString wsPath = fromStd(m_workspace);
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        const std::vector<DatasetSummary> summaries = DatasetRepository(*ws).summaries();

        if (console.json()) {
            nlohmann::json list = nlohmann::json::array();
            for (const DatasetSummary &s : summaries) {
                const Dataset &d = s.dataset;
                nlohmann::json mix = nlohmann::json::object();
                for (const auto &[level, n] : s.complexityCounts)
                    mix[toString(level).toStdString()] = n;
                nlohmann::json j{
                    {"id", d.id.toStdString()},
                    {"name", d.name.toStdString()},
                    {"domain", d.domain.toStdString()},
                    {"problems", s.size},
                    {"complexity", mix},
                    {"accepted", s.reviewCounts.count(ReviewStatus::Accepted)
                                     ? s.reviewCounts.at(ReviewStatus::Accepted)
                                     : 0},
                    {"origin", originText(s).toStdString()},
                    {"cost_usd", s.usd},
                    {"unpriced", s.unpriced},
                    {"created_at", jsonio::formatTimestamp(d.createdAt).toStdString()}};
                list.push_back(j);
            }
            console.printJson({{"total", summaries.size()}, {"datasets", list}});
            return 0;
        }

        QTextStream &out = console.out();
        if (summaries.empty()) {
            out << "no datasets in " << wsPath << '\n';
            return 0;
        }
        qsizetype idWidth = 2;
        qsizetype nameWidth = 4;
        for (const DatasetSummary &s : summaries) {
            idWidth = qMax(idWidth, s.dataset.id.size());
            nameWidth = qMax(nameWidth, qMin<qsizetype>(s.dataset.name.size(), 30));
        }
        const auto row = [&](const QString &id, const QString &name, const QString &count,
                             const QString &cost, const QString &origin, const QString &domain) {
            out << id.leftJustified(idWidth, u' ') << "  "
                << cell(name, static_cast<int>(nameWidth)) << "  " << count.rightJustified(8, u' ')
                << "  " << cost.leftJustified(10, u' ') << "  " << cell(origin, 16) << "  "
                << domain << '\n';
        };
        row(QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("PROBLEMS"),
            QStringLiteral("COST"), QStringLiteral("ORIGIN"), QStringLiteral("DOMAIN"));
        for (const DatasetSummary &s : summaries)
            row(s.dataset.id, s.dataset.name, QString::number(s.size), costText(s), originText(s),
                s.dataset.domain);
        return 0;
    }

private:
    static QString originText(const DatasetSummary &s)
    {
        switch (s.origin) {
        case DatasetOrigin::Job:
            return (s.generator.isEmpty() ? QStringLiteral("generation") : s.generator) +
                   QStringLiteral(" job");
        case DatasetOrigin::Import:
            return QStringLiteral("import");
        case DatasetOrigin::Manual:
            break;
        }
        return QStringLiteral("manual");
    }

    static QString costText(const DatasetSummary &s) { return formatSpend(s.usd, s.unpriced); }

    int rename(Console &console)
    {
        const QString wsPath = fromStd(m_workspace);
        const QString id = fromStd(m_dataset).trimmed();
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadWrite);
        if (!DatasetRepository(*ws).rename(id, fromStd(m_name)))
            throw CliError(
                QStringLiteral("no dataset with id %1 in %2").arg(id, wsPath),
                QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(wsPath));
        const QString name = DatasetRepository(*ws).get(id)->name;
        if (console.json())
            console.printJson({{"id", id.toStdString()}, {"name", name.toStdString()}});
        else
            console.out() << "Renamed dataset " << id << " to \"" << name << "\"\n";
        return 0;
    }

    int remove(Console &console)
    {
        const QString wsPath = fromStd(m_workspace);
        const QString id = fromStd(m_dataset).trimmed();
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadWrite);
        const DatasetRemoval r = DatasetRepository(*ws).remove(id, m_withProblems);
        if (!r.removed)
            throw CliError(
                QStringLiteral("no dataset with id %1 in %2").arg(id, wsPath),
                QStringLiteral("list dataset ids with `crucible-cli datasets %1`").arg(wsPath));
        if (console.json()) {
            console.printJson({{"id", id.toStdString()},
                               {"problems_deleted", r.problemsDeleted},
                               {"problems_kept", r.problemsKept}});
            return 0;
        }
        console.out() << "Deleted dataset " << id;
        if (m_withProblems)
            console.out() << " and " << r.problemsDeleted
                          << (r.problemsDeleted == 1 ? " problem" : " problems");
        else
            console.out() << " (its problems stay in the workspace)";
        console.out() << '\n';
        if (r.problemsKept > 0)
            console.out() << "Kept " << r.problemsKept
                          << (r.problemsKept == 1 ? " problem" : " problems")
                          << " that another dataset also holds\n";
        return 0;
    }

    std::string m_workspace;
    std::string m_dataset;
    std::string m_name;
    bool m_withProblems = false;
    CLI::App *m_rename = nullptr;
    CLI::App *m_delete = nullptr;
};

} // namespace

std::unique_ptr<Command> makeDatasetsCommand()
{
    return std::make_unique<DatasetsCommand>();
}

} // namespace crucible::cli
