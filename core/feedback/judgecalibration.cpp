#include "core/feedback/judgecalibration.h"

#include "core/evaluate/solveragent.h"
#include "core/store/solutionrepository.h"
#include "core/store/verdictrepository.h"

#include "core/model/jsonsupport.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cmath>
#include <set>

namespace crucible {

using nlohmann::json;

namespace {

constexpr int kExcerpt = 300;
constexpr int kFewRatings = 30; // below this a κ is noise; the report says so

struct Pair
{
    int human = 0;
    double score = 0;
    QDateTime at;
};

struct Cell
{
    std::vector<Pair> all;
    std::vector<Pair> before; // held-out, verdict without calibration examples
    std::vector<Pair> after;  // held-out, verdict with calibration examples
};

// The newest ok verdict of `judge` on the solution that scores `aspect` and matches `keep`.
template <typename Keep>
const Verdict *newest(const std::vector<Verdict> &verdicts, const QString &judge,
                      const QString &aspect, Keep keep)
{
    const Verdict *best = nullptr;
    for (const Verdict &v : verdicts)
        if (v.ok() && v.judgeVersionId == judge && v.scores.aspects.count(aspect) && keep(v) &&
            (!best || best->createdAt <= v.createdAt))
            best = &v;
    return best;
}

std::vector<std::pair<int, int>> ratingPairs(const std::vector<Pair> &pairs)
{
    std::vector<std::pair<int, int>> out;
    for (const Pair &p : pairs)
        out.emplace_back(agreement::scoreToRating(p.score), p.human);
    return out;
}

std::vector<std::pair<double, double>> scorePairs(const std::vector<Pair> &pairs)
{
    std::vector<std::pair<double, double>> out;
    for (const Pair &p : pairs)
        out.emplace_back(p.score, static_cast<double>(p.human));
    return out;
}

json estimateJson(const agreement::AgreementEstimate &e)
{
    return {{"value", e.value},
            {"low", e.low},
            {"high", e.high},
            {"n", e.n},
            {"degenerate", e.degenerate}};
}

} // namespace

JudgeCalibration::JudgeCalibration(Workspace &ws)
    : m_ws(ws)
{
}

bool JudgeCalibration::isPromptExample(const QString &solutionId)
{
    const QByteArray h = QCryptographicHash::hash(solutionId.toUtf8(), QCryptographicHash::Sha256);
    return (static_cast<unsigned char>(h.at(0)) & 1U) == 0;
}

CalibrationReport JudgeCalibration::report(const CalibrationOptions &options) const
{
    CalibrationReport out;
    VerdictRepository repo(m_ws);
    std::map<QString, std::vector<HumanJudgment>> bySolution;
    for (HumanJudgment &h : repo.allJudgments()) {
        if (!h.rating || (!options.aspect.isEmpty() && h.aspect != options.aspect))
            continue;
        ++out.ratings;
        bySolution[h.solutionId].push_back(std::move(h));
    }
    std::map<std::pair<QString, QString>, Cell> cells; // (judge, aspect)
    for (const auto &[solutionId, judgments] : bySolution) {
        const std::vector<Verdict> verdicts = repo.forSolution(solutionId);
        std::set<QString> judges;
        for (const Verdict &v : verdicts)
            if (v.ok() && !v.judgeVersionId.isEmpty())
                judges.insert(v.judgeVersionId);
        const bool heldOut = !isPromptExample(solutionId);
        for (const HumanJudgment &h : judgments) {
            for (const QString &judge : judges) {
                // A verdict whose prompt showed this very rating would measure leakage.
                const QString sid = solutionId;
                auto unseen = [&sid](const Verdict &v) { return !v.calibrationIds.contains(sid); };
                Cell &cell = cells[{judge, h.aspect}];
                auto pairOf = [&](const Verdict *v) {
                    return Pair{*h.rating, v->scores.aspects.at(h.aspect).score,
                                h.updatedAt.isValid() ? h.updatedAt : h.createdAt};
                };
                if (const Verdict *v = newest(verdicts, judge, h.aspect, unseen))
                    cell.all.push_back(pairOf(v));
                if (!heldOut)
                    continue;
                if (const Verdict *v = newest(verdicts, judge, h.aspect, [](const Verdict &x) {
                        return x.calibrationIds.isEmpty();
                    }))
                    cell.before.push_back(pairOf(v));
                if (const Verdict *v = newest(verdicts, judge, h.aspect, [&](const Verdict &x) {
                        return !x.calibrationIds.isEmpty() && unseen(x);
                    }))
                    cell.after.push_back(pairOf(v));
            }
        }
    }
    for (auto &[key, cell] : cells) {
        if (cell.all.empty() && cell.before.empty())
            continue;
        JudgeAspectCalibration row;
        row.judgeVersionId = key.first;
        row.aspect = key.second;
        const auto agent = findSolverAgent(m_ws, key.first);
        row.judgeName = agent ? agent->name : key.first;
        row.kappa =
            agreement::kappaEstimate(ratingPairs(cell.all), options.resamples, options.seed);
        row.spearman =
            agreement::spearmanEstimate(scorePairs(cell.all), options.resamples, options.seed);
        row.heldOutBefore =
            agreement::kappaEstimate(ratingPairs(cell.before), options.resamples, options.seed);
        row.heldOutAfter =
            agreement::kappaEstimate(ratingPairs(cell.after), options.resamples, options.seed);
        for (const Pair &p : cell.all)
            ++row.confusion[static_cast<size_t>(agreement::scoreToRating(p.score) - 1)]
                           [static_cast<size_t>(std::clamp(p.human, 1, 5) - 1)];
        std::stable_sort(cell.all.begin(), cell.all.end(),
                         [](const Pair &a, const Pair &b) { return a.at < b.at; });
        const size_t window = static_cast<size_t>(std::max(2, options.window));
        for (size_t i = 0; i < cell.all.size(); i += window) {
            const std::vector<Pair> part(cell.all.begin() + static_cast<std::ptrdiff_t>(i),
                                         cell.all.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                cell.all.size(), i + window)));
            CalibrationPoint point;
            point.until = part.back().at;
            point.n = static_cast<int>(part.size());
            point.kappa = agreement::weightedKappa(ratingPairs(part));
            row.overTime.push_back(point);
        }
        const double n = row.kappa.n;
        row.weight = (n * std::max(0.0, row.kappa.degenerate ? 0.0 : row.kappa.value) +
                      CalibrationOptions::kPrior * CalibrationOptions::kPriorKappa) /
                     (n + CalibrationOptions::kPrior);
        out.rows.push_back(std::move(row));
    }
    return out;
}

