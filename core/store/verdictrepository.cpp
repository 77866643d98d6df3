#include "core/store/verdictrepository.h"

#include <QSqlQuery>
#include <QVariant>

namespace crucible {

using nlohmann::json;

namespace {

const QString kColumns = QStringLiteral(
    "v.id, v.solution_id, v.judge_version_id, v.status, v.overall, v.confidence, v.novelty, "
    "v.scores, v.checks, v.rubric_version, v.prompt_template, v.error, v.job_id, v.call_ids, "
    "v.cost_usd, v.tokens, v.created_at, v.calibration");
const QString kJudgmentColumns =
    QStringLiteral("id, solution_id, aspect, rating, note, rater, created_at, updated_at");

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QVariant optionalVariant(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Double));
}

std::optional<double> optionalOf(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDouble();
}

json parse(const QVariant &v)
{
    return json::parse(v.toString().toStdString(), nullptr, false);
}

Verdict readVerdict(const QSqlQuery &q)
{
    Verdict v;
    v.id = q.value(0).toString();
    v.solutionId = q.value(1).toString();
    v.judgeVersionId = q.value(2).toString();
    v.status = q.value(3).toString() == QLatin1String("ok") ? Verdict::Status::Ok
                                                            : Verdict::Status::Failed;
    v.overall = optionalOf(q.value(4));
    v.confidence = optionalOf(q.value(5));
    v.novelty = optionalOf(q.value(6));
    const json scores = parse(q.value(7));
    if (scores.is_object()) {
        try {
            v.scores = QualityScores::fromJson(scores);
        } catch (const ValidationError &) {
            v.scores = {}; // a hand-edited row: shown without scores rather than not at all
        }
    }
    const json checks = parse(q.value(8));
    if (checks.is_object())
        v.checks = Verdict::checksFromJson(checks);
    v.rubricVersion = q.value(9).toString();
    v.promptTemplate = q.value(10).toString();
    v.error = q.value(11).toString();
    v.jobId = q.value(12).toString();
    for (const auto &e : parse(q.value(13)))
        if (e.is_string())
            v.callIds << QString::fromStdString(e.get<std::string>());
    v.costUsd = optionalOf(q.value(14));
    v.tokens = q.value(15).toLongLong();
    v.createdAt = jsonio::parseTimestamp(q.value(16).toString());
    for (const auto &e : parse(q.value(17)))
        if (e.is_string())
            v.calibrationIds << QString::fromStdString(e.get<std::string>());
    return v;
}

HumanJudgment readJudgment(const QSqlQuery &q)
{
    HumanJudgment h;
    h.id = q.value(0).toString();
    h.solutionId = q.value(1).toString();
    h.aspect = q.value(2).toString();
    if (!q.value(3).isNull())
        h.rating = q.value(3).toInt();
    h.note = q.value(4).toString();
    h.rater = q.value(5).toString();
    h.createdAt = jsonio::parseTimestamp(q.value(6).toString());
    h.updatedAt = jsonio::parseTimestamp(q.value(7).toString());
    return h;
}

} // namespace

VerdictRepository::VerdictRepository(Workspace &ws)
    : m_ws(ws)
{
}

void VerdictRepository::insert(const Verdict &v)
{
    throwIfInvalid(v.validate());
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO verdicts (id, solution_id, judge_version_id, status, overall, confidence, "
        "novelty, scores, checks, rubric_version, prompt_template, error, job_id, call_ids, "
        "cost_usd, tokens, created_at, calibration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)"));
    q.addBindValue(v.id);
    q.addBindValue(v.solutionId);
    q.addBindValue(orEmpty(v.judgeVersionId));
    q.addBindValue(toString(v.status));
    q.addBindValue(optionalVariant(v.overall));
    q.addBindValue(optionalVariant(v.confidence));
    q.addBindValue(optionalVariant(v.novelty));
    q.addBindValue(QString::fromStdString(v.scores.toJson().dump()));
    q.addBindValue(QString::fromStdString(v.checksJson().dump()));
    q.addBindValue(orEmpty(v.rubricVersion));
    q.addBindValue(orEmpty(v.promptTemplate));
    q.addBindValue(orEmpty(v.error));
    q.addBindValue(orEmpty(v.jobId));
    q.addBindValue(QString::fromStdString(json(v.callIds).dump()));
    q.addBindValue(optionalVariant(v.costUsd));
    q.addBindValue(v.tokens);
    q.addBindValue(jsonio::formatTimestamp(v.createdAt.isValid() ? v.createdAt : jsonio::nowUtc()));
    q.addBindValue(QString::fromStdString(json(v.calibrationIds).dump()));
    Workspace::execPrepared(
        q, QStringLiteral("Saving verdict %1 of solution %2 (does the solution exist?)")
               .arg(v.id, v.solutionId));
}

void VerdictRepository::insert(const std::vector<Verdict> &verdicts)
{
    Workspace::Transaction tx(m_ws);
    for (const Verdict &v : verdicts)
        insert(v);
    tx.commit();
}

std::vector<Verdict> VerdictRepository::select(const QString &where, const QVariantList &binds,
                                               const QString &what) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kColumns +
                               QStringLiteral(" FROM verdicts v ") + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    Workspace::execPrepared(q, what);
    std::vector<Verdict> out;
    while (q.next())
        out.push_back(readVerdict(q));
    return out;
}

