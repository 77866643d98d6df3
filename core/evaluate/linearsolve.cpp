#include "core/evaluate/linearsolve.h"

#include <cmath>
#include <cstddef>
#include <utility>

namespace crucible {

double logistic(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

bool solveLinearSystem(std::vector<double> &m, std::vector<double> &rhs, int n,
                       double singularBelow)
{
    auto at = [&](int r, int c) -> double & {
        return m[static_cast<std::size_t>(r) * static_cast<std::size_t>(n) +
                 static_cast<std::size_t>(c)];
    };
    auto rhsAt = [&](int r) -> double & { return rhs[static_cast<std::size_t>(r)]; };
    for (int col = 0; col < n; ++col) {
        int pivot = col;
        for (int r = col + 1; r < n; ++r)
            if (std::abs(at(r, col)) > std::abs(at(pivot, col)))
                pivot = r;
        if (std::abs(at(pivot, col)) < singularBelow)
            return false;
        if (pivot != col) {
            for (int c = 0; c < n; ++c)
                std::swap(at(col, c), at(pivot, c));
            std::swap(rhsAt(col), rhsAt(pivot));
        }
        for (int r = col + 1; r < n; ++r) {
            const double f = at(r, col) / at(col, col);
            if (f == 0)
                continue;
            for (int c = col; c < n; ++c)
                at(r, c) -= f * at(col, c);
            rhsAt(r) -= f * rhsAt(col);
        }
    }
    for (int r = n - 1; r >= 0; --r) {
        double v = rhsAt(r);
        for (int c = r + 1; c < n; ++c)
            v -= at(r, c) * rhsAt(c);
        rhsAt(r) = v / at(r, r);
    }
    return true;
}

} // namespace crucible
