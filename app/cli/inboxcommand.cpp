// `crucible-cli inbox WS list | show ID | answer ID ... | snooze ID | dismiss ID | undo ID |
// raise | settings`: the feedback inbox from a terminal. Questions come from stored verdicts and
// comparisons (`raise`), are shown as a digest ranked by expected value, and answers are reused
// (human judgments, rubric versions, questions resolved automatically).

#include "app/cli/clierror.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "core/feedback/feedbackcollector.h"
#include "core/feedback/questionraiser.h"
#include "core/model/jsonsupport.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>

#include <QRegularExpression>

namespace crucible::cli {

namespace {

using nlohmann::json;

QString num(double v)
{
    return QString::number(v, 'f', 2);
}

// "now", "+3d", "+8h", "+30m" or an ISO 8601 time; invalid → an invalid QDateTime.
QDateTime parseUntil(const QString &text, const QDateTime &now)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("now"), Qt::CaseInsensitive) == 0)
        return now;
    static const QRegularExpression relative(QStringLiteral("^\\+(\\d{1,5})([dhm])$"));
    if (const auto m = relative.match(t); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        return now.addSecs(n * (unit == u'd' ? 86400 : unit == u'h' ? 3600 : 60));
    }
    QDateTime at = QDateTime::fromString(t, Qt::ISODate);
    if (at.isValid() && at.timeSpec() == Qt::LocalTime && !t.endsWith(u'Z'))
        at.setTimeSpec(Qt::UTC);
    return at;
}

