// The trait catalogue's 9-band Likert wording and the deterministic system prompt.

#include "core/agents/agentpromptrenderer.h"
#include "core/agents/traitcatalogue.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace crucible;

namespace {
Agent critic()
{
    Agent a;
    a.role = agentrole::critic;
    a.identity = {QStringLiteral("Ada"), QStringLiteral("tax law"), QStringLiteral("Reads twice.")};
    a.traits = TraitCatalogue::defaultTraits(agentrole::critic);
    a.communicationStyle = QStringLiteral("Short and direct.");
    a.knowledgeDomains = {QStringLiteral("accounting"), QStringLiteral("VAT")};
    return a;
}
} // namespace

TEST(TraitCatalogue, NineEqualBandsCoverZeroToHundred)
{
    EXPECT_EQ(TraitCatalogue::band(0), 0);
    EXPECT_EQ(TraitCatalogue::band(11), 0);
    EXPECT_EQ(TraitCatalogue::band(12), 1);
    EXPECT_EQ(TraitCatalogue::band(44), 3);
    EXPECT_EQ(TraitCatalogue::band(45), 4);
    EXPECT_EQ(TraitCatalogue::band(50), 4);
    EXPECT_EQ(TraitCatalogue::band(56), 4);
    EXPECT_EQ(TraitCatalogue::band(57), 5);
    EXPECT_EQ(TraitCatalogue::band(89), 7);
    EXPECT_EQ(TraitCatalogue::band(90), 8);
    EXPECT_EQ(TraitCatalogue::band(100), 8);
    EXPECT_EQ(TraitCatalogue::band(-5), 0);
    EXPECT_EQ(TraitCatalogue::band(140), 8);
    for (int b = 0; b < TraitCatalogue::kBands; ++b)
        EXPECT_EQ(TraitCatalogue::band(TraitCatalogue::bandCenter(b)), b);
    EXPECT_EQ(TraitCatalogue::bandCenter(4), 50);
}

TEST(TraitCatalogue, LikertQualifiersFromExtremelyLowToExtremelyHigh)
{
    const QString low = QStringLiteral("conventional");
    const QString high = QStringLiteral("creative");
    const QStringList expected{QStringLiteral("extremely conventional"),
                               QStringLiteral("very conventional"),
                               QStringLiteral("conventional"),
                               QStringLiteral("a bit conventional"),
                               QStringLiteral("neither conventional nor creative"),
                               QStringLiteral("a bit creative"),
                               QStringLiteral("creative"),
                               QStringLiteral("very creative"),
                               QStringLiteral("extremely creative")};
    for (int b = 0; b < 9; ++b)
        EXPECT_EQ(TraitCatalogue::qualified(b, low, high), expected[b]);
}

TEST(TraitCatalogue, EveryBuiltInTraitHasNineDistinctBehaviours)
{
    const auto &catalogue = TraitCatalogue::builtIn();
    for (const char *name :
         {"creativity", "rigor", "skepticism", "verbosity", "risk_taking", "empathy", "formality"})
        ASSERT_TRUE(catalogue.find(QString::fromLatin1(name))) << name;
    for (const TraitDefinition &t : catalogue.traits()) {
        QStringList seen;
        for (const QString &b : t.behaviour) {
            EXPECT_GT(b.size(), 20) << t.name.toStdString();
            EXPECT_FALSE(seen.contains(b)) << t.name.toStdString();
            seen << b;
        }
        EXPECT_FALSE(t.lowMarker.isEmpty());
        EXPECT_FALSE(t.highMarker.isEmpty());
    }
    const TraitWording w = catalogue.wording(QStringLiteral("rigor"), 95);
    EXPECT_EQ(w.phrase, QStringLiteral("extremely rigorous"));
    EXPECT_EQ(w.behaviour, catalogue.find(QStringLiteral("rigor"))->behaviour[8]);
}

