#include "core/store/problemrepository.h"

#include "core/store/problemsql.h"
#include "core/store/sqlitestatement.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QVariant>

#include <array>
#include <limits>
#include <string_view>

namespace crucible {

using nlohmann::json;

namespace problemsql {

const QString kSummaryColumns =
    QStringLiteral("p.seq, p.id, p.domain, substr(p.statement, 1, 200), p.complexity, p.origin, "
                   "p.base_problem_id, p.created_at, p.review_status, p.job_id, p.tags");
const QString kFullColumns = QStringLiteral(
    "p.seq, p.id, p.domain, p.statement, p.constraints, p.success_criteria, p.sample_data, "
    "p.complexity, p.origin, p.base_problem_id, p.matrix_cell, p.tags, p.created_at, "
    "p.metadata, p.review_status, p.review_note");

QStringList stringListFromText(const QString &text)
{
    if (text.isEmpty())
        return {};
    const json j = json::parse(text.toStdString(), nullptr, false);
    QStringList out;
    if (j.is_array())
        for (const auto &e : j)
            if (e.is_string())
                out << QString::fromStdString(e.get<std::string>());
    return out;
}

json jsonFromText(const QVariant &v, json fallback)
{
    if (v.isNull())
        return fallback;
    const QString text = v.toString();
    if (text.isEmpty())
        return fallback;
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? fallback : j;
}

ProblemSummary readSummary(const QSqlQuery &q)
{
    ProblemSummary s;
    s.seq = q.value(0).toLongLong();
    s.id = q.value(1).toString();
    s.domain = q.value(2).toString();
    s.statement = q.value(3).toString();
    s.complexity = complexityFromString(q.value(4).toString()).value_or(Complexity::Medium);
    s.origin = originFromString(q.value(5).toString()).value_or(ProblemOrigin::Manual);
    s.baseProblemId = q.value(6).toString();
    s.createdAt = jsonio::parseTimestamp(q.value(7).toString());
    s.reviewStatus =
        reviewStatusFromString(q.value(8).toString()).value_or(ReviewStatus::Unreviewed);
    s.jobId = q.value(9).toString();
    s.tags = stringListFromText(q.value(10).toString());
    return s;
}

Problem readFull(const QSqlQuery &q)
{
    Problem p;
    p.id = q.value(1).toString();
    p.domain = q.value(2).toString();
    p.statement = q.value(3).toString();
    p.constraints = stringListFromText(q.value(4).toString());
    p.successCriteria = stringListFromText(q.value(5).toString());
    p.sampleData = jsonFromText(q.value(6), nullptr);
    p.complexity = complexityFromString(q.value(7).toString()).value_or(Complexity::Medium);
    p.origin = originFromString(q.value(8).toString()).value_or(ProblemOrigin::Manual);
    p.baseProblemId = q.value(9).toString();
    const json cell = jsonFromText(q.value(10), json::object());
    if (cell.is_object())
        for (const auto &[k, v] : cell.items())
            if (v.is_string())
                p.matrixCell[QString::fromStdString(k)] =
                    QString::fromStdString(v.get<std::string>());
    p.tags = stringListFromText(q.value(11).toString());
    p.createdAt = jsonio::parseTimestamp(q.value(12).toString());
    p.metadata = jsonFromText(q.value(13), json::object());
    p.reviewStatus =
        reviewStatusFromString(q.value(14).toString()).value_or(ReviewStatus::Unreviewed);
    p.reviewNote = q.value(15).toString();
    return p;
}

FilterSql buildFilter(const ProblemFilter &f, bool ftsDriven)
{
    FilterSql s;
    s.from = QStringLiteral(" FROM problems p");
    s.key = QStringLiteral("p.seq");
    QStringList where;
    if (!f.datasetId.isEmpty()) {
        s.from += QStringLiteral(
            " JOIN dataset_problems dp ON dp.problem_id = p.id AND dp.dataset_id = ?");
        s.values << f.datasetId;
        s.key = QStringLiteral("dp.position");
    }
    const QString fts = ProblemRepository::ftsQuery(f.search);
    if (!fts.isEmpty() && f.datasetId.isEmpty() && ftsDriven) {
        // Drive the query from the index: FTS5 yields rowids in order, so the first page stops
        // after `limit` matches instead of materialising every hit.
        s.from = QStringLiteral(" FROM problems_fts f JOIN problems p ON p.seq = f.rowid");
        s.key = QStringLiteral("f.rowid");
        where << QStringLiteral("problems_fts MATCH ?");
        s.values << fts;
    } else if (!fts.isEmpty()) {
        where << QStringLiteral(
            "p.seq IN (SELECT rowid FROM problems_fts WHERE problems_fts MATCH ?)");
        s.values << fts;
    } else if (!f.search.trimmed().isEmpty()) {
        where << QStringLiteral("0"); // only punctuation: nothing can match
    }
    if (!f.domain.isEmpty()) {
        where << QStringLiteral("p.domain = ?");
        s.values << f.domain;
    }
    if (f.complexity) {
        where << QStringLiteral("p.complexity = ?");
        s.values << toString(*f.complexity);
    }
    if (f.origin) {
        where << QStringLiteral("p.origin = ?");
        s.values << toString(*f.origin);
    }
    if (f.reviewStatus) {
        where << QStringLiteral("p.review_status = ?");
        s.values << toString(*f.reviewStatus);
    }
    if (!f.jobId.isEmpty()) {
        where << QStringLiteral("p.job_id = ?");
        s.values << f.jobId;
    }
    if (!f.tag.isEmpty()) {
        where << QStringLiteral(
            "EXISTS (SELECT 1 FROM json_each(p.tags) WHERE json_each.value = ?)");
        s.values << f.tag;
    }
    if (!where.isEmpty())
        s.where = QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    return s;
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (const QVariant &v : values)
        q.addBindValue(v);
}

// nlohmann's dump() of a JSON string, written straight from UTF-8.
void appendJsonString(std::string &out, const QByteArray &utf8)
{
    static const char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xF];
                out += kHex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

// The same text as json(list).dump(), without building a JSON value first.
void jsonArrayText(std::string &out, const QStringList &list)
{
    out.clear();
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        appendJsonString(out, list[i].toUtf8());
    }
    out += ']';
}

const QByteArray &utf8Name(Complexity c)
{
    static const std::array names{toString(Complexity::Simple).toUtf8(),
                                  toString(Complexity::Medium).toUtf8(),
                                  toString(Complexity::Complex).toUtf8()};
    return names.at(static_cast<size_t>(c));
}

const QByteArray &utf8Name(ReviewStatus r)
{
    static const std::array names{toString(ReviewStatus::Unreviewed).toUtf8(),
                                  toString(ReviewStatus::Accepted).toUtf8(),
                                  toString(ReviewStatus::Rejected).toUtf8()};
    return names.at(static_cast<size_t>(r));
}

const QByteArray &utf8Name(ProblemOrigin o)
{
    static const std::vector<QByteArray> names = [] {
        std::vector<QByteArray> out;
        for (const QString &n : originNames())
            out.push_back(n.toUtf8());
        return out;
    }();
    return names.at(static_cast<size_t>(o));
}

std::string_view view(const QByteArray &a)
{
    return {a.constData(), static_cast<size_t>(a.size())};
}

// Binds the columns in the order of kInsertSql, the id last (UPDATE ... WHERE id = ? too).
void bindProblem(SqliteStatement &s, const Problem &p, ProblemRepository::Writer::Row &row)
{
    row.domain = p.domain.toUtf8();
    s.bindText(1, view(row.domain));
    row.statement = p.statement.toUtf8();
    s.bindText(2, view(row.statement));
    jsonArrayText(row.constraints, p.constraints);
    s.bindText(3, row.constraints);
    jsonArrayText(row.successCriteria, p.successCriteria);
    s.bindText(4, row.successCriteria);
    if (p.sampleData.is_null()) {
        s.bindNull(5);
    } else {
        row.sampleData = p.sampleData.dump();
        s.bindText(5, row.sampleData);
    }
    s.bindText(6, view(utf8Name(p.complexity)));
    s.bindText(7, view(utf8Name(p.origin)));
    if (p.baseProblemId.isEmpty()) {
        s.bindNull(8);
    } else {
        row.baseProblemId = p.baseProblemId.toUtf8();
        s.bindText(8, view(row.baseProblemId));
    }
    if (p.matrixCell.empty()) {
        s.bindNull(9);
    } else {
        json cell = json::object();
        for (const auto &[k, v] : p.matrixCell)
            cell[k.toStdString()] = v.toStdString();
        row.matrixCell = cell.dump();
        s.bindText(9, row.matrixCell);
    }
    jsonArrayText(row.tags, p.tags);
    s.bindText(10, row.tags);
    // Formatting a QDateTime costs more than the rest of the row, and imports stamp many problems
    // within the same second: reuse the text and only rewrite the milliseconds ("....sss.zzzZ").
    const QDateTime createdAt = p.createdAt.isValid() ? p.createdAt : jsonio::nowUtc();
    if (const qint64 ms = createdAt.toMSecsSinceEpoch(); ms != row.createdAtMs) {
        const qsizetype n = row.createdAt.size();
        if (ms >= 0 && row.createdAtMs >= 0 && ms / 1000 == row.createdAtMs / 1000 && n >= 5 &&
            row.createdAt.at(n - 5) == '.' && row.createdAt.at(n - 1) == 'Z') {
            const int millis = static_cast<int>(ms % 1000);
            row.createdAt[n - 4] = static_cast<char>('0' + millis / 100);
            row.createdAt[n - 3] = static_cast<char>('0' + millis / 10 % 10);
            row.createdAt[n - 2] = static_cast<char>('0' + millis % 10);
        } else {
            row.createdAt = jsonio::formatTimestamp(createdAt).toUtf8();
        }
        row.createdAtMs = ms;
    }
    s.bindText(11, view(row.createdAt));
    if (p.metadata.is_object() && p.metadata.empty())
        row.metadata = "{}";
    else
        row.metadata = p.metadata.dump();
    s.bindText(12, row.metadata);
    s.bindText(13, view(utf8Name(p.reviewStatus)));
    row.reviewNote = p.reviewNote.toUtf8();
    s.bindText(14, view(row.reviewNote));
    row.jobId = p.jobId().toUtf8();
    s.bindText(15, view(row.jobId));
    row.id = p.id.toUtf8();
    s.bindText(16, view(row.id));
}

} // namespace problemsql

