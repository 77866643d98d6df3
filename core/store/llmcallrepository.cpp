#include "core/store/llmcallrepository.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

namespace {

// WHERE clause and its values, in order.
struct Where
{
    QString sql;
    QVariantList values;
};

Where whereFor(const LlmCallFilter &f)
{
    QStringList parts;
    Where w;
    auto add = [&](const QString &clause, const QVariant &value) {
        parts << clause;
        w.values << value;
    };
    if (!f.jobId.isEmpty())
        add(QStringLiteral("parent = ?"), f.jobId);
    if (!f.provider.isEmpty())
        add(QStringLiteral("provider = ?"), f.provider);
    if (!f.model.isEmpty())
        add(QStringLiteral("model = ?"), f.model);
    if (!f.status.isEmpty())
        add(QStringLiteral("status = ?"), f.status);
    if (f.errorsOnly)
        parts << QStringLiteral("status <> 'ok'");
    if (f.cacheHitsOnly)
        parts << QStringLiteral("cache_hit = 1");
    if (!f.text.isEmpty()) {
        const QString pattern = QLatin1Char('%') + f.text + QLatin1Char('%');
        parts << QStringLiteral("(id LIKE ? OR model LIKE ? OR template_id LIKE ? OR "
                                "error LIKE ? OR json_extract(doc, '$.request_id') LIKE ?)");
        for (int i = 0; i < 5; ++i)
            w.values << pattern;
    }
    if (f.afterSeq > 0)
        add(QStringLiteral("seq > ?"), f.afterSeq);
    if (f.beforeSeq > 0)
        add(QStringLiteral("seq < ?"), f.beforeSeq);
    if (!parts.isEmpty())
        w.sql = QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
    return w;
}

QSqlQuery run(Workspace &ws, const QString &sql, const QVariantList &values, const QString &what)
{
    QSqlQuery q = ws.prepare(sql);
    for (const auto &v : values)
        q.addBindValue(v);
    Workspace::execPrepared(q, what);
    return q;
}

} // namespace

bool LlmCallFilter::isEmpty() const
{
    return jobId.isEmpty() && provider.isEmpty() && model.isEmpty() && status.isEmpty() &&
           !errorsOnly && !cacheHitsOnly && text.isEmpty() && afterSeq == 0 && beforeSeq == 0;
}

LlmCallRepository::LlmCallRepository(Workspace &ws)
    : m_ws(ws)
{
}

void LlmCallRepository::record(const LlmCall &call)
{
    recordAll({call});
}

void LlmCallRepository::recordAll(const std::vector<LlmCall> &calls)
{
    if (calls.empty())
        return;
    for (const LlmCall &c : calls)
        throwIfInvalid(c.validate());
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO llm_calls (id, parent, doc, created_at, provider, model, status, "
        "http_status, attempt, tokens_in, tokens_out, cost_usd, latency_ms, cache_hit, "
        "cache_key, template_id, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?) ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, doc = excluded.doc, "
        "provider = excluded.provider, model = excluded.model, status = excluded.status, "
        "http_status = excluded.http_status, attempt = excluded.attempt, "
        "tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, "
        "cost_usd = excluded.cost_usd, latency_ms = excluded.latency_ms, "
        "cache_hit = excluded.cache_hit, cache_key = excluded.cache_key, "
        "template_id = excluded.template_id, error = excluded.error"));
    auto text = [](const QString &s) { return s.isNull() ? QStringLiteral("") : s; };
    for (const LlmCall &c : calls) {
        const auto doc = c.toJson();
        q.bindValue(0, c.id);
        q.bindValue(1, text(c.jobId));
        q.bindValue(2, QString::fromStdString(doc.dump()));
        q.bindValue(3, QString::fromStdString(doc.value("created_at", std::string())));
        q.bindValue(4, text(c.provider));
        q.bindValue(5, text(c.model));
        q.bindValue(6, text(c.status));
        q.bindValue(7, c.httpStatus);
        q.bindValue(8, c.attempt);
        q.bindValue(9, c.tokensIn);
        q.bindValue(10, c.tokensOut);
        q.bindValue(11, c.costUsd ? QVariant(*c.costUsd) : QVariant(QMetaType(QMetaType::Double)));
        q.bindValue(12, c.latencyMs);
        q.bindValue(13, c.cacheHit ? 1 : 0);
        q.bindValue(14, text(c.cacheKey));
        q.bindValue(15, text(c.templateId));
        q.bindValue(16, text(c.error));
        Workspace::execPrepared(q, QStringLiteral("Recording LLM call %1").arg(c.id));
    }
}

