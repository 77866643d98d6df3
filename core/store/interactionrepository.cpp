#include "core/store/interactionrepository.h"

#include "core/model/jsonsupport.h"

#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <iterator>

namespace crucible {

namespace {

// json_extract keeps the documents in SQLite: listing never parses a transcript.
QString selectSummaries()
{
    return QStringLiteral("SELECT i.seq, i.id, i.parent, substr(coalesce(p.statement, ''), 1, %1), "
                          "coalesce(json_array_length(i.doc, '$.turns'), 0), "
                          "json_extract(i.doc, '$.metadata.turn_limit'), "
                          "coalesce(json_extract(i.doc, '$.stop_reason'), ''), "
                          "coalesce(json_extract(i.doc, '$.metadata.job_id'), ''), "
                          "json_extract(i.doc, '$.metadata.cost_usd'), i.created_at "
                          "FROM interactions i LEFT JOIN problems p ON p.id = i.parent")
        .arg(InteractionRepository::kExcerptChars);
}

std::vector<InteractionSummary> readSummaries(QSqlQuery &q)
{
    std::vector<InteractionSummary> out;
    while (q.next()) {
        InteractionSummary s;
        s.seq = q.value(0).toLongLong();
        s.id = q.value(1).toString();
        s.problemId = q.value(2).toString();
        s.problemStatement = q.value(3).toString();
        s.turns = q.value(4).toInt();
        s.turnLimit = q.value(5).isNull() ? 0 : q.value(5).toInt();
        s.stopReason = q.value(6).toString();
        s.jobId = q.value(7).toString();
        if (!q.value(8).isNull())
            s.costUsd = q.value(8).toDouble();
        s.createdAt = jsonio::parseTimestamp(q.value(9).toString());
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace

InteractionRepository::InteractionRepository(Workspace &ws)
    : m_ws(ws)
{
}

qint64 InteractionRepository::count(const QString &problemId) const
{
    QString sql = QStringLiteral("SELECT count(*) FROM interactions");
    if (!problemId.isEmpty())
        sql += QStringLiteral(" WHERE parent = ?");
    QSqlQuery q = m_ws.prepare(sql);
    if (!problemId.isEmpty())
        q.addBindValue(problemId);
    Workspace::execPrepared(q, QStringLiteral("Counting interactions"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::vector<InteractionSummary> InteractionRepository::pageAfter(const QString &problemId,
                                                                 qint64 afterSeq, int limit) const
{
    QString sql = selectSummaries() % QStringLiteral(" WHERE i.seq > ?");
    if (!problemId.isEmpty())
        sql += QStringLiteral(" AND i.parent = ?");
    sql += QStringLiteral(" ORDER BY i.seq LIMIT ?");
    QSqlQuery q = m_ws.prepare(sql);
    q.addBindValue(afterSeq);
    if (!problemId.isEmpty())
        q.addBindValue(problemId);
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Listing interactions"));
    return readSummaries(q);
}

std::vector<InteractionSummary> InteractionRepository::byIds(const QStringList &ids,
                                                             const QString &problemId) const
{
    if (ids.isEmpty())
        return {};
    // One query per batch keeps the bound parameters well under SQLite's limit.
    constexpr qsizetype kBatch = 500;
    std::vector<InteractionSummary> out;
    for (qsizetype start = 0; start < ids.size(); start += kBatch) {
        const QStringList batch = ids.mid(start, kBatch);
        QStringList marks;
        for (qsizetype i = 0; i < batch.size(); ++i)
            marks << QStringLiteral("?");
        QString sql = selectSummaries() % QStringLiteral(" WHERE i.id IN (") %
                      marks.join(QLatin1Char(',')) % QStringLiteral(")");
        if (!problemId.isEmpty())
            sql += QStringLiteral(" AND i.parent = ?");
        QSqlQuery q = m_ws.prepare(sql);
        for (const QString &id : batch)
            q.addBindValue(id);
        if (!problemId.isEmpty())
            q.addBindValue(problemId);
        Workspace::execPrepared(q, QStringLiteral("Reading interactions"));
        auto rows = readSummaries(q);
        out.insert(out.end(), std::make_move_iterator(rows.begin()),
                   std::make_move_iterator(rows.end()));
    }
    std::sort(out.begin(), out.end(), [](const InteractionSummary &a, const InteractionSummary &b) {
        return a.seq < b.seq;
    });
    return out;
}

} // namespace crucible
