#include "core/evaluate/lengthcontrol.h"

#include "core/evaluate/linearsolve.h"

#include <algorithm>
#include <cmath>

namespace crucible {

namespace {

constexpr double kRidge = 0.01;
constexpr int kMaxNewtonSteps = 50;

} // namespace

LengthControlResult LengthControl::compute(int entrants, const std::vector<LengthOutcome> &input)
{
    LengthControlResult result;
    if (entrants <= 0)
        return result;
    result.entrants.resize(static_cast<size_t>(entrants));
    std::vector<LengthOutcome> outcomes;
    for (const LengthOutcome &o : input)
        if (o.a >= 0 && o.b >= 0 && o.a < entrants && o.b < entrants && o.a != o.b)
            outcomes.push_back(o);
    result.comparisons = static_cast<int>(outcomes.size());
    if (outcomes.empty())
        return result;

    // σ of the length differences (about zero, both signs being the same comparison seen from
    // either side).
    double sumSquares = 0;
    int decisiveUneven = 0;
    int longerWon = 0;
    for (const LengthOutcome &o : outcomes) {
        const double d = o.lengthA - o.lengthB;
        sumSquares += d * d;
        if (d != 0 && o.scoreA != 0.5) {
            ++decisiveUneven;
            if ((d > 0) == (o.scoreA > 0.5))
                ++longerWon;
        }
    }
    result.lengthScale = std::sqrt(sumSquares / static_cast<double>(outcomes.size()));
    if (result.lengthScale <= 0)
        result.lengthScale = 1;
    if (decisiveUneven > 0)
        result.longerWinsShare = static_cast<double>(longerWon) / decisiveUneven;
    std::vector<double> feature(outcomes.size());
    for (size_t k = 0; k < outcomes.size(); ++k)
        feature[k] = std::tanh((outcomes[k].lengthA - outcomes[k].lengthB) / result.lengthScale);

    // θ = (s_0 … s_{n-1}, γ); Newton ascent on the penalised log-likelihood.
    const int dim = entrants + 1;
    std::vector<double> theta(static_cast<size_t>(dim), 0.0);
    result.converged = false;
    for (int step = 0; step < kMaxNewtonSteps; ++step) {
        std::vector<double> gradient(static_cast<size_t>(dim), 0.0);
        std::vector<double> hessian(static_cast<size_t>(dim * dim), 0.0);
        auto h = [&](int r, int c) -> double & {
            return hessian[static_cast<size_t>(r * dim + c)];
        };
        for (size_t k = 0; k < outcomes.size(); ++k) {
            const LengthOutcome &o = outcomes[k];
            const double eta = theta[static_cast<size_t>(o.a)] - theta[static_cast<size_t>(o.b)] +
                               theta[static_cast<size_t>(entrants)] * feature[k];
            const double p = logistic(eta);
            const double residual = std::clamp(o.scoreA, 0.0, 1.0) - p;
            const double w = p * (1 - p);
            const int idx[3] = {o.a, o.b, entrants};
            const double x[3] = {1.0, -1.0, feature[k]};
            for (int r = 0; r < 3; ++r) {
                gradient[static_cast<size_t>(idx[r])] += residual * x[r];
                for (int c = 0; c < 3; ++c)
                    h(idx[r], idx[c]) += w * x[r] * x[c]; // the negated Hessian
            }
        }
        for (int i = 0; i < dim; ++i) {
            gradient[static_cast<size_t>(i)] -= kRidge * theta[static_cast<size_t>(i)];
            h(i, i) += kRidge;
        }
        if (!solveLinearSystem(hessian, gradient, dim, 1e-14))
            break;
        double largest = 0;
        for (int i = 0; i < dim; ++i) {
            theta[static_cast<size_t>(i)] += gradient[static_cast<size_t>(i)];
            largest = std::max(largest, std::abs(gradient[static_cast<size_t>(i)]));
        }
        if (largest < 1e-9) {
            result.converged = true;
            break;
        }
    }
    result.lengthCoefficient = theta[static_cast<size_t>(entrants)];

    std::vector<double> score(static_cast<size_t>(entrants), 0.0);
    std::vector<double> predicted(static_cast<size_t>(entrants), 0.0);
    std::vector<double> length(static_cast<size_t>(entrants), 0.0);
    for (const LengthOutcome &o : outcomes) {
        const double p =
            logistic(theta[static_cast<size_t>(o.a)] - theta[static_cast<size_t>(o.b)]);
        auto &ea = result.entrants[static_cast<size_t>(o.a)];
        auto &eb = result.entrants[static_cast<size_t>(o.b)];
        ++ea.comparisons;
        ++eb.comparisons;
        score[static_cast<size_t>(o.a)] += std::clamp(o.scoreA, 0.0, 1.0);
        score[static_cast<size_t>(o.b)] += 1.0 - std::clamp(o.scoreA, 0.0, 1.0);
        predicted[static_cast<size_t>(o.a)] += p;
        predicted[static_cast<size_t>(o.b)] += 1.0 - p;
        length[static_cast<size_t>(o.a)] += o.lengthA;
        length[static_cast<size_t>(o.b)] += o.lengthB;
    }
    for (int i = 0; i < entrants; ++i) {
        auto &e = result.entrants[static_cast<size_t>(i)];
        if (e.comparisons == 0)
            continue;
        e.winRate = score[static_cast<size_t>(i)] / e.comparisons;
        e.lengthControlledWinRate = predicted[static_cast<size_t>(i)] / e.comparisons;
        e.meanLength = length[static_cast<size_t>(i)] / e.comparisons;
    }
    return result;
}

} // namespace crucible
