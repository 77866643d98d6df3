// `crucible-cli ratings WS [--tournament ID] [--recompute]`: Bradley–Terry ratings with their
// bootstrap 95 % intervals, per tournament or pooled over every comparison in the workspace.

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/evaluate/ratingcalculator.h"
#include "core/store/tournamentrepository.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

using nlohmann::json;

QString percent(const json &doc, const char *key)
{
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_number())
        return QStringLiteral("–");
    return QStringLiteral("%1%").arg(100.0 * it->get<double>(), 0, 'f', 1);
}

class RatingsCommand final : public Command
{
public:
    const char *name() const override { return "ratings"; }
    const char *description() const override
    {
        return "Bradley–Terry ratings with 95 % intervals, per tournament or pooled";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--tournament", m_tournament,
                       "Tournament id (default: every comparison in the workspace, pooled)");
        app.add_flag("--recompute", m_recompute,
                     "Fit the ratings again from the stored comparisons and store them");
        app.add_option("--bootstrap", m_bootstrap,
                       "Bootstrap rounds for the intervals when recomputing (default 1000)")
            ->check(CLI::Range(50, 100000));
    }

    int execute(Console &console) override
    {
        const QString path = fromStd(m_workspace);
        auto ws = Workspace::open(path, m_recompute ? Workspace::Mode::ReadWrite
                                                    : Workspace::Mode::ReadOnly);
        TournamentRepository repo(*ws);
        const QString tid = fromStd(m_tournament);
        std::optional<TournamentRecord> tournament;
        std::map<QString, QString> names;
        for (const TournamentRecord &t : repo.tournaments())
            for (const TournamentEntrant &e : t.entrants())
                names.emplace(e.key, e.name);
        if (!tid.isEmpty()) {
            tournament = repo.tournament(tid);
            if (!tournament)
                throw CliError(
                    QStringLiteral("No tournament %1 in %2.").arg(tid, path),
                    QStringLiteral("List the tournaments with: crucible-cli ratings %1").arg(path));
        }
        const auto comparisons = tid.isEmpty() ? repo.allComparisons() : repo.comparisons(tid);
        std::vector<RatingRecord> ratings = repo.ratings(tid);
        bool computedNow = false;
        if (m_recompute || (ratings.empty() && !comparisons.empty())) {
            BradleyTerryOptions options;
            options.bootstrapRounds = m_bootstrap;
            std::map<QString, QString> listed;
            if (tournament)
                for (const TournamentEntrant &e : tournament->entrants())
                    listed[e.key] = e.name;
            RatingComputation computed = RatingCalculator::compute(comparisons, listed, options);
            for (RatingRecord &r : computed.rows)
                if (names.count(r.entrant) && !listed.count(r.entrant))
                    r.doc["name"] = names[r.entrant].toStdString();
            if (m_recompute) {
                repo.saveRatings(tid, computed.rows, QStringLiteral("recomputed"));
                ratings = repo.ratings(tid);
            } else {
                ratings = std::move(computed.rows);
                computedNow = true;
            }
        }
        int failed = 0;
        for (const ComparisonRecord &c : comparisons)
            failed += c.winner == u"failed" ? 1 : 0;

        if (console.json()) {
            json rows = json::array();
            int rank = 0;
            for (const RatingRecord &r : ratings)
                rows.push_back({{"rank", ++rank},
                                {"entrant", r.entrant.toStdString()},
                                {"name", r.doc.value("name", r.entrant.toStdString())},
                                {"rating", r.rating},
                                {"ci_low", r.ciLow},
                                {"ci_high", r.ciHigh},
                                {"wins", r.wins},
                                {"losses", r.losses},
                                {"ties", r.ties},
                                {"comparisons", r.doc.value("comparisons", 0)},
                                {"win_rate", r.doc.value("win_rate", json(nullptr))},
                                {"lc_win_rate", r.doc.value("lc_win_rate", json(nullptr))},
                                {"history", r.doc.value("history", json::array())}});
            json out = {{"tournament", tid.isEmpty() ? json(nullptr) : json(tid.toStdString())},
                        {"comparisons", comparisons.size()},
                        {"failed_comparisons", failed},
                        {"stored", !computedNow},
                        {"ratings", rows}};
            if (tid.isEmpty()) {
                json list = json::array();
                for (const TournamentRecord &t : repo.tournaments())
                    list.push_back({{"id", t.id.toStdString()},
                                    {"name", t.name.toStdString()},
                                    {"format", t.format.toStdString()},
                                    {"job_id", t.jobId.toStdString()},
                                    {"entrants", t.entrants().size()}});
                out["tournaments"] = list;
            }
            console.printJson(out);
            return 0;
        }

        QTextStream &out = console.out();
        if (tournament)
            out << QStringLiteral("Tournament %1%2 (%3, %4 entrants): ")
                       .arg(tid,
                            tournament->name.isEmpty()
                                ? QString()
                                : QStringLiteral(" \"%1\"").arg(tournament->name),
                            tournament->format)
                       .arg(tournament->entrants().size());
        else
            out << "All tournaments, pooled: ";
        out << QStringLiteral("%1 comparisons, each judged in both orders").arg(comparisons.size());
        if (failed > 0)
            out << QStringLiteral(" (%1 failed, not counted)").arg(failed);
        out << '\n';
        if (ratings.empty()) {
            out << "No ratings yet: no comparison has been judged.\n";
        } else {
            out << QStringLiteral("%1  %2 %3  %4  %5 %6 %7\n")
                       .arg(QStringLiteral("#").rightJustified(2),
                            cell(QStringLiteral("entrant"), 30),
                            QStringLiteral("rating").rightJustified(6),
                            cell(QStringLiteral("95% CI"), 11), cell(QStringLiteral("W-L-T"), 9),
                            QStringLiteral("win rate").rightJustified(8),
                            QStringLiteral("LC win rate").rightJustified(11));
            int rank = 0;
            for (const RatingRecord &r : ratings) {
                const QString name = QString::fromStdString(r.doc.value("name", std::string()));
                out << QStringLiteral("%1  %2 %3  %4  %5 %6 %7\n")
                           .arg(
                               QString::number(++rank).rightJustified(2),
                               cell(name.isEmpty() || name == r.entrant
                                        ? r.entrant
                                        : QStringLiteral("%1 (%2)").arg(name, r.entrant),
                                    30),
                               QString::number(r.rating, 'f', 0).rightJustified(6),
                               cell(QStringLiteral("%1–%2")
                                        .arg(r.ciLow, 0, 'f', 0)
                                        .arg(r.ciHigh, 0, 'f', 0),
                                    11),
                               cell(
                                   QStringLiteral("%1-%2-%3").arg(r.wins).arg(r.losses).arg(r.ties),
                                   9),
                               percent(r.doc, "win_rate").rightJustified(8),
                               percent(r.doc, "lc_win_rate").rightJustified(11));
            }
            out << "Ratings: Bradley–Terry maximum likelihood on an Elo-like scale (mean 1000); "
                   "95% CI: bootstrap over the comparisons. Ranks are only certain where the "
                   "intervals do not overlap. LC: length-controlled.\n";
            if (computedNow)
                out << "(computed now from the stored comparisons; --recompute stores them)\n";
        }
        if (tid.isEmpty()) {
            const auto list = repo.tournaments();
            if (!list.empty()) {
                out << "\nTournaments (crucible-cli ratings WS --tournament ID):\n";
                for (const TournamentRecord &t : list)
                    out << QStringLiteral("  %1  %2  %3 entrants  %4\n")
                               .arg(t.id, cell(t.format, 11))
                               .arg(t.entrants().size())
                               .arg(t.name);
            }
        }
        return 0;
    }

private:
    std::string m_workspace;
    std::string m_tournament;
    bool m_recompute = false;
    int m_bootstrap = 1000;
};

} // namespace

std::unique_ptr<Command> makeRatingsCommand()
{
    return std::make_unique<RatingsCommand>();
}

} // namespace crucible::cli
