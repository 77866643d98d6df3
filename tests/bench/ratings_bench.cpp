// Ratings benchmark: on synthetic comparison outcomes drawn from known strengths,
// (a) how well Bradley–Terry recovers the true order (Spearman) with 8 agents × 400 comparisons,
// (b) the coverage of the bootstrap 95 % intervals over repeated draws,
// (c) a judge that prefers whichever solution is shown first in 30 % of its verdicts: ratings
//     from both-order judging against single-order judging,
// (d) win rates with and without length control for a judge that favours longer answers.
// Usage: ratings_bench [draws=200] [bootstrap=1000] [sections=abcd]
#include "core/evaluate/bradleyterry.h"
#include "core/evaluate/lengthcontrol.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace crucible;

namespace {

constexpr int kAgents = 8;
constexpr int kComparisons = 400;
constexpr double kBias = 0.30; // share of verdicts that just name the first solution shown

using Clock = std::chrono::steady_clock;

std::vector<double> truthRatings(double spacing)
{
    std::vector<double> t(kAgents);
    for (int i = 0; i < kAgents; ++i)
        t[static_cast<size_t>(i)] = 1000 + spacing * (i - (kAgents - 1) / 2.0);
    return t;
}

std::vector<double> ranks(const std::vector<double> &v)
{
    std::vector<int> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int x, int y) { return v[static_cast<size_t>(x)] < v[static_cast<size_t>(y)]; });
    std::vector<double> r(v.size());
    for (size_t k = 0; k < order.size();) {
        size_t end = k;
        while (end + 1 < order.size() &&
               v[static_cast<size_t>(order[end + 1])] == v[static_cast<size_t>(order[k])])
            ++end;
        const double mid = (static_cast<double>(k) + static_cast<double>(end)) / 2.0;
        for (size_t j = k; j <= end; ++j)
            r[static_cast<size_t>(order[j])] = mid;
        k = end + 1;
    }
    return r;
}

double spearman(const std::vector<double> &x, const std::vector<double> &y)
{
    const auto rx = ranks(x);
    const auto ry = ranks(y);
    const double n = static_cast<double>(x.size());
    const double mean = (n - 1) / 2;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (rx[i] - mean) * (ry[i] - mean);
        sxx += (rx[i] - mean) * (rx[i] - mean);
        syy += (ry[i] - mean) * (ry[i] - mean);
    }
    return sxy / std::sqrt(sxx * syy);
}

enum class Judging {
    Consistent,     // the judge sees which solution is better, in any order
    BothOrders,     // biased judge, both orders, disagreement = tie
    SingleListed,   // biased judge, one order: the entrant listed first is shown first
    SingleRandomPos // biased judge, one order, position drawn at random per comparison
};

const char *judgingName(Judging j)
{
    switch (j) {
    case Judging::Consistent:
        return "unbiased judge";
    case Judging::BothOrders:
        return "30% first-position bias, both orders (disagreement = tie)";
    case Judging::SingleListed:
        return "30% first-position bias, one order (listed entrant shown first)";
    case Judging::SingleRandomPos:
        return "30% first-position bias, one order (random position)";
    }
    return "";
}

// 400 comparisons between uniformly drawn pairs. For each, which solution is better on that
// problem is drawn from the true ratings; the judge reports it, except that a biased verdict
// (probability kBias per order) names the solution shown first whatever it says.
std::vector<PairOutcome> simulate(const std::vector<double> &truth, Judging judging,
                                  std::mt19937_64 &random)
{
    std::uniform_int_distribution<int> pick(0, kAgents - 1);
    std::uniform_real_distribution<double> u(0, 1);
    // The order in which the entrants were listed for the tournament, random per draw.
    std::vector<int> listing(kAgents);
    std::iota(listing.begin(), listing.end(), 0);
    std::shuffle(listing.begin(), listing.end(), random);
    std::vector<int> listedAt(kAgents);
    for (int k = 0; k < kAgents; ++k)
        listedAt[static_cast<size_t>(listing[static_cast<size_t>(k)])] = k;

    std::vector<PairOutcome> out;
    out.reserve(kComparisons);
    while (static_cast<int>(out.size()) < kComparisons) {
        int a = pick(random);
        int b = pick(random);
        if (a == b)
            continue;
        const bool aBetter =
            u(random) < BradleyTerry::winProbability(truth[static_cast<size_t>(a)],
                                                     truth[static_cast<size_t>(b)]);
        // One order's verdict: true = the first shown solution wins.
        auto verdict = [&](bool firstIsA) {
            if (u(random) < kBias)
                return true;
            return firstIsA == aBetter;
        };
        double score = 0;
        switch (judging) {
        case Judging::Consistent:
            score = aBetter ? 1 : 0;
            break;
        case Judging::BothOrders: {
            const bool ab = verdict(true);           // A shown first: true = A wins
            const bool baFirstWins = verdict(false); // B shown first: true = B wins
            const bool abSaysA = ab;
            const bool baSaysA = !baFirstWins;
            score = abSaysA == baSaysA ? (abSaysA ? 1 : 0) : 0.5;
            break;
        }
        case Judging::SingleListed: {
            const bool aFirst = listedAt[static_cast<size_t>(a)] < listedAt[static_cast<size_t>(b)];
            const bool firstWins = verdict(aFirst);
            score = (firstWins == aFirst) ? 1 : 0;
            break;
        }
        case Judging::SingleRandomPos: {
            const bool aFirst = u(random) < 0.5;
            const bool firstWins = verdict(aFirst);
            score = (firstWins == aFirst) ? 1 : 0;
            break;
        }
        }
        out.push_back({a, b, score});
    }
    return out;
}

