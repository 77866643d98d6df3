#include "core/store/datasetrepository.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {
json mixToJson(const std::map<Complexity, double> &mix)
{
    json j = json::object();
    for (const auto &[level, fraction] : mix)
        j[toString(level).toStdString()] = fraction;
    return j;
}

Dataset readDataset(const QSqlQuery &q)
{
    Dataset d;
    d.id = q.value(0).toString();
    d.name = q.value(1).toString();
    d.domain = q.value(2).toString();
    const json mix = json::parse(q.value(3).toString().toStdString(), nullptr, false);
    if (mix.is_object())
        for (const auto &[k, v] : mix.items())
            if (const auto level = complexityFromString(QString::fromStdString(k));
                level && v.is_number())
                d.complexityMix[*level] = v.get<double>();
    d.createdAt = jsonio::parseTimestamp(q.value(4).toString());
    const json meta = json::parse(q.value(5).toString().toStdString(), nullptr, false);
    d.metadata = meta.is_object() ? meta : json::object();
    return d;
}

const QString kColumns = QStringLiteral("id, name, domain, complexity_mix, created_at, metadata");
} // namespace

DatasetRepository::DatasetRepository(Workspace &ws)
    : m_ws(ws)
{
}

void DatasetRepository::insert(const Dataset &d)
{
    throwIfInvalid(d.validate());
    Workspace::Transaction tx(m_ws);
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO datasets (") + kColumns +
                               QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(d.id);
    // QtSql binds a null QString as SQL NULL; the columns are NOT NULL.
    q.addBindValue(d.name.isNull() ? QStringLiteral("") : d.name);
    q.addBindValue(d.domain.isNull() ? QStringLiteral("") : d.domain);
    q.addBindValue(QString::fromStdString(mixToJson(d.complexityMix).dump()));
    q.addBindValue(jsonio::formatTimestamp(d.createdAt.isValid() ? d.createdAt : jsonio::nowUtc()));
    q.addBindValue(QString::fromStdString(d.metadata.dump()));
    Workspace::execPrepared(q, QStringLiteral("Saving dataset %1").arg(d.id));

    QSqlQuery m = m_ws.prepare(QStringLiteral(
        "INSERT INTO dataset_problems (dataset_id, problem_id, position) VALUES (?, ?, ?)"));
    for (qsizetype i = 0; i < d.problemIds.size(); ++i) {
        m.addBindValue(d.id);
        m.addBindValue(d.problemIds[i]);
        m.addBindValue(static_cast<qint64>(i + 1));
        Workspace::execPrepared(m, QStringLiteral("Adding problem %1 to dataset %2 (does the "
                                                  "problem exist, and is it listed once?)")
                                       .arg(d.problemIds[i], d.id));
    }
    tx.commit();
}

std::optional<Dataset> DatasetRepository::get(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kColumns +
                               QStringLiteral(" FROM datasets WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading dataset %1").arg(id));
    if (!q.next())
        return std::nullopt;
    Dataset d = readDataset(q);
    QSqlQuery m = m_ws.prepare(QStringLiteral(
        "SELECT problem_id FROM dataset_problems WHERE dataset_id = ? ORDER BY position"));
    m.addBindValue(id);
    Workspace::execPrepared(m, QStringLiteral("Reading the members of dataset %1").arg(id));
    while (m.next())
        d.problemIds << m.value(0).toString();
    return d;
}

std::vector<Dataset> DatasetRepository::list() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral("SELECT ") + kColumns +
                            QStringLiteral(" FROM datasets ORDER BY created_at DESC, id"));
    std::vector<Dataset> out;
    while (q.next())
        out.push_back(readDataset(q));
    return out;
}

