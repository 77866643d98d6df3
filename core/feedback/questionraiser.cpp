#include "core/feedback/questionraiser.h"

#include "core/evaluate/qualityverifier.h"
#include "core/evaluate/rubric.h"
#include "core/evaluate/solveragent.h"
#include "core/feedback/feedbackstore.h"
#include "core/model/validationerror.h"
#include "core/store/jobrepository.h"
#include "core/store/problemrepository.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <set>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kExcerpt = 600;

std::string excerpt(const QString &text, int limit = kExcerpt)
{
    const QString t = text.simplified();
    return (t.size() > limit ? QString(t.left(limit) + QStringLiteral("…")) : t).toStdString();
}

// A judge saying that the rubric gives it nothing to score an aspect against.
bool flagsRubricGap(const QString &rationale)
{
    static const QRegularExpression gap(
        QStringLiteral("cannot (be )?(assess|judge|score|evaluat|verif)|can't (assess|judge|tell|"
                       "score)|unable to (assess|judge|score|verif)|not covered by the rubric|"
                       "rubric (does not|doesn't) (say|cover|mention|define)|no (criterion|"
                       "criteria|constraint) (for|about|covers)"),
        QRegularExpression::CaseInsensitiveOption);
    return gap.match(rationale).hasMatch();
}

int countWhere(Workspace &ws, const QString &sql, const QVariantList &binds)
{
    QSqlQuery q = ws.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    Workspace::execPrepared(q, QStringLiteral("Counting what an inbox answer would settle"));
    return q.next() ? q.value(0).toInt() : 0;
}

QString num(double v, int decimals = 2)
{
    return QString::number(v, 'f', decimals);
}

} // namespace

RaiseOptions RaiseOptions::load(const FeedbackStore &store)
{
    RaiseOptions o;
    auto read = [&store](const char *key, double fallback) {
        bool ok = false;
        const double v =
            store.setting(QString::fromLatin1(key), QString::number(fallback)).toDouble(&ok);
        return ok && std::isfinite(v) ? v : fallback;
    };
    o.disagreeSpread = read("disagree_spread", o.disagreeSpread);
    o.lowConfidence = read("low_confidence", o.lowConfidence);
    o.acceptThreshold = read("accept_threshold", o.acceptThreshold);
    o.boundaryMargin = read("boundary_margin", o.boundaryMargin);
    return o;
}

void RaiseOptions::save(FeedbackStore &store) const
{
    store.setSetting(QStringLiteral("disagree_spread"), QString::number(disagreeSpread));
    store.setSetting(QStringLiteral("low_confidence"), QString::number(lowConfidence));
    store.setSetting(QStringLiteral("accept_threshold"), QString::number(acceptThreshold));
    store.setSetting(QStringLiteral("boundary_margin"), QString::number(boundaryMargin));
}

json RaiseReport::toJson() const
{
    json kinds = json::object();
    for (const auto &[k, n] : byKind)
        kinds[k.toStdString()] = n;
    json ids = json::array();
    for (const QString &id : questionIds)
        ids.push_back(id.toStdString());
    return {{"solutions", solutions}, {"candidates", candidates}, {"raised", raised},
            {"refreshed", refreshed}, {"by_kind", kinds},         {"question_ids", ids}};
}

QuestionRaiser::QuestionRaiser(Workspace &ws, RaiseOptions options)
    : m_ws(ws)
    , m_options(std::move(options))
{
}

