// The Simulated provider's fitness landscape: the quality formula exactly as specified, the w
// penalty, determinism, noisy solutions, judges that follow the noisy quality and name a
// lacking lesson, and reflections that propose what the prompt mentions.

#include "core/agents/traitcatalogue.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/llm/simulated/fitnesslandscape.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace crucible;
using crucible::simulated::FitnessLandscape;
using nlohmann::json;

namespace {

QStringList notUseful(const FitnessLandscape &l, int n)
{
    QStringList out;
    for (const QString &p : FitnessLandscape::vocabulary())
        if (!l.usefulLessons().contains(p) && out.size() < n)
            out << p;
    return out;
}

ChatRequest solveRequest(const AgentContext &agent, const QString &problem)
{
    ChatRequest r = ChatRequest::simple(QStringLiteral("Solve this problem: ") + problem,
                                        QStringLiteral("You are a solver."));
    r.format = ResponseFormat::JsonSchema;
    r.schemaName = QStringLiteral("solution");
    r.schema = json::object();
    r.agent = agent;
    return r;
}

ChatRequest judgeRequest(const QString &solutionText)
{
    ChatRequest r = ChatRequest::simple(QStringLiteral("Judge this solution:\n") + solutionText,
                                        QStringLiteral("You are a judge."));
    r.format = ResponseFormat::JsonSchema;
    r.schemaName = QStringLiteral("verdict");
    r.schema = {
        {"type", "object"},
        {"properties",
         {{"scores",
           {{"type", "object"},
            {"properties", {{"correctness", json::object()}, {"novelty", json::object()}}}}}}}};
    return r;
}

QString textOf(const json &solution)
{
    QString t = QString::fromStdString(solution["approach"].get<std::string>());
    for (const json &s : solution["steps"])
        t += u'\n' + QString::fromStdString(s.get<std::string>());
    for (const json &s : solution["assumptions"])
        t += u'\n' + QString::fromStdString(s.get<std::string>());
    return t;
}

} // namespace

TEST(FitnessLandscape, HidesAnOptimumOverTheRoleTraitsAndTwelveLessons)
{
    const FitnessLandscape a(7);
    const FitnessLandscape b(7);
    const FitnessLandscape c(8);
    EXPECT_GE(a.optimum().size(), 6u);
    EXPECT_EQ(a.optimum().size(), static_cast<size_t>(TraitCatalogue::builtIn().names().size()));
    for (const auto &[trait, value] : a.optimum()) {
        EXPECT_TRUE(TraitCatalogue::builtIn().find(trait)) << trait.toStdString();
        EXPECT_GE(value, 10);
        EXPECT_LE(value, 90);
    }
    EXPECT_EQ(FitnessLandscape::vocabulary().size(), 60);
    EXPECT_EQ(a.usefulLessons().size(), 12);
    EXPECT_EQ(std::set<QString>(a.usefulLessons().begin(), a.usefulLessons().end()).size(), 12u);
    EXPECT_EQ(a.optimum(), b.optimum());
    EXPECT_EQ(a.usefulLessons(), b.usefulLessons());
    EXPECT_TRUE(a.optimum() != c.optimum() || a.usefulLessons() != c.usefulLessons());
    // No phrase contains another, so counting presence is unambiguous.
    for (const QString &p : FitnessLandscape::vocabulary())
        EXPECT_EQ(FitnessLandscape::phrasesIn(p), QStringList{p});
}