std::map<QString, double> CalibrationReport::weights(const QString &aspect) const
{
    std::map<QString, std::pair<double, int>> sums;
    for (const JudgeAspectCalibration &r : rows)
        if (aspect.isEmpty() || r.aspect == aspect) {
            sums[r.judgeVersionId].first += r.weight;
            ++sums[r.judgeVersionId].second;
        }
    std::map<QString, double> out;
    for (const auto &[judge, s] : sums)
        out[judge] = s.first / s.second;
    return out;
}

json CalibrationReport::toJson() const
{
    json list = json::array();
    for (const JudgeAspectCalibration &r : rows) {
        json series = json::array();
        for (const CalibrationPoint &p : r.overTime)
            series.push_back({{"until", jsonio::formatTimestamp(p.until).toStdString()},
                              {"n", p.n},
                              {"kappa", p.kappa}});
        json confusion = json::array();
        for (const auto &line : r.confusion)
            confusion.push_back(line);
        json row = {
            {"judge_version_id", r.judgeVersionId.toStdString()},
            {"judge", r.judgeName.toStdString()},
            {"aspect", r.aspect.toStdString()},
            {"kappa", estimateJson(r.kappa)},
            {"spearman", estimateJson(r.spearman)},
            {"weight", r.weight},
            {"over_time", series},
            {"confusion", confusion},
            {"held_out",
             {{"before", estimateJson(r.heldOutBefore)}, {"after", estimateJson(r.heldOutAfter)}}}};
        if (r.kappa.n < kFewRatings)
            row["note"] = QStringLiteral("only %1 rating(s): κ from fewer than %2 ratings is noise")
                              .arg(r.kappa.n)
                              .arg(kFewRatings)
                              .toStdString();
        list.push_back(row);
    }
    return {{"ratings", ratings}, {"judges", list}};
}