std::vector<FeedbackQuestion> QuestionRaiser::candidates(const std::vector<Verdict> &verdicts,
                                                         const QString &jobId) const
{
    // The newest ok verdict of each judge on each solution.
    std::map<QString, std::map<QString, const Verdict *>> bySolution;
    for (const Verdict &v : verdicts) {
        if (!v.ok() || v.scores.aspects.empty())
            continue;
        const Verdict *&slot = bySolution[v.solutionId][v.judgeVersionId];
        if (!slot || slot->createdAt <= v.createdAt)
            slot = &v;
    }
    SolutionRepository solutions(m_ws);
    ProblemRepository problems(m_ws);
    std::map<QString, std::optional<Problem>> problemCache;
    std::map<QString, QString> judgeNames;
    auto judgeName = [&](const QString &id) {
        auto it = judgeNames.find(id);
        if (it == judgeNames.end()) {
            const auto agent = findSolverAgent(m_ws, id);
            it = judgeNames.emplace(id, agent ? agent->name : id).first;
        }
        return it->second;
    };
    struct GapTally
    {
        int verdicts = 0;
        std::map<QString, int> flagged;
        std::map<QString, json> rationale;
        std::set<QString> solutions;
        QStringList aspects;
        QString rubricVersion;
    };
    std::map<QString, GapTally> gaps; // by problem
    std::vector<FeedbackQuestion> out;
    for (const auto &[sid, byJudge] : bySolution) {
        const QString solutionId = sid; // lambdas below capture it (not a structured binding)
        const auto solution = solutions.get(solutionId);
        if (!solution)
            continue;
        auto pit = problemCache.find(solution->problemId);
        if (pit == problemCache.end())
            pit =
                problemCache.emplace(solution->problemId, problems.get(solution->problemId)).first;
        if (!pit->second)
            continue;
        const Problem &problem = *pit->second;
        std::vector<Verdict> list;
        json judges = json::array();
        QStringList aspects;
        double minConfidence = 1, lowest = 1, highest = 0;
        QString unsureJudge;
        GapTally &gap = gaps[problem.id];
        gap.solutions.insert(solutionId);
        for (const auto &[judgeId, v] : byJudge) {
            list.push_back(*v);
            json scores = json::object();
            for (const auto &[aspect, s] : v->scores.aspects) {
                scores[aspect.toStdString()] = {{"score", s.score},
                                                {"rationale", excerpt(s.rationale, 400)}};
                if (!aspects.contains(aspect))
                    aspects << aspect;
                if (flagsRubricGap(s.rationale)) {
                    ++gap.flagged[aspect];
                    gap.rationale[aspect] = excerpt(s.rationale, 400);
                }
            }
            ++gap.verdicts;
            gap.rubricVersion = v->rubricVersion;
            const double overall = v->overall.value_or(v->scores.mean());
            lowest = std::min(lowest, overall);
            highest = std::max(highest, overall);
            const double confidence = v->confidence.value_or(1.0);
            if (confidence < minConfidence) {
                minConfidence = confidence;
                unsureJudge = judgeId;
            }
            judges.push_back({{"judge_version_id", judgeId.toStdString()},
                              {"judge", judgeName(judgeId).toStdString()},
                              {"verdict_id", v->id.toStdString()},
                              {"overall", overall},
                              {"confidence", confidence},
                              {"scores", scores}});
        }
        for (const QString &a : aspects)
            if (!gap.aspects.contains(a))
                gap.aspects << a;
        const std::optional<Consensus> consensus = m_options.consensus.overall(list);
        const double overall = consensus ? consensus->score : 0.0;
        const double distance = std::abs(overall - m_options.acceptThreshold);
        const bool atBoundary = distance <= m_options.boundaryMargin;
        // The accept decision is at stake when the score sits at the threshold or the judges
        // fall on both sides of it.
        const bool decision = atBoundary || (lowest < m_options.acceptThreshold &&
                                             highest >= m_options.acceptThreshold);
        const QVariantList both = {solutionId, solutionId};
        const int comparisons = countWhere(
            m_ws,
            QStringLiteral(
                "SELECT count(*) FROM comparisons WHERE solution_a = ? OR solution_b = ?"),
            both);
        const int pairs =
            countWhere(m_ws,
                       QStringLiteral("SELECT count(*) FROM preference_pairs WHERE "
                                      "chosen_solution_id = ? OR rejected_solution_id "
                                      "= ?"),
                       both);
        const double impact = 1.0 + comparisons + pairs + (decision ? 1.0 : 0.0);
        json aspectList = json::array();
        for (const QString &a : aspects)
            aspectList.push_back(a.toStdString());
        const json context = {
            {"problem",
             {{"id", problem.id.toStdString()}, {"statement", excerpt(problem.statement)}}},
            {"solutions", json::array({{{"id", solutionId.toStdString()},
                                        {"excerpt", excerpt(solution->toText())}}})},
            {"judges", judges},
            {"aspects", aspectList},
            {"weighted_overall", overall},
            {"consensus", consensus ? consensus->toJson() : json(nullptr)},
            {"accept_threshold", m_options.acceptThreshold},
            {"settles",
             {{"comparisons", comparisons}, {"preference_pairs", pairs}, {"decision", decision}}}};
        auto make = [&](QuestionKind kind, AnswerType type, const QString &aspect, double u,
                        const QString &text) {
            FeedbackQuestion q;
            q.kind = kind;
            q.answerType = type;
            q.problemId = problem.id;
            q.solutionId = solutionId;
            q.aspect = aspect;
            q.jobId = jobId;
            q.question = text;
            q.context = context;
            if (!aspect.isEmpty())
                q.context["rubric_item"] = {
                    {"aspect", aspect.toStdString()},
                    {"description", Rubric::describeAspect(aspect).toStdString()}};
            q.uncertainty = std::clamp(u, 0.0, 1.0);
            q.impact = impact;
            q.expectedValue = q.uncertainty * q.impact;
            q.dedupKey = QStringLiteral("%1|%2|%3").arg(toString(kind), solutionId, aspect);
            out.push_back(std::move(q));
        };
        const JudgeAgreement agreement = QualityVerifier::agreement(list);
        if (agreement.judges >= 2 && agreement.maxSpread >= m_options.disagreeSpread)
            make(QuestionKind::Disagreement, AnswerType::Rating, agreement.widestAspect,
                 agreement.maxSpread,
                 QStringLiteral("The judges disagree on the %1 of solution %2 (scores %3 apart). "
                                "How would you rate it?")
                     .arg(agreement.widestAspect, solutionId, num(agreement.maxSpread)));
        if (minConfidence < m_options.lowConfidence)
            make(QuestionKind::LowConfidence, AnswerType::Rating, {}, 1.0 - minConfidence,
                 QStringLiteral("Judge %1 is unsure about solution %2 (confidence %3). How would "
                                "you rate it?")
                     .arg(judgeName(unsureJudge), solutionId, num(minConfidence)));
        if (atBoundary && m_options.boundaryMargin > 0)
            make(QuestionKind::Boundary, AnswerType::YesNo, {},
                 1.0 - distance / m_options.boundaryMargin,
                 QStringLiteral("Solution %1 scores %2, at the accept threshold %3. Should it be "
                                "accepted?")
                     .arg(solutionId, num(overall), num(m_options.acceptThreshold)));
    }
    for (const auto &[problemId, gap] : gaps) {
        const Problem &problem = *problemCache[problemId];
        const bool nothingToCheck =
            problem.constraints.isEmpty() && problem.successCriteria.isEmpty();
        for (const QString &aspect : gap.aspects) {
            const auto flagged = gap.flagged.find(aspect);
            const bool byJudge = flagged != gap.flagged.end();
            if (!byJudge && !(nothingToCheck && aspect == QLatin1String("completeness")))
                continue;
            FeedbackQuestion q;
            q.kind = QuestionKind::RubricGap;
            q.answerType = AnswerType::Text;
            q.problemId = problemId;
            q.aspect = aspect;
            q.jobId = jobId;
            q.uncertainty = byJudge ? 0.5 + 0.5 * flagged->second / std::max(1, gap.verdicts) : 0.6;
            q.impact =
                std::max<double>(1, static_cast<double>(solutions.byProblem(problemId).size()));
            q.expectedValue = q.uncertainty * q.impact;
            q.dedupKey =
                QStringLiteral("rubric_gap|%1|%2|%3").arg(problemId, aspect, gap.rubricVersion);
            q.question =
                byJudge ? QStringLiteral("Judges say the rubric cannot score the %1 of problem %2. "
                                         "What should a solution do to earn a high %1 score?")
                              .arg(aspect, problemId)
                        : QStringLiteral("Problem %1 has no constraints or success criteria, so "
                                         "its %2 cannot be checked. What must a complete "
                                         "solution include?")
                              .arg(problemId, aspect);
            q.context = {{"problem",
                          {{"id", problemId.toStdString()},
                           {"statement", excerpt(problem.statement)},
                           {"criteria", problem.successCriteria},
                           {"constraints", problem.constraints}}},
                         {"rubric_version", gap.rubricVersion.toStdString()},
                         {"rubric_item",
                          {{"aspect", aspect.toStdString()},
                           {"description", Rubric::describeAspect(aspect).toStdString()}}},
                         {"judged_solutions", static_cast<int>(gap.solutions.size())}};
            if (byJudge)
                q.context["judge_rationale"] = gap.rationale.at(aspect);
            out.push_back(std::move(q));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return a.expectedValue > b.expectedValue;
    });
    return out;
}

