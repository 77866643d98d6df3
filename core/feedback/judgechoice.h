#pragma once
// The judge a job uses when none was named: among the evaluator agents' current versions, the
// one whose verdicts agree best with the human ratings (the highest mean quadratic-weighted κ
// over its aspects that have at least `minRatings` ratings, and κ > 0); with no such judge, or
// to break a tie, the newest evaluator agent as before. A judge that was named is never
// replaced: callers only ask when none was. Reads the Workspace on its thread.

#include <QStringList>
#include <nlohmann/json.hpp>

#include <optional>

namespace crucible {

class Workspace;
struct CalibrationReport;
struct SolverAgent;

struct JudgeChoice
{
    // Fewer human ratings of an aspect than this do not count towards choosing a judge.
    static constexpr int kMinRatings = 20;

    QString versionId; // the evaluator agent version to judge with
    QString name;
    bool calibrated = false; // chosen by its agreement; false: the newest evaluator
    double kappa = 0;        // mean κ over `aspects` (calibrated only)
    int ratings = 0;         // human ratings behind it, summed over `aspects`
    QStringList aspects;     // the aspects with enough ratings
    QString why;             // for a fallback: why no calibrated judge was chosen

    // "Judge A (κ 0.71 over 24 human ratings)" or "Judge A (the newest evaluator: …)".
    QString describe() const;
    // {"judge_version_id", "judge", "calibrated", "kappa", "ratings", "aspects", "why"}
    nlohmann::json toJson() const;
};

struct JudgeChoiceOptions
{
    QStringList aspects; // only κ of these aspects counts (empty: every aspect)
    int minRatings = JudgeChoice::kMinRatings;
};

// The choice from a calibration report among `evaluators` (head versions); `newest` is the
// fallback and wins ties. nullopt only when there is no evaluator at all.
std::optional<JudgeChoice> chooseJudge(const CalibrationReport &report,
                                       const std::vector<SolverAgent> &evaluators,
                                       const std::optional<SolverAgent> &newest,
                                       const JudgeChoiceOptions &options = {});
// The same on the workspace's evaluator agents and human ratings.
std::optional<JudgeChoice> chooseJudge(Workspace &ws, const JudgeChoiceOptions &options = {});
// The chosen judge as the agent version to run (for callers that need its prompt).
std::optional<SolverAgent> chosenJudgeAgent(Workspace &ws, const JudgeChoiceOptions &options = {});

} // namespace crucible