std::optional<Verdict> VerdictRepository::get(const QString &id) const
{
    auto rows = select(QStringLiteral("WHERE v.id = ?"), {id},
                       QStringLiteral("Reading verdict %1").arg(id));
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

bool VerdictRepository::contains(const QString &id) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT 1 FROM verdicts WHERE id = ?"));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading verdict %1").arg(id));
    return q.next();
}

std::vector<Verdict> VerdictRepository::forSolution(const QString &solutionId) const
{
    return select(QStringLiteral("WHERE v.solution_id = ? ORDER BY v.seq"), {solutionId},
                  QStringLiteral("Reading the verdicts of solution %1").arg(solutionId));
}

std::vector<Verdict> VerdictRepository::forProblem(const QString &problemId) const
{
    return select(QStringLiteral("JOIN solutions s ON s.id = v.solution_id WHERE s.problem_id = "
                                 "? ORDER BY v.seq"),
                  {problemId}, QStringLiteral("Reading the verdicts of problem %1").arg(problemId));
}

std::vector<Verdict> VerdictRepository::byJob(const QString &jobId) const
{
    return select(QStringLiteral("WHERE v.job_id = ? ORDER BY v.seq"), {jobId},
                  QStringLiteral("Reading the verdicts of job %1").arg(jobId));
}

std::vector<Verdict> VerdictRepository::byJudge(const QString &judgeVersionId) const
{
    return select(QStringLiteral("WHERE v.judge_version_id = ? ORDER BY v.seq"), {judgeVersionId},
                  QStringLiteral("Reading the verdicts of judge %1").arg(judgeVersionId));
}

HumanJudgment VerdictRepository::setJudgment(const QString &solutionId, const QString &aspect,
                                             std::optional<int> rating, const QString &note,
                                             const QString &rater)
{
    HumanJudgment h;
    h.id = jsonio::newId("hjd");
    h.solutionId = solutionId;
    h.aspect = aspect.trimmed();
    h.rating = rating;
    h.note = note;
    h.rater = rater;
    throwIfInvalid(h.validate());
    const QString now = jsonio::formatTimestamp(jsonio::nowUtc());
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "INSERT INTO human_judgments (id, solution_id, aspect, rating, note, rater, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(solution_id, aspect, rater) DO "
        "UPDATE SET rating = excluded.rating, note = excluded.note, updated_at = "
        "excluded.updated_at"));
    q.addBindValue(h.id);
    q.addBindValue(h.solutionId);
    q.addBindValue(h.aspect);
    q.addBindValue(rating ? QVariant(*rating) : QVariant(QMetaType(QMetaType::Int)));
    q.addBindValue(orEmpty(note));
    q.addBindValue(orEmpty(rater));
    q.addBindValue(now);
    q.addBindValue(now);
    Workspace::execPrepared(q, QStringLiteral("Saving the %1 rating of solution %2 (does the "
                                              "solution exist?)")
                                   .arg(h.aspect, solutionId));
    return *judgment(solutionId, h.aspect, rater);
}

std::vector<HumanJudgment> VerdictRepository::setJudgments(const std::vector<HumanJudgment> &all)
{
    std::vector<HumanJudgment> out;
    Workspace::Transaction tx(m_ws);
    for (const HumanJudgment &h : all)
        out.push_back(setJudgment(h.solutionId, h.aspect, h.rating, h.note, h.rater));
    tx.commit();
    return out;
}

std::vector<HumanJudgment> VerdictRepository::selectJudgments(const QString &where,
                                                              const QVariantList &binds,
                                                              const QString &what) const
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("SELECT ") + kJudgmentColumns +
                               QStringLiteral(" FROM human_judgments ") + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    Workspace::execPrepared(q, what);
    std::vector<HumanJudgment> out;
    while (q.next())
        out.push_back(readJudgment(q));
    return out;
}

void VerdictRepository::removeJudgment(const QString &solutionId, const QString &aspect,
                                       const QString &rater)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral(
        "DELETE FROM human_judgments WHERE solution_id = ? AND aspect = ? AND rater = ?"));
    q.addBindValue(solutionId);
    q.addBindValue(aspect.trimmed());
    q.addBindValue(orEmpty(rater));
    Workspace::execPrepared(
        q, QStringLiteral("Removing the %1 rating of solution %2").arg(aspect, solutionId));
}

std::optional<HumanJudgment> VerdictRepository::judgment(const QString &solutionId,
                                                         const QString &aspect,
                                                         const QString &rater) const
{
    auto rows = selectJudgments(
        QStringLiteral("WHERE solution_id = ? AND aspect = ? AND rater = ?"),
        {solutionId, aspect, orEmpty(rater)},
        QStringLiteral("Reading the %1 rating of solution %2").arg(aspect, solutionId));
    if (rows.empty())
        return std::nullopt;
    return std::move(rows.front());
}

std::vector<HumanJudgment> VerdictRepository::judgmentsOf(const QString &solutionId) const
{
    return selectJudgments(QStringLiteral("WHERE solution_id = ? ORDER BY aspect, rater"),
                           {solutionId},
                           QStringLiteral("Reading the ratings of solution %1").arg(solutionId));
}

std::vector<HumanJudgment> VerdictRepository::allJudgments() const
{
    return selectJudgments(QStringLiteral("ORDER BY seq"), {},
                           QStringLiteral("Reading the human ratings"));
}

} // namespace crucible
