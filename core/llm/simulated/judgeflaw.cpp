#include "core/llm/simulated/judgeflaw.h"

#include "core/llm/simulated/rng.h"

#include <QRegularExpression>

namespace crucible::simulated {

bool flawApplies(const JudgeFlaw &flaw, std::uint64_t seed, const QString &judgeVersionId,
                 const QString &solutionKey)
{
    if (flaw.share <= 0)
        return false;
    Rng rng(hashText(QString(judgeVersionId + u'|' + solutionKey).toStdString(), seed));
    return rng.unit() < flaw.share;
}

std::optional<std::pair<double, int>> exampleCorrection(const QString &prompt)
{
    static const QRegularExpression example(
        QStringLiteral("rated ([1-5]) of 5 by a person \\(a judge had scored it ([0-9.]+)\\)"));
    double sum = 0;
    int n = 0;
    for (auto it = example.globalMatch(prompt); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        sum += (m.captured(1).toInt() - 1) / 4.0 - m.captured(2).toDouble();
        ++n;
    }
    if (n == 0)
        return std::nullopt;
    return std::make_pair(sum / n, n);
}

} // namespace crucible::simulated
