#include "core/feedback/judgechoice.h"

#include "core/evaluate/solveragent.h"
#include "core/feedback/judgecalibration.h"

#include <cmath>

namespace crucible {

using nlohmann::json;

QString JudgeChoice::describe() const
{
    if (calibrated)
        return QStringLiteral("%1 (κ %2 over %3 human ratings of %4)")
            .arg(name)
            .arg(kappa, 0, 'f', 2)
            .arg(ratings)
            .arg(aspects.join(QStringLiteral(", ")));
    return QStringLiteral("%1 (the newest evaluator: %2)").arg(name, why);
}

json JudgeChoice::toJson() const
{
    json list = json::array();
    for (const QString &a : aspects)
        list.push_back(a.toStdString());
    json j = {{"judge_version_id", versionId.toStdString()},
              {"judge", name.toStdString()},
              {"calibrated", calibrated},
              {"ratings", ratings},
              {"aspects", list},
              {"text", describe().toStdString()}};
    if (calibrated)
        j["kappa"] = kappa;
    else
        j["why"] = why.toStdString();
    return j;
}

std::optional<JudgeChoice> chooseJudge(const CalibrationReport &report,
                                       const std::vector<SolverAgent> &evaluators,
                                       const std::optional<SolverAgent> &newest,
                                       const JudgeChoiceOptions &options)
{
    std::optional<JudgeChoice> best;
    bool anyEnough = false;
    for (const SolverAgent &judge : evaluators) {
        JudgeChoice c;
        c.versionId = judge.versionId;
        c.name = judge.name;
        c.calibrated = true;
        double sum = 0;
        for (const JudgeAspectCalibration &r : report.rows) {
            if (r.judgeVersionId != judge.versionId || r.kappa.n < options.minRatings ||
                r.kappa.degenerate ||
                (!options.aspects.isEmpty() && !options.aspects.contains(r.aspect)))
                continue;
            sum += r.kappa.value;
            c.ratings += r.kappa.n;
            c.aspects << r.aspect;
        }
        if (c.aspects.isEmpty())
            continue;
        anyEnough = true;
        c.kappa = sum / static_cast<double>(c.aspects.size());
        if (c.kappa <= 0)
            continue;
        auto isNewest = [&newest](const JudgeChoice &x) {
            return newest && newest->versionId == x.versionId;
        };
        // Ties go to the newest evaluator, then to the judge with more ratings behind it.
        const bool better = !best || c.kappa > best->kappa + 1e-9 ||
                            (std::abs(c.kappa - best->kappa) <= 1e-9 &&
                             (isNewest(c) || (!isNewest(*best) && c.ratings > best->ratings)));
        if (better)
            best = c;
    }
    if (best)
        return best;
    if (!newest)
        return std::nullopt;
    JudgeChoice fallback;
    fallback.versionId = newest->versionId;
    fallback.name = newest->name;
    fallback.why =
        anyEnough ? QStringLiteral("no evaluator agrees with the human ratings better than chance")
                  : QStringLiteral("no evaluator has %1 or more human ratings of an aspect%2")
                        .arg(options.minRatings)
                        .arg(options.aspects.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" among %1")
                                       .arg(options.aspects.join(QStringLiteral(", "))));
    return fallback;
}

std::optional<JudgeChoice> chooseJudge(Workspace &ws, const JudgeChoiceOptions &options)
{
    const std::optional<SolverAgent> newest = newestAgentWithRole(ws, QStringLiteral("evaluator"));
    if (!newest)
        return std::nullopt;
    CalibrationOptions calibration;
    calibration.resamples = 0; // the choice needs κ, not its interval
    return chooseJudge(JudgeCalibration(ws).report(calibration),
                       agentsWithRole(ws, QStringLiteral("evaluator")), newest, options);
}

std::optional<SolverAgent> chosenJudgeAgent(Workspace &ws, const JudgeChoiceOptions &options)
{
    const auto choice = chooseJudge(ws, options);
    if (!choice)
        return std::nullopt;
    return findSolverAgent(ws, choice->versionId);
}

} // namespace crucible
