#include "core/store/solutionrepository.h"

#include <QSqlQuery>
#include <QVariant>

#include <map>

namespace crucible {

using nlohmann::json;

namespace {

const QString kSolutionColumns =
    QStringLiteral("id, problem_id, agent_version_id, stage, refined_from, critique_id, job_id, "
                   "doc, text_length, call_ids, cost_usd, tokens, created_at");
const QString kCritiqueColumns = QStringLiteral(
    "id, solution_id, agent_version_id, job_id, doc, call_ids, cost_usd, tokens, created_at");

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QVariant costVariant(const std::optional<double> &cost)
{
    return cost ? QVariant(*cost) : QVariant(QMetaType(QMetaType::Double));
}

std::optional<double> costOf(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDouble();
}

json parse(const QVariant &v, json fallback)
{
    json j = json::parse(v.toString().toStdString(), nullptr, false);
    return j.is_discarded() ? fallback : j;
}

QStringList idList(const QVariant &v)
{
    QStringList out;
    for (const auto &e : parse(v, json::array()))
        if (e.is_string())
            out << QString::fromStdString(e.get<std::string>());
    return out;
}

Solution readSolution(const QSqlQuery &q)
{
    Solution s;
    s.id = q.value(0).toString();
    s.problemId = q.value(1).toString();
    s.agentVersionId = q.value(2).toString();
    s.stage = solutionStageFromString(q.value(3).toString()).value_or(SolutionStage::Solve);
    s.refinedFrom = q.value(4).toString();
    s.critiqueId = q.value(5).toString();
    s.jobId = q.value(6).toString();
    const json doc = parse(q.value(7), json::object());
    if (doc.is_object())
        s.body = SolutionBody::fromJson(doc);
    s.callIds = idList(q.value(9));
    s.costUsd = costOf(q.value(10));
    s.tokens = q.value(11).toLongLong();
    s.createdAt = jsonio::parseTimestamp(q.value(12).toString());
    return s;
}

Critique readCritique(const QSqlQuery &q)
{
    Critique c;
    c.id = q.value(0).toString();
    c.solutionId = q.value(1).toString();
    c.agentVersionId = q.value(2).toString();
    c.jobId = q.value(3).toString();
    const json doc = parse(q.value(4), json::object());
    if (doc.is_object())
        c.setDoc(doc);
    c.callIds = idList(q.value(5));
    c.costUsd = costOf(q.value(6));
    c.tokens = q.value(7).toLongLong();
    c.createdAt = jsonio::parseTimestamp(q.value(8).toString());
    return c;
}

} // namespace

SolutionRepository::SolutionRepository(Workspace &ws)
    : m_ws(ws)
{
}

void SolutionRepository::insert(const Solution &s)
{
    throwIfInvalid(s.validate());
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO solutions (") + kSolutionColumns +
                               QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(s.id);
    q.addBindValue(s.problemId);
    q.addBindValue(s.agentVersionId);
    q.addBindValue(toString(s.stage));
    q.addBindValue(orEmpty(s.refinedFrom));
    q.addBindValue(orEmpty(s.critiqueId));
    q.addBindValue(orEmpty(s.jobId));
    q.addBindValue(QString::fromStdString(s.body.toJson().dump()));
    q.addBindValue(s.textLength());
    q.addBindValue(QString::fromStdString(json(s.callIds).dump()));
    q.addBindValue(costVariant(s.costUsd));
    q.addBindValue(s.tokens);
    q.addBindValue(jsonio::formatTimestamp(s.createdAt.isValid() ? s.createdAt : jsonio::nowUtc()));
    Workspace::execPrepared(q, QStringLiteral("Saving solution %1 of problem %2 (do the problem "
                                              "and agent version %3 exist?)")
                                   .arg(s.id, s.problemId, s.agentVersionId));
}

void SolutionRepository::insert(const std::vector<Solution> &solutions)
{
    Workspace::Transaction tx(m_ws);
    for (const Solution &s : solutions)
        insert(s);
    tx.commit();
}

std::vector<Solution> SolutionRepository::selectSolutions(const QString &where,
                                                          const QVariantList &binds,
                                                          const QString &what) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kSolutionColumns +
                               QStringLiteral(" FROM solutions ") + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    Workspace::execPrepared(q, what);
    std::vector<Solution> out;
    while (q.next())
        out.push_back(readSolution(q));
    return out;
}

std::optional<Solution> SolutionRepository::get(const QString &id) const
{
    auto rows = selectSolutions(QStringLiteral("WHERE id = ?"), {id},
                                QStringLiteral("Reading solution %1").arg(id));
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

bool SolutionRepository::contains(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT 1 FROM solutions WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading solution %1").arg(id));
    return q.next();
}

std::vector<Solution> SolutionRepository::byProblem(const QString &problemId) const
{
    return selectSolutions(QStringLiteral("WHERE problem_id = ? ORDER BY seq"), {problemId},
                           QStringLiteral("Reading the solutions of problem %1").arg(problemId));
}

std::vector<Solution> SolutionRepository::byAgentVersion(const QString &agentVersionId) const
{
    return selectSolutions(
        QStringLiteral("WHERE agent_version_id = ? ORDER BY seq"), {agentVersionId},
        QStringLiteral("Reading the solutions of agent version %1").arg(agentVersionId));
}

std::vector<Solution> SolutionRepository::byJob(const QString &jobId) const
{
    return selectSolutions(QStringLiteral("WHERE job_id = ? ORDER BY seq"), {jobId},
                           QStringLiteral("Reading the solutions of job %1").arg(jobId));
}

std::vector<Solution> SolutionRepository::byIds(const QStringList &ids) const
{
    std::vector<Solution> out;
    for (const QString &id : ids)
        if (auto s = get(id))
            out.push_back(std::move(*s));
    return out;
}

std::vector<Solution> SolutionRepository::refinementsOf(const QString &id) const
{
    return selectSolutions(QStringLiteral("WHERE refined_from = ? ORDER BY seq"), {id},
                           QStringLiteral("Reading the refinements of solution %1").arg(id));
}

std::vector<Solution> SolutionRepository::chain(const QString &id) const
{
    std::vector<Solution> out;
    QStringList seen;
    QString next = id;
    while (!next.isEmpty() && !seen.contains(next)) {
        seen << next;
        auto s = get(next);
        if (!s)
            break;
        next = s->refinedFrom;
        out.insert(out.begin(), std::move(*s));
    }
    return out;
}

QStringList SolutionRepository::problemIdsWithSolutions(int limit) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT problem_id FROM solutions GROUP BY "
                                              "problem_id ORDER BY MAX(seq) DESC LIMIT ?"));
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Listing solved problems"));
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

