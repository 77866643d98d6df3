#include "core/llm/prompttemplates.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using crucible::PromptTemplate;
using crucible::PromptTemplates;
using nlohmann::json;

namespace {

void writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.toUtf8());
}

PromptTemplate inlineTemplate(const QString &body)
{
    PromptTemplate t;
    t.id = QStringLiteral("test.inline");
    t.version = 3;
    t.body = body;
    t.source = QStringLiteral("inline.mustache");
    return t;
}

} // namespace

TEST(PromptTemplates, BuiltInsLoadParseAndRender)
{
    const PromptTemplates templates(QString{});
    for (const char *id :
         {"generate.seeds", "generate.variations", "generate.adversarial", "generate.expand",
          "generate.problem", "generate.interaction_turn", "evaluate.solution", "agent.critique",
          "llm.repair", "llm.truncated_retry"}) {
        const auto *t = templates.find(QString::fromLatin1(id));
        ASSERT_NE(t, nullptr) << id;
        EXPECT_GE(t->version, 1) << id;
        EXPECT_FALSE(t->overridden);
        EXPECT_TRUE(t->source.startsWith(QStringLiteral(":/prompts/"))) << id;
        const auto rendered = templates.render(QString::fromLatin1(id), json::object());
        EXPECT_TRUE(rendered.ok()) << id << ": " << rendered.error.toStdString();
        EXPECT_FALSE(rendered.text.contains(QStringLiteral("{{"))) << id;
    }
    EXPECT_TRUE(templates.problems().isEmpty())
        << templates.problems().join(QLatin1Char('\n')).toStdString();
}

TEST(PromptTemplates, RendersValuesListsAndSections)
{
    const PromptTemplates templates(QString{});
    const auto r = templates.render(
        QStringLiteral("generate.variations"),
        json{{"domain", "hospital logistics"},
             {"complexity", "complex"},
             {"base_problem", "Schedule nurses for a ward of 30 beds."},
             {"base_constraints", {"no nurse works more than 5 nights", "budget is fixed"}},
             {"dimensions", json::array({{{"name", "data size"}, {"value", "large"}}})},
             {"avoid", json::array()}});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.id, QStringLiteral("generate.variations"));
    EXPECT_EQ(r.version, 1);
    EXPECT_FALSE(r.overridden);
    EXPECT_TRUE(r.text.contains(QStringLiteral("hospital logistics problem at complex")));
    EXPECT_TRUE(r.text.contains(QStringLiteral("- no nurse works more than 5 nights\n")));
    EXPECT_TRUE(r.text.contains(QStringLiteral("- data size: large")));
    // An empty list hides its whole block, heading included.
    EXPECT_FALSE(r.text.contains(QStringLiteral("already exist")));
    EXPECT_FALSE(r.text.startsWith(QStringLiteral("{{!")));

    const auto repair = templates.render(
        QStringLiteral("llm.repair"),
        json{{"errors", {"/name: minLength: expected at least 3 characters, got 1"}},
             {"previous_answer", R"({"name": "x"})"},
             {"schema", R"({"type": "object"})"},
             {"attempt", 2},
             {"max_attempts", 3}});
    ASSERT_TRUE(repair.ok()) << repair.error.toStdString();
    EXPECT_TRUE(repair.text.contains(QStringLiteral("- /name: minLength")));
    EXPECT_TRUE(repair.text.contains(QStringLiteral(R"({"name": "x"})")));
    EXPECT_TRUE(repair.text.contains(QStringLiteral("attempt 2 of 3")));
    EXPECT_TRUE(repair.text.contains(QStringLiteral("JSON only")) ||
                repair.text.contains(QStringLiteral("corrected JSON only")));
}

TEST(PromptTemplates, NoHtmlEscapingAndNumbersBooleansNull)
{
    const auto r = PromptTemplates::renderTemplate(
        inlineTemplate(QStringLiteral("{{text}}|{{{text}}}|{{n}}|{{f}}|{{big}}|{{#yes}}Y{{/yes}}"
                                      "{{^no}}N{{/no}}|{{#none}}hidden{{/none}}{{none}}|"
                                      "{{agent.name}}|{{list_json}}|{{#has_list}}L{{/has_list}}"
                                      "{{#empty}}E{{/empty}}")),
        json{{"text", "<b> & 'x' \"q\""},
             {"n", 42},
             {"f", 0.25},
             {"big", -7000000000LL},
             {"yes", true},
             {"no", false},
             {"none", nullptr},
             {"agent", {{"name", "Ada"}}},
             {"list", {1, 2}},
             {"empty", ""}});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.text.toStdString(), "<b> & 'x' \"q\"|<b> & 'x' \"q\"|42|0.25|-7000000000|YN||"
                                    "Ada|[\n  1,\n  2\n]|L");
    EXPECT_EQ(r.version, 3);
}

