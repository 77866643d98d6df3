// `crucible-cli problems WS`: one page of problems as a table (or JSON), with filters.

#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

constexpr int kGap = 2;
constexpr int kMaxDomainWidth = 14;
constexpr int kMinStatementWidth = 16;

class ProblemsCommand final : public Command
{
public:
    const char *name() const override { return "problems"; }
    const char *description() const override
    {
        return "List problems (filter with --search, --domain, --complexity, --origin)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        m_filter.addTo(app);
        app.add_option("--dataset", m_dataset, "Only the members of this dataset");
        app.add_option("-n,--limit", m_limit, "Rows to show; 0 shows all")
            ->check(CLI::NonNegativeNumber)
            ->capture_default_str();
        app.add_option("--offset", m_offset, "Rows to skip")
            ->check(CLI::NonNegativeNumber)
            ->capture_default_str();
    }

    int execute(Console &console) override
    {
        const QString wsPath = fromStd(m_workspace);
        auto ws = Workspace::open(wsPath, Workspace::Mode::ReadOnly);
        ProblemRepository repo(*ws);
        ProblemFilter filter = m_filter.toFilter();
        filter.datasetId = fromStd(m_dataset).trimmed();

        const qint64 total = repo.count(filter);
        const qint64 remaining = qMax<qint64>(0, total - m_offset);
        const int limit =
            m_limit > 0 ? m_limit : static_cast<int>(qMin<qint64>(remaining, INT_MAX));
        std::vector<ProblemSummary> rows;
        if (limit > 0 && remaining > 0)
            rows = repo.page(filter, m_offset, limit);

        if (console.json()) {
            nlohmann::json list = nlohmann::json::array();
            for (const ProblemSummary &s : rows)
                list.push_back(summaryToJson(s));
            console.printJson(
                {{"total", total}, {"offset", m_offset}, {"limit", m_limit}, {"problems", list}});
            return 0;
        }

        printTable(console, rows);
        QTextStream &out = console.out();
        if (rows.empty()) {
            out << "showing 0 of " << total << (total == 1 ? " problem" : " problems");
            if (total == 0 && !filter.isEmpty())
                out << " (no problem matches the filter)";
            out << '\n';
            return 0;
        }
        const qint64 first = m_offset + 1;
        const qint64 last = m_offset + static_cast<qint64>(rows.size());
        out << "showing " << rows.size() << " of " << total
            << (total == 1 ? " problem" : " problems") << " (" << first << "-" << last << ")";
        if (last < total)
            out << "; next page: --offset " << last;
        out << '\n';
        return 0;
    }

private:
    static void printTable(Console &console, const std::vector<ProblemSummary> &rows)
    {
        if (rows.empty())
            return;
        const QString idHeader = QStringLiteral("ID");
        const QString domainHeader = QStringLiteral("DOMAIN");
        const QString levelHeader = QStringLiteral("LEVEL");
        const QString originHeader = QStringLiteral("ORIGIN");
        qsizetype idWidth = idHeader.size();
        qsizetype domainWidth = domainHeader.size();
        qsizetype levelWidth = levelHeader.size();
        qsizetype originWidth = originHeader.size();
        for (const ProblemSummary &s : rows) {
            idWidth = qMax(idWidth, s.id.size());
            domainWidth = qMax(domainWidth, qMin<qsizetype>(s.domain.size(), kMaxDomainWidth));
            levelWidth = qMax(levelWidth, toString(s.complexity).size());
            originWidth = qMax(originWidth, toString(s.origin).size());
        }
        const int fixed =
            static_cast<int>(idWidth + domainWidth + levelWidth + originWidth) + 4 * kGap;
        const int statementWidth = qMax(kMinStatementWidth, console.width() - fixed);
        const QString gap(kGap, u' ');

        QTextStream &out = console.out();
        const auto row = [&](const QString &id, const QString &domain, const QString &level,
                             const QString &origin, const QString &statement) {
            out << id.leftJustified(idWidth, u' ') << gap
                << cell(domain, static_cast<int>(domainWidth)) << gap
                << level.leftJustified(levelWidth, u' ') << gap
                << origin.leftJustified(originWidth, u' ') << gap
                << preview(statement, statementWidth) << '\n';
        };
        row(idHeader, domainHeader, levelHeader, originHeader, QStringLiteral("STATEMENT"));
        for (const ProblemSummary &s : rows)
            row(s.id, s.domain, toString(s.complexity), toString(s.origin), s.statement);
    }

    std::string m_workspace;
    FilterArgs m_filter;
    std::string m_dataset;
    int m_limit = 20;
    qint64 m_offset = 0;
};

} // namespace

std::unique_ptr<Command> makeProblemsCommand()
{
    return std::make_unique<ProblemsCommand>();
}

} // namespace crucible::cli
