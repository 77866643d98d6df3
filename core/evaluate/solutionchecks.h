#pragma once
// The QualityVerifier's deterministic side: checks that need no judge (required fields present,
// each constraint and success criterion addressed, length budget) and novelty measured as
// 1 − the highest word-shingle Jaccard similarity to earlier solutions of the same problem.
// Pure functions, thread-safe.

#include "core/model/problem.h"
#include "core/model/solution.h"
#include "core/model/verdict.h"

namespace crucible {

struct CheckOptions
{
    int lengthBudget = 6000; // characters of the solution as text
    double coverage = 0.5;   // share of an item's content words the solution must mention
    int shingleSize = 3;     // words per shingle for novelty
};

namespace solutionchecks {

// Keys: required_fields, constraints_addressed, criteria_addressed, length_budget.
std::map<QString, CheckResult> run(const Solution &solution, const Problem &problem,
                                   const CheckOptions &options = {});

// Whether `text` mentions enough of `item`'s content words (stop words dropped, words matched
// on their first five letters so that plurals and verb forms count). `missing` gets the words
// not found.
bool addresses(const QString &text, const QString &item, double coverage,
               QStringList *missing = nullptr);

// 1 − max Jaccard(shingles(solution), shingles(e)) over `earlier`; 1 when there is none.
double novelty(const Solution &solution, const std::vector<Solution> &earlier, int shingleSize = 3);

} // namespace solutionchecks
} // namespace crucible
