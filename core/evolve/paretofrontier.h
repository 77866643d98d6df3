#pragma once
// The Pareto frontier of candidates over validation problems, GEPA's parent selection: a
// candidate is on the frontier when it has the best score on at least one problem and no other
// candidate is at least as good on every problem and better on one; parents are drawn in
// proportion to the number of problems they are best on. Pure functions.

#include "core/evolve/evolvetypes.h"
#include "core/llm/simulated/rng.h"

#include <vector>

namespace crucible::evolve {

struct FrontierEntry
{
    int candidate = 0;
    int wins = 0; // problems it has the best score on (ties count for each)
};

// The frontier among `pool` (candidate ids, each scored on every problem), by candidate id.
std::vector<FrontierEntry> paretoFrontier(const std::vector<Candidate> &candidates,
                                          const std::vector<int> &pool,
                                          const QStringList &problems);
// A parent drawn with probability wins / Σ wins; -1 for an empty frontier.
int sampleParent(const std::vector<FrontierEntry> &frontier, simulated::Rng &rng);

} // namespace crucible::evolve