TEST(FitnessLandscape, QualityIsExactlyTheFormula)
{
    const FitnessLandscape l(3);
    std::map<QString, int> traits = l.optimum();
    EXPECT_DOUBLE_EQ(l.quality(traits, {}).q, 0.5);
    EXPECT_DOUBLE_EQ(l.quality(traits, l.usefulLessons()).q, 1.0);
    // One trait 35 points off: 0.5 · exp(−1/2).
    const QString first = traits.begin()->first;
    traits[first] += traits[first] > 50 ? -35 : 35;
    EXPECT_NEAR(l.quality(traits, {}).traitPart, 0.5 * std::exp(-0.5), 1e-12);
    // Any traits: Σ((t − t*)/35)² by hand.
    std::map<QString, int> some;
    double sum = 0;
    int v = 3;
    for (const auto &[trait, best] : l.optimum()) {
        some[trait] = v;
        sum += std::pow((v - best) / 35.0, 2);
        v += 14;
    }
    const QStringList lessons = l.usefulLessons().mid(0, 5) + notUseful(l, 2);
    const auto q = l.quality(some, lessons);
    EXPECT_EQ(q.useful, 5);
    EXPECT_EQ(q.other, 2);
    EXPECT_NEAR(q.q, 0.5 * std::exp(-sum / 2) + 0.5 * (5 - 1.0) / 12, 1e-12);
    // A trait the agent lacks counts as 50.
    std::map<QString, int> partial = l.optimum();
    partial.erase(first);
    EXPECT_NEAR(l.quality(partial, {}).traitPart,
                0.5 * std::exp(-std::pow((50 - l.optimum().at(first)) / 35.0, 2) / 2), 1e-12);
}

TEST(FitnessLandscape, StuffingEveryPhraseInDoesNotPay)
{
    const FitnessLandscape l(11);
    const auto all = l.quality(l.optimum(), FitnessLandscape::vocabulary());
    EXPECT_EQ(all.useful, 12);
    EXPECT_EQ(all.other, 48);
    EXPECT_DOUBLE_EQ(all.lessonPart, 0.0);
    // One wrong phrase costs half a useful one.
    const auto eleven = l.quality(l.optimum(), l.usefulLessons() + notUseful(l, 1));
    EXPECT_NEAR(eleven.lessonPart, 0.5 * 11.5 / 12, 1e-12);
    // Matching is case-insensitive and anywhere in the instructions.
    const auto upper =
        l.quality(l.optimum(), {QStringLiteral("Always: ") + l.usefulLessons()[0].toUpper()});
    EXPECT_EQ(upper.useful, 1);
}

TEST(FitnessLandscape, SolutionsCarryTheNoisyQualityDeterministically)
{
    const FitnessLandscape l(5);
    AgentContext agent;
    agent.versionId = QStringLiteral("agv_x");
    agent.role = QStringLiteral("generator");
    agent.traits = l.optimum();
    agent.instructions = l.usefulLessons().mid(0, 6);
    const double q = l.quality(agent).q;
    double sum = 0;
    double sq = 0;
    constexpr int n = 400;
    for (int i = 0; i < n; ++i) {
        const ChatRequest r = solveRequest(agent, QStringLiteral("problem %1").arg(i));
        const auto a = l.answer(r, 1000 + i);
        ASSERT_TRUE(a);
        EXPECT_EQ(*a, *l.answer(r, 1000 + i)); // deterministic
        const auto noisy = FitnessLandscape::qualityInText(textOf(*a));
        ASSERT_TRUE(noisy);
        sum += *noisy;
        sq += (*noisy - q) * (*noisy - q);
        // The solution applies the agent's lessons.
        for (const QString &lesson : agent.instructions)
            EXPECT_TRUE(textOf(*a).contains(lesson));
    }
    EXPECT_NEAR(sum / n, q, 0.01);
    EXPECT_NEAR(std::sqrt(sq / n), FitnessLandscape::kSolutionNoise, 0.01);
}

