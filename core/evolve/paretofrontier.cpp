#include "core/evolve/paretofrontier.h"

#include <algorithm>
#include <map>

namespace crucible::evolve {

namespace {

double scoreOf(const Candidate &c, const QString &problem)
{
    return c.scores.at(problem).score;
}

// a dominates b: at least as good everywhere, better somewhere.
bool dominates(const Candidate &a, const Candidate &b, const QStringList &problems)
{
    bool better = false;
    for (const QString &p : problems) {
        const double sa = scoreOf(a, p);
        const double sb = scoreOf(b, p);
        if (sa < sb)
            return false;
        if (sa > sb)
            better = true;
    }
    return better;
}

} // namespace

std::vector<FrontierEntry> paretoFrontier(const std::vector<Candidate> &candidates,
                                          const std::vector<int> &pool, const QStringList &problems)
{
    std::map<int, int> wins;
    for (const QString &p : problems) {
        double best = -1;
        for (const int id : pool)
            best = std::max(best, scoreOf(candidates[static_cast<size_t>(id)], p));
        for (const int id : pool)
            if (scoreOf(candidates[static_cast<size_t>(id)], p) >= best)
                ++wins[id];
    }
    std::vector<FrontierEntry> out;
    for (const auto &entry : wins) {
        const int id = entry.first; // a named copy: clang 14 cannot capture a structured binding
        const int count = entry.second;
        const Candidate &c = candidates[static_cast<size_t>(id)];
        const bool dominated = std::any_of(pool.begin(), pool.end(), [&](int other) {
            return other != id && dominates(candidates[static_cast<size_t>(other)], c, problems);
        });
        if (!dominated)
            out.push_back({id, count});
    }
    return out;
}

int sampleParent(const std::vector<FrontierEntry> &frontier, simulated::Rng &rng)
{
    int total = 0;
    for (const FrontierEntry &e : frontier)
        total += e.wins;
    if (total <= 0)
        return -1;
    int pick = static_cast<int>(rng.below(static_cast<size_t>(total)));
    for (const FrontierEntry &e : frontier) {
        if (pick < e.wins)
            return e.candidate;
        pick -= e.wins;
    }
    return frontier.back().candidate;
}

} // namespace crucible::evolve
