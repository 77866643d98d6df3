#include "app/cli/tournamentrun.h"

#include "app/cli/commandsupport.h"
#include "app/cli/enginejobrun.h"
#include "core/evaluate/tournamentjob.h"
#include "core/llm/moneyformat.h"
#include "core/store/tournamentrepository.h"

namespace crucible::cli {

using nlohmann::json;

json tournamentDetails(Workspace &ws, const QString &jobId)
{
    const QString tid = TournamentJob::tournamentOf(ws, jobId);
    if (tid.isEmpty())
        return json::object();
    TournamentRepository repo(ws);
    const auto comparisons = repo.comparisons(tid);
    int ties = 0;
    int failed = 0;
    qint64 tokens = 0;
    double usd = 0;
    bool unpriced = false;
    for (const ComparisonRecord &c : comparisons) {
        ties += c.winner == u"tie" ? 1 : 0;
        failed += c.winner == u"failed" ? 1 : 0;
        tokens += c.tokens;
        if (c.costUsd)
            usd += *c.costUsd;
        else
            unpriced = true;
    }
    json ratings = json::array();
    QString table;
    int rank = 0;
    for (const RatingRecord &r : repo.ratings(tid)) {
        const QString name = QString::fromStdString(r.doc.value("name", r.entrant.toStdString()));
        ratings.push_back({{"entrant", r.entrant.toStdString()},
                           {"name", name.toStdString()},
                           {"rating", r.rating},
                           {"ci_low", r.ciLow},
                           {"ci_high", r.ciHigh},
                           {"wins", r.wins},
                           {"losses", r.losses},
                           {"ties", r.ties},
                           {"win_rate", r.doc.value("win_rate", json(nullptr))},
                           {"lc_win_rate", r.doc.value("lc_win_rate", json(nullptr))}});
        table += QStringLiteral("%1  %2 %3  %4–%5  %6-%7-%8\n")
                     .arg(QString::number(++rank).rightJustified(2), cell(name, 30))
                     .arg(r.rating, 6, 'f', 0)
                     .arg(r.ciLow, 0, 'f', 0)
                     .arg(r.ciHigh, 0, 'f', 0)
                     .arg(r.wins)
                     .arg(r.losses)
                     .arg(r.ties);
    }
    const int n = static_cast<int>(comparisons.size());
    json out = {
        {"tournament_id", tid.toStdString()},
        {"comparisons", n},
        {"ties", ties},
        {"failed_comparisons", failed},
        {"tokens_per_comparison", n > 0 ? json(static_cast<double>(tokens) / n) : json(nullptr)},
        {"ratings", ratings}};
    out["usd_per_comparison"] = n > 0 && !unpriced ? json(usd / n) : json(nullptr);
    QString text = QStringLiteral("tournament %1: %2 comparisons, each judged in both orders (%3 "
                                  "ties, %4 failed); per comparison %5 tokens, %6\n")
                       .arg(tid)
                       .arg(n)
                       .arg(ties)
                       .arg(failed)
                       .arg(n > 0 ? QString::number(static_cast<double>(tokens) / n, 'f', 0)
                                  : QStringLiteral("–"),
                            n > 0 && !unpriced ? formatUsd(usd / n) : QStringLiteral("unpriced"));
    text += QStringLiteral(" #  %1 rating  95% CI     W-L-T\n")
                .arg(cell(QStringLiteral("entrant"), 30));
    text += table;
    text += QStringLiteral("more: crucible-cli ratings %1 --tournament %2\n").arg(ws.path(), tid);
    out["text"] = text.toStdString();
    return out;
}

void registerTournamentDetails()
{
    registerEngineJobDetails(QString::fromLatin1(TournamentJob::kKind), tournamentDetails);
}

} // namespace crucible::cli
