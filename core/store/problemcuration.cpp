// ProblemRepository, part two: sorted keyset paging, selections and curation (delete with
// restore, bulk field changes, dataset memberships).

#include "core/store/problemsql.h"

#include <QVariant>
#include <set>

namespace crucible {

using namespace problemsql;

namespace {

QString sortColumnSql(ProblemSort::Column c)
{
    switch (c) {
    case ProblemSort::Column::Id:
        return QStringLiteral("p.id");
    case ProblemSort::Column::Domain:
        return QStringLiteral("p.domain");
    case ProblemSort::Column::Complexity:
        return QStringLiteral("p.complexity");
    case ProblemSort::Column::Origin:
        return QStringLiteral("p.origin");
    case ProblemSort::Column::Review:
        return QStringLiteral("p.review_status");
    case ProblemSort::Column::Created:
        return QStringLiteral("p.created_at");
    case ProblemSort::Column::Insertion:
        break;
    }
    return QStringLiteral("p.seq");
}

// SQL order of a column sort: the level names sort backwards ("complex" < "medium" < "simple").
bool sqlDescending(const ProblemSort &sort)
{
    return sort.column == ProblemSort::Column::Complexity ? !sort.descending : sort.descending;
}

// A page in a column order: rows after (or from, when inclusive) the key (value, seq).
struct ColumnKey
{
    QString value;
    qint64 seq = 0;
};

QString columnOrderSql(const ProblemSort &sort)
{
    return QStringLiteral(" ORDER BY %1 %2, p.seq %2")
        .arg(sortColumnSql(sort.column),
             sqlDescending(sort) ? QStringLiteral("DESC") : QStringLiteral("ASC"));
}

QString columnBoundSql(const ProblemSort &sort, bool inclusive)
{
    QString op = sqlDescending(sort) ? QStringLiteral("<") : QStringLiteral(">");
    if (inclusive)
        op += u'=';
    return QStringLiteral("(%1, p.seq) %2 (?, ?)").arg(sortColumnSql(sort.column), op);
}

QString idsJson(const QStringList &ids)
{
    std::string text;
    jsonArrayText(text, ids);
    return QString::fromStdString(text);
}

// Pages through a column order: the rows after (or from) a key, or from the first row.
std::vector<ProblemSummary> columnPage(const Workspace &ws, const ProblemFilter &filter,
                                       const ProblemSort &sort, const ColumnKey *key,
                                       bool inclusive, int limit)
{
    const FilterSql s = buildFilter(filter, false);
    QString where = s.where;
    if (key)
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                 columnBoundSql(sort, inclusive);
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT ") + kSummaryColumns + QStringLiteral(", ") +
                             sortColumnSql(sort.column) + s.from + where + columnOrderSql(sort) +
                             QStringLiteral(" LIMIT ?"));
    bindAll(q, s.values);
    if (key) {
        q.addBindValue(key->value);
        q.addBindValue(key->seq);
    }
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Reading a sorted page of problems"));
    std::vector<ProblemSummary> out;
    out.reserve(static_cast<size_t>(std::max(0, limit)));
    while (q.next()) {
        out.push_back(readSummary(q));
        out.back().sortKey = q.value(kSummaryColumnCount).toString();
    }
    return out;
}

// The key of the row at offset in a column order, read from the column's index.
std::optional<ColumnKey> columnKeyAt(const Workspace &ws, const ProblemFilter &filter,
                                     const ProblemSort &sort, qint64 offset)
{
    const FilterSql s = buildFilter(filter, false);
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT ") + sortColumnSql(sort.column) +
                             QStringLiteral(", p.seq") + s.from + s.where + columnOrderSql(sort) +
                             QStringLiteral(" LIMIT 1 OFFSET ?"));
    bindAll(q, s.values);
    q.addBindValue(offset);
    Workspace::execPrepared(q, QStringLiteral("Locating a sorted page of problems"));
    if (!q.next())
        return std::nullopt;
    return ColumnKey{q.value(0).toString(), q.value(1).toLongLong()};
}

} // namespace

