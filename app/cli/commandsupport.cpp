#include "app/cli/commandsupport.h"

#include "app/cli/clierror.h"
#include "core/model/jsonsupport.h"

#include <CLI/CLI.hpp>
#include <QFileInfo>
#include <QRegularExpression>

namespace crucible::cli {

CLI::App *addAction(CLI::App &command, const char *name, const char *help)
{
    CLI::App *action = command.add_subcommand(name, help);
    action->fallthrough();
    return action;
}

std::vector<std::string> toStdList(const QStringList &list)
{
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(list.size()));
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

void FilterArgs::addTo(CLI::App &app)
{
    app.add_option("--search", search,
                   "Full-text search in the statement, constraints and criteria (words; the last "
                   "one matches as a prefix)");
    app.add_option("--domain", domain, "Only problems of this domain (exact match)");
    app.add_option("--complexity", complexity, "Only problems of this complexity")
        ->check(CLI::IsMember(toStdList(complexityNames()), CLI::ignore_case));
    app.add_option("--origin", origin, "Only problems of this origin")
        ->check(CLI::IsMember(toStdList(originNames()), CLI::ignore_case));
}

ProblemFilter FilterArgs::toFilter() const
{
    ProblemFilter filter;
    filter.search = fromStd(search).trimmed();
    filter.domain = fromStd(domain).trimmed();
    if (!complexity.empty())
        filter.complexity = complexityFromString(fromStd(complexity));
    if (!origin.empty())
        filter.origin = originFromString(fromStd(origin));
    return filter;
}

ProblemFileFormat resolveFormat(const std::string &name, const QString &path,
                                const char *optionHint)
{
    if (!name.empty()) {
        if (const auto format = problemFileFormatFromName(fromStd(name)))
            return *format;
        throw CliError(QStringLiteral("unknown format \"%1\"").arg(fromStd(name)),
                       QStringLiteral("use --format jsonl or --format csv"));
    }
    if (const auto format = problemFileFormatFromPath(path))
        return *format;
    throw CliError(QStringLiteral("cannot tell the format of %1 from its extension \"%2\"")
                       .arg(path, QFileInfo(path).suffix()),
                   QStringLiteral("name the file *.jsonl or *.csv, or pass %1")
                       .arg(QString::fromUtf8(optionHint)));
}

QString formatName(ProblemFileFormat format)
{
    return format == ProblemFileFormat::Csv ? QStringLiteral("csv") : QStringLiteral("jsonl");
}

QString preview(const QString &text, int width)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    QString line = text;
    line.replace(whitespace, QStringLiteral(" "));
    line = line.trimmed();
    if (width <= 0 || line.size() <= width)
        return line;
    if (width == 1)
        return QStringLiteral("…");
    qsizetype cut = width - 1;
    if (cut > 0 && line.at(cut - 1).isHighSurrogate())
        --cut; // never split a surrogate pair
    return line.left(cut).trimmed() + QStringLiteral("…");
}

QString wrap(const QString &text, int width, int indent)
{
    const QString pad(indent, u' ');
    QStringList lines;
    for (const QString &paragraph : text.split(u'\n')) {
        QString line;
        for (const QString &word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
                lines << line;
                line.clear();
            }
            line += line.isEmpty() ? word : u' ' + word;
        }
        lines << line;
    }
    return lines.join(u'\n' + pad);
}

QString cell(const QString &text, int width)
{
    return preview(text, width).leftJustified(width, u' ');
}

QString humanBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    const double kib = static_cast<double>(bytes) / 1024.0;
    if (kib < 1024.0)
        return QStringLiteral("%1 KiB").arg(kib, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(kib / 1024.0, 0, 'f', 1);
}

nlohmann::json summaryToJson(const ProblemSummary &s)
{
    nlohmann::json j = nlohmann::json::object();
    j["id"] = s.id;
    j["domain"] = s.domain;
    j["complexity"] = toString(s.complexity);
    j["origin"] = toString(s.origin);
    j["statement"] = s.statement;
    if (!s.baseProblemId.isEmpty())
        j["base_problem_id"] = s.baseProblemId;
    else
        j["base_problem_id"] = nullptr;
    j["created_at"] = jsonio::formatTimestamp(s.createdAt);
    return j;
}

nlohmann::json issueToJson(const ImportIssue &issue)
{
    return {{"file", issue.file.toStdString()},
            {"line", issue.line},
            {"column", issue.column},
            {"reason", issue.reason.toStdString()}};
}

} // namespace crucible::cli
