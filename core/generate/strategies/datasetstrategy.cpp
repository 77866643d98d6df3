#include "core/generate/strategies/datasetstrategy.h"

namespace crucible {

using nlohmann::json;

std::vector<GenerationGroup> DatasetStrategy::planUnits() const
{
    const GenerationSpec &spec = context().spec;
    std::vector<GenerationGroup> groups;
    for (const auto &[level, n] : allocateByMix(spec.effectiveMix(), spec.effectiveCount()))
        if (n > 0) {
            GenerationGroup g;
            g.key = GenerationUnitKey::forLevel(GenerationKind::Dataset, level);
            g.target = n;
            groups.push_back(g);
        }
    return groups;
}

ProblemStrategy::Prompt DatasetStrategy::buildPrompt(const JobUnit &,
                                                     const GenerationUnitKey &key) const
{
    Prompt p;
    p.templateId = QStringLiteral("generate.problem");
    p.context["complexity"] = toString(key.level.value_or(Complexity::Medium)).toStdString();
    return p;
}

void DatasetStrategy::acceptResult(Problem &problem, const json &,
                                   const GenerationUnitKey &key) const
{
    problem.complexity = key.level.value_or(Complexity::Medium);
    problem.origin = ProblemOrigin::Dataset;
    problem.tags << QStringLiteral("dataset");
}

void DatasetStrategy::describeDataset(Dataset &dataset,
                                      std::map<QString, std::vector<QString>> &) const
{
    dataset.complexityMix = context().spec.effectiveMix();
}

} // namespace crucible