std::vector<FeedbackQuestion> QuestionRaiser::comparisonCandidates(const QStringList &comparisonIds,
                                                                   const QString &jobId) const
{
    std::vector<FeedbackQuestion> out;
    SolutionRepository solutions(m_ws);
    for (const QString &id : comparisonIds) {
        QSqlQuery q = m_ws.prepare(QStringLiteral(
            "SELECT problem_id, solution_a, solution_b, judge_version_id, verdict_ab, verdict_ba "
            "FROM comparisons WHERE id = ?"));
        q.addBindValue(id);
        Workspace::execPrepared(q, QStringLiteral("Reading comparison %1").arg(id));
        if (!q.next())
            continue;
        const QString problemId = q.value(0).toString(), a = q.value(1).toString(),
                      b = q.value(2).toString(), judge = q.value(3).toString(),
                      ab = q.value(4).toString(), ba = q.value(5).toString();
        if (ab == ba || ab == QLatin1String("failed") || ba == QLatin1String("failed"))
            continue;
        const bool tie = ab == QLatin1String("tie") || ba == QLatin1String("tie");
        const int others = countWhere(
            m_ws,
            QStringLiteral("SELECT count(*) FROM comparisons WHERE id <> ? AND (solution_a IN (?, "
                           "?) OR solution_b IN (?, ?))"),
            {id, a, b, a, b});
        FeedbackQuestion f;
        f.kind = QuestionKind::Comparison;
        f.answerType = AnswerType::Choice;
        f.problemId = problemId;
        f.jobId = jobId;
        f.uncertainty = tie ? 0.5 : 1.0;
        f.impact = 1.0 + others;
        f.expectedValue = f.uncertainty * f.impact;
        f.dedupKey = QStringLiteral("comparison|%1|%2").arg(std::min(a, b), std::max(a, b));
        f.question = QStringLiteral("A judge contradicted itself comparing %1 (A) and %2 (B): %3 "
                                    "with A shown first, %4 with B shown first. Which is better?")
                         .arg(a, b, ab, ba);
        json shown = json::array();
        for (const QString &s : {a, b})
            if (const auto sol = solutions.get(s))
                shown.push_back({{"id", s.toStdString()}, {"excerpt", excerpt(sol->toText())}});
        f.context = {{"problem", {{"id", problemId.toStdString()}}},
                     {"comparison_id", id.toStdString()},
                     {"judge_version_id", judge.toStdString()},
                     {"verdict_ab", ab.toStdString()},
                     {"verdict_ba", ba.toStdString()},
                     {"solutions", shown},
                     {"options", json::array({"a", "b", "tie"})}};
        out.push_back(std::move(f));
    }
    return out;
}

