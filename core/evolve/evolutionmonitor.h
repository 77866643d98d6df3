#pragma once
// EvolutionMonitor: the status of a self-training run at any moment, read from what the run
// checkpoints (its TrainingRun: settings and one metrics entry per finished cycle). It measures
// the quality over time (best so far on the validation split), the spend (calls, tokens, USD when
// the run records them), the share of candidate versions accepted, how the best has moved lately,
// the budget left and an ETA to it; it makes rule-based recommendations from those measures;
// and it writes the report as JSON, Markdown, or a self-contained HTML page whose charts are
// inline SVG images. Pure computation on values: any thread.

#include "core/model/trainingrun.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace crucible::evolve {

struct MonitorPoint
{
    double cycle = 0;
    double value = 0;
};

// The window of the "recent" acceptance share, in cycles.
inline constexpr int kRecentCycles = 10;

struct RunStatus
{
    QString runId;
    QString name;
    QString state;
    int cycles = 0;
    std::optional<double> bestValidation; // best so far at the last cycle
    std::optional<double> firstValidation;
    std::optional<qint64> callsUsed;
    std::optional<qint64> callsBudget;    // from the settings (budget_calls)
    std::optional<double> acceptedShare;  // over all cycles
    std::optional<double> recentAccepted; // over the last 10 cycles
    int cyclesSinceImprovement = 0;       // cycles since the best last rose
    std::optional<double> callsPerCycle;  // mean over the last 10 cycles
    std::optional<int> cyclesToBudget;    // at that rate, until budget_calls is spent
    std::optional<qint64> wallMs;         // wall time over all attempts
    std::optional<double> callsPerMinute; // throughput over the wall time
    std::optional<qint64> etaCallsMs;     // at that rate, until the call budget is spent
    std::optional<qint64> wallLeftMs;     // of the wall-time budget
    std::optional<qint64> spentTokens;    // from the ledger, as of the last checkpoint
    std::optional<double> spentUsd;
    std::optional<qint64> etaTokensMs; // at the spend rate so far, until budget_tokens
    std::optional<qint64> etaUsdMs;    // ... until budget_usd
    // Diversity of the accepted versions' solutions (addDiversity; 0 solutions: not measured).
    int diversitySolutions = 0;
    double distinct1 = 0, distinct2 = 0, meanSimilarity = 0;
    std::vector<MonitorPoint> bestSeries;   // best validation quality by cycle
    std::vector<MonitorPoint> callsSeries;  // calls used by cycle
    std::vector<MonitorPoint> acceptSeries; // accepted share over the last 10 cycles, by cycle
    std::vector<MonitorPoint> childSeries; // what each cycle tried (child or offspring): mean score
    std::vector<MonitorPoint> noveltySeries;    // ... their mean novelty (judge aspect)
    std::vector<MonitorPoint> successSeries;    // ... the share of their scores ≥ kSuccessScore
    std::vector<MonitorPoint> throughputSeries; // calls per minute over the last 5 cycles
    QStringList recommendations;
    nlohmann::json testReport; // the held-out test result when the run wrote one (else null)
    // The LLM-written summary (RunSummaryJob) when one was asked for: {summary, highlights,
    // risks, next_steps, provider, model, written_at, cycles}; else null.
    nlohmann::json summary;
    // From testReport: the best version's improvement over the start on the held-out split and
    // its bootstrap 95 % interval, when the report has them.
    std::optional<double> heldOutImprovement;
    double heldOutLow = 0, heldOutHigh = 0;
    int heldOutProblems = 0;
};

class EvolutionMonitor
{
public:
    static RunStatus status(const TrainingRun &run);
    // Adds the diversity of the solutions the run's accepted versions wrote (read from its
    // checkpoint; heavier than status(): for reports and the selected run, not every poll).
    static void addDiversity(RunStatus &s, const TrainingRun &run);

    // The measures as (name, value) rows: the reports' table, and what a summary is told.
    static std::vector<std::pair<QString, QString>> measures(const RunStatus &s);

    static nlohmann::json toJson(const RunStatus &s);
    static QString toMarkdown(const RunStatus &s);
    static QString toHtml(const RunStatus &s); // self-contained: inline SVG charts, no scripts
    // The LLM-written summary as an HTML fragment with its byline (empty without one).
    static QString summaryHtml(const RunStatus &s);

    // A line chart as an SVG document (also used by the HTML page).
    static QString svgLineChart(const QString &title, const std::vector<MonitorPoint> &points,
                                std::optional<double> yMin = {}, std::optional<double> yMax = {});
};

} // namespace crucible::evolve
