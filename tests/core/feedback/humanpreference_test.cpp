// An A or B answer to an inbox question about a contradicted comparison becomes a human
// preference pair: stored with the comparison, exported in place of the judges' pairs of the
// same two solutions (whatever the agreement and score-gap filters), named in the answer's
// effects, and removed again by undo. A tie makes no pair.

#include "core/feedback/feedbackcollector.h"
#include "core/feedback/questionraiser.h"
#include "core/store/preferenceexporter.h"
#include "core/store/tournamentrepository.h"
#include "tests/support/evaluationfixture.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using nlohmann::json;

namespace {

class HumanPreference : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(tmp.file(QStringLiteral("prefs.crucible")));
        fx = std::make_unique<test::EvaluationFixture>(*ws);
        problem = fx->problem(1);
        const QString gen =
            fx->version(fx->agent(QStringLiteral("generator"), QStringLiteral("G")));
        judgeA = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge A")));
        judgeB = fx->version(fx->agent(QStringLiteral("evaluator"), QStringLiteral("Judge B")));
        a = fx->solution(problem, gen, test::EvaluationFixture::solutionDoc(QStringLiteral("A1")));
        b = fx->solution(problem, gen, test::EvaluationFixture::solutionDoc(QStringLiteral("B2")));
        c = fx->solution(problem, gen, test::EvaluationFixture::solutionDoc(QStringLiteral("C3")));
        const QString t = fx->tournament(QStringLiteral("t"));
        // Judge A contradicts itself on a vs b; judge B prefers b, in both orders.
        contradicted =
            fx->comparison(t, problem, a, b, judgeA, QStringLiteral("a"), QStringLiteral("b"));
        fx->pair(fx->comparison(t, problem, a, b, judgeB, QStringLiteral("b"), QStringLiteral("b")),
                 0.8, 0.3, QStringLiteral("P"), QStringLiteral("b by judge B"),
                 QStringLiteral("a by judge B"));
        // An unrelated pair that stays whatever the person says.
        fx->pair(fx->comparison(t, problem, a, c, judgeB, QStringLiteral("a"), QStringLiteral("a")),
                 0.9, 0.2, QStringLiteral("P"), QStringLiteral("a over c"),
                 QStringLiteral("c under a"));
        QuestionRaiser(*ws).store(QuestionRaiser(*ws).comparisonCandidates({contradicted}, {}), 0);
        QuestionFilter f;
        f.kind = QuestionKind::Comparison;
        const auto questions = FeedbackStore(*ws).questions(f);
        ASSERT_EQ(questions.size(), 1u);
        question = questions.front();
    }

    // The exported (chosen, rejected) texts.
    std::vector<std::pair<std::string, std::string>>
    exported(const PreferenceExportOptions &options = {}, PreferenceExportResult *out = nullptr)
    {
        QByteArray data;
        const PreferenceExportResult result = PreferenceExporter(*ws).exportToBytes(data, options);
        if (out)
            *out = result;
        std::vector<std::pair<std::string, std::string>> lines;
        for (const QByteArray &line : data.split('\n'))
            if (!line.isEmpty()) {
                const json j = json::parse(line.toStdString());
                lines.emplace_back(j["chosen"].get<std::string>(),
                                   j["rejected"].get<std::string>());
            }
        return lines;
    }

    static AnswerValue choice(const char *which)
    {
        AnswerValue v;
        v.type = AnswerType::Choice;
        v.choice = QString::fromLatin1(which);
        return v;
    }

    static bool has(const std::vector<std::pair<std::string, std::string>> &lines,
                    const std::string &chosen)
    {
        for (const auto &l : lines)
            if (l.first.find(chosen) != std::string::npos)
                return true;
        return false;
    }

    test::TempFolder tmp;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<test::EvaluationFixture> fx;
    QString problem, judgeA, judgeB, a, b, c, contradicted;
    FeedbackQuestion question;
};

} // namespace

