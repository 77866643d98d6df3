// Interactions as OpenAI chat fine-tuning JSONL (role mapping, speaker prefixes, merging,
// trimming, skipping, system prompts) and as plain transcripts.

#include "core/store/entityrepository.h"
#include "core/store/interactionexporter.h"
#include "core/store/problemrepository.h"
#include "tests/support/testworkspace.h"

#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::test;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

InteractionTurn turn(const char *role, const char *speaker, const char *content)
{
    return {QString::fromUtf8(role), QString::fromUtf8(speaker), QString::fromUtf8(content)};
}

// A persona (user) talking to an agent, as the interaction generator stores it.
Interaction personaAndAgent(const QString &id = QStringLiteral("int_1"))
{
    Interaction in;
    in.id = id;
    in.problemId = makeProblem(1).id;
    in.stopReason = QStringLiteral("goal_reached");
    in.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL, Qt::UTC);
    in.turns = {turn("persona_cfo", "Dana (CFO)", "Our ledger does not balance."),
                turn("agent_fin", "Ledger agent", "Which accounts differ?"),
                turn("persona_cfo", "Dana (CFO)", "Receivables, by 40 EUR."),
                turn("agent_fin", "Ledger agent", "Check the 40 EUR credit note of May.")};
    in.metadata = {{"roles",
                    {{{"role", "persona_cfo"}, {"name", "Dana (CFO)"}, {"kind", "user_persona"}},
                     {{"role", "agent_fin"}, {"name", "Ledger agent"}, {"kind", "agent"}}}},
                   {"job_id", "job_1"},
                   {"turn_limit", 8}};
    return in;
}

std::vector<std::pair<std::string, std::string>> messages(const ordered_json &doc)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto &m : doc.at("messages"))
        out.emplace_back(m.at("role").get<std::string>(), m.at("content").get<std::string>());
    return out;
}

using Messages = std::vector<std::pair<std::string, std::string>>;

InteractionExportOptions noSystem()
{
    InteractionExportOptions o;
    o.systemPrompt = QString();
    return o;
}

// What the OpenAI fine-tuning format requires of one line.
void expectValidChatLine(const QByteArray &line)
{
    const json doc = json::parse(line.toStdString());
    ASSERT_TRUE(doc.is_object());
    ASSERT_EQ(doc.size(), 1u);
    const json &list = doc.at("messages");
    ASSERT_TRUE(list.is_array());
    ASSERT_FALSE(list.empty());
    std::string previous;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string role = list[i].at("role").get<std::string>();
        EXPECT_FALSE(list[i].at("content").get<std::string>().empty());
        if (role == "system") {
            EXPECT_EQ(i, 0u);
        } else {
            EXPECT_TRUE(role == "user" || role == "assistant") << role;
            EXPECT_NE(role, previous) << "roles must alternate: " << line.toStdString();
        }
        previous = role;
    }
    EXPECT_EQ(list.back().at("role"), "assistant");
}

} // namespace

TEST(InteractionOpenAiChat, TheAgentIsTheAssistantAndThePersonaTheUser)
{
    const Problem problem = makeProblem(1);
    const auto doc = InteractionExporter::openAiChat(personaAndAgent(), &problem, {});
    ASSERT_TRUE(doc);
    const Messages m = messages(*doc);
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m[0].first, "system");
    EXPECT_NE(m[0].second.find(problem.statement.toStdString()), std::string::npos);
    EXPECT_NE(m[0].second.find("- constraint A1"), std::string::npos);
    EXPECT_EQ(m[1], (std::pair<std::string, std::string>{"user", "Our ledger does not balance."}));
    EXPECT_EQ(m[2], (std::pair<std::string, std::string>{"assistant", "Which accounts differ?"}));
    EXPECT_EQ(m[4].first, "assistant");
    expectValidChatLine(QByteArray::fromStdString(doc->dump()));
}

TEST(InteractionOpenAiChat, PlainUserAssistantRolesNeedNoMetadata)
{
    Interaction in;
    in.id = QStringLiteral("int_plain");
    in.turns = {turn("user", "", "Hi"), turn("assistant", "", "Hello")};
    const auto doc = InteractionExporter::openAiChat(in, nullptr, noSystem());
    ASSERT_TRUE(doc);
    EXPECT_EQ(messages(*doc), (Messages{{"user", "Hi"}, {"assistant", "Hello"}}));
    EXPECT_EQ(InteractionExporter::trainedRole(in, {}), QStringLiteral("assistant"));
}

