// AgentRepository: immutable versions, lineage, templates that are only ever cloned, and bad
// input that changes nothing.

#include "core/agents/traitcatalogue.h"
#include "core/llm/prompttemplates.h"
#include "core/store/agentrepository.h"
#include "tests/support/testworkspace.h"

#include <QSqlQuery>
#include <gtest/gtest.h>

using namespace crucible;
using crucible::test::TempFolder;

namespace {

class AgentRepositoryTest : public ::testing::Test
{
protected:
    Agent generator(const QString &name = QStringLiteral("Gen")) const
    {
        Agent a;
        a.role = agentrole::generator;
        a.identity.name = name;
        a.traits = TraitCatalogue::defaultTraits(agentrole::generator);
        return a;
    }

    qint64 rows(const char *table) const
    {
        QSqlQuery q =
            m_ws->exec(QStringLiteral("SELECT count(*) FROM %1").arg(QString::fromLatin1(table)));
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    TempFolder m_dir;
    std::unique_ptr<Workspace> m_ws = Workspace::create(m_dir.file(QStringLiteral("a.crucible")));
    PromptTemplates m_templates{QString()};
    AgentRepository m_repo{*m_ws, m_templates};
};

} // namespace

TEST_F(AgentRepositoryTest, CreateWritesTheAgentAndVersionOne)
{
    const AgentVersion v = m_repo.create(generator());
    EXPECT_TRUE(v.id.startsWith(QStringLiteral("agv_")));
    EXPECT_TRUE(v.agentId.startsWith(QStringLiteral("agt_")));
    EXPECT_EQ(v.version, 1);
    EXPECT_TRUE(v.parentVersionId.isEmpty());
    EXPECT_EQ(v.promptTemplate, QStringLiteral("agent.system@2"));
    EXPECT_TRUE(v.systemPrompt.startsWith(QStringLiteral("You are Gen, a generator agent")));

    const auto record = m_repo.agent(v.agentId);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->headVersionId, v.id);
    EXPECT_EQ(record->headVersion, 1);
    EXPECT_EQ(record->role, QStringLiteral("generator"));
    EXPECT_EQ(record->name, QStringLiteral("Gen"));
    EXPECT_EQ(m_repo.version(v.id), v);
    EXPECT_EQ(m_repo.head(v.agentId), v);

    // The stored doc is exactly the contract's definition.
    QSqlQuery q = m_ws->exec(QStringLiteral("SELECT doc FROM agent_versions"));
    ASSERT_TRUE(q.next());
    const auto doc = nlohmann::json::parse(q.value(0).toString().toStdString());
    EXPECT_EQ(doc["role"], "generator");
    EXPECT_EQ(doc["traits"]["creativity"], 70);
}

TEST_F(AgentRepositoryTest, EveryChangeMakesANewVersionAndOldRowsNeverChange)
{
    const AgentVersion v1 = m_repo.create(generator());
    const AgentVersion v2 = m_repo.setTraits(v1.agentId, {{QStringLiteral("creativity"), 35}});
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.parentVersionId, v1.id);
    EXPECT_EQ(v2.note, QStringLiteral("set creativity=35"));
    EXPECT_NE(v2.systemPrompt, v1.systemPrompt);
    EXPECT_EQ(m_repo.version(v1.id), v1); // untouched
    EXPECT_EQ(m_repo.head(v1.agentId)->id, v2.id);
    EXPECT_EQ(m_repo.agent(v1.agentId)->headVersionId, v2.id);

    // No change: no new version.
    const AgentVersion same = m_repo.setTraits(v1.agentId, {{QStringLiteral("creativity"), 35}});
    EXPECT_EQ(same.id, v2.id);
    EXPECT_EQ(rows("agent_versions"), 2);

    Agent renamed = v2.definition;
    renamed.identity.name = QStringLiteral("Generator Two");
    const AgentVersion v3 = m_repo.update(v1.agentId, renamed, QStringLiteral("renamed"));
    EXPECT_EQ(v3.version, 3);
    EXPECT_EQ(m_repo.agent(v1.agentId)->name, QStringLiteral("Generator Two"));

    const auto all = m_repo.versions(v1.agentId);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, v1.id);
    EXPECT_EQ(all[2].id, v3.id);
    const auto line = m_repo.lineage(v3.id);
    ASSERT_EQ(line.size(), 3u);
    EXPECT_EQ(line[0].id, v3.id);
    EXPECT_EQ(line[2].id, v1.id);
}

