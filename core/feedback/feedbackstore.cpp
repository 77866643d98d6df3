#include "core/feedback/feedbackstore.h"

#include "core/engine/jobsupport.h"
#include "core/model/jsonsupport.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {

const QString kColumns = QStringLiteral(
    "id, kind, status, answer_type, dedup_key, problem_id, solution_id, aspect, job_id, "
    "question, context, uncertainty, impact, expected_value, snoozed_until, answer_id, "
    "resolved_by, created_at, updated_at");

QString stamp(const QDateTime &t)
{
    return t.isValid() ? jsonio::formatTimestamp(t) : QStringLiteral("");
}

// A null QString binds as SQL NULL; the columns are NOT NULL with '' for "none".
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

QDateTime parseStamp(const QVariant &v)
{
    const QString s = v.toString();
    return s.isEmpty() ? QDateTime() : jsonio::parseTimestamp(s);
}

json parse(const QVariant &v)
{
    json j = json::parse(v.toString().toStdString(), nullptr, false);
    return j.is_discarded() ? json::object() : j;
}

FeedbackQuestion readQuestion(const QSqlQuery &q)
{
    FeedbackQuestion f;
    f.id = q.value(0).toString();
    f.kind = questionKindFromString(q.value(1).toString()).value_or(QuestionKind::Disagreement);
    f.status = questionStatusFromString(q.value(2).toString()).value_or(QuestionStatus::Pending);
    f.answerType = answerTypeFromString(q.value(3).toString()).value_or(AnswerType::Rating);
    f.dedupKey = q.value(4).toString();
    f.problemId = q.value(5).toString();
    f.solutionId = q.value(6).toString();
    f.aspect = q.value(7).toString();
    f.jobId = q.value(8).toString();
    f.question = q.value(9).toString();
    f.context = parse(q.value(10));
    f.uncertainty = q.value(11).toDouble();
    f.impact = q.value(12).toDouble();
    f.expectedValue = q.value(13).toDouble();
    f.snoozedUntil = parseStamp(q.value(14));
    f.answerId = q.value(15).toString();
    f.resolvedBy = q.value(16).toString();
    f.createdAt = parseStamp(q.value(17));
    f.updatedAt = parseStamp(q.value(18));
    return f;
}

FeedbackAnswer readAnswer(const QSqlQuery &q)
{
    FeedbackAnswer a;
    a.id = q.value(0).toString();
    a.questionId = q.value(1).toString();
    a.value = AnswerValue::fromJson(parse(q.value(2)));
    a.effects = parse(q.value(3));
    a.rater = q.value(4).toString();
    a.undone = q.value(5).toInt() != 0;
    a.createdAt = parseStamp(q.value(6));
    a.undoneAt = parseStamp(q.value(7));
    return a;
}

} // namespace

FeedbackStore::FeedbackStore(Workspace &ws)
    : m_ws(ws)
{
}

bool FeedbackStore::raise(FeedbackQuestion &f)
{
    const QString now = jsonio::formatTimestamp(jsonio::nowUtc());
    if (f.id.isEmpty())
        f.id = jobsupport::derivedId("fbq", f.dedupKey);
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO feedback_questions (id, kind, status, answer_type, dedup_key, problem_id, "
        "solution_id, aspect, job_id, question, context, uncertainty, impact, expected_value, "
        "created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (dedup_key) DO NOTHING"));
    for (const QVariant &v :
         {text(f.id), text(toString(f.kind)), text(toString(f.answerType)), text(f.dedupKey),
          text(f.problemId), text(f.solutionId), text(f.aspect), text(f.jobId), text(f.question),
          QVariant(QString::fromStdString(f.context.dump())), QVariant(f.uncertainty),
          QVariant(f.impact), QVariant(f.expectedValue), QVariant(now), QVariant(now)})
        q.addBindValue(v);
    Workspace::execPrepared(q, QStringLiteral("Raising inbox question %1").arg(f.dedupKey));
    if (q.numRowsAffected() == 1) {
        f.status = QuestionStatus::Pending;
        return true;
    }
    QSqlQuery u = m_ws.prepare(
        QStringLiteral("UPDATE feedback_questions SET context = ?, uncertainty = ?, impact = ?, "
                       "expected_value = ?, question = ?, updated_at = ? "
                       "WHERE dedup_key = ? AND status IN ('pending', 'snoozed')"));
    for (const QVariant &v :
         {QVariant(QString::fromStdString(f.context.dump())), QVariant(f.uncertainty),
          QVariant(f.impact), QVariant(f.expectedValue), text(f.question), QVariant(now),
          text(f.dedupKey)})
        u.addBindValue(v);
    Workspace::execPrepared(u, QStringLiteral("Refreshing inbox question %1").arg(f.dedupKey));
    return false;
}

std::optional<FeedbackQuestion> FeedbackStore::question(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT %1 FROM feedback_questions WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading inbox question %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return readQuestion(q);
}

std::vector<FeedbackQuestion> FeedbackStore::questions(const QuestionFilter &filter) const
{
    QStringList where;
    QVariantList binds;
    if (!filter.statuses.empty()) {
        QStringList marks;
        for (QuestionStatus s : filter.statuses) {
            marks << QStringLiteral("?");
            binds << toString(s);
        }
        where << QStringLiteral("status IN (%1)").arg(marks.join(u','));
    }
    auto equal = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        where << QStringLiteral("%1 = ?").arg(QLatin1String(column));
        binds << value;
    };
    equal("problem_id", filter.problemId);
    equal("solution_id", filter.solutionId);
    equal("job_id", filter.jobId);
    if (filter.kind)
        equal("kind", toString(*filter.kind));
    QString sql = QStringLiteral("SELECT %1 FROM feedback_questions").arg(kColumns);
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY expected_value DESC, seq");
    QSqlQuery q = m_ws.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    Workspace::execPrepared(q, QStringLiteral("Listing inbox questions"));
    std::vector<FeedbackQuestion> out;
    while (q.next())
        out.push_back(readQuestion(q));
    return out;
}

