// Clone & specialize against the Simulated provider and the loopback server (faults included):
// bounded suggestions, manual overrides that win, and nothing written until apply().

#include "core/agents/clonespecializer.h"
#include "core/agents/traitcatalogue.h"
#include "core/llm/providers/openaiprovider.h"
#include "core/llm/providers/providerfactory.h"
#include "core/llm/providers/simulatedprovider.h"
#include "core/store/agentrepository.h"
#include "tests/support/llmtestserverthread.h"
#include "tests/support/testworkspace.h"

#include <QCoro/QCoroTask>
#include <QSqlQuery>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::LlmTestServerThread;
using crucible::test::TempFolder;
namespace Fault = crucible::test::Fault;
using nlohmann::json;

namespace {

struct Fixture
{
    TempFolder dir;
    std::unique_ptr<Workspace> ws = Workspace::create(dir.file(QStringLiteral("c.crucible")));
    LlmClient client{PriceTable::builtIn()};
    PromptTemplates templates{QString()};
    AgentRepository repo{*ws, templates};

    Fixture()
    {
        client.setLedger(ws.get());
        client.setRetryBackoff(1, 5);
        repo.ensureTemplates();
    }

    AgentVersion critic() const { return *repo.head(QStringLiteral("agt_tpl_critic")); }

    SpecializationSuggestion suggest(SpecializationRequest request)
    {
        CloneSpecializer specializer(client, templates);
        return QCoro::waitFor(specializer.suggest(critic(), std::move(request)));
    }

    qint64 versions() const
    {
        QSqlQuery q = ws->exec(QStringLiteral("SELECT count(*) FROM agent_versions"));
        return q.next() ? q.value(0).toLongLong() : -1;
    }
};

SpecializationRequest request(const QString &provider)
{
    SpecializationRequest r;
    r.specialization = QStringLiteral("tax law");
    r.providerId = provider;
    return r;
}

} // namespace

TEST(CloneSpecializer, BoundsClampsAndLetsOverridesWin)
{
    SpecializationSuggestion s;
    s.source.id = QStringLiteral("agv_src");
    s.source.definition.identity.name = QStringLiteral("Critic");
    s.source.definition.traits = {{QStringLiteral("rigor"), 90},
                                  {QStringLiteral("creativity"), 40},
                                  {QStringLiteral("empathy"), 50}};
    s.request.specialization = QStringLiteral("tax law");
    s.request.overrides[QStringLiteral("empathy")] = *TraitOverride::parse(QStringLiteral("+10"));
    const json answer = json::parse(R"({
        "adjustments": [
            {"trait": "rigor", "delta": 20, "reason": "Tax rules are exact."},
            {"trait": "creativity", "delta": -60, "reason": "Stick to the code."},
            {"trait": "empathy", "delta": -20, "reason": "Facts over feelings."},
            {"trait": "charisma", "delta": 5, "reason": "Not a trait."},
            {"trait": "rigor", "delta": 1, "reason": "Again."}],
        "knowledge_domains": ["VAT", "income tax", "vat"],
        "description": "Checks tax advice."})");
    CloneSpecializer::interpret(s, answer);
    ASSERT_EQ(s.adjustments.size(), 3u);
    EXPECT_EQ(s.adjustments[1].suggested, -60);
    EXPECT_EQ(s.adjustments[1].delta, -25);
    EXPECT_TRUE(s.adjustments[1].bounded);
    EXPECT_EQ(s.knowledgeDomains,
              (QStringList{QStringLiteral("VAT"), QStringLiteral("income tax")}));
    const QString notes = s.notes.join(u'\n');
    EXPECT_TRUE(notes.contains(QStringLiteral("creativity: suggested -60, bounded to -25")));
    EXPECT_TRUE(notes.contains(QStringLiteral("rigor: 90 +20 leaves 0–100, clamped to 100")));
    EXPECT_TRUE(notes.contains(QStringLiteral("charisma")));
    EXPECT_TRUE(notes.contains(QStringLiteral("empathy: your value replaces the suggestion")));

    const Agent p = s.proposed();
    EXPECT_EQ(p.traits.at(QStringLiteral("rigor")), 100);     // clamped
    EXPECT_EQ(p.traits.at(QStringLiteral("creativity")), 15); // 40 - 25
    EXPECT_EQ(p.traits.at(QStringLiteral("empathy")), 60);    // override: 50 + 10, not -20
    EXPECT_EQ(p.identity.name, QStringLiteral("Critic (tax law)"));
    EXPECT_EQ(p.identity.specialization, QStringLiteral("tax law"));
    EXPECT_EQ(p.identity.description, QStringLiteral("Checks tax advice."));

    s.adjustments[0].accepted = false; // the user turned it off
    EXPECT_EQ(s.proposed().traits.at(QStringLiteral("rigor")), 90);

    EXPECT_EQ(TraitOverride::parse(QStringLiteral("80"))->relative, false);
    EXPECT_EQ(TraitOverride::parse(QStringLiteral("-5"))->value, -5);
    EXPECT_FALSE(TraitOverride::parse(QStringLiteral("high")));
}

