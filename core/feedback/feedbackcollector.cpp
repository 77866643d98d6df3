#include "core/feedback/feedbackcollector.h"

#include "core/evaluate/rubric.h"
#include "core/generate/minhash.h"
#include "core/model/jsonsupport.h"
#include "core/store/problemrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/tournamentrepository.h"
#include "core/store/verdictrepository.h"

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {

const QString kDigestSize = QStringLiteral("digest_size");
const QString kCadence = QStringLiteral("cadence_minutes");

QDateTime orNow(const QDateTime &t)
{
    return t.isValid() ? t : jsonio::nowUtc();
}

QString when(const QDateTime &t)
{
    return t.isValid() ? jsonio::formatTimestamp(t) : QStringLiteral("an unknown time");
}

bool ratingType(const FeedbackQuestion &q)
{
    return q.answerType == AnswerType::Rating;
}

QStringList strings(const json &list)
{
    QStringList out;
    for (const auto &e : list)
        if (e.is_string())
            out << QString::fromStdString(e.get<std::string>());
    return out;
}

std::optional<int> ratingOf(const json &j)
{
    if (j.is_number_integer())
        return j.get<int>();
    return std::nullopt;
}

json judgmentJson(const std::optional<HumanJudgment> &h)
{
    if (!h)
        return nullptr;
    return {{"rating", h->rating ? json(*h->rating) : json()}, {"note", h->note.toStdString()}};
}

} // namespace

FeedbackCollector::FeedbackCollector(Workspace &ws)
    : m_ws(ws)
    , m_store(ws)
{
}

int FeedbackCollector::digestSize() const
{
    return std::clamp(m_store.setting(kDigestSize, QString::number(kDefaultDigestSize)).toInt(), 1,
                      100);
}

int FeedbackCollector::cadenceMinutes() const
{
    bool ok = false;
    const int m = m_store.setting(kCadence, QString::number(kDefaultCadenceMinutes)).toInt(&ok);
    return ok ? std::max(0, m) : kDefaultCadenceMinutes;
}

void FeedbackCollector::setDigestSize(int n)
{
    if (n < 1 || n > 100)
        throw FeedbackError(FeedbackError::Kind::InvalidAnswer,
                            QStringLiteral("digest size %1 is out of range: give 1 to 100 "
                                           "questions per digest")
                                .arg(n));
    m_store.setSetting(kDigestSize, QString::number(n));
}

void FeedbackCollector::setCadenceMinutes(int minutes)
{
    constexpr int kMonth = 30 * 24 * 60;
    if (minutes < 0 || minutes > kMonth)
        throw FeedbackError(FeedbackError::Kind::InvalidAnswer,
                            QStringLiteral("cadence %1 minutes is out of range: give 0 (a new "
                                           "digest every time) to %2 (30 days)")
                                .arg(minutes)
                                .arg(kMonth));
    m_store.setSetting(kCadence, QString::number(minutes));
}

std::vector<FeedbackQuestion> FeedbackCollector::open(const QDateTime &now) const
{
    std::vector<FeedbackQuestion> out;
    for (FeedbackQuestion &q : m_store.questions(
             {{QuestionStatus::Pending, QuestionStatus::Snoozed}, {}, {}, {}, std::nullopt}))
        if (q.isOpen(orNow(now)))
            out.push_back(std::move(q));
    return out;
}

std::vector<FeedbackQuestion> FeedbackCollector::history() const
{
    std::vector<FeedbackQuestion> out = m_store.questions(
        {{QuestionStatus::Answered, QuestionStatus::Resolved, QuestionStatus::Dismissed},
         {},
         {},
         {},
         std::nullopt});
    std::stable_sort(out.begin(), out.end(),
                     [](const auto &a, const auto &b) { return a.updatedAt > b.updatedAt; });
    return out;
}

