#include "core/llm/moneyformat.h"

#include <algorithm>
#include <cmath>

namespace crucible {

QString formatUsd(double usd)
{
    if (!std::isfinite(usd))
        return unpricedLabel();
    if (usd == 0)
        return QStringLiteral("$0");
    const QString sign = usd < 0 ? QStringLiteral("-") : QString();
    const double amount = std::abs(usd);
    if (amount < 1e-8)
        return sign + QStringLiteral("<$0.00000001");
    // Three significant digits for small amounts, cents for larger ones.
    const int magnitude = static_cast<int>(std::floor(std::log10(amount)));
    const int decimals = std::clamp(2 - magnitude, 2, 8);
    QString digits = QString::number(amount, 'f', decimals);
    // "0.0042000" → "0.0042", but keep cents: "1.50".
    const qsizetype dot = digits.indexOf(u'.');
    while (digits.size() > dot + 3 && digits.endsWith(u'0'))
        digits.chop(1);
    return sign + u'$' + digits;
}

QString formatCallCost(const std::optional<double> &costUsd, bool cacheHit)
{
    if (cacheHit)
        return QStringLiteral("$0 (cache)");
    if (!costUsd)
        return unpricedLabel();
    return formatUsd(*costUsd);
}

QString formatCostTotal(double pricedUsd, qint64 unpricedCalls)
{
    if (unpricedCalls <= 0)
        return formatUsd(pricedUsd);
    const QString unpriced = unpricedCalls == 1
                                 ? QStringLiteral("1 unpriced call")
                                 : QStringLiteral("%1 unpriced calls").arg(unpricedCalls);
    return formatUsd(pricedUsd) + QStringLiteral(" + ") + unpriced;
}

QString formatSpend(double pricedUsd, qint64 unpricedCalls)
{
    if (pricedUsd == 0 && unpricedCalls <= 0)
        return QStringLiteral("free");
    if (pricedUsd == 0)
        return unpricedLabel();
    return formatCostTotal(pricedUsd, unpricedCalls);
}

QString unpricedLabel()
{
    return QStringLiteral("unpriced");
}

} // namespace crucible