class InboxCommand final : public Command
{
public:
    const char *name() const override { return "inbox"; }
    const char *description() const override
    {
        return "Feedback inbox: the few questions worth a person's answer (list, show, answer, "
               "snooze, dismiss, undo, raise, settings)";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)");
        app.require_subcommand(0, 1);
        const auto sub = [&app](const char *name, const char *help) {
            return addAction(app, name, help);
        };
        m_list = sub("list", "The current digest, by expected value (the default)");
        m_list->add_flag("--all", m_all, "Every open question, not just the digest");
        m_list->add_flag("--history", m_history,
                         "Answered, resolved and dismissed questions with what each answer did");
        m_list->add_flag("--new-digest", m_newDigest,
                         "Start a new digest now instead of waiting for the cadence");
        m_show = sub("show", "A question with its context: problem, solutions, judges, rubric");
        m_show->add_option("id", m_id, "Question id (fbq_…)")->required();
        m_answer = sub("answer", "Answer a question");
        m_answer->add_option("id", m_id, "Question id (fbq_…)")->required();
        m_answer->add_option("--rating", m_ratings,
                             "ASPECT=1..5, one per aspect (e.g. --rating correctness=4)");
        m_answer->add_option("--choice", m_choice, "A, B or tie");
        m_answer->add_flag("--yes", m_yes, "Yes");
        m_answer->add_flag("--no", m_no, "No");
        m_answer->add_option("--text", m_text,
                             "Free text (a rubric gap's criterion, or a note with a rating)");
        m_answer->add_option("--rater", m_rater, "Who answers (default: the one local person)");
        m_snooze = sub("snooze", "Hide a question until a time");
        m_snooze->add_option("id", m_id, "Question id")->required();
        m_snooze->add_option("--until", m_until,
                             "now, +3d, +8h, +30m or 2026-12-24T09:00:00Z (default +1d)");
        m_dismiss = sub("dismiss", "Drop a question without answering it");
        m_dismiss->add_option("id", m_id, "Question id")->required();
        m_undo = sub("undo", "Revert an answer and everything it did");
        m_undo->add_option("id", m_id, "Answer id (fba_…) or its question's id")->required();
        m_raise = sub("raise", "Raise questions from stored verdicts and comparisons");
        m_raise->add_option("--job", m_job, "Only this job's (evaluate, tournament, training)");
        m_raise->add_option("--problem", m_problem, "Only this problem's solutions");
        m_settings = sub("settings", "Digest size, cadence and the thresholds questions use");
        m_digestSizeOpt =
            m_settings->add_option("--digest-size", m_digestSize, "Questions per digest (1..100)");
        m_cadenceOpt = m_settings->add_option(
            "--cadence", m_cadence, "Minutes between digests (0: a new digest every time)");
        m_acceptOpt = m_settings->add_option("--accept-threshold", m_accept,
                                             "Overall score a solution is accepted at (0..1)");
        m_marginOpt = m_settings->add_option("--boundary-margin", m_margin,
                                             "How close to the threshold asks (0..0.5)");
        m_spreadOpt = m_settings->add_option("--disagree-spread", m_spread,
                                             "Judges' score spread that asks (0..1)");
        m_confidenceOpt = m_settings->add_option("--low-confidence", m_confidence,
                                                 "Judge confidence below which it asks (0..1)");
    }

    int execute(Console &console) override
    {
        if (m_workspace.empty())
            throw CliError(QStringLiteral("no workspace given"),
                           QStringLiteral("crucible-cli inbox WORKSPACE list; see crucible-cli "
                                          "inbox --help"));
        m_wsPath = fromStd(m_workspace);
        auto ws = Workspace::open(m_wsPath, Workspace::Mode::ReadWrite);
        FeedbackCollector inbox(*ws);
        try {
            if (m_show->parsed())
                return show(console, inbox);
            if (m_answer->parsed())
                return answer(console, inbox);
            if (m_snooze->parsed())
                return snooze(console, inbox);
            if (m_dismiss->parsed()) {
                inbox.dismiss(fromStd(m_id));
                return done(console, QStringLiteral("dismissed %1").arg(fromStd(m_id)));
            }
            if (m_undo->parsed())
                return undo(console, inbox);
            if (m_raise->parsed())
                return raise(console, *ws);
            if (m_settings->parsed())
                return settings(console, *ws, inbox);
            return list(console, inbox);
        } catch (const FeedbackError &e) {
            QString hint;
            if (e.kind() == FeedbackError::Kind::NotFound)
                hint = QStringLiteral("crucible-cli inbox %1 list --all").arg(m_wsPath);
            else if (e.kind() == FeedbackError::Kind::NotOpen)
                hint = QStringLiteral("crucible-cli inbox %1 list --history").arg(m_wsPath);
            else
                hint = QStringLiteral("crucible-cli inbox %1 show %2").arg(m_wsPath, fromStd(m_id));
            throw CliError(e.message(), hint);
        }
    }

