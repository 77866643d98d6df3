#include "core/generate/generationspec.h"

#include "core/generate/pictmodel.h"
#include "core/model/jsonsupport.h"

#include <algorithm>
#include <cmath>

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

QString strategyLabel(const QString &id)
{
    QString out = id;
    out.replace(QLatin1Char('_'), QLatin1Char(' '));
    return out;
}

QString strategyIdFromLabel(const QString &text)
{
    QString out = text.trimmed().toLower();
    out.replace(QLatin1Char(' '), QLatin1Char('_'));
    out.replace(QLatin1Char('-'), QLatin1Char('_'));
    return out;
}

QStringList statementTemplatePlaceholders(const QString &statementTemplate)
{
    QStringList out;
    qsizetype from = 0;
    for (;;) {
        const qsizetype open = statementTemplate.indexOf(QLatin1Char('{'), from);
        if (open < 0)
            break;
        const qsizetype close = statementTemplate.indexOf(QLatin1Char('}'), open + 1);
        if (close < 0)
            break;
        out << statementTemplate.mid(open + 1, close - open - 1).trimmed();
        from = close + 1;
    }
    return out;
}

std::vector<ValidationIssue> GenerationSpec::validate() const
{
    std::vector<ValidationIssue> issues;
    auto issue = [&](const QString &field, const QString &value, const QString &rule) {
        issues.push_back({field, value, rule});
    };
    auto num = [](double v) { return QString::number(v, 'g', 6); };
    const bool withLlm = usesLlm();

    if (count < 0 || count > 1'000'000)
        issue(QStringLiteral("count"), QString::number(count),
              QStringLiteral("must be between 1 and 1000000; enter how many to make"));
    if (needsBaseProblem() && baseProblemId.isEmpty())
        issue(QStringLiteral("base_problem_id"), {},
              QStringLiteral("this kind starts from a problem: select one in the Problems table "
                             "(CLI: --problem ID)"));
    if ((kind == GenerationKind::Seeds || kind == GenerationKind::Dataset) &&
        domain.trimmed().isEmpty())
        issue(QStringLiteral("domain"), {},
              QStringLiteral("must not be empty: name the field the problems come from, e.g. "
                             "hospital logistics (CLI: --domain)"));

    switch (kind) {
    case GenerationKind::Dataset:
        if (!mix.empty()) {
            double sum = 0;
            QStringList parts;
            bool bad = false;
            for (const auto &[level, v] : mix) {
                if (!std::isfinite(v) || v < 0 || v > 1) {
                    issue(QStringLiteral("mix.") + toString(level), num(v),
                          QStringLiteral("must be a share between 0 and 1 (0 % to 100 %)"));
                    bad = true;
                }
                sum += v;
                parts << QStringLiteral("%1 %2 %").arg(toString(level)).arg(num(v * 100));
            }
            const QString shown = parts.join(QStringLiteral(", "));
            if (!bad && sum <= 0)
                issue(QStringLiteral("mix"), shown,
                      QStringLiteral("needs at least one level above 0 %"));
            else if (!bad && std::abs(sum - 1.0) > 1e-3) {
                const double points = (sum - 1.0) * 100;
                issue(QStringLiteral("mix"),
                      QStringLiteral("%1 (%2 % in all)").arg(shown, num(sum * 100)),
                      points > 0
                          ? QStringLiteral("the levels must add up to 100 %: lower them by %1 "
                                           "points in all")
                                .arg(num(points))
                          : QStringLiteral("the levels must add up to 100 %: raise them by %1 "
                                           "points in all")
                                .arg(num(-points)));
            }
        }
        break;
    case GenerationKind::Variations:
        if (levels.empty())
            issue(QStringLiteral("levels"), {},
                  QStringLiteral("choose at least one complexity level (simple, medium, "
                                 "complex)"));
        else {
            std::vector<Complexity> sorted = levels;
            std::sort(sorted.begin(), sorted.end());
            if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
                issue(QStringLiteral("levels"), {}, QStringLiteral("each level may appear once"));
        }
        if (perLevel < 1 || perLevel > 1000)
            issue(QStringLiteral("per_level"), QString::number(perLevel),
                  QStringLiteral("must be between 1 and 1000 variations per level"));
        break;
    case GenerationKind::Adversarial: {
        if (targetCapability.trimmed().isEmpty())
            issue(QStringLiteral("target_capability"), {},
                  QStringLiteral("must not be empty: say what the examples should challenge, "
                                 "e.g. careful reasoning about units"));
        static const QStringList difficulties = {QStringLiteral("easy"), QStringLiteral("medium"),
                                                 QStringLiteral("hard")};
        if (!difficulties.contains(difficulty))
            issue(QStringLiteral("difficulty"), difficulty,
                  QStringLiteral("must be one of easy, medium, hard"));
        QStringList known;
        for (const auto &a : adversarialStrategies())
            known << strategyLabel(QString::fromLatin1(a.id));
        for (const QString &s : strategies) {
            const auto &all = adversarialStrategies();
            if (std::none_of(all.begin(), all.end(), [&](const AdversarialStrategy &a) {
                    return s == QLatin1String(a.id);
                }))
                issue(QStringLiteral("strategies"), s,
                      QStringLiteral("is not a strategy; choose from %1")
                          .arg(known.join(QStringLiteral(", "))));
        }
        break;
    }
    case GenerationKind::Expand: {
        static const QStringList details = {QStringLiteral("brief"), QStringLiteral("moderate"),
                                            QStringLiteral("extensive")};
        if (!details.contains(detailLevel))
            issue(QStringLiteral("detail_level"), detailLevel,
                  QStringLiteral("must be one of brief, moderate, extensive"));
        for (const QString &f : factors)
            if (f.trimmed().isEmpty())
                issue(QStringLiteral("factors"), {},
                      QStringLiteral("a factor is empty: separate factors by single commas"));
        break;
    }
    case GenerationKind::Interactions:
        if (turnLimit < 2 || turnLimit > 50)
            issue(QStringLiteral("turn_limit"), QString::number(turnLimit),
                  QStringLiteral("must be between 2 and 50 turns"));
        if (!roles.empty() && roles.size() < 2)
            issue(QStringLiteral("roles"), QString::number(roles.size()),
                  QStringLiteral("a conversation needs at least two participants; add one or "
                                 "leave the list empty for a user persona and an agent"));
        for (std::size_t i = 0; i < roles.size(); ++i)
            if (roles[i].role.trimmed().isEmpty() || roles[i].name.trimmed().isEmpty())
                issue(QStringLiteral("roles[%1]").arg(i), roles[i].role,
                      QStringLiteral("each participant reads role=Name: description, e.g. "
                                     "user=Maria: a clinic manager short on staff"));
        break;
    case GenerationKind::Matrix:
        if (pictModel.trimmed().isEmpty()) {
            issue(QStringLiteral("pict_model"), {},
                  QStringLiteral("must not be empty: build a matrix in View → Problem Matrix "
                                 "(CLI: --model FILE)"));
        } else {
            try {
                const PictModel model = PictModel::parse(pictModel.toStdString());
                QStringList names;
                for (const auto &p : model.parameters)
                    names << QString::fromStdString(p.name);
                for (const QString &placeholder : statementTemplatePlaceholders(statementTemplate))
                    if (std::none_of(names.begin(), names.end(), [&](const QString &n) {
                            return n.compare(placeholder, Qt::CaseInsensitive) == 0;
                        }))
                        issue(QStringLiteral("statement_template"),
                              QLatin1Char('{') + placeholder + QLatin1Char('}'),
                              QStringLiteral("is not a dimension of the matrix; use one of %1")
                                  .arg(QLatin1Char('{') + names.join(QStringLiteral("}, {")) +
                                       QLatin1Char('}')));
            } catch (const std::exception &e) {
                issue(QStringLiteral("pict_model"), {},
                      QStringLiteral("cannot be read: %1").arg(QString::fromUtf8(e.what())));
            }
        }
        if (strength < 1 || strength > 6)
            issue(QStringLiteral("strength"), QString::number(strength),
                  QStringLiteral("must be between 1 and 6 (2 covers every pair of values)"));
        break;
    case GenerationKind::Seeds:
        break;
    }

    if (candidateBudget < 0)
        issue(QStringLiteral("candidate_budget"), QString::number(candidateBudget),
              QStringLiteral("must be 0 (automatic) or a positive number of candidates"));
    else if (withLlm && candidateBudget > 0 && kind != GenerationKind::Matrix &&
             candidateBudget < effectiveCount())
        issue(QStringLiteral("candidate_budget"), QString::number(candidateBudget),
              QStringLiteral("is smaller than the %1 to make, so the job cannot succeed; allow "
                             "at least %1 candidates, or 0 for automatic (2 × target + 10)")
                  .arg(effectiveCount()));
    if (!std::isfinite(budgetUsd) || budgetUsd < 0)
        issue(QStringLiteral("budget_usd"), num(budgetUsd),
              QStringLiteral("must be 0 (no limit) or a positive amount in US dollars"));
    if (!std::isfinite(dedupThreshold) || dedupThreshold <= 0 || dedupThreshold > 1)
        issue(QStringLiteral("dedup_threshold"), num(dedupThreshold),
              QStringLiteral("must be in (0, 1]; 0.8 rejects close paraphrases"));
    if (concurrency < 1 || concurrency > 256)
        issue(QStringLiteral("concurrency"), QString::number(concurrency),
              QStringLiteral("must be between 1 and 256 calls in parallel"));
    if (!std::isfinite(temperature) || temperature < 0 || temperature > 2)
        issue(QStringLiteral("temperature"), num(temperature),
              QStringLiteral("must be between 0 and 2"));
    if (maxTokens < 64 || maxTokens > 1'000'000)
        issue(QStringLiteral("max_tokens"), QString::number(maxTokens),
              QStringLiteral("must be at least 64 tokens (a problem needs room)"));
    return issues;
}