using namespace problemsql;

namespace {

const std::string_view kInsertSql =
    "INSERT INTO problems (domain, statement, constraints, success_criteria, sample_data, "
    "complexity, origin, base_problem_id, matrix_cell, tags, created_at, metadata, "
    "review_status, review_note, job_id, id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

} // namespace

bool ProblemFilter::isEmpty() const
{
    return search.trimmed().isEmpty() && domain.isEmpty() && !complexity && !origin &&
           datasetId.isEmpty() && !reviewStatus && jobId.isEmpty() && tag.isEmpty();
}

ProblemRepository::ProblemRepository(Workspace &ws)
    : m_ws(ws)
{
}

QString ProblemRepository::ftsQuery(const QString &text)
{
    static const QRegularExpression words(QStringLiteral("[\\p{L}\\p{N}_]+"));
    QStringList terms;
    auto it = words.globalMatch(text);
    while (it.hasNext())
        terms << QStringLiteral("\"%1\"").arg(it.next().captured(0));
    if (terms.isEmpty())
        return {};
    // The last word is usually still being typed: match it as a prefix.
    if (!text.isEmpty() && !text.back().isSpace())
        terms.back() += u'*';
    return terms.join(u' ');
}

void ProblemRepository::insert(const Problem &p)
{
    insertMany({p});
}