FeedbackQuestion FeedbackCollector::question(const QString &id) const
{
    auto q = m_store.question(id);
    if (!q)
        throw FeedbackError(FeedbackError::Kind::NotFound,
                            QStringLiteral("no inbox question %1 in %2 (deleted, or a typo?): "
                                           "list them with `crucible-cli inbox WS list --all`")
                                .arg(id, m_ws.path()));
    return *q;
}

std::vector<FeedbackAnswer> FeedbackCollector::answers() const
{
    return m_store.answers();
}

DigestView FeedbackCollector::digest(const QDateTime &nowArg, bool forceNew)
{
    const QDateTime now = orNow(nowArg);
    const std::vector<FeedbackQuestion> all = open(now);
    DigestView view;
    view.open = static_cast<int>(all.size());
    const auto last = m_store.lastDigest();
    const qint64 cadenceSecs = static_cast<qint64>(cadenceMinutes()) * 60;
    // A digest made when nothing was open does not hold the next one back: questions raised
    // after it (the first evaluation of a new workspace) are shown at once.
    const bool heldBack = last && !last->questionIds.isEmpty();
    if (!forceNew && heldBack && last->createdAt.secsTo(now) < cadenceSecs) {
        for (const FeedbackQuestion &q : all)
            if (last->questionIds.contains(q.id))
                view.questions.push_back(q);
        view.createdAt = last->createdAt;
        view.nextAt = last->createdAt.addSecs(cadenceSecs);
        return view;
    }
    QStringList ids;
    for (const FeedbackQuestion &q : all) {
        if (static_cast<int>(view.questions.size()) >= digestSize())
            break;
        view.questions.push_back(q);
        ids << q.id;
    }
    m_store.addDigest(ids, now);
    view.createdAt = now;
    view.nextAt = now.addSecs(cadenceSecs);
    view.fresh = true;
    return view;
}

void FeedbackCollector::requireOpen(const FeedbackQuestion &q, const QDateTime &now) const
{
    if (q.isOpen(now))
        return;
    QString why;
    switch (q.status) {
    case QuestionStatus::Answered:
        why = QStringLiteral("was already answered (answer %1, %2); undo that answer first with "
                             "`inbox WS undo %3` to answer again")
                  .arg(q.answerId, when(q.updatedAt), q.id);
        break;
    case QuestionStatus::Resolved:
        why = QStringLiteral("was resolved automatically by answer %1 (%2); undo that answer "
                             "with `inbox WS undo %1` to reopen it")
                  .arg(q.resolvedBy, when(q.updatedAt));
        break;
    case QuestionStatus::Dismissed:
        why =
            QStringLiteral("was dismissed (%1); nothing is pending for it").arg(when(q.updatedAt));
        break;
    case QuestionStatus::Snoozed:
        why = QStringLiteral("is snoozed until %1; wake it with `inbox WS snooze %2 --until now` "
                             "to answer it now")
                  .arg(when(q.snoozedUntil), q.id);
        break;
    case QuestionStatus::Pending:
        break;
    }
    throw FeedbackError(FeedbackError::Kind::NotOpen,
                        QStringLiteral("inbox question %1 %2").arg(q.id, why));
}

