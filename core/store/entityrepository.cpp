#include "core/store/entityrepository.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

EntityStore::EntityStore(Workspace &ws)
    : m_ws(ws)
{
}

void EntityStore::putJson(const QString &table, const QString &id, const QString &parent,
                          const json &doc)
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("INSERT INTO %1 (id, parent, doc, created_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, doc = excluded.doc")
            .arg(table));
    q.addBindValue(id);
    q.addBindValue(parent.isNull() ? QStringLiteral("") : parent);
    q.addBindValue(QString::fromStdString(doc.dump()));
    q.addBindValue(QString::fromStdString(doc.value("created_at", std::string())));
    Workspace::execPrepared(q, QStringLiteral("Saving %1 %2").arg(table, id));
}

std::optional<json> EntityStore::getJson(const QString &table, const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT doc FROM %1 WHERE id = ?").arg(table));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading %1 %2").arg(table, id));
    if (!q.next())
        return std::nullopt;
    return json::parse(q.value(0).toString().toStdString());
}

std::vector<json> EntityStore::listJson(const QString &table, const QString &parent, int limit,
                                        int offset) const
{
    QString sql = QStringLiteral("SELECT doc FROM %1").arg(table);
    if (!parent.isEmpty())
        sql += QStringLiteral(" WHERE parent = ?");
    sql += QStringLiteral(" ORDER BY seq LIMIT ? OFFSET ?");
    QSqlQuery q = m_ws.prepare(sql);
    if (!parent.isEmpty())
        q.addBindValue(parent);
    q.addBindValue(limit);
    q.addBindValue(offset);
    Workspace::execPrepared(q, QStringLiteral("Listing %1").arg(table));
    std::vector<json> out;
    while (q.next())
        out.push_back(json::parse(q.value(0).toString().toStdString()));
    return out;
}

qint64 EntityStore::countRows(const QString &table, const QString &parent) const
{
    QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(table);
    if (!parent.isEmpty())
        sql += QStringLiteral(" WHERE parent = ?");
    QSqlQuery q = m_ws.prepare(sql);
    if (!parent.isEmpty())
        q.addBindValue(parent);
    Workspace::execPrepared(q, QStringLiteral("Counting %1").arg(table));
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace crucible