void ProblemRepository::insertMany(const std::vector<Problem> &problems)
{
    // The writer validates each problem; an invalid one rolls the whole batch back.
    Workspace::Transaction tx(m_ws);
    Writer writer(m_ws);
    for (const Problem &p : problems)
        writer.insert(p);
    tx.commit();
}

ProblemRepository::Writer::Writer(Workspace &ws)
    : m_ws(ws)
    , m_statement(std::make_unique<SqliteStatement>(ws, kInsertSql))
    , m_row(std::make_unique<Row>())
{
}

ProblemRepository::Writer::~Writer() = default;

void ProblemRepository::Writer::insert(const Problem &p)
{
    throwIfInvalid(p.validate());
    bindProblem(*m_statement, p, *m_row);
    try {
        m_statement->execute([&] { return QStringLiteral("Saving problem %1").arg(p.id); });
    } catch (const WorkspaceError &e) {
        if (e.kind() == WorkspaceError::Kind::Constraint && ProblemRepository(m_ws).contains(p.id))
            throw WorkspaceError(WorkspaceError::Kind::Constraint,
                                 QStringLiteral("a problem with id %1 already exists in the "
                                                "workspace; give it another id or leave id empty")
                                     .arg(p.id));
        throw;
    }
}

void ProblemRepository::update(const Problem &p)
{
    throwIfInvalid(p.validate());
    SqliteStatement q(
        m_ws, "UPDATE problems SET domain = ?, statement = ?, constraints = ?, "
              "success_criteria = ?, sample_data = ?, complexity = ?, origin = ?, "
              "base_problem_id = ?, matrix_cell = ?, tags = ?, created_at = ?, metadata = ?, "
              "review_status = ?, review_note = ?, job_id = ? WHERE id = ?");
    Writer::Row row;
    bindProblem(q, p, row);
    q.execute([&] { return QStringLiteral("Updating problem %1").arg(p.id); });
    if (q.changes() == 0)
        throw WorkspaceError(WorkspaceError::Kind::Query,
                             QStringLiteral("No problem with id %1 in %2").arg(p.id, m_ws.path()));
}

