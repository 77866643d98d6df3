#include "core/evolve/trainingsession.h"

#include "core/model/jsonsupport.h"
#include "core/model/validationerror.h"

#include <QStringBuilder>

#include <algorithm>

// TrainingOptions: the job parameters of a training run (stored with its job and read back on
// resume), and the options of one agent of a group trained side by side.

namespace crucible::evolve {

using nlohmann::json;

json TrainingOptions::toParams() const
{
    json p = {{"domain", domain.toStdString()},       {"dataset_id", datasetId.toStdString()},
              {"agent", agent.toStdString()},         {"judge", judge.toStdString()},
              {"optimizer", optimizer.toStdString()}, {"settings", settings.toJson()},
              {"provider", providerId.toStdString()}, {"model", model.toStdString()},
              {"temperature", temperature},           {"max_problems", maxProblems}};
    if (budgetTokens)
        p["budget_tokens"] = *budgetTokens;
    if (budgetUsd)
        p["budget_usd"] = *budgetUsd;
    if (budgetHours)
        p["budget_hours"] = *budgetHours;
    p["variation_every"] = variationEvery;
    p["variations_per_round"] = variationsPerRound;
    p["specialize"] = specialize;
    if (!group.isEmpty())
        p["group"] = {{"id", group.toStdString()}, {"index", groupIndex}, {"size", groupSize}};
    if (splitSeed)
        p["split_seed"] = *splitSeed;
    if (landscapeSeed) {
        p["landscape_seed"] = *landscapeSeed;
        p["landscape_latency_ms"] = landscapeLatencyMs;
    }
    if (!runId.isEmpty())
        p["run_id"] = runId.toStdString();
    return p;
}

TrainingOptions TrainingOptions::fromParams(const json &p)
{
    if (!p.is_object())
        throw ValidationError(QStringLiteral("params"), {},
                              QStringLiteral("the training parameters must be a JSON object"));
    TrainingOptions o;
    o.domain = jsonio::stringOr(p, "domain");
    o.datasetId = jsonio::stringOr(p, "dataset_id");
    o.agent = jsonio::stringOr(p, "agent");
    o.judge = jsonio::stringOr(p, "judge");
    if (const QString kind = jsonio::stringOr(p, "optimizer"); !kind.isEmpty())
        o.optimizer = kind;
    if (const auto it = p.find("settings"); it != p.end() && it->is_object())
        o.settings = OptimiserSettings::fromJson(*it);
    o.providerId = jsonio::stringOr(p, "provider");
    o.model = jsonio::stringOr(p, "model");
    if (const auto it = p.find("temperature"); it != p.end() && it->is_number())
        o.temperature = it->get<double>();
    if (const auto it = p.find("max_problems"); it != p.end() && it->is_number_integer())
        o.maxProblems = it->get<int>();
    if (const auto it = p.find("budget_tokens"); it != p.end() && it->is_number_integer())
        o.budgetTokens = it->get<qint64>();
    if (const auto it = p.find("budget_usd"); it != p.end() && it->is_number())
        o.budgetUsd = it->get<double>();
    if (const auto it = p.find("variation_every"); it != p.end() && it->is_number_integer())
        o.variationEvery = std::max(0, it->get<int>());
    if (const auto it = p.find("variations_per_round"); it != p.end() && it->is_number_integer())
        o.variationsPerRound = std::clamp(it->get<int>(), 1, 20);
    if (const auto it = p.find("specialize"); it != p.end() && it->is_boolean())
        o.specialize = it->get<bool>();
    if (const auto it = p.find("group"); it != p.end() && it->is_object()) {
        o.group = jsonio::stringOr(*it, "id");
        o.groupIndex = std::max(0, it->value("index", 0));
        o.groupSize = std::max(1, it->value("size", 1));
    }
    if (const auto it = p.find("split_seed"); it != p.end() && it->is_number_unsigned())
        o.splitSeed = it->get<std::uint64_t>();
    if (const auto it = p.find("budget_hours"); it != p.end() && it->is_number())
        o.budgetHours = it->get<double>();
    if (const auto it = p.find("landscape_seed"); it != p.end() && it->is_number_unsigned())
        o.landscapeSeed = it->get<quint64>();
    if (const auto it = p.find("landscape_latency_ms"); it != p.end() && it->is_number_integer())
        o.landscapeLatencyMs = std::clamp(it->get<int>(), 0, 60'000);
    o.runId = jsonio::stringOr(p, "run_id");
    return o;
}

TrainingOptions TrainingOptions::agentOf(const QString &groupId, int index, int size) const
{
    TrainingOptions o = *this;
    if (size <= 1)
        return o;
    o.group = groupId;
    o.groupIndex = index;
    o.groupSize = size;
    o.splitSeed = settings.seed;
    o.settings.seed += static_cast<std::uint64_t>(index);
    if (o.settings.maxCalls > 0)
        o.settings.maxCalls = std::max(1, o.settings.maxCalls / size);
    if (o.budgetTokens)
        *o.budgetTokens /= size;
    if (o.budgetUsd)
        *o.budgetUsd /= size;
    if (o.budgetHours)
        *o.budgetHours /= size;
    if (!o.runId.isEmpty())
        o.runId += QStringLiteral("_%1").arg(index + 1);
    return o;
}

std::vector<json> TrainingOptions::expandAgents(const json &params)
{
    const int n = params.is_object() ? std::clamp(params.value("agents", 1), 1, 8) : 1;
    if (n <= 1)
        return {params};
    const TrainingOptions base = fromParams(params);
    const QString groupId = jsonio::newId("grp");
    std::vector<json> out;
    for (int i = 0; i < n; ++i) {
        json p = base.agentOf(groupId, i, n).toParams();
        // What toParams does not carry (e.g. the landscape's latency) stays as it was.
        for (const auto &[key, value] : params.items())
            if (!p.contains(key) && key != "agents")
                p[key] = value;
        out.push_back(std::move(p));
    }
    return out;
}

GenerationEstimate TrainingSession::forAgents(GenerationEstimate e, int agents)
{
    const int n = std::max(1, agents);
    e.calls *= n;
    e.tokensIn *= n;
    e.tokensOut *= n;
    if (e.costUsd)
        *e.costUsd *= n;
    return e;
}

} // namespace crucible::evolve
