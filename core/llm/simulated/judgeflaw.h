#pragma once
// Planted judge errors for the Simulated provider's fitness landscape, so that the feedback
// inbox and judge calibration can be measured against a known truth. A flawed judge scores the
// solution's hidden quality q wrongly on a seeded subset (`share`) of solutions: 1 − q when
// `invert`, else q + `offset`; everywhere it adds N(0, noise) and may vary its confidence.
// When its prompt carries calibration examples ("rated R of 5 by a person (a judge had scored
// it S)") it corrects by the mean (R-score − S) of those examples, shrunk by k/(k + 1) for k
// examples: a model of a judge that learns from few-shot examples, not a measured LLM
// behaviour. The truth never reaches the judge: only the examples in its prompt. Value types.

#include <QString>

#include <cstdint>
#include <map>
#include <optional>

namespace crucible::simulated {

struct JudgeFlaw
{
    double share = 0;  // of solutions the error applies to (0..1)
    double offset = 0; // added to q on that subset (unless invert)
    bool invert = false;
    double noise = 0;           // standard deviation of N(0, noise) on every score
    double confidenceLow = 0.8; // confidence drawn uniformly from [low, high]
    double confidenceHigh = 0.8;
    bool learnsFromExamples = true;
};

using JudgeFlaws = std::map<QString, JudgeFlaw>; // by judge agent version id

// Whether `flaw` applies to the solution identified by `solutionKey` (its quality tag) for
// this judge: deterministic per (landscape seed, judge, solution).
bool flawApplies(const JudgeFlaw &flaw, std::uint64_t seed, const QString &judgeVersionId,
                 const QString &solutionKey);

// The mean (R-score − S) over the calibration examples in `prompt` and their number.
std::optional<std::pair<double, int>> exampleCorrection(const QString &prompt);

} // namespace crucible::simulated