std::vector<ProblemSummary> ProblemRepository::pageAfter(const ProblemFilter &filter,
                                                         const ProblemSort &sort,
                                                         const ProblemSummary *after,
                                                         int limit) const
{
    if (sort.column == ProblemSort::Column::Insertion)
        return pageAfter(filter, after ? after->seq : std::numeric_limits<qint64>::min(), limit);
    if (!after)
        return columnPage(m_ws, filter, sort, nullptr, false, limit);
    const ColumnKey key{after->sortKey, after->seq};
    return columnPage(m_ws, filter, sort, &key, false, limit);
}

std::vector<ProblemSummary> ProblemRepository::page(const ProblemFilter &filter,
                                                    const ProblemSort &sort, qint64 offset,
                                                    int limit) const
{
    if (sort.column == ProblemSort::Column::Insertion)
        return page(filter, offset, limit);
    const std::optional<ColumnKey> key = columnKeyAt(m_ws, filter, sort, offset);
    if (!key)
        return {};
    return columnPage(m_ws, filter, sort, &*key, true, limit);
}

QStringList ProblemRepository::idsAt(const ProblemFilter &filter, const ProblemSort &sort,
                                     qint64 offset, qint64 count) const
{
    QStringList out;
    if (count <= 0)
        return out;
    const bool insertion = sort.column == ProblemSort::Column::Insertion;
    const FilterSql s = buildFilter(filter, insertion);
    QString where = s.where;
    QVariantList bound;
    if (insertion) {
        QSqlQuery first = m_ws.prepare(QStringLiteral("SELECT ") + s.key + s.from + s.where +
                                       QStringLiteral(" ORDER BY ") + s.key +
                                       QStringLiteral(" LIMIT 1 OFFSET ?"));
        bindAll(first, s.values);
        first.addBindValue(offset);
        Workspace::execPrepared(first, QStringLiteral("Locating the selected problems"));
        if (!first.next())
            return out;
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) + s.key +
                 QStringLiteral(" >= ?");
        bound << first.value(0);
        where += QStringLiteral(" ORDER BY ") + s.key;
    } else {
        const std::optional<ColumnKey> key = columnKeyAt(m_ws, filter, sort, offset);
        if (!key)
            return out;
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                 columnBoundSql(sort, true);
        bound << key->value << key->seq;
        where += columnOrderSql(sort);
    }
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("SELECT p.id") + s.from + where + QStringLiteral(" LIMIT ?"));
    bindAll(q, s.values);
    bindAll(q, bound);
    q.addBindValue(count);
    Workspace::execPrepared(q, QStringLiteral("Reading the ids of the selected problems"));
    out.reserve(static_cast<qsizetype>(count));
    while (q.next())
        out << q.value(0).toString();
    return out;
}

bool ProblemRepository::matches(const ProblemFilter &filter, const QString &id) const
{
    const FilterSql s = buildFilter(filter, false);
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT 1") + s.from +
        (s.where.isEmpty() ? QStringLiteral(" WHERE ") : s.where + QStringLiteral(" AND ")) +
        QStringLiteral("p.id = ? LIMIT 1"));
    bindAll(q, s.values);
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Checking problem %1 against the filter").arg(id));
    return q.next();
}

ProblemSnapshot ProblemRepository::snapshot(const QStringList &ids) const
{
    ProblemSnapshot out;
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT ") + kFullColumns +
        QStringLiteral(" FROM problems p WHERE p.id IN (SELECT value FROM json_each(?))"
                       " ORDER BY p.seq"));
    q.addBindValue(idsJson(ids));
    Workspace::execPrepared(q, QStringLiteral("Reading the problems to delete"));
    while (q.next())
        out.problems.emplace_back(q.value(0).toLongLong(), readFull(q));
    out.memberships = memberships(ids);
    return out;
}

