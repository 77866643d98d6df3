#pragma once
// One vocabulary for money, used wherever a cost reaches a person (Request Inspector, status
// bar, playground, generation estimates, CLI): "unpriced" when no price is known, "$0" when a
// call is free, "$0 (cache)" for an answer replayed from the cache, else dollars with enough
// digits to be meaningful for a single call ("$0.000123", "$0.0042", "$1.50"). Pure functions.

#include <QString>

#include <optional>

namespace crucible {

// "$0", "$0.000123", "$0.0042", "$0.42", "$12.35". Negative amounts keep their sign.
QString formatUsd(double usd);

// The cost of one call: "$0 (cache)" for a cache hit (whatever costUsd says), "unpriced" when
// costUsd is unset, else formatUsd.
QString formatCallCost(const std::optional<double> &costUsd, bool cacheHit = false);

// A total over many calls: "$0.42", "$0.42 + 3 unpriced calls", "$0 + 1 unpriced call".
QString formatCostTotal(double pricedUsd, qint64 unpricedCalls);

// What a job or dataset cost in all: "free" when nothing was spent and every call was priced,
// "unpriced" when no call had a price, else formatCostTotal.
QString formatSpend(double pricedUsd, qint64 unpricedCalls);

// The text a person reads for "unpriced", so that tests and labels agree.
QString unpricedLabel();

} // namespace crucible