TEST_F(AgentRepositoryTest, RestoreMakesANewVersionCopyingAnOldOne)
{
    const AgentVersion v1 = m_repo.create(generator());
    m_repo.setTraits(v1.agentId, {{QStringLiteral("rigor"), 5}});
    const AgentVersion v3 = m_repo.restore(v1.agentId, v1.id);
    EXPECT_EQ(v3.version, 3);
    EXPECT_EQ(v3.definition, v1.definition);
    EXPECT_EQ(v3.systemPrompt, v1.systemPrompt);
    EXPECT_EQ(v3.note, QStringLiteral("restored version 1"));
    EXPECT_THROW(m_repo.restore(v1.agentId, QStringLiteral("agv_nope")), ValidationError);
}

TEST_F(AgentRepositoryTest, BadInputIsRefusedAndNothingIsWritten)
{
    Agent bad = generator();
    bad.traits[QStringLiteral("charisma")] = 50;
    try {
        m_repo.create(bad);
        FAIL();
    } catch (const ValidationError &e) {
        EXPECT_TRUE(e.message().contains(QStringLiteral("charisma")));
        EXPECT_TRUE(e.message().contains(QStringLiteral("is not a known trait")));
    }
    bad = generator();
    bad.traits[QStringLiteral("rigor")] = 140;
    EXPECT_THROW(m_repo.create(bad), ValidationError);
    EXPECT_EQ(rows("agents"), 0);
    EXPECT_EQ(rows("agent_versions"), 0);

    const AgentVersion v1 = m_repo.create(generator());
    EXPECT_THROW(m_repo.setTraits(v1.agentId, {{QStringLiteral("rigor"), -1}}), ValidationError);
    EXPECT_THROW(m_repo.setTraits(v1.agentId, {{QStringLiteral("wit"), 10}}), ValidationError);
    try {
        m_repo.setTraits(QStringLiteral("agt_missing"), {{QStringLiteral("rigor"), 10}});
        FAIL();
    } catch (const ValidationError &e) {
        EXPECT_TRUE(e.message().contains(QStringLiteral("agt_missing")));
        EXPECT_TRUE(e.message().contains(QStringLiteral("agents WORKSPACE list")));
    }
    EXPECT_EQ(rows("agent_versions"), 1);
}

TEST_F(AgentRepositoryTest, TemplatesAreInstalledOnceAndNeverModified)
{
    EXPECT_EQ(m_repo.ensureTemplates(), 4);
    EXPECT_EQ(m_repo.ensureTemplates(), 0);
    const auto templates = m_repo.list();
    ASSERT_EQ(templates.size(), 4u);
    EXPECT_EQ(templates[0].role, QStringLiteral("generator"));
    EXPECT_EQ(templates[1].role, QStringLiteral("critic"));
    EXPECT_EQ(templates[2].role, QStringLiteral("refiner"));
    EXPECT_EQ(templates[3].role, QStringLiteral("evaluator"));
    for (const AgentRecord &r : templates)
        EXPECT_TRUE(r.isTemplate);
    const QString critic = QStringLiteral("agt_tpl_critic");
    const auto head = m_repo.head(critic);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->id, QStringLiteral("agv_tpl_critic_1"));
    EXPECT_TRUE(head->systemPrompt.contains(QStringLiteral("critique")));

    const qint64 before = rows("agent_versions");
    try {
        m_repo.setTraits(critic, {{QStringLiteral("rigor"), 10}});
        FAIL();
    } catch (const ValidationError &e) {
        EXPECT_TRUE(e.message().contains(QStringLiteral("template")));
        EXPECT_TRUE(e.message().contains(QStringLiteral("clone")));
    }
    EXPECT_THROW(m_repo.update(critic, head->definition), ValidationError);
    EXPECT_THROW(m_repo.restore(critic, head->id), ValidationError);
    EXPECT_THROW(m_repo.archive(critic), ValidationError);
    EXPECT_EQ(rows("agent_versions"), before);
    EXPECT_EQ(m_repo.head(critic), head);
}

TEST_F(AgentRepositoryTest, ACloneRecordsWhereItCameFrom)
{
    m_repo.ensureTemplates();
    const AgentVersion source = *m_repo.head(QStringLiteral("agt_tpl_critic"));
    Agent def = source.definition;
    def.identity.name = QStringLiteral("Tax critic");
    def.identity.specialization = QStringLiteral("tax law");
    const AgentVersion clone = m_repo.clone(source.id, def);
    EXPECT_EQ(clone.version, 1);
    EXPECT_EQ(clone.parentVersionId, source.id);
    EXPECT_EQ(m_repo.agent(clone.agentId)->clonedFrom, source.id);
    EXPECT_FALSE(m_repo.agent(clone.agentId)->isTemplate);
    const auto line = m_repo.lineage(clone.id);
    ASSERT_EQ(line.size(), 2u);
    EXPECT_EQ(line[1].id, source.id);
    EXPECT_THROW(m_repo.clone(QStringLiteral("agv_missing"), def), ValidationError);
}