bool ProblemRepository::remove(const QString &id)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("DELETE FROM problems WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Deleting problem %1").arg(id));
    return q.numRowsAffected() > 0;
}

std::optional<Problem> ProblemRepository::get(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kFullColumns +
                               QStringLiteral(" FROM problems p WHERE p.id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading problem %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return readFull(q);
}

bool ProblemRepository::contains(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT 1 FROM problems WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Looking up problem %1").arg(id));
    return q.next();
}

qint64 ProblemRepository::count(const ProblemFilter &filter) const
{
    ProblemFilter rest = filter;
    rest.search.clear();
    const QString fts = ftsQuery(filter.search);
    if (!fts.isEmpty() && rest.isEmpty()) {
        // Counting hits needs no row of the problems table.
        QSqlQuery q = m_ws.prepare(
            QStringLiteral("SELECT count(*) FROM problems_fts WHERE problems_fts MATCH ?"));
        q.addBindValue(fts);
        Workspace::execPrepared(q, QStringLiteral("Counting search results"));
        return q.next() ? q.value(0).toLongLong() : 0;
    }
    const FilterSql s = buildFilter(filter);
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT count(*)") + s.from + s.where);
    bindAll(q, s.values);
    Workspace::execPrepared(q, QStringLiteral("Counting problems"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::vector<ProblemSummary> ProblemRepository::pageAfter(const ProblemFilter &filter,
                                                         qint64 afterSeq, int limit) const
{
    const FilterSql s = buildFilter(filter);
    const QString where =
        s.where.isEmpty() ? QStringLiteral(" WHERE ") : s.where + QStringLiteral(" AND ");
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kSummaryColumns + QStringLiteral(", ") +
                               s.key + s.from + where + s.key + QStringLiteral(" > ? ORDER BY ") +
                               s.key + QStringLiteral(" LIMIT ?"));
    bindAll(q, s.values);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Reading a page of problems"));
    std::vector<ProblemSummary> out;
    out.reserve(static_cast<size_t>(std::max(0, limit)));
    while (q.next()) {
        out.push_back(readSummary(q));
        out.back().seq = q.value(kSummaryColumnCount).toLongLong();
    }
    return out;
}

std::vector<ProblemSummary> ProblemRepository::page(const ProblemFilter &filter, qint64 offset,
                                                    int limit) const
{
    // Skipping rows through a narrow covering index (problems_seq, problems_domain, ...) and then
    // reading one page by key is far cheaper than OFFSET over the wide table rows.
    const FilterSql s = buildFilter(filter);
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("SELECT ") + s.key + s.from + s.where +
                     QStringLiteral(" ORDER BY ") + s.key + QStringLiteral(" LIMIT 1 OFFSET ?"));
    bindAll(q, s.values);
    q.addBindValue(offset);
    Workspace::execPrepared(q, QStringLiteral("Locating a page of problems"));
    if (!q.next())
        return {};
    return pageAfter(filter, q.value(0).toLongLong() - 1, limit);
}

void ProblemRepository::forEachPage(const ProblemFilter &filter,
                                    const std::function<void(const std::vector<Problem> &)> &visit,
                                    int pageSize) const
{
    qint64 after = 0;
    for (;;) {
        qint64 last = after;
        const std::vector<Problem> page = fullPageAfter(filter, after, pageSize, &last);
        if (!page.empty())
            visit(page);
        if (static_cast<int>(page.size()) < pageSize || last == after)
            return;
        after = last;
    }
}

std::vector<Problem> ProblemRepository::fullPageAfter(const ProblemFilter &filter, qint64 afterSeq,
                                                      int limit, qint64 *lastSeq) const
{
    const FilterSql s = buildFilter(filter);
    const QString where =
        s.where.isEmpty() ? QStringLiteral(" WHERE ") : s.where + QStringLiteral(" AND ");
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kFullColumns + QStringLiteral(", ") +
                               s.key + s.from + where + s.key + QStringLiteral(" > ? ORDER BY ") +
                               s.key + QStringLiteral(" LIMIT ?"));
    bindAll(q, s.values);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    Workspace::execPrepared(q, QStringLiteral("Reading problems"));
    std::vector<Problem> out;
    while (q.next()) {
        out.push_back(readFull(q));
        if (lastSeq)
            *lastSeq = q.value(kFullColumnCount).toLongLong();
    }
    return out;
}

std::vector<LineageEntry> ProblemRepository::ancestors(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("WITH RECURSIVE anc(id, depth) AS ("
                       " SELECT base_problem_id, 1 FROM problems"
                       "  WHERE id = ? AND base_problem_id IS NOT NULL AND base_problem_id <> ''"
                       " UNION"
                       " SELECT p.base_problem_id, anc.depth + 1 FROM problems p"
                       "  JOIN anc ON p.id = anc.id"
                       "  WHERE p.base_problem_id IS NOT NULL AND p.base_problem_id <> ''"
                       "    AND anc.depth < 64)"
                       " SELECT ") +
        kSummaryColumns +
        QStringLiteral(", min(anc.depth) AS d FROM anc JOIN problems p ON p.id = anc.id"
                       " WHERE p.id <> ? GROUP BY p.id ORDER BY d"));
    q.addBindValue(id);
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading the ancestors of %1").arg(id));
    std::vector<LineageEntry> out;
    while (q.next())
        out.push_back({readSummary(q), q.value(kSummaryColumnCount).toInt()});
    return out;
}

