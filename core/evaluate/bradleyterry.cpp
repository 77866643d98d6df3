#include "core/evaluate/bradleyterry.h"

#include "core/evaluate/bootstrap.h"
#include "core/evaluate/linearsolve.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <random>

namespace crucible {

namespace {

// Pairwise totals of the outcomes: score[i][j] = points i took from j, games[i][j] = their
// games (symmetric).
struct Totals
{
    explicit Totals(int n)
        : n(n)
        , score(static_cast<size_t>(n) * n, 0.0)
        , games(static_cast<size_t>(n) * n, 0.0)
    {
    }
    void add(const PairOutcome &o, double weight = 1.0)
    {
        const double s = std::clamp(o.scoreA, 0.0, 1.0);
        score[idx(o.a, o.b)] += weight * s;
        score[idx(o.b, o.a)] += weight * (1.0 - s);
        games[idx(o.a, o.b)] += weight;
        games[idx(o.b, o.a)] += weight;
    }
    size_t idx(int i, int j) const { return static_cast<size_t>(i) * n + j; }

    int n;
    std::vector<double> score;
    std::vector<double> games;
};

bool valid(int entrants, const PairOutcome &o)
{
    return o.a >= 0 && o.b >= 0 && o.a < entrants && o.b < entrants && o.a != o.b;
}

// Penalised log-likelihood in log-strengths θ, the reference entrant at θ = 0.
double logLikelihood(const Totals &t, double prior, const std::vector<double> &theta)
{
    const int n = t.n;
    double ll = 0;
    for (int i = 0; i < n; ++i) {
        const double ti = theta[static_cast<size_t>(i)];
        ll += prior / 2 * ti - prior * std::log1p(std::exp(ti));
        for (int j = i + 1; j < n; ++j) {
            const double g = t.games[t.idx(i, j)];
            if (g <= 0)
                continue;
            const double tj = theta[static_cast<size_t>(j)];
            const double hi = std::max(ti, tj);
            ll += t.score[t.idx(i, j)] * ti + t.score[t.idx(j, i)] * tj -
                  g * (hi + std::log(std::exp(ti - hi) + std::exp(tj - hi)));
        }
    }
    return ll;
}

// Newton's method with step halving on the (concave) penalised log-likelihood: a handful of
// iterations where the MM algorithm needs hundreds. Needs priorGames > 0 (the reference fixes
// the scale and makes the Hessian definite).
void fitNewton(const Totals &t, const BradleyTerryOptions &options, std::vector<double> &theta,
               int &iterations, bool &converged)
{
    const int n = t.n;
    const double prior = options.priorGames;
    converged = false;
    iterations = 0;
    double current = logLikelihood(t, prior, theta);
    std::vector<double> gradient(static_cast<size_t>(n));
    std::vector<double> hessian(static_cast<size_t>(n) * n);
    while (iterations < options.maxIterations) {
        ++iterations;
        std::fill(hessian.begin(), hessian.end(), 0.0);
        for (int i = 0; i < n; ++i) {
            const double ti = theta[static_cast<size_t>(i)];
            const double si = logistic(ti);
            double g = prior / 2 - prior * si;
            double diag = prior * si * (1 - si);
            for (int j = 0; j < n; ++j) {
                const double games = t.games[t.idx(i, j)];
                if (j == i || games <= 0)
                    continue;
                const double p = logistic(ti - theta[static_cast<size_t>(j)]);
                g += t.score[t.idx(i, j)] - games * p;
                const double w = games * p * (1 - p);
                diag += w;
                hessian[static_cast<size_t>(i) * n + j] = -w;
            }
            gradient[static_cast<size_t>(i)] = g;
            hessian[static_cast<size_t>(i) * n + i] = diag; // the negated Hessian
        }
        std::vector<double> step = gradient;
        if (!solveLinearSystem(hessian, step, n, 1e-300))
            break;
        double scale = 1.0;
        std::vector<double> next(theta.size());
        double value = current;
        for (int halving = 0; halving < 40; ++halving) {
            for (size_t i = 0; i < theta.size(); ++i)
                next[i] = theta[i] + scale * step[i];
            value = logLikelihood(t, prior, next);
            if (value >= current - 1e-12)
                break;
            scale /= 2;
        }
        double largest = 0;
        for (size_t i = 0; i < theta.size(); ++i)
            largest = std::max(largest, std::abs(next[i] - theta[i]));
        theta.swap(next);
        current = value;
        if (largest < options.tolerance) {
            converged = true;
            break;
        }
    }
}

// Hunter's MM iteration, p_i ← W_i / Σ_j n_ij / (p_i + p_j): used without a prior, where the
// strengths of undefeated entrants run off and Newton's Hessian is singular.
void fitTotals(const Totals &t, const BradleyTerryOptions &options,
               std::vector<double> &logStrength, int &iterations, bool &converged)
{
    if (options.priorGames > 0) {
        fitNewton(t, options, logStrength, iterations, converged);
        return;
    }
    const int n = t.n;
    std::vector<double> p(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        p[static_cast<size_t>(i)] = std::exp(logStrength[static_cast<size_t>(i)]);
    std::vector<double> wins(static_cast<size_t>(n), 0.0);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            wins[static_cast<size_t>(i)] += t.score[t.idx(i, j)];

    constexpr double kFloor = 1e-12; // strengths of winless entrants
    constexpr double kCeiling = 1e12;
    converged = false;
    iterations = 0;
    std::vector<double> next(static_cast<size_t>(n));
    while (iterations < options.maxIterations) {
        ++iterations;
        double largest = 0;
        for (int i = 0; i < n; ++i) {
            const double pi = p[static_cast<size_t>(i)];
            double denominator = 0;
            for (int j = 0; j < n; ++j) {
                const double g = t.games[t.idx(i, j)];
                if (g > 0)
                    denominator += g / (pi + p[static_cast<size_t>(j)]);
            }
            double value = pi;
            if (denominator > 0)
                value = std::clamp(wins[static_cast<size_t>(i)] / denominator, kFloor, kCeiling);
            next[static_cast<size_t>(i)] = value;
            largest = std::max(largest, std::abs(std::log(value) - std::log(pi)));
        }
        p.swap(next);
        // Without the reference the scale floats: pin the geometric mean to 1.
        double meanLog = 0;
        for (double v : p)
            meanLog += std::log(v);
        meanLog /= std::max(1, n);
        for (double &v : p)
            v = std::exp(std::log(v) - meanLog);
        if (largest < options.tolerance) {
            converged = true;
            break;
        }
    }
    for (int i = 0; i < n; ++i)
        logStrength[static_cast<size_t>(i)] = std::log(p[static_cast<size_t>(i)]);
}

std::vector<double> toRatings(const std::vector<double> &logStrength)
{
    std::vector<double> r(logStrength.size());
    double mean = 0;
    for (size_t i = 0; i < r.size(); ++i) {
        r[i] = BradleyTerry::kScale * logStrength[i] / std::log(10.0);
        mean += r[i];
    }
    if (!r.empty())
        mean /= static_cast<double>(r.size());
    for (double &v : r)
        v = v - mean + BradleyTerry::kMean;
    return r;
}

} // namespace

std::vector<double> BradleyTerry::fit(int entrants, const std::vector<PairOutcome> &outcomes,
                                      const BradleyTerryOptions &options, int *iterations,
                                      bool *converged)
{
    if (entrants <= 0)
        return {};
    Totals totals(entrants);
    for (const PairOutcome &o : outcomes)
        if (valid(entrants, o))
            totals.add(o);
    std::vector<double> logStrength(static_cast<size_t>(entrants), 0.0);
    int its = 0;
    bool ok = true;
    fitTotals(totals, options, logStrength, its, ok);
    if (iterations)
        *iterations = its;
    if (converged)
        *converged = ok;
    return toRatings(logStrength);
}

BradleyTerryResult BradleyTerry::rate(int entrants, const std::vector<PairOutcome> &input,
                                      const BradleyTerryOptions &options)
{
    BradleyTerryResult result;
    if (entrants <= 0)
        return result;
    std::vector<PairOutcome> outcomes;
    outcomes.reserve(input.size());
    for (const PairOutcome &o : input)
        if (valid(entrants, o))
            outcomes.push_back(o);

    result.ratings.resize(static_cast<size_t>(entrants));
    Totals totals(entrants);
    for (const PairOutcome &o : outcomes) {
        totals.add(o);
        auto &ra = result.ratings[static_cast<size_t>(o.a)];
        auto &rb = result.ratings[static_cast<size_t>(o.b)];
        ++ra.comparisons;
        ++rb.comparisons;
        if (o.scoreA > 0.5) {
            ++ra.wins;
            ++rb.losses;
        } else if (o.scoreA < 0.5) {
            ++ra.losses;
            ++rb.wins;
        } else {
            ++ra.ties;
            ++rb.ties;
        }
    }
    std::vector<double> pointLog(static_cast<size_t>(entrants), 0.0);
    fitTotals(totals, options, pointLog, result.iterations, result.converged);
    const std::vector<double> point = toRatings(pointLog);
    for (int i = 0; i < entrants; ++i) {
        auto &r = result.ratings[static_cast<size_t>(i)];
        r.rating = r.ciLow = r.ciHigh = point[static_cast<size_t>(i)];
    }
    if (options.bootstrapRounds <= 0 || outcomes.empty())
        return result;

    std::mt19937_64 random(options.seed);
    std::uniform_int_distribution<size_t> pick(0, outcomes.size() - 1);
    std::vector<std::vector<double>> samples(static_cast<size_t>(entrants));
    for (auto &s : samples)
        s.reserve(static_cast<size_t>(options.bootstrapRounds));
    for (int round = 0; round < options.bootstrapRounds; ++round) {
        Totals resampled(entrants);
        for (size_t k = 0; k < outcomes.size(); ++k)
            resampled.add(outcomes[pick(random)]);
        std::vector<double> logStrength = pointLog; // warm start: fewer iterations
        int its = 0;
        bool ok = true;
        fitTotals(resampled, options, logStrength, its, ok);
        const std::vector<double> r = toRatings(logStrength);
        for (int i = 0; i < entrants; ++i)
            samples[static_cast<size_t>(i)].push_back(r[static_cast<size_t>(i)]);
    }
    for (int i = 0; i < entrants; ++i) {
        auto &r = result.ratings[static_cast<size_t>(i)];
        r.ciLow = percentile(samples[static_cast<size_t>(i)], 0.025);
        r.ciHigh = percentile(samples[static_cast<size_t>(i)], 0.975);
    }
    return result;
}

QFuture<BradleyTerryResult> BradleyTerry::rateAsync(int entrants, std::vector<PairOutcome> outcomes,
                                                    BradleyTerryOptions options)
{
    return QtConcurrent::run([entrants, outcomes = std::move(outcomes), options] {
        return rate(entrants, outcomes, options);
    });
}

double BradleyTerry::winProbability(double ratingA, double ratingB)
{
    return 1.0 / (1.0 + std::pow(10.0, (ratingB - ratingA) / kScale));
}

} // namespace crucible
