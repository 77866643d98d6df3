#include "core/store/tournamentrepository.h"

#include "core/model/jsonsupport.h"

#include <QSqlQuery>
#include <QVariant>

#include <map>

namespace crucible {

using nlohmann::json;

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

json parseDoc(const QString &text, json fallback = json::object())
{
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? std::move(fallback) : j;
}

QString dump(const json &j)
{
    return QString::fromStdString(j.dump());
}

// A null QString binds as SQL NULL; every text column here is NOT NULL.
QString nn(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QVariant optionalReal(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Double));
}

QString swapVerdict(const QString &v)
{
    if (v == u"a")
        return QStringLiteral("b");
    if (v == u"b")
        return QStringLiteral("a");
    return v;
}

const QString kComparisonColumns = QStringLiteral(
    "seq, id, tournament_id, problem_id, solution_a, solution_b, entrant_a, entrant_b, "
    "judge_version_id, verdict_ab, verdict_ba, winner, doc, job_id, call_ids, cost_usd, tokens, "
    "created_at");

std::vector<ComparisonRecord> readComparisons(QSqlQuery &q)
{
    std::vector<ComparisonRecord> out;
    while (q.next()) {
        ComparisonRecord c;
        c.seq = q.value(0).toLongLong();
        c.id = q.value(1).toString();
        c.tournamentId = q.value(2).toString();
        c.problemId = q.value(3).toString();
        c.solutionA = q.value(4).toString();
        c.solutionB = q.value(5).toString();
        c.entrantA = q.value(6).toString();
        c.entrantB = q.value(7).toString();
        c.judgeVersionId = q.value(8).toString();
        c.verdictAb = q.value(9).toString();
        c.verdictBa = q.value(10).toString();
        c.winner = q.value(11).toString();
        c.doc = parseDoc(q.value(12).toString());
        c.jobId = q.value(13).toString();
        c.callIds = jsonio::stringsIn(parseDoc(q.value(14).toString(), json::array()), false);
        if (!q.value(15).isNull())
            c.costUsd = q.value(15).toDouble();
        c.tokens = q.value(16).toLongLong();
        c.createdAt = jsonio::parseTimestamp(q.value(17).toString());
        out.push_back(std::move(c));
    }
    return out;
}