TEST_F(AgentRepositoryTest, ResolvesWhatTheUserTyped)
{
    const AgentVersion v1 = m_repo.create(generator(QStringLiteral("Unique name")));
    const AgentVersion v2 = m_repo.setTraits(v1.agentId, {{QStringLiteral("rigor"), 99}});
    EXPECT_EQ(m_repo.resolve(v1.agentId)->id, v2.id);
    EXPECT_EQ(m_repo.resolve(v1.id)->id, v1.id);
    EXPECT_EQ(m_repo.resolve(v1.agentId + QStringLiteral("@1"))->id, v1.id);
    EXPECT_EQ(m_repo.resolve(QStringLiteral(" Unique name "))->id, v2.id);
    EXPECT_FALSE(m_repo.resolve(v1.agentId + QStringLiteral("@9")));
    EXPECT_FALSE(m_repo.resolve(QStringLiteral("nobody")));
    EXPECT_THROW(m_repo.require(QStringLiteral("nobody")), ValidationError);
}

TEST_F(AgentRepositoryTest, ListsGroupByRoleAndHideArchived)
{
    m_repo.ensureTemplates();
    Agent critic = generator(QStringLiteral("Zed"));
    critic.role = QStringLiteral("Critic");
    const AgentVersion c = m_repo.create(critic);
    Agent mediator = generator(QStringLiteral("Mia"));
    mediator.role = QStringLiteral("mediator");
    m_repo.create(mediator);
    const auto all = m_repo.list();
    ASSERT_EQ(all.size(), 6u);
    EXPECT_EQ(all[1].id, c.agentId); // user's critic before the critic template
    EXPECT_EQ(all[2].id, QStringLiteral("agt_tpl_critic"));
    EXPECT_EQ(all[5].role, QStringLiteral("mediator"));
    AgentListOptions mine;
    mine.includeTemplates = false;
    EXPECT_EQ(m_repo.count(mine), 2);
    m_repo.archive(c.agentId);
    EXPECT_EQ(m_repo.count(mine), 1);
    EXPECT_THROW(m_repo.setTraits(c.agentId, {{QStringLiteral("rigor"), 1}}), ValidationError);
    mine.includeArchived = true;
    EXPECT_EQ(m_repo.count(mine), 2);
    mine.role = QStringLiteral("critic");
    EXPECT_EQ(m_repo.count(mine), 1);
}

TEST_F(AgentRepositoryTest, InstructionsAreRenderedAndLearningRecordsKeptWithTheVersion)
{
    const AgentVersion v1 = m_repo.create(generator());
    // Without instructions the definition's JSON has no such key (fingerprints stay) and the
    // prompt has no lesson section.
    EXPECT_FALSE(v1.definition.toJson().contains("instructions"));
    EXPECT_FALSE(v1.systemPrompt.contains(QStringLiteral("Lessons to apply")));

    Agent taught = v1.definition;
    taught.instructions = {QStringLiteral("State every assumption first"),
                           QStringLiteral("Check each constraint at the end")};
    const nlohmann::json learning = {{"changed", {{"added", {"State every assumption first"}}}},
                                     {"why", "judges said assumptions were missing"},
                                     {"evidence", {{"validation_mean", 0.71}}}};
    const AgentVersion v2 = m_repo.update(v1.agentId, taught, QStringLiteral("learnt"), learning);
    EXPECT_EQ(v2.version, 2);
    EXPECT_TRUE(v2.systemPrompt.contains(
        QStringLiteral("Lessons to apply in every task:\n- State every assumption first\n- Check "
                       "each constraint at the end")))
        << v2.systemPrompt.toStdString();
    const auto stored = m_repo.version(v2.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->learning, learning);
    EXPECT_EQ(stored->definition.instructions, taught.instructions);
    EXPECT_EQ(*stored, v2);
    EXPECT_TRUE(m_repo.version(v1.id)->learning.is_null());
    // The version's JSON (archives) carries the record; a version without one has no key.
    EXPECT_EQ(AgentVersion::fromJson(v2.toJson()), v2);
    EXPECT_FALSE(v1.toJson().contains("learning"));

    // An empty instruction and a learning record that is not an object are refused.
    Agent bad = taught;
    bad.instructions << QStringLiteral("  ");
    EXPECT_THROW(m_repo.update(v1.agentId, bad), ValidationError);
    taught.instructions << QStringLiteral("Name the metric that defines success");
    EXPECT_THROW(m_repo.update(v1.agentId, taught, {}, nlohmann::json::array()), ValidationError);
    EXPECT_EQ(m_repo.head(v1.agentId)->version, 2);
}
