#pragma once
// JudgeCalibration: how far each LLM judge agrees with the human ratings, per aspect: quadratic
// weighted κ and Spearman ρ with bootstrap intervals and n, over time (windows of ratings), a
// weight per judge derived from it, and the held-out effect of calibration examples. Human
// ratings are split once and for all by solution id (isPromptExample): half may be shown to
// judges as few-shot examples, the other half is never shown and measures the effect.
// Lives on the Workspace's thread; reads only.

#include "core/feedback/agreement.h"
#include "core/store/workspace.h"

#include <QDateTime>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <optional>

namespace crucible {

struct CalibrationOptions
{
    QString aspect;       // empty: every aspect
    int window = 20;      // ratings per point of the over-time series
    int resamples = 1000; // bootstrap resamples
    std::uint64_t seed = 1;
    // Weight prior: a judge with n ratings weighs (n·max(0, κ) + kPrior·kPriorKappa)/(n + kPrior).
    static constexpr double kPrior = 10;
    static constexpr double kPriorKappa = 0.5;
};

struct CalibrationPoint
{
    QDateTime until; // the last rating of the window
    int n = 0;
    double kappa = 0;
};

struct JudgeAspectCalibration
{
    QString judgeVersionId;
    QString judgeName;
    QString aspect;
    agreement::AgreementEstimate kappa;    // judge rating (1 + round(4·score)) vs human 1..5
    agreement::AgreementEstimate spearman; // judge score vs human rating
    std::vector<CalibrationPoint> overTime;
    std::array<std::array<int, 5>, 5> confusion{}; // [judge rating − 1][human rating − 1]
    double weight = CalibrationOptions::kPriorKappa;
    // Held-out ratings only: the judge's verdicts without calibration examples in the prompt
    // (before) and with them (after).
    agreement::AgreementEstimate heldOutBefore;
    agreement::AgreementEstimate heldOutAfter;
};

struct CalibrationReport
{
    int ratings = 0; // human ratings (1..5) in the workspace, of the aspect when one was asked
    std::vector<JudgeAspectCalibration> rows;

    // Judge → weight for one aspect (the mean over aspects when `aspect` is empty).
    std::map<QString, double> weights(const QString &aspect = {}) const;
    nlohmann::json toJson() const;
};

struct CalibrationExample
{
    QString solutionId;
    QString aspect;
    int rating = 0; // the person's 1..5
    QString note;
    QString excerpt;
    std::optional<double> judgeScore; // what this judge scored it (0..1), if it judged it
};

class JudgeCalibration final
{
public:
    explicit JudgeCalibration(Workspace &ws);

    CalibrationReport report(const CalibrationOptions &options = {}) const;

    // How examples are picked among the prompt-split ratings.
    enum class Choice {
        // Anchors of the scale: the newest rating of each level in the order 3, 1, 5, 2, 4,
        // then round again (the default; unbiased for a judge without a bias).
        Anchors,
        // Those the judge scored furthest from the person first, then the newest. Teaches a
        // biased judge faster but over-corrects an unbiased one (BENCHMARKS.md).
        LargestGap
    };
    static std::optional<Choice> choiceFromString(const QString &name); // anchors, largest_gap

    // Up to `max` human ratings of these aspects that a judge prompt should carry: prompt-split
    // solutions only, never `excludeSolutionId`.
    std::vector<CalibrationExample> examples(const QStringList &aspects,
                                             const QString &judgeVersionId, int max,
                                             const QString &excludeSolutionId = {},
                                             Choice choice = Choice::Anchors) const;
    // The template context of the examples ("calibration_examples": [{aspect, rating, note,
    // excerpt, judge_score}]).
    static nlohmann::json examplesContext(const std::vector<CalibrationExample> &examples);

    // The fixed split: true for the half of solutions whose ratings may be prompt examples.
    static bool isPromptExample(const QString &solutionId);

private:
    Workspace &m_ws;
};

} // namespace crucible