void FeedbackCollector::validate(const FeedbackQuestion &q, const AnswerValue &v) const
{
    auto bad = [&q](const QString &what) {
        return FeedbackError(
            FeedbackError::Kind::InvalidAnswer,
            QStringLiteral("answer to inbox question %1 not saved: %2").arg(q.id, what));
    };
    if (v.type != q.answerType)
        throw bad(QStringLiteral("this question asks for %1 (%2), not %3")
                      .arg(toString(q.answerType),
                           q.answerType == AnswerType::Rating
                               ? QStringLiteral("--rating aspect=1..5")
                           : q.answerType == AnswerType::Choice ? QStringLiteral("--choice A|B|tie")
                           : q.answerType == AnswerType::YesNo  ? QStringLiteral("--yes or --no")
                                                                : QStringLiteral("--text T"),
                           toString(v.type)));
    switch (v.type) {
    case AnswerType::Rating: {
        const QStringList allowed = q.ratedAspects();
        if (v.ratings.empty())
            throw bad(QStringLiteral("no rating given; rate %1, e.g. --rating %2=4")
                          .arg(allowed.join(QStringLiteral(", ")), allowed.value(0)));
        for (const auto &[aspect, rating] : v.ratings) {
            if (!allowed.contains(aspect))
                throw bad(QStringLiteral("aspect \"%1\" is not one this question rates (%2)")
                              .arg(aspect, allowed.join(QStringLiteral(", "))));
            if (rating < 1 || rating > 5)
                throw bad(QStringLiteral("rating %1 for %2 is out of range: give a whole "
                                         "number from 1 (poor) to 5 (excellent)")
                              .arg(rating)
                              .arg(aspect));
        }
        break;
    }
    case AnswerType::Choice:
        if (v.choice != QLatin1String("a") && v.choice != QLatin1String("b") &&
            v.choice != QLatin1String("tie"))
            throw bad(QStringLiteral("choice \"%1\" is not A, B or tie").arg(v.choice));
        break;
    case AnswerType::YesNo:
        if (!v.yes)
            throw bad(QStringLiteral("give --yes or --no"));
        break;
    case AnswerType::Text:
        if (v.text.trimmed().isEmpty())
            throw bad(QStringLiteral("the answer text is empty; say what the rubric should "
                                     "check, e.g. --text \"cites the regulation it relies on\""));
        break;
    }
}

FeedbackAnswer FeedbackCollector::answer(const QString &questionId, const AnswerValue &value,
                                         const QString &rater, const QDateTime &nowArg)
{
    const QDateTime now = orNow(nowArg);
    const FeedbackQuestion q = question(questionId);
    requireOpen(q, now);
    validate(q, value);
    FeedbackAnswer a;
    a.id = jsonio::newId("fba");
    a.questionId = q.id;
    a.value = value;
    a.rater = rater;
    a.createdAt = now;
    Workspace::Transaction tx(m_ws);
    // The state check and the claim are one statement, first in the transaction: of two
    // writers, the second finds the question no longer open and changes nothing.
    if (!m_store.transition(q.id, {QuestionStatus::Pending, QuestionStatus::Snoozed},
                            QuestionStatus::Answered, a.id)) {
        tx.commit(); // nothing written
        requireOpen(question(questionId), now);
        throw FeedbackError(FeedbackError::Kind::NotOpen,
                            QStringLiteral("inbox question %1 changed while it was being "
                                           "answered; show it again and retry")
                                .arg(q.id));
    }
    a.effects = applyEffects(q, value, rater, a.id);
    a.effects["resolved"] = resolveSettled(q, value, a.id, now);
    m_store.insertAnswer(a);
    tx.commit();
    return a;
}