FeedbackQuestion QuestionRaiser::budgetQuestion(const QString &jobId, double spentUsd,
                                                double budgetUsd, double moreUsd, int unitsLeft)
{
    FeedbackQuestion f;
    f.kind = QuestionKind::Budget;
    f.answerType = AnswerType::YesNo;
    f.jobId = jobId;
    f.uncertainty = 1.0;
    f.impact = std::max(1, unitsLeft);
    f.expectedValue = f.impact;
    f.dedupKey = QStringLiteral("budget|%1|%2").arg(jobId, QString::number(budgetUsd, 'f', 4));
    f.question = QStringLiteral("Job %1 stopped at its $%2 budget (spent $%3) with %4 unit(s) "
                                "left. Spend about $%5 more to finish it?")
                     .arg(jobId, num(budgetUsd), num(spentUsd))
                     .arg(unitsLeft)
                     .arg(num(moreUsd));
    f.context = {{"job_id", jobId.toStdString()},
                 {"spent_usd", spentUsd},
                 {"budget_usd", budgetUsd},
                 {"more_usd", moreUsd},
                 {"units_left", unitsLeft}};
    return f;
}

RaiseReport QuestionRaiser::store(std::vector<FeedbackQuestion> questions, int solutions)
{
    RaiseReport report;
    report.solutions = solutions;
    report.candidates = static_cast<int>(questions.size());
    FeedbackStore store(m_ws);
    Workspace::Transaction tx(m_ws);
    for (FeedbackQuestion &q : questions) {
        if (store.raise(q)) {
            ++report.raised;
            ++report.byKind[toString(q.kind)];
        } else {
            ++report.refreshed;
        }
        report.questionIds << q.id;
    }
    tx.commit();
    return report;
}

