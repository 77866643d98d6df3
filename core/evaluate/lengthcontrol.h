#pragma once
// LengthControl: win rates with and without control for answer length, the way length-controlled
// win rates are computed in public benchmarks (AlpacaEval 2.0): fit a logistic model of each
// comparison's outcome on the entrants' abilities plus a length term,
//   logit P(a beats b) = s_a − s_b + γ · tanh((len_a − len_b) / σ),
// σ = the standard deviation of the length differences, ties counting as half a win; then the
// length-controlled win rate of an entrant is its predicted win rate over its own comparisons with
// the length term set to zero. γ > 0 means the judge favours the longer answer. Fitted by Newton's
// method with a small ridge penalty (λ = 0.01 on the abilities, which also fixes their mean at 0).
// Pure computation.

#include <vector>

namespace crucible {

struct LengthOutcome
{
    int a = 0;
    int b = 0;
    double scoreA = 0.5; // 1 a won, 0 b won, 0.5 tie
    double lengthA = 0;  // characters of a's answer
    double lengthB = 0;
};

struct EntrantWinRate
{
    int comparisons = 0;
    double winRate = 0; // (wins + ties/2) / comparisons
    double lengthControlledWinRate = 0;
    double meanLength = 0; // of this entrant's answers in these comparisons
};

struct LengthControlResult
{
    std::vector<EntrantWinRate> entrants;
    double lengthCoefficient = 0; // γ
    double lengthScale = 1;       // σ, characters
    // Of the decisive comparisons between answers of different length, the share the longer won
    // (-1 when there are none).
    double longerWinsShare = -1;
    int comparisons = 0;
    bool converged = true;
};

class LengthControl final
{
public:
    static LengthControlResult compute(int entrants, const std::vector<LengthOutcome> &outcomes);
};

} // namespace crucible