json FeedbackCollector::applyEffects(const FeedbackQuestion &q, const AnswerValue &value,
                                     const QString &rater, const QString &answerId)
{
    json effects = json::object();
    if (value.type == AnswerType::Rating) {
        if (q.solutionId.isEmpty() || !SolutionRepository(m_ws).contains(q.solutionId))
            throw FeedbackError(FeedbackError::Kind::NotFound,
                                QStringLiteral("solution %1 of inbox question %2 no longer "
                                               "exists; dismiss the question with `inbox WS "
                                               "dismiss %2`")
                                    .arg(q.solutionId, q.id));
        VerdictRepository verdicts(m_ws);
        json written = json::array();
        const QString note =
            value.text.isEmpty() ? QStringLiteral("inbox %1 (%2)").arg(q.id, answerId) : value.text;
        for (const auto &[aspect, rating] : value.ratings) {
            const auto previous = verdicts.judgment(q.solutionId, aspect, rater);
            verdicts.setJudgment(q.solutionId, aspect, rating, note, rater);
            written.push_back({{"solution_id", q.solutionId.toStdString()},
                               {"aspect", aspect.toStdString()},
                               {"rating", rating},
                               {"previous", judgmentJson(previous)}});
        }
        effects["judgments"] = written;
    } else if (q.kind == QuestionKind::RubricGap) {
        ProblemRepository problems(m_ws);
        auto problem = problems.get(q.problemId);
        if (!problem)
            throw FeedbackError(FeedbackError::Kind::NotFound,
                                QStringLiteral("problem %1 of inbox question %2 no longer "
                                               "exists; dismiss the question")
                                    .arg(q.problemId, q.id));
        QStringList aspects = q.ratedAspects();
        if (aspects.size() <= 1)
            aspects = Rubric::defaultAspects();
        const QString criterion =
            QStringLiteral("%1: %2").arg(q.aspect, value.text.trimmed().simplified());
        const QString from = Rubric::compile(*problem, aspects).version;
        problem->successCriteria << criterion;
        problems.update(*problem);
        effects["rubric"] = {
            {"problem_id", q.problemId.toStdString()},
            {"criterion", criterion.toStdString()},
            {"from_version", from.toStdString()},
            {"to_version", Rubric::compile(*problem, aspects).version.toStdString()}};
    } else if (value.type == AnswerType::YesNo && !q.solutionId.isEmpty()) {
        effects["decision"] = {{"solution_id", q.solutionId.toStdString()},
                               {"accept", value.yes.value_or(false)}};
    } else if (value.type == AnswerType::Choice) {
        const std::string comparisonId = q.context.value("comparison_id", "");
        effects["preference"] = {{"comparison_id", comparisonId},
                                 {"choice", value.choice.toStdString()}};
        if (q.kind == QuestionKind::Comparison && value.choice != QLatin1String("tie")) {
            // The person settled what the judge could not: their choice is a preference pair.
            TournamentRepository tournaments(m_ws);
            const auto c = tournaments.comparisonById(QString::fromStdString(comparisonId));
            if (!c)
                throw FeedbackError(FeedbackError::Kind::NotFound,
                                    QStringLiteral("comparison %1 of inbox question %2 no longer "
                                                   "exists; dismiss the question with `inbox WS "
                                                   "dismiss %2`")
                                        .arg(QString::fromStdString(comparisonId), q.id));
            const PreferencePairRecord pair = tournaments.addHumanPreference(
                c->id, value.choice == QLatin1String("a") ? c->solutionA : c->solutionB,
                {{"answer_id", answerId.toStdString()},
                 {"question_id", q.id.toStdString()},
                 {"rater", rater.toStdString()},
                 {"note", value.text.toStdString()}});
            effects["preference"]["pair_id"] = pair.id.toStdString();
            effects["preference"]["chosen_solution_id"] = pair.chosenSolutionId.toStdString();
            effects["preference"]["rejected_solution_id"] = pair.rejectedSolutionId.toStdString();
        }
    } else if (q.kind == QuestionKind::Budget) {
        effects["budget"] = {{"job_id", q.jobId.toStdString()},
                             {"continue", value.yes.value_or(false)},
                             {"more_usd", q.context.value("more_usd", 0.0)}};
    }
    return effects;
}

