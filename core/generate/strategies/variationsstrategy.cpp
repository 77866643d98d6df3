#include "core/generate/strategies/variationsstrategy.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> VariationsStrategy::planUnits() const
{
    std::vector<GenerationGroup> groups;
    for (Complexity level : context().spec.levels) {
        GenerationGroup g;
        g.key = GenerationUnitKey::forLevel(GenerationKind::Variations, level);
        g.target = context().spec.perLevel;
        groups.push_back(g);
    }
    return groups;
}

ProblemStrategy::Prompt VariationsStrategy::buildPrompt(const JobUnit &,
                                                        const GenerationUnitKey &key) const
{
    const Problem &base = *context().base;
    Prompt p;
    p.templateId = QStringLiteral("generate.variations");
    p.context["complexity"] = toString(key.level.value_or(Complexity::Medium)).toStdString();
    p.context["base_problem"] = base.statement.toStdString();
    p.context["base_constraints"] = base.constraints;
    return p;
}

void VariationsStrategy::acceptResult(Problem &problem, const json &,
                                      const GenerationUnitKey &key) const
{
    problem.complexity = key.level.value_or(Complexity::Medium);
    problem.origin = ProblemOrigin::Variation;
}

} // namespace crucible
