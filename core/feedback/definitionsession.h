#pragma once
// DefinitionSession: the problem definition session. From a rough statement and a domain, an
// LLM asks clarifying questions in small batches (3–7, each with why it matters and suggested
// answers); the expert answers, skips, or says "you decide"; after every answer (answerOne, the
// wizard) or batch (answer, the CLI) the LLM rewrites the draft (statement, domain knowledge,
// constraints, success criteria, a rubric per quality aspect with what earns a high and a low score
// and check items, a few test cases) and the session records what changed. It stops asking when a
// batch of answers no longer changes the draft (or after kMaxRounds). finish() turns the draft into
// a problem whose rubric the verifier uses (metadata "rubric", part of the rubric's version). The
// whole session is one stored document (schema v9): resumable at any point, and replayable — the
// same answers ask the same requests, which the LLM cache answers. A batch can be answered once: a
// second window answering the same batch gets an error and changes nothing. Same thread as its
// Workspace and LlmClient.

#include "core/llm/llmclient.h"
#include "core/llm/prompttemplates.h"

#include <QCoro/QCoroTask>
#include <QDateTime>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>

namespace crucible {

class Workspace;

class DefinitionError final : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
    QString message() const { return QString::fromStdString(what()); }
};

struct DefinitionAnswer
{
    enum class Kind { Answer, Skip, YouDecide };
    Kind kind = Kind::Answer;
    QString text; // the answer (a picked suggestion or the expert's own words)

    static DefinitionAnswer answer(const QString &text) { return {Kind::Answer, text}; }
    static DefinitionAnswer skip() { return {Kind::Skip, {}}; }
    static DefinitionAnswer youDecide() { return {Kind::YouDecide, {}}; }
    QString describe() const; // the text, "skipped" or "you decide"
};

struct DefinitionRecord
{
    QString id; // def_…
    QString domain;
    QString statement;
    QString status; // asking (questions being made), answering, ready, finished
    // {"rounds": [{"n", "questions": [{"id", "question", "why", "suggestions"}], "answers":
    //  {qid: {"kind", "text"}}, "changes": [..], "answered_at"}], "draft": {…}, "error": ""}
    nlohmann::json doc = nlohmann::json::object();
    QString problemId;
    QDateTime createdAt;
    QDateTime updatedAt;

    const nlohmann::json &draft() const;     // null before the first draft
    const nlohmann::json *openRound() const; // the round waiting for answers, if any
    int rounds() const;
};

class DefinitionSession final
{
public:
    static constexpr int kMaxRounds = 5;
    static constexpr int kQuestionsPerRound = 5;

    DefinitionSession(Workspace &ws, LlmClient &client, const PromptTemplates &templates,
                      QString providerId, QString model = {});

    // A new session (stored, no call yet). Throws DefinitionError for an empty domain or
    // statement.
    QString start(const QString &domain, const QString &statement);
    // Asks the next batch of questions (status asking → answering). Never throws: an LLM
    // failure is stored in the session ("error") and the session can ask again.
    QCoro::Task<bool> askNext(QString sessionId);
    // Answers the open batch (question id → answer; unanswered questions count as skipped),
    // rewrites the draft and returns what changed (empty: the answers changed nothing, and the
    // session is ready). Then asks the next batch unless the session is ready. Throws
    // DefinitionError: no such session, no open batch, the batch was answered meanwhile (in
    // another window), an unknown question id. An LLM failure leaves the answers stored and
    // the session answering again, with the error.
    QCoro::Task<QStringList> answer(QString sessionId, std::map<QString, DefinitionAnswer> answers);
    // One answer of the open batch (replacing an earlier answer to the same question): the
    // draft is rewritten at once from every answer so far and the changes this answer made are
    // returned (and stored per question). When every question of the batch has its answer, the
    // batch closes as answer() closes it: ready when none of its answers changed the draft, else
    // the next batch is asked. Throws DefinitionError as answer() does. An LLM failure keeps the
    // answer and stores the error.
    QCoro::Task<QStringList> answerOne(QString sessionId, QString questionId, DefinitionAnswer a);
    // Writes the draft as a problem (with its rubric and test cases) and returns its id.
    // DefinitionError when there is no draft yet or it was finished already.
    QString finish(const QString &sessionId);

    static std::optional<DefinitionRecord> load(Workspace &ws, const QString &id);
    static std::vector<DefinitionRecord> list(Workspace &ws); // newest first
    // What differs between two drafts, for people ("+ constraint: …", "− criterion: …",
    // "statement rewritten", "rubric: correctness").
    static QStringList changes(const nlohmann::json &before, const nlohmann::json &after);

private:
    DefinitionRecord require(const QString &id) const;
    void store(const DefinitionRecord &r);
    nlohmann::json askedSoFar(const DefinitionRecord &r) const;
    static nlohmann::json answerJson(const DefinitionAnswer &a);
    // The question ids of the open batch; DefinitionError when none is open.
    static QStringList openBatch(const DefinitionRecord &r);
    // DefinitionError for a question not in `known` or an empty answer.
    static void checkAnswer(const DefinitionRecord &r, const QStringList &known,
                            const QString &questionId, const DefinitionAnswer &a);
    // rewriteDraft from the stored session; on failure the error is stored with it (`kept`
    // says what was kept) and nullopt returned.
    QCoro::Task<std::optional<nlohmann::json>> redraft(QString sessionId, QString kept);
    QCoro::Task<std::optional<nlohmann::json>> rewriteDraft(const DefinitionRecord &r,
                                                            QString *error);
    QCoro::Task<std::optional<nlohmann::json>> call(const char *templateId, const char *schema,
                                                    nlohmann::json context, QString *error);

    Workspace &m_ws;
    LlmClient &m_client;
    const PromptTemplates &m_templates;
    QString m_providerId;
    QString m_model;
};

} // namespace crucible