json FeedbackCollector::resolveSettled(const FeedbackQuestion &q, const AnswerValue &value,
                                       const QString &answerId, const QDateTime &now)
{
    json resolved = json::array();
    auto settle = [&](const FeedbackQuestion &other, const QString &reason) {
        if (other.id == q.id || !other.isOpen(now))
            return;
        if (m_store.transition(other.id, {QuestionStatus::Pending, QuestionStatus::Snoozed},
                               QuestionStatus::Resolved, {}, answerId))
            resolved.push_back({{"id", other.id.toStdString()}, {"reason", reason.toStdString()}});
    };
    const QuestionFilter openOnes{
        {QuestionStatus::Pending, QuestionStatus::Snoozed}, {}, {}, {}, std::nullopt};
    if (value.type == AnswerType::Rating) {
        QStringList rated;
        for (const auto &[aspect, unused] : value.ratings)
            rated << aspect;
        // Rating questions need the aspect they ask about rated (or any aspect when they ask
        // about the whole solution); a boundary needs every aspect the judges scored.
        auto settledBy = [&rated](const FeedbackQuestion &other) {
            if (ratingType(other))
                return other.aspect.isEmpty() ? !rated.isEmpty() : rated.contains(other.aspect);
            if (other.kind == QuestionKind::Boundary) {
                const QStringList needed = strings(other.context.value("aspects", json::array()));
                return !needed.isEmpty() &&
                       std::all_of(needed.begin(), needed.end(),
                                   [&rated](const QString &a) { return rated.contains(a); });
            }
            return false;
        };
        QuestionFilter same = openOnes;
        same.solutionId = q.solutionId;
        for (const FeedbackQuestion &other : m_store.questions(same))
            if (settledBy(other))
                settle(other, QStringLiteral("same solution, rated %1").arg(rated.join(u',')));
        // Near-duplicate solutions of the same problem.
        SolutionRepository solutions(m_ws);
        const auto answered = solutions.get(q.solutionId);
        if (answered && !q.problemId.isEmpty()) {
            const auto mine = shingleSet(answered->toText());
            QuestionFilter family = openOnes;
            family.problemId = q.problemId;
            for (const FeedbackQuestion &other : m_store.questions(family)) {
                if (other.solutionId.isEmpty() || other.solutionId == q.solutionId ||
                    !settledBy(other))
                    continue;
                const auto theirs = solutions.get(other.solutionId);
                if (!theirs)
                    continue;
                const double similarity = jaccard(mine, shingleSet(theirs->toText()));
                if (similarity >= kNearDuplicate)
                    settle(other, QStringLiteral("near-duplicate of %1 (similarity %2)")
                                      .arg(q.solutionId, QString::number(similarity, 'f', 2)));
            }
        }
    } else if (q.kind == QuestionKind::RubricGap) {
        // The same rubric item: this problem's and its family's (base or variations) gaps in
        // the same aspect.
        ProblemRepository problems(m_ws);
        const auto problem = problems.get(q.problemId);
        const QString base =
            problem && !problem->baseProblemId.isEmpty() ? problem->baseProblemId : q.problemId;
        QuestionFilter gaps = openOnes;
        gaps.kind = QuestionKind::RubricGap;
        for (const FeedbackQuestion &other : m_store.questions(gaps)) {
            if (other.aspect != q.aspect)
                continue;
            const auto p = other.problemId == q.problemId ? problem : problems.get(other.problemId);
            if (!p)
                continue;
            const QString otherBase = p->baseProblemId.isEmpty() ? p->id : p->baseProblemId;
            if (otherBase == base)
                settle(other, QStringLiteral("same rubric item (%1) of problem family %2")
                                  .arg(q.aspect, base));
        }
    } else if (q.kind == QuestionKind::Budget) {
        QuestionFilter budget = openOnes;
        budget.kind = QuestionKind::Budget;
        budget.jobId = q.jobId;
        for (const FeedbackQuestion &other : m_store.questions(budget))
            settle(other, QStringLiteral("same job's budget decision"));
    } else if (!q.solutionId.isEmpty()) {
        QuestionFilter same = openOnes;
        same.solutionId = q.solutionId;
        same.kind = q.kind;
        for (const FeedbackQuestion &other : m_store.questions(same))
            settle(other, QStringLiteral("same decision on %1").arg(q.solutionId));
    }
    return resolved;
}

void FeedbackCollector::snooze(const QString &questionId, const QDateTime &until,
                               const QDateTime &nowArg)
{
    const QDateTime now = orNow(nowArg);
    const FeedbackQuestion q = question(questionId);
    if (q.status != QuestionStatus::Pending && q.status != QuestionStatus::Snoozed)
        requireOpen(q, now);
    if (!until.isValid())
        throw FeedbackError(FeedbackError::Kind::InvalidAnswer,
                            QStringLiteral("no time to snooze inbox question %1 until: give "
                                           "--until 2026-12-24T09:00:00Z, +3d, +8h or now")
                                .arg(q.id));
    const bool wake = until <= now;
    if (!m_store.transition(q.id, {QuestionStatus::Pending, QuestionStatus::Snoozed},
                            wake ? QuestionStatus::Pending : QuestionStatus::Snoozed, {}, {},
                            wake ? QDateTime() : until))
        requireOpen(question(questionId), now);
}

