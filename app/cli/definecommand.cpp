// `crucible-cli define WS --domain D "rough statement" [--answers FILE] [--session ID] [--list]`:
// the problem definition session (DefinitionSession) in a terminal. Interactive: each batch of
// questions is printed with why it matters and numbered suggestions; type a number to pick one,
// your own words, Enter to skip, or ? for "you decide". Scripted (--answers FILE): a JSON object
// from question id ("q1.2") to an answer (text, a suggestion's number, "?" for you decide, null
// to skip), with "*" as the answer to every question not named (default "?"). Either way the
// changes of the draft are shown after every batch; when the answers stop changing it, the
// draft becomes a problem with its rubric and test cases.

#include "app/cli/clierror.h"
#include "app/cli/clirunner.h"
#include "app/cli/command.h"
#include "app/cli/commandsupport.h"
#include "app/cli/llmcontext.h"
#include "core/feedback/definitionsession.h"
#include "core/store/workspace.h"

#include <CLI/CLI.hpp>
#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace crucible::cli {

namespace {

using nlohmann::json;

class DefineCommand final : public Command
{
public:
    const char *name() const override { return "define"; }
    const char *description() const override
    {
        return "Define a problem with the LLM's clarifying questions: a rubric-backed problem "
               "from a rough statement";
    }

    void configure(CLI::App &app) override
    {
        app.add_option("workspace", m_workspace, "Workspace file (*.crucible)")->required();
        app.add_option("statement", m_statement, "The rough problem statement");
        app.add_option("--domain", m_domain, "The domain the problem comes from");
        app.add_option("--answers", m_answers,
                       "Scripted answers: JSON {question id: answer text | suggestion number | "
                       "\"?\" (you decide) | null (skip), \"*\": answer to the others}");
        app.add_option("--session", m_session, "Continue this session (def_…)");
        app.add_flag("--list", m_list, "List the definition sessions and their state");
        m_args.addTo(app, false);
    }