qint64 SolutionRepository::count() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral("SELECT COUNT(*) FROM solutions"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

void SolutionRepository::insertCritique(const Critique &c)
{
    throwIfInvalid(c.validate());
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO critiques (") + kCritiqueColumns +
                               QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(c.id);
    q.addBindValue(c.solutionId);
    q.addBindValue(c.agentVersionId);
    q.addBindValue(orEmpty(c.jobId));
    q.addBindValue(QString::fromStdString(c.docJson().dump()));
    q.addBindValue(QString::fromStdString(json(c.callIds).dump()));
    q.addBindValue(costVariant(c.costUsd));
    q.addBindValue(c.tokens);
    q.addBindValue(jsonio::formatTimestamp(c.createdAt.isValid() ? c.createdAt : jsonio::nowUtc()));
    Workspace::execPrepared(q, QStringLiteral("Saving critique %1 of solution %2 (do the "
                                              "solution and agent version %3 exist?)")
                                   .arg(c.id, c.solutionId, c.agentVersionId));
}

std::vector<Critique> SolutionRepository::selectCritiques(const QString &where,
                                                          const QVariantList &binds,
                                                          const QString &what) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kCritiqueColumns +
                               QStringLiteral(" FROM critiques ") + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    Workspace::execPrepared(q, what);
    std::vector<Critique> out;
    while (q.next())
        out.push_back(readCritique(q));
    return out;
}

std::optional<Critique> SolutionRepository::critique(const QString &id) const
{
    auto rows = selectCritiques(QStringLiteral("WHERE id = ?"), {id},
                                QStringLiteral("Reading critique %1").arg(id));
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

bool SolutionRepository::containsCritique(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT 1 FROM critiques WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading critique %1").arg(id));
    return q.next();
}

std::vector<Critique> SolutionRepository::critiquesOf(const QString &solutionId) const
{
    return selectCritiques(QStringLiteral("WHERE solution_id = ? ORDER BY seq"), {solutionId},
                           QStringLiteral("Reading the critiques of solution %1").arg(solutionId));
}

std::vector<Critique> SolutionRepository::critiquesByJob(const QString &jobId) const
{
    return selectCritiques(QStringLiteral("WHERE job_id = ? ORDER BY seq"), {jobId},
                           QStringLiteral("Reading the critiques of job %1").arg(jobId));
}

} // namespace crucible