std::vector<LineageEntry> ProblemRepository::descendants(const QString &id, int maxDepth) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("WITH RECURSIVE des(id, depth) AS ("
                       " SELECT id, 1 FROM problems WHERE base_problem_id = ?"
                       " UNION"
                       " SELECT p.id, des.depth + 1 FROM problems p"
                       "  JOIN des ON p.base_problem_id = des.id WHERE des.depth < ?)"
                       " SELECT ") +
        kSummaryColumns +
        QStringLiteral(", min(des.depth) AS d FROM des JOIN problems p ON p.id = des.id"
                       " WHERE p.id <> ? GROUP BY p.id ORDER BY d, p.seq"));
    q.addBindValue(id);
    q.addBindValue(maxDepth);
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading the descendants of %1").arg(id));
    std::vector<LineageEntry> out;
    while (q.next())
        out.push_back({readSummary(q), q.value(kSummaryColumnCount).toInt()});
    return out;
}

std::vector<DomainCount> ProblemRepository::domains() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral(
        "SELECT domain, count(*) FROM problems GROUP BY domain ORDER BY count(*) DESC, domain"));
    std::vector<DomainCount> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

std::map<Complexity, qint64> ProblemRepository::complexityCounts() const
{
    QSqlQuery q =
        m_ws.exec(QStringLiteral("SELECT complexity, count(*) FROM problems GROUP BY complexity"));
    std::map<Complexity, qint64> out;
    while (q.next())
        if (const auto c = complexityFromString(q.value(0).toString()))
            out[*c] = q.value(1).toLongLong();
    return out;
}

std::map<ProblemOrigin, qint64> ProblemRepository::originCounts() const
{
    QSqlQuery q =
        m_ws.exec(QStringLiteral("SELECT origin, count(*) FROM problems GROUP BY origin"));
    std::map<ProblemOrigin, qint64> out;
    while (q.next())
        if (const auto o = originFromString(q.value(0).toString()))
            out[*o] = q.value(1).toLongLong();
    return out;
}

} // namespace crucible
