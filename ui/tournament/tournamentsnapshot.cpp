#include "ui/tournament/tournamentsnapshot.h"

#include "core/model/jsonsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QSqlQuery>

namespace crucible {

using nlohmann::json;

QString TournamentSnapshot::nameOf(const QString &entrant) const
{
    const auto it = names.find(entrant);
    return it != names.end() && !it->second.isEmpty() ? it->second : entrant;
}

TournamentSnapshot TournamentSnapshot::read(const QString &workspacePath,
                                            const QString &tournamentId, bool pooled)
{
    TournamentSnapshot s;
    try {
        auto ws = Workspace::open(workspacePath, Workspace::Mode::ReadOnly);
        TournamentRepository repo(*ws);
        s.tournaments = repo.tournaments();
        s.tournamentId = tournamentId;
        if (!pooled && s.tournamentId.isEmpty() && !s.tournaments.empty())
            s.tournamentId = s.tournaments.front().id;
        for (const TournamentRecord &t : s.tournaments)
            for (const TournamentEntrant &e : t.entrants())
                if (!e.name.isEmpty())
                    s.names[e.key] = e.name;
        if (pooled)
            s.tournamentId.clear();
        s.ratings = repo.ratings(s.tournamentId);
        s.comparisons = pooled ? repo.allComparisons() : repo.comparisons(s.tournamentId);
        for (const RatingRecord &r : s.ratings) {
            const QString name = QString::fromStdString(r.doc.value("name", std::string()));
            if (!name.isEmpty() && !s.names.count(r.entrant))
                s.names[r.entrant] = name;
            auto &points = s.history[r.entrant];
            for (const RatingRecord &row : repo.history(r.entrant)) {
                if (row.tournamentId.isEmpty())
                    continue; // the pooled row is a summary, not a point in time
                const json h = row.doc.value("history", json::array());
                for (const json &p : h) {
                    RatingHistoryPoint point;
                    point.tournamentId = row.tournamentId;
                    point.label = QString::fromStdString(p.value("label", std::string()));
                    point.rating = p.value("rating", row.rating);
                    point.ciLow = p.value("ci_low", row.ciLow);
                    point.ciHigh = p.value("ci_high", row.ciHigh);
                    point.at = jsonio::parseTimestamp(
                        QString::fromStdString(p.value("computed_at", std::string())));
                    points.push_back(point);
                }
            }
            std::stable_sort(points.begin(), points.end(),
                             [](const RatingHistoryPoint &x, const RatingHistoryPoint &y) {
                                 return x.at < y.at;
                             });
        }
        QStringList problemIds;
        for (const ComparisonRecord &c : s.comparisons)
            if (!s.problems.count(c.problemId)) {
                s.problems[c.problemId] = QString();
                problemIds << c.problemId;
            }
        for (const QString &id : problemIds) {
            QSqlQuery q = ws->prepare(
                QStringLiteral("SELECT substr(statement, 1, 300) FROM problems WHERE id = ?"));
            q.addBindValue(id);
            Workspace::execPrepared(q, QStringLiteral("Reading problem %1").arg(id));
            if (q.next())
                s.problems[id] = q.value(0).toString();
        }
    } catch (const std::exception &e) {
        TournamentSnapshot failed;
        failed.error =
            QCoreApplication::translate("TournamentSnapshot",
                                        "Cannot read the tournaments of %1: %2")
                .arg(QDir::toNativeSeparators(workspacePath), QString::fromUtf8(e.what()));
        return failed;
    }
    return s;
}

} // namespace crucible
