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

bool DatasetRepository::remove(const QString &id)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("DELETE FROM datasets WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Deleting dataset %1").arg(id));
    return q.numRowsAffected() > 0;
}

} // namespace crucible
