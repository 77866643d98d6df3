#include "core/evaluate/ratingcalculator.h"

#include "core/evaluate/lengthcontrol.h"

#include <algorithm>

namespace crucible {

using nlohmann::json;

RatingComputation RatingCalculator::compute(const std::vector<ComparisonRecord> &comparisons,
                                            const std::map<QString, QString> &names,
                                            const BradleyTerryOptions &options)
{
    RatingComputation out;
    std::vector<QString> keys;
    std::map<QString, int> index;
    auto indexOf = [&](const QString &key) {
        auto it = index.find(key);
        if (it != index.end())
            return it->second;
        const int i = static_cast<int>(keys.size());
        keys.push_back(key);
        index.emplace(key, i);
        return i;
    };
    for (const auto &[key, name] : names)
        indexOf(key);

    std::vector<PairOutcome> outcomes;
    std::vector<LengthOutcome> lengths;
    std::vector<int> failed;
    for (const ComparisonRecord &c : comparisons) {
        if (c.entrantA.isEmpty() || c.entrantB.isEmpty() || c.entrantA == c.entrantB)
            continue;
        const int a = indexOf(c.entrantA);
        const int b = indexOf(c.entrantB);
        failed.resize(keys.size(), 0);
        double score = 0;
        if (c.winner == u"a")
            score = 1;
        else if (c.winner == u"b")
            score = 0;
        else if (c.winner == u"tie")
            score = 0.5;
        else {
            ++out.failed;
            ++failed[static_cast<size_t>(a)];
            ++failed[static_cast<size_t>(b)];
            continue;
        }
        outcomes.push_back({a, b, score});
        lengths.push_back(
            {a, b, score, c.doc.value("length_a", 0.0), c.doc.value("length_b", 0.0)});
    }
    failed.resize(keys.size(), 0);
    out.comparisons = static_cast<int>(outcomes.size());
    const int n = static_cast<int>(keys.size());
    const BradleyTerryResult bt = BradleyTerry::rate(n, outcomes, options);
    const LengthControlResult lc = LengthControl::compute(n, lengths);
    out.lengthCoefficient = lc.lengthCoefficient;
    out.longerWinsShare = lc.longerWinsShare;
    for (int i = 0; i < n; ++i) {
        const BradleyTerryRating &r = bt.ratings[static_cast<size_t>(i)];
        RatingRecord row;
        row.entrant = keys[static_cast<size_t>(i)];
        row.rating = r.rating;
        row.ciLow = r.ciLow;
        row.ciHigh = r.ciHigh;
        row.wins = static_cast<int>(r.wins);
        row.losses = static_cast<int>(r.losses);
        row.ties = static_cast<int>(r.ties);
        const auto name = names.find(row.entrant);
        const EntrantWinRate &w = lc.entrants[static_cast<size_t>(i)];
        row.doc = {
            {"name", (name != names.end() && !name->second.isEmpty() ? name->second : row.entrant)
                         .toStdString()},
            {"comparisons", r.comparisons},
            {"failed", failed[static_cast<size_t>(i)]},
            {"win_rate", w.comparisons > 0 ? json(w.winRate) : json(nullptr)},
            {"lc_win_rate", w.comparisons > 0 ? json(w.lengthControlledWinRate) : json(nullptr)},
            {"mean_length", w.meanLength},
            {"length_coefficient", lc.lengthCoefficient},
            {"bootstrap_rounds", options.bootstrapRounds},
            {"prior_games", options.priorGames}};
        out.rows.push_back(std::move(row));
    }
    std::stable_sort(
        out.rows.begin(), out.rows.end(),
        [](const RatingRecord &x, const RatingRecord &y) { return x.rating > y.rating; });
    return out;
}

} // namespace crucible