std::vector<CalibrationExample> JudgeCalibration::examples(const QStringList &aspects,
                                                           const QString &judgeVersionId, int max,
                                                           const QString &excludeSolutionId,
                                                           Choice choice) const
{
    std::vector<CalibrationExample> out;
    if (max <= 0)
        return out;
    VerdictRepository repo(m_ws);
    struct Candidate
    {
        CalibrationExample example;
        double gap = -1; // |judge − person| on the 0..1 scale; −1 when the judge never scored it
        QDateTime at;
    };
    std::vector<Candidate> candidates;
    std::map<QString, std::vector<Verdict>> verdictCache;
    for (const HumanJudgment &h : repo.allJudgments()) {
        if (!h.rating || !aspects.contains(h.aspect) || h.solutionId == excludeSolutionId ||
            !isPromptExample(h.solutionId))
            continue;
        Candidate c;
        c.example.solutionId = h.solutionId;
        c.example.aspect = h.aspect;
        c.example.rating = *h.rating;
        c.example.note = h.note;
        c.at = h.updatedAt;
        auto it = verdictCache.find(h.solutionId);
        if (it == verdictCache.end())
            it = verdictCache.emplace(h.solutionId, repo.forSolution(h.solutionId)).first;
        if (const Verdict *v = newest(it->second, judgeVersionId, h.aspect, [](const Verdict &x) {
                return x.calibrationIds.isEmpty();
            })) {
            c.example.judgeScore = v->scores.aspects.at(h.aspect).score;
            c.gap = std::abs(*c.example.judgeScore - agreement::ratingToScore(*h.rating));
        }
        candidates.push_back(std::move(c));
    }
    if (choice == Choice::LargestGap) {
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate &a, const Candidate &b) {
                             if (a.gap != b.gap)
                                 return a.gap > b.gap;
                             return a.at > b.at;
                         });
    } else {
        // Newest first within a level, then deal the levels out in anchor order.
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate &a, const Candidate &b) { return a.at > b.at; });
        std::map<int, std::vector<Candidate>> byLevel;
        for (Candidate &c : candidates)
            byLevel[c.example.rating].push_back(std::move(c));
        candidates.clear();
        static constexpr int kOrder[] = {3, 1, 5, 2, 4};
        for (size_t round = 0;; ++round) {
            bool any = false;
            for (const int level : kOrder) {
                auto &list = byLevel[level];
                if (round < list.size()) {
                    candidates.push_back(std::move(list[round]));
                    any = true;
                }
            }
            if (!any || static_cast<int>(candidates.size()) >= max)
                break;
        }
    }
    SolutionRepository solutions(m_ws);
    for (Candidate &c : candidates) {
        if (static_cast<int>(out.size()) >= max)
            break;
        if (const auto s = solutions.get(c.example.solutionId)) {
            const QString text = s->toText().simplified();
            c.example.excerpt =
                text.size() > kExcerpt ? QString(text.left(kExcerpt) + QStringLiteral("…")) : text;
        }
        out.push_back(std::move(c.example));
    }
    return out;
}

std::optional<JudgeCalibration::Choice> JudgeCalibration::choiceFromString(const QString &name)
{
    if (name == QLatin1String("anchors"))
        return Choice::Anchors;
    if (name == QLatin1String("largest_gap"))
        return Choice::LargestGap;
    return std::nullopt;
}

json JudgeCalibration::examplesContext(const std::vector<CalibrationExample> &examples)
{
    json list = json::array();
    for (const CalibrationExample &e : examples) {
        json item = {{"aspect", e.aspect.toStdString()},
                     {"rating", std::to_string(e.rating)},
                     {"note", e.note.toStdString()},
                     {"excerpt", e.excerpt.toStdString()},
                     {"solution_id", e.solutionId.toStdString()}};
        if (e.judgeScore)
            item["judge_score"] = QString::number(*e.judgeScore, 'f', 2).toStdString();
        list.push_back(item);
    }
    return {{"calibration_examples", list}};
}

} // namespace crucible
