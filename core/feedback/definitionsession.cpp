#include "core/feedback/definitionsession.h"

#include "core/engine/jobsupport.h"
#include "core/evaluate/rubric.h"
#include "core/llm/structured/structuredcaller.h"
#include "core/model/jsonsupport.h"
#include "core/model/problem.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"

#include <QSqlQuery>
#include <QStringBuilder>

namespace crucible {

using nlohmann::json;

namespace {

const json kNull = nullptr;

QString str(const json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

QStringList strings(const json &j, const char *key)
{
    QStringList out;
    if (const auto it = j.find(key); it != j.end() && it->is_array())
        for (const json &s : *it)
            if (s.is_string())
                out << QString::fromStdString(s.get<std::string>()).trimmed();
    return out;
}

DefinitionRecord readRecord(QSqlQuery &q)
{
    DefinitionRecord r;
    r.id = q.value(0).toString();
    r.domain = q.value(1).toString();
    r.statement = q.value(2).toString();
    r.status = q.value(3).toString();
    r.doc = json::parse(q.value(4).toString().toStdString(), nullptr, false);
    if (!r.doc.is_object())
        r.doc = json::object();
    r.problemId = q.value(5).toString();
    r.createdAt = jsonio::parseTimestamp(q.value(6).toString());
    r.updatedAt = jsonio::parseTimestamp(q.value(7).toString());
    return r;
}

const char *const kColumns =
    "id, domain, statement, status, doc, problem_id, created_at, updated_at";

} // namespace

QString DefinitionAnswer::describe() const
{
    switch (kind) {
    case Kind::Skip:
        return QStringLiteral("skipped");
    case Kind::YouDecide:
        return QStringLiteral("you decide");
    case Kind::Answer:
        break;
    }
    return text;
}

const json &DefinitionRecord::draft() const
{
    const auto it = doc.find("draft");
    return it == doc.end() ? kNull : *it;
}

const json *DefinitionRecord::openRound() const
{
    const auto it = doc.find("rounds");
    if (it == doc.end() || !it->is_array() || it->empty())
        return nullptr;
    const json &last = it->back();
    return last.contains("answered_at") ? nullptr : &last;
}

int DefinitionRecord::rounds() const
{
    const auto it = doc.find("rounds");
    return it == doc.end() || !it->is_array() ? 0 : static_cast<int>(it->size());
}

DefinitionSession::DefinitionSession(Workspace &ws, LlmClient &client,
                                     const PromptTemplates &templates, QString providerId,
                                     QString model)
    : m_ws(ws)
    , m_client(client)
    , m_templates(templates)
    , m_providerId(std::move(providerId))
    , m_model(std::move(model))
{
}

QString DefinitionSession::start(const QString &domain, const QString &statement)
{
    if (domain.trimmed().isEmpty())
        throw DefinitionError("the domain is empty: name the field the problem comes from, e.g. "
                              "\"hospital logistics\"");
    if (statement.trimmed().size() < 10)
        throw DefinitionError("the statement is too short: describe the problem in a sentence or "
                              "two (what has to be decided or produced, for whom)");
    DefinitionRecord r;
    r.id = jsonio::newId("def");
    r.domain = domain.trimmed();
    r.statement = statement.trimmed();
    r.status = QStringLiteral("asking");
    r.doc = {{"rounds", json::array()}};
    r.createdAt = jsonio::nowUtc();
    QSqlQuery q = m_ws.prepare(QStringLiteral("INSERT INTO definition_sessions (%1) VALUES (?, ?, "
                                              "?, ?, ?, ?, ?, ?)")
                                   .arg(QString::fromLatin1(kColumns)));
    for (const QVariant &v :
         {QVariant(r.id), QVariant(r.domain), QVariant(r.statement), QVariant(r.status),
          QVariant(QString::fromStdString(r.doc.dump())), QVariant(QStringLiteral("")),
          QVariant(jsonio::formatTimestamp(r.createdAt)),
          QVariant(jsonio::formatTimestamp(r.createdAt))})
        q.addBindValue(v);
    Workspace::execPrepared(q, QStringLiteral("Starting definition session %1").arg(r.id));
    return r.id;
}

std::optional<DefinitionRecord> DefinitionSession::load(Workspace &ws, const QString &id)
{
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT %1 FROM definition_sessions WHERE id = ?")
                                 .arg(QString::fromLatin1(kColumns)));
    q.addBindValue(id);
    Workspace::execPrepared(q, QStringLiteral("Reading definition session %1").arg(id));
    if (!q.next())
        return std::nullopt;
    return readRecord(q);
}

std::vector<DefinitionRecord> DefinitionSession::list(Workspace &ws)
{
    QSqlQuery q = ws.prepare(QStringLiteral("SELECT %1 FROM definition_sessions ORDER BY seq DESC")
                                 .arg(QString::fromLatin1(kColumns)));
    Workspace::execPrepared(q, QStringLiteral("Listing definition sessions"));
    std::vector<DefinitionRecord> out;
    while (q.next())
        out.push_back(readRecord(q));
    return out;
}

DefinitionRecord DefinitionSession::require(const QString &id) const
{
    auto r = load(m_ws, id);
    if (!r)
        throw DefinitionError(QStringLiteral("no definition session %1 in %2; list them with "
                                             "`crucible-cli define WS --list`")
                                  .arg(id, m_ws.path())
                                  .toStdString());
    return *r;
}

void DefinitionSession::store(const DefinitionRecord &r)
{
    QSqlQuery q = m_ws.prepare(QStringLiteral("UPDATE definition_sessions SET status = ?, doc = "
                                              "?, problem_id = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(r.status);
    q.addBindValue(QString::fromStdString(r.doc.dump()));
    q.addBindValue(r.problemId.isNull() ? QStringLiteral("") : r.problemId); // never NULL
    q.addBindValue(jsonio::formatTimestamp(jsonio::nowUtc()));
    q.addBindValue(r.id);
    Workspace::execPrepared(q, QStringLiteral("Saving definition session %1").arg(r.id));
}

json DefinitionSession::answerJson(const DefinitionAnswer &a)
{
    return {{"kind", a.kind == DefinitionAnswer::Kind::Skip        ? "skip"
                     : a.kind == DefinitionAnswer::Kind::YouDecide ? "you_decide"
                                                                   : "answer"},
            {"text", a.text.trimmed().toStdString()}};
}

json DefinitionSession::askedSoFar(const DefinitionRecord &r) const
{
    json asked = json::array();
    for (const json &round : r.doc.value("rounds", json::array())) {
        // A batch still being answered one question at a time counts what it has so far.
        const json answers =
            round.contains("answers") ? round["answers"] : round.value("partial", json::object());
        for (const json &q : round.value("questions", json::array())) {
            const std::string id = q.value("id", std::string());
            QString answer = QStringLiteral("(not answered yet)");
            if (const auto a = answers.find(id); a != answers.end()) {
                const std::string kind = a->value("kind", std::string("answer"));
                answer = kind == "skip"         ? QStringLiteral("skipped")
                         : kind == "you_decide" ? QStringLiteral("you decide")
                                                : str(*a, "text");
            }
            asked.push_back({{"question", q.value("question", std::string())},
                             {"answer", answer.toStdString()}});
        }
    }
    return asked;
}

QCoro::Task<std::optional<json>> DefinitionSession::call(const char *templateId, const char *schema,
                                                         json context, QString *error)
{
    const RenderedPrompt prompt = m_templates.render(QString::fromLatin1(templateId), context);
    if (!prompt.ok()) {
        *error = prompt.error;
        co_return std::nullopt;
    }
    StructuredCallSpec spec;
    spec.call.providerId = m_providerId;
    spec.call.request.model = m_model;
    spec.call.request.messages = {{ChatMessage::Role::User, prompt.text}};
    spec.call.request.temperature = 0.4;
    spec.call.request.maxTokens = 2500;
    spec.call.templateId = prompt.id;
    spec.call.templateVersion = prompt.version;
    spec.schema = jobsupport::schema(schema);
    spec.schemaName = QString::fromLatin1(schema);
    StructuredCaller caller(m_client, m_templates);
    const StructuredOutcome o = co_await caller.call(std::move(spec));
    if (!o.ok()) {
        *error = o.error.describe();
        co_return std::nullopt;
    }
    co_return o.value;
}

QCoro::Task<bool> DefinitionSession::askNext(QString sessionId)
{
    DefinitionRecord r;
    try {
        r = require(sessionId);
    } catch (const std::exception &) {
        co_return false;
    }
    if (r.status == u"finished" || r.status == u"ready" || r.openRound())
        co_return false;
    const json &draft = r.draft();
    const json asked = askedSoFar(r);
    const json ctx = {
        {"domain", r.domain.toStdString()},
        {"statement", r.statement.toStdString()},
        {"knowledge",
         draft.is_object() ? draft.value("domain_knowledge", json::array()) : json::array()},
        {"constraints",
         draft.is_object() ? draft.value("constraints", json::array()) : json::array()},
        {"criteria",
         draft.is_object() ? draft.value("success_criteria", json::array()) : json::array()},
        {"asked", asked},
        {"count", std::to_string(kQuestionsPerRound)}};
    QString error;
    const std::optional<json> answer =
        co_await call("define.questions", "definition_questions", ctx, &error);
    r = require(sessionId); // another window may have moved on meanwhile
    if (r.openRound() || r.status == u"finished")
        co_return false;
    if (!answer) {
        r.doc["error"] = QStringLiteral("asking the next questions failed: %1. Ask again (the "
                                        "answers so far are kept).")
                             .arg(error)
                             .toStdString();
        r.status = QStringLiteral("asking");
        store(r);
        co_return false;
    }
    const int n = r.rounds() + 1;
    json questions = json::array();
    int i = 0;
    for (const json &q : answer->value("questions", json::array()))
        questions.push_back({{"id", QStringLiteral("q%1.%2").arg(n).arg(++i).toStdString()},
                             {"question", q.value("question", std::string())},
                             {"why", q.value("why", std::string())},
                             {"suggestions", q.value("suggestions", json::array())}});
    r.doc["rounds"].push_back({{"n", n}, {"questions", questions}});
    r.doc.erase("error");
    r.status = QStringLiteral("answering");
    store(r);
    co_return true;
}

QCoro::Task<QStringList> DefinitionSession::answer(QString sessionId,
                                                   std::map<QString, DefinitionAnswer> answers)
{
    // Record the answers first, in one transaction that checks the batch is still open.
    DefinitionRecord r;
    {
        Workspace::Transaction tx(m_ws);
        r = require(sessionId);
        const QStringList known = openBatch(r);
        for (const auto &[id, a] : answers)
            checkAnswer(r, known, id, a);
        const json *open = r.openRound();
        json stored = json::object();
        // Answers given one at a time before (answerOne) stand unless replaced here.
        const json partial = open->value("partial", json::object());
        for (const QString &id : known) {
            const auto it = answers.find(id);
            if (it == answers.end() && partial.contains(id.toStdString()))
                stored[id.toStdString()] = partial[id.toStdString()];
            else
                stored[id.toStdString()] =
                    answerJson(it == answers.end() ? DefinitionAnswer::skip() : it->second);
        }
        json &last = r.doc["rounds"].back();
        last["answers"] = stored;
        last["answered_at"] = jsonio::formatTimestamp(jsonio::nowUtc()).toStdString();
        r.status = QStringLiteral("asking");
        store(r);
        tx.commit();
    }
    // Rewrite the draft from every answer so far.
    const json before = r.draft();
    const std::optional<json> draft = co_await redraft(
        sessionId, QStringLiteral("The answers are kept; ask for the draft again."));
    if (!draft)
        co_return QStringList{};
    r = require(sessionId);
    const QStringList changed = changes(before, *draft);
    r.doc["draft"] = *draft;
    json &closed = r.doc["rounds"].back();
    // What the batch changed: this rewrite, plus what its answers given one at a time did.
    QStringList all = changed;
    // A named copy: items() of a temporary would outlive it.
    const json perAnswer = closed.value("partial_changes", json::object());
    for (const auto &[id, list] : perAnswer.items())
        for (const json &c : list)
            if (c.is_string() && !all.contains(QString::fromStdString(c.get<std::string>())))
                all << QString::fromStdString(c.get<std::string>());
    closed["changes"] = all;
    r.doc.erase("error");
    // The answers stopped changing the draft (or enough was asked): ready to finish.
    const bool hadDraft = closed.value("had_draft", before.is_object());
    const bool done = (hadDraft && all.isEmpty()) || r.rounds() >= kMaxRounds;
    r.status = done ? QStringLiteral("ready") : QStringLiteral("asking");
    store(r);
    if (!done)
        co_await askNext(sessionId);
    co_return changed;
}

QCoro::Task<QStringList> DefinitionSession::answerOne(QString sessionId, QString questionId,
                                                      DefinitionAnswer a)
{
    DefinitionRecord r;
    {
        Workspace::Transaction tx(m_ws);
        r = require(sessionId);
        checkAnswer(r, openBatch(r), questionId, a);
        json &last = r.doc["rounds"].back();
        if (!last.contains("partial")) // whether the batch started from a draft (readiness)
            last["had_draft"] = r.draft().is_object();
        last["partial"][questionId.toStdString()] = answerJson(a);
        store(r);
        tx.commit();
    }
    const json before = r.draft();
    const std::optional<json> draft = co_await redraft(
        sessionId, QStringLiteral("The answer is kept; answer again or ask for the draft again."));
    if (!draft)
        co_return QStringList{};
    r = require(sessionId);
    json &last = r.doc["rounds"].back();
    if (!last.value("partial", json::object()).contains(questionId.toStdString()) ||
        last.contains("answered_at"))
        // The batch was closed meanwhile (answered in another window): its draft stands.
        co_return QStringList{};
    const QStringList changed = changes(before, *draft);
    r.doc["draft"] = *draft;
    r.doc.erase("error");
    last["partial_changes"][questionId.toStdString()] = changed;
    bool complete = true;
    for (const json &q : last.value("questions", json::array()))
        complete = complete && last["partial"].contains(q.value("id", std::string()));
    if (!complete || last.contains("answered_at")) {
        store(r);
        co_return changed;
    }
    // Every question of the batch has its answer: the batch closes as answer() closes it.
    QStringList all;
    for (const auto &[id, list] : last["partial_changes"].items())
        for (const json &c : list)
            if (c.is_string() && !all.contains(QString::fromStdString(c.get<std::string>())))
                all << QString::fromStdString(c.get<std::string>());
    last["answers"] = last["partial"];
    last["answered_at"] = jsonio::formatTimestamp(jsonio::nowUtc()).toStdString();
    last["changes"] = all;
    const bool done = (last.value("had_draft", false) && all.isEmpty()) || r.rounds() >= kMaxRounds;
    r.status = done ? QStringLiteral("ready") : QStringLiteral("asking");
    store(r);
    if (!done)
        co_await askNext(sessionId);
    co_return changed;
}

QStringList DefinitionSession::openBatch(const DefinitionRecord &r)
{
    const json *open = r.openRound();
    if (!open)
        throw DefinitionError(QStringLiteral("session %1 has no open questions (answered "
                                             "meanwhile, perhaps in another window): nothing "
                                             "was recorded; reload it")
                                  .arg(r.id)
                                  .toStdString());
    QStringList known;
    for (const json &q : open->value("questions", json::array()))
        known << QString::fromStdString(q.value("id", std::string()));
    return known;
}

void DefinitionSession::checkAnswer(const DefinitionRecord &r, const QStringList &known,
                                    const QString &questionId, const DefinitionAnswer &a)
{
    if (!known.contains(questionId))
        throw DefinitionError(QStringLiteral("question %1 is not in the open batch of session %2 "
                                             "(it has %3)")
                                  .arg(questionId, r.id, known.join(QStringLiteral(", ")))
                                  .toStdString());
    if (a.kind == DefinitionAnswer::Kind::Answer && a.text.trimmed().isEmpty())
        throw DefinitionError(QStringLiteral("the answer to %1 is empty: give one, or skip the "
                                             "question, or say \"you decide\"")
                                  .arg(questionId)
                                  .toStdString());
}

QCoro::Task<std::optional<json>> DefinitionSession::redraft(QString sessionId, QString kept)
{
    const DefinitionRecord r = require(sessionId);
    QString error;
    const std::optional<json> draft = co_await rewriteDraft(r, &error);
    if (!draft) {
        DefinitionRecord now = require(sessionId);
        now.doc["error"] =
            QStringLiteral("rewriting the draft failed: %1. %2").arg(error, kept).toStdString();
        store(now);
    }
    co_return draft;
}

QCoro::Task<std::optional<json>> DefinitionSession::rewriteDraft(const DefinitionRecord &r,
                                                                 QString *error)
{
    const json before = r.draft();
    const json ctx = {
        {"domain", r.domain.toStdString()},
        {"statement", r.statement.toStdString()},
        {"asked", askedSoFar(r)},
        {"previous", before.is_object() ? before.dump(2) : std::string()},
        {"has_previous", before.is_object()},
        {"aspects", Rubric::defaultAspects().join(QStringLiteral(", ")).toStdString()}};
    const std::optional<json> draft = co_await call("define.draft", "definition_draft", ctx, error);
    co_return draft;
}

QStringList DefinitionSession::changes(const json &before, const json &after)
{
    QStringList out;
    if (!after.is_object())
        return out;
    const json b = before.is_object() ? before : json::object();
    if (str(b, "problem_statement") != str(after, "problem_statement"))
        out << QStringLiteral("statement rewritten");
    for (const auto &[key, label] :
         {std::pair{"domain_knowledge", "knowledge"}, std::pair{"constraints", "constraint"},
          std::pair{"success_criteria", "criterion"}}) {
        const QStringList was = strings(b, key);
        const QStringList now = strings(after, key);
        for (const QString &s : now)
            if (!was.contains(s))
                out << QStringLiteral("+ %1: %2").arg(QString::fromLatin1(label), s);
        for (const QString &s : was)
            if (!now.contains(s))
                out << QStringLiteral("− %1: %2").arg(QString::fromLatin1(label), s);
    }
    std::map<std::string, json> rubricBefore;
    for (const json &a : b.value("rubric", json::array()))
        rubricBefore[a.value("aspect", std::string())] = a;
    for (const json &a : after.value("rubric", json::array())) {
        const std::string aspect = a.value("aspect", std::string());
        const auto it = rubricBefore.find(aspect);
        if (it == rubricBefore.end() || it->second != a)
            out << QStringLiteral("rubric: %1").arg(QString::fromStdString(aspect));
    }
    if (b.value("test_cases", json::array()) != after.value("test_cases", json::array()))
        out << QStringLiteral("test cases");
    return out;
}

QString DefinitionSession::finish(const QString &sessionId)
{
    Workspace::Transaction tx(m_ws);
    DefinitionRecord r = require(sessionId);
    if (r.status == u"finished")
        throw DefinitionError(QStringLiteral("session %1 is finished already: it became problem "
                                             "%2")
                                  .arg(sessionId, r.problemId)
                                  .toStdString());
    const json &draft = r.draft();
    if (!draft.is_object())
        throw DefinitionError(QStringLiteral("session %1 has no draft yet: answer its first "
                                             "questions")
                                  .arg(sessionId)
                                  .toStdString());
    Problem p;
    p.id = jsonio::newId("prb");
    p.domain = r.domain;
    p.statement = str(draft, "problem_statement");
    if (p.statement.isEmpty())
        p.statement = r.statement;
    p.constraints = strings(draft, "constraints");
    p.successCriteria = strings(draft, "success_criteria");
    p.complexity = Complexity::Medium;
    p.origin = ProblemOrigin::Manual;
    p.tags = {QStringLiteral("defined")};
    p.createdAt = jsonio::nowUtc();
    p.metadata = {{"definition_session", r.id.toStdString()},
                  {"rough_statement", r.statement.toStdString()},
                  {"domain_knowledge", draft.value("domain_knowledge", json::array())},
                  {"rubric", draft.value("rubric", json::array())},
                  {"test_cases", draft.value("test_cases", json::array())}};
    ProblemRepository(m_ws).insert(p);
    r.problemId = p.id;
    r.status = QStringLiteral("finished");
    store(r);
    tx.commit();
    return p.id;
}

} // namespace crucible
