#include "core/evaluate/rubric.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace crucible {

const QStringList &Rubric::defaultAspects()
{
    static const QStringList aspects = {
        QStringLiteral("correctness"), QStringLiteral("completeness"), QStringLiteral("efficiency"),
        QStringLiteral("novelty"), QStringLiteral("coherence")};
    return aspects;
}

QString Rubric::describeAspect(const QString &aspect)
{
    if (aspect == QLatin1String("correctness"))
        return QStringLiteral("the final answer is right and every step follows; each broken "
                              "constraint caps this at 0.5");
    if (aspect == QLatin1String("completeness"))
        return QStringLiteral("every success criterion and constraint is addressed, nothing "
                              "the problem asks for is left out");
    if (aspect == QLatin1String("efficiency"))
        return QStringLiteral("the solution reaches its goal without wasted steps, time or "
                              "resources, and would be practical to carry out");
    if (aspect == QLatin1String("novelty"))
        return QStringLiteral("the approach goes beyond the obvious textbook answer with an "
                              "idea that actually helps");
    if (aspect == QLatin1String("coherence"))
        return QStringLiteral("the approach, steps and final answer agree with each other and "
                              "read as one clear line of reasoning");
    return QStringLiteral("how well the solution does on %1")
        .arg(QString(aspect).replace(u'_', u' '));
}

std::optional<QString> Rubric::parseAspects(const QString &text, QStringList &out)
{
    out.clear();
    static const QRegularExpression slug(QStringLiteral("^[a-z][a-z0-9_]{0,39}$"));
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString a = part.trimmed().toLower();
        if (a.isEmpty())
            continue;
        if (!slug.match(a).hasMatch())
            return QStringLiteral("aspect \"%1\" is not a name: use lower-case letters, digits "
                                  "and _ (e.g. correctness,completeness,safety)")
                .arg(part.trimmed());
        if (out.contains(a))
            return QStringLiteral("aspect \"%1\" is listed twice").arg(a);
        out << a;
    }
    if (out.isEmpty())
        return QStringLiteral("no aspects given: list at least one, e.g. "
                              "correctness,completeness,efficiency,novelty,coherence");
    return std::nullopt;
}

Rubric Rubric::compile(const Problem &problem, const QStringList &aspects)
{
    Rubric r;
    r.aspects = aspects.isEmpty() ? defaultAspects() : aspects;
    r.constraints = problem.constraints;
    r.criteria = problem.successCriteria;
    QString t;
    t += QStringLiteral("Aspects (each scored 0 to 1):\n");
    for (const QString &a : r.aspects)
        t += QStringLiteral("- %1: %2\n").arg(a, describeAspect(a));
    if (!r.constraints.isEmpty()) {
        t += QStringLiteral("Constraints the solution must respect (correctness):\n");
        for (int i = 0; i < r.constraints.size(); ++i)
            t += QStringLiteral("C%1. %2\n").arg(i + 1).arg(r.constraints[i].trimmed());
    }
    if (!r.criteria.isEmpty()) {
        t += QStringLiteral("Success criteria the solution must meet (completeness):\n");
        for (int i = 0; i < r.criteria.size(); ++i)
            t += QStringLiteral("S%1. %2\n").arg(i + 1).arg(r.criteria[i].trimmed());
    }
    // A problem defined with the expert (DefinitionSession) carries its own rubric: what earns
    // a high and a low score per aspect, and check items. It is part of the text, so of the
    // version too.
    if (const auto it = problem.metadata.find("rubric");
        it != problem.metadata.end() && it->is_array() && !it->empty()) {
        t += QStringLiteral("How to score each aspect for this problem:\n");
        for (const nlohmann::json &a : *it) {
            if (!a.is_object())
                continue;
            t += QStringLiteral("- %1: high when %2; low when %3.")
                     .arg(QString::fromStdString(a.value("aspect", std::string())),
                          QString::fromStdString(a.value("high", std::string())),
                          QString::fromStdString(a.value("low", std::string())));
            QStringList checks;
            for (const nlohmann::json &c : a.value("checks", nlohmann::json::array()))
                if (c.is_string())
                    checks << QString::fromStdString(c.get<std::string>());
            if (!checks.isEmpty())
                t += QStringLiteral(" Check: %1.").arg(checks.join(QStringLiteral("; ")));
            t += u'\n';
        }
    }
    r.text = t.trimmed();
    r.version =
        QStringLiteral("r") +
        QString::fromLatin1(
            QCryptographicHash::hash(r.text.toUtf8(), QCryptographicHash::Sha256).left(4).toHex());
    return r;
}

} // namespace crucible