void insertPair(Workspace &ws, const PreferencePairRecord &p)
{
    QSqlQuery pq = ws.prepare(QStringLiteral(
        "INSERT INTO preference_pairs (id, comparison_id, problem_id, chosen_solution_id, "
        "rejected_solution_id, chosen_score, rejected_score, doc, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    pq.addBindValue(nn(p.id));
    pq.addBindValue(nn(p.comparisonId));
    pq.addBindValue(nn(p.problemId));
    pq.addBindValue(nn(p.chosenSolutionId));
    pq.addBindValue(nn(p.rejectedSolutionId));
    pq.addBindValue(optionalReal(p.chosenScore));
    pq.addBindValue(optionalReal(p.rejectedScore));
    pq.addBindValue(dump(p.doc));
    pq.addBindValue(jsonio::formatTimestamp(p.createdAt));
    Workspace::execPrepared(
        pq, QStringLiteral("Storing the preference pair of comparison %1").arg(p.comparisonId));
}

const QString kPairColumns =
    QStringLiteral("id, comparison_id, problem_id, chosen_solution_id, rejected_solution_id, "
                   "chosen_score, rejected_score, doc, created_at");

std::vector<PreferencePairRecord> readPairs(QSqlQuery &q)
{
    std::vector<PreferencePairRecord> out;
    while (q.next()) {
        PreferencePairRecord p;
        p.id = q.value(0).toString();
        p.comparisonId = q.value(1).toString();
        p.problemId = q.value(2).toString();
        p.chosenSolutionId = q.value(3).toString();
        p.rejectedSolutionId = q.value(4).toString();
        if (!q.value(5).isNull())
            p.chosenScore = q.value(5).toDouble();
        if (!q.value(6).isNull())
            p.rejectedScore = q.value(6).toDouble();
        p.doc = parseDoc(q.value(7).toString());
        p.createdAt = jsonio::parseTimestamp(q.value(8).toString());
        out.push_back(std::move(p));
    }
    return out;
}

const QString kRatingColumns = QStringLiteral(
    "tournament_id, entrant, rating, ci_low, ci_high, wins, losses, ties, doc, computed_at");

std::vector<RatingRecord> readRatings(QSqlQuery &q)
{
    std::vector<RatingRecord> out;
    while (q.next()) {
        RatingRecord r;
        r.tournamentId = q.value(0).toString();
        r.entrant = q.value(1).toString();
        r.rating = q.value(2).toDouble();
        r.ciLow = q.value(3).toDouble();
        r.ciHigh = q.value(4).toDouble();
        r.wins = q.value(5).toInt();
        r.losses = q.value(6).toInt();
        r.ties = q.value(7).toInt();
        r.doc = parseDoc(q.value(8).toString());
        r.computedAt = jsonio::parseTimestamp(q.value(9).toString());
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

QString TournamentEntrant::teamKey(const QString &generator, const QString &critic,
                                   const QString &refiner)
{
    if (critic.isEmpty() && refiner.isEmpty())
        return generator;
    return generator + QLatin1Char('+') + critic + QLatin1Char('+') + refiner;
}

json TournamentEntrant::toJson() const
{
    return {{"key", s(key)},
            {"name", s(name)},
            {"generator", s(generator)},
            {"critic", s(critic)},
            {"refiner", s(refiner)}};
}

TournamentEntrant TournamentEntrant::fromJson(const json &j)
{
    TournamentEntrant e;
    e.key = jsonio::stringOr(j, "key");
    e.name = jsonio::stringOr(j, "name");
    e.generator = jsonio::stringOr(j, "generator");
    e.critic = jsonio::stringOr(j, "critic");
    e.refiner = jsonio::stringOr(j, "refiner");
    if (e.key.isEmpty())
        e.key = teamKey(e.generator, e.critic, e.refiner);
    return e;
}

std::vector<TournamentEntrant> TournamentRecord::entrants() const
{
    std::vector<TournamentEntrant> out;
    const auto it = params.find("entrants");
    if (it != params.end() && it->is_array())
        for (const json &e : *it)
            if (e.is_object())
                out.push_back(TournamentEntrant::fromJson(e));
    return out;
}

QStringList TournamentRecord::problems() const
{
    return jsonio::stringsIn(params.value("problems", json::array()), false);
}

QStringList TournamentRecord::judges() const
{
    return jsonio::stringsIn(params.value("judges", json::array()), false);
}

ComparisonRecord ComparisonRecord::swapped() const
{
    ComparisonRecord c = *this;
    std::swap(c.solutionA, c.solutionB);
    std::swap(c.entrantA, c.entrantB);
    // "ab" was judged with the old A first, i.e. the new B first.
    c.verdictAb = swapVerdict(verdictBa);
    c.verdictBa = swapVerdict(verdictAb);
    c.winner = swapVerdict(winner);
    json d = doc;
    if (d.is_object()) {
        auto swapOrder = [](json order) {
            if (!order.is_object())
                return order;
            if (order.contains("verdict") && order["verdict"].is_string())
                order["verdict"] =
                    s(swapVerdict(QString::fromStdString(order["verdict"].get<std::string>())));
            for (const auto &[x, y] :
                 {std::pair{"assessment_a", "assessment_b"}, std::pair{"score_a", "score_b"}}) {
                json vx = order.value(x, json());
                json vy = order.value(y, json());
                if (order.contains(x) || order.contains(y)) {
                    order[x] = vy;
                    order[y] = vx;
                }
            }
            return order;
        };
        const json ab = d.value("ab", json::object());
        const json ba = d.value("ba", json::object());
        d["ab"] = swapOrder(ba);
        d["ba"] = swapOrder(ab);
        const json la = d.value("length_a", json(0));
        d["length_a"] = d.value("length_b", json(0));
        d["length_b"] = la;
        if (d.contains("error")) {
            // The combined error names the orders: rebuild it for the new A and B.
            QStringList parts;
            const QString abError = QString::fromStdString(d["ab"].value("error", std::string()));
            const QString baError = QString::fromStdString(d["ba"].value("error", std::string()));
            if (!abError.isEmpty())
                parts << QStringLiteral("A shown first: ") + abError;
            if (!baError.isEmpty())
                parts << QStringLiteral("B shown first: ") + baError;
            if (!parts.isEmpty())
                d["error"] = s(parts.join(QStringLiteral("; ")));
        }
    }
    c.doc = d;
    return c;
}

TournamentRepository::TournamentRepository(Workspace &ws)
    : m_ws(ws)
{
}

void TournamentRepository::createTournament(const TournamentRecord &t)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO tournaments (id, name, format, params, "
                                              "job_id, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(nn(t.id));
    q.addBindValue(nn(t.name));
    q.addBindValue(nn(t.format));
    q.addBindValue(dump(t.params));
    q.addBindValue(nn(t.jobId));
    q.addBindValue(jsonio::formatTimestamp(t.createdAt.isValid() ? t.createdAt : jsonio::nowUtc()));
    Workspace::execPrepared(q, QStringLiteral("Creating tournament %1").arg(t.id));
}

namespace {

std::vector<TournamentRecord> readTournaments(QSqlQuery &q)
{
    std::vector<TournamentRecord> out;
    while (q.next()) {
        TournamentRecord t;
        t.id = q.value(0).toString();
        t.name = q.value(1).toString();
        t.format = q.value(2).toString();
        t.params = parseDoc(q.value(3).toString());
        t.jobId = q.value(4).toString();
        t.createdAt = jsonio::parseTimestamp(q.value(5).toString());
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

std::optional<TournamentRecord> TournamentRepository::tournament(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "SELECT id, name, format, params, job_id, created_at FROM tournaments WHERE id = ?"));
    q.addBindValue(nn(id));
    Workspace::execPrepared(q, QStringLiteral("Reading tournament %1").arg(id));
    auto rows = readTournaments(q);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<TournamentRecord> TournamentRepository::tournaments() const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT id, name, format, params, job_id, created_at "
                                              "FROM tournaments ORDER BY created_at DESC, id"));
    Workspace::execPrepared(q, QStringLiteral("Listing tournaments"));
    return readTournaments(q);
}

void TournamentRepository::setTournamentJob(const QString &id, const QString &jobId)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("UPDATE tournaments SET job_id = ? WHERE id = ?"));
    q.addBindValue(nn(jobId));
    q.addBindValue(nn(id));
    Workspace::execPrepared(q, QStringLiteral("Linking tournament %1 to its job").arg(id));
}

ComparisonWrite TournamentRepository::addComparison(ComparisonRecord &c,
                                                    const std::optional<PreferencePairRecord> &pair)
{
    if (c.solutionA > c.solutionB)
        c = c.swapped();
    if (!c.createdAt.isValid())
        c.createdAt = jsonio::nowUtc();
    Workspace::Transaction tx(m_ws);
    ComparisonWrite what = ComparisonWrite::Inserted;
    if (auto existing = comparison(c.tournamentId, c.solutionA, c.solutionB, c.judgeVersionId)) {
        if (existing->winner != u"failed" || c.winner == u"failed") {
            c = *existing;
            tx.commit();
            return ComparisonWrite::AlreadyThere;
        }
        c.id = existing->id;
        QSqlQuery del = m_ws.prepare(QStringLiteral("DELETE FROM comparisons WHERE id = ?"));
        del.addBindValue(nn(c.id));
        Workspace::execPrepared(del, QStringLiteral("Replacing failed comparison %1").arg(c.id));
        what = ComparisonWrite::Replaced;
    }
    if (c.id.isEmpty())
        c.id = jsonio::newId("cmp");
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("INSERT INTO comparisons (id, tournament_id, problem_id, solution_a, "
                       "solution_b, entrant_a, entrant_b, judge_version_id, verdict_ab, "
                       "verdict_ba, winner, doc, job_id, call_ids, cost_usd, tokens, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(nn(c.id));
    q.addBindValue(nn(c.tournamentId));
    q.addBindValue(nn(c.problemId));
    q.addBindValue(nn(c.solutionA));
    q.addBindValue(nn(c.solutionB));
    q.addBindValue(nn(c.entrantA));
    q.addBindValue(nn(c.entrantB));
    q.addBindValue(nn(c.judgeVersionId));
    q.addBindValue(nn(c.verdictAb));
    q.addBindValue(nn(c.verdictBa));
    q.addBindValue(nn(c.winner));
    q.addBindValue(dump(c.doc));
    q.addBindValue(nn(c.jobId));
    q.addBindValue(dump(json(c.callIds)));
    q.addBindValue(optionalReal(c.costUsd));
    q.addBindValue(c.tokens);
    q.addBindValue(jsonio::formatTimestamp(c.createdAt));
    Workspace::execPrepared(q, QStringLiteral("Storing comparison of %1 and %2 on problem %3")
                                   .arg(c.solutionA, c.solutionB, c.problemId));
    c.seq = q.lastInsertId().toLongLong();

    if (c.decisive()) {
        PreferencePairRecord p = pair.value_or(PreferencePairRecord{});
        p.id = p.id.isEmpty() ? jsonio::newId("prf") : p.id;
        p.comparisonId = c.id;
        p.problemId = c.problemId;
        const bool aWon = c.winner == u"a";
        p.chosenSolutionId = aWon ? c.solutionA : c.solutionB;
        p.rejectedSolutionId = aWon ? c.solutionB : c.solutionA;
        if (!p.createdAt.isValid())
            p.createdAt = c.createdAt;
        insertPair(m_ws, p);
    }
    tx.commit();
    return what;
}

std::optional<ComparisonRecord>
TournamentRepository::comparison(const QString &tournamentId, const QString &solutionA,
                                 const QString &solutionB, const QString &judgeVersionId) const
{
    const bool swap = solutionA > solutionB;
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kComparisonColumns %
                               QStringLiteral(" FROM comparisons WHERE tournament_id = ? AND "
                                              "solution_a = ? AND solution_b = ? AND "
                                              "judge_version_id = ?"));
    q.addBindValue(nn(tournamentId));
    q.addBindValue(nn(swap ? solutionB : solutionA));
    q.addBindValue(nn(swap ? solutionA : solutionB));
    q.addBindValue(nn(judgeVersionId));
    Workspace::execPrepared(
        q, QStringLiteral("Reading a comparison of %1 and %2").arg(solutionA, solutionB));
    auto rows = readComparisons(q);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::optional<ComparisonRecord> TournamentRepository::comparisonById(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kComparisonColumns %
                               QStringLiteral(" FROM comparisons WHERE id = ?"));
    q.addBindValue(nn(id));
    Workspace::execPrepared(q, QStringLiteral("Reading comparison %1").arg(id));
    auto rows = readComparisons(q);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<ComparisonRecord> TournamentRepository::comparisons(const QString &tournamentId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kComparisonColumns %
                               QStringLiteral(" FROM comparisons WHERE tournament_id = ? "
                                              "ORDER BY seq"));
    q.addBindValue(nn(tournamentId));
    Workspace::execPrepared(
        q, QStringLiteral("Reading the comparisons of tournament %1").arg(tournamentId));
    return readComparisons(q);
}

std::vector<ComparisonRecord> TournamentRepository::allComparisons() const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kComparisonColumns %
                               QStringLiteral(" FROM comparisons ORDER BY seq"));
    Workspace::execPrepared(q, QStringLiteral("Reading every comparison"));
    return readComparisons(q);
}