TEST(FitnessLandscape, JudgesFollowTheQualityAndNameALackingLesson)
{
    const FitnessLandscape l(9);
    AgentContext agent;
    agent.versionId = QStringLiteral("agv_y");
    agent.role = QStringLiteral("generator");
    agent.traits = l.optimum();
    agent.instructions = l.usefulLessons().mid(0, 4);
    const auto solution = l.answer(solveRequest(agent, QStringLiteral("p")), 42);
    ASSERT_TRUE(solution);
    const QString text = textOf(*solution);
    const double noisy = *FitnessLandscape::qualityInText(text);
    std::set<QString> named;
    for (std::uint64_t h = 0; h < 40; ++h) {
        const auto verdict = l.answer(judgeRequest(text), h);
        ASSERT_TRUE(verdict);
        for (const char *aspect : {"correctness", "novelty"}) {
            const json &s = (*verdict)["scores"][aspect];
            EXPECT_NEAR(s["score"].get<double>(), std::clamp(noisy, 0.0, 1.0), 0.001);
            const QString rationale = QString::fromStdString(s["rationale"].get<std::string>());
            const QStringList phrases = FitnessLandscape::phrasesIn(rationale);
            ASSERT_EQ(phrases.size(), 1) << rationale.toStdString();
            EXPECT_TRUE(l.usefulLessons().contains(phrases[0]));
            EXPECT_FALSE(agent.instructions.contains(phrases[0])); // it lacked it
            named.insert(phrases[0]);
        }
    }
    EXPECT_GT(named.size(), 3u); // different lacking lessons across judgements
    // With every useful lesson applied, nothing is named.
    agent.instructions = l.usefulLessons();
    const auto full = l.answer(solveRequest(agent, QStringLiteral("p")), 43);
    const auto verdict = l.answer(judgeRequest(textOf(*full)), 1);
    const std::string rationale =
        (*verdict)["scores"]["correctness"]["rationale"].get<std::string>();
    EXPECT_TRUE(FitnessLandscape::phrasesIn(QString::fromStdString(rationale)).isEmpty());
}

TEST(FitnessLandscape, ReflectionsProposeWhatThePromptMentions)
{
    const FitnessLandscape l(2);
    const QStringList mentioned = l.usefulLessons().mid(0, 5);
    ChatRequest r = ChatRequest::simple(QStringLiteral("Lessons so far: ") +
                                        mentioned.join(QStringLiteral("; ")));
    r.format = ResponseFormat::JsonSchema;
    r.schemaName = QStringLiteral("reflection");
    int kept = 0;
    int invented = 0;
    constexpr int n = 200;
    for (int i = 0; i < n; ++i) {
        const auto a = l.answer(r, static_cast<std::uint64_t>(i));
        ASSERT_TRUE(a);
        for (const json &lesson : (*a)["lessons"]) {
            const QString text = QString::fromStdString(lesson.get<std::string>());
            ASSERT_TRUE(FitnessLandscape::vocabulary().contains(text));
            if (mentioned.contains(text))
                ++kept;
            else
                ++invented;
        }
    }
    EXPECT_NEAR(kept / double(n * mentioned.size()), FitnessLandscape::kKeepMentioned, 0.05);
    EXPECT_GT(invented, n / 4);
    EXPECT_LT(invented, n);
}

TEST(FitnessLandscape, TheProviderAnswersFromItOnlyInLandscapeMode)
{
    SimulatedProvider::Options options;
    options.landscapeSeed = 4;
    const SimulatedProvider sim(ProviderFactory::simulatedDefault(), options);
    const SimulatedProvider plain(ProviderFactory::simulatedDefault());
    ASSERT_TRUE(sim.landscape());
    EXPECT_FALSE(plain.landscape());
    AgentContext agent;
    agent.versionId = QStringLiteral("agv_z");
    agent.role = QStringLiteral("generator");
    agent.traits = sim.landscape()->optimum();
    ChatRequest r = solveRequest(agent, QStringLiteral("x"));
    r.schema = json::parse(R"({"type":"object","properties":{"approach":{"type":"string"}},
                               "required":["approach"]})");
    const ChatResult a = sim.answer(r);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.response->text, sim.answer(r).response->text);
    EXPECT_TRUE(FitnessLandscape::qualityInText(a.response->text));
    const ChatResult b = plain.answer(r);
    ASSERT_TRUE(b.ok());
    EXPECT_FALSE(FitnessLandscape::qualityInText(b.response->text));
    // The agent context is part of the request's identity (and so of the cache key).
    ChatRequest other = r;
    other.agent.versionId = QStringLiteral("agv_other");
    EXPECT_NE(r.toJson(), other.toJson());
    EXPECT_EQ(ChatRequest::fromJson(r.toJson()), r);
    ChatRequest none = r;
    none.agent = {};
    EXPECT_FALSE(none.toJson().contains("agent"));
}
