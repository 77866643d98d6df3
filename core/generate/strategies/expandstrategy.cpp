#include "core/generate/strategies/expandstrategy.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> ExpandStrategy::planUnits() const
{
    return singleGroup();
}

ProblemStrategy::Prompt ExpandStrategy::buildPrompt(const JobUnit &,
                                                    const GenerationUnitKey &) const
{
    const GenerationSpec &spec = context().spec;
    Prompt p;
    p.templateId = QStringLiteral("generate.expand");
    p.schemaName = "expansion";
    p.context["base_scenario"] = context().base->statement.toStdString();
    p.context["expansion_factors"] = spec.effectiveFactors();
    p.context["detail_level"] = spec.detailLevel.toStdString();
    return p;
}

void ExpandStrategy::acceptResult(Problem &problem, const json &item,
                                  const GenerationUnitKey &) const
{
    problem.origin = ProblemOrigin::Expansion;
    json details = json::object();
    for (const auto &fd : item.value("factor_details", json::array()))
        details[fd.value("factor", std::string())] = fd.value("detail", std::string());
    problem.metadata["expansion"] = {{"factors", context().spec.effectiveFactors()},
                                     {"details", details},
                                     {"stakeholders", item.value("stakeholders", json::array())},
                                     {"complications", item.value("complications", json::array())}};
    problem.tags << QStringLiteral("expanded");
}

} // namespace crucible
