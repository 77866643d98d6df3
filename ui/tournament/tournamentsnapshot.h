#pragma once
// TournamentSnapshot: everything the Tournament view shows for one tournament (or the pooled
// ratings), read in one go through a read-only connection of its own, so the panel can read it
// on the thread pool. A plain value.

#include "core/store/tournamentrepository.h"

#include <map>

namespace crucible {

struct RatingHistoryPoint
{
    QString tournamentId;
    QString label; // "round 2", "final", ...
    double rating = 1000;
    double ciLow = 1000;
    double ciHigh = 1000;
    QDateTime at;
};

struct TournamentSnapshot
{
    QString error;                             // what went wrong reading (the rest is then empty)
    std::vector<TournamentRecord> tournaments; // newest first
    QString tournamentId;                      // what was read; "" = pooled
    std::vector<RatingRecord> ratings;         // best first
    std::vector<ComparisonRecord> comparisons;
    std::map<QString, QString> names;                           // entrant key → display name
    std::map<QString, QString> problems;                        // problem id → statement excerpt
    std::map<QString, std::vector<RatingHistoryPoint>> history; // entrant → oldest first

    QString nameOf(const QString &entrant) const;

    // Reads `tournamentId` ("" = pooled ratings over every comparison); an empty id when the
    // workspace has tournaments but no pooled ratings yet reads the newest tournament.
    static TournamentSnapshot read(const QString &workspacePath, const QString &tournamentId,
                                   bool pooled);
};

} // namespace crucible