TEST(InteractionOpenAiChat, TheTrainedRoleCanBeChosenByRoleOrName)
{
    InteractionExportOptions options = noSystem();
    options.assistantRole = QStringLiteral("persona_cfo");
    auto doc = InteractionExporter::openAiChat(personaAndAgent(), nullptr, options);
    ASSERT_TRUE(doc);
    bool trimmed = false;
    // The persona speaks first and the agent last: the agent's final turn is trimmed.
    doc = InteractionExporter::openAiChat(personaAndAgent(), nullptr, options, &trimmed);
    EXPECT_TRUE(trimmed);
    EXPECT_EQ(messages(*doc), (Messages{{"assistant", "Our ledger does not balance."},
                                        {"user", "Which accounts differ?"},
                                        {"assistant", "Receivables, by 40 EUR."}}));

    options.assistantRole = QStringLiteral("Dana (CFO)"); // the display name from metadata.roles
    EXPECT_EQ(InteractionExporter::trainedRole(personaAndAgent(), options.assistantRole),
              QStringLiteral("persona_cfo"));
    EXPECT_EQ(InteractionExporter::openAiChat(personaAndAgent(), nullptr, options), doc);
}

TEST(InteractionOpenAiChat, SeveralOtherSpeakersAreNamedAndConsecutiveTurnsMerged)
{
    Interaction in;
    in.id = QStringLiteral("int_group");
    in.turns = {turn("persona_a", "Ana", "I need a report."),
                turn("persona_b", "Ben", "By Friday."),
                turn("assistant", "Bot", "I can do that."),
                turn("assistant", "Bot", "Which format?"),
                turn("persona_a", "", "PDF."),
                turn("assistant", "Bot", "Done.")};
    const auto doc = InteractionExporter::openAiChat(in, nullptr, noSystem());
    ASSERT_TRUE(doc);
    EXPECT_EQ(messages(*doc), (Messages{{"user", "Ana: I need a report.\n\nBen: By Friday."},
                                        {"assistant", "I can do that.\n\nWhich format?"},
                                        {"user", "persona_a: PDF."},
                                        {"assistant", "Done."}}));
    expectValidChatLine(QByteArray::fromStdString(doc->dump()));
}

TEST(InteractionOpenAiChat, OneOtherSpeakerIsNotPrefixed)
{
    const auto doc = InteractionExporter::openAiChat(personaAndAgent(), nullptr, noSystem());
    ASSERT_TRUE(doc);
    for (const auto &[role, content] : messages(*doc))
        EXPECT_EQ(content.find("Dana"), std::string::npos) << content;
}

TEST(InteractionOpenAiChat, EndsWithTheLastAssistantMessageAndSkipsEmptyTurns)
{
    Interaction in = personaAndAgent();
    in.turns.insert(in.turns.begin() + 1, turn("agent_fin", "Ledger agent", "   "));
    in.turns.push_back(turn("persona_cfo", "Dana (CFO)", "Thanks!"));
    in.turns.push_back(turn("persona_cfo", "Dana (CFO)", "Bye."));
    bool trimmed = false;
    const auto doc = InteractionExporter::openAiChat(in, nullptr, noSystem(), &trimmed);
    ASSERT_TRUE(doc);
    EXPECT_TRUE(trimmed);
    const Messages m = messages(*doc);
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m.back(), (std::pair<std::string, std::string>{
                            "assistant", "Check the 40 EUR credit note of May."}));

    bool untouched = true;
    InteractionExporter::openAiChat(personaAndAgent(), nullptr, noSystem(), &untouched);
    EXPECT_FALSE(untouched);
}

TEST(InteractionOpenAiChat, NoAssistantMessageMeansNoExample)
{
    Interaction in;
    in.id = QStringLiteral("int_monologue");
    in.turns = {turn("user", "Ann", "Hello?"), turn("user", "Ann", "Anyone?")};
    EXPECT_FALSE(InteractionExporter::openAiChat(in, nullptr, {}));
    in.turns.push_back(turn("assistant", "", ""));
    EXPECT_FALSE(InteractionExporter::openAiChat(in, nullptr, {}));
    in.turns.clear();
    EXPECT_FALSE(InteractionExporter::openAiChat(in, nullptr, {}));
}

