// `crucible-cli datasets WS`: the datasets in a workspace, newest first.

#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
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
    const char *description() const override { return "List the datasets of a workspace"; }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        DatasetRepository repo(*ws);
        const std::vector<Dataset> datasets = repo.list();
        std::vector<qint64> sizes;
        for (const Dataset &d : datasets)
            sizes.push_back(repo.memberCount(d.id));

        if (console.json()) {
            nlohmann::json list = nlohmann::json::array();
            for (std::size_t i = 0; i < datasets.size(); ++i) {
                const Dataset &d = datasets[i];
                list.push_back(
                    {{"id", d.id.toStdString()},
                     {"name", d.name.toStdString()},
                     {"domain", d.domain.toStdString()},
                     {"problems", sizes[i]},
                     {"created_at", jsonio::formatTimestamp(d.createdAt).toStdString()}});
            }
            console.printJson({{"total", datasets.size()}, {"datasets", list}});
            return 0;
        }

        QTextStream &out = console.out();
        if (datasets.empty()) {
            out << "no datasets in " << wsPath << '\n';
            return 0;
        }
        qsizetype idWidth = 2;
        qsizetype nameWidth = 4;
        for (const Dataset &d : datasets) {
            idWidth = qMax(idWidth, d.id.size());
            nameWidth = qMax(nameWidth, qMin<qsizetype>(d.name.size(), 30));
        }
        const auto row = [&](const QString &id, const QString &name, const QString &count,
                             const QString &domain) {
            out << id.leftJustified(idWidth, u' ') << "  "
                << cell(name, static_cast<int>(nameWidth)) << "  " << count.rightJustified(8, u' ')
                << "  " << domain << '\n';
        };
        row(QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("PROBLEMS"),
            QStringLiteral("DOMAIN"));
        for (std::size_t i = 0; i < datasets.size(); ++i)
            row(datasets[i].id, datasets[i].name, QString::number(sizes[i]), datasets[i].domain);
        return 0;
    }

private:
    std::string m_workspace;
};

} // namespace

std::unique_ptr<Command> makeDatasetsCommand()
{
    return std::make_unique<DatasetsCommand>();
}

} // namespace crucible::cli
