#include "core/llm/prompttemplates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringBuilder>

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace crucible {

namespace {

using Data = kainjow::mustache::data;

const QString kSuffix = QStringLiteral(".mustache");

Data toData(const nlohmann::json &value);

void setMember(Data &object, const std::string &key, const nlohmann::json &value)
{
    object.set(key, toData(value));
}

Data toData(const nlohmann::json &value)
{
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        Data object = Data(Data::type::object);
        for (const auto &[key, member] : value.items()) {
            setMember(object, key, member);
        }
        // Companions, unless the context defines them itself.
        for (const auto &[key, member] : value.items()) {
            if (!member.is_structured()) {
                continue;
            }
            if (!value.contains(key + "_json")) {
                object.set(key + "_json", Data(member.dump(2)));
            }
            if (member.is_array() && !value.contains("has_" + key)) {
                object.set("has_" + key, Data(!member.empty()));
            }
        }
        return object;
    }
    case nlohmann::json::value_t::array: {
        Data list = Data(Data::type::list);
        for (const auto &item : value) {
            list.push_back(toData(item));
        }
        return list;
    }
    case nlohmann::json::value_t::string: {
        const auto &text = value.get_ref<const std::string &>();
        return text.empty() ? Data(false) : Data(text);
    }
    case nlohmann::json::value_t::boolean:
        return Data(value.get<bool>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
        return Data(false);
    default: // numbers: their JSON text ("3", "0.25", "1e+100")
        return Data(value.dump());
    }
}

// kainjow reports positions as "... at 123" (a character offset in the body): turn that into a
// line number of the file.
QString locate(const PromptTemplate &tmpl, const QString &message)
{
    static const QRegularExpression at(QStringLiteral(" at (\\d+)$"));
    int line = tmpl.bodyLine;
    const auto match = at.match(message);
    if (match.hasMatch()) {
        const qsizetype offset = match.captured(1).toLongLong();
        const QByteArray utf8 = tmpl.body.toUtf8();
        line += static_cast<int>(utf8.left(offset).count('\n'));
    }
    return tmpl.source % QLatin1Char(':') % QString::number(line) %
           QStringLiteral(": prompt template '") % tmpl.id % QStringLiteral("': ") % message;
}

// kainjow parses and renders nested sections by recursion: thousands of nested {{#x}} overflow the
// stack. Finds the deepest section nesting, following {{=<% %>=}} delimiter changes; returns an
// error message when it exceeds kMaxSectionDepth.
constexpr int kMaxSectionDepth = 100;

std::string checkSectionDepth(const std::string &body)
{
    std::string open = "{{";
    std::string close = "}}";
    int depth = 0;
    std::size_t pos = 0;
    while ((pos = body.find(open, pos)) != std::string::npos) {
        std::size_t inner = pos + open.size();
        std::string closing = close;
        if (open == "{{" && inner < body.size() && body[inner] == '{') {
            closing = "}}}"; // {{{raw}}}
        }
        const std::size_t end = body.find(closing, inner);
        if (end == std::string::npos) {
            break;
        }
        pos = end + closing.size();
        while (inner < end && (body[inner] == ' ' || body[inner] == '\t')) {
            ++inner;
        }
        const std::string_view tag(body.data() + inner, end - inner);
        if (tag.starts_with('#') || tag.starts_with('^')) {
            if (++depth > kMaxSectionDepth) {
                return "sections nested deeper than " + std::to_string(kMaxSectionDepth) +
                       " levels at " + std::to_string(pos);
            }
        } else if (tag.starts_with('/')) {
            depth = std::max(0, depth - 1);
        } else if (tag.size() > 2 && tag.starts_with('=') && tag.ends_with('=')) {
            // {{=<% %>=}}: the two new delimiters, separated by white space.
            const std::string_view spec = tag.substr(1, tag.size() - 2);
            const std::size_t a = spec.find_first_not_of(" \t");
            const std::size_t gap = spec.find_first_of(" \t", a);
            const std::size_t b = spec.find_first_not_of(" \t", gap);
            if (a != std::string_view::npos && gap != std::string_view::npos &&
                b != std::string_view::npos) {
                const std::size_t bEnd = spec.find_first_of(" \t", b);
                open = std::string(spec.substr(a, gap - a));
                close =
                    std::string(spec.substr(b, bEnd == std::string_view::npos ? bEnd : bEnd - b));
            }
        }
    }
    return {};
}

} // namespace

PromptTemplates::PromptTemplates()
    : PromptTemplates(defaultOverrideDir())
{
}

PromptTemplates::PromptTemplates(QString overrideDir)
    : m_overrideDir(std::move(overrideDir))
{
    reload();
}

QString PromptTemplates::defaultOverrideDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) %
           QStringLiteral("/prompts");
}

void PromptTemplates::reload()
{
    m_builtIns.clear();
    m_templates.clear();
    m_problems.clear();
    loadDirectory(QStringLiteral(":/prompts"), false);
    if (!m_overrideDir.isEmpty() && QFileInfo(m_overrideDir).isDir()) {
        loadDirectory(m_overrideDir, true);
    }
}