std::vector<ComparisonRecord>
TournamentRepository::comparisonsBetween(const QString &tournamentId, const QString &entrantX,
                                         const QString &entrantY) const
{
    QString sql = QStringLiteral("SELECT ") % kComparisonColumns %
                  QStringLiteral(" FROM comparisons WHERE ((entrant_a = ? AND entrant_b = ?) OR "
                                 "(entrant_a = ? AND entrant_b = ?))");
    if (!tournamentId.isEmpty())
        sql += QStringLiteral(" AND tournament_id = ?");
    sql += QStringLiteral(" ORDER BY seq");
    QSqlQuery q = m_ws.prepare(sql);
    q.addBindValue(nn(entrantX));
    q.addBindValue(nn(entrantY));
    q.addBindValue(nn(entrantY));
    q.addBindValue(nn(entrantX));
    if (!tournamentId.isEmpty())
        q.addBindValue(nn(tournamentId));
    Workspace::execPrepared(
        q, QStringLiteral("Reading the comparisons of %1 and %2").arg(entrantX, entrantY));
    return readComparisons(q);
}

std::optional<PreferencePairRecord>
TournamentRepository::preferencePair(const QString &comparisonId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kPairColumns %
                               QStringLiteral(" FROM preference_pairs WHERE comparison_id = ?"));
    q.addBindValue(nn(comparisonId));
    Workspace::execPrepared(
        q, QStringLiteral("Reading the preference pair of comparison %1").arg(comparisonId));
    auto rows = readPairs(q);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<PreferencePairRecord>