struct Summary
{
    double mean = 0;
    double p5 = 0;
    double min = 0;
    double shareAtLeast95 = 0;
};

Summary summarise(std::vector<double> v)
{
    Summary s;
    std::sort(v.begin(), v.end());
    s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    s.p5 = v[static_cast<size_t>(0.05 * static_cast<double>(v.size() - 1))];
    s.min = v.front();
    s.shareAtLeast95 =
        static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) { return x >= 0.95; })) /
        static_cast<double>(v.size());
    return s;
}

void recovery(int draws, const std::vector<Judging> &judgings, const char *title)
{
    std::printf("\n%s: %d agents x %d comparisons, %d draws per row, point fit\n", title, kAgents,
                kComparisons, draws);
    std::printf("%-8s %-66s %8s %8s %8s %10s\n", "spacing", "judging", "mean", "p5", "min",
                "share>=.95");
    for (double spacing : {100.0, 50.0}) {
        const auto truth = truthRatings(spacing);
        for (Judging judging : judgings) {
            std::mt19937_64 random(1234);
            std::vector<double> rho;
            BradleyTerryOptions options;
            options.bootstrapRounds = 0;
            for (int d = 0; d < draws; ++d) {
                const auto outcomes = simulate(truth, judging, random);
                rho.push_back(spearman(BradleyTerry::fit(kAgents, outcomes, options), truth));
            }
            const Summary s = summarise(rho);
            std::printf("%-8.0f %-66s %8.3f %8.3f %8.3f %9.0f%%\n", spacing, judgingName(judging),
                        s.mean, s.p5, s.min, 100 * s.shareAtLeast95);
        }
    }
}

void coverage(int draws, int bootstrap)
{
    std::printf("\n(b) 95%% bootstrap interval coverage: %d agents x %d comparisons, unbiased "
                "judge, %d bootstrap rounds, %d draws\n",
                kAgents, kComparisons, bootstrap, draws);
    std::printf("%-8s %10s %14s %20s\n", "spacing", "coverage", "mean width", "CPU ms per rate()");
    for (double spacing : {0.0, 50.0, 100.0}) {
        const auto truth = truthRatings(spacing);
        std::mt19937_64 random(99);
        int covered = 0;
        int total = 0;
        double width = 0;
        double ms = 0;
        for (int d = 0; d < draws; ++d) {
            const auto outcomes = simulate(truth, Judging::Consistent, random);
            BradleyTerryOptions options;
            options.bootstrapRounds = bootstrap;
            options.seed = static_cast<std::uint64_t>(d + 1);
            const std::clock_t start = std::clock();
            const BradleyTerryResult r = BradleyTerry::rate(kAgents, outcomes, options);
            ms += 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
            for (int i = 0; i < kAgents; ++i) {
                const auto &x = r.ratings[static_cast<size_t>(i)];
                const double t = truth[static_cast<size_t>(i)];
                covered += (x.ciLow <= t && t <= x.ciHigh) ? 1 : 0;
                ++total;
                width += x.ciHigh - x.ciLow;
            }
        }
        std::printf("%-8.0f %9.1f%% %10.0f Elo %20.1f\n", spacing,
                    100.0 * covered / static_cast<double>(total), width / total, ms / draws);
    }
}

void lengthControl()
{
    std::printf("\n(d) length control: 2 equally able agents, agent 0 longer in 80%% of "
                "comparisons, judge favours the longer answer 70%% of the time, 2000 "
                "comparisons\n");
    std::mt19937_64 random(5);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<LengthOutcome> outcomes;
    for (int k = 0; k < 2000; ++k) {
        const bool zeroLonger = u(random) < 0.8;
        const double longLen = 1500 + 600 * u(random);
        const double shortLen = 600 + 400 * u(random);
        const bool longerWins = u(random) < 0.7;
        outcomes.push_back({0, 1, zeroLonger == longerWins ? 1.0 : 0.0,
                            zeroLonger ? longLen : shortLen, zeroLonger ? shortLen : longLen});
    }
    const LengthControlResult r = LengthControl::compute(2, outcomes);
    std::printf("agent 0: win rate %.3f, length-controlled %.3f (truth 0.5); agent 1: %.3f / %.3f; "
                "gamma %.2f; longer answer won %.0f%% of decisive comparisons\n",
                r.entrants[0].winRate, r.entrants[0].lengthControlledWinRate, r.entrants[1].winRate,
                r.entrants[1].lengthControlledWinRate, r.lengthCoefficient,
                100 * r.longerWinsShare);
}

} // namespace

int main(int argc, char **argv)
{
    const int draws = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
    const int bootstrap = argc > 2 ? std::max(50, std::atoi(argv[2])) : 1000;
    const std::string sections = argc > 3 ? argv[3] : "abcd";
    const auto start = Clock::now();
    if (sections.find('a') != std::string::npos)
        recovery(draws, {Judging::Consistent}, "(a) recovered order (Spearman vs truth)");
    if (sections.find('b') != std::string::npos)
        coverage(draws, bootstrap);
    if (sections.find('c') != std::string::npos)
        recovery(draws, {Judging::BothOrders, Judging::SingleListed, Judging::SingleRandomPos},
                 "(c) position-biased judge (Spearman vs truth)");
    if (sections.find('d') != std::string::npos)
        lengthControl();
    std::printf("\ntotal %.1f s\n", std::chrono::duration<double>(Clock::now() - start).count());
    return 0;
}