TEST(CloneSpecializer, SuggestsWithTheSimulatedProviderAndWritesOnlyOnApply)
{
    Fixture f;
    f.client.addProvider(std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    const qint64 before = f.versions();
    SpecializationRequest r = request(QStringLiteral("simulated"));
    r.overrides[QStringLiteral("rigor")] = {95, false};
    const SpecializationSuggestion s = f.suggest(r);
    ASSERT_TRUE(s.ok()) << s.error.toStdString();
    EXPECT_FALSE(s.callIds.isEmpty());
    for (const TraitAdjustment &adj : s.adjustments) {
        EXPECT_TRUE(f.critic().definition.traits.count(adj.trait)) << adj.trait.toStdString();
        EXPECT_LE(std::abs(adj.delta), CloneSpecializer::kMaxDelta);
        EXPECT_FALSE(adj.reason.isEmpty());
    }
    EXPECT_EQ(f.versions(), before); // suggest() writes no agent

    const AgentVersion clone = CloneSpecializer::apply(f.repo, s);
    EXPECT_EQ(f.versions(), before + 1);
    EXPECT_EQ(clone.parentVersionId, f.critic().id);
    EXPECT_EQ(f.repo.agent(clone.agentId)->clonedFrom, f.critic().id);
    EXPECT_EQ(clone.definition.traits.at(QStringLiteral("rigor")), 95);
    EXPECT_EQ(clone.definition.identity.specialization, QStringLiteral("tax law"));
    EXPECT_TRUE(clone.note.contains(QStringLiteral("rigor=95")));
    for (const auto &[trait, value] : clone.definition.traits) {
        EXPECT_GE(value, 0);
        EXPECT_LE(value, 100);
    }
}

TEST(CloneSpecializer, ABadRequestFailsBeforeAnyCall)
{
    Fixture f;
    f.client.addProvider(std::make_shared<SimulatedProvider>(ProviderFactory::simulatedDefault()));
    SpecializationRequest r = request(QStringLiteral("simulated"));
    r.specialization = QStringLiteral("  ");
    SpecializationSuggestion s = f.suggest(r);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(s.error.contains(QStringLiteral("specialization")));
    r = request(QStringLiteral("simulated"));
    r.overrides[QStringLiteral("wit")] = {10, true};
    s = f.suggest(r);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(s.error.contains(QStringLiteral("wit")));
    EXPECT_TRUE(s.callIds.isEmpty());
    EXPECT_THROW(CloneSpecializer::apply(f.repo, s), ValidationError);
}

TEST(CloneSpecializer, LoopbackAnswersAreUsedAndAnAnswerThatStaysInvalidWritesNothing)
{
    Fixture f;
    LlmTestServerThread server;
    ProviderConfig c = ProviderConfig::fromPreset(ProviderPreset::Custom, QStringLiteral("loop"));
    c.baseUrl = server.server().openAiBaseUrl().toString();
    c.defaultModel = QStringLiteral("test-model");
    c.maxRetries = 1;
    f.client.addProvider(std::make_shared<OpenAiProvider>(c, QString()));
    server.server().setAnswerHandler([](const json &) {
        return QByteArrayLiteral(
            R"({"adjustments": [{"trait": "skepticism", "delta": 40, "reason": "Tax claims need )"
            R"(sources."}], "knowledge_domains": ["tax law"], "description": "A tax critic."})");
    });
    server.server().pushFault(Fault::FencedJson{});
    SpecializationRequest r = request(QStringLiteral("loop"));
    r.context = QStringLiteral("Small businesses in Germany");
    SpecializationSuggestion s = f.suggest(r);
    ASSERT_TRUE(s.ok()) << s.error.toStdString();
    ASSERT_EQ(s.adjustments.size(), 1u);
    EXPECT_EQ(s.adjustments[0].delta, 25);
    EXPECT_TRUE(s.adjustments[0].bounded);
    EXPECT_EQ(s.proposed().traits.at(QStringLiteral("skepticism")), 100); // 85 + 25, clamped
    const auto sent = server.server().lastRequest()->json();
    EXPECT_NE(sent.dump().find("Small businesses in Germany"), std::string::npos);

    const qint64 before = f.versions();
    for (int i = 0; i < 3; ++i)
        server.server().pushFault(Fault::MalformedJson{});
    r.specialization = QStringLiteral("customs"); // another request: no cache hit
    s = f.suggest(r);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(s.error.contains(QStringLiteral("Nothing was written"))) << s.error.toStdString();
    EXPECT_TRUE(s.error.contains(QStringLiteral("agv_tpl_critic_1")));
    EXPECT_THROW(CloneSpecializer::apply(f.repo, s), ValidationError);
    EXPECT_EQ(f.versions(), before);
}
