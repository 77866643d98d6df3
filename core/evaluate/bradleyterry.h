#pragma once
// BradleyTerry: maximum-likelihood Bradley–Terry ratings from pairwise outcomes, on an Elo-like
// scale (1000 + 400·log10 strength, centred so the mean is 1000), with percentile bootstrap
// 95 % intervals (the comparisons resampled with replacement and refitted, seeded). Pure
// computation, no Qt objects: call rate() on a worker thread (rateAsync) for large inputs.
//
// Ties count as half a win for each side (the fractional-outcome convention public arenas use),
// so a pair that ties twice carries the same information as one win each way.
// Regularisation: every entrant also plays `priorGames` virtual games against a fixed reference
// entrant of strength 1 (rating 1000), half won and half lost. That keeps the likelihood bounded
// for an undefeated or winless entrant and anchors entrants of disconnected groups to the same
// reference instead of leaving their offset arbitrary; its pull is that of priorGames games, so it
// fades as real comparisons accumulate. The fit is Newton's method on the penalised
// log-likelihood (concave: a few iterations); with priorGames = 0, Hunter's MM algorithm.

#include <QFuture>

#include <cstdint>
#include <vector>

namespace crucible {

struct PairOutcome
{
    int a = 0;
    int b = 0;
    double scoreA = 0.5; // 1 = a won, 0 = b won, 0.5 = tie
};

struct BradleyTerryOptions
{
    double priorGames = 1.0;    // virtual games against the reference entrant (see above)
    int bootstrapRounds = 1000; // 0: no intervals (ci = rating)
    std::uint64_t seed = 1;
    int maxIterations = 20'000;
    double tolerance = 1e-10; // largest change of a log-strength between iterations
};

struct BradleyTerryRating
{
    double rating = 1000;
    double ciLow = 1000;
    double ciHigh = 1000;
    double wins = 0; // ties not included
    double losses = 0;
    double ties = 0;
    int comparisons = 0;
};

struct BradleyTerryResult
{
    std::vector<BradleyTerryRating> ratings; // one per entrant, in entrant order
    int iterations = 0;                      // of the point fit
    bool converged = true;
};

class BradleyTerry final
{
public:
    static constexpr double kScale = 400.0; // Elo points per factor 10 of strength
    static constexpr double kMean = 1000.0;

    // Point ratings only (centred, Elo-like). Outcomes naming entrants outside [0, n) are ignored.
    static std::vector<double> fit(int entrants, const std::vector<PairOutcome> &outcomes,
                                   const BradleyTerryOptions &options = {},
                                   int *iterations = nullptr, bool *converged = nullptr);
    // Ratings with bootstrap intervals and the win/loss/tie counts. Deterministic for the seed.
    static BradleyTerryResult rate(int entrants, const std::vector<PairOutcome> &outcomes,
                                   const BradleyTerryOptions &options = {});
    // rate() on the global thread pool.
    static QFuture<BradleyTerryResult> rateAsync(int entrants, std::vector<PairOutcome> outcomes,
                                                 BradleyTerryOptions options = {});

    // P(a beats b) for two ratings on this scale.
    static double winProbability(double ratingA, double ratingB);
};

} // namespace crucible