qint64 DatasetRepository::memberCount(const QString &id) const
{
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("SELECT count(*) FROM dataset_problems WHERE dataset_id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Counting the members of dataset %1").arg(id));
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::vector<DatasetSummary> DatasetRepository::summaries() const
{
    std::vector<DatasetSummary> out;
    std::map<QString, size_t> index;
    for (Dataset &d : list()) {
        DatasetSummary s;
        const json &meta = d.metadata;
        const auto text = [&meta](const char *key) {
            const auto it = meta.find(key);
            return it != meta.end() && it->is_string()
                       ? QString::fromStdString(it->get<std::string>())
                       : QString();
        };
        s.generator = text("generator");
        s.jobId = text("job_id");
        s.source = text("source");
        if (!s.generator.isEmpty() || !s.jobId.isEmpty())
            s.origin = DatasetOrigin::Job;
        else if (!s.source.isEmpty())
            s.origin = DatasetOrigin::Import;
        if (const auto cost = meta.find("cost"); cost != meta.end() && cost->is_object()) {
            s.costFromJob = true;
            const auto usd = cost->find("usd");
            if (usd != cost->end() && usd->is_number())
                s.usd = usd->get<double>();
            else
                s.unpriced = std::max<qint64>(1, cost->value("calls", qint64(0)));
        }
        s.dataset = std::move(d);
        index[s.dataset.id] = out.size();
        out.push_back(std::move(s));
    }
    if (out.empty())
        return out;

    QSqlQuery q = m_ws.exec(QStringLiteral(
        "SELECT dp.dataset_id, p.complexity, p.review_status, count(*), "
        "sum(coalesce(json_extract(p.metadata, '$.cost_usd'), 0)), "
        "sum(CASE WHEN json_type(p.metadata, '$.cost_usd') IS NULL AND "
        "coalesce(json_array_length(p.metadata, '$.call_ids'), 0) > 0 THEN 1 ELSE 0 END) "
        "FROM dataset_problems dp JOIN problems p ON p.id = dp.problem_id "
        "GROUP BY dp.dataset_id, p.complexity, p.review_status"));
    while (q.next()) {
        const auto it = index.find(q.value(0).toString());
        if (it == index.end())
            continue;
        DatasetSummary &s = out[it->second];
        const qint64 n = q.value(3).toLongLong();
        s.size += n;
        if (const auto c = complexityFromString(q.value(1).toString()))
            s.complexityCounts[*c] += n;
        if (const auto r = reviewStatusFromString(q.value(2).toString()))
            s.reviewCounts[*r] += n;
        if (!s.costFromJob) {
            s.usd += q.value(4).toDouble();
            s.unpriced += q.value(5).toLongLong();
        }
    }
    return out;
}

bool DatasetRepository::rename(const QString &id, const QString &name)
{
    const QString trimmed = name.simplified();
    if (trimmed.isEmpty())
        throw ValidationError(QStringLiteral("name"), name,
                              QStringLiteral("must not be empty; type a name for the dataset"));
    QSqlQuery q = m_ws.prepare(QStringLiteral("UPDATE datasets SET name = ? WHERE id = ?"));
    q.addBindValue(trimmed);
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Renaming dataset %1").arg(id));
    return q.numRowsAffected() > 0;
}

DatasetRemoval DatasetRepository::remove(const QString &id, bool withMembers)
{
    DatasetRemoval r;
    Workspace::Transaction tx(m_ws);
    if (withMembers) {
        const qint64 members = memberCount(id);
        // Members no other dataset holds; the others stay so that those datasets stay whole.
        QSqlQuery del = m_ws.prepare(QStringLiteral(
            "DELETE FROM problems WHERE id IN (SELECT problem_id FROM dataset_problems "
            "WHERE dataset_id = ? AND problem_id NOT IN (SELECT problem_id FROM "
            "dataset_problems WHERE dataset_id <> ?))"));
        del.addBindValue(id);
        del.addBindValue(id);
        Workspace::execPrepared(del, QStringLiteral("Deleting the problems of dataset %1").arg(id));
        r.problemsDeleted = del.numRowsAffected();
        r.problemsKept = members - r.problemsDeleted;
    }
    QSqlQuery q = m_ws.prepare(QStringLiteral("DELETE FROM datasets WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Deleting dataset %1").arg(id));
    r.removed = q.numRowsAffected() > 0;
    if (!r.removed) {
        r.problemsDeleted = 0;
        r.problemsKept = 0;
        return r; // rolls back: nothing to delete
    }
    tx.commit();
    return r;
}

} // namespace crucible
