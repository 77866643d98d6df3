#include "core/store/jobrepository.h"

#include "core/model/jsonsupport.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {
const char *const kStatusNames[] = {"running", "completed", "failed", "cancelled"};

json parseObject(const QVariant &v)
{
    json j = json::parse(v.toString().toStdString(), nullptr, false);
    return j.is_object() ? j : json::object();
}

QString dump(const json &j)
{
    return QString::fromStdString(j.dump());
}

const QString kJobColumns =
    QStringLiteral("id, kind, params, status, done, total, summary, error, created_at, updated_at");

JobRecord readJob(const QSqlQuery &q)
{
    JobRecord r;
    r.id = q.value(0).toString();
    r.kind = q.value(1).toString();
    r.params = parseObject(q.value(2));
    r.status = jobStatusFromString(q.value(3).toString()).value_or(JobStatus::Failed);
    r.done = q.value(4).toLongLong();
    r.total = q.value(5).toLongLong();
    r.summary = parseObject(q.value(6));
    r.error = q.value(7).toString();
    r.createdAt = jsonio::parseTimestamp(q.value(8).toString());
    r.updatedAt = jsonio::parseTimestamp(q.value(9).toString());
    return r;
}
} // namespace

QString toString(JobStatus s)
{
    return QString::fromLatin1(kStatusNames[static_cast<int>(s)]);
}

std::optional<JobStatus> jobStatusFromString(const QString &s)
{
    for (int i = 0; i < 4; ++i)
        if (s == QLatin1String(kStatusNames[i]))
            return static_cast<JobStatus>(i);
    return std::nullopt;
}

JobRepository::JobRepository(Workspace &ws)
    : m_ws(ws)
{
}

void JobRepository::create(const JobRecord &job)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO jobs (") + kJobColumns +
                               QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QString now = jsonio::formatTimestamp(jsonio::nowUtc());
    q.addBindValue(job.id);
    q.addBindValue(job.kind);
    q.addBindValue(dump(job.params));
    q.addBindValue(toString(job.status));
    q.addBindValue(job.done);
    q.addBindValue(job.total);
    q.addBindValue(dump(job.summary));
    q.addBindValue(job.error.isNull() ? QStringLiteral("") : job.error);
    q.addBindValue(job.createdAt.isValid() ? jsonio::formatTimestamp(job.createdAt) : now);
    q.addBindValue(now);
    Workspace::execPrepared(q, QStringLiteral("Saving job %1").arg(job.id));
}

std::optional<JobRecord> JobRepository::get(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kJobColumns +
                               QStringLiteral(" FROM jobs WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading job %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return readJob(q);
}

std::vector<JobRecord> JobRepository::list(int limit) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kJobColumns +
                               QStringLiteral(" FROM jobs ORDER BY created_at DESC, rowid DESC "
                                              "LIMIT ?"));
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Listing jobs"));
    std::vector<JobRecord> out;
    while (q.next())
        out.push_back(readJob(q));
    return out;
}

void JobRepository::setStatus(const QString &id, JobStatus status, const QString &error)
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(toString(status));
    q.addBindValue(error.isNull() ? QStringLiteral("") : error);
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Updating job %1").arg(id));
}

void JobRepository::setProgress(const QString &id, qint64 done, qint64 total)
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("UPDATE jobs SET done = ?, total = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(done);
    q.addBindValue(total);
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Updating job %1").arg(id));
}

void JobRepository::setSummary(const QString &id, const json &summary)
{
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("UPDATE jobs SET summary = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(dump(summary));
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Updating job %1").arg(id));
}

bool JobRepository::setControl(const QString &id, const QString &request)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "UPDATE jobs SET params = json_set(params, '$.control', ?), updated_at = ? WHERE id = ?"));
    q.addBindValue(request.isNull() ? QStringLiteral("") : request);
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Sending \"%1\" to job %2").arg(request, id));
    return q.numRowsAffected() > 0;
}

QString JobRepository::control(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT json_extract(params, '$.control') FROM jobs WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading job %1").arg(id));
    return q.next() ? q.value(0).toString() : QString();
}

