#include "core/generate/strategies/seedsstrategy.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> SeedsStrategy::planUnits() const
{
    return singleGroup();
}

ProblemStrategy::Prompt SeedsStrategy::buildPrompt(const JobUnit &, const GenerationUnitKey &) const
{
    Prompt p;
    p.templateId = QStringLiteral("generate.seeds");
    p.schemaName = "seeds";
    p.context["count"] = 1;
    return p;
}

std::vector<json> SeedsStrategy::answerItems(const json &answer) const
{
    std::vector<json> items;
    for (const auto &item : answer["problems"])
        items.push_back(item);
    return items;
}

void SeedsStrategy::acceptResult(Problem &problem, const json &, const GenerationUnitKey &) const
{
    problem.tags << QStringLiteral("seed");
}

} // namespace crucible