TEST(TraitCatalogue, UserDefinedTraitsGetTheQualifierWordingAndUnknownOnesAreRefused)
{
    Agent a = critic();
    a.traits[QStringLiteral("patience")] = 80;
    const auto issues = TraitCatalogue::builtIn().check(a);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].value, QStringLiteral("patience"));
    EXPECT_TRUE(issues[0].rule.contains(QStringLiteral("creativity")));

    a.customTraits[QStringLiteral("patience")] = {QStringLiteral("impatient"),
                                                  QStringLiteral("patient")};
    EXPECT_TRUE(TraitCatalogue::builtIn().check(a).empty());
    const auto wordings = TraitCatalogue::builtIn().wordings(a);
    ASSERT_EQ(wordings.size(), 8u);
    EXPECT_EQ(wordings.front().trait, QStringLiteral("creativity")); // catalogue order first
    EXPECT_EQ(wordings.back().trait, QStringLiteral("patience"));
    EXPECT_EQ(wordings.back().phrase, QStringLiteral("very patient"));
    EXPECT_TRUE(wordings.back().custom);
}

TEST(TraitCatalogue, RolesHaveDefaultPersonalities)
{
    const auto critic = TraitCatalogue::defaultTraits(agentrole::critic);
    const auto generator = TraitCatalogue::defaultTraits(agentrole::generator);
    EXPECT_EQ(critic.size(), 7u);
    EXPECT_GT(critic.at(QStringLiteral("skepticism")), generator.at(QStringLiteral("skepticism")));
    EXPECT_GT(generator.at(QStringLiteral("creativity")), critic.at(QStringLiteral("creativity")));
    const auto custom = TraitCatalogue::defaultTraits(QStringLiteral("mediator"));
    for (const auto &[name, value] : custom)
        EXPECT_EQ(value, 50) << name.toStdString();
}

TEST(AgentPromptRenderer, RendersEveryPartDeterministically)
{
    const PromptTemplates templates{QString()};
    const AgentPromptRenderer renderer(templates);
    const Agent a = critic();
    const AgentPrompt p = renderer.render(a);
    ASSERT_TRUE(p.ok()) << p.error.toStdString();
    EXPECT_EQ(p.promptTemplate, QStringLiteral("agent.system@2"));
    EXPECT_TRUE(p.text.startsWith(
        QStringLiteral("You are Ada, a critic agent specialised in tax law.\nReads twice.")))
        << p.text.toStdString();
    EXPECT_TRUE(p.text.contains(QStringLiteral("- You are very skeptical.")));
    EXPECT_TRUE(p.text.contains(
        TraitCatalogue::builtIn().find(QStringLiteral("skepticism"))->behaviour[7]));
    EXPECT_TRUE(p.text.contains(QStringLiteral("Draw on your knowledge of: accounting, VAT.")));
    EXPECT_TRUE(p.text.contains(QStringLiteral("Communication style: Short and direct.")));
    EXPECT_TRUE(p.text.contains(AgentPromptRenderer::roleDuty(agentrole::critic)));
    EXPECT_FALSE(p.text.contains(QStringLiteral("&amp;")));
    EXPECT_EQ(renderer.render(a).text, p.text);

    Agent moved = a;
    moved.traits[QStringLiteral("skepticism")] = 50;
    const QString other = renderer.render(moved).text;
    EXPECT_NE(other, p.text);
    EXPECT_TRUE(other.contains(QStringLiteral("neither trusting nor skeptical")));

    Agent bare;
    bare.role = QStringLiteral("evaluator");
    bare.identity.name = QStringLiteral("Eve");
    const QString text = renderer.render(bare).text;
    EXPECT_TRUE(text.startsWith(QStringLiteral("You are Eve, an evaluator agent.\n\nYour role:")))
        << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("Your personality")));
    EXPECT_FALSE(text.contains(QStringLiteral("\n\n\n")));
    EXPECT_FALSE(text.contains(QStringLiteral("Communication style")));
}

TEST(AgentPromptRenderer, AnOverrideReplacesTheBuiltInTemplate)
{
    QTemporaryDir dir;
    QFile f(QDir(dir.path()).filePath(QStringLiteral("agent.system.mustache")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{{! id: agent.system version: 7 }}\nI am {{name}}.{{#traits}} {{trait}}={{value}}"
            "{{/traits}}\n");
    f.close();
    const PromptTemplates templates(dir.path());
    const AgentPrompt p = AgentPromptRenderer(templates).render(critic());
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.promptTemplate, QStringLiteral("agent.system@7"));
    EXPECT_TRUE(p.text.startsWith(QStringLiteral("I am Ada. creativity=35 rigor=85")));
}
