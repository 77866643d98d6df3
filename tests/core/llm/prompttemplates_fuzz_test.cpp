// Regression tests for inputs found while fuzzing prompt templates
// (tests/fuzz/prompttemplate_fuzz.cpp).

#include "core/llm/prompttemplates.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using crucible::PromptTemplate;
using crucible::PromptTemplates;
using nlohmann::json;

namespace {

QString nested(const QString &open, const QString &close, int levels)
{
    QString text;
    for (int i = 0; i < levels; ++i)
        text += open;
    text += QStringLiteral("x");
    for (int i = 0; i < levels; ++i)
        text += close;
    return text;
}

PromptTemplate templateWithBody(const QString &body)
{
    PromptTemplate t;
    t.id = QStringLiteral("deep");
    t.version = 1;
    t.body = body;
    t.source = QStringLiteral("deep.mustache");
    return t;
}

} // namespace

// 5,000 nested sections (a 30 kB template) overflowed the stack inside the mustache library;
// nesting deeper than 100 levels is now a template error naming the file and line.
TEST(PromptTemplatesFuzz, DeeplyNestedSectionsAreAnError)
{
    const json context = {{"a", json::array({1})}};
    const auto deep = PromptTemplates::renderTemplate(
        templateWithBody(QStringLiteral("line one\n") +
                         nested(QStringLiteral("{{#a}}"), QStringLiteral("{{/a}}"), 5000)),
        context);
    EXPECT_FALSE(deep.ok());
    EXPECT_TRUE(deep.text.isEmpty());
    EXPECT_TRUE(deep.error.startsWith(QStringLiteral("deep.mustache:3: prompt template 'deep': "
                                                     "sections nested deeper than 100 levels")))
        << deep.error.toStdString();

    // The same with changed delimiters and inverted sections.
    const auto delimited = PromptTemplates::renderTemplate(
        templateWithBody(QStringLiteral("{{=<% %>=}}") +
                         nested(QStringLiteral("<%^none%>"), QStringLiteral("<%/none%>"), 5000)),
        context);
    EXPECT_FALSE(delimited.ok());
    EXPECT_TRUE(delimited.error.contains(QStringLiteral("sections nested deeper than 100 levels")))
        << delimited.error.toStdString();

    // 100 levels still render.
    const auto ok = PromptTemplates::renderTemplate(
        templateWithBody(nested(QStringLiteral("{{#a}}"), QStringLiteral("{{/a}}"), 100)), context);
    ASSERT_TRUE(ok.ok()) << ok.error.toStdString();
    EXPECT_EQ(ok.text, QStringLiteral("x"));
}

// An override file that nests too deeply is reported when the templates load, not at render time.
TEST(PromptTemplatesFuzz, DeeplyNestedOverrideIsAProblem)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("custom.deep.mustache")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write((QStringLiteral("{{! id: custom.deep version: 1 }}\n") +
                nested(QStringLiteral("{{#a}}"), QStringLiteral("{{/a}}"), 3000))
                   .toUtf8());
    file.close();
    const PromptTemplates templates(dir.path());
    ASSERT_EQ(templates.problems().size(), 1);
    EXPECT_TRUE(templates.problems().front().contains(
        QStringLiteral("custom.deep.mustache:2: prompt template 'custom.deep': sections nested")))
        << templates.problems().front().toStdString();
}