TEST_F(HumanPreference, AnAnswerBecomesAPairThatReplacesTheJudgesAndUndoRemovesIt)
{
    // Before: judge B's pair (b over a) and the unrelated one.
    auto lines = exported();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(has(lines, "b by judge B"));

    // The person prefers A (solution a): the pair is stored with the contradicted comparison.
    FeedbackCollector inbox(*ws);
    const FeedbackAnswer answer = inbox.answer(question.id, choice("a"), QStringLiteral("ana"));
    const json &effect = answer.effects["preference"];
    ASSERT_TRUE(effect.contains("pair_id")) << answer.effects.dump();
    EXPECT_EQ(effect["chosen_solution_id"], a.toStdString());
    EXPECT_EQ(effect["rejected_solution_id"], b.toStdString());
    const auto pair = TournamentRepository(*ws).preferencePair(contradicted);
    ASSERT_TRUE(pair);
    EXPECT_EQ(pair->id.toStdString(), effect["pair_id"]);
    EXPECT_EQ(pair->doc["source"], "human");
    EXPECT_EQ(pair->doc["answer_id"], answer.id.toStdString());
    EXPECT_EQ(pair->doc["rater"], "ana");
    EXPECT_FALSE(pair->chosenScore);

    // Exported in place of judge B's opposite pair, and it counts as a person's.
    PreferenceExportResult result;
    lines = exported({}, &result);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(result.human, 1);
    EXPECT_FALSE(has(lines, "b by judge B"));
    EXPECT_TRUE(has(lines, "a over c"));
    EXPECT_TRUE(has(lines, "A1")); // the human pair's texts come from the solutions
    // The filters for judge pairs do not drop the person's.
    PreferenceExportOptions strict;
    strict.onlyAgreed = true;
    strict.minScoreGap = 0.5;
    lines = exported(strict, &result);
    EXPECT_EQ(result.human, 1);
    EXPECT_TRUE(has(lines, "A1"));
    EXPECT_TRUE(has(lines, "a over c"));
    EXPECT_EQ(PreferenceExporter(*ws).count(strict), 2);

    // Undo removes it; judge B's pair is back.
    const FeedbackAnswer undone = inbox.undo(answer.id);
    EXPECT_FALSE(TournamentRepository(*ws).preferencePair(contradicted));
    lines = exported({}, &result);
    EXPECT_EQ(result.human, 0);
    EXPECT_TRUE(has(lines, "b by judge B"));
    EXPECT_EQ(inbox.question(question.id).status, QuestionStatus::Pending);

    // Answered again with B: the pair follows the new answer.
    inbox.answer(question.id, choice("b"));
    const auto again = TournamentRepository(*ws).preferencePair(contradicted);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->chosenSolutionId, b);
    EXPECT_EQ(again->rejectedSolutionId, a);
}

TEST_F(HumanPreference, ATieMakesNoPairAndAVanishedComparisonSaysWhatToDo)
{
    FeedbackCollector inbox(*ws);
    const FeedbackAnswer tie = inbox.answer(question.id, choice("tie"));
    EXPECT_FALSE(tie.effects["preference"].contains("pair_id"));
    EXPECT_FALSE(TournamentRepository(*ws).preferencePair(contradicted));
    inbox.undo(tie.id);

    fx->exec(QStringLiteral("DELETE FROM comparisons WHERE id = ?"), {contradicted});
    try {
        inbox.answer(question.id, choice("a"));
        FAIL() << "answered a question whose comparison is gone";
    } catch (const FeedbackError &e) {
        EXPECT_EQ(e.kind(), FeedbackError::Kind::NotFound);
        EXPECT_TRUE(e.message().contains(QStringLiteral("dismiss"))) << e.what();
    }
    // Nothing was counted: the question is still open.
    EXPECT_EQ(inbox.question(question.id).status, QuestionStatus::Pending);
}
