#include "core/evolve/evolutionmonitor.h"

#include "core/evolve/optimiser.h"
#include "core/evolve/runowner.h"
#include "core/model/durationformat.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace crucible::evolve {

using nlohmann::json;

namespace {

constexpr int kRecent = kRecentCycles;

std::optional<double> number(const json &j, const char *key)
{
    if (const auto it = j.find(key); it != j.end() && it->is_number())
        return it->get<double>();
    return std::nullopt;
}

QString fixed(std::optional<double> v, int decimals = 3)
{
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("–");
}

json seriesJson(const std::vector<MonitorPoint> &points)
{
    json out = json::array();
    for (const MonitorPoint &p : points)
        out.push_back({p.cycle, p.value});
    return out;
}

template <typename T> json optionalJson(const std::optional<T> &v)
{
    return v ? json(*v) : json(nullptr);
}

QString duration(std::optional<qint64> ms)
{
    return ms ? formatDuration(*ms) : QStringLiteral("–");
}

// The measures of the report's table, for Markdown and HTML alike.
std::vector<std::pair<QString, QString>> measureRows(const RunStatus &s)
{
    std::vector<std::pair<QString, QString>> rows = {
        {QStringLiteral("run"), s.runId},
        {QStringLiteral("state"), s.state},
        {QStringLiteral("cycles"), QString::number(s.cycles)},
        {QStringLiteral("best quality (validation)"),
         QStringLiteral("%1 (first %2)").arg(fixed(s.bestValidation), fixed(s.firstValidation))},
        {QStringLiteral("calls used"),
         (s.callsUsed ? QString::number(*s.callsUsed) : QStringLiteral("–")) +
             (s.callsBudget ? QStringLiteral(" of %1").arg(*s.callsBudget) : QString())},
        {QStringLiteral("spend"), s.spentTokens ? QStringLiteral("%1 tokens, $%2")
                                                      .arg(*s.spentTokens)
                                                      .arg(s.spentUsd.value_or(0.0), 0, 'f', 4)
                                                : QStringLiteral("–")},
        {QStringLiteral("children accepted"),
         QStringLiteral("%1 overall, %2 over the last %3 cycles")
             .arg(fixed(s.acceptedShare, 2), fixed(s.recentAccepted, 2))
             .arg(kRecent)},
        {QStringLiteral("cycles since the best improved"),
         QString::number(s.cyclesSinceImprovement)},
        {QStringLiteral("calls per cycle (recent)"), fixed(s.callsPerCycle, 1)},
        {QStringLiteral("throughput"), s.callsPerMinute
                                           ? QStringLiteral("%1 calls/min over %2 of wall time")
                                                 .arg(*s.callsPerMinute, 0, 'f', 1)
                                                 .arg(duration(s.wallMs))
                                           : QStringLiteral("–")},
        {QStringLiteral("cycles until the call budget is spent"),
         s.cyclesToBudget ? QString::number(*s.cyclesToBudget) : QStringLiteral("–")},
        {QStringLiteral("ETA to the call budget"), duration(s.etaCallsMs)},
        {QStringLiteral("wall-time budget left"), duration(s.wallLeftMs)},
        {QStringLiteral("ETA to the token budget"), duration(s.etaTokensMs)},
        {QStringLiteral("ETA to the USD budget"), duration(s.etaUsdMs)}};
    if (s.diversitySolutions > 0)
        rows.emplace_back(QStringLiteral("diversity of solutions"),
                          QStringLiteral("distinct-1 %1, distinct-2 %2, mean pairwise "
                                         "similarity %3 (%4 solutions of accepted versions)")
                              .arg(s.distinct1, 0, 'f', 3)
                              .arg(s.distinct2, 0, 'f', 3)
                              .arg(s.meanSimilarity, 0, 'f', 3)
                              .arg(s.diversitySolutions));
    return rows;
}

// Who wrote a summary, and that it is not a measurement.
QString summaryByline(const json &summary)
{
    const QString model = QString::fromStdString(summary.value("model", std::string()));
    return QStringLiteral("Written by the model %1 from the measurements above at cycle %2 (%3); "
                          "check it against them.")
        .arg(model.isEmpty() ? QStringLiteral("(default)") : model)
        .arg(summary.value("cycles", 0))
        .arg(QString::fromStdString(summary.value("written_at", std::string())));
}

std::vector<std::pair<std::string, QString>> summaryLists()
{
    return {{"highlights", QStringLiteral("Highlights")},
            {"risks", QStringLiteral("Risks and caveats")},
            {"next_steps", QStringLiteral("Next steps")}};
}

} // namespace