TournamentRepository::preferencePairs(const QString &tournamentId) const
{
    QString sql = QStringLiteral("SELECT p.id, p.comparison_id, p.problem_id, "
                                 "p.chosen_solution_id, p.rejected_solution_id, p.chosen_score, "
                                 "p.rejected_score, p.doc, p.created_at FROM preference_pairs p");
    if (!tournamentId.isEmpty())
        sql += QStringLiteral(" JOIN comparisons c ON c.id = p.comparison_id "
                              "WHERE c.tournament_id = ?");
    sql += QStringLiteral(" ORDER BY p.seq");
    QSqlQuery q = m_ws.prepare(sql);
    if (!tournamentId.isEmpty())
        q.addBindValue(nn(tournamentId));
    Workspace::execPrepared(q, QStringLiteral("Reading preference pairs"));
    return readPairs(q);
}

qint64 TournamentRepository::preferencePairCount() const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT count(*) FROM preference_pairs"));
    Workspace::execPrepared(q, QStringLiteral("Counting preference pairs"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

PreferencePairRecord TournamentRepository::addHumanPreference(const QString &comparisonId,
                                                              const QString &chosenSolutionId,
                                                              json doc)
{
    const auto c = comparisonById(comparisonId);
    if (!c)
        throw WorkspaceError(WorkspaceError::Kind::NotFound,
                             QStringLiteral("comparison %1 no longer exists in %2, so the "
                                            "answer cannot become a preference pair; dismiss the "
                                            "question instead")
                                 .arg(comparisonId, m_ws.path()));
    if (chosenSolutionId != c->solutionA && chosenSolutionId != c->solutionB)
        throw WorkspaceError(WorkspaceError::Kind::Constraint,
                             QStringLiteral("solution %1 is not one of the two compared by %2 "
                                            "(%3, %4)")
                                 .arg(chosenSolutionId, comparisonId, c->solutionA, c->solutionB));
    if (const auto existing = preferencePair(comparisonId)) {
        const bool human =
            existing->doc.is_object() && existing->doc.value("source", std::string()) == "human";
        const QString answer =
            human ? QString::fromStdString(existing->doc.value("answer_id", std::string()))
                  : QString();
        throw WorkspaceError(
            WorkspaceError::Kind::Constraint,
            human ? QStringLiteral("comparison %1 already has a person's preference pair %2 "
                                   "(answer %3); undo that answer with `crucible-cli inbox WS "
                                   "undo %3` first")
                        .arg(comparisonId, existing->id, answer)
                  : QStringLiteral("comparison %1 is decisive and already has the judge's "
                                   "preference pair %2; nothing to add")
                        .arg(comparisonId, existing->id));
    }
    PreferencePairRecord p;
    p.id = jsonio::newId("prf");
    p.comparisonId = comparisonId;
    p.problemId = c->problemId;
    p.chosenSolutionId = chosenSolutionId;
    p.rejectedSolutionId = chosenSolutionId == c->solutionA ? c->solutionB : c->solutionA;
    p.doc = std::move(doc);
    p.doc["source"] = "human";
    p.createdAt = jsonio::nowUtc();
    insertPair(m_ws, p);
    return p;
}

bool TournamentRepository::removePreferencePair(const QString &pairId)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("DELETE FROM preference_pairs WHERE id = ?"));
    q.addBindValue(nn(pairId));
    Workspace::execPrepared(q, QStringLiteral("Removing preference pair %1").arg(pairId));
    return q.numRowsAffected() > 0;
}

