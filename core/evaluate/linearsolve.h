#pragma once
// Small dense linear algebra for the rating fits (Bradley–Terry, length control): the logistic
// function and Gaussian elimination with partial pivoting.

#include <vector>

namespace crucible {

double logistic(double x);

// Solves m·x = rhs (n×n, row-major) in place: rhs becomes x. False when a pivot is smaller than
// `singularBelow` in magnitude (the system is singular for the caller's purposes).
bool solveLinearSystem(std::vector<double> &m, std::vector<double> &rhs, int n,
                       double singularBelow);

} // namespace crucible
