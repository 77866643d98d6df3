// The problem definition session: batches of questions with why and suggestions, answers
// (text, skip, you decide) that rewrite the draft and say what changed, a session that is ready
// when the answers stop changing the draft, the problem it becomes (its rubric in the rubric's
// text and version), a batch answered twice (another window) refused without counting twice,
// and a replay of the same answers served from the LLM cache.

#include "core/evaluate/rubric.h"
#include "core/feedback/definitionsession.h"
#include "core/llm/llmclient.h"
#include "core/llm/pricetable.h"
#include "core/store/problemrepository.h"
#include "core/store/workspace.h"
#include "tests/support/scriptedprovider.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

json questions(int round)
{
    json qs = json::array();
    for (int i = 1; i <= 3; ++i)
        qs.push_back({{"question",
                       "Round " + std::to_string(round) + " question " + std::to_string(i) + "?"},
                      {"why", "It decides the constraints."},
                      {"suggestions", {"within one week", "within one day"}}});
    return {{"questions", qs}};
}

json draft(const std::vector<std::string> &constraints)
{
    return {
        {"problem_statement", "Schedule nurses for a 30-bed ward over one week."},
        {"domain_knowledge", {"Night shifts need two nurses."}},
        {"constraints", constraints},
        {"success_criteria", {"Every shift is covered.", "No nurse works two nights in a row."}},
        {"rubric",
         {{{"aspect", "correctness"},
           {"high", "every constraint holds"},
           {"low", "a shift is uncovered"},
           {"checks", {"count nurses per shift"}}}}},
        {"test_cases", {{{"input", "A nurse calls in sick"}, {"expected", "Reassign the shift"}}}}};
}

struct Fixture
{
    test::TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("d.crucible")));
    LlmClient client{PriceTable::withUserOverrides()};
    std::shared_ptr<test::ScriptedProvider> provider;
    PromptTemplates templates;

    Fixture()
    {
        ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("p"));
        c.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        c.defaultModel = QStringLiteral("m");
        provider = std::make_shared<test::ScriptedProvider>(c);
        client.addProvider(provider);
        client.setLedger(ws.get());
    }
    DefinitionSession session()
    {
        return DefinitionSession(*ws, client, templates, QStringLiteral("p"));
    }
    void push(const json &j) { provider->pushOk(QString::fromStdString(j.dump())); }
};

// QCoro::waitFor never returns when the coroutine throws: catch inside, report the message.
QCoro::Task<QString> answerError(DefinitionSession &s, QString id,
                                 std::map<QString, DefinitionAnswer> answers)
{
    try {
        co_await s.answer(id, std::move(answers));
    } catch (const DefinitionError &e) {
        co_return e.message();
    }
    co_return QString();
}

std::map<QString, DefinitionAnswer> firstAnswers()
{
    return {{QStringLiteral("q1.1"), DefinitionAnswer::answer(QStringLiteral("within one week"))},
            {QStringLiteral("q1.2"), DefinitionAnswer::youDecide()}};
}

} // namespace