std::optional<LlmCall> LlmCallRepository::get(const QString &id) const
{
    QSqlQuery q = run(m_ws, QStringLiteral("SELECT doc FROM llm_calls WHERE id = ?"), {id},
                      QStringLiteral("Reading LLM call %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return LlmCall::fromJson(nlohmann::json::parse(q.value(0).toString().toStdString()));
}

std::optional<LlmCall> LlmCallRepository::cachedAnswer(const QString &cacheKey) const
{
    if (cacheKey.isEmpty())
        return std::nullopt;
    QSqlQuery q = run(m_ws,
                      QStringLiteral("SELECT doc FROM llm_calls WHERE cache_key = ? AND "
                                     "cache_key <> '' AND cache_hit = 0 AND "
                                     "status IN ('ok', 'invalid') "
                                     "ORDER BY seq DESC LIMIT 1"),
                      {cacheKey}, QStringLiteral("Looking up the response cache"));
    if (!q.next())
        return std::nullopt;
    return LlmCall::fromJson(nlohmann::json::parse(q.value(0).toString().toStdString()));
}

std::vector<LlmCallSummary> LlmCallRepository::page(const LlmCallFilter &filter, int limit,
                                                    int offset) const
{
    const Where w = whereFor(filter);
    QVariantList values = w.values;
    values << limit << offset;
    QSqlQuery q = run(m_ws,
                      QStringLiteral("SELECT seq, id, provider, model, parent, template_id, "
                                     "status, http_status, attempt, tokens_in, tokens_out, "
                                     "cost_usd, latency_ms, cache_hit, error, created_at, "
                                     "coalesce(json_extract(doc, '$.structured_mode'), '') "
                                     "FROM llm_calls") +
                          w.sql + QStringLiteral(" ORDER BY seq DESC LIMIT ? OFFSET ?"),
                      values, QStringLiteral("Listing LLM calls"));
    std::vector<LlmCallSummary> out;
    while (q.next()) {
        LlmCallSummary s;
        s.seq = q.value(0).toLongLong();
        s.id = q.value(1).toString();
        s.provider = q.value(2).toString();
        s.model = q.value(3).toString();
        s.jobId = q.value(4).toString();
        s.templateId = q.value(5).toString();
        s.status = q.value(6).toString();
        s.httpStatus = q.value(7).toInt();
        s.attempt = q.value(8).toInt();
        s.tokensIn = q.value(9).toLongLong();
        s.tokensOut = q.value(10).toLongLong();
        if (!q.value(11).isNull())
            s.costUsd = q.value(11).toDouble();
        s.latencyMs = q.value(12).toLongLong();
        s.cacheHit = q.value(13).toInt() != 0;
        s.error = q.value(14).toString();
        s.createdAt = QDateTime::fromString(q.value(15).toString(), Qt::ISODateWithMs);
        s.structuredMode = q.value(16).toString();
        out.push_back(std::move(s));
    }
    return out;
}

qint64 LlmCallRepository::count(const LlmCallFilter &filter) const
{
    const Where w = whereFor(filter);
    QSqlQuery q = run(m_ws, QStringLiteral("SELECT count(*) FROM llm_calls") + w.sql, w.values,
                      QStringLiteral("Counting LLM calls"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

LlmUsageTotals LlmCallRepository::totals(const LlmCallFilter &filter) const
{
    const Where w = whereFor(filter);
    QSqlQuery q =
        run(m_ws,
            QStringLiteral("SELECT count(*), coalesce(sum(status <> 'ok'), 0), "
                           "coalesce(sum(cache_hit), 0), coalesce(sum(tokens_in), 0), "
                           "coalesce(sum(tokens_out), 0), coalesce(sum(cost_usd), 0), "
                           "coalesce(sum(status = 'ok' AND cache_hit = 0 AND cost_usd IS NULL), 0) "
                           "FROM llm_calls") +
                w.sql,
            w.values, QStringLiteral("Summing LLM usage"));
    LlmUsageTotals t;
    if (q.next()) {
        t.calls = q.value(0).toLongLong();
        t.errors = q.value(1).toLongLong();
        t.cacheHits = q.value(2).toLongLong();
        t.tokensIn = q.value(3).toLongLong();
        t.tokensOut = q.value(4).toLongLong();
        t.costUsd = q.value(5).toDouble();
        t.unpricedCalls = q.value(6).toLongLong();
    }
    return t;
}

namespace {

QStringList distinct(Workspace &ws, const char *column)
{
    const QString col = QString::fromUtf8(column);
    QSqlQuery q = ws.exec(
        QStringLiteral("SELECT DISTINCT %1 FROM llm_calls WHERE %1 <> '' ORDER BY %1").arg(col));
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

} // namespace

QStringList LlmCallRepository::providers() const
{
    return distinct(m_ws, "provider");
}

QStringList LlmCallRepository::models() const
{
    return distinct(m_ws, "model");
}

} // namespace crucible