int FeedbackStore::count(QuestionStatus status) const
{
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("SELECT count(*) FROM feedback_questions WHERE status = ?"));
    q.addBindValue(toString(status));
    Workspace::execPrepared(q, QStringLiteral("Counting inbox questions"));
    return q.next() ? q.value(0).toInt() : 0;
}

bool FeedbackStore::transition(const QString &id, const std::vector<QuestionStatus> &from,
                               QuestionStatus to, const QString &answerId,
                               const QString &resolvedBy, const QDateTime &snoozedUntil)
{
    QStringList marks;
    QVariantList binds = {toString(to),
                          answerId.isNull() ? QStringLiteral("") : answerId,
                          resolvedBy.isNull() ? QStringLiteral("") : resolvedBy,
                          stamp(snoozedUntil),
                          jsonio::formatTimestamp(jsonio::nowUtc()),
                          id};
    for (QuestionStatus s : from) {
        marks << QStringLiteral("?");
        binds << toString(s);
    }
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("UPDATE feedback_questions SET status = ?, answer_id = ?, resolved_by = ?, "
                       "snoozed_until = ?, updated_at = ? WHERE id = ? AND status IN (%1)")
            .arg(marks.join(u',')));
    for (const QVariant &v : binds)
        q.addBindValue(v);
    Workspace::execPrepared(q, QStringLiteral("Updating inbox question %1").arg(id));
    return q.numRowsAffected() == 1;
}

void FeedbackStore::insertAnswer(const FeedbackAnswer &a)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO feedback_answers (id, question_id, answer_type, value, effects, rater, "
        "undone, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)"));
    for (const QVariant &v :
         {QVariant(a.id), QVariant(a.questionId), QVariant(toString(a.value.type)),
          QVariant(QString::fromStdString(a.value.toJson().dump())),
          QVariant(QString::fromStdString(a.effects.dump())), text(a.rater),
          QVariant(
              jsonio::formatTimestamp(a.createdAt.isValid() ? a.createdAt : jsonio::nowUtc()))})
        q.addBindValue(v);
    Workspace::execPrepared(
        q, QStringLiteral("Saving answer %1 to question %2").arg(a.id, a.questionId));
}

std::optional<FeedbackAnswer> FeedbackStore::answer(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("SELECT id, question_id, value, effects, rater, undone, created_at, "
                       "undone_at FROM feedback_answers WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading answer %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return readAnswer(q);
}

std::vector<FeedbackAnswer> FeedbackStore::answers() const
{
    QSqlQuery q = m_ws.exec(
        QStringLiteral("SELECT id, question_id, value, effects, rater, undone, created_at, "
                       "undone_at FROM feedback_answers ORDER BY seq DESC"));
    std::vector<FeedbackAnswer> out;
    while (q.next())
        out.push_back(readAnswer(q));
    return out;
}

bool FeedbackStore::markUndone(const QString &answerId)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "UPDATE feedback_answers SET undone = 1, undone_at = ? WHERE id = ? AND undone = 0"));
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(answerId);
    Workspace::execPrepared(q, QStringLiteral("Undoing answer %1").arg(answerId));
    return q.numRowsAffected() == 1;
}

QString FeedbackStore::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT value FROM feedback_settings WHERE key = ?"));
    q.addBindValue(key);
    Workspace::execPrepared(q, QStringLiteral("Reading inbox setting %1").arg(key));
    return q.next() ? q.value(0).toString() : fallback;
}

void FeedbackStore::setSetting(const QString &key, const QString &value)
{
    QSqlQuery q =
        m_ws.prepare(QStringLiteral("INSERT INTO feedback_settings (key, value) VALUES (?, ?) "
                                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    Workspace::execPrepared(q, QStringLiteral("Saving inbox setting %1").arg(key));
}

std::optional<FeedbackStore::Digest> FeedbackStore::lastDigest() const
{
    QSqlQuery q = m_ws.exec(QStringLiteral(
        "SELECT seq, question_ids, created_at FROM feedback_digests ORDER BY seq DESC LIMIT 1"));
    if (!q.next())
        return std::nullopt;
    Digest d;
    d.seq = q.value(0).toLongLong();
    for (const auto &e : parse(q.value(1)))
        if (e.is_string())
            d.questionIds << QString::fromStdString(e.get<std::string>());
    d.createdAt = parseStamp(q.value(2));
    return d;
}

FeedbackStore::Digest FeedbackStore::addDigest(const QStringList &questionIds, const QDateTime &at)
{
    json ids = json::array();
    for (const QString &id : questionIds)
        ids.push_back(id.toStdString());
    QSqlQuery q = m_ws.prepare(
        QStringLiteral("INSERT INTO feedback_digests (question_ids, created_at) VALUES (?, ?)"));
    q.addBindValue(QString::fromStdString(ids.dump()));
    q.addBindValue(jsonio::formatTimestamp(at));
    Workspace::execPrepared(q, QStringLiteral("Saving an inbox digest"));
    return {q.lastInsertId().toLongLong(), questionIds, at};
}

} // namespace crucible