TEST(DefinitionSession, AsksAnswersDraftsUntilTheAnswersStopChangingItThenMakesTheProblem)
{
    Fixture f;
    DefinitionSession s = f.session();
    const QString id = s.start(QStringLiteral("nursing"),
                               QStringLiteral("We need a fair nurse roster for the ward."));
    f.push(questions(1));
    ASSERT_TRUE(QCoro::waitFor(s.askNext(id)));
    auto r = DefinitionSession::load(*f.ws, id);
    ASSERT_TRUE(r && r->openRound());
    EXPECT_EQ(r->status, QStringLiteral("answering"));
    const json &batch = *r->openRound();
    ASSERT_EQ(batch["questions"].size(), 3u);
    EXPECT_EQ(batch["questions"][0]["id"], "q1.1");
    EXPECT_EQ(batch["questions"][0]["suggestions"].size(), 2u);
    EXPECT_FALSE(batch["questions"][0]["why"].get<std::string>().empty());

    // Round 1: the first draft (everything is a change), then the next batch.
    f.push(draft({"At most 5 shifts per nurse per week."}));
    f.push(questions(2));
    const QStringList first = QCoro::waitFor(s.answer(id, firstAnswers()));
    EXPECT_TRUE(first.contains(QStringLiteral("statement rewritten")));
    EXPECT_TRUE(
        first.contains(QStringLiteral("+ constraint: At most 5 shifts per nurse per week.")));
    r = DefinitionSession::load(*f.ws, id);
    EXPECT_EQ(r->rounds(), 2);
    EXPECT_EQ(r->doc["rounds"][0]["answers"]["q1.3"]["kind"], "skip") << "unanswered = skipped";
    EXPECT_EQ(r->doc["rounds"][0]["answers"]["q1.2"]["kind"], "you_decide");
    // The answers were in the draft request.
    const QString draftPrompt = f.provider->requests()[1].messages.back().content;
    EXPECT_TRUE(draftPrompt.contains(QStringLiteral("within one week")))
        << draftPrompt.toStdString();
    EXPECT_TRUE(draftPrompt.contains(QStringLiteral("you decide")));

    // Round 2: one more constraint, then round 3's answers change nothing: ready.
    f.push(draft({"At most 5 shifts per nurse per week.", "Two nurses on every night shift."}));
    f.push(questions(3));
    const QStringList second = QCoro::waitFor(
        s.answer(id, {{QStringLiteral("q2.1"), DefinitionAnswer::answer(QStringLiteral("two"))}}));
    EXPECT_EQ(second,
              QStringList{QStringLiteral("+ constraint: Two nurses on every night shift.")});
    f.push(draft({"At most 5 shifts per nurse per week.", "Two nurses on every night shift."}));
    const QStringList third = QCoro::waitFor(s.answer(id, {}));
    EXPECT_TRUE(third.isEmpty());
    r = DefinitionSession::load(*f.ws, id);
    EXPECT_EQ(r->status, QStringLiteral("ready"));
    EXPECT_FALSE(r->openRound()) << "no further questions once the draft stopped changing";

    const QString problemId = s.finish(id);
    const auto p = ProblemRepository(*f.ws).get(problemId);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->domain, QStringLiteral("nursing"));
    EXPECT_EQ(p->constraints.size(), 2);
    EXPECT_EQ(p->successCriteria.size(), 2);
    EXPECT_EQ(p->metadata["definition_session"], id.toStdString());
    // The verifier's rubric carries the expert's rubric, and its version says so.
    const Rubric withRubric = Rubric::compile(*p, {});
    Problem plain = *p;
    plain.metadata.erase("rubric");
    EXPECT_TRUE(withRubric.text.contains(QStringLiteral("count nurses per shift")));
    EXPECT_NE(withRubric.version, Rubric::compile(plain, {}).version);
    EXPECT_THROW(s.finish(id), DefinitionError) << "finished once";
}

TEST(DefinitionSession, EveryAnswerRewritesTheDraftAndSaysWhatItChanged)
{
    Fixture f;
    DefinitionSession s = f.session();
    const QString id = s.start(QStringLiteral("nursing"),
                               QStringLiteral("We need a fair nurse roster for the ward."));
    f.push(questions(1));
    ASSERT_TRUE(QCoro::waitFor(s.askNext(id)));

    // The first answer: a draft at once; the batch stays open for the others.
    f.push(draft({"At most 5 shifts per nurse per week."}));
    const QStringList one = QCoro::waitFor(s.answerOne(
        id, QStringLiteral("q1.1"), DefinitionAnswer::answer(QStringLiteral("within one week"))));
    EXPECT_TRUE(one.contains(QStringLiteral("+ constraint: At most 5 shifts per nurse per week.")));
    auto r = DefinitionSession::load(*f.ws, id);
    ASSERT_TRUE(r->openRound()) << "two questions are still open";
    EXPECT_EQ(r->draft()["constraints"].size(), 1u);
    EXPECT_EQ(r->doc["rounds"][0]["partial"]["q1.1"]["text"], "within one week");
    // The draft request had the answer; the questions not answered yet say so.
    const QString prompt = f.provider->requests().back().messages.back().content;
    EXPECT_TRUE(prompt.contains(QStringLiteral("within one week"))) << prompt.toStdString();
    EXPECT_TRUE(prompt.contains(QStringLiteral("(not answered yet)")));

    // A changed answer replaces the first; each answer's own changes are returned.
    f.push(draft({"At most 4 shifts per nurse per week."}));
    const QStringList changedMind = QCoro::waitFor(s.answerOne(
        id, QStringLiteral("q1.1"), DefinitionAnswer::answer(QStringLiteral("within four days"))));
    EXPECT_TRUE(
        changedMind.contains(QStringLiteral("+ constraint: At most 4 shifts per nurse per week.")));
    f.push(draft({"At most 4 shifts per nurse per week.", "Two nurses on every night shift."}));
    EXPECT_EQ(QCoro::waitFor(s.answerOne(id, QStringLiteral("q1.2"), DefinitionAnswer::skip())),
              QStringList{QStringLiteral("+ constraint: Two nurses on every night shift.")});
    // The last question closes the batch: it changed the draft, so the next batch is asked.
    f.push(draft({"At most 4 shifts per nurse per week.", "Two nurses on every night shift."}));
    f.push(questions(2));
    EXPECT_TRUE(
        QCoro::waitFor(s.answerOne(id, QStringLiteral("q1.3"), DefinitionAnswer::youDecide()))
            .isEmpty());
    r = DefinitionSession::load(*f.ws, id);
    EXPECT_EQ(r->rounds(), 2);
    EXPECT_EQ(r->doc["rounds"][0]["answers"]["q1.1"]["text"], "within four days");
    EXPECT_EQ(r->doc["rounds"][0]["answers"]["q1.3"]["kind"], "you_decide");
    EXPECT_FALSE(r->doc["rounds"][0]["changes"].empty());

    // Round 2: answers that change nothing, one at a time: the session is ready.
    for (const char *q : {"q2.1", "q2.2", "q2.3"}) {
        f.push(draft({"At most 4 shifts per nurse per week.", "Two nurses on every night shift."}));
        EXPECT_TRUE(
            QCoro::waitFor(s.answerOne(id, QString::fromLatin1(q),
                                       DefinitionAnswer::answer(QStringLiteral("as before"))))
                .isEmpty());
    }
    r = DefinitionSession::load(*f.ws, id);
    EXPECT_EQ(r->status, QStringLiteral("ready"));
    EXPECT_FALSE(r->openRound());
    EXPECT_EQ(f.provider->calls(), 2 + 4 + 3) << "questions twice, a draft per answer";
}

