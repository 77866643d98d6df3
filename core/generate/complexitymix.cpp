#include "core/generate/complexitymix.h"

#include "core/model/validationerror.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace crucible {

ComplexityMix defaultComplexityMix()
{
    return {{Complexity::Simple, 0.3}, {Complexity::Medium, 0.5}, {Complexity::Complex, 0.2}};
}

ComplexityMix parseComplexityMix(const QString &text)
{
    ComplexityMix mix;
    const QString rule =
        QStringLiteral("must look like simple=0.3,medium=0.5,complex=0.2 (non-negative weights)");
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq < 0)
            throw ValidationError(QStringLiteral("mix"), part.trimmed(), rule);
        const QString name = part.left(eq).trimmed().toLower();
        const auto level = complexityFromString(name);
        if (!level)
            throw ValidationError(QStringLiteral("mix"), part.trimmed(),
                                  QStringLiteral("level must be one of simple|medium|complex"));
        bool ok = false;
        const double value = part.mid(eq + 1).trimmed().toDouble(&ok);
        if (!ok || value < 0 || !std::isfinite(value))
            throw ValidationError(QStringLiteral("mix"), part.trimmed(), rule);
        if (mix.count(*level))
            throw ValidationError(QStringLiteral("mix"), part.trimmed(),
                                  QStringLiteral("each level may appear once"));
        mix[*level] = value;
    }
    double sum = 0;
    for (const auto &[level, value] : mix)
        sum += value;
    if (sum <= 0)
        throw ValidationError(QStringLiteral("mix"), text,
                              QStringLiteral("needs at least one level with a positive weight"));
    for (auto &[level, value] : mix)
        value /= sum;
    return mix;
}

QString formatComplexityMix(const ComplexityMix &mix)
{
    QStringList parts;
    for (const auto &[level, value] : mix)
        parts << toString(level) + QLatin1Char('=') + QString::number(value, 'g', 4);
    return parts.join(QLatin1Char(','));
}

std::map<Complexity, int> allocateByMix(const ComplexityMix &mix, int total)
{
    double sum = 0;
    for (const auto &[level, value] : mix)
        sum += std::max(0.0, value);
    if (sum <= 0)
        throw ValidationError(QStringLiteral("mix"), formatComplexityMix(mix),
                              QStringLiteral("needs at least one level with a positive weight"));
    struct Share
    {
        Complexity level;
        double remainder;
    };
    std::map<Complexity, int> counts;
    std::vector<Share> shares;
    int assigned = 0;
    for (const auto &[level, value] : mix) {
        const double exact = total * std::max(0.0, value) / sum;
        const int whole = static_cast<int>(std::floor(exact + 1e-9));
        counts[level] = whole;
        assigned += whole;
        if (value > 0)
            shares.push_back({level, exact - whole});
    }
    std::stable_sort(shares.begin(), shares.end(), [](const Share &a, const Share &b) {
        return a.remainder > b.remainder + 1e-12;
    });
    for (std::size_t i = 0; assigned < total && !shares.empty(); i = (i + 1) % shares.size()) {
        ++counts[shares[i].level];
        ++assigned;
    }
    return counts;
}

} // namespace crucible
