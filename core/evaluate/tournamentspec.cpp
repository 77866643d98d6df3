#include "core/evaluate/tournamentspec.h"

#include "core/model/jsonsupport.h"

namespace crucible {

using nlohmann::json;

namespace {

std::string s(const QString &text)
{
    return text.toStdString();
}

QStringList fromArray(const json &j)
{
    QStringList out;
    if (j.is_array())
        for (const json &v : j)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

} // namespace

json TournamentSpec::toJson() const
{
    json entrantList = json::array();
    for (const TournamentEntrant &e : entrants)
        entrantList.push_back(e.toJson());
    json j = {{"name", s(name)},
              {"format", s(format)},
              {"entrants", entrantList},
              {"problems", json(problems)},
              {"judges", json(judges)},
              {"rounds", rounds},
              {"concurrency", concurrency},
              {"provider", s(providerId)},
              {"model", s(model)},
              {"budget_usd", budgetUsd},
              {"seed", seed},
              {"bootstrap_rounds", bootstrapRounds}};
    j["temperature"] = temperature ? json(*temperature) : json(nullptr);
    j["max_tokens"] = maxTokens ? json(*maxTokens) : json(nullptr);
    if (judgeChoice.is_object())
        j["judge_choice"] = judgeChoice;
    return j;
}

TournamentSpec TournamentSpec::fromJson(const json &j)
{
    TournamentSpec spec;
    spec.name = jsonio::stringOr(j, "name");
    spec.format = jsonio::stringOr(j, "format");
    if (spec.format.isEmpty())
        spec.format = QStringLiteral("round-robin");
    for (const json &e : j.value("entrants", json::array()))
        spec.entrants.push_back(TournamentEntrant::fromJson(e));
    spec.problems = fromArray(j.value("problems", json::array()));
    spec.judges = fromArray(j.value("judges", json::array()));
    if (j.contains("judge_choice") && j["judge_choice"].is_object())
        spec.judgeChoice = j["judge_choice"];
    spec.rounds = j.value("rounds", 0);
    spec.concurrency = j.value("concurrency", 4);
    spec.providerId = jsonio::stringOr(j, "provider");
    spec.model = jsonio::stringOr(j, "model");
    spec.budgetUsd = j.value("budget_usd", 0.0);
    spec.seed = j.value("seed", quint64{1});
    spec.bootstrapRounds = j.value("bootstrap_rounds", 1000);
    if (j.contains("temperature") && j["temperature"].is_number())
        spec.temperature = j["temperature"].get<double>();
    if (j.contains("max_tokens") && j["max_tokens"].is_number_integer())
        spec.maxTokens = j["max_tokens"].get<int>();
    return spec;
}

} // namespace crucible
