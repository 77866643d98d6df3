#pragma once
// RatingCalculator: turns stored comparisons into rating rows: Bradley–Terry ratings with
// bootstrap 95 % intervals per entrant key, win/loss/tie counts, and win rates with and without
// length control. Failed comparisons are left out (they are not verdicts). Pure computation:
// run it on a worker thread for large workspaces.

#include "core/evaluate/bradleyterry.h"
#include "core/store/tournamentrepository.h"

#include <map>

namespace crucible {

struct RatingComputation
{
    std::vector<RatingRecord> rows; // best first; tournamentId left empty
    int comparisons = 0;            // decided comparisons used
    int failed = 0;                 // failed comparisons left out
    double lengthCoefficient = 0;   // γ of the length-control fit
    double longerWinsShare = -1;
};

class RatingCalculator final
{
public:
    // `names` maps entrant keys to display names (missing: the key). Entrants listed in `names`
    // but without comparisons get a row too (rating 1000, no games), so a tournament's table is
    // complete from its first round.
    static RatingComputation compute(const std::vector<ComparisonRecord> &comparisons,
                                     const std::map<QString, QString> &names = {},
                                     const BradleyTerryOptions &options = {});
};

} // namespace crucible