namespace {

QStringList comparisonIdsWhere(Workspace &ws, const QString &column, const QString &value)
{
    QSqlQuery q = ws.prepare(
        QStringLiteral("SELECT id FROM comparisons WHERE %1 = ? ORDER BY seq").arg(column));
    q.addBindValue(value);
    Workspace::execPrepared(q, QStringLiteral("Listing comparisons"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

int solutionsIn(const std::vector<Verdict> &verdicts)
{
    std::set<QString> ids;
    for (const Verdict &v : verdicts)
        ids.insert(v.solutionId);
    return static_cast<int>(ids.size());
}

} // namespace

RaiseReport QuestionRaiser::fromJob(const QString &jobId)
{
    const auto job = JobRepository(m_ws).get(jobId);
    if (!job)
        throw ValidationError(QStringLiteral("--job"), jobId,
                              QStringLiteral("no job with this id in the workspace; list them "
                                             "with `crucible-cli jobs WS`"));
    const std::vector<Verdict> verdicts = VerdictRepository(m_ws).byJob(jobId);
    std::vector<FeedbackQuestion> questions = candidates(verdicts, jobId);
    for (FeedbackQuestion &q :
         comparisonCandidates(comparisonIdsWhere(m_ws, QStringLiteral("job_id"), jobId), jobId))
        questions.push_back(std::move(q));
    const double budget = job->params.value("budget_usd", 0.0);
    const json cost = job->summary.value("cost", json::object());
    const double spent = cost.value("usd", json()).is_number() ? cost["usd"].get<double>() : budget;
    const int left = static_cast<int>(std::max<qint64>(0, job->total - job->done));
    if (budget > 0 && left > 0 &&
        job->error.contains(QStringLiteral("budget"), Qt::CaseInsensitive)) {
        const double perUnit = job->done > 0 ? spent / static_cast<double>(job->done) : budget;
        questions.push_back(budgetQuestion(jobId, spent, budget, perUnit * left, left));
    }
    return store(std::move(questions), solutionsIn(verdicts));
}

RaiseReport QuestionRaiser::afterJob(Workspace &ws, const QString &jobId)
{
    RaiseOptions options = RaiseOptions::load(FeedbackStore(ws));
    options.consensus = JudgeConsensus::fromWorkspace(ws);
    return QuestionRaiser(ws, options).fromJob(jobId);
}

RaiseReport QuestionRaiser::fromProblem(const QString &problemId)
{
    if (!ProblemRepository(m_ws).get(problemId))
        throw ValidationError(QStringLiteral("--problem"), problemId,
                              QStringLiteral("no problem with this id in the workspace"));
    const std::vector<Verdict> verdicts = VerdictRepository(m_ws).forProblem(problemId);
    std::vector<FeedbackQuestion> questions = candidates(verdicts);
    for (FeedbackQuestion &q : comparisonCandidates(
             comparisonIdsWhere(m_ws, QStringLiteral("problem_id"), problemId), {}))
        questions.push_back(std::move(q));
    return store(std::move(questions), solutionsIn(verdicts));
}

RaiseReport QuestionRaiser::fromWorkspace()
{
    std::vector<Verdict> verdicts;
    QSqlQuery q = m_ws.exec(QStringLiteral("SELECT DISTINCT job_id FROM verdicts"));
    QStringList jobs;
    while (q.next())
        jobs << q.value(0).toString();
    VerdictRepository repo(m_ws);
    for (const QString &job : jobs)
        for (Verdict &v : repo.byJob(job))
            verdicts.push_back(std::move(v));
    std::vector<FeedbackQuestion> questions = candidates(verdicts);
    QSqlQuery c = m_ws.exec(QStringLiteral("SELECT id FROM comparisons ORDER BY seq"));
    QStringList comparisons;
    while (c.next())
        comparisons << c.value(0).toString();
    for (FeedbackQuestion &f : comparisonCandidates(comparisons, {}))
        questions.push_back(std::move(f));
    return store(std::move(questions), solutionsIn(verdicts));
}

} // namespace crucible
