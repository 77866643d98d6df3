#pragma once
// PromptTemplates: the versioned mustache prompt templates, built in (:/prompts/<id>.mustache)
// or overridden by the user (a file of the same name in the override directory). A plain value
// after loading: render() is const and may be called from any thread.

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <map>

namespace crucible {

// A template file starts with one header line, a mustache comment:
//   {{! id: generate.seeds version: 2 }}
// The id must equal the file name without ".mustache"; the rest of the file is the body.
struct PromptTemplate
{
    QString id;
    int version = 0;
    QString body;            // the template text after the header line
    QString source;          // ":/prompts/<id>.mustache" or the override file's path
    bool overridden = false; // true when the user's file replaced the built-in
    int bodyLine = 2;        // line number of the body's first line in `source`
};

struct RenderedPrompt
{
    QString text;
    QString id;
    int version = 0;
    bool overridden = false;
    QString source;
    QString error; // unknown id, or "<file>:<line>: <syntax error>"; text is empty then

    bool ok() const { return error.isEmpty(); }
};

class PromptTemplates final
{
public:
    // Built-ins plus the overrides in defaultOverrideDir().
    PromptTemplates();
    // Built-ins plus the overrides in `overrideDir`; an empty string means built-ins only.
    explicit PromptTemplates(QString overrideDir);

    static QString defaultOverrideDir(); // QStandardPaths::AppConfigLocation + "/prompts"
    const QString &overrideDir() const { return m_overrideDir; }

    // Reads the built-ins and the override directory again (after the user edited a file).
    void reload();

    QStringList ids() const; // sorted
    bool contains(const QString &id) const { return m_templates.count(id) != 0; }
    // The effective template (the override when there is one); nullptr for an unknown id.
    const PromptTemplate *find(const QString &id) const;
    // The built-in version, also when overridden (for "reset to default" and diffs).
    const PromptTemplate *builtIn(const QString &id) const;
    // Override files that were ignored, and templates with syntax errors, one line each with
    // the file name.
    const QStringList &problems() const { return m_problems; }

    // Renders template `id` with `context` (a JSON object). Strings are inserted as they are
    // (no HTML escaping), numbers as their JSON text, booleans and null control sections
    // ({{#flag}}); an empty string also counts as false. Arrays become lists ({{#items}}{{.}}
    // {{/items}}), objects nested data ({{agent.name}}). For each array or object key `k` the
    // context also gets `k_json` (the value as indented JSON text); for each array `has_k`
    // (true when not empty).
    RenderedPrompt render(const QString &id, const nlohmann::json &context) const;
    // Renders `tmpl` (already without a header) the same way; `source` names it in errors.
    static RenderedPrompt renderTemplate(const PromptTemplate &tmpl, const nlohmann::json &context);

    // Splits a file into header and body; returns an empty id and sets `error` when the
    // header line is missing or malformed.
    static PromptTemplate parse(const QString &text, const QString &source, QString &error);

private:
    void loadDirectory(const QString &dir, bool overrides);

    QString m_overrideDir;
    std::map<QString, PromptTemplate> m_builtIns;
    std::map<QString, PromptTemplate> m_templates;
    QStringList m_problems;
};

} // namespace crucible
