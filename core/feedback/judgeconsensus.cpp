#include "core/feedback/judgeconsensus.h"

#include "core/feedback/judgecalibration.h"

#include <QStringList>

#include <cmath>

namespace crucible {

using nlohmann::json;

json Consensus::toJson() const
{
    json judges = json::array();
    for (const ConsensusPart &p : parts)
        judges.push_back({{"judge_version_id", p.judgeVersionId.toStdString()},
                          {"verdict_id", p.verdictId.toStdString()},
                          {"score", p.score},
                          {"weight", p.weight},
                          {"calibrated", p.calibrated}});
    return {
        {"score", score}, {"plain_mean", plainMean}, {"weighted", weighted}, {"judges", judges}};
}

QString Consensus::describe(const std::map<QString, QString> &names) const
{
    QStringList weights;
    for (const ConsensusPart &p : parts) {
        const auto name = names.find(p.judgeVersionId);
        weights << QStringLiteral("%1 %2%3")
                       .arg(name == names.end() ? p.judgeVersionId : name->second)
                       .arg(p.weight, 0, 'f', 2)
                       .arg(p.calibrated ? QString() : QStringLiteral(" (prior)"));
    }
    QString text = QStringLiteral("%1 (weights %2").arg(score, 0, 'f', 2).arg(weights.join(u", "));
    if (!weighted)
        text += QStringLiteral("; all weigh 0, plain mean used");
    else if (parts.size() > 1)
        text += QStringLiteral("; plain mean %1").arg(plainMean, 0, 'f', 2);
    return text + u')';
}

JudgeConsensus::JudgeConsensus(const CalibrationReport &report)
{
    for (const JudgeAspectCalibration &r : report.rows)
        m_byAspect[r.judgeVersionId][r.aspect] = r.weight;
    m_overall = report.weights();
}

JudgeConsensus JudgeConsensus::fromWorkspace(Workspace &ws)
{
    CalibrationOptions options;
    options.resamples = 0; // the weights need κ, not its interval
    return JudgeConsensus(JudgeCalibration(ws).report(options));
}

double JudgeConsensus::weight(const QString &judgeVersionId, const QString &aspect) const
{
    if (aspect.isEmpty()) {
        const auto it = m_overall.find(judgeVersionId);
        return it == m_overall.end() ? CalibrationOptions::kPriorKappa : it->second;
    }
    const auto judge = m_byAspect.find(judgeVersionId);
    if (judge == m_byAspect.end())
        return CalibrationOptions::kPriorKappa;
    const auto it = judge->second.find(aspect);
    return it == judge->second.end() ? CalibrationOptions::kPriorKappa : it->second;
}

bool JudgeConsensus::calibrated(const QString &judgeVersionId, const QString &aspect) const
{
    const auto judge = m_byAspect.find(judgeVersionId);
    return judge != m_byAspect.end() && (aspect.isEmpty() || judge->second.count(aspect) > 0);
}

std::optional<Consensus> JudgeConsensus::combine(const std::vector<Verdict> &verdicts,
                                                 const QString &aspect) const
{
    // The newest scoring verdict of each judge.
    std::map<QString, const Verdict *> newest;
    for (const Verdict &v : verdicts) {
        if (!v.ok() || v.judgeVersionId.isEmpty())
            continue;
        const bool scores = aspect.isEmpty() ? (v.overall || !v.scores.aspects.empty())
                                             : v.scores.aspects.count(aspect) > 0;
        if (!scores)
            continue;
        const Verdict *&slot = newest[v.judgeVersionId];
        if (!slot || slot->createdAt <= v.createdAt)
            slot = &v;
    }
    if (newest.empty())
        return std::nullopt;
    Consensus c;
    double weighted = 0, weights = 0, plain = 0;
    for (const auto &[judge, v] : newest) {
        ConsensusPart p;
        p.judgeVersionId = judge;
        p.verdictId = v->id;
        p.score = aspect.isEmpty() ? v->overall.value_or(v->scores.mean())
                                   : v->scores.aspects.at(aspect).score;
        p.weight = weight(judge, aspect);
        p.calibrated = calibrated(judge, aspect);
        weighted += p.weight * p.score;
        weights += p.weight;
        plain += p.score;
        c.parts.push_back(p);
    }
    c.plainMean = plain / static_cast<double>(c.parts.size());
    c.weighted = weights > 1e-12;
    c.score = c.weighted ? weighted / weights : c.plainMean;
    return c;
}

std::optional<Consensus> JudgeConsensus::overall(const std::vector<Verdict> &verdicts) const
{
    return combine(verdicts, {});
}

std::optional<Consensus> JudgeConsensus::aspect(const std::vector<Verdict> &verdicts,
                                                const QString &aspect) const
{
    if (aspect.isEmpty())
        return std::nullopt;
    return combine(verdicts, aspect);
}

std::map<QString, Consensus>
JudgeConsensus::overallBySolution(const std::vector<Verdict> &verdicts) const
{
    std::map<QString, std::vector<Verdict>> bySolution;
    for (const Verdict &v : verdicts)
        bySolution[v.solutionId].push_back(v);
    std::map<QString, Consensus> out;
    for (const auto &[solutionId, list] : bySolution)
        if (auto c = overall(list))
            out.emplace(solutionId, std::move(*c));
    return out;
}

} // namespace crucible