    int execute(Console &console) override
    {
        if (m_list)
            return list(console);
        ProviderArgs args = m_args;
        args.workspace = m_workspace;
        json script;
        if (!m_answers.empty()) {
            QFile f(fromStd(m_answers));
            if (!f.open(QIODevice::ReadOnly))
                throw CliError(
                    QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()),
                    QStringLiteral("pass a readable JSON file with --answers"));
            script = json::parse(f.readAll().toStdString(), nullptr, false);
            if (!script.is_object())
                throw CliError(QStringLiteral("%1 is not a JSON object").arg(f.fileName()),
                               QStringLiteral("write {\"q1.1\": \"answer\", \"*\": \"?\"}"));
        } else if (!::isatty(STDIN_FILENO)) {
            throw CliError(QStringLiteral("define asks questions, and standard input is not a "
                                          "terminal"),
                           QStringLiteral("run it in a terminal, or script the answers with "
                                          "--answers FILE"));
        }
        LlmContext ctx = runTask(resolveLlmContext(args, true));
        if (!ctx.note.isEmpty())
            console.warning(ctx.note);
        Workspace &ws = *ctx.workspace;
        const PromptTemplates templates;
        DefinitionSession session(ws, *ctx.client, templates, ctx.config.id,
                                  ctx.config.defaultModel);
        QString id = fromStd(m_session);
        try {
            if (id.isEmpty()) {
                if (m_domain.empty() || m_statement.empty())
                    throw CliError(QStringLiteral("a new session needs --domain and a statement"),
                                   QStringLiteral("crucible-cli define WS --domain \"clinic "
                                                  "scheduling\" \"rough statement\""));
                id = session.start(fromStd(m_domain), fromStd(m_statement));
                if (!console.json())
                    console.err() << QStringLiteral("definition session %1\n").arg(id);
            }
            json rounds = json::array();
            for (int guard = 0; guard < DefinitionSession::kMaxRounds + 1; ++guard) {
                auto record = DefinitionSession::load(ws, id);
                if (!record)
                    throw CliError(
                        QStringLiteral("no definition session %1 in %2").arg(id, ws.path()),
                        QStringLiteral("list them with `crucible-cli define WS "
                                       "--list`"));
                if (record->status == u"ready" || record->status == u"finished")
                    break;
                if (!record->openRound()) {
                    runTask(session.askNext(id));
                    record = DefinitionSession::load(ws, id);
                    if (!record->openRound())
                        throw CliError(QString::fromStdString(record->doc.value(
                                           "error", std::string("no questions came"))),
                                       QStringLiteral("continue with `crucible-cli define WS "
                                                      "--session %1`")
                                           .arg(id));
                }
                const auto answers = ask(console, *record->openRound(), script);
                const QStringList changed = runTask(session.answer(id, answers));
                record = DefinitionSession::load(ws, id);
                if (record->doc.contains("error"))
                    throw CliError(QString::fromStdString(record->doc["error"].get<std::string>()),
                                   QStringLiteral("continue with `crucible-cli define WS "
                                                  "--session %1`")
                                       .arg(id));
                rounds.push_back({{"round", record->rounds()}, {"changes", changed}});
                if (!console.json()) {
                    QTextStream &out = console.out();
                    out << (changed.isEmpty()
                                ? QStringLiteral("The answers did not change the draft: it is "
                                                 "ready.\n")
                                : QStringLiteral("The draft changed:\n"));
                    for (const QString &c : changed)
                        out << "  " << c << '\n';
                    out.flush();
                }
            }
            const QString problemId = session.finish(id);
            const auto record = DefinitionSession::load(ws, id);
            if (console.json()) {
                console.printJson({{"session_id", id.toStdString()},
                                   {"problem_id", problemId.toStdString()},
                                   {"rounds", rounds},
                                   {"draft", record->draft()}});
            } else {
                QTextStream &out = console.out();
                out << QStringLiteral("problem %1 (%2 rounds of questions):\n")
                           .arg(problemId)
                           .arg(record->rounds());
                out << QString::fromStdString(
                           record->draft().value("problem_statement", std::string()))
                    << "\n";
                out << QStringLiteral("rubric: %1 aspects, %2 test cases\n")
                           .arg(record->draft().value("rubric", json::array()).size())
                           .arg(record->draft().value("test_cases", json::array()).size());
            }
            return ExitOk;
        } catch (const DefinitionError &e) {
            throw CliError(e.message(), QStringLiteral("nothing else was changed; fix it and "
                                                       "continue with --session %1")
                                            .arg(id));
        }
    }

private:
    static std::map<QString, DefinitionAnswer> ask(Console &console, const json &round,
                                                   const json &script)
    {
        std::map<QString, DefinitionAnswer> out;
        const bool interactive = script.is_null();
        QTextStream in(stdin);
        for (const json &q : round.value("questions", json::array())) {
            const QString id = QString::fromStdString(q.value("id", std::string()));
            const json suggestions = q.value("suggestions", json::array());
            json value;
            if (interactive) {
                QTextStream &err = console.err();
                err << QStringLiteral("\n%1  %2\n    (why: %3)\n")
                           .arg(id, QString::fromStdString(q.value("question", std::string())),
                                QString::fromStdString(q.value("why", std::string())));
                int n = 0;
                for (const json &s : suggestions)
                    err << QStringLiteral("    %1) %2\n")
                               .arg(++n)
                               .arg(QString::fromStdString(s.get<std::string>()));
                err << "  number, your answer, Enter to skip, ? for you decide > " << Qt::flush;
                const QString line = in.readLine().trimmed();
                value = line.isEmpty() ? json(nullptr) : json(line.toStdString());
            } else {
                value = script.contains(id.toStdString()) ? script[id.toStdString()]
                                                          : script.value("*", json("?"));
            }
            if (value.is_null())
                out[id] = DefinitionAnswer::skip();
            else if (value.is_string() && value.get<std::string>() == "?")
                out[id] = DefinitionAnswer::youDecide();
            else if (value.is_number_integer() ||
                     (value.is_string() && !value.get<std::string>().empty() &&
                      std::all_of(value.get<std::string>().begin(), value.get<std::string>().end(),
                                  ::isdigit))) {
                const int k = value.is_number_integer() ? value.get<int>()
                                                        : std::stoi(value.get<std::string>());
                if (k < 1 || k > static_cast<int>(suggestions.size()))
                    throw CliError(QStringLiteral("%1: there is no suggestion %2 (it has %3)")
                                       .arg(id)
                                       .arg(k)
                                       .arg(suggestions.size()),
                                   QStringLiteral("pick 1 to %1, or write the answer")
                                       .arg(suggestions.size()));
                out[id] = DefinitionAnswer::answer(QString::fromStdString(
                    suggestions[static_cast<size_t>(k - 1)].get<std::string>()));
            } else if (value.is_string()) {
                out[id] =
                    DefinitionAnswer::answer(QString::fromStdString(value.get<std::string>()));
            } else {
                throw CliError(
                    QStringLiteral("%1: the answer must be text, a number or null").arg(id),
                    QStringLiteral("fix the --answers file"));
            }
        }
        return out;
    }

    int list(Console &console) const
    {
        auto ws = Workspace::open(fromStd(m_workspace), Workspace::Mode::ReadOnly);
        const auto sessions = DefinitionSession::list(*ws);
        if (console.json()) {
            json arr = json::array();
            for (const DefinitionRecord &r : sessions)
                arr.push_back({{"id", r.id.toStdString()},
                               {"domain", r.domain.toStdString()},
                               {"status", r.status.toStdString()},
                               {"rounds", r.rounds()},
                               {"problem_id", r.problemId.toStdString()}});
            console.printJson(arr);
            return ExitOk;
        }
        for (const DefinitionRecord &r : sessions)
            console.out() << QStringLiteral("%1  %2  %3  %4 rounds  %5\n")
                                 .arg(r.id, r.status)
                                 .arg(r.domain)
                                 .arg(r.rounds())
                                 .arg(r.problemId.isEmpty() ? r.statement.left(60) : r.problemId);
        if (sessions.empty())
            console.out() << "no definition sessions\n";
        return ExitOk;
    }

    ProviderArgs m_args;
    std::string m_workspace;
    std::string m_statement;
    std::string m_domain;
    std::string m_answers;
    std::string m_session;
    bool m_list = false;
};

} // namespace

std::unique_ptr<Command> makeDefineCommand()
{
    return std::make_unique<DefineCommand>();
}

} // namespace crucible::cli