qint64 ProblemRepository::removeMany(const QStringList &ids)
{
    Workspace::Transaction tx(m_ws);
    SqliteStatement del(m_ws, "DELETE FROM problems WHERE id = ?");
    qint64 removed = 0;
    for (const QString &id : ids) {
        const QByteArray utf8 = id.toUtf8();
        del.bindText(1, view(utf8));
        del.execute([&] { return QStringLiteral("Deleting problem %1").arg(id); });
        removed += del.changes();
    }
    tx.commit();
    return removed;
}

void ProblemRepository::restore(const ProblemSnapshot &snapshot)
{
    Workspace::Transaction tx(m_ws);
    SqliteStatement ins(
        m_ws, "INSERT INTO problems (domain, statement, constraints, success_criteria, "
              "sample_data, complexity, origin, base_problem_id, matrix_cell, tags, created_at, "
              "metadata, review_status, review_note, job_id, id, seq) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Writer::Row row;
    for (const auto &entry : snapshot.problems) {
        const Problem &p = entry.second;
        bindProblem(ins, p, row);
        ins.bindInt64(17, entry.first);
        ins.execute([&] {
            return QStringLiteral("Restoring problem %1 (its id or place was taken meanwhile?)")
                .arg(p.id);
        });
    }
    restoreMemberships(snapshot.memberships);
    tx.commit();
}

std::vector<CurationState> ProblemRepository::curationStates(const QStringList &ids) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT id, tags, complexity, review_status, review_note FROM problems"
                       " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY seq"));
    q.addBindValue(idsJson(ids));
    Workspace::execPrepared(q, QStringLiteral("Reading the selected problems"));
    std::vector<CurationState> out;
    out.reserve(static_cast<size_t>(ids.size()));
    while (q.next()) {
        CurationState c;
        c.id = q.value(0).toString();
        c.tags = stringListFromText(q.value(1).toString());
        c.complexity = complexityFromString(q.value(2).toString()).value_or(Complexity::Medium);
        c.reviewStatus =
            reviewStatusFromString(q.value(3).toString()).value_or(ReviewStatus::Unreviewed);
        c.reviewNote = q.value(4).toString();
        out.push_back(std::move(c));
    }
    return out;
}

void ProblemRepository::writeCurationStates(const std::vector<CurationState> &states, int fields)
{
    QStringList sets;
    if (fields & TagsField)
        sets << QStringLiteral("tags = ?");
    if (fields & ComplexityField)
        sets << QStringLiteral("complexity = ?");
    if (fields & ReviewField)
        sets << QStringLiteral("review_status = ?, review_note = ?");
    if (sets.isEmpty() || states.empty())
        return;
    Workspace::Transaction tx(m_ws);
    const QByteArray sql = (QStringLiteral("UPDATE problems SET ") +
                            sets.join(QStringLiteral(", ")) + QStringLiteral(" WHERE id = ?"))
                               .toUtf8();
    SqliteStatement q(m_ws, view(sql));
    std::string tags;
    QByteArray note;
    QByteArray id;
    for (const CurationState &c : states) {
        int i = 0;
        if (fields & TagsField) {
            jsonArrayText(tags, c.tags);
            q.bindText(++i, tags);
        }
        if (fields & ComplexityField)
            q.bindText(++i, view(utf8Name(c.complexity)));
        if (fields & ReviewField) {
            q.bindText(++i, view(utf8Name(c.reviewStatus)));
            note = c.reviewNote.toUtf8();
            q.bindText(++i, view(note));
        }
        id = c.id.toUtf8();
        q.bindText(++i, view(id));
        q.execute([&] { return QStringLiteral("Updating problem %1").arg(c.id); });
    }
    tx.commit();
}