private:
    int done(Console &console, const QString &what) const
    {
        if (console.json())
            console.printJson({{"ok", true}, {"message", what.toStdString()}});
        else
            console.out() << what << '\n';
        return 0;
    }

    void printRow(QTextStream &out, int rank, const FeedbackQuestion &q, int width) const
    {
        out << QString::number(rank).rightJustified(3) << "  " << cell(q.id, 20) << "  "
            << cell(toString(q.kind), 14) << "  " << num(q.expectedValue).rightJustified(5) << "  "
            << preview(q.question, std::max(60, width - 50)) << '\n';
    }

    int list(Console &console, FeedbackCollector &inbox) const
    {
        const QDateTime now = jsonio::nowUtc();
        if (m_history) {
            std::map<QString, FeedbackAnswer> answers;
            for (FeedbackAnswer &a : inbox.answers())
                answers.emplace(a.id, std::move(a));
            const auto history = inbox.history();
            if (console.json()) {
                json list = json::array();
                for (const FeedbackQuestion &q : history) {
                    json item = q.toJson();
                    if (const auto it = answers.find(q.answerId); it != answers.end())
                        item["answer"] = it->second.toJson();
                    list.push_back(item);
                }
                json undone = json::array();
                for (const auto &[id, a] : answers)
                    if (a.undone)
                        undone.push_back(a.toJson());
                console.printJson({{"history", list}, {"undone_answers", undone}});
                return 0;
            }
            QTextStream &out = console.out();
            if (history.empty())
                out << "nothing answered, resolved or dismissed yet in " << m_wsPath << '\n';
            for (const FeedbackQuestion &q : history) {
                out << cell(q.id, 20) << "  " << cell(toString(q.status), 9) << "  "
                    << jsonio::formatTimestamp(q.updatedAt) << "  "
                    << preview(q.question, std::max(30, console.width() - 60)) << '\n';
                if (const auto it = answers.find(q.answerId); it != answers.end())
                    out << "      answer " << it->first << ": " << it->second.value.describe()
                        << effectsText(it->second.effects) << '\n';
                if (!q.resolvedBy.isEmpty())
                    out << "      resolved by answer " << q.resolvedBy << '\n';
            }
            return 0;
        }
        std::vector<FeedbackQuestion> questions;
        DigestView digest;
        if (m_all) {
            questions = inbox.open(now);
        } else {
            digest = inbox.digest(now, m_newDigest);
            questions = digest.questions;
        }
        if (console.json()) {
            json list = json::array();
            for (const FeedbackQuestion &q : questions)
                list.push_back(q.toJson());
            json out = {{"questions", list}};
            if (!m_all)
                out["digest"] = {
                    {"created_at", jsonio::formatTimestamp(digest.createdAt).toStdString()},
                    {"next_at", jsonio::formatTimestamp(digest.nextAt).toStdString()},
                    {"open", digest.open},
                    {"fresh", digest.fresh}};
            console.printJson(out);
            return 0;
        }
        QTextStream &out = console.out();
        if (m_all)
            out << QStringLiteral("%1 open question(s), by expected value\n").arg(questions.size());
        else
            out << QStringLiteral("Digest of %1 (next due %2): %3 of %4 open question(s), by "
                                  "expected value\n")
                       .arg(jsonio::formatTimestamp(digest.createdAt),
                            jsonio::formatTimestamp(digest.nextAt))
                       .arg(questions.size())
                       .arg(digest.open);
        if (questions.empty()) {
            out << "Nothing to answer. Raise questions after an evaluation with: crucible-cli "
                   "inbox "
                << m_wsPath << " raise\n";
            return 0;
        }
        out << "  #  " << cell(QStringLiteral("id"), 20) << "  " << cell(QStringLiteral("kind"), 14)
            << "  " << QStringLiteral("EV").rightJustified(5) << "  question\n";
        int rank = 0;
        for (const FeedbackQuestion &q : questions)
            printRow(out, ++rank, q, console.width());
        return 0;
    }

    static QString effectsText(const json &effects)
    {
        QStringList parts;
        const auto judgments = effects.value("judgments", json::array());
        if (!judgments.empty())
            parts << QStringLiteral("%1 human rating(s) stored").arg(judgments.size());
        if (effects.contains("rubric"))
            parts << QStringLiteral("rubric %1 → %2")
                         .arg(QString::fromStdString(effects["rubric"].value("from_version", "")),
                              QString::fromStdString(effects["rubric"].value("to_version", "")));
        if (const auto p = effects.find("preference"); p != effects.end() && p->contains("pair_id"))
            parts << QStringLiteral("human preference pair %1: %2 over %3")
                         .arg(QString::fromStdString(p->value("pair_id", "")),
                              QString::fromStdString(p->value("chosen_solution_id", "")),
                              QString::fromStdString(p->value("rejected_solution_id", "")));
        const auto resolved = effects.value("resolved", json::array());
        if (!resolved.empty()) {
            QStringList ids;
            for (const auto &r : resolved)
                ids << QString::fromStdString(r.value("id", ""));
            parts << QStringLiteral("resolved %1").arg(ids.join(QStringLiteral(", ")));
        }
        return parts.isEmpty()
                   ? QString()
                   : QString(QStringLiteral(" (") + parts.join(QStringLiteral("; ")) + u')');
    }

    int show(Console &console, FeedbackCollector &inbox) const
    {
        const FeedbackQuestion q = inbox.question(fromStd(m_id));
        if (console.json()) {
            console.printJson(q.toJson());
            return 0;
        }
        QTextStream &out = console.out();
        const int width = console.width();
        out << q.id << "  " << toString(q.kind) << ", " << toString(q.status);
        if (q.status == QuestionStatus::Snoozed)
            out << " until " << jsonio::formatTimestamp(q.snoozedUntil);
        out << "\n" << wrap(q.question, width, 0) << "\n";
        out << QStringLiteral("Expected value %1 = uncertainty %2 × impact %3\n")
                   .arg(num(q.expectedValue), num(q.uncertainty), num(q.impact));
        const json &c = q.context;
        if (c.contains("problem"))
            out << "\nProblem " << QString::fromStdString(c["problem"].value("id", "")) << ": "
                << wrap(QString::fromStdString(c["problem"].value("statement", "")), width, 2)
                << '\n';
        for (const auto &s : c.value("solutions", json::array()))
            out << "\nSolution " << QString::fromStdString(s.value("id", "")) << ":\n  "
                << wrap(QString::fromStdString(s.value("excerpt", "")), width, 2) << '\n';
        for (const auto &j : c.value("judges", json::array())) {
            out << "\nJudge " << QString::fromStdString(j.value("judge", "")) << " ("
                << QString::fromStdString(j.value("judge_version_id", "")) << "): overall "
                << num(j.value("overall", 0.0)) << ", confidence "
                << num(j.value("confidence", 0.0)) << '\n';
            // A named copy: items() of a temporary would dangle in the range-for.
            const json scores = j.value("scores", json::object());
            for (const auto &[aspect, s] : scores.items())
                out << "  " << QString::fromStdString(aspect) << " " << num(s.value("score", 0.0))
                    << ": " << preview(QString::fromStdString(s.value("rationale", "")), width - 20)
                    << '\n';
        }
        if (c.contains("rubric_item"))
            out << "\nRubric item " << QString::fromStdString(c["rubric_item"].value("aspect", ""))
                << ": " << QString::fromStdString(c["rubric_item"].value("description", ""))
                << '\n';
        if (c.contains("judge_rationale"))
            out << "A judge said: "
                << QString::fromStdString(c["judge_rationale"].get<std::string>()) << '\n';
        out << "\nAnswer with: crucible-cli inbox " << m_wsPath << " answer " << q.id << ' ';
        switch (q.answerType) {
        case AnswerType::Rating: {
            QStringList r;
            for (const QString &a : q.ratedAspects())
                r << QStringLiteral("--rating %1=N").arg(a);
            out << r.join(u' ') << "   (N = 1 poor … 5 excellent)\n";
            break;
        }
        case AnswerType::Choice:
            out << "--choice A|B|tie\n";
            break;
        case AnswerType::YesNo:
            out << "--yes | --no\n";
            break;
        case AnswerType::Text:
            out << "--text \"…\"\n";
            break;
        }
        return 0;
    }

    AnswerValue parseAnswer(const FeedbackQuestion &q) const
    {
        int given =
            (m_ratings.empty() ? 0 : 1) + (m_choice.empty() ? 0 : 1) + ((m_yes || m_no) ? 1 : 0);
        if (m_yes && m_no)
            throw CliError(QStringLiteral("both --yes and --no given for %1").arg(q.id),
                           QStringLiteral("give one of them"));
        if (given == 0 && m_text.empty())
            throw CliError(QStringLiteral("no answer given for %1").arg(q.id),
                           QStringLiteral("give --rating ASPECT=1..5, --choice A|B|tie, --yes, "
                                          "--no or --text; see: crucible-cli inbox %1 show %2")
                               .arg(m_wsPath, q.id));
        if (given > 1)
            throw CliError(QStringLiteral("more than one kind of answer given for %1").arg(q.id),
                           QStringLiteral("give --rating, --choice or --yes/--no (with an optional "
                                          "--text note)"));
        AnswerValue v;
        v.text = fromStd(m_text);
        if (!m_ratings.empty()) {
            v.type = AnswerType::Rating;
            for (const std::string &r : m_ratings) {
                const QString s = fromStd(r);
                const qsizetype eq = s.indexOf(u'=');
                bool ok = false;
                const int value = eq > 0 ? s.mid(eq + 1).trimmed().toInt(&ok) : 0;
                if (!ok)
                    throw CliError(QStringLiteral("--rating %1 is not ASPECT=N").arg(s),
                                   QStringLiteral("e.g. --rating correctness=4 (N from 1 to 5)"));
                v.ratings[s.left(eq).trimmed().toLower()] = value;
            }
        } else if (!m_choice.empty()) {
            v.type = AnswerType::Choice;
            v.choice = fromStd(m_choice).trimmed().toLower();
        } else if (m_yes || m_no) {
            v.type = AnswerType::YesNo;
            v.yes = m_yes;
        } else {
            v.type = AnswerType::Text;
        }
        return v;
    }

    int answer(Console &console, FeedbackCollector &inbox) const
    {
        const FeedbackQuestion q = inbox.question(fromStd(m_id));
        const FeedbackAnswer a = inbox.answer(q.id, parseAnswer(q), fromStd(m_rater));
        if (console.json()) {
            console.printJson(a.toJson());
            return 0;
        }
        console.out() << QStringLiteral("answered %1 with %2 (answer %3)%4\n")
                             .arg(q.id, a.value.describe(), a.id, effectsText(a.effects));
        for (const auto &r : a.effects.value("resolved", json::array()))
            console.out() << "  resolved " << QString::fromStdString(r.value("id", "")) << ": "
                          << QString::fromStdString(r.value("reason", "")) << '\n';
        return 0;
    }

    int snooze(Console &console, FeedbackCollector &inbox) const
    {
        const QDateTime now = jsonio::nowUtc();
        const QString text = m_until.empty() ? QStringLiteral("+1d") : fromStd(m_until);
        const QDateTime until = parseUntil(text, now);
        if (!until.isValid())
            throw CliError(QStringLiteral("--until %1 is not a time").arg(text),
                           QStringLiteral("give now, +3d, +8h, +30m or 2026-12-24T09:00:00Z"));
        inbox.snooze(fromStd(m_id), until, now);
        return done(console, until <= now
                                 ? QStringLiteral("%1 is pending again").arg(fromStd(m_id))
                                 : QStringLiteral("snoozed %1 until %2")
                                       .arg(fromStd(m_id), jsonio::formatTimestamp(until)));
    }

    int undo(Console &console, FeedbackCollector &inbox) const
    {
        const FeedbackAnswer a = inbox.undo(fromStd(m_id));
        const json &e = a.effects;
        const QString what =
            QStringLiteral("undid answer %1 to %2: %3 rating(s) reverted, %4 question(s) "
                           "reopened%5%6; %2 is pending again")
                .arg(a.id, a.questionId)
                .arg(e.value("judgments", json::array()).size())
                .arg(e.value("resolved", json::array()).size())
                .arg(e.contains("rubric") ? QStringLiteral(", rubric criterion removed")
                                          : QString())
                .arg(e.value("preference", json::object()).contains("pair_id")
                         ? QStringLiteral(", human preference pair removed")
                         : QString());
        return done(console, what);
    }

    int raise(Console &console, Workspace &ws) const
    {
        FeedbackStore store(ws);
        RaiseOptions options = RaiseOptions::load(store);
        options.consensus = JudgeConsensus::fromWorkspace(ws);
        QuestionRaiser raiser(ws, options);
        RaiseReport report;
        if (!m_job.empty())
            report = raiser.fromJob(fromStd(m_job));
        else if (!m_problem.empty())
            report = raiser.fromProblem(fromStd(m_problem));
        else
            report = raiser.fromWorkspace();
        if (console.json()) {
            console.printJson(report.toJson());
            return 0;
        }
        QStringList kinds;
        for (const auto &[k, n] : report.byKind)
            kinds << QStringLiteral("%1 %2").arg(n).arg(k);
        console.out() << QStringLiteral("scanned %1 solution(s): %2 question(s) worth asking, %3 "
                                        "new%4, %5 already in the inbox\n")
                             .arg(report.solutions)
                             .arg(report.candidates)
                             .arg(report.raised)
                             .arg(kinds.isEmpty() ? QString()
                                                  : QStringLiteral(" (%1)").arg(
                                                        kinds.join(QStringLiteral(", "))))
                             .arg(report.refreshed);
        if (report.raised > 0)
            console.out() << "see them with: crucible-cli inbox " << m_wsPath << " list\n";
        return 0;
    }

    int settings(Console &console, Workspace &ws, FeedbackCollector &inbox) const
    {
        FeedbackStore store(ws);
        RaiseOptions o = RaiseOptions::load(store);
        auto unit = [](const char *option, double v, double hi) {
            if (!(v >= 0 && v <= hi))
                throw CliError(
                    QStringLiteral("%1 %2 is out of range").arg(QLatin1String(option)).arg(v),
                    QStringLiteral("give a number from 0 to %1").arg(hi));
            return v;
        };
        if (m_digestSizeOpt->count() > 0)
            inbox.setDigestSize(m_digestSize);
        if (m_cadenceOpt->count() > 0)
            inbox.setCadenceMinutes(m_cadence);
        if (m_acceptOpt->count() > 0)
            o.acceptThreshold = unit("--accept-threshold", m_accept, 1);
        if (m_marginOpt->count() > 0)
            o.boundaryMargin = unit("--boundary-margin", m_margin, 0.5);
        if (m_spreadOpt->count() > 0)
            o.disagreeSpread = unit("--disagree-spread", m_spread, 1);
        if (m_confidenceOpt->count() > 0)
            o.lowConfidence = unit("--low-confidence", m_confidence, 1);
        o.save(store);
        const json out = {
            {"digest_size", inbox.digestSize()},     {"cadence_minutes", inbox.cadenceMinutes()},
            {"accept_threshold", o.acceptThreshold}, {"boundary_margin", o.boundaryMargin},
            {"disagree_spread", o.disagreeSpread},   {"low_confidence", o.lowConfidence}};
        if (console.json()) {
            console.printJson(out);
            return 0;
        }
        for (const auto &[k, v] : out.items())
            console.out() << QString::fromStdString(k) << " = " << QString::fromStdString(v.dump())
                          << '\n';
        return 0;
    }

    std::string m_workspace, m_id, m_choice, m_text, m_rater, m_until, m_job, m_problem;
    std::vector<std::string> m_ratings;
    bool m_all = false, m_history = false, m_newDigest = false, m_yes = false, m_no = false;
    int m_digestSize = 0, m_cadence = 0;
    double m_accept = 0, m_margin = 0, m_spread = 0, m_confidence = 0;
    CLI::Option *m_digestSizeOpt = nullptr, *m_cadenceOpt = nullptr, *m_acceptOpt = nullptr,
                *m_marginOpt = nullptr, *m_spreadOpt = nullptr, *m_confidenceOpt = nullptr;
    QString m_wsPath;
    CLI::App *m_list = nullptr, *m_show = nullptr, *m_answer = nullptr, *m_snooze = nullptr,
             *m_dismiss = nullptr, *m_undo = nullptr, *m_raise = nullptr, *m_settings = nullptr;
};

} // namespace

std::unique_ptr<Command> makeInboxCommand()
{
    return std::make_unique<InboxCommand>();
}

} // namespace crucible::cli