void JobRepository::startUnit(const QString &jobId, const JobUnit &unit)
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("INSERT INTO job_units (job_id, unit, grp, status, input) "
                       "VALUES (?, ?, ?, 'started', ?) ON CONFLICT(job_id, unit) DO NOTHING"));
    q.addBindValue(jobId);
    q.addBindValue(unit.unit);
    q.addBindValue(unit.group.isNull() ? QStringLiteral("") : unit.group);
    q.addBindValue(dump(unit.input));
    Workspace::execPrepared(q,
                            QStringLiteral("Saving unit %1 of job %2").arg(unit.unit).arg(jobId));
}

void JobRepository::finishUnit(const QString &jobId, int unit, const json &result)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "UPDATE job_units SET status = 'done', result = ? WHERE job_id = ? AND unit = ?"));
    q.addBindValue(dump(result));
    q.addBindValue(jobId);
    q.addBindValue(unit);
    Workspace::execPrepared(q, QStringLiteral("Saving unit %1 of job %2").arg(unit).arg(jobId));
    if (q.numRowsAffected() != 1)
        throw WorkspaceError(
            WorkspaceError::Kind::Query,
            QStringLiteral("Unit %1 of job %2 was never started").arg(unit).arg(jobId));
}

std::vector<JobUnit> JobRepository::units(const QString &jobId) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "SELECT unit, grp, status, input, result FROM job_units WHERE job_id = ? ORDER BY unit"));
    q.addBindValue(jobId);
    Workspace::execPrepared(q, QStringLiteral("Reading units of job %1").arg(jobId));
    std::vector<JobUnit> out;
    while (q.next()) {
        JobUnit u;
        u.unit = q.value(0).toInt();
        u.group = q.value(1).toString();
        u.finished = q.value(2).toString() == QLatin1String("done");
        u.input = parseObject(q.value(3));
        u.result = parseObject(q.value(4));
        out.push_back(std::move(u));
    }
    return out;
}

JobRemoval JobRepository::remove(const QString &jobId, bool withOutputs)
{
    JobRemoval out;
    const auto job = get(jobId);
    if (!job)
        return out;
    QStringList accepted;
    for (const JobUnit &u : units(jobId))
        for (const auto &id : u.result.value("accepted", json::array()))
            if (id.is_string())
                accepted << QString::fromStdString(id.get<std::string>());
    const bool interactions = job->kind == QLatin1String("interactions");
    const QString datasetId =
        QString::fromStdString(job->params.value("dataset_id", std::string()));

    Workspace::Transaction tx(m_ws);
    auto exec = [this](const QString &sql, const QString &id, const QString &what) {
        QSqlQuery q = m_ws.prepare(sql);
        q.addBindValue(id);
        Workspace::execPrepared(q, what);
        return q.numRowsAffected();
    };
    if (withOutputs) {
        for (const QString &id : accepted) {
            if (interactions)
                out.interactions += exec(QStringLiteral("DELETE FROM interactions WHERE id = ?"),
                                         id, QStringLiteral("Deleting interaction %1").arg(id));
            else
                out.problems += exec(QStringLiteral("DELETE FROM problems WHERE id = ?"), id,
                                     QStringLiteral("Deleting problem %1").arg(id));
        }
        if (!datasetId.isEmpty())
            out.dataset = exec(QStringLiteral("DELETE FROM datasets WHERE id = ?"), datasetId,
                               QStringLiteral("Deleting dataset %1").arg(datasetId)) > 0;
    } else {
        out.keptProblems = static_cast<int>(accepted.size());
    }
    exec(QStringLiteral("DELETE FROM job_units WHERE job_id = ?"), jobId,
         QStringLiteral("Deleting the units of job %1").arg(jobId));
    out.removed = exec(QStringLiteral("DELETE FROM jobs WHERE id = ?"), jobId,
                       QStringLiteral("Deleting job %1").arg(jobId)) > 0;
    tx.commit();
    return out;
}

} // namespace crucible
