#include "core/generate/strategies/adversarialcasestrategy.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> AdversarialCaseStrategy::planUnits() const
{
    const int count = context().spec.effectiveCount();
    const QStringList strategies = context().spec.effectiveStrategies();
    const int n = static_cast<int>(strategies.size());
    std::vector<GenerationGroup> groups;
    for (int i = 0; i < n; ++i) {
        GenerationGroup g;
        g.key = GenerationUnitKey::forStrategy(strategies[i]);
        g.target = count / n + (i < count % n ? 1 : 0);
        if (g.target > 0)
            groups.push_back(g);
    }
    return groups;
}

ProblemStrategy::Prompt AdversarialCaseStrategy::buildPrompt(const JobUnit &,
                                                             const GenerationUnitKey &key) const
{
    const GenerationSpec &spec = context().spec;
    QString description;
    for (const auto &s : adversarialStrategies())
        if (key.strategy == QLatin1String(s.id))
            description = QString::fromLatin1(s.description);
    Prompt p;
    p.templateId = QStringLiteral("generate.adversarial");
    p.schemaName = "adversarial";
    p.context["strategy"] = key.strategy.toStdString();
    p.context["strategy_description"] = description.toStdString();
    p.context["target_capability"] = spec.targetCapability.toStdString();
    p.context["difficulty"] = spec.difficulty.toStdString();
    p.context["base_problem"] = context().base->statement.toStdString();
    return p;
}

void AdversarialCaseStrategy::acceptResult(Problem &problem, const json &item,
                                           const GenerationUnitKey &key) const
{
    const GenerationSpec &spec = context().spec;
    problem.origin = ProblemOrigin::Adversarial;
    problem.tags << QStringLiteral("adversarial") << key.strategy;
    const std::string attacked = jsonio::stringOr(item, "attacked_assumption").toStdString();
    problem.metadata["adversarial"] = {
        {"strategy", key.strategy.toStdString()},
        {"attack", attacked},
        {"attacked_assumption", attacked},
        {"must_notice", jsonio::stringOr(item, "must_notice").toStdString()},
        {"expected_failure", jsonio::stringOr(item, "expected_failure").toStdString()},
        {"target_capability", spec.targetCapability.toStdString()},
        {"difficulty", spec.difficulty.toStdString()}};
}

} // namespace crucible