void FeedbackCollector::dismiss(const QString &questionId)
{
    const FeedbackQuestion q = question(questionId);
    if (!m_store.transition(q.id, {QuestionStatus::Pending, QuestionStatus::Snoozed},
                            QuestionStatus::Dismissed))
        requireOpen(question(questionId), QDateTime::fromSecsSinceEpoch(0));
}

FeedbackAnswer FeedbackCollector::undo(const QString &id)
{
    std::optional<FeedbackAnswer> a = m_store.answer(id);
    if (!a) {
        const auto q = m_store.question(id);
        if (!q)
            throw FeedbackError(FeedbackError::Kind::NotFound,
                                QStringLiteral("nothing to undo: %1 is neither an answer nor an "
                                               "inbox question in %2")
                                    .arg(id, m_ws.path()));
        if (q->status != QuestionStatus::Answered || q->answerId.isEmpty())
            throw FeedbackError(FeedbackError::Kind::NotOpen,
                                QStringLiteral("inbox question %1 has no answer to undo (it is "
                                               "%2)")
                                    .arg(id, toString(q->status)));
        a = m_store.answer(q->answerId);
        if (!a)
            throw FeedbackError(
                FeedbackError::Kind::NotFound,
                QStringLiteral("answer %1 of inbox question %2 is missing").arg(q->answerId, id));
    }
    Workspace::Transaction tx(m_ws);
    if (!m_store.markUndone(a->id))
        throw FeedbackError(FeedbackError::Kind::NotOpen,
                            QStringLiteral("answer %1 was already undone (%2); nothing changed")
                                .arg(a->id, when(m_store.answer(a->id)->undoneAt)));
    VerdictRepository verdicts(m_ws);
    const json judgments = a->effects.value("judgments", json::array());
    for (auto it = judgments.rbegin(); it != judgments.rend(); ++it) {
        const QString solution = QString::fromStdString(it->value("solution_id", ""));
        const QString aspect = QString::fromStdString(it->value("aspect", ""));
        const json previous = it->value("previous", json());
        if (previous.is_object())
            verdicts.setJudgment(solution, aspect, ratingOf(previous.value("rating", json())),
                                 QString::fromStdString(previous.value("note", "")), a->rater);
        else
            verdicts.removeJudgment(solution, aspect, a->rater);
    }
    if (const auto rubric = a->effects.find("rubric"); rubric != a->effects.end()) {
        ProblemRepository problems(m_ws);
        if (auto p = problems.get(QString::fromStdString(rubric->value("problem_id", "")))) {
            const QString criterion = QString::fromStdString(rubric->value("criterion", ""));
            const qsizetype at = p->successCriteria.lastIndexOf(criterion);
            if (at >= 0) {
                p->successCriteria.removeAt(at);
                problems.update(*p);
            }
        }
    }
    if (const auto p = a->effects.find("preference");
        p != a->effects.end() && p->contains("pair_id"))
        TournamentRepository(m_ws).removePreferencePair(
            QString::fromStdString(p->value("pair_id", "")));
    for (const auto &r : a->effects.value("resolved", json::array())) {
        const QString other = QString::fromStdString(r.value("id", ""));
        const auto q = m_store.question(other);
        if (q && q->status == QuestionStatus::Resolved && q->resolvedBy == a->id)
            m_store.transition(other, {QuestionStatus::Resolved}, QuestionStatus::Pending);
    }
    m_store.transition(a->questionId, {QuestionStatus::Answered}, QuestionStatus::Pending);
    tx.commit();
    return *a;
}

} // namespace crucible