void TournamentRepository::saveRatings(const QString &tournamentId, std::vector<RatingRecord> rows,
                                       const QString &label)
{
    Workspace::Transaction tx(m_ws);
    std::map<QString, json> previousHistory;
    for (const RatingRecord &old : ratings(tournamentId))
        previousHistory[old.entrant] = old.doc.value("history", json::array());
    QSqlQuery del = m_ws.prepare(QStringLiteral("DELETE FROM ratings WHERE tournament_id = ?"));
    del.addBindValue(nn(tournamentId));
    Workspace::execPrepared(
        del, QStringLiteral("Replacing the ratings of %1")
                 .arg(tournamentId.isEmpty() ? QStringLiteral("the workspace") : tournamentId));
    const QDateTime now = jsonio::nowUtc();
    for (RatingRecord &r : rows) {
        r.tournamentId = tournamentId;
        if (!r.computedAt.isValid())
            r.computedAt = now;
        json history =
            previousHistory.count(r.entrant) ? previousHistory[r.entrant] : json::array();
        if (!history.is_array())
            history = json::array();
        history.push_back({{"label", s(label)},
                           {"rating", r.rating},
                           {"ci_low", r.ciLow},
                           {"ci_high", r.ciHigh},
                           {"computed_at", s(jsonio::formatTimestamp(r.computedAt))}});
        if (!r.doc.is_object())
            r.doc = json::object();
        r.doc["history"] = history;
        QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO ratings (") % kRatingColumns %
                                   QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(nn(r.tournamentId));
        q.addBindValue(nn(r.entrant));
        q.addBindValue(r.rating);
        q.addBindValue(r.ciLow);
        q.addBindValue(r.ciHigh);
        q.addBindValue(r.wins);
        q.addBindValue(r.losses);
        q.addBindValue(r.ties);
        q.addBindValue(dump(r.doc));
        q.addBindValue(jsonio::formatTimestamp(r.computedAt));
        Workspace::execPrepared(q, QStringLiteral("Storing the rating of %1").arg(r.entrant));
    }
    tx.commit();
}

std::vector<RatingRecord> TournamentRepository::ratings(const QString &tournamentId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kRatingColumns %
                               QStringLiteral(" FROM ratings WHERE tournament_id = ? "
                                              "ORDER BY rating DESC, entrant"));
    q.addBindValue(nn(tournamentId));
    Workspace::execPrepared(q, QStringLiteral("Reading ratings"));
    return readRatings(q);
}

std::vector<RatingRecord> TournamentRepository::history(const QString &entrant) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") % kRatingColumns %
                               QStringLiteral(" FROM ratings WHERE entrant = ? "
                                              "ORDER BY computed_at, tournament_id"));
    q.addBindValue(nn(entrant));
    Workspace::execPrepared(q, QStringLiteral("Reading the rating history of %1").arg(entrant));
    return readRatings(q);
}

} // namespace crucible
