#pragma once
// TournamentSpec: what a tournament job is asked to do (entrants, problems, judges, format,
// provider, budget, seed), as stored in the job's params. A plain value.

#include "core/store/tournamentrepository.h"

#include <optional>

namespace crucible {

struct TournamentSpec
{
    QString name;
    QString format = QStringLiteral("round-robin"); // or "swiss"
    std::vector<TournamentEntrant> entrants;
    QStringList problems;
    QStringList judges; // judge agent version ids
    // How the judge was chosen when none was named (JudgeChoice::toJson); null otherwise.
    nlohmann::json judgeChoice;
    int rounds = 0; // Swiss: 0 = enough to separate the field (ceil(log2 n))
    int concurrency = 4;
    QString providerId;
    QString model;
    std::optional<double> temperature; // of the judge; unset: 0
    std::optional<int> maxTokens;
    double budgetUsd = 0; // 0: no budget of its own
    quint64 seed = 1;
    int bootstrapRounds = 1000;

    nlohmann::json toJson() const; // the job's params (tournaments.params is a subset)
    static TournamentSpec fromJson(const nlohmann::json &j);
};

} // namespace crucible