QString exampleStatementTemplate(const QStringList &dimensionNames)
{
    QStringList names;
    for (const QString &n : dimensionNames)
        names << QLatin1Char('{') + n + QLatin1Char('}');
    if (names.isEmpty())
        return {};
    QString out = QStringLiteral("A %1 case").arg(names.front());
    names.removeFirst();
    if (names.isEmpty())
        return out;
    const QString last = names.takeLast();
    if (names.isEmpty())
        return out + QStringLiteral(" involving ") + last;
    return out + QStringLiteral(" involving ") + names.join(QStringLiteral(", ")) +
           QStringLiteral(" and ") + last;
}

QString describeIssues(const std::vector<ValidationIssue> &issues)
{
    QStringList lines;
    for (const auto &i : issues)
        lines << i.toString();
    return lines.join(QLatin1Char('\n'));
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
           {"budget_usd", budgetUsd},
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
    s.budgetUsd = num(j, "budget_usd", 0.0);
    s.concurrency = num(j, "concurrency", s.concurrency);
    if (const auto it = j.find("mix"); it != j.end() && it->is_object())
        for (const auto &[k, v] : it->items())
            if (const auto level = complexityFromString(QString::fromStdString(k));
                level && v.is_number())
                s.mix[*level] = v.get<double>();
    // Jobs written before the mix had to add up to 100 % (weights of any sum): as shares, so
    // that they resume and make their dataset.
    if (double sum = 0; !s.mix.empty()) {
        for (const auto &[level, v] : s.mix)
            sum += v;
        if (sum > 0 && std::isfinite(sum) && std::abs(sum - 1.0) > 1e-9)
            for (auto &[level, v] : s.mix)
                v /= sum;
    }
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