std::vector<DatasetMembership> ProblemRepository::memberships(const QStringList &ids,
                                                              const QString &datasetId) const
{
    QString sql = QStringLiteral("SELECT dataset_id, problem_id, position FROM dataset_problems"
                                 " WHERE problem_id IN (SELECT value FROM json_each(?))");
    if (!datasetId.isEmpty())
        sql += QStringLiteral(" AND dataset_id = ?");
    QSqlQuery q = m_ws.prepare(sql + QStringLiteral(" ORDER BY dataset_id, position"));
    q.addBindValue(idsJson(ids));
    if (!datasetId.isEmpty())
        q.addBindValue(datasetId);
    Workspace::execPrepared(q, QStringLiteral("Reading dataset memberships"));
    std::vector<DatasetMembership> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()});
    return out;
}

QStringList ProblemRepository::addToDataset(const QString &datasetId, const QStringList &ids)
{
    Workspace::Transaction tx(m_ws);
    QSqlQuery last = m_ws.prepare(QStringLiteral(
        "SELECT coalesce(max(position), 0) FROM dataset_problems WHERE dataset_id = ?"));
    last.addBindValue(datasetId);
    Workspace::execPrepared(last, QStringLiteral("Reading dataset %1").arg(datasetId));
    qint64 position = last.next() ? last.value(0).toLongLong() : 0;
    std::set<QString> members;
    for (const DatasetMembership &m : memberships(ids, datasetId))
        members.insert(m.problemId);
    std::vector<DatasetMembership> added;
    for (const QString &id : ids)
        if (members.insert(id).second)
            added.push_back({datasetId, id, ++position});
    restoreMemberships(added);
    tx.commit();
    QStringList out;
    for (const DatasetMembership &m : added)
        out << m.problemId;
    return out;
}

void ProblemRepository::removeMemberships(const std::vector<DatasetMembership> &memberships)
{
    Workspace::Transaction tx(m_ws);
    SqliteStatement del(m_ws,
                        "DELETE FROM dataset_problems WHERE dataset_id = ? AND problem_id = ?");
    for (const DatasetMembership &m : memberships) {
        const QByteArray dataset = m.datasetId.toUtf8();
        const QByteArray problem = m.problemId.toUtf8();
        del.bindText(1, view(dataset));
        del.bindText(2, view(problem));
        del.execute([&] {
            return QStringLiteral("Removing problem %1 from dataset %2")
                .arg(m.problemId, m.datasetId);
        });
    }
    tx.commit();
}

void ProblemRepository::restoreMemberships(const std::vector<DatasetMembership> &memberships)
{
    Workspace::Transaction tx(m_ws);
    SqliteStatement ins(
        m_ws, "INSERT INTO dataset_problems (dataset_id, problem_id, position) VALUES (?, ?, ?)");
    for (const DatasetMembership &m : memberships) {
        const QByteArray dataset = m.datasetId.toUtf8();
        const QByteArray problem = m.problemId.toUtf8();
        ins.bindText(1, view(dataset));
        ins.bindText(2, view(problem));
        ins.bindInt64(3, m.position);
        ins.execute([&] {
            return QStringLiteral("Adding problem %1 to dataset %2 (does the dataset still "
                                  "exist?)")
                .arg(m.problemId, m.datasetId);
        });
    }
    tx.commit();
}

FilterChoices ProblemRepository::filterChoices() const
{
    FilterChoices out;
    QSqlQuery jobs = m_ws.exec(
        QStringLiteral("SELECT job_id, count(*) FROM problems WHERE job_id <> '' GROUP BY job_id"
                       " ORDER BY max(seq) DESC"));
    while (jobs.next())
        out.jobs.emplace_back(jobs.value(0).toString(), jobs.value(1).toLongLong());
    QSqlQuery tags =
        m_ws.exec(QStringLiteral("SELECT t.value, count(*) FROM problems p, json_each(p.tags) t"
                                 " WHERE p.tags <> '[]' AND t.type = 'text' GROUP BY t.value"
                                 " ORDER BY count(*) DESC, t.value LIMIT 500"));
    while (tags.next())
        out.tags.emplace_back(tags.value(0).toString(), tags.value(1).toLongLong());
    return out;
}

} // namespace crucible
