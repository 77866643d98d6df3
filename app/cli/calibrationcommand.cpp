// `crucible-cli calibration WS [--aspect A] [--window N] [--json]`: how far each judge agrees
// with the human ratings, per aspect: quadratic-weighted κ and Spearman ρ with bootstrap 95 %
// intervals and n, agreement over time, the weight the judge gets, the held-out effect of
// calibration examples, and the judge jobs use when none is named (chooseJudge).

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/evaluate/rubric.h"
#include "core/feedback/judgecalibration.h"
#include "core/feedback/judgechoice.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

namespace crucible::cli {

namespace {

QString estimate(const agreement::AgreementEstimate &e)
{
    if (e.n == 0)
        return QStringLiteral("–");
    if (e.n < 2)
        return QStringLiteral("n=1");
    return QStringLiteral("%1 [%2, %3]")
        .arg(e.value, 0, 'f', 2)
        .arg(e.low, 0, 'f', 2)
        .arg(e.high, 0, 'f', 2);
}

class CalibrationCommand final : public Command
{
public:
    const char *name() const override { return "calibration"; }
    const char *description() const override
    {
        return "Judge–human agreement per aspect and judge (κ, Spearman, 95 % intervals), over "
               "time, judge weights, held-out effect of calibration examples, and the judge "
               "used when none is named";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("--aspect", m_aspect, "Only this aspect (e.g. correctness)");
        app.add_option("--window", m_window,
                       "Ratings per point of the over-time series (default 20)")
            ->check(CLI::Range(2, 10000));
        app.add_option("--bootstrap", m_bootstrap, "Bootstrap resamples (default 1000)")
            ->check(CLI::Range(50, 100000));
    }

    int execute(Console &console) override
    {
        const QString path = fromStd(m_workspace);
        auto ws = Workspace::open(path, Workspace::Mode::ReadOnly);
        CalibrationOptions options;
        options.aspect = fromStd(m_aspect).trimmed().toLower();
        if (!options.aspect.isEmpty()) {
            QStringList parsed;
            if (const auto error = Rubric::parseAspects(options.aspect, parsed))
                throw CliError(QStringLiteral("--aspect: %1").arg(*error));
        }
        options.window = m_window;
        options.resamples = m_bootstrap;
        const CalibrationReport report = JudgeCalibration(*ws).report(options);
        // The judge jobs use when none is named, by this calibration.
        JudgeChoiceOptions choiceOptions;
        if (!options.aspect.isEmpty())
            choiceOptions.aspects = {options.aspect};
        const std::optional<JudgeChoice> choice = chooseJudge(*ws, choiceOptions);
        if (console.json()) {
            nlohmann::json j = report.toJson();
            j["default_judge"] = choice ? choice->toJson() : nlohmann::json(nullptr);
            console.printJson(j);
            return 0;
        }
        QTextStream &out = console.out();
        if (report.rows.empty()) {
            out << QStringLiteral("No judge–human pairs in %1%2: %3 human rating(s), and no judge "
                                  "verdict on a rated solution.\n")
                       .arg(path, options.aspect.isEmpty()
                                      ? QString()
                                      : QStringLiteral(" for %1").arg(options.aspect))
                       .arg(report.ratings);
            out << "Rate solutions from the inbox (crucible-cli inbox " << path
                << " list) or the solution review, then look again.\n";
            return 0;
        }
        out << QStringLiteral("%1 human rating(s). κ: quadratic-weighted Cohen's kappa of the "
                              "judge's score (as 1..5) against the person's rating; ρ: Spearman; "
                              "[95 % bootstrap interval]\n\n")
                   .arg(report.ratings);
        out << cell(QStringLiteral("aspect"), 14) << "  " << cell(QStringLiteral("judge"), 24)
            << "  " << QStringLiteral("n").rightJustified(4) << "  "
            << cell(QStringLiteral("κ"), 19) << "  " << cell(QStringLiteral("ρ"), 19)
            << "  weight  held-out κ before → after\n";
        for (const JudgeAspectCalibration &r : report.rows) {
            out << cell(r.aspect, 14) << "  " << cell(r.judgeName, 24) << "  "
                << QString::number(r.kappa.n).rightJustified(4) << "  "
                << cell(estimate(r.kappa), 19) << "  " << cell(estimate(r.spearman), 19) << "  "
                << QString::number(r.weight, 'f', 2).rightJustified(6) << "  "
                << estimate(r.heldOutBefore) << " (n=" << r.heldOutBefore.n << ") → "
                << estimate(r.heldOutAfter) << " (n=" << r.heldOutAfter.n << ")\n";
            if (r.overTime.size() > 1) {
                QStringList points;
                for (const CalibrationPoint &p : r.overTime)
                    points << QStringLiteral("%1 (n=%2)").arg(p.kappa, 0, 'f', 2).arg(p.n);
                out << "    over time: " << points.join(QStringLiteral(", ")) << '\n';
            }
            if (r.kappa.n < 30)
                out << QStringLiteral("    only %1 rating(s): a κ from fewer than 30 is noise\n")
                           .arg(r.kappa.n);
        }
        if (choice)
            out << QStringLiteral("\nJudge used when none is named: %1\n").arg(choice->describe());
        return 0;
    }

private:
    std::string m_workspace, m_aspect;
    int m_window = 20;
    int m_bootstrap = 1000;
};

} // namespace

std::unique_ptr<Command> makeCalibrationCommand()
{
    return std::make_unique<CalibrationCommand>();
}

} // namespace crucible::cli
