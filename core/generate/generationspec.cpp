#include "core/generate/generationspec.h"

#include "core/model/jsonsupport.h"

#include <algorithm>

namespace crucible {

using nlohmann::json;

namespace {
const char *const kKindNames[] = {"seeds",       "variations", "dataset",     "matrix",
                                  "adversarial", "expand",     "interactions"};

QString str(const json &j, const char *key, const QString &fallback = {})
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : fallback;
}

QStringList strList(const json &j, const char *key)
{
    QStringList out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto &v : *it)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

template <typename T> T num(const json &j, const char *key, T fallback)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<T>() : fallback;
}
} // namespace

QString toString(GenerationKind k)
{
    return QString::fromLatin1(kKindNames[static_cast<int>(k)]);
}

std::optional<GenerationKind> generationKindFromString(const QString &s)
{
    for (int i = 0; i < 7; ++i)
        if (s.compare(QLatin1String(kKindNames[i]), Qt::CaseInsensitive) == 0)
            return static_cast<GenerationKind>(i);
    return std::nullopt;
}

const QStringList &generationKindNames()
{
    static const QStringList names = [] {
        QStringList out;
        for (const char *n : kKindNames)
            out << QString::fromLatin1(n);
        return out;
    }();
    return names;
}

const std::vector<AdversarialStrategy> &adversarialStrategies()
{
    static const std::vector<AdversarialStrategy> strategies = {
        {"edge_case", "put the problem at a boundary (zero, one, empty, maximum, a tie) where a "
                      "general method silently breaks"},
        {"misleading_information", "add a plausible but irrelevant or misleading detail that "
                                   "tempts a wrong approach"},
        {"missing_information", "leave out a fact the obvious method needs, so that a correct "
                                "answer must notice the gap and ask or state an assumption"},
        {"conflicting_constraints", "include constraints that cannot all hold at once, so that a "
                                    "correct answer must notice and resolve the conflict"},
        {"scale_extreme", "push a quantity to an extreme scale (tiny or huge) where the usual "
                          "approach is too slow, too costly or numerically wrong"},
        {"format_trap", "ask for output in an unusual or strict format, or give input in a "
                        "tricky format (units, dates, encodings) that is easy to misread"},
    };
    return strategies;
}

int GenerationSpec::effectiveCount() const
{
    if (count > 0)
        return count;
    switch (kind) {
    case GenerationKind::Seeds:
        return 5;
    case GenerationKind::Dataset:
        return 100;
    case GenerationKind::Adversarial:
        return 3;
    case GenerationKind::Variations:
        return perLevel * static_cast<int>(levels.size());
    case GenerationKind::Matrix:
    case GenerationKind::Expand:
    case GenerationKind::Interactions:
        return 1;
    }
    return 1;
}

int GenerationSpec::effectiveBudget(int target) const
{
    return candidateBudget > 0 ? candidateBudget : 2 * target + 10;
}

ComplexityMix GenerationSpec::effectiveMix() const
{
    return mix.empty() ? defaultComplexityMix() : mix;
}

QStringList GenerationSpec::effectiveStrategies() const
{
    if (!strategies.isEmpty())
        return strategies;
    QStringList out;
    for (const auto &s : adversarialStrategies())
        out << QString::fromLatin1(s.id);
    return out;
}

QStringList GenerationSpec::effectiveFactors() const
{
    if (!factors.isEmpty())
        return factors;
    return {QStringLiteral("time"), QStringLiteral("resources"), QStringLiteral("stakeholders"),
            QStringLiteral("constraints")};
}

std::vector<InteractionRole> GenerationSpec::effectiveRoles() const
{
    if (!roles.empty())
        return roles;
    return {{QStringLiteral("user"), QStringLiteral("User"),
             QStringLiteral("a practitioner who has this problem, knows the domain, and wants a "
                            "workable solution; asks follow-up questions and pushes back")},
            {QStringLiteral("assistant"), QStringLiteral("Agent"),
             QStringLiteral("a problem-solving agent that proposes and refines solutions")}};
}

bool GenerationSpec::needsBaseProblem() const
{
    switch (kind) {
    case GenerationKind::Variations:
    case GenerationKind::Adversarial:
    case GenerationKind::Expand:
    case GenerationKind::Interactions:
        return true;
    default:
        return false;
    }
}

bool GenerationSpec::usesLlm() const
{
    return kind != GenerationKind::Matrix || !baseProblemId.isEmpty();
}