TEST(DefinitionSession, ABatchAnsweredElsewhereIsRefusedAndBadInputIsExplained)
{
    Fixture f;
    DefinitionSession s = f.session();
    EXPECT_THROW(s.start(QString(), QStringLiteral("a long enough statement")), DefinitionError);
    EXPECT_THROW(s.start(QStringLiteral("d"), QStringLiteral("short")), DefinitionError);
    const QString id = s.start(QStringLiteral("nursing"),
                               QStringLiteral("We need a fair nurse roster for the ward."));
    EXPECT_THROW(s.finish(id), DefinitionError) << "no draft yet";
    f.push(questions(1));
    ASSERT_TRUE(QCoro::waitFor(s.askNext(id)));
    EXPECT_TRUE(QCoro::waitFor(answerError(s, id,
                                           {{QStringLiteral("q9.9"),
                                             DefinitionAnswer::answer(QStringLiteral("x"))}}))
                    .contains(QStringLiteral("not in the open batch")));
    EXPECT_TRUE(QCoro::waitFor(answerError(s, id,
                                           {{QStringLiteral("q1.1"),
                                             DefinitionAnswer::answer(QStringLiteral(" "))}}))
                    .contains(QStringLiteral("is empty")));
    // Another window answers the batch first; this one's answer is refused.
    f.push(draft({"At most five shifts."}));
    f.push(questions(2));
    EXPECT_EQ(QCoro::waitFor(answerError(s, id, firstAnswers())), QString());
    auto before = DefinitionSession::load(*f.ws, id);
    // Round 2 is open now; answering round 1 again is impossible, answering round 2 twice too.
    f.push(draft({"At most five shifts."}));
    EXPECT_EQ(QCoro::waitFor(answerError(s, id, {})), QString());
    EXPECT_TRUE(QCoro::waitFor(answerError(s, id, {}))
                    .contains(QStringLiteral("answered meanwhile, perhaps in another window")));
    EXPECT_EQ(DefinitionSession::load(*f.ws, id)->rounds(), 2);
    EXPECT_EQ(before->doc["rounds"][0]["answers"].size(), 3u);
}

TEST(DefinitionSession, TheSameAnswersAreReplayedFromTheCache)
{
    Fixture f;
    DefinitionSession s = f.session();
    const auto run = [&](const QString &id) {
        QCoro::waitFor(s.askNext(id));
        QCoro::waitFor(s.answer(id, firstAnswers()));
    };
    const QString a = s.start(QStringLiteral("nursing"),
                              QStringLiteral("We need a fair nurse roster for the ward."));
    f.push(questions(1));
    f.push(draft({"At most five shifts."}));
    f.push(questions(2));
    run(a);
    const int calls = f.provider->calls();
    const QString b = s.start(QStringLiteral("nursing"),
                              QStringLiteral("We need a fair nurse roster for the ward."));
    run(b);
    EXPECT_EQ(calls, 3) << "questions, draft, next questions";
    EXPECT_TRUE(DefinitionSession::load(*f.ws, a)->draft().is_object());
    EXPECT_EQ(f.provider->calls(), calls) << "every request was answered from the cache";
    EXPECT_EQ(DefinitionSession::load(*f.ws, b)->draft(),
              DefinitionSession::load(*f.ws, a)->draft());
}