TEST(InteractionOpenAiChat, SystemPromptIsCustomDefaultOrAbsent)
{
    const Interaction in = personaAndAgent();
    InteractionExportOptions options;
    options.systemPrompt = QStringLiteral("You reconcile ledgers.");
    auto m = messages(*InteractionExporter::openAiChat(in, nullptr, options));
    EXPECT_EQ(m.front(), (std::pair<std::string, std::string>{"system", "You reconcile ledgers."}));

    m = messages(*InteractionExporter::openAiChat(in, nullptr, noSystem()));
    EXPECT_EQ(m.front().first, "user");

    m = messages(*InteractionExporter::openAiChat(in, nullptr, {}));
    EXPECT_EQ(m.front().first, "system");
    EXPECT_EQ(m.front().second, InteractionExporter::defaultSystemPrompt(nullptr).toStdString());
}

TEST(InteractionTranscript, KeepsEveryTurnAsStored)
{
    const ordered_json t = InteractionExporter::transcript(personaAndAgent());
    EXPECT_EQ(t.dump(),
              R"j({"id":"int_1","problem_id":"prb_test_000001","stop_reason":"goal_reached",)j"
              R"j("turns":[{"role":"persona_cfo","speaker":"Dana (CFO)","content":"Our ledger )j"
              R"j(does not balance."},{"role":"agent_fin","speaker":"Ledger agent","content":)j"
              R"j("Which accounts differ?"},{"role":"persona_cfo","speaker":"Dana (CFO)",)j"
              R"j("content":"Receivables, by 40 EUR."},{"role":"agent_fin","speaker":"Ledger )j"
              R"j(agent","content":"Check the 40 EUR credit note of May."}]})j");
    Interaction bare;
    bare.id = QStringLiteral("int_bare");
    const ordered_json b = InteractionExporter::transcript(bare);
    EXPECT_TRUE(b["problem_id"].is_null());
    EXPECT_TRUE(b["stop_reason"].is_null());
    EXPECT_EQ(b["turns"], ordered_json::array());
}

class InteractionExporterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ws = Workspace::create(dir.file(QStringLiteral("int.crucible")));
        ProblemRepository(*ws).insert(makeProblem(1));
        ProblemRepository(*ws).insert(makeProblem(2));
        EntityStore store(*ws);
        for (int i = 0; i < 3; ++i)
            store.put(personaAndAgent(QStringLiteral("int_a%1").arg(i)));
        Interaction other = personaAndAgent(QStringLiteral("int_b"));
        other.problemId = makeProblem(2).id;
        store.put(other);
        Interaction silent;
        silent.id = QStringLiteral("int_silent");
        silent.problemId = makeProblem(2).id;
        silent.turns = {turn("user", "Ann", "Hello?")};
        store.put(silent);
    }

    TempFolder dir;
    std::unique_ptr<Workspace> ws;
};

TEST_F(InteractionExporterTest, WritesOneValidLinePerInteractionAndCountsTheSkipped)
{
    const QString path = dir.file(QStringLiteral("chat.jsonl"));
    std::vector<std::pair<qint64, qint64>> progress;
    InteractionExportOptions options;
    options.progress = [&](qint64 done, qint64 total) { progress.emplace_back(done, total); };
    const InteractionExportResult r = InteractionExporter(*ws).exportToFile(path, options);
    EXPECT_EQ(r.read, 5);
    EXPECT_EQ(r.written, 4);
    EXPECT_EQ(r.skippedNoAssistant, 1);
    EXPECT_EQ(r.skippedIds, QStringList{QStringLiteral("int_silent")});
    EXPECT_EQ(r.trimmed, 0);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back(), (std::pair<qint64, qint64>{5, 5}));

    const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 4);
    for (const QByteArray &line : lines)
        expectValidChatLine(line);
    // The default system prompt states each interaction's own problem.
    const json last = json::parse(lines.back().toStdString());
    EXPECT_NE(last["messages"][0]["content"].get<std::string>().find(
                  makeProblem(2).statement.toStdString()),
              std::string::npos);
}

TEST_F(InteractionExporterTest, FiltersByProblemAndWritesTranscripts)
{
    InteractionExportOptions options;
    options.format = InteractionExportFormat::Transcript;
    options.problemId = makeProblem(2).id;
    QByteArray data;
    const InteractionExportResult r = InteractionExporter(*ws).exportToBytes(data, options);
    EXPECT_EQ(r.written, 2); // transcripts keep the interaction without an assistant too
    const QList<QByteArray> lines = data.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2);
    EXPECT_EQ(json::parse(lines[0].toStdString()).at("id"), "int_b");
    EXPECT_EQ(json::parse(lines[1].toStdString()).at("id"), "int_silent");
    EXPECT_EQ(json::parse(lines[1].toStdString()).at("turns").size(), 1u);
}