std::vector<ValidationIssue> GenerationSpec::validate() const
{
    std::vector<ValidationIssue> issues;
    auto issue = [&](const char *field, const QString &value, const char *rule) {
        issues.push_back({QString::fromLatin1(field), value, QString::fromLatin1(rule)});
    };
    if (count < 0 || count > 1'000'000)
        issue("count", QString::number(count), "must be between 1 and 1000000");
    if (needsBaseProblem() && baseProblemId.isEmpty())
        issue("base_problem_id", {}, "this kind needs a base problem (--problem ID)");
    if ((kind == GenerationKind::Seeds || kind == GenerationKind::Dataset) &&
        domain.trimmed().isEmpty())
        issue("domain", {}, "must not be empty (--domain)");
    if (kind == GenerationKind::Variations && (levels.empty() || perLevel < 1))
        issue("levels", QString::number(perLevel), "needs at least one level and per-level >= 1");
    if (kind == GenerationKind::Matrix) {
        if (pictModel.trimmed().isEmpty())
            issue("pict_model", {}, "must not be empty (--model FILE)");
        if (strength < 1)
            issue("strength", QString::number(strength), "must be at least 1");
    }
    if (kind == GenerationKind::Interactions) {
        if (turnLimit < 2 || turnLimit > 50)
            issue("turn_limit", QString::number(turnLimit), "must be between 2 and 50");
        if (!roles.empty() && roles.size() < 2)
            issue("roles", QString::number(roles.size()), "needs at least two roles");
    }
    if (kind == GenerationKind::Adversarial) {
        for (const QString &s : strategies) {
            const auto &all = adversarialStrategies();
            if (std::none_of(all.begin(), all.end(), [&](const AdversarialStrategy &a) {
                    return s == QLatin1String(a.id);
                }))
                issue("strategies", s,
                      "must be one of edge_case, misleading_information, missing_information, "
                      "conflicting_constraints, scale_extreme, format_trap");
        }
    }
    if (dedupThreshold <= 0 || dedupThreshold > 1)
        issue("dedup_threshold", QString::number(dedupThreshold), "must be in (0, 1]");
    if (concurrency < 1 || concurrency > 256)
        issue("concurrency", QString::number(concurrency), "must be between 1 and 256");
    if (temperature < 0 || temperature > 2)
        issue("temperature", QString::number(temperature), "must be between 0 and 2");
    if (maxTokens < 64)
        issue("max_tokens", QString::number(maxTokens), "must be at least 64");
    if (!mix.empty()) {
        double sum = 0;
        for (const auto &[level, v] : mix)
            sum += v;
        if (sum <= 0)
            issue("mix", formatComplexityMix(mix), "needs a positive weight");
    }
    return issues;
}

json GenerationSpec::toJson() const
{
    json j{{"kind", toString(kind).toStdString()},
           {"provider", providerId.toStdString()},
           {"model", model.toStdString()},
           {"domain", domain.toStdString()},
           {"context", context.toStdString()},
           {"count", count},
           {"base_problem_id", baseProblemId.toStdString()},
           {"dataset_name", datasetName.toStdString()},
           {"per_level", perLevel},
           {"target_capability", targetCapability.toStdString()},
           {"difficulty", difficulty.toStdString()},
           {"strategies", strategies},
           {"factors", factors},
           {"detail_level", detailLevel.toStdString()},
           {"turn_limit", turnLimit},
           {"pict_model", pictModel.toStdString()},
           {"strength", strength},
           {"seed", seed},
           {"statement_template", statementTemplate.toStdString()},
           {"temperature", temperature},
           {"max_tokens", maxTokens},
           {"dedup", dedup},
           {"dedup_threshold", dedupThreshold},
           {"candidate_budget", candidateBudget},
           {"concurrency", concurrency}};
    json m = json::object();
    for (const auto &[level, v] : mix)
        m[toString(level).toStdString()] = v;
    j["mix"] = m;
    json lv = json::array();
    for (Complexity c : levels)
        lv.push_back(toString(c).toStdString());
    j["levels"] = lv;
    json rs = json::array();
    for (const auto &r : roles)
        rs.push_back({{"role", r.role.toStdString()},
                      {"name", r.name.toStdString()},
                      {"description", r.description.toStdString()}});
    j["roles"] = rs;
    return j;
}

GenerationSpec GenerationSpec::fromJson(const json &j)
{
    if (!j.is_object())
        throw ValidationError(QStringLiteral("params"), jsonio::describe(j),
                              QStringLiteral("must be an object"));
    GenerationSpec s;
    const auto kind = generationKindFromString(str(j, "kind"));
    if (!kind)
        throw ValidationError(QStringLiteral("kind"), str(j, "kind"),
                              QStringLiteral("must be one of ") +
                                  generationKindNames().join(QLatin1Char('|')));
    s.kind = *kind;
    s.providerId = str(j, "provider");
    s.model = str(j, "model");
    s.domain = str(j, "domain");
    s.context = str(j, "context");
    s.count = num(j, "count", 0);
    s.baseProblemId = str(j, "base_problem_id");
    s.datasetName = str(j, "dataset_name");
    s.perLevel = num(j, "per_level", s.perLevel);
    s.targetCapability = str(j, "target_capability", s.targetCapability);
    s.difficulty = str(j, "difficulty", s.difficulty);
    s.strategies = strList(j, "strategies");
    s.factors = strList(j, "factors");
    s.detailLevel = str(j, "detail_level", s.detailLevel);
    s.turnLimit = num(j, "turn_limit", s.turnLimit);
    s.pictModel = str(j, "pict_model");
    s.strength = num(j, "strength", s.strength);
    s.seed = num<quint64>(j, "seed", s.seed);
    s.statementTemplate = str(j, "statement_template");
    s.temperature = num(j, "temperature", s.temperature);
    s.maxTokens = num(j, "max_tokens", s.maxTokens);
    s.dedup = j.value("dedup", s.dedup);
    s.dedupThreshold = num(j, "dedup_threshold", s.dedupThreshold);
    s.candidateBudget = num(j, "candidate_budget", 0);
    s.concurrency = num(j, "concurrency", s.concurrency);
    if (const auto it = j.find("mix"); it != j.end() && it->is_object())
        for (const auto &[k, v] : it->items())
            if (const auto level = complexityFromString(QString::fromStdString(k));
                level && v.is_number())
                s.mix[*level] = v.get<double>();
    if (const auto it = j.find("levels"); it != j.end() && it->is_array()) {
        s.levels.clear();
        for (const auto &v : *it)
            if (v.is_string())
                if (const auto level = complexityFromString(QString::fromStdString(v)))
                    s.levels.push_back(*level);
    }
    if (const auto it = j.find("roles"); it != j.end() && it->is_array())
        for (const auto &r : *it)
            s.roles.push_back({str(r, "role"), str(r, "name"), str(r, "description")});
    throwIfInvalid(s.validate());
    return s;
}

} // namespace crucible