PromptTemplate PromptTemplates::parse(const QString &text, const QString &source, QString &error)
{
    static const QRegularExpression header(QStringLiteral(
        "^\\{\\{!\\s*id:\\s*([A-Za-z0-9_.-]+)\\s+version:\\s*(\\d+)\\s*\\}\\}\\s*$"));
    PromptTemplate t;
    t.source = source;
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    const QString first = newline < 0 ? text : text.left(newline);
    const auto match = header.match(first.trimmed());
    if (!match.hasMatch()) {
        error = source %
                QStringLiteral(":1: the first line must be a header like "
                               "'{{! id: generate.seeds version: 1 }}', found '") %
                first.left(80) % QLatin1Char('\'');
        return t;
    }
    bool ok = false;
    const int version = match.captured(2).toInt(&ok);
    if (!ok) {
        error = source % QStringLiteral(":1: the version must be a whole number");
        return t;
    }
    t.id = match.captured(1);
    t.version = version;
    t.body = newline < 0 ? QString() : text.mid(newline + 1);
    return t;
}

void PromptTemplates::loadDirectory(const QString &dir, bool overrides)
{
    const QDir d(dir);
    const QStringList files =
        d.entryList({QStringLiteral("*") % kSuffix}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString &name : files) {
        const QString path = d.filePath(name);
        const QString expectedId = name.left(name.size() - kSuffix.size());
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_problems.append(path % QStringLiteral(": cannot read: ") % file.errorString());
            continue;
        }
        const QString text = QString::fromUtf8(file.readAll());
        QString error;
        PromptTemplate t = parse(text, path, error);
        if (!error.isEmpty()) {
            m_problems.append(error %
                              (overrides ? QStringLiteral(" (override ignored)") : QString()));
            continue;
        }
        if (t.id != expectedId) {
            m_problems.append(path % QStringLiteral(":1: the header names id '") % t.id %
                              QStringLiteral("' but the file name says '") % expectedId %
                              QStringLiteral("'; rename one of them") %
                              (overrides ? QStringLiteral(" (override ignored)") : QString()));
            continue;
        }
        // Report syntax errors now; the template stays, so that render() names the file too.
        const std::string body = t.body.toStdString();
        if (const std::string deep = checkSectionDepth(body); !deep.empty()) {
            m_problems.append(locate(t, QString::fromStdString(deep)));
        } else if (const kainjow::mustache::mustache compiled(body); !compiled.is_valid()) {
            m_problems.append(locate(t, QString::fromStdString(compiled.error_message())));
        }
        if (overrides) {
            t.overridden = true;
            if (m_builtIns.count(t.id) == 0) {
                // A user-only template: allowed (custom prompts), and not "overriding" anything.
                t.overridden = false;
            }
            m_templates[t.id] = std::move(t);
        } else {
            m_builtIns[t.id] = t;
            m_templates[t.id] = std::move(t);
        }
    }
}

QStringList PromptTemplates::ids() const
{
    QStringList out;
    for (const auto &[id, t] : m_templates) {
        out.append(id);
    }
    return out;
}

const PromptTemplate *PromptTemplates::find(const QString &id) const
{
    const auto it = m_templates.find(id);
    return it == m_templates.end() ? nullptr : &it->second;
}

const PromptTemplate *PromptTemplates::builtIn(const QString &id) const
{
    const auto it = m_builtIns.find(id);
    return it == m_builtIns.end() ? nullptr : &it->second;
}

RenderedPrompt PromptTemplates::render(const QString &id, const nlohmann::json &context) const
{
    const PromptTemplate *t = find(id);
    if (t == nullptr) {
        RenderedPrompt out;
        out.id = id;
        out.error = QStringLiteral("unknown prompt template '") % id %
                    QStringLiteral("' (known: ") % ids().join(QStringLiteral(", ")) %
                    QStringLiteral("; overrides are read from ") %
                    (m_overrideDir.isEmpty() ? QStringLiteral("nowhere") : m_overrideDir) %
                    QLatin1Char(')');
        return out;
    }
    return renderTemplate(*t, context);
}

RenderedPrompt PromptTemplates::renderTemplate(const PromptTemplate &tmpl,
                                               const nlohmann::json &context)
{
    RenderedPrompt out;
    out.id = tmpl.id;
    out.version = tmpl.version;
    out.overridden = tmpl.overridden;
    out.source = tmpl.source;
    if (!context.is_object() && !context.is_null()) {
        out.error = tmpl.source % QStringLiteral(": the context for prompt template '") % tmpl.id %
                    QStringLiteral("' must be a JSON object");
        return out;
    }
    const std::string body = tmpl.body.toStdString();
    if (const std::string deep = checkSectionDepth(body); !deep.empty()) {
        out.error = locate(tmpl, QString::fromStdString(deep));
        return out;
    }
    kainjow::mustache::mustache compiled(body);
    if (!compiled.is_valid()) {
        out.error = locate(tmpl, QString::fromStdString(compiled.error_message()));
        return out;
    }
    // Prompts are not HTML.
    compiled.set_custom_escape([](const std::string &s) { return s; });
    const Data data = toData(context.is_null() ? nlohmann::json::object() : context);
    const std::string text = compiled.render(data);
    if (!compiled.is_valid()) {
        out.error = locate(tmpl, QString::fromStdString(compiled.error_message()));
        return out;
    }
    out.text = QString::fromStdString(text);
    return out;
}

} // namespace crucible