TEST(PromptTemplates, OverrideDirectoryWinsAndIsReported)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    writeFile(dir.filePath(QStringLiteral("generate.seeds.mustache")),
              QStringLiteral("{{! id: generate.seeds version: 7 }}\nMy own: {{count}} in "
                             "{{domain}}\n"));
    writeFile(dir.filePath(QStringLiteral("custom.note.mustache")),
              QStringLiteral("{{! id: custom.note version: 1 }}\nNote {{x}}"));
    writeFile(dir.filePath(QStringLiteral("generate.expand.mustache")),
              QStringLiteral("no header here {{x}}"));
    writeFile(dir.filePath(QStringLiteral("llm.repair.mustache")),
              QStringLiteral("{{! id: llm.other version: 1 }}\nbody"));
    const PromptTemplates templates(dir.path());

    const auto r = templates.render(QStringLiteral("generate.seeds"),
                                    json{{"count", 5}, {"domain", "finance"}});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.text, QStringLiteral("My own: 5 in finance\n"));
    EXPECT_EQ(r.version, 7);
    EXPECT_TRUE(r.overridden);
    EXPECT_EQ(r.source, dir.filePath(QStringLiteral("generate.seeds.mustache")));
    ASSERT_NE(templates.builtIn(QStringLiteral("generate.seeds")), nullptr);
    EXPECT_EQ(templates.builtIn(QStringLiteral("generate.seeds"))->version, 1);

    // A user-only template is available but overrides nothing.
    const auto custom = templates.render(QStringLiteral("custom.note"), json{{"x", 1}});
    EXPECT_EQ(custom.text, QStringLiteral("Note 1"));
    EXPECT_FALSE(custom.overridden);

    // Broken overrides are ignored (the built-in stays) and reported with their file name.
    EXPECT_FALSE(templates.find(QStringLiteral("generate.expand"))->overridden);
    EXPECT_FALSE(templates.find(QStringLiteral("llm.repair"))->overridden);
    const QString problems = templates.problems().join(QLatin1Char('\n'));
    EXPECT_TRUE(problems.contains(QStringLiteral("generate.expand.mustache:1:")))
        << problems.toStdString();
    EXPECT_TRUE(problems.contains(QStringLiteral("llm.repair.mustache:1:")))
        << problems.toStdString();
}

TEST(PromptTemplates, UnknownIdAndSyntaxErrorsAreClear)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    writeFile(dir.filePath(QStringLiteral("generate.seeds.mustache")),
              QStringLiteral("{{! id: generate.seeds version: 2 }}\nline one\n{{#items}}\nno "
                             "close\n"));
    const PromptTemplates templates(dir.path());

    const auto unknown = templates.render(QStringLiteral("generate.nothing"), json::object());
    EXPECT_FALSE(unknown.ok());
    EXPECT_TRUE(unknown.text.isEmpty());
    EXPECT_TRUE(unknown.error.contains(QStringLiteral("unknown prompt template "
                                                      "'generate.nothing'")));
    EXPECT_TRUE(unknown.error.contains(QStringLiteral("generate.seeds"))); // lists known ids

    const auto broken = templates.render(QStringLiteral("generate.seeds"), json::object());
    EXPECT_FALSE(broken.ok());
    const QString file = dir.filePath(QStringLiteral("generate.seeds.mustache"));
    EXPECT_TRUE(broken.error.startsWith(file + QLatin1Char(':'))) << broken.error.toStdString();
    EXPECT_TRUE(broken.error.contains(QStringLiteral("items"))) << broken.error.toStdString();
    EXPECT_TRUE(broken.overridden);
    EXPECT_FALSE(templates.problems().isEmpty());

    QString error;
    const PromptTemplate parsed = PromptTemplates::parse(
        QStringLiteral("{{! id: a.b version: x }}\n"), QStringLiteral("a.b.mustache"), error);
    EXPECT_TRUE(parsed.id.isEmpty());
    EXPECT_TRUE(error.startsWith(QStringLiteral("a.b.mustache:1:"))) << error.toStdString();
}

TEST(PromptTemplates, ReloadPicksUpEdits)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    PromptTemplates templates(dir.path());
    EXPECT_FALSE(templates.find(QStringLiteral("llm.truncated_retry"))->overridden);
    writeFile(dir.filePath(QStringLiteral("llm.truncated_retry.mustache")),
              QStringLiteral("{{! id: llm.truncated_retry version: 9 }}\nshorter please"));
    templates.reload();
    const auto r = templates.render(QStringLiteral("llm.truncated_retry"), json::object());
    EXPECT_EQ(r.text, QStringLiteral("shorter please"));
    EXPECT_TRUE(r.overridden);
    EXPECT_EQ(r.version, 9);
    EXPECT_TRUE(PromptTemplates::defaultOverrideDir().endsWith(QStringLiteral("/prompts")));
}