RunStatus EvolutionMonitor::status(const TrainingRun &run)
{
    RunStatus s;
    s.runId = run.id;
    s.name = run.name;
    s.state = TrainingRun::toString(run.state);
    // A run whose process is gone (killed, crashed) still says "running": it is interrupted,
    // and resumable.
    if (run.state == TrainingRun::State::Running &&
        !RunOwner::alive(run.config.value("owner", nlohmann::json())))
        s.state = QStringLiteral("interrupted");
    // The call budget: TrainingSession keeps it in the optimiser's checkpoint (budget.max_calls)
    // and the settings (max_calls); a plain "budget_calls" setting is read too.
    std::optional<double> budget = number(run.config, "budget_calls");
    if (const auto cp = run.config.find("checkpoint");
        !budget && cp != run.config.end() && cp->is_object() && cp->contains("budget"))
        budget = number((*cp)["budget"], "max_calls");
    if (const auto st = run.config.find("settings");
        !budget && st != run.config.end() && st->is_object())
        budget = number(*st, "max_calls");
    if (budget && *budget > 0)
        s.callsBudget = qint64(*budget);
    // The held-out test result of a finished run (TrainingSession's report: "test").
    if (const auto it = run.config.find("report");
        it != run.config.end() && it->is_object() && it->contains("test"))
        s.testReport = (*it)["test"];
    else if (const auto t = run.config.find("test_report"); t != run.config.end())
        s.testReport = *t;
    if (const auto it = run.config.find("summary"); it != run.config.end() && it->is_object())
        s.summary = *it;

    if (const auto gain = number(s.testReport, "improvement");
        gain && s.testReport.contains("ci95") && s.testReport["ci95"].is_array() &&
        s.testReport["ci95"].size() == 2 && s.testReport["ci95"][0].is_number() &&
        s.testReport["ci95"][1].is_number()) {
        s.heldOutImprovement = *gain;
        s.heldOutLow = s.testReport["ci95"][0].get<double>();
        s.heldOutHigh = s.testReport["ci95"][1].get<double>();
        s.heldOutProblems = s.testReport.value("problems", 0);
    }

    const json metrics = run.metrics.is_array() ? run.metrics : json::array();
    s.cycles = int(metrics.size());
    std::vector<bool> accepted;
    std::vector<double> calls;
    double best = -1;
    int lastRise = 0;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const json &m = metrics[i];
        const double cycle = number(m, "cycle").value_or(double(i));
        if (const auto b = number(m, "best_validation")) {
            if (!s.firstValidation)
                s.firstValidation = *b;
            if (*b > best + 1e-12) {
                best = *b;
                lastRise = int(i);
            }
            s.bestSeries.push_back({cycle, *b});
            s.bestValidation = *b;
        }
        if (const auto c = number(m, "calls_used")) {
            s.callsSeries.push_back({cycle, *c});
            s.callsUsed = qint64(*c);
            calls.push_back(*c);
        }
        if (const auto c = number(m, "child_score"))
            s.childSeries.push_back({cycle, *c});
        if (const auto n = number(m, "child_novelty"))
            s.noveltySeries.push_back({cycle, *n});
        if (const auto r = number(m, "child_success"))
            s.successSeries.push_back({cycle, *r});
        if (const auto it = m.find("accepted"); it != m.end() && it->is_boolean()) {
            accepted.push_back(it->get<bool>());
            const auto n = std::min<std::size_t>(accepted.size(), kRecent);
            const auto hits = std::count(accepted.end() - std::ptrdiff_t(n), accepted.end(), true);
            s.acceptSeries.push_back({cycle, double(hits) / double(n)});
        }
    }
    s.cyclesSinceImprovement = s.bestSeries.empty() ? 0 : s.cycles - 1 - lastRise;
    // Throughput over cycles: calls per minute of wall time over the last 5 cycles.
    if (const auto ended = run.config.find("cycle_wall_ms");
        ended != run.config.end() && ended->is_array() && !metrics.empty()) {
        const std::size_t n = std::min(ended->size(), metrics.size());
        for (std::size_t i = 1; i < n; ++i) {
            const std::size_t from = i >= 5 ? i - 5 : 0;
            const auto calls1 = number(metrics[i], "calls_used");
            const auto calls0 = number(metrics[from], "calls_used");
            const double ms = (*ended)[i].get<double>() - (*ended)[from].get<double>();
            if (calls1 && calls0 && ms > 0)
                s.throughputSeries.push_back({number(metrics[i], "cycle").value_or(double(i)),
                                              (*calls1 - *calls0) / (ms / 60'000.0)});
        }
    }
    if (!accepted.empty()) {
        s.acceptedShare =
            double(std::count(accepted.begin(), accepted.end(), true)) / double(accepted.size());
        s.recentAccepted = s.acceptSeries.back().value;
    }
    if (calls.size() >= 2) {
        const std::size_t from =
            calls.size() > std::size_t(kRecent) ? calls.size() - kRecent - 1 : 0;
        const double perCycle = (calls.back() - calls[from]) / double(calls.size() - 1 - from);
        s.callsPerCycle = perCycle;
        if (s.callsBudget && perCycle > 0)
            s.cyclesToBudget = std::max(
                0, int(std::ceil(double(*s.callsBudget - qint64(calls.back())) / perCycle)));
    }

    // Wall time, throughput and the ETAs (TrainingSession records its wall time and spend at
    // its checkpoints).
    if (const auto wall = number(run.config, "wall_ms"); wall && *wall > 0) {
        s.wallMs = qint64(*wall);
        if (s.callsUsed && *s.callsUsed > 0) {
            s.callsPerMinute = double(*s.callsUsed) / (*wall / 60'000.0);
            if (s.callsBudget)
                s.etaCallsMs = qint64(double(std::max<qint64>(0, *s.callsBudget - *s.callsUsed)) /
                                      *s.callsPerMinute * 60'000.0);
        }
        if (const auto hours = number(run.config, "budget_hours"); hours && *hours > 0)
            s.wallLeftMs = std::max<qint64>(0, qint64(*hours * 3'600'000.0 - *wall));
    }
    if (const auto spend = run.config.find("spend");
        spend != run.config.end() && spend->is_object()) {
        if (const auto t = number(*spend, "tokens"))
            s.spentTokens = qint64(*t);
        s.spentUsd = number(*spend, "usd");
    }
    // ETAs to the token and USD budgets at the rate spent so far (over the run's wall time).
    const auto eta = [&s](std::optional<double> spent, std::optional<double> budget) {
        std::optional<qint64> out;
        if (s.wallMs && *s.wallMs > 0 && spent && *spent > 0 && budget && *budget > 0)
            out = qint64(std::max(0.0, *budget - *spent) / (*spent / double(*s.wallMs)));
        return out;
    };
    s.etaTokensMs =
        eta(s.spentTokens ? std::optional<double>(double(*s.spentTokens)) : std::nullopt,
            number(run.config, "budget_tokens"));
    s.etaUsdMs = eta(s.spentUsd, number(run.config, "budget_usd"));

    // Recommendations: rules on the measures above, each saying what to do.
    QStringList &r = s.recommendations;
    if (s.cycles == 0)
        r << QStringLiteral("No cycle has finished yet: wait for the first checkpoint.");
    if (s.recentAccepted && s.cycles >= kRecent && *s.recentAccepted < 0.1)
        r << QStringLiteral("Fewer than 1 in 10 recent children beat their parents: the "
                            "optimiser is stuck; try a larger minibatch or more exploration "
                            "(random parents), or add harder training problems.");
    if (s.recentAccepted && s.cycles >= kRecent && *s.recentAccepted > 0.7)
        r << QStringLiteral("Most children are accepted: the minibatch may be too small to tell "
                            "real gains from noise; raise it before trusting the curve.");
    if (s.cyclesSinceImprovement >= 2 * kRecent)
        r << QStringLiteral("The best version has not improved for %1 cycles: the run has "
                            "plateaued; stop it to save the budget, or change the optimiser.")
                 .arg(s.cyclesSinceImprovement);
    if (s.callsBudget && s.callsUsed && *s.callsUsed >= qint64(0.9 * double(*s.callsBudget)))
        r << QStringLiteral("90 % of the call budget is spent: the held-out test scoring at the "
                            "end needs calls too; raise --budget-calls if the run should go on.");
    if (s.bestValidation && s.firstValidation && s.cycles >= kRecent &&
        *s.bestValidation - *s.firstValidation < 0.01)
        r << QStringLiteral("Validation quality has not moved from where it started: check "
                            "that the judge and the rubric can tell good solutions from bad.");
    if (r.isEmpty())
        r << QStringLiteral("No problem detected: quality rises and the budget lasts.");
    return s;
}

json EvolutionMonitor::toJson(const RunStatus &s)
{
    return {{"run_id", s.runId.toStdString()},
            {"name", s.name.toStdString()},
            {"state", s.state.toStdString()},
            {"cycles", s.cycles},
            {"best_validation", optionalJson(s.bestValidation)},
            {"first_validation", optionalJson(s.firstValidation)},
            {"calls_used", optionalJson(s.callsUsed)},
            {"calls_budget", optionalJson(s.callsBudget)},
            {"accepted_share", optionalJson(s.acceptedShare)},
            {"recent_accepted_share", optionalJson(s.recentAccepted)},
            {"cycles_since_improvement", s.cyclesSinceImprovement},
            {"calls_per_cycle", optionalJson(s.callsPerCycle)},
            {"cycles_to_budget", optionalJson(s.cyclesToBudget)},
            {"wall_ms", optionalJson(s.wallMs)},
            {"calls_per_minute", optionalJson(s.callsPerMinute)},
            {"eta_calls_ms", optionalJson(s.etaCallsMs)},
            {"wall_left_ms", optionalJson(s.wallLeftMs)},
            {"eta_tokens_ms", optionalJson(s.etaTokensMs)},
            {"eta_usd_ms", optionalJson(s.etaUsdMs)},
            {"spent_tokens", optionalJson(s.spentTokens)},
            {"spent_usd", optionalJson(s.spentUsd)},
            {"diversity", s.diversitySolutions > 0
                              ? json{{"solutions", s.diversitySolutions},
                                     {"distinct1", s.distinct1},
                                     {"distinct2", s.distinct2},
                                     {"mean_pairwise_similarity", s.meanSimilarity}}
                              : json(nullptr)},
            {"series",
             {{"best_validation", seriesJson(s.bestSeries)},
              {"calls_used", seriesJson(s.callsSeries)},
              {"accepted_recent", seriesJson(s.acceptSeries)},
              {"child_score", seriesJson(s.childSeries)},
              {"child_novelty", seriesJson(s.noveltySeries)},
              {"child_success", seriesJson(s.successSeries)},
              {"calls_per_minute", seriesJson(s.throughputSeries)}}},
            {"recommendations",
             [&] {
                 json a = json::array();
                 for (const QString &r : s.recommendations)
                     a.push_back(r.toStdString());
                 return a;
             }()},
            {"test_report", s.testReport},
            {"summary", s.summary}};
}

QString EvolutionMonitor::summaryHtml(const RunStatus &s)
{
    if (!s.summary.is_object())
        return {};
    QString html =
        QStringLiteral("<p><i>%1</i></p><p>%2</p>")
            .arg(summaryByline(s.summary).toHtmlEscaped(),
                 QString::fromStdString(s.summary.value("summary", std::string())).toHtmlEscaped());
    for (const auto &[key, title] : summaryLists())
        if (const json &items = s.summary.value(key, json::array()); !items.empty()) {
            html += QStringLiteral("<p><b>%1</b></p><ul>").arg(title);
            for (const json &item : items)
                if (item.is_string())
                    html += QStringLiteral("<li>%1</li>")
                                .arg(QString::fromStdString(item).toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
    return html;
}

std::vector<std::pair<QString, QString>> EvolutionMonitor::measures(const RunStatus &s)
{
    return measureRows(s);
}

QString EvolutionMonitor::toMarkdown(const RunStatus &s)
{
    QString md = QStringLiteral("# Training run %1\n\n").arg(s.name.isEmpty() ? s.runId : s.name);
    md += QStringLiteral("| measure | value |\n|---|---|\n");
    for (const auto &[k, v] : measureRows(s))
        md += QStringLiteral("| %1 | %2 |\n").arg(k, v);
    md += u'\n';
    if (s.heldOutImprovement)
        md += QStringLiteral("Held-out test: improvement of the best version over the start "
                             "%1, 95 % CI %2 to %3 (%4 problems).\n\n")
                  .arg(*s.heldOutImprovement, 0, 'f', 3)
                  .arg(s.heldOutLow, 0, 'f', 3)
                  .arg(s.heldOutHigh, 0, 'f', 3)
                  .arg(s.heldOutProblems);
    if (!s.testReport.is_null())
        md += QStringLiteral("## Held-out test\n\n```json\n%1\n```\n\n")
                  .arg(QString::fromStdString(s.testReport.dump(2)));
    md += QStringLiteral("## Recommendations\n\n");
    for (const QString &r : s.recommendations)
        md += QStringLiteral("- %1\n").arg(r);
    if (s.summary.is_object()) {
        md += QStringLiteral("\n## Summary\n\n*%1*\n\n%2\n")
                  .arg(summaryByline(s.summary),
                       QString::fromStdString(s.summary.value("summary", std::string())));
        for (const auto &[key, title] : summaryLists())
            if (const json &items = s.summary.value(key, json::array()); !items.empty()) {
                md += QStringLiteral("\n**%1**\n\n").arg(title);
                for (const json &item : items)
                    if (item.is_string())
                        md += QStringLiteral("- %1\n").arg(QString::fromStdString(item));
            }
    }
    return md;
}

QString EvolutionMonitor::svgLineChart(const QString &title,
                                       const std::vector<MonitorPoint> &points,
                                       std::optional<double> yMin, std::optional<double> yMax)
{
    const double w = 640, h = 240, left = 48, right = 12, top = 28, bottom = 28;
    double x0 = 0, x1 = 1, y0 = yMin.value_or(0), y1 = yMax.value_or(1);
    if (!points.empty()) {
        x0 = points.front().cycle;
        x1 = std::max(points.back().cycle, x0 + 1);
        if (!yMin || !yMax) {
            const auto [lo, hi] = std::minmax_element(
                points.begin(), points.end(),
                [](const MonitorPoint &a, const MonitorPoint &b) { return a.value < b.value; });
            if (!yMin)
                y0 = std::min(0.0, lo->value);
            if (!yMax)
                y1 = hi->value > y0 ? hi->value * 1.05 : y0 + 1;
        }
    }
    const auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (w - left - right); };
    const auto py = [&](double y) { return top + (1 - (y - y0) / (y1 - y0)) * (h - top - bottom); };
    QString svg = QStringLiteral("<svg xmlns='http://www.w3.org/2000/svg' width='%1' height='%2' "
                                 "viewBox='0 0 %1 %2' font-family='sans-serif' font-size='11'>")
                      .arg(w)
                      .arg(h);
    svg += QStringLiteral("<rect width='100%' height='100%' fill='white'/>");
    svg += QStringLiteral("<text x='%1' y='16' font-size='13'>%2</text>")
               .arg(left)
               .arg(title.toHtmlEscaped());
    for (int i = 0; i <= 4; ++i) {
        const double y = y0 + (y1 - y0) * i / 4;
        svg += QStringLiteral("<line x1='%1' x2='%2' y1='%3' y2='%3' stroke='#ddd'/>"
                              "<text x='%4' y='%5' text-anchor='end'>%6</text>")
                   .arg(left)
                   .arg(w - right)
                   .arg(py(y), 0, 'f', 1)
                   .arg(left - 4)
                   .arg(py(y) + 4, 0, 'f', 1)
                   .arg(QString::number(y, 'g', 3));
    }
    svg += QStringLiteral("<text x='%1' y='%2' text-anchor='middle'>cycle %3 – %4</text>")
               .arg((left + w - right) / 2)
               .arg(h - 8)
               .arg(x0)
               .arg(x1);
    if (!points.empty()) {
        QString path;
        for (std::size_t i = 0; i < points.size(); ++i)
            path += QStringLiteral("%1%2,%3 ")
                        .arg(i == 0 ? QStringLiteral("M") : QStringLiteral("L"))
                        .arg(px(points[i].cycle), 0, 'f', 1)
                        .arg(py(points[i].value), 0, 'f', 1);
        svg += QStringLiteral("<path d='%1' fill='none' stroke='#1f77b4' stroke-width='1.5'/>")
                   .arg(path.trimmed());
    } else {
        svg += QStringLiteral("<text x='%1' y='%2' text-anchor='middle' fill='#888'>no cycles "
                              "yet</text>")
                   .arg(w / 2)
                   .arg(h / 2);
    }
    svg += QStringLiteral("</svg>");
    return svg;
}

QString EvolutionMonitor::toHtml(const RunStatus &s)
{
    // The Markdown table, as HTML, then the charts.
    QString html = QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
                                  "Training run %1</title><style>body{font-family:sans-serif;"
                                  "max-width:720px;margin:2em auto}table{border-collapse:collapse}"
                                  "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                                  "</style></head><body>")
                       .arg(s.runId.toHtmlEscaped());
    html += QStringLiteral("<h1>Training run %1</h1><table>")
                .arg((s.name.isEmpty() ? s.runId : s.name).toHtmlEscaped());
    const auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>")
                    .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
    };
    for (const auto &[k, v] : measureRows(s))
        row(k, v);
    html += QStringLiteral("</table>");
    html +=
        QStringLiteral("<h2>Charts</h2><p>") +
        svgLineChart(QStringLiteral("Best quality so far (validation)"), s.bestSeries, 0.0, 1.0) +
        QStringLiteral("</p><p>") + svgLineChart(QStringLiteral("LLM calls spent"), s.callsSeries) +
        QStringLiteral("</p><p>") +
        svgLineChart(QStringLiteral("Children accepted (last %1 cycles)").arg(kRecent),
                     s.acceptSeries, 0.0, 1.0) +
        QStringLiteral("</p><p>") +
        svgLineChart(QStringLiteral("Tried each cycle: mean score"), s.childSeries, 0.0, 1.0) +
        QStringLiteral("</p><p>") +
        svgLineChart(QStringLiteral("Tried each cycle: novelty (judge)"), s.noveltySeries, 0.0,
                     1.0) +
        QStringLiteral("</p><p>") +
        svgLineChart(
            QStringLiteral("Tried each cycle: success rate (score ≥ %1)").arg(kSuccessScore),
            s.successSeries, 0.0, 1.0) +
        QStringLiteral("</p><p>") +
        svgLineChart(QStringLiteral("Throughput (calls per minute, last 5 cycles)"),
                     s.throughputSeries) +
        QStringLiteral("</p>");
    if (!s.testReport.is_null())
        html += QStringLiteral("<h2>Held-out test</h2><pre>%1</pre>")
                    .arg(QString::fromStdString(s.testReport.dump(2)).toHtmlEscaped());
    html += QStringLiteral("<h2>Recommendations</h2><ul>");
    for (const QString &r : s.recommendations)
        html += QStringLiteral("<li>%1</li>").arg(r.toHtmlEscaped());
    html += QStringLiteral("</ul>");
    if (s.summary.is_object())
        html += QStringLiteral("<h2>Summary</h2>") + summaryHtml(s);
    html += QStringLiteral("</body></html>\n");
    return html;
}

} // namespace crucible::evolve
